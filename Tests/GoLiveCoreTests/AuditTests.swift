import Foundation
import Testing
@testable import GoLiveCore

@Suite struct AuditExportTests {
    /// An export names a journal head and reads exactly up to it: records appended after the
    /// head was read are not in it (else the export fails its own verification). Deterministic,
    /// where ExportConsistencyCLITests races real writers.
    @Test func anExportReadsUpToTheHeadItNamesNotWhatWasAppendedSince() throws {
        let store = try Fixtures.sampleStore()
        let fd = try SystemCall.openFile(store.journalURL.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        let head = try Store.tail(fd: fd, path: store.journalURL.path)
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "appended after the head was read", url: nil), as: Fixtures.actor("alice"))
        var last = 0
        try AuditExporter.forEachLine(store, ExportFilter(), upTo: head) { _, e in last = e.seq }
        #expect(last == head.last?.seq, "the export read past its head to seq \(last)")
        #expect(try store.loadState().state.seq > last, "nothing was appended: nothing to read past")
    }

    func export(_ store: Store, _ filter: ExportFilter = ExportFilter(), format: ExportFormat = .jsonl) throws -> URL {
        let url = Fixtures.tempDir("export").appendingPathComponent("export.\(format.rawValue)")
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        _ = try AuditExporter.export(store: store, format: format, filter: filter, to: ByteSink(fd: fd, path: "export"), now: Date())
        return url
    }

    func lines(_ url: URL) -> [String] {
        String(decoding: Fixtures.bytes(url), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func rewrite(_ url: URL, _ change: (inout [String]) -> Void) throws {
        var ls = lines(url)
        change(&ls)
        try (ls.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func fullExportVerifiesAndEveryRecordIsTheJournalLine() throws {
        let store = try Fixtures.sampleStore()
        let url = try export(store)
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.ok, "\(r.problem?.message ?? "")")
        let journal = String(decoding: Fixtures.bytes(store.journalURL), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(Array(lines(url).dropFirst().dropLast()) == journal)
        #expect(r.head == journal.last.map { String($0.suffix(66).prefix(64)) })
    }

    /// The header and trailer are one Codable type each (ExportFrame), written and read by it.
    @Test func theHeaderAndTrailerAreTheFrameTypes() throws {
        let store = try Fixtures.sampleStore()
        let url = try export(store, ExportFilter(session: "s-none"))
        let ls = lines(url)
        #expect(ls[0].hasPrefix(#"{"golive_export":1,"rollout":"#), "an export is known by its first key: \(ls[0])")
        #expect(ls[0].contains(#""since":null,"until":null"#), "unset fields are written as null: \(ls[0])")
        let header = try JSONDecoder().decode(ExportFrame.Header.self, from: Data(ls[0].utf8))
        let seq = try store.tail().last?.seq
        #expect(header.filtered && header.session == "s-none" && header.journalSeq == seq)
        let trailer = try JSONDecoder().decode(ExportFrame.Trailer.self, from: Data(ls.last!.utf8))
        #expect(ls.last!.hasPrefix(#"{"golive_export_end":1,"#) && trailer.records == ls.count - 2)
    }

    /// A header without `filtered` was read as filtered, which skips a full export's gap and head
    /// checks: with one record cut out and the trailer recomputed, the export passed.
    @Test func aHeaderWithoutFilteredIsNotAHeader() throws {
        let url = try export(try Fixtures.sampleStore())
        try rewrite(url) { lines in
            lines[0] = lines[0].replacingOccurrences(of: #""filtered":false,"#, with: "")
            lines.remove(at: 20)
            let records = lines.dropFirst().dropLast()
            var ranges = SeqRanges()
            var hasher = StreamingSHA256()
            for line in records {
                ranges.add(Array(line.utf8).withUnsafeBufferPointer { Journal.head(of: $0)!.seq })
                hasher.update(Array((line + "\n").utf8))
            }
            lines[lines.count - 1] = #"{"golive_export_end":1,"records":\#(records.count),"seqs":"\#(ranges.text)","records_sha256":"\#(hasher.finalizeHex())"}"#
        }
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.problem?.line == 1 && r.problem?.message.contains("not a GoLive export header") == true, "\(r.problem?.message ?? "ok")")
    }

    @Test func oneChangedByteIsNamed() throws {
        let url = try export(try Fixtures.sampleStore())
        try rewrite(url) { lines in
            let altered = lines[10].replacingOccurrences(of: "\"actor\":\"", with: "\"actor\":\"x")
            #expect(altered != lines[10], "line 11 has no actor to alter")
            lines[10] = altered
        }
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.problem?.line == 11)
        #expect(r.problem?.message.contains("record at line 11 (seq 10) was altered") == true)
    }

    @Test func droppedRecordIsNamed() throws {
        let url = try export(try Fixtures.sampleStore())
        try rewrite(url) { $0.remove(at: 20) }
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.problem?.message.contains("seq 20 missing before it") == true, "\(r.problem?.message ?? "")")
    }

    @Test func reorderedRecordIsNamed() throws {
        let url = try export(try Fixtures.sampleStore())
        try rewrite(url) { $0.swapAt(5, 6) }
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.problem?.line == 6)
        #expect(r.problem?.message.contains("seq 6") == true)
    }

    @Test func filteredExportProvesItsRecordsAndNamesADroppedOne() throws {
        let store = try Fixtures.sampleStore()
        var session = ""
        try store.forEachEvent { e in
            if e.kind == .contourSignedOff && e.data.contour == .safety { session = e.session; return false }
            return true
        }
        let url = try export(store, ExportFilter(session: session))
        // header, the adoption its signatures are judged by, started, signed off, ended, trailer
        #expect(lines(url).count == 6)
        #expect(lines(url)[1].contains(#""kind":"config.adopted""#))
        #expect(try ExportVerifier.verify(fileAt: url).ok)
        try rewrite(url) { $0.remove(at: 3) }
        let r = try ExportVerifier.verify(fileAt: url)
        #expect(r.problem?.message.contains("is missing (the trailer lists it)") == true, "\(r.problem?.message ?? "")")
    }

    @Test func truncatedExportIsNamed() throws {
        let url = try export(try Fixtures.sampleStore())
        try rewrite(url) { $0.removeLast() }
        #expect(try ExportVerifier.verify(fileAt: url).problem?.message.contains("no trailer") == true)
    }

    @Test func signatureChecksOfflineAndRefusesWrongKeyAndChangedBytes() throws {
        let store = try Fixtures.sampleStore()
        let url = try export(store)
        let keys = Fixtures.tempDir("keys")
        let (priv, pub) = try AuditSigning.keygen(prefix: keys.appendingPathComponent("audit"))
        let (_, otherPub) = try AuditSigning.keygen(prefix: keys.appendingPathComponent("other"))
        _ = try AuditSigning.sign(export: url, chainHead: try store.tail().last!.hash, keyFile: priv)
        #expect(try AuditSigning.check(export: url, publicKeyFile: pub) == nil)
        #expect(try AuditSigning.check(export: url, publicKeyFile: otherPub)?.contains("different key") == true)
        var data = Fixtures.bytes(url)
        data[data.count / 2] ^= 0x01
        try data.write(to: url)
        #expect(try AuditSigning.check(export: url, publicKeyFile: pub)?.contains("changed after signing") == true)
        #expect(throws: InputError.self) { try AuditSigning.check(export: url, publicKeyFile: priv) }
    }

    @Test func csvQuotesAndDefusesFormulas() throws {
        let store = try Fixtures.sampleStore()
        try Cockpit(store: store).perform(.addEvidence(id: "runtime.happy_path", text: "=HYPERLINK(\"x\"), \"quoted\"", url: nil), as: Fixtures.actor("dan"))
        let text = String(decoding: Fixtures.bytes(try export(store, format: .csv)), as: UTF8.self)
        #expect(text.hasPrefix("seq,time,session,operator,os_user,kind,item,contour,status,role,detail,signer_key,hash\n"))
        #expect(text.contains("\"runtime.happy_path evidence: =HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\""))
    }
}
