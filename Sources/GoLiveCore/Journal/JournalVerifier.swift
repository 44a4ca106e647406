import Foundation

public enum JournalVerifier {
    public static func verify(fileAt url: URL) throws -> VerifyReport {
        let fd = try SystemCall.openFile(url.path, O_RDONLY)
        defer { SystemCall.closeFile(fd) }
        var reader = LineReader(fd: fd, path: url.path)
        var chain = ChainCheck()
        try reader.forEachLine { line, number in
            chain.check(line: number, length: line.count, Journal.head(of: line)) { Journal.hashMatches(line) }
        }
        return chain.report(lineNumber: reader.lineNumber, tornTail: reader.tornTail)
    }
}
