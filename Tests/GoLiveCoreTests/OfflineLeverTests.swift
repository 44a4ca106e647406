import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 27, finding 4, at the core: a server that answered when the store was opened and goes
/// silent before the write. Hold and rollback then act on this machine's copy and are kept as
/// pending levers; anything else is refused, and nothing is half-written.
@Suite struct OfflineLeverTests {
    /// A shared journal that serves the records it was given and then takes no write.
    final class SilentServer: SharedJournal, @unchecked Sendable {
        let lines: [[UInt8]]
        init(_ lines: [[UInt8]]) { self.lines = lines }
        var address: String { "postgres://golive@db.example.com:5432/golive?rollout=t" }
        func records(from seq: Int) throws -> [[UInt8]] { lines.filter { (Store.head(of: $0)?.seq ?? 0) >= seq } }
        func exclusively<T>(_ body: (any SharedTransaction) throws -> T) throws -> T {
            throw StoreError.unreachable("cannot reach PostgreSQL at db.example.com:5432 (connection refused)")
        }
        var changeCount: Int { 0 }
        var connectionProblem: String? { nil }
    }

    static func silentStore() throws -> Store {
        let sample = try Fixtures.sampleStore()
        let lines = Store.wholeLines(of: Array(Fixtures.bytes(sample.journalURL)))
        return Store(directory: sample.directory, shared: SilentServer(lines))
    }

    @Test func aLeverWhoseWriteFindsTheServerSilentActsHereAndIsKeptPending() throws {
        let store = try Self.silentStore()
        let before = try store.loadState().state.seq
        let cockpit = Cockpit(store: store)
        // A normal write: refused as the server's silence, nothing written here.
        #expect(throws: StoreError.self) { try cockpit.perform(.setItem(id: "operations.runbook", status: .passed, note: "x", evidenceURL: nil), as: Fixtures.actor("carol")) }
        #expect(try Store(directory: store.directory).loadState().state.seq == before)
        #expect(store.pendingLevers().isEmpty)
        // A lever: acts on the copy, kept to be shared (refused here or not, it is journaled once shared).
        do {
            try cockpit.perform(.canary(.rollback(reason: "the server went silent")), as: Fixtures.actor("alice"))
        } catch is Refusal {}
        #expect(store.offlineReason?.contains("connection refused") == true)
        let pending = store.pendingLevers()
        #expect(pending.count == 1 && pending.first?.action == "rollback" && pending.first?.operatorID == "alice", "\(pending)")
        #expect(try store.loadState().state.seq > before, "the lever is in this machine's copy")
        #expect(Readiness(config: try store.loadConfigForLevers(), state: try store.loadState().state, now: Date()).notCurrent)
    }
}
