import Foundation
import GoLiveTestSupport
import Testing
@testable import GoLiveCore

/// Issue 30: a write at 8,000 items read the adoption in force (a megabyte of rollout.yaml's text)
/// by bisecting the journal, crossing that record several times, then read it again, and decoded
/// its kept parse twice. state.json's header now says where the adoption lies, and the adoption is
/// judged on another core while the state's items are read. Neither may be believed blindly.
@Suite(.serialized) struct AdoptionHintTests {
    /// What a new process knows: nothing remembered of this store's adoptions or parses.
    static func freshView(of store: Store) -> Store {
        Store.trustedAdoptions.withLock { $0.removeAll() }
        RolloutConfigParser.forgetParses()
        return Store(directory: store.directory)
    }

    static func header(_ store: Store) throws -> (line: [String: Any], rest: Data) {
        let data = try Data(contentsOf: store.snapshotURL)
        let newline = try #require(data.firstIndex(of: 0x0a))
        let line = try #require(try JSONSerialization.jsonObject(with: data[..<newline]) as? [String: Any])
        return (line, data[newline...])
    }

    static func rewriteHint(_ store: Store, _ hint: Any) throws {
        var (line, rest) = try header(store)
        line["hint_adoption"] = hint
        try (try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) + rest).write(to: store.snapshotURL)
    }

    /// Where each line of the journal starts, by seq.
    static func lineStarts(_ store: Store) throws -> [Int: Int] {
        let bytes = [UInt8](try Data(contentsOf: store.journalURL))
        var starts: [Int: Int] = [:], at = 0
        while at < bytes.count {
            let end = bytes[at...].firstIndex(of: 0x0a) ?? bytes.count
            if let seq = JournalIndex.seq(atStartOf: bytes[at..<end]) { starts[seq] = at }
            at = end + 1
        }
        return starts
    }

    /// The sample after one write (state.json made), as a new process reads it: the truth, the
    /// adoption in force, where its record starts and the journal's bytes.
    static func afterOneWrite() throws -> (store: Store, truth: Store.Loaded, adopted: AdoptedConfig, start: Int, bytes: [UInt8]) {
        let store = try Fixtures.sampleStore()
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "one", url: nil), as: Fixtures.actor("dan"))
        let truth = try freshView(of: store).loadState()
        // Read whole now: the tests below rewrite state.json in place, and a piece read after that
        // would (rightly) not be believed.
        try truth.state.items.readAll()
        let adopted = try #require(truth.state.adoptedConfig)
        let start = try #require(try lineStarts(store)[adopted.seq])
        return (store, truth, adopted, start, [UInt8](try Data(contentsOf: store.journalURL)))
    }

    @Test func theSnapshotSaysWhereTheAdoptionInForceLies() throws {
        let (store, _, adopted, start, bytes) = try Self.afterOneWrite()
        let hint = try #require(try Self.header(store).line["hint_adoption"] as? [Int])
        let length = try #require(bytes[start...].firstIndex(of: 0x0a)) - start
        #expect(hint == [adopted.seq, start, length])
    }

    /// A wrong length in the hint is no harm: the record is read as any other, whole.
    @Test func aWrongAdoptionLengthCostsAReadAndNothingElse() throws {
        let (store, truth, adopted, start, bytes) = try Self.afterOneWrite()
        let length = try #require(bytes[start...].firstIndex(of: 0x0a)) - start
        let next = try #require(bytes[(start + length + 1)...].firstIndex(of: 0x0a)) - start
        // Short of its end, past it, to the end of the next record, beyond the journal.
        for wrong in [length - 1, length + 1, next, bytes.count * 2] {
            try Self.rewriteHint(store, [adopted.seq, start, wrong])
            let fresh = Self.freshView(of: store)
            let loaded = try fresh.loadState()
            #expect(loaded.source.hasPrefix("snapshot"), "length \(wrong): \(loaded.snapshotProblem ?? loaded.source)")
            #expect(loaded.state == truth.state)
            #expect(fresh.knownLengths.withLock { $0[adopted.seq] } == length, "the record was read whole")
        }
    }

    @Test func aWrongAdoptionHintCostsTheBisectionAndNothingElse() throws {
        let (store, truth, adopted, right, bytes) = try Self.afterOneWrite()
        #expect(truth.source.hasPrefix("snapshot"))
        let other = try #require(try Self.lineStarts(store)[adopted.seq + 1])
        let size = bytes.count
        // Another record, the middle of the adoption record, past the end.
        for wrong in [other, right + 1, size + 100] {
            try Self.rewriteHint(store, [adopted.seq, wrong])
            let fresh = Self.freshView(of: store)
            let loaded = try fresh.loadState()
            #expect(loaded.source.hasPrefix("snapshot"), "hint \(wrong): \(loaded.snapshotProblem ?? loaded.source)")
            #expect(loaded.state == truth.state)
            #expect(fresh.knownOffsets.withLock { $0[adopted.seq] } == right, "the adoption was found where it is")
        }
        // A hint that does not read as one is no hint; state.json is still proven and used.
        for garbage: Any in ["x", [adopted.seq], [-1, -5], [adopted.seq, right, 7], ["a": 1]] {
            try Self.rewriteHint(store, garbage)
            let loaded = try Self.freshView(of: store).loadState()
            #expect(loaded.source.hasPrefix("snapshot"), "hint \(garbage): \(loaded.snapshotProblem ?? loaded.source)")
            #expect(loaded.state == truth.state)
        }
    }

    /// The adoption judged on the other core counts only for the state that names it.
    @Test func anAdoptionJudgedForAnotherStateIsNotUsed() throws {
        let store = try Fixtures.sampleStore()
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "one", url: nil), as: Fixtures.actor("dan"))
        let state = try store.loadState().state
        let adopted = try #require(state.adoptedConfig)
        var elsewhere = adopted
        elsewhere.seq = 999_999
        let wrongJudgement = Store.AdoptionJudgement(elsewhere, in: store)
        guard case .failure = wrongJudgement.config else { Issue.record("an adoption at seq 999999 was found"); return }
        let line = try #require(try store.lines(seqs: [state.seq]).first?.line)[...]
        let event = try line.withUnsafeBufferPointer { try EventDecoder.decode($0) }
        #expect(store.commitmentProblem(event, line: line, state: state, judged: wrongJudgement) == nil)
        #expect(store.commitmentProblem(event, line: line, state: state, judged: Store.AdoptionJudgement(adopted, in: store)) == nil)
    }
    /// A long-lived reader (the store agent, a cockpit) trusts an adoption it judged only while the
    /// journal holds that very record: one rewritten under it (here by someone who is no captain,
    /// its hash made anew, every byte count the same) is judged again, and refused.
    @Test func anAdoptionRecordRewrittenUnderALongLivedReaderIsJudgedAgain() throws {
        var (store, first, adopted, start, bytes) = try Self.afterOneWrite()
        #expect(first.source.hasPrefix("snapshot"))
        let end = try #require(bytes[start...].firstIndex(of: 0x0a))
        var line = Array(bytes[start..<end])
        let actor = Array(#""actor":"\#(adopted.by)""#.utf8), forged = Array(#""actor":"\#(String(repeating: "z", count: adopted.by.count))""#.utf8)
        let at = try #require((0...(line.count - actor.count)).first { Array(line[$0..<($0 + actor.count)]) == actor })
        line.replaceSubrange(at..<(at + actor.count), with: forged)
        let body = line[..<(line.count - Journal.suffixLength)]
        line = Array(body) + Journal.hashMarker + Array(Digest.sha256Hex(Array(body)).utf8) + Array(#""}"#.utf8)
        bytes.replaceSubrange(start..<end, with: line)
        try Data(bytes).write(to: store.journalURL)
        // Another read in this same process (its adoptions remembered, as an agent's are).
        let again = try Store(directory: store.directory).loadState()
        #expect(!again.source.hasPrefix("snapshot"), "the rewritten adoption was trusted: \(again.source)")
        // (The sample is signed: the rewritten record's signature no longer covers it either.)
        #expect(again.snapshotProblem?.contains("the adoption at seq \(adopted.seq)") == true, "\(again.snapshotProblem ?? "no problem said")")
    }
}
