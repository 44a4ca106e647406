import Foundation

/// JUnit XML (pytest, JUnit, go-junit-report …): passes when no case failed or errored, or when the
/// pass rate reaches `minPassRate`. Counts the test cases themselves rather than trusting totals.
public enum JUnitReader {
    struct Counts {
        var cases = 0, failures = 0, errors = 0, skipped = 0, sawRoot = false
        var inCase = false
        var failedNames: [String] = []
        var currentName = ""

        mutating func opened(_ name: String, _ attributes: [String: String]) {
            switch name {
            case "testsuites", "testsuite": sawRoot = true
            case "testcase":
                cases += 1
                inCase = true
                currentName = attributes["name"] ?? "?"
            case "failure" where inCase: failures += 1; failedNames.append(currentName)
            case "error" where inCase: errors += 1; failedNames.append(currentName)
            case "skipped" where inCase: skipped += 1
            default: break
            }
        }

        mutating func closed(_ name: String) {
            if name == "testcase" { inCase = false }
        }
    }

    /// The offset of the first byte that does not belong to valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> Int {
        var decoder = UTF8()
        var bytes = data.makeIterator()
        var offset = 0, consumed = 0
        while true {
            switch decoder.decode(&bytes) {
            case let .scalarValue(scalar): consumed += UTF8.width(scalar); offset = consumed
            case .emptyInput, .error: return offset
            }
        }
    }

    public static func read(_ url: URL, minPassRate: Double? = nil) throws -> ReaderVerdict {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw InputError("\(url.path): cannot read the JUnit file") }
        // JUnit files are UTF-8 by their tools' design; the scanner takes names' bytes as such.
        guard String(validating: data, as: UTF8.self) != nil else {
            let offset = Self.firstInvalidUTF8(data)
            let line = data.prefix(offset).filter { $0 == 0x0a }.count + 1
            throw ConfigError(file: url.path, line: line, column: 1, message: "not UTF-8 (byte \(offset) is not); JUnit XML is read as UTF-8")
        }
        let bytes = [UInt8](data)
        var c = Counts()
        do {
            try XMLElementScanner.scan(bytes, opened: { c.opened($0, $1) }, closed: { c.closed($0) })
        } catch let failure as XMLElementScanner.Failure {
            let at = XMLElementScanner.position(of: failure.offset, in: bytes)
            throw ConfigError(file: url.path, line: at.line, column: at.column, message: "not well-formed JUnit XML: \(failure.message)")
        }
        guard c.sawRoot else { throw ConfigError(file: url.path, line: 1, column: 1, message: "expected a <testsuites> or <testsuite> root element") }
        let ran = c.cases - c.skipped
        let bad = c.failures + c.errors
        let rate = ran == 0 ? 0 : Double(ran - bad) / Double(ran)
        let passed = ran > 0 && (bad == 0 || (minPassRate.map { rate >= $0 } ?? false))
        var summary = "\(ran - bad)/\(ran) eval cases passed (\(c.failures) failed, \(c.errors) errors, \(c.skipped) skipped)"
        if let minPassRate { summary += String(format: "; pass rate %.1f%% against %.1f%%", rate * 100, minPassRate * 100) }
        if !c.failedNames.isEmpty { summary += "; failing: " + c.failedNames.prefix(5).joined(separator: ", ") }
        if ran == 0 { summary = "no test case ran" }
        return ReaderVerdict(passed: passed, summary: summary)
    }
}
