import Foundation
import Testing
@testable import GoLiveCore

/// Integrity finding 6: the emergency levers could be blocked: a transition in flight blocked
/// rollback for hook timeout + 30 s, and a write that did not complete blocked hold and rollback.
@Suite(.serialized) struct EmergencyLeverTests {
    func applied(_ store: Store, at time: Date = CanaryPropertyTests.t0) -> Cockpit {
        Cockpit(store: store, clock: .fixed(time), hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "ok", seconds: 0) })
    }

    @Test func rollbackSupersedesATransitionInFlight() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(0)
        let bob = applied(store)
        let rolledBack = Locked<Bool>(false)
        let alice = Cockpit(store: store, clock: .fixed(CanaryPropertyTests.t0), hookRunner: HookRunner { _ in
            // While alice's shadow hook runs, bob pulls the cord: it must not wait for her hook.
            let done = (try? bob.perform(.canary(.rollback(reason: "errors in shadow")), as: Fixtures.actor("bob"))) != nil
            rolledBack.withLock { $0 = done }
            return HookResult(outcome: .applied, summary: "router: shadow", seconds: 0)
        })
        let outcome = try alice.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(rolledBack.withLock { $0 }, "the rollback was refused while a transition was in flight")
        #expect(outcome.lateResult, "alice's result came after the rollback and must not count")
        let canary = try store.loadState().state.canary
        #expect(canary.stage == .rolledBack && canary.pending == nil)
    }

    @Test func holdAndRollbackWorkPastAWriteThatDidNotComplete() throws {
        for lever in [CanaryAction.hold(reason: "p99 rising"), .rollback(reason: "refund errors")] {
            let store = try CanaryPropertyTests.copyOfTemplate(1)
            let handle = try FileHandle(forWritingTo: store.journalURL)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"v":2,"seq":99,"prev":"ab"#.utf8))
            try handle.close()
            let cockpit = applied(store)
            #expect(throws: StoreError.self) {
                try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("alice"))
            }
            let outcome = try cockpit.perform(.canary(lever), as: Fixtures.actor("carol"))
            #expect(outcome.events.first?.kind == .journalRepaired, "\(lever.name): the torn write was not set aside in the lever's own write")
            #expect(try JournalVerifier.verify(fileAt: store.journalURL).ok)
            let side = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("journal.torn-") }
            #expect(side.count == 1)
            #expect(try store.loadState().state.canary.stage == (lever.name == "hold" ? .held : .rolledBack))
        }
    }
}

@Suite(.serialized) struct LeversWithABrokenConfigurationTests {
    /// Integrity finding 6: `max_days: thirty` in the waivers section made hold and rollback exit 2,
    /// so traffic stayed where it was. The levers act on the team and the hook, which still parse.
    @Test func holdAndRollbackWorkWhenAnotherPartOfTheConfigurationIsBroken() throws {
        for lever in [CanaryAction.hold(reason: "p99 rising"), .rollback(reason: "refund errors")] {
            let store = try CanaryPropertyTests.copyOfTemplate(1)
            let policy = store.directory.appendingPathComponent("policy.yaml")
            try (try String(contentsOf: policy, encoding: .utf8) + "  waivers:\n    max_days: thirty\n").write(to: policy, atomically: true, encoding: .utf8)
            let cockpit = Cockpit(store: store, clock: .fixed(CanaryPropertyTests.t0),
                                  hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "ok", seconds: 0) })
            #expect(throws: ConfigError.self) { try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("alice")) }
            try cockpit.perform(.canary(lever), as: Fixtures.actor("carol"))
            #expect(try store.loadState().state.canary.stage == (lever.name == "hold" ? .held : .rolledBack), "\(lever.name) did not act")
            // Who may pull the cord still comes from the team: an outsider may not.
            #expect(throws: Refusal.self) { try cockpit.perform(.canary(lever), as: Fixtures.actor("mallory")) }
        }
    }
}
