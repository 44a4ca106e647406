import Foundation
import Testing
@testable import GoLiveCore

/// Finding 7: an approval or a sign-off that a change makes stale is said to the person who made
/// the change, in the outcome both front ends show, not discovered at the next advance.
@Suite struct ConsequencesTests {
    /// Issue 26, finding 5: carol's note on an unrelated, passed item made bob's approval stale.
    /// An approval binds to the verdict's inputs: a note leaves it standing, a failure does not.
    @Test func aNoteLeavesAnApprovalStandingAndAFailureStalesItSayingWhose() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        let note = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "rerun looked the same", url: nil), as: Fixtures.actor("alice"))
        #expect(note.consequences.isEmpty, "\(note.consequences)")
        #expect(CanaryOverview(note.readiness).approvalsStale.isEmpty)
        #expect(CanaryOverview(note.readiness).approvalsFresh == ["bob"])
        let failure = try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "3 of 40 runs fail", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(failure.consequences.contains { $0.contains("bob's approval of shadow → 1% no longer counts") }, "\(failure.consequences)")
        // The outcome carries the new readiness: no front end reads the store again to show it.
        #expect(failure.readiness.state.seq == failure.state.seq)
        #expect(CanaryOverview(failure.readiness).approvalsStale == ["bob"])
        // A change that stales nothing says nothing.
        let again = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "and once more", url: nil), as: Fixtures.actor("alice"))
        #expect(again.consequences.isEmpty)
    }

    /// An approval confirmed on a screen binds to the state that screen showed.
    @Test func anApprovalShownOnOneStateIsRefusedOnAnother() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        let shown = try cockpit.gate().0.stateSha256
        try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "broke", evidenceURL: nil), as: Fixtures.actor("alice"))
        var seen = SeenState(stage: "shadow")
        seen.verdictState = shown
        do {
            try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"), expecting: seen)
            Issue.record("an approval of a state no longer there was signed")
        } catch let r as Refusal {
            #expect(r.reason.contains("changed since you looked") && r.reason.contains("the state an approval binds to"), "\(r.reason)")
        }
        #expect(try store.loadState().state.canary.approvals.isEmpty)
    }

    /// A note is an input of the verdict only where it makes a sign-off the gate requires stale.
    @Test func aNoteMovesTheVerdictsInputsOnlyThroughARequiredSignOff() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        let start = try cockpit.gate().0.stateSha256
        let r = try cockpit.readiness()
        #expect(r.config.policy.approvals.requireSignoff == [.safety] && r.signoffStanding(.safety) == .fresh)
        try cockpit.perform(.addEvidence(id: "operations.alerting", text: "pager test at 14:02", url: nil), as: Fixtures.actor("carol"))
        #expect(try cockpit.gate().0.stateSha256 == start, "a note on an unrelated item moved what approvals bind to")
        try cockpit.perform(.addEvidence(id: "safety.no_gateway_bypass", text: "rescan", url: nil), as: Fixtures.actor("bob"))
        #expect(try cockpit.gate().0.stateSha256 != start, "the required safety sign-off went stale: an input changed")
    }

    /// A write keeps the items it was decided on only when Consequences says it reads them: an
    /// approval of the next increase is judged on the gate before the change, sign-offs or not.
    @Test func theItemsBeforeAWriteAreReadWhenAnApprovalIsJudgedOnThem() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        // Without its sign-offs, so that only the approval can make Consequences read the items.
        func unsigned(_ r: Readiness) -> Readiness {
            var s = r.state
            s.signoffs = []
            return Readiness(config: r.config, state: s, now: r.now)
        }
        let before = unsigned(try cockpit.readiness())
        let after = unsigned(try cockpit.perform(.setItem(id: "runtime.happy_path", status: .failed, note: "rerun failed", evidenceURL: nil), as: Fixtures.actor("alice")).readiness)
        let said = Consequences.of(before: before, after: after)
        #expect(said.contains { $0.contains("bob's approval of shadow → 1% no longer counts") }, "\(said)")
        #expect(Consequences.readsItems(before: before.state, config: before.config))
    }

    @Test func aChangeThatStalesASignOffSaysWhose() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store, clock: .fixed(DecisionGuardTests.now))
        let r = try cockpit.readiness()
        let signed = try #require(Contour.allCases.first { r.signoffStanding($0) == .fresh })
        let item = try #require(r.config.items(in: signed).first { $0.derivedFromCapabilityField == nil })
        let signer = try #require(r.signoffs(for: signed).first?.0)
        let outcome = try cockpit.perform(.setItem(id: item.id, status: .failed, note: "broke in staging", evidenceURL: nil), as: Fixtures.actor("alice"))
        #expect(outcome.consequences.contains { $0.contains("the sign-off of \(signed.title) by \(signer.by)") && $0.contains("is now stale") },
                "\(outcome.consequences)")
    }
}
