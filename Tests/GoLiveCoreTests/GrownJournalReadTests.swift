import Foundation
import Testing
@testable import GoLiveCore

/// A long-lived process (the store agent, the cockpit) reads the state again after each change:
/// when the journal only grew, the records appended since its last read are folded onto the state
/// it holds, through the same judge; the result is always what a fresh reader gets.
@Suite struct GrownJournalReadTests {
    static func fresh(_ store: Store) throws -> RolloutState { try Store(directory: store.directory).loadState().state }

    @Test func anotherWritersRecordsAreFoldedOntoTheStateReadBefore() throws {
        let store = try Fixtures.sampleStore()
        let before = try store.loadState()
        let other = Cockpit(store: Store(directory: store.directory))
        try other.perform(.addEvidence(id: "runtime.happy_path", text: "from another process", url: nil), as: Fixtures.actor("alice"))
        try other.perform(.setItem(id: "observability.key_spans", status: .passed, note: "spans seen", evidenceURL: nil), as: Fixtures.actor("alice"))
        let after = try store.loadState()
        #expect(after.source.hasPrefix("read+"), "\(after.source)")
        #expect(after.state.seq > before.state.seq)
        #expect(after.state == (try Self.fresh(store)))
        #expect(after.state.item("observability.key_spans").status == .passed)
    }

    /// A record appended by hand, unsigned, is refused on the grown read as a fresh read refuses it.
    @Test func aHandAppendedRecordIsJudgedAsAFreshReadJudgesIt() throws {
        let store = try Fixtures.sampleStore()
        let before = try store.loadState().state
        #expect(before.item("eval_slo.offline_evals").status != .passed)
        try Forger.append(store, kind: "item.set", actor: "dan", data: #""item":"eval_slo.offline_evals","note":"","status":"passed""#)
        let after = try store.loadState()
        #expect(after.source.hasPrefix("read+"), "\(after.source)")
        #expect(after.state.item("eval_slo.offline_evals").status == before.item("eval_slo.offline_evals").status)
        #expect(after.state == (try Self.fresh(store)))
    }

    /// The journal cut back and written again (a repair, a copy replaced by the server's): the
    /// records where the last read ended do not continue its chain, so the state is read afresh.
    @Test func aJournalCutBackAndWrittenAgainIsReadAfresh() throws {
        let store = try Fixtures.sampleStore()
        let cutAt = try store.loadState().tail.completeSize
        let cockpit = Cockpit(store: store)
        try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "to be cut", url: nil), as: Fixtures.actor("alice"))
        let read = try store.loadState()
        let size = read.tail.completeSize
        // That write's records go (the file keeps its inode), and others take their place.
        let handle = try FileHandle(forWritingTo: store.journalURL)
        try handle.truncate(atOffset: UInt64(cutAt))
        try handle.close()
        try? FileManager.default.removeItem(at: store.snapshotURL)
        let other = Cockpit(store: Store(directory: store.directory))
        for i in 0..<3 { try other.perform(.addEvidence(id: "runtime.happy_path", text: "written again \(i)", url: nil), as: Fixtures.actor("alice")) }
        #expect(try store.tail().completeSize > size)
        let after = try store.loadState()
        #expect(!after.source.hasPrefix("read+"), "\(after.source)")
        #expect(after.state == (try Self.fresh(store)))
        #expect(!after.state.item("runtime.happy_path").evidence.contains { $0.text == "to be cut" })
    }

    /// A write keeps the state it leaves: the same process's next read is that state, not a read of state.json.
    @Test func aWritersOwnStateIsItsNextRead() throws {
        let store = try Fixtures.sampleStore()
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "mine", url: nil), as: Fixtures.actor("alice"))
        let next = try store.loadState()
        #expect(next.source == "written", "\(next.source)")
        #expect(next.state == (try Self.fresh(store)))
    }
}
