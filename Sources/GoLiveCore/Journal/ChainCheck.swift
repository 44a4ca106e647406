import Foundation

/// The chain as `audit verify` checks it, line by line in order: each line a record of a format
/// this golive reads, numbered one after another, linked to the one before, its hash over its own
/// bytes. The first break is the answer; nothing after it is checked. `JournalVerifier` reads a
/// file through it; `audit verify` runs it inside the judge's fold, so that the journal is read
/// and hashed once (issue 30).
public struct ChainCheck: Sendable {
    public private(set) var expectedSeq = 1
    public private(set) var head = Journal.genesis
    public private(set) var problem: VerifyReport.Problem?
    /// The bytes of the lines checked, newlines included, the first broken one too.
    public private(set) var bytes = 0

    public init() {}

    /// Whether the chain still stands after line `number` (1-based) of `length` bytes, read as
    /// `lineHead`; `intact` (its hash matches its bytes) is asked only of a line that gets that far.
    @discardableResult
    public mutating func check(line number: Int, length: Int, _ lineHead: Journal.LineHead?, intact: () -> Bool) -> Bool {
        guard problem == nil else { return false }
        bytes += length + 1
        guard let lineHead else {
            problem = .init(line: number, message: "line \(number) is not a journal record (its header or hash field is malformed)")
            return false
        }
        if lineHead.version > Journal.formatVersion {
            problem = .init(line: number, message: "line \(number) is format version \(lineHead.version); this golive reads up to \(Journal.formatVersion). Upgrade golive")
            return false
        }
        if lineHead.seq != expectedSeq {
            let what = lineHead.seq > expectedSeq ? "record(s) \(expectedSeq)…\(lineHead.seq - 1) are missing" : "records are out of order or repeated"
            problem = .init(line: number, message: "line \(number) has seq \(lineHead.seq), expected \(expectedSeq): \(what)")
            return false
        }
        if lineHead.prev != head {
            problem = .init(line: number, message: "line \(number) (seq \(lineHead.seq)) does not link to the previous record: prev \(lineHead.prev.prefix(12))…, expected \(head.prefix(12))…")
            return false
        }
        if !intact() {
            problem = .init(line: number, message: "line \(number) (seq \(lineHead.seq)) was altered: its content does not match its hash")
            return false
        }
        head = lineHead.hash
        expectedSeq += 1
        return true
    }

    /// What was checked, once the reader has stopped: a torn last line is a break too.
    public func report(lineNumber: Int, tornTail: [UInt8]?) -> VerifyReport {
        var problem = self.problem
        if problem == nil, let tornTail {
            problem = .init(line: lineNumber + 1,
                            message: "line \(lineNumber + 1) is incomplete (a torn write of \(tornTail.count) bytes with no newline); run `golive journal repair` to set it aside")
        }
        // The records that verified: a failed line is not one of them ("N record(s) read before it").
        return VerifyReport(lines: expectedSeq - 1, bytes: bytes, head: head, problem: problem)
    }
}
