import Foundation
import Testing
import GoLiveCore

/// The canary as a release captain drives it: a real store, the real binary in a real terminal, a
/// second operator approving from another process, and the sample hook really writing the weight.
@Suite(.serialized) struct CanaryTmuxTests {
    /// The sample made ready through the CLI, with a test policy whose shadow period is 3 seconds.
    static func readyStore() throws -> URL {
        let store = try CLI.sampleStore()
        try CLI.makeReady(store, shadowMinutes: "0.05")
        #expect(try String(contentsOf: store.appendingPathComponent("policy.yaml"), encoding: .utf8).contains("min_shadow_minutes: 0.05"))
        let gate = try CLI.run(["gate", "--no-record"], store: store, as: "alice")
        #expect(gate.out.contains("GATE: READY"), "\(gate.out)")
        return store
    }

    /// Cockpit finding 1: alice's Advance dialog read shadow → 1%; meanwhile carol advanced to 1%
    /// from the CLI and the approvals for 1% → 5% came in. Alice's typed "1%" must not send 5% to
    /// the router: the core refuses as changed, and the dialog asks again with what is there now.
    @Test func aStaleAdvanceDialogDoesNothingAndAsksAgain() throws {
        guard Tmux.require() else { return }
        let (store, t) = try Self.aliceInShadowWithBobsApproval()
        try t.keys("A")
        let shown = try t.wait(for: "the advance dialog") { $0.contains("Advance the canary") && $0.contains("confirms · esc") }
        #expect(shown.contains("exposure shadow → 1%"))
        // Behind alice's back: carol advances to 1%, bob and carol approve 1% → 5%.
        let moved = try CLI.run(["canary", "advance"], store: store, as: "carol")
        #expect(moved.code == 0, "\(moved.err)")
        #expect(try CLI.run(["canary", "approve"], store: store, as: "bob").code == 0)
        #expect(try CLI.run(["canary", "approve"], store: store, as: "carol").code == 0)
        let router = Self.router(store)
        #expect(router.contains("weight=0.9"))
        try t.type("1%")
        try t.keys("Enter")
        let again = try t.wait(for: "the dialog to ask again") { $0.contains("changed since you looked") && $0.contains("exposure 1% → 5%") }
        #expect(again.contains("Advance the canary"))
        #expect(Self.router(store) == router, "the router was changed by a confirmation of something else")
        #expect(try Store(directory: store).loadState().state.canary.exposurePct == 0.9)
        try t.keys("Escape")
    }

    /// Cockpit finding 1, the rollback dialog: it read "0% → 0%, no tenant" while carol moved two
    /// tenants live. The confirmation does nothing and the dialog asks again with what is live now.
    @Test func aStaleRollbackDialogAsksAgainWithWhatIsLive() throws {
        guard Tmux.require() else { return }
        let (store, t) = try Self.aliceInShadowWithBobsApproval()
        try t.keys("X")
        let shown = try t.wait(for: "the rollback dialog") { $0.contains("Roll back the canary") && $0.contains("confirms · esc") }
        #expect(shown.contains("exposure 0% → 0%") && shown.contains("no tenant is on the new version"))
        let moved = try CLI.run(["canary", "advance"], store: store, as: "carol")
        #expect(moved.code == 0, "\(moved.err)")
        let router = Self.router(store)
        #expect(router.contains("weight=0.9"))
        try t.type("router alarms")
        try t.keys("Tab")
        try t.type("rollback")
        try t.keys("Enter")
        let again = try t.wait(for: "the dialog to ask again") {
            $0.contains("changed since you looked") && $0.contains("Roll back the canary") && $0.contains("0.9% → 0%")
        }
        #expect(again.contains("2 tenants return to the current version"))
        #expect(Self.router(store) == router, "a rollback confirmed for 0% must not act on what it did not show")
        // Confirmed again, on what it now shows, it rolls back.
        try t.type("router alarms")
        try t.keys("Tab")
        try t.type("rollback")
        try t.keys("Enter")
        // The message that comes once the hook answered; the dialog's own line "→ rolled back:" can
        // outlive its title on a screen caught half redrawn (seen in CI).
        try t.wait(for: "the rollback") { $0.contains("rolled back — hook applied") && !$0.contains("Roll back the canary") }
        #expect(try Store(directory: store).loadState().state.canary.exposurePct == 0)
        try t.keys("q")
    }

    /// A ready store in shadow with bob's approval of shadow → 1%, and alice's cockpit on its canary
    /// panel once the shadow minimum is met.
    static func aliceInShadowWithBobsApproval() throws -> (URL, Tmux) {
        let store = try readyStore()
        #expect(try CLI.run(["canary", "shadow"], store: store, as: "alice").code == 0)
        #expect(try CLI.run(["canary", "approve"], store: store, as: "bob").code == 0)
        let t = Tmux()
        try t.start(width: 120, height: 40, command: "\(CLI.binary) --store \(store.path) --as alice")
        try t.wait(forText: "gate: ✓ READY")
        try t.keys("c")
        try t.wait(for: "the shadow minimum to be met", timeout: 15) { $0.contains("(minimum 3 s met)") }
        return (store, t)
    }

    static func router(_ store: URL) -> String {
        (try? String(contentsOf: store.appendingPathComponent("router.txt"), encoding: .utf8)) ?? ""
    }

    @Test func shadowSecondOperatorApprovesAdvanceConfirmedByTypingThenRollback() throws {
        guard Tmux.require() else { return }
        let store = try Self.readyStore()
        let t = Tmux()
        try t.start(width: 120, height: 40, command: "\(CLI.binary) --store \(store.path) --as alice")
        try t.wait(forText: "gate: ✓ READY")
        try t.keys("c")
        try t.wait(forText: "Canary · c or esc closes")

        // Shadow: confirmed by typing its name.
        try t.keys("S")
        try t.wait(forText: "planned → shadow: mirrored traffic, 0% live exposure")
        try t.type("shadow")
        try t.keys("Enter")
        try t.wait(forText: "[ shadow ]")
        try t.wait(forText: "entered shadow — hook applied")
        #expect(Self.router(store).contains("stage=shadow\nweight=0\nmirror=on"))

        // Bob approves from another process; the panel shows it without a key press.
        let approve = try CLI.run(["canary", "approve", "--note", "dashboards green"], store: store, as: "bob")
        #expect(approve.code == 0, "\(approve.err)")
        try t.wait(forText: "approvals shadow → 1%: 1/2 (approved by bob (key SHA256:")
        // The minimum shadow period (3 s in this test policy) is served on the real clock.
        try t.wait(for: "the shadow minimum to be met", timeout: 15) { $0.contains("(minimum 3 s met)") }

        // Advance: the dialog spells out the change; a wrong target does nothing; the right one moves traffic.
        try t.keys("A")
        let dialog = try t.wait(for: "the advance dialog") { $0.contains("Advance the canary") && $0.contains("confirms · esc") }
        #expect(dialog.contains("exposure shadow → 1%: 0% → 0.9% of traffic"))
        #expect(dialog.contains("2 tenants (smallest first): corner-books, pet-pantry"))
        #expect(dialog.contains("hook scripts/set-weight.sh") && dialog.contains("[ Cancel ]"))
        try t.type("5")
        try t.keys("Enter")
        try t.wait(forText: "type 1% exactly to confirm")
        try t.keys("BSpace")
        try t.type("1%")
        try t.keys("Enter")
        try t.wait(forText: "[ 1% ]")
        try t.wait(forText: "advanced to 1% — hook applied")
        let at1 = try t.screen()
        #expect(at1.contains("cohort (2 tenants): corner-books 0.4%, pet-pantry 0.5%"))
        #expect(at1.contains("canary: at 1% 0.9% · cap 5%"))
        #expect(Self.router(store).contains("stage=canary\nweight=0.9\nmirror=off\ntenants=corner-books,pet-pantry"))

        // Roll back with a reason, confirmed by typing rollback.
        try t.rollBack(reason: "error budget burn in the canary")
        try t.wait(forText: "[ rolled_back ]")
        try t.wait(forText: "rolled back: error budget burn in the canary")
        #expect(Self.router(store).contains("stage=rolled_back\nweight=0"))
        try t.keys("q")
        try t.wait(forText: "GOLIVE-EXITED 0")

        var events: [Event] = []
        try Store(directory: store).forEachEvent { e in
            if e.kind.rawValue.hasPrefix("canary.") { events.append(e) }
            return true
        }
        let done = events.filter { $0.kind == .canaryTransitionDone }
        #expect(done.map { $0.data.transition?.to } == ["shadow", "1%", "rolled_back"])
        #expect(done.allSatisfy { $0.actor == "alice" && $0.data.hook?.outcome == .applied })
        let approvals = events.filter { $0.kind == .canaryApproved }
        #expect(approvals.map(\.actor) == ["bob", "alice"])
        #expect(approvals.allSatisfy { $0.data.from == "shadow" && $0.data.to == "1%" })
        // Bob approved from his own CLI session, not the captain's cockpit.
        #expect(approvals[0].session != done[1].session && approvals[1].session == done[1].session)
        #expect(done[2].data.transition?.reason == "error budget burn in the canary")
    }

    @Test func anotherOperatorsFailureRaisesTheBannerAndAutoHolds() throws {
        guard Tmux.require() else { return }
        let store = try Self.readyStore()
        let shadow = try CLI.run(["canary", "shadow"], store: store, as: "alice")
        #expect(shadow.code == 0, "\(shadow.err)")
        let t = Tmux()
        try t.start(width: 120, height: 40, command: "\(CLI.binary) --store \(store.path) --as alice")
        try t.wait(forText: "canary: shadow 0% · cap 5%")
        let fail = try CLI.run(["item", "observability.key_spans", "--fail", "--note", "planner spans missing in rc4"], store: store, as: "carol")
        #expect(fail.code == 0, "\(fail.err)")
        let screen = try t.wait(for: "the alert banner") { $0.contains("⚠ gate turned NOT READY: trace_coverage") }
        #expect(screen.contains("canary: held at shadow"))
        try t.keys("c")
        try t.wait(forText: "held: auto-hold (canary.auto_hold): NOT READY: trace_coverage")
        try t.keys("q")
        try t.wait(forText: "GOLIVE-EXITED 0")
        var held: [Event] = []
        try Store(directory: store).forEachEvent { e in
            if e.kind == .canaryHeld { held.append(e) }
            return true
        }
        #expect(held.count == 1 && held[0].actor == "carol" && held[0].data.auto == true)
    }
}
