// Built with the Postgres trait only (see Package.swift).
#if Postgres
import Foundation
import GoLiveCore
import GoLivePostgres
import GoLiveTestSupport
import Testing

/// The insert checks, in the statement that writes, that the lines continue the shared head:
/// under the lock a writer has caught up, so only a row inserted outside golive meanwhile, or a
/// writer that skipped its catch-up, meets this (issue 27).
@Suite(.serialized) struct SharedInsertTests {
    @Test func linesThatDoNotContinueTheHeadAreRefusedAndNothingIsWritten() throws {
        let url = try TestPostgres.sampleRollout("continues")
        let before = try TestPostgres.records(url)
        // On a thread of its own: the store waits on PostgresNIO's async calls, which need the
        // concurrency pool this test runs on (see Blocking).
        let outcomes = Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { done.signal() }
            do {
                let journal = try PostgresJournal.open(try PostgresAddress(url))
                let lines = try journal.records(from: 0)
                guard let last = lines.last.map({ String(decoding: $0, as: UTF8.self) }), let head = Store.head(of: Array(last.utf8)) else {
                    return outcomes.withLock { $0.append("no head") }
                }
                // The next seq, but chained to the record before the head (its prev is the head's own prev).
                let forked = last.replacingOccurrences(of: "\"seq\":\(head.seq),", with: "\"seq\":\(head.seq + 1),")
                // A gap: seq head+2, chained to the head.
                let gap = last.replacingOccurrences(of: "\"seq\":\(head.seq),", with: "\"seq\":\(head.seq + 2),")
                    .replacingOccurrences(of: "\"prev\":\"\(head.prev)\"", with: "\"prev\":\"\(head.hash)\"")
                for line in [forked, gap] {
                    do {
                        try journal.exclusively { tx in try tx.append([Array(line.utf8)]) }
                        outcomes.withLock { $0.append("written") }
                    } catch let e as StoreError {
                        outcomes.withLock { $0.append("\(e)".contains("does not continue the shared journal") ? "refused" : "other: \(e)") }
                    }
                }
            } catch {
                outcomes.withLock { $0.append("error: \(error)") }
            }
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(outcomes.withLock { $0 } == ["refused", "refused"])
        #expect(try TestPostgres.records(url) == before)
    }
}
#endif
