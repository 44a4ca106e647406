import Foundation
import Testing
@testable import GoLiveCore

/// `golive canary status`'s exit code for every standing a script branches on.
@Suite struct CanaryExitStatusTests {
    static func code(_ sim: CanarySim) -> Int32 { CanaryExitStatus.of(CanaryOverview(sim.readiness)).rawValue }

    @Test func eachStandingHasItsCode() throws {
        var sim = try CanarySim(hook: true)
        #expect(Self.code(sim) == 5, "planned: a person starts it")
        sim.reach("shadow")
        #expect(Self.code(sim) == 0, "shadow with its minimum still running: active")
        sim.now += 61 * 60
        #expect(Self.code(sim) == 5, "shadow served: a person decides")
        sim.act(.approve(note: ""), by: "bob")
        sim.hookAnswer = .unknown
        sim.act(.advance(cohort: nil), by: "alice")
        #expect(sim.canary.pendingUnknown)
        #expect(Self.code(sim) == 6, "an unknown hook outcome: degraded")
        sim.act(.reconcile(applied: true, note: "router shows 1%"), by: "alice")
        #expect(Self.code(sim) == 5, "at 1% with 5% to go")
        sim.now += 31 * 60
        #expect(Self.code(sim) == 6, "decision overdue: degraded")
        sim.act(.hold(reason: "look"), by: "dan")
        #expect(Self.code(sim) == 3)
        var done = try CanarySim()
        done.reach("completed")
        #expect(Self.code(done) == 7)
        var back = try CanarySim()
        back.reach("rolled_back")
        #expect(Self.code(back) == 3)
    }

    /// Issue 26, point 6: a shadow whose hook timed out left the canary planned with an unknown
    /// outcome, and status said 5 ("waiting for a person"); the table says an unknown outcome is 6.
    @Test func anUnknownOutcomeIsDegradedInEveryStage() throws {
        var planned = try CanarySim(hook: true)
        planned.hookAnswer = .unknown
        planned.act(.enterShadow, by: "alice")
        #expect(planned.canary.pendingUnknown && planned.canary.stage == .planned)
        #expect(Self.code(planned) == 6, "planned, shadow's outcome unknown")
        var live = try CanarySim(hook: true)
        live.reach("shadow")
        live.now += 61 * 60
        live.act(.approve(note: ""), by: "bob")
        live.act(.advance(cohort: nil), by: "alice")
        live.hookAnswer = .unknown
        let r = live.act(.rollback(reason: "p99"), by: "alice")
        #expect(r.refusal == nil, "\(r)")
        #expect(live.canary.pendingUnknown)
        #expect(Self.code(live) == 6, "\(live.canary.stage), the rollback's outcome unknown")
    }
}
