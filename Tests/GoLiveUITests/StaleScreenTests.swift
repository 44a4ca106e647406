import Foundation
import Testing
@testable import GoLiveCore
@testable import GoLiveUI

/// A cockpit that cannot read its store (a shared store's server gone) never shows the gate it
/// read before as the gate now.
@Suite struct StaleScreenTests {
    @Test func aStaleScreenShowsTheGateAsUnknownUntilTheStoreIsReadAgain() throws {
        var s = try UIFixtures.canary(ready: true) { _ in }
        #expect(Render.frame(s).text.contains("gate: ✓ READY"))
        let seq = s.dashboard.readiness.state.seq
        s = Reducer.reduce(s, .stale("reconnecting to postgres://ops@db:5432/golive?rollout=r1…")).0
        var screen = Render.frame(s).text
        #expect(screen.contains("gate: ? STALE (seq \(seq))"), "\(screen.prefix(240))")
        #expect(!screen.contains("READY"), "the old verdict is not shown as current")
        #expect(screen.contains("reconnecting to postgres://ops@db:5432/golive?rollout=r1…; the screen shows seq \(seq)"))
        // The gate view says so above the verdict it read.
        s = Reducer.reduce(s, .key(.char("v"))).0
        let gate = GateView.lines(s, width: 200).lines.map(\.text)
        #expect(gate.first?.hasPrefix("STALE — this is the gate as of seq \(seq), not now") == true, "\(gate.prefix(2))")
        // Read again: the verdict is back, and the message says the screen is current.
        s = Reducer.reduce(s, .stale(nil)).0
        screen = Render.frame(s).text
        #expect(screen.contains("gate: ✓ READY") && !screen.contains("STALE"))
        #expect(screen.contains("the store is read again: the screen is current"))
    }

    /// A state rebuilt because the store's state.json was not used (not as the journal vouched,
    /// unreadable): the cockpit says so, as `status` does: a line while nothing else is said, and
    /// why in the gate view.
    @Test func aStateRebuiltBecauseStateJsonWasNotUsedIsSaid() throws {
        var s = try UIFixtures.canary(ready: true) { _ in }
        #expect(!Render.frame(s).text.contains("state.json"))
        let r = s.dashboard.readiness
        let why = "state.json was not used: piece 7 of its items differs from the one the journal committed to; the state was rebuilt from the journal"
        s.dashboard = Dashboard(readiness: Readiness(config: r.config, state: r.state, now: r.now, storeProblem: why), operatorID: s.dashboard.operatorID)
        #expect(Render.frame(s).text.contains("⚠ state.json was not used: piece 7 of its items differs from the one the journal"))
        s = Reducer.reduce(s, .key(.char("v"))).0
        let gate = GateView.lines(s, width: 400).lines.map(\.text)
        #expect(gate.first == "WARNING: \(why)", "\(gate.prefix(2))")
        // It stays when the clock moves the dashboard on.
        s.dashboard.advanceClock(to: r.now.addingTimeInterval(400 * 24 * 3600))
        #expect(s.dashboard.readiness.storeProblem == why)
    }
}
