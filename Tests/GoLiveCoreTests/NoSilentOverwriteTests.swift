import Foundation
import Testing
@testable import GoLiveCore

/// Issue 26, point 6: waivers and sign-offs were last writer wins. Two operators waiving one item
/// were both accepted and the later silently replaced the earlier; dan's sign-off landed on top
/// of a blocker failure committed a moment before, and nobody told him.
@Suite struct NoSilentOverwriteTests {
    static let t0 = Date(timeIntervalSince1970: 2_000_000_000)

    static func store() throws -> Store {
        try Fixtures.store(rollout: Fixtures.smallTeam.replacingOccurrences(of: "{id: bob, roles: [safety]}", with: "{id: bob, roles: [safety, captain]}"),
                           policy: Policy.sectionNineYAML + "  approvals:\n    require_signoff: [safety]\n  waivers:\n    allow_blockers: true\n")
    }

    @Test func aWaiverFormBoundToARevisionIsRefusedWhenTheItemMoved() throws {
        let store = try Self.store()
        let c = Cockpit(store: store, clock: .fixed(Self.t0))
        let seen = try store.loadState().state.item("eval_slo.offline_evals").revision
        try c.perform(.waive(id: "eval_slo.offline_evals", reason: "flaky runner", expires: Self.t0.addingTimeInterval(86_400)), as: Fixtures.actor("alice"))
        do {
            try c.perform(.waive(id: "eval_slo.offline_evals", reason: "known issue", expires: Self.t0.addingTimeInterval(3 * 86_400)),
                          as: Fixtures.actor("bob"), expecting: SeenState(itemRevision: seen))
            Issue.record("bob's waiver replaced alice's without him seeing it")
        } catch let r as Refusal {
            #expect(r.reason.contains("changed since you opened this") && r.reason.contains("by alice"), "\(r.reason)")
        }
        #expect(try store.loadState().state.item("eval_slo.offline_evals").waiver?.by == "alice")
    }

    @Test func replacingSomeoneElsesWaiverOrResultSaysWhose() throws {
        let store = try Self.store()
        let c = Cockpit(store: store, clock: .fixed(Self.t0))
        try c.perform(.waive(id: "eval_slo.offline_evals", reason: "flaky runner", expires: Self.t0.addingTimeInterval(86_400)), as: Fixtures.actor("alice"))
        let second = try c.perform(.waive(id: "eval_slo.offline_evals", reason: "known issue", expires: Self.t0.addingTimeInterval(3 * 86_400)), as: Fixtures.actor("bob"))
        #expect(second.consequences.contains { $0.contains("replaces alice's waiver") && $0.contains("flaky runner") }, "\(second.consequences)")
        try c.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("dan"))
        let pass = try c.perform(.setItem(id: "runtime.happy_path", status: .passed, note: "looks fine", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(pass.consequences.contains { $0.contains("replaces dan's result") && $0.contains("failed") && $0.contains("3 of 40 runs fail") }, "\(pass.consequences)")
        // One's own result replaced says nothing.
        let again = try c.perform(.setItem(id: "runtime.happy_path", status: .passed, note: "still fine", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(!again.consequences.contains { $0.contains("replaces") }, "\(again.consequences)")
    }

    @Test func aSignOffFormBoundToTheContourIsRefusedWhenItMoved() throws {
        let store = try Self.store()
        let c = Cockpit(store: store, clock: .fixed(Self.t0))
        let seen = try c.readiness().contourHash(.safety)
        try c.perform(.setItem(id: "safety.prechecks_guardrails", status: .failed, note: "egress guard bypassed", evidenceURL: nil), as: Fixtures.actor("alice"))
        do {
            try c.perform(.signOff(contour: .safety, role: "safety", note: "reviewed"), as: Fixtures.actor("bob"), expecting: SeenState(contourHash: seen))
            Issue.record("a sign-off was made on a contour other than the one shown")
        } catch let r as Refusal {
            #expect(r.reason.contains("changed since you looked") && r.reason.contains("safety.prechecks_guardrails is now failed by alice"), "\(r.reason)")
            #expect(r.code == .changedSinceYouLooked, "a front end acts on the code, not the words")
        }
        #expect(try store.loadState().state.signoffs.isEmpty)
    }

    @Test func aSignOffOverOpenOrFailedBlockersSaysSo() throws {
        let store = try Self.store()
        let c = Cockpit(store: store, clock: .fixed(Self.t0))
        try c.perform(.setItem(id: "safety.prechecks_guardrails", status: .failed, note: "egress guard bypassed", evidenceURL: nil), as: Fixtures.actor("alice"))
        let out = try c.perform(.signOff(contour: .safety, role: "safety", note: "reviewed"), as: Fixtures.actor("bob"))
        #expect(out.consequences.contains { $0.contains("signed off over") && $0.contains("safety.prechecks_guardrails (failed") }, "\(out.consequences)")
    }
}
