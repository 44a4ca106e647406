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
        let journal = try PostgresJournal.open(try PostgresAddress(url))
        let lines = try journal.records(from: 0)
        let last = try #require(lines.last.map { String(decoding: $0, as: UTF8.self) })
        let head = try #require(Store.head(of: Array(last.utf8)))
        let before = try TestPostgres.records(url)
        // The next seq, but chained to the record before the head (its prev is the head's own prev).
        let forked = last.replacingOccurrences(of: "\"seq\":\(head.seq),", with: "\"seq\":\(head.seq + 1),")
        // A gap: seq head+2.
        let gap = last.replacingOccurrences(of: "\"seq\":\(head.seq),", with: "\"seq\":\(head.seq + 2),")
            .replacingOccurrences(of: "\"prev\":\"\(head.prev)\"", with: "\"prev\":\"\(head.hash)\"")
        for line in [forked, gap] {
            #expect(throws: StoreError.self) {
                try journal.exclusively { tx in try tx.append([Array(line.utf8)]) }
            }
        }
        #expect(try TestPostgres.records(url) == before)
    }
}
#endif
