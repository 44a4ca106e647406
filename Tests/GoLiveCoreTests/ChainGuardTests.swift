import Foundation
import Testing
@testable import GoLiveCore

/// Forgeries that get past every check but one, one test per check: an attacker who re-hashes
/// what they change (each line's own hash is then right), rewrites the trailer, or re-chains the
/// whole file. Each test fails if its one check is removed (scripts/mutation-check.py does that).
@Suite struct ChainGuardTests {
    /// Recomputes a line's hash over its bytes before `,"hash":"`, as a forger with the format would.
    static func reseal(_ line: String) -> String {
        let body = String(line[..<line.range(of: #","hash":""#, options: .backwards)!.lowerBound])
        return body + #","hash":""# + Digest.sha256Hex(Array(body.utf8)) + #""}"#
    }

    static func hash(of line: String) -> String { String(line.suffix(66).prefix(64)) }

    /// The `prev` a line names.
    static func prev(of line: String) -> String {
        let start = line.range(of: #""prev":""#)!.upperBound
        return String(line[start...].prefix(64))
    }

    static func setPrev(_ line: String, _ prev: String) -> String {
        let start = line.range(of: #""prev":""#)!.upperBound
        let end = line.index(start, offsetBy: 64)
        return reseal(line.replacingCharacters(in: start..<end, with: prev))
    }

    /// Re-links every record to the one before it, starting from `first`.
    static func rechain(_ records: [String], from first: String) -> [String] {
        var prev = first
        return records.map { line in
            let linked = setPrev(line, prev)
            prev = hash(of: linked)
            return linked
        }
    }

    static func lines(_ url: URL) -> [String] {
        String(decoding: Fixtures.bytes(url), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], to url: URL) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    }

    // MARK: the journal

    @Test func aRecordThatLinksToTheWrongPredecessorIsNamedByTheVerifier() throws {
        let store = try Fixtures.sampleStore()
        var journal = Self.lines(store.journalURL)
        // Line 10 re-hashed so its own hash is right, but pointing at line 8: only the link is wrong.
        journal[9] = Self.setPrev(journal[9], Self.hash(of: journal[7]))
        try Self.write(journal, to: store.journalURL)
        let report = try JournalVerifier.verify(fileAt: store.journalURL)
        #expect(report.problem?.line == 10)
        #expect(report.problem?.message.contains("does not link to the previous record") == true, "\(report.problem?.message ?? "ok")")
    }

    @Test func stateIsNeverFoldedFromABrokenChain() throws {
        let store = try Fixtures.sampleStore()
        var journal = Self.lines(store.journalURL)
        journal[9] = Self.setPrev(journal[9], Self.hash(of: journal[7]))
        try Self.write(journal, to: store.journalURL)
        try? FileManager.default.removeItem(at: store.snapshotURL)
        // The unlinked record is refused where it stands: never folded, the store UNTRUSTED at it.
        let state = try store.loadState().state
        #expect(state.refused.first?.seq == 10 && state.refused[0].reason.contains("does not continue the chain"), "\(state.refused)")
        let ten = try EventDecoder.decode(Data(journal[9].utf8))
        if let item = ten.data.item { #expect(state.items[item]?.revision != 10, "seq 10 was folded") }
        #expect(Readiness(config: try store.loadConfig(), state: state, now: Date()).untrustedReason?.contains("UNTRUSTED from seq 10") == true)
    }

    // MARK: exports

    func export(_ store: Store) throws -> URL {
        let url = Fixtures.tempDir("export").appendingPathComponent("export.jsonl")
        _ = try AuditExporter.export(store: store, format: .jsonl, filter: ExportFilter(), toFile: url, now: Date())
        return url
    }

    /// Header, records, trailer; the trailer recomputed for the records as a forger would.
    static func forge(_ url: URL, header: (String) -> String = { $0 }, records change: ([String]) -> [String]) throws {
        let all = lines(url)
        let records = change(Array(all.dropFirst().dropLast()))
        var hasher = StreamingSHA256()
        var ranges = SeqRanges()
        for line in records {
            hasher.update(Array(line.utf8) + [0x0a])
            ranges.add(Int(line.split(separator: ",")[1].dropFirst(6))!)
        }
        let trailer = all.last!
            .replacingOccurrences(of: #""records":\d+"#, with: "\"records\":\(records.count)", options: .regularExpression)
            .replacingOccurrences(of: #""seqs":"[^"]*""#, with: "\"seqs\":\"\(ranges.text)\"", options: .regularExpression)
            .replacingOccurrences(of: #""records_sha256":"[0-9a-f]{64}""#, with: "\"records_sha256\":\"\(hasher.finalizeHex())\"", options: .regularExpression)
        try write([header(all[0])] + records + [trailer], to: url)
    }

    @Test func anExportWithABrokenLinkFailsEvenWithARewrittenTrailer() throws {
        let url = try export(try Fixtures.sampleStore())
        try Self.forge(url) { records in
            var r = records
            r[9] = Self.setPrev(r[9], Self.hash(of: r[7]))
            return r
        }
        let report = try ExportVerifier.verify(fileAt: url)
        #expect(report.problem?.message.contains("does not link to seq 9") == true, "\(report.problem?.message ?? "ok")")
    }

    @Test func aFullExportMustStartTheChain() throws {
        let url = try export(try Fixtures.sampleStore())
        let other = String(repeating: "ab", count: 32)
        var newHead = ""
        try Self.forge(url, header: { h in
            h.replacingOccurrences(of: #""journal_head":"[0-9a-f]{64}""#, with: "\"journal_head\":\"\(newHead)\"", options: .regularExpression)
        }) { records in
            let chained = Self.rechain(records, from: other)
            newHead = Self.hash(of: chained.last!)
            return chained
        }
        let report = try ExportVerifier.verify(fileAt: url)
        #expect(report.problem?.message.contains("does not start the chain") == true, "\(report.problem?.message ?? "ok")")
    }

    @Test func aFullExportMustReachTheHeadItNames() throws {
        let url = try export(try Fixtures.sampleStore())
        try Self.forge(url) { Array($0.dropLast(3)) }
        let report = try ExportVerifier.verify(fileAt: url)
        #expect(report.problem?.message.contains("not at the journal head the header names") == true, "\(report.problem?.message ?? "ok")")
    }

    @Test func theTrailersDigestMustMatchTheRecords() throws {
        let url = try export(try Fixtures.sampleStore())
        var all = Self.lines(url)
        all[all.count - 1] = all.last!.replacingOccurrences(of: #""records_sha256":"[0-9a-f]{64}""#,
                                                            with: "\"records_sha256\":\"\(String(repeating: "0", count: 64))\"", options: .regularExpression)
        try Self.write(all, to: url)
        let report = try ExportVerifier.verify(fileAt: url)
        #expect(report.problem?.message.contains("digest does not match") == true, "\(report.problem?.message ?? "ok")")
    }

    @Test func aSignatureThatDoesNotVerifyIsRejected() throws {
        let store = try Fixtures.sampleStore()
        let url = try export(store)
        let keys = Fixtures.tempDir("keys")
        let (privateKey, publicKey) = try AuditSigning.keygen(prefix: keys.appendingPathComponent("audit"))
        let sig = try AuditSigning.sign(export: url, chainHead: try store.tail().last!.hash, keyFile: privateKey)
        #expect(try AuditSigning.check(export: url, publicKeyFile: publicKey) == nil)
        // The same key and the same export digest, but one bit of the signature flipped.
        var file = try JSONSerialization.jsonObject(with: Fixtures.bytes(sig)) as! [String: Any]
        var raw = Data(base64Encoded: file["signature"] as! String)!
        raw[0] ^= 0x01
        file["signature"] = raw.base64EncodedString()
        try JSONSerialization.data(withJSONObject: file).write(to: sig)
        #expect(try AuditSigning.check(export: url, publicKeyFile: publicKey)?.contains("does not verify") == true)
    }
}

@Suite struct FoldIntegrityTests {
    /// Integrity finding 2: a line appended with the right seq and prev but an all-zero hash, which
    /// passes offline_evals, changed the gate and later writes chained onto it.
    @Test func aRecordWhoseHashIsWrongIsNeverFolded() throws {
        let store = try Fixtures.sampleStore()
        // A real write first, so state.json exists one record behind the forgery.
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "real", url: nil), as: Fixtures.actor("dan"))
        #expect(FileManager.default.fileExists(atPath: store.snapshotURL.path))
        let journal = ChainGuardTests.lines(store.journalURL)
        let last = journal.last!
        let seq = journal.count + 1
        // It claims to end a write (state_digest), or it would only count as an unfinished one.
        let forged = #"{"v":1,"seq":\#(seq),"prev":"\#(ChainGuardTests.hash(of: last))","actor":"dan","data":{"item":"eval_slo.offline_evals","note":"forged","state_digest":"\#(String(repeating: "1", count: 64))","status":"passed"},"kind":"item.set","os_user":"dan","session":"s-x","ts":"2026-11-28T05:00:00.000Z","hash":"\#(String(repeating: "0", count: 64))"}"#
        try ChainGuardTests.write(journal + [forged], to: store.journalURL)
        // With the snapshot one record behind (the usual case) and without it: refused where it
        // stands (UNTRUSTED), never folded, and no write but the levers goes on past it.
        for pass in ["snapshot", "rebuilt"] {
            if pass == "rebuilt" { try FileManager.default.removeItem(at: store.snapshotURL) }
            let state = try store.loadState().state
            #expect(state.refused.map(\.seq) == [seq] && state.refused.first?.reason.contains("its hash does not match its bytes") == true, "\(pass): \(state.refused)")
            #expect(state.items["eval_slo.offline_evals"]?.status == .failed, "\(pass): the forged pass was folded")
        }
        let write = OneJudgeTests.refusal {
            try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "x", url: nil), as: Fixtures.actor("dan"))
        }
        #expect(write?.contains("UNTRUSTED from seq \(seq)") == true, "\(write ?? "written")")
        #expect(!ChainGuardTests.lines(store.journalURL).contains { $0.contains(#""text":"x""#) }, "the evidence was written past the forged record")
    }

    @Test func aRecordOfAnUnknownVersionMidFileIsNeverFolded() throws {
        let store = try Fixtures.sampleStore()
        var journal = ChainGuardTests.lines(store.journalURL)
        let unknown = journal[journal.count - 2].replacingOccurrences(of: #"^\{"v":[0-9]+,"#, with: #"{"v":99,"#, options: .regularExpression)
        #expect(unknown.hasPrefix(#"{"v":99,"#))
        journal[journal.count - 2] = ChainGuardTests.reseal(unknown)
        try ChainGuardTests.write(journal, to: store.journalURL)
        try? FileManager.default.removeItem(at: store.snapshotURL)
        let state = try store.loadState().state
        #expect(state.refused.first?.seq == journal.count - 1 && state.refused.first?.reason.contains("newer golive") == true, "\(state.refused)")
    }
}
