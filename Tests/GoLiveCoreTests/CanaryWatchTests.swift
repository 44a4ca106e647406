import Foundation
import Testing
@testable import GoLiveCore

@Suite struct CanaryWatchTests {
    /// Through the real entry point: the change that costs a live canary its gate holds it in the
    /// same append, so no reader ever sees the canary live on a NOT READY gate.
    @Test func aFailingItemAutoHoldsALiveCanaryInTheSameWrite() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        var policy = String(decoding: Fixtures.bytes(store.directory.appendingPathComponent("policy.yaml")), as: UTF8.self)
        policy = policy.replacingOccurrences(of: "auto_hold: false", with: "auto_hold: true")
        try Data(policy.utf8).write(to: store.directory.appendingPathComponent("policy.yaml"))
        try Fixtures.adopt(store)
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let outcome = try cockpit.perform(.setItem(id: "observability.key_spans", status: .failed, note: "spans gone in rc4", evidenceURL: nil),
                                          as: Fixtures.actor("carol"))
        #expect(outcome.events.map(\.kind) == [.itemSet, .canaryHeld])
        #expect(outcome.events[1].data.auto == true && outcome.events[1].actor == "carol")
        #expect(outcome.state.canary.stage == .held && outcome.state.canary.holdReason?.contains("NOT READY: trace_coverage") == true)
        let alerts = CanaryWatch.alerts(try cockpit.readiness())
        #expect(alerts.contains { $0.kind == .notReady && $0.text.contains("trace_coverage") })
        // Nothing more to hold: the watch does not write twice.
        #expect(try cockpit.watch(as: Fixtures.actor("alice")) == false)
    }

    /// Time alone can cost the gate (a waiver expires); the cockpit's watch holds the canary then.
    @Test func theWatchHoldsWhenAWaiverExpires() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let policyURL = store.directory.appendingPathComponent("policy.yaml")
        let policy = String(decoding: Fixtures.bytes(policyURL), as: UTF8.self).replacingOccurrences(of: "auto_hold: false", with: "auto_hold: true")
        try Data((policy + "  waivers:\n    allow_blockers: true\n").utf8).write(to: policyURL)
        try Fixtures.adopt(store)
        let t0 = Date().addingTimeInterval(60)
        let now = Cockpit(store: store, clock: .fixed(t0))
        try now.perform(.setItem(id: "observability.key_spans", status: .failed, note: "one span missing", evidenceURL: nil), as: Fixtures.actor("alice"))
        try now.perform(.waive(id: "observability.key_spans", reason: "span lands in rc4", expires: t0.addingTimeInterval(3600)), as: Fixtures.actor("alice"))
        try now.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        #expect(try now.watch(as: Fixtures.actor("alice")) == false)
        let later = Cockpit(store: store, clock: .fixed(t0.addingTimeInterval(7200)))
        #expect(try later.watch(as: Fixtures.actor("carol")) == true)
        let c = try store.loadState().state.canary
        #expect(c.stage == .held && c.holdAuto && c.holdReason?.contains("NOT READY: trace_coverage") == true)
    }

    @Test func shadowRequiresNamesKnownConditions() throws {
        let text = Policy.sectionNineYAML + "  canary:\n    shadow_requires: [trace_coverage, slo_defind]\n"
        do {
            _ = try PolicyParser.parse(text: text, file: "policy.yaml", knownItems: [])
            Issue.record("accepted an unknown condition")
        } catch let e as ConfigError {
            #expect(e.description.contains("policy.yaml:19:39") && e.description.contains("unknown condition 'slo_defind'"), "\(e)")
            #expect(e.description.contains("slo_defined"))
        }
    }

    @Test func shadowNeedsOnlyWhatThePolicyMarksForIt() throws {
        var sim = try CanarySim()
        sim.setReady(false)
        #expect(sim.act(.enterShadow, by: "alice").refusal?.contains("the gate is NOT READY: trace_coverage") == true)
        sim.config.policy.canary.shadowRequires = ["policy_prechecks"]
        #expect(sim.act(.enterShadow, by: "alice").refusal == nil)
    }
}
