import Foundation

/// Checks a JSON Lines export: every record's hash over its exact bytes, order, links between
/// consecutive records, and the trailer's count, seq list and digest. A full export must also
/// reach the journal head it names. Names the first bad record.
public enum ExportVerifier {
    public static func isExport(_ url: URL) -> Bool {
        guard let h = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? h.close() }
        let start = (try? h.read(upToCount: 20)) ?? Data()
        return start.starts(with: Data(#"{"golive_export":"#.utf8))
    }

    public static func verify(fileAt url: URL) throws -> VerifyReport {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path)
        var header: ExportFrame.Header?
        var trailer: ExportFrame.Trailer?
        var problem: VerifyReport.Problem?
        var prevSeq = 0
        var prevHash = Journal.genesis
        var records = 0
        var ranges = SeqRanges()
        var hasher = StreamingSHA256()
        func fail(_ line: Int, _ message: String) -> Bool {
            problem = .init(line: line, message: message)
            return false
        }
        try reader.forEachLine { line, number in
            if number == 1 {
                header = ExportFrame.read(ExportFrame.Header.self, from: line)
                guard header?.format == 1 else {
                    return fail(1, "line 1 is not a GoLive export header (golive_export 1, with journal_seq, journal_head, filtered and exported_at)")
                }
                return true
            }
            if trailer != nil { return fail(number, "line \(number) follows the export's trailer: something was appended") }
            if line.starts(with: ExportFrame.trailerStart) {
                trailer = ExportFrame.read(ExportFrame.Trailer.self, from: line)
                if trailer == nil { return fail(number, "line \(number): the trailer is not readable (golive_export_end, records, seqs and records_sha256)") }
                return true
            }
            guard let filtered = header?.filtered else { return fail(number, "line \(number) has no export header before it") }
            guard let head = Journal.head(of: line) else { return fail(number, "record at line \(number) is not a journal record") }
            let name = "record at line \(number) (seq \(head.seq))"
            guard Journal.hashMatches(line) else { return fail(number, "\(name) was altered: its content does not match its hash") }
            if head.seq <= prevSeq { return fail(number, "\(name) is out of order: it follows seq \(prevSeq)") }
            if head.seq == prevSeq + 1 && prevSeq > 0 && head.prev != prevHash {
                return fail(number, "\(name) does not link to seq \(prevSeq) before it")
            }
            if !filtered && head.seq != prevSeq + 1 {
                return fail(number, "\(name): seq \(prevSeq + 1)\(head.seq - 1 > prevSeq + 1 ? "–\(head.seq - 1)" : "") missing before it")
            }
            if !filtered && prevSeq == 0 && head.prev != Journal.genesis { return fail(number, "\(name) does not start the chain") }
            hasher.update(line)
            hasher.update([0x0a])
            ranges.add(head.seq)
            prevSeq = head.seq
            prevHash = head.hash
            records += 1
            return true
        }
        if problem == nil {
            if reader.tornTail != nil {
                problem = .init(line: reader.lineNumber + 1, message: "line \(reader.lineNumber + 1) is incomplete: the export was cut off")
            } else if header == nil {
                problem = .init(line: 1, message: "the file is empty")
            } else if let t = trailer {
                let declared = t.seqs
                if let want = SeqRanges.parse(declared), ranges.text != declared {
                    let have = Set(SeqRanges.parse(ranges.text)!.flatMap { Array($0) })
                    if let missing = want.lazy.flatMap({ $0 }).first(where: { !have.contains($0) }) {
                        problem = .init(line: reader.lineNumber, message: "the record for seq \(missing) is missing (the trailer lists it)")
                    } else {
                        problem = .init(line: reader.lineNumber, message: "the export holds records its trailer does not list")
                    }
                } else if t.records != records {
                    problem = .init(line: reader.lineNumber, message: "the trailer says \(t.records) records, the export holds \(records)")
                } else if t.recordsSha256 != hasher.finalizeHex() {
                    problem = .init(line: reader.lineNumber, message: "the records' digest does not match the trailer")
                } else if let h = header, !h.filtered, h.journalHead != prevHash || h.journalSeq != prevSeq {
                    problem = .init(line: reader.lineNumber, message: "the records end at seq \(prevSeq), not at the journal head the header names")
                }
            } else {
                problem = .init(line: reader.lineNumber + 1, message: "the export has no trailer: it was cut off after line \(reader.lineNumber)")
            }
        }
        return VerifyReport(lines: records, bytes: reader.offset, head: header?.journalHead ?? prevHash, problem: problem)
    }
}
