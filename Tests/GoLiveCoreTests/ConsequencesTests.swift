import Foundation
import Testing
@testable import GoLiveCore

/// Finding 7: an approval or a sign-off that a change makes stale is said to the person who made
/// the change, in the outcome both front ends show, not discovered at the next advance.
@Suite struct ConsequencesTests {
    @Test func aCommentThatStalesAnApprovalSaysWhose() throws {
        let store = try TransitionHookTests.store(hook: "exit 0")
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.canary(.enterShadow), as: Fixtures.actor("alice"))
        try cockpit.perform(.canary(.approve(note: "")), as: Fixtures.actor("bob"))
        let comment = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "rerun looked the same", url: nil), as: Fixtures.actor("alice"))
        #expect(comment.consequences.count == 1)
        #expect(comment.consequences.first?.contains("bob's approval of shadow → 1% no longer counts") == true, "\(comment.consequences)")
        // The outcome carries the new readiness: no front end reads the store again to show it.
        #expect(comment.readiness.state.seq == comment.state.seq)
        #expect(CanaryOverview(comment.readiness).approvalsStale == ["bob"])
        // A change that stales nothing says nothing.
        let again = try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "and once more", url: nil), as: Fixtures.actor("alice"))
        #expect(again.consequences.isEmpty)
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
        let after = unsigned(try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "rerun", url: nil), as: Fixtures.actor("alice")).readiness)
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
