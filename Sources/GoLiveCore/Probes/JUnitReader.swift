import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML (pytest, JUnit, go-junit-report …): passes when no case failed or errored, or when the
/// pass rate reaches `minPassRate`. Counts the test cases themselves rather than trusting totals.
public enum JUnitReader {
    final class Collector: NSObject, XMLParserDelegate {
        var cases = 0, failures = 0, errors = 0, skipped = 0, sawRoot = false
        var inCase = false
        var failedNames: [String] = []
        var currentName = ""
        var stack: [String] = []
        var mismatch: (line: Int, column: Int, message: String)?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(name)
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
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "testcase" { inCase = false }
            // Some XMLParser builds recover from a mismatched end tag; a report that does is not trusted.
            if stack.last != name, mismatch == nil {
                mismatch = (parser.lineNumber, parser.columnNumber, "</\(name)> closes <\(stack.last ?? "nothing")>")
                parser.abortParsing()
            }
            if !stack.isEmpty { stack.removeLast() }
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
        // Foundation's XMLParser traps on a name that is not UTF-8 (found by scripts/fuzz.sh), so
        // such a file is refused before it gets there. JUnit files are UTF-8 by their tools' design.
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = Self.firstInvalidUTF8(data)
            let line = data.prefix(offset).filter { $0 == 0x0a }.count + 1
            throw ConfigError(file: url.path, line: line, column: 1, message: "not UTF-8 (byte \(offset) is not); JUnit XML is read as UTF-8")
        }
        // A processing instruction without data, even a bare <?xml?>, makes Foundation's XMLParser
        // read a null pointer (found by scripts/fuzz.sh). JUnit XML needs none but the declaration,
        // so any other is refused here, with where it is.
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        var rest = Substring(text)
        if start.hasPrefix("<?xml "), let end = start.range(of: "?>") {
            guard start[..<end.lowerBound].contains("version=") else {
                throw ConfigError(file: url.path, line: 1, column: 1, message: "the XML declaration has no version; expected <?xml version=\"1.0\" …?>")
            }
            rest = start[end.upperBound...]
        }
        if let pi = rest.range(of: "<?") {
            let line = text[..<pi.lowerBound].filter { $0 == "\n" }.count + 1
            throw ConfigError(file: url.path, line: line, column: 1, message: "a processing instruction (<?…?>) other than the XML declaration; JUnit XML has none")
        }
        let parser = XMLParser(data: Data(text.utf8))
        let c = Collector()
        parser.delegate = c
        let ok = parser.parse()
        if let m = c.mismatch {
            throw ConfigError(file: url.path, line: m.line, column: m.column, message: "not well-formed JUnit XML: \(m.message)")
        }
        guard ok, parser.parserError == nil else {
            throw ConfigError(file: url.path, line: parser.lineNumber, column: parser.columnNumber,
                              message: "not well-formed JUnit XML: \(parser.parserError.map { "\($0.localizedDescription)" } ?? "parse error")")
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
