import Foundation
import Testing
@testable import GoLiveCore

/// Integrity finding 7: a hook result was folded into whatever transition was pending. A process
/// suspended past the reconcile window, whose transition was reconciled and replaced by a new one,
/// cleared the new one's in-flight state when it woke.
@Suite(.serialized) struct LateHookResultTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSince1970: 2_000_000_000)
        var now: Date { lock.withLock { time } }
        func wait(_ seconds: Double) { lock.withLock { time += seconds } }
    }

    @Test func aResultThatArrivesAfterItsTransitionWasSettledIsJournaledAsLateAndNeverFolded() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(0)
        let clock = Clock()
        let timeout = try store.loadConfig().policy.canary.hookTimeoutSeconds
        // Bob's cockpit: its hook answers "unknown", so the rollback it starts stays in flight.
        let bob = Cockpit(store: store, clock: TimeSource { clock.now }, hookRunner: HookRunner { _ in
            HookResult(outcome: .unknown, summary: "router timed out", seconds: timeout)
        })
        // Alice's cockpit: her shadow hook "hangs" past the reconcile window; meanwhile bob
        // reconciles her transition as not applied and starts a rollback of his own. Then her hook fails.
        let alice = Cockpit(store: store, clock: TimeSource { clock.now }, hookRunner: HookRunner { _ in
            clock.wait(timeout + CanaryEngine.orphanGraceSeconds + 1)
            _ = try? bob.perform(.canary(.reconcile(applied: false, note: "alice's laptop slept")), as: Fixtures.actor("bob"))
            _ = try? bob.perform(.canary(.rollback(reason: "to be safe")), as: Fixtures.actor("bob"))
            return HookResult(outcome: .failed, summary: "router said no", seconds: 1)
        })
        let outcome = try alice.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(outcome.lateResult)
        let state = try store.loadState().state
        #expect(state.canary.pending?.action == "rollback", "bob's rollback lost its in-flight state")
        #expect(state.canary.pendingUnknown, "bob's unknown outcome was cleared by alice's late result")
        var kinds: [EventKind] = []
        try store.forEachEvent { kinds.append($0.kind); return true }
        #expect(kinds.suffix(4).contains(.canaryResultLate))
        #expect(!kinds.suffix(4).contains(.canaryTransitionFailed))
    }

    /// Issue 15: a transition's hook runs under a lease (the hook's timeout and a grace). A machine
    /// that reports after its lease expired (it slept, or lost the server for minutes) is fenced
    /// off: nobody may have reconciled yet, but its result is late, and only a reconcile settles it.
    @Test func aResultAfterItsLeaseExpiredIsLateAndTheTransitionWaitsForAReconcile() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(0)
        let clock = Clock()
        let timeout = try store.loadConfig().policy.canary.hookTimeoutSeconds
        let alice = Cockpit(store: store, clock: TimeSource { clock.now }, hookRunner: HookRunner { _ in
            clock.wait(timeout + CanaryEngine.orphanGraceSeconds + 1)
            return HookResult(outcome: .applied, summary: "router: planned -> shadow", seconds: 1)
        })
        let outcome = try alice.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(outcome.lateResult)
        let state = try store.loadState().state
        #expect(state.canary.pending?.action == "shadow" && state.canary.stage == .planned, "the late result was not folded")
        var kinds: [EventKind] = []
        var lateReason = ""
        try store.forEachEvent { e in
            kinds.append(e.kind)
            if e.kind == .canaryResultLate { lateReason = e.data.reason ?? "" }
            return true
        }
        #expect(kinds.contains(.canaryResultLate) && !kinds.contains(.canaryTransitionDone))
        #expect(lateReason.contains("lease"), "\(lateReason)")
        // Anything but a reconcile (or the levers) is refused with why.
        let check = Cockpit(store: store, clock: TimeSource { clock.now })
        let why = try check.check(.canary(.enterShadow), as: Fixtures.actor("carol"))
        #expect(why?.reason.contains("lease") == true && why?.reason.contains("reconcile") == true, "\(why?.reason ?? "accepted")")
        #expect(try check.check(.canary(.reconcile(applied: true, note: "router shows shadow")), as: Fixtures.actor("alice")) == nil)
        #expect(CanaryOverview(try check.readiness()).pendingUnknown, "status and the cockpit say the outcome is unknown")
    }

    @Test func theFoldAppliesAResultOnlyToItsOwnTransition() {
        var canary = CanaryState()
        func event(_ kind: EventKind, _ t: CanaryTransition?, applied: Bool? = nil, seq: Int) -> Event {
            Event(v: 1, seq: seq, prev: "", ts: Date(timeIntervalSince1970: Double(seq)), session: "s", actor: "a", osUser: "o",
                  kind: kind, data: EventData(transition: t, applied: applied), hash: "")
        }
        let a = CanaryTransition(id: "t-a", action: "shadow", from: "planned", to: "shadow", stage: .shadow, step: nil, exposurePct: 0, cohort: [], hook: "h", reason: nil)
        let b = CanaryTransition(id: "t-b", action: "rollback", from: "planned", to: "rolled back", stage: .rolledBack, step: nil, exposurePct: 0, cohort: [], hook: "h", reason: "r")
        canary.apply(event(.canaryTransitionStarted, a, seq: 1))
        canary.apply(event(.canaryReconciled, a, applied: false, seq: 2))
        canary.apply(event(.canaryTransitionStarted, b, seq: 3))
        canary.apply(event(.canaryTransitionFailed, a, seq: 4))
        #expect(canary.pending?.id == "t-b")
        canary.apply(event(.canaryTransitionDone, a, seq: 5))
        #expect(canary.pending?.id == "t-b" && canary.stage == .planned)
        canary.apply(event(.canaryOutcomeUnknown, a, seq: 6))
        #expect(!canary.pendingUnknown)
    }
}
