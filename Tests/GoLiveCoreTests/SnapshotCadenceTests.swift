import Foundation
import Testing
@testable import GoLiveCore

/// Issue 14: a write re-encoded and rewrote the whole state every time. The snapshot is now
/// refreshed every `snapshotEveryRecords` records (or bytes), and a read folds at most that much.
@Suite struct SnapshotCadenceTests {
    @Test func theSnapshotIsRefreshedOnCadenceAndNeverFallsFarBehind() throws {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        var refreshed = 0
        var lastSeen = store.snapshotSeq()
        let start = try store.loadState().state.seq
        for i in 0..<150 {
            try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "run \(i)", url: nil), as: Fixtures.actor("alice"))
            // As another process reads it: this store keeps the state its own write left.
            let loaded = try Store(directory: store.directory).loadState()
            let behind = loaded.state.seq - (store.snapshotSeq() ?? 0)
            #expect(behind < Store.snapshotEveryRecords + 8, "the snapshot is \(behind) records behind")
            #expect(loaded.source.hasPrefix("snapshot"), "\(loaded.source)")
            if store.snapshotSeq() != lastSeen { refreshed += 1; lastSeen = store.snapshotSeq() }
        }
        // About one snapshot per 64 records written: neither every write nor never.
        let written = try store.loadState().state.seq - start
        let expected = written / Store.snapshotEveryRecords
        #expect(refreshed >= max(1, expected - 1) && refreshed <= expected + 2, "\(written) records, refreshed \(refreshed) times")
        // What the snapshot plus the fold gives is exactly what a rebuild gives.
        let fromSnapshot = try store.loadState().state
        try FileManager.default.removeItem(at: store.snapshotURL)
        #expect(try store.loadState().state == fromSnapshot)
    }
}

/// A command that reads the state twice (the gate, then recording it) reads it once; another
/// process's write, or an edit of state.json, is seen at the next read all the same.
@Suite struct LoadedStateReuseTests {
    @Test func anotherWritersChangeIsSeenByTheNextRead() throws {
        let store = try Fixtures.sampleStore()
        let before = try store.loadState()
        #expect(try store.loadState().state == before.state)
        let other = Store(directory: store.directory)
        try Cockpit(store: other).perform(.addEvidence(id: "runtime.happy_path", text: "from elsewhere", url: nil), as: Fixtures.actor("alice"))
        let after = try store.loadState()
        #expect(after.state.seq == before.state.seq + 1)
        #expect(after.state.item("runtime.happy_path").evidence.last?.text == "from elsewhere")
    }
}
