import Foundation
import Testing
@testable import GoLiveCore

@Suite struct AlertDetectorTests {
    @Test func anOverdueDecisionIsRaisedOncePerStage() throws {
        var sim = try CanarySim()
        sim.reach("1%")
        #expect(AlertDetector.dueByTime(sim.readiness, who: "alice").isEmpty, "not yet due")
        sim.now += 31 * 60
        let due = AlertDetector.dueByTime(sim.readiness, who: "alice")
        #expect(due.map(\.kind) == [.decisionOverdue])
        #expect(due.first?.next.contains("advance, hold or rollback") == true)
        var raised = EventData(reason: due[0].reason)
        raised.alert = due[0]
        sim.fold([EventDraft(.alertRaised, raised)], by: "alice")
        #expect(AlertDetector.dueByTime(sim.readiness, who: "carol").isEmpty, "raised once, whoever watches")
        // The next stage has its own deadline and its own alert.
        sim.act(.approve(note: ""), by: "bob")
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal == nil)
        #expect(sim.canary.alerted == nil)
        sim.now += 31 * 60
        #expect(AlertDetector.dueByTime(sim.readiness, who: "alice").map(\.kind) == [.decisionOverdue])
    }

    @Test func aGateLostByAChangeNamesItsContoursAndAnAutoHoldSaysItInstead() throws {
        var sim = try CanarySim()
        sim.reach("1%")
        let before = sim.readiness
        let from = sim.log.count
        sim.setReady(false)
        let lost = AlertDetector.raised(by: Array(sim.log[from...]), before: before, after: sim.readiness, who: "carol")
        #expect(lost.map(\.kind) == [.gateLost])
        #expect(lost.first?.contours == [.observability] && lost.first?.who == "carol")
        var auto = try CanarySim(autoHold: true)
        auto.reach("1%")
        let was = auto.readiness
        let start = auto.log.count
        auto.setReady(false)
        let held = AlertDetector.raised(by: Array(auto.log[start...]), before: was, after: auto.readiness, who: "carol")
        #expect(held.map(\.kind) == [.autoHold])
        #expect(held.first?.seq == auto.log.last { $0.kind == .canaryHeld }?.seq)
    }

    @Test func routesReceiveByKindAndContour() {
        let a = RaisedAlert(kind: .gateLost, rollout: "r", stage: "at 1%", exposurePct: 1, who: "x", reason: "", next: "", seq: 1,
                            contours: [.safety], at: Date())
        #expect(AlertRoute(command: "all").receives(a.kind, about: a.contours))
        #expect(AlertRoute(command: "k", kinds: [.gateLost]).receives(a.kind, about: a.contours))
        #expect(!AlertRoute(command: "k", kinds: [.rollback]).receives(a.kind, about: a.contours))
        #expect(AlertRoute(command: "c", contours: [.safety, .runtime]).receives(a.kind, about: a.contours))
        #expect(!AlertRoute(command: "c", contours: [.observability]).receives(a.kind, about: a.contours))
    }
}
