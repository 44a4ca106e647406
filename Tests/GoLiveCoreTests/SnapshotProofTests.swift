import Foundation
import Testing
@testable import GoLiveCore

/// Integrity finding 1: a hand-edited state.json was believed whenever its seq, head and offset
/// matched the journal's end. Now the journal commits to the snapshot's exact bytes.
@Suite(.serialized) struct SnapshotProofTests {
    static let t0 = CanaryPropertyTests.t0

    /// Rewrites state.json's state through `edit`, as someone with write access would (the
    /// header's length of the state made right).
    static func forge(_ store: Store, _ edit: (inout [String: Any]) -> Void) throws {
        var file = try StateFileText.read(store)
        edit(&file.state)
        try file.write(store)
    }

    /// state.json made to say eval_slo.offline_evals passed, in the piece that holds it;
    /// `fixingTable`: and that piece's length and digest in the state's table made to match.
    static func forgePass(_ store: Store, fixingTable: Bool = true) throws {
        var file = try StateFileText.read(store)
        try file.editItem("eval_slo.offline_evals", fixingTable: fixingTable) { $0["status"] = "passed" }
        try file.write(store)
    }

    func cockpit(_ store: Store) -> Cockpit {
        Cockpit(store: store, clock: .fixed(Self.t0), hookRunner: HookRunner { _ in HookResult(outcome: .applied, summary: "", seconds: 0) })
    }

    @Test func forgedApprovalsInStateJsonMoveNoTraffic() throws {
        let store = try CanaryPropertyTests.copyOfTemplate(1)
        let alice = cockpit(store)
        // A real write, so that state.json is one the journal vouches for.
        try alice.perform(.addEvidence(id: "runtime.happy_path", text: "ready", url: nil), as: Fixtures.actor("alice"))
        #expect(try Store(directory: store.directory).loadState().source.hasPrefix("snapshot"))
        let verdict = try alice.gate().0
        try Self.forge(store) { state in
            var canary = state["canary"] as! [String: Any]
            canary["approvals"] = ["bob", "carol"].map { who in
                ["by": who, "role": "safety", "from": "shadow", "to": "1%", "state_sha256": verdict.stateSha256,
                 "policy_sha256": verdict.policySha256, "at": Timestamp.format(Self.t0), "seq": 1, "note": "forged"] as [String: Any]
            }
            state["canary"] = canary
        }
        let loaded = try store.loadState()
        #expect(loaded.source == "rebuilt")
        #expect(loaded.snapshotProblem?.contains("differs from the state the journal committed to") == true, "\(loaded.snapshotProblem ?? "none")")
        #expect(loaded.state.canary.approvals.isEmpty)
        #expect(throws: Refusal.self) { try alice.perform(.canary(.advance(cohort: nil)), as: Fixtures.actor("alice")) }
        #expect(try store.loadState().state.canary.exposurePct == 0)
    }

    @Test func aForgedItemResultDoesNotMoveTheGate() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan"))
        let before = try cockpit.gate().0
        #expect(before.unmet.contains { $0.name == "offline_eval_pass" })
        try Self.forgePass(store)
        let after = try cockpit.gate().0
        #expect(after.unmet.contains { $0.name == "offline_eval_pass" }, "the forged pass counted")
        #expect(after.stateSha256 == before.stateSha256)
    }

    /// The record a snapshot follows is checked against its own hash: forging state.json and the
    /// digest that record commits to, without the record's hash, is caught, not believed.
    @Test func aForgedCommitmentInTheJournalIsNotBelieved() throws {
        try Self.forgedCommitmentIsNotBelieved(try Fixtures.sampleStore())
    }

    /// The same in a rollout of typed names, where no signature covers the record: the record at
    /// the snapshot's position must verify by its own hash (in a signed rollout its signature
    /// fails first, so only this one shows the hash check).
    @Test func aForgedCommitmentInAnUnsignedRolloutIsNotBelieved() throws {
        let store = try Fixtures.store(rollout: Fixtures.smallTeam, policy: Policy.sectionNineYAML)
        #expect(try store.loadConfig().identity == .names)
        try Self.forgedCommitmentIsNotBelieved(store)
    }

    /// A snapshot the journal committed to, then state.json made to say an item passed and the
    /// committing record's digest edited to match it.
    static func forgedCommitmentIsNotBelieved(_ store: Store) throws {
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.setItem(id: "eval_slo.offline_evals", status: .failed, note: "2 of 7 fail", evidenceURL: nil), as: Fixtures.actor("dan"))
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan"))
        // A snapshot made by a record that does not change readiness (so nothing else re-reads
        // that record), with records after it (so it is not the journal's last line either).
        try FileManager.default.removeItem(at: store.snapshotURL)
        try cockpit.openSession(SessionInfo.current(for: Fixtures.actor("dan"), command: "test"), as: Fixtures.actor("dan"))
        let proven = try Data(contentsOf: store.snapshotURL)
        let provenDigest = Digest.sha256Hex(try StateFileText.read(store).stateBytes)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "y", url: nil), as: Fixtures.actor("dan"))
        try proven.write(to: store.snapshotURL)
        #expect(try store.loadState().source.hasPrefix("snapshot+"))
        try Self.forgePass(store)
        let forgedDigest = Digest.sha256Hex(try StateFileText.read(store).stateBytes)
        var journal = try String(contentsOf: store.journalURL, encoding: .utf8)
        let committed = try #require(journal.range(of: "\"state_digest\":\"\(provenDigest)\""))
        journal.replaceSubrange(committed, with: "\"state_digest\":\"\(forgedDigest)\"")
        try journal.write(to: store.journalURL, atomically: false, encoding: .utf8)
        // The journal no longer verifies there: nothing is believed, the forged pass least of all.
        let loaded = try? store.loadState()
        #expect(loaded?.source.hasPrefix("snapshot") != true, "state.json was believed on a record that does not verify")
        #expect(loaded.map { $0.state.item("eval_slo.offline_evals").status != .passed } ?? true, "the forged pass counted")
    }

    @Test func aForgedReadinessHeadIsNotBelieved() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.setItem(id: "runtime.happy_path", status: .passed, note: "x", evidenceURL: nil), as: Fixtures.actor("dan"))
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "y", url: nil), as: Fixtures.actor("dan"))
        let before = try cockpit.gate().0.stateSha256
        try Self.forge(store) { $0["readiness_head"] = String(repeating: "ab", count: 32); $0["readinessHead"] = String(repeating: "ab", count: 32) }
        #expect(try cockpit.gate().0.stateSha256 == before)
    }

    @Test func aProvenSnapshotIsUsedAndTheNextRecordsFoldOntoIt() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "one", url: nil), as: Fixtures.actor("dan"))
        #expect(try Store(directory: store.directory).loadState().source.hasPrefix("snapshot"))
        let proven = try Data(contentsOf: store.snapshotURL)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "two", url: nil), as: Fixtures.actor("dan"))
        let newest = try store.loadState().state
        try proven.write(to: store.snapshotURL)
        let caughtUp = try store.loadState()
        #expect(caughtUp.source == "snapshot+1")
        #expect(caughtUp.state == newest)
    }
}
