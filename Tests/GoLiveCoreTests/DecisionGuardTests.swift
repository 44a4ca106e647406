import Foundation
import Testing
@testable import GoLiveCore

/// One test for each rule of a decision that no other test pins down: remove the rule and its test
/// fails (scripts/mutation-check.py removes each one in turn).
@Suite struct DecisionGuardTests {
    static let now = Date(timeIntervalSince1970: 2_000_000_000)

    func refusal(_ cockpit: Cockpit, _ command: Command, as op: String) throws -> String? {
        do {
            try cockpit.perform(command, as: Fixtures.actor(op))
            return nil
        } catch let r as Refusal {
            return r.reason
        }
    }

    // MARK: waivers

    @Test func aWaiverMayNotOutlastThePolicysMaximum() throws {
        let cockpit = Cockpit(store: try Fixtures.sampleStore(), clock: .fixed(Self.now))
        let tooLong = Self.now.addingTimeInterval(31 * 86_400)
        let why = try refusal(cockpit, .waive(id: "operations.runbook", reason: "later", expires: tooLong), as: "alice")
        #expect(why?.contains("at most 30 days (waivers.max_days)") == true, "\(why ?? "accepted")")
        #expect(try refusal(cockpit, .waive(id: "operations.runbook", reason: "later", expires: Self.now.addingTimeInterval(29 * 86_400)), as: "alice") == nil)
    }

    @Test func aWaiverMustExpireInTheFuture() throws {
        let cockpit = Cockpit(store: try Fixtures.sampleStore(), clock: .fixed(Self.now))
        let why = try refusal(cockpit, .waive(id: "operations.runbook", reason: "later", expires: Self.now.addingTimeInterval(-60)), as: "alice")
        #expect(why?.contains("is not in the future") == true, "\(why ?? "accepted")")
    }

    // MARK: evidence

    @Test func evidenceIsAddedOnlyByTheItemsOwnerRoleOrTheItemRoles() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store, clock: .fixed(Self.now))
        let owner = try #require(try store.loadConfig().item("observability.trace_id")?.owner)
        let outsider = try #require(try store.loadConfig().team.first { !$0.roles.contains(owner) && !$0.roles.contains("captain") })
        let why = try refusal(cockpit, .addEvidence(id: "observability.trace_id", text: "looks fine", url: nil), as: outsider.id)
        #expect(why?.contains("cannot add evidence to observability.trace_id") == true, "\(why ?? "accepted")")
        #expect(try refusal(cockpit, .addEvidence(id: "observability.trace_id", text: "dashboards", url: nil), as: "alice") == nil)
    }

    // MARK: the canary (in memory: the engine decides)

    @Test func anAdvanceMustIncreaseExposure() throws {
        var sim = try CanarySim()
        sim.reach("1%")
        sim.act(.approve(note: ""), by: "bob")
        // At 1% the cohort is t-small and t-mid (0.9%); t-small alone (0.4%) would shrink it.
        let result = sim.act(.advance(cohort: ["t-small"]), by: "alice")
        #expect(result.refusal?.contains("an advance must increase exposure") == true, "\(result)")
    }

    @Test func completingNeedsAReadyGate() throws {
        var sim = try CanarySim()
        sim.reach("5%")
        sim.setReady(false)
        let result = sim.act(.complete, by: "alice")
        #expect(result.refusal?.contains("cannot complete: the gate is NOT READY") == true, "\(result)")
    }

    @Test func approvingNeedsAReadyGate() throws {
        var sim = try CanarySim()
        sim.reach("shadow")
        sim.setReady(false)
        let result = sim.act(.approve(note: ""), by: "bob")
        #expect(result.refusal?.contains("could never be used") == true, "\(result)")
    }

    /// In shadow with the minimum served and bob's approval of shadow → 1%: alice's advance would go.
    func approvedInShadow() throws -> CanarySim {
        var sim = try CanarySim()
        sim.reach("shadow")
        sim.now += 61 * 60
        sim.act(.approve(note: ""), by: "bob")
        return sim
    }

    @Test func withNothingChangedTheApprovalCounts() throws {
        var sim = try approvedInShadow()
        #expect(sim.act(.advance(cohort: nil), by: "alice").refusal == nil)
        #expect(sim.canary.exposurePct > 0)
    }

    @Test func anApprovalLapsesWhenTheApproverLosesTheRole() throws {
        var sim = try approvedInShadow()
        let i = try #require(sim.config.team.firstIndex { $0.id == "bob" })
        sim.config.team[i].roles = ["eval"]
        let result = sim.act(.advance(cohort: nil), by: "alice")
        #expect(result.refusal?.contains("needs approvals from 2 distinct operators") == true, "\(result)")
        #expect(result.refusal?.contains("stale") == true, "bob's approval should be named stale: \(result)")
    }

    @Test func anApprovalLapsesWhenThePolicyChanges() throws {
        var sim = try approvedInShadow()
        sim.config.policy.sha256 = Digest.sha256Hex(Array("another policy".utf8))
        let result = sim.act(.advance(cohort: nil), by: "alice")
        #expect(result.refusal?.contains("stale (the state changed since): bob") == true, "\(result)")
    }
}
