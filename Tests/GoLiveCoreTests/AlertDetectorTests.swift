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

/// Alerts through the core's entry point, as two watching processes meet them.
@Suite struct AlertDeliveryTests {
    @Test func twoWatchersRaiseAnOverdueDecisionOnceAndItsCommandRunsOnce() throws {
        let policy = Policy.sectionNineYAML + """
          canary:
            steps: [1, 5]
            min_shadow_minutes: 0
            decision_timeout_minutes: 1

        """
        let rollout = Fixtures.smallTeam + "hooks:\n  alert: scripts/page.sh\n"
        let store = try Fixtures.store(rollout: rollout.replacingOccurrences(of: "hooks:\n  alert: scripts/page.sh\n", with: ""), policy: policy)
        let scripts = store.directory.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try "#!/bin/sh\ncat >> \"$GOLIVE_STORE/pages.log\"\necho >> \"$GOLIVE_STORE/pages.log\"\n".write(to: scripts.appendingPathComponent("page.sh"), atomically: true, encoding: .utf8)
        chmod(scripts.appendingPathComponent("page.sh").path, 0o755)
        try rollout.write(to: store.directory.appendingPathComponent("rollout.yaml"), atomically: true, encoding: .utf8)
        try Fixtures.adopt(store)
        let t0 = Date()
        let cockpit = Cockpit(store: store, clock: .fixed(t0))
        for item in try store.loadConfig().catalog where item.derivedFromCapabilityField == nil {
            try cockpit.perform(.setItem(id: item.id, status: .passed, note: "checked", evidenceURL: nil), as: Fixtures.actor("alice"))
        }
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let later = t0.addingTimeInterval(5 * 60)
        // Both watchers judged the same state before either wrote (a race): under the lock only one raises.
        let seen = Readiness(config: try store.loadConfig(), state: try store.loadState().state, now: later)
        let due = AlertDetector.dueByTime(seen, who: "alice")
        #expect(due.map(\.kind) == [.decisionOverdue])
        #expect(Cockpit(store: store, clock: .fixed(later)).send(due, config: seen.config, actor: Fixtures.actor("alice")).isEmpty)
        #expect(Cockpit(store: store, clock: .fixed(later)).send(due, config: seen.config, actor: Fixtures.actor("bob")).isEmpty)
        // And a later watch finds it raised already.
        #expect(try Cockpit(store: store, clock: .fixed(later.addingTimeInterval(5))).watch(as: Fixtures.actor("bob")) == false)
        let pages = (try? String(contentsOf: store.directory.appendingPathComponent("pages.log"), encoding: .utf8)) ?? ""
        #expect(pages.components(separatedBy: "\"kind\":\"decision_overdue\"").count - 1 == 1, "\(pages)")
        var raised = 0
        try store.forEachEvent { e in if e.kind == .alertRaised { raised += 1 }; return true }
        #expect(raised == 1)
    }
}
