import Foundation

public enum JournalVerifier {
    public static func verify(fileAt url: URL) throws -> VerifyReport {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path)
        var expectedSeq = 1
        var prev = Journal.genesis
        var problem: VerifyReport.Problem?
        try reader.forEachLine { line, number in
            guard let head = Journal.head(of: line) else {
                problem = .init(line: number, message: "line \(number) is not a journal record (its header or hash field is malformed)")
                return false
            }
            if head.version > Journal.formatVersion {
                problem = .init(line: number, message: "line \(number) is format version \(head.version); this golive reads up to \(Journal.formatVersion). Upgrade golive")
                return false
            }
            if head.seq != expectedSeq {
                let what = head.seq > expectedSeq ? "record(s) \(expectedSeq)…\(head.seq - 1) are missing" : "records are out of order or repeated"
                problem = .init(line: number, message: "line \(number) has seq \(head.seq), expected \(expectedSeq): \(what)")
                return false
            }
            if head.prev != prev {
                problem = .init(line: number, message: "line \(number) (seq \(head.seq)) does not link to the previous record: prev \(head.prev.prefix(12))…, expected \(prev.prefix(12))…")
                return false
            }
            if !Journal.hashMatches(line) {
                problem = .init(line: number, message: "line \(number) (seq \(head.seq)) was altered: its content does not match its hash")
                return false
            }
            prev = head.hash
            expectedSeq += 1
            return true
        }
        if problem == nil, let torn = reader.tornTail {
            problem = .init(line: reader.lineNumber + 1,
                            message: "line \(reader.lineNumber + 1) is incomplete (a torn write of \(torn.count) bytes with no newline); run `golive journal repair` to set it aside")
        }
        // The records that verified: a failed line is not one of them ("N record(s) read before it").
        return VerifyReport(lines: expectedSeq - 1, bytes: reader.offset, head: prev, problem: problem)
    }
}
