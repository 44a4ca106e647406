import Foundation
import Testing
@testable import GoLiveCore

/// A long fold reads and prepares its next batch on another thread while it judges this one
/// (issue 30), and `audit verify` checks the chain inside that fold. Whatever the batches, the
/// state, what is refused and the chain's report are those of one thread reading line by line.
@Suite struct FoldPipelineTests {
    /// A store with a few writes, then `spoil` done to its journal.
    static func journal(_ spoil: (Store) throws -> Void) throws -> Store {
        let store = try Fixtures.sampleStore()
        let cockpit = Cockpit(store: store)
        for i in 0..<4 {
            try cockpit.perform(.addEvidence(id: "runtime.happy_path", text: "run \(i)", url: nil), as: Fixtures.actor("alice"))
        }
        try spoil(store)
        return store
    }

    /// The journal folded in batches of every small size, each prepared on the other thread,
    /// against one batch on this thread; and the chain against `JournalVerifier`'s.
    static func expectSameEveryWay(_ store: Store, sourceLocation: SourceLocation = #_sourceLocation) throws -> (state: RolloutState, chain: VerifyReport) {
        let one = try Store.judgedRebuildAndChain(of: store.journalURL, observe: nil, batchSize: FoldBatch.size, threadFrom: .max)
        #expect(one.chain == (try JournalVerifier.verify(fileAt: store.journalURL)), sourceLocation: sourceLocation)
        for size in [1, 2, 3, 5, 8] {
            var seen: [Int] = []
            let two = try Store.judgedRebuildAndChain(of: store.journalURL, observe: { e, _ in seen.append(e.seq) }, batchSize: size, threadFrom: 0)
            #expect(two.state == one.state, "batches of \(size)", sourceLocation: sourceLocation)
            #expect(two.state.refused == one.state.refused, "batches of \(size)", sourceLocation: sourceLocation)
            #expect(two.chain == one.chain, "batches of \(size)", sourceLocation: sourceLocation)
            #expect(seen == seen.sorted() && Set(seen).count == seen.count, "records heard in order, once", sourceLocation: sourceLocation)
        }
        return one
    }

    @Test func anIntactJournalFoldsTheSameOnTwoThreads() throws {
        let store = try Self.journal { _ in }
        let folded = try Self.expectSameEveryWay(store)
        #expect(folded.chain.ok && folded.state.refused.isEmpty)
        #expect(folded.state.seq == ChainGuardTests.lines(store.journalURL).count)
    }

    @Test func aHandAppendedRecordIsRefusedTheSameOnTwoThreads() throws {
        let store = try Self.journal { store in
            try Forger.append(store, kind: "item.set", actor: "dan", data: #""item":"eval_slo.offline_evals","note":"","status":"passed""#)
        }
        let folded = try Self.expectSameEveryWay(store)
        #expect(folded.chain.ok, "the chain is intact: the judge refuses it")
        #expect(folded.state.refused.count == 1)
    }

    @Test func anAlteredLineBreaksTheChainWhereItStands() throws {
        let store = try Self.journal { store in
            var lines = ChainGuardTests.lines(store.journalURL)
            lines[5] = lines[5].replacingOccurrences(of: #""actor":""#, with: #""actor":"x"#)
            try ChainGuardTests.write(lines, to: store.journalURL)
        }
        let folded = try Self.expectSameEveryWay(store)
        #expect(folded.chain.problem?.line == 6)
        #expect(folded.chain.problem?.message.contains("was altered") == true, "\(folded.chain.problem?.message ?? "")")
        #expect(folded.chain.lines == 5)
    }

    @Test func aLineThatIsNoRecordAndATornTailAreFoundTheSameWay() throws {
        let notARecord = try Self.journal { store in
            var lines = ChainGuardTests.lines(store.journalURL)
            lines.insert("not a record", at: 3)
            try ChainGuardTests.write(lines, to: store.journalURL)
        }
        #expect(try Self.expectSameEveryWay(notARecord).chain.problem?.message.contains("line 4 is not a journal record") == true)
        let torn = try Self.journal { store in
            let handle = try FileHandle(forWritingTo: store.journalURL)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"v":2,"seq":99"#.utf8))
            try handle.close()
        }
        let folded = try Self.expectSameEveryWay(torn)
        #expect(folded.chain.problem?.message.contains("is incomplete (a torn write of 15 bytes") == true, "\(folded.chain.problem?.message ?? "")")
    }

    /// A record chained and hashed whose body names another seq than its header: the header is
    /// what the chain was checked on, so the judge refuses it, on either thread.
    @Test func aRecordWhoseFieldsDisagreeWithItsHeaderIsRefused() throws {
        let store = try Self.journal { store in
            let line = try Forger.append(store, kind: "session.ended", actor: "alice", data: #""reason":"completed""#)
            var lines = ChainGuardTests.lines(store.journalURL)
            let body = Array(line.utf8.dropLast(75)) + Array(#","seq":4242"#.utf8)
            lines[lines.count - 1] = String(decoding: body, as: UTF8.self) + #","hash":"\#(Digest.sha256Hex(body))"}"#
            try ChainGuardTests.write(lines, to: store.journalURL)
        }
        let folded = try Self.expectSameEveryWay(store)
        #expect(folded.chain.ok, "its header continues the chain")
        #expect(folded.state.refused.map(\.reason) == ["its fields disagree with its header"], "\(folded.state.refused.map(\.reason))")
    }
    /// A line whose last bytes have a hash's length but another field's name is no record: its
    /// end is not read as its hash (it would be "altered", and its seq would hold a place).
    @Test func aLineEndingInAnotherFieldThanItsHashIsNoRecord() throws {
        let store = try Self.journal { store in
            var lines = ChainGuardTests.lines(store.journalURL)
            lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: #","hash":""#, with: #","hasx":""#)
            try ChainGuardTests.write(lines, to: store.journalURL)
        }
        let folded = try Self.expectSameEveryWay(store)
        let last = ChainGuardTests.lines(store.journalURL).count
        #expect(folded.chain.problem?.message == "line \(last) is not a journal record (its header or hash field is malformed)", "\(folded.chain.problem?.message ?? "")")
        #expect(folded.state.refused.last?.reason.hasPrefix("not a journal record") == true, "\(folded.state.refused.map(\.reason))")
    }
}
