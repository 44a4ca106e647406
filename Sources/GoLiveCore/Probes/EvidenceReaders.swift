import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Yams

/// What a reader concluded from a file the field's own tools wrote.
public struct ReaderVerdict: Sendable, Equatable {
    public var passed: Bool
    public var summary: String
}

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

    public static func read(_ url: URL, minPassRate: Double? = nil) throws -> ReaderVerdict {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw InputError("\(url.path): cannot read the JUnit file") }
        let parser = XMLParser(data: data)
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

/// OpenSLO YAML (a single document, a list of documents, or several `---` documents): holds when at
/// least one SLO, for the service if one is named, has objectives.
public enum OpenSLOReader {
    public static func read(_ url: URL, service: String? = nil) throws -> ReaderVerdict {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(url.path): cannot read the OpenSLO file")
        }
        var docs: [Node] = []
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            while let node = try parser.nextRoot() {
                if case let .sequence(seq) = node { docs += Array(seq) } else { docs.append(node) }
            }
        } catch let e as YamlError {
            throw YAMLDocument.locate(e, file: url.path)
        }
        var slos: [String] = []
        var other = 0
        for doc in docs {
            guard doc["kind"]?.string == "SLO" else { other += 1; continue }
            guard doc["apiVersion"]?.string?.hasPrefix("openslo/") == true else {
                throw ConfigError(file: url.path, line: doc.mark?.line ?? 1, column: doc.mark?.column ?? 1, message: "an SLO needs apiVersion openslo/v1 (or v1alpha)")
            }
            let spec = doc["spec"]
            if let service, spec?["service"]?.string != service { continue }
            let objectives = spec?["objectives"]?.array() ?? []
            if !objectives.isEmpty { slos.append(doc["metadata"]?["name"]?.string ?? "unnamed") }
        }
        let scope = service.map { " for service \($0)" } ?? ""
        if slos.isEmpty { return ReaderVerdict(passed: false, summary: "no SLO with objectives\(scope) (\(docs.count) document(s) read)") }
        return ReaderVerdict(passed: true, summary: "\(slos.count) SLO(s) with objectives\(scope): \(slos.joined(separator: ", "))")
    }
}

/// An OTLP/JSON trace export: the share of traces that have a valid trace id and every named key
/// span, against a threshold. Ids in either case; numbers as numbers or strings.
public enum OTLPTraceReader {
    static func validID(_ s: String, length: Int) -> Bool {
        s.count == length && s.allSatisfy(\.isHexDigit) && s.contains { $0 != "0" }
    }

    public static func read(_ url: URL, keySpans: [String] = [], threshold: Double = 1.0) throws -> ReaderVerdict {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw InputError("\(url.path): cannot read the trace file") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw ConfigError(file: url.path, line: 1, column: 1, message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let root = json as? [String: Any], let resourceSpans = root["resourceSpans"] as? [[String: Any]] else {
            throw ConfigError(file: url.path, line: 1, column: 1, message: "expected an OTLP/JSON export with a 'resourceSpans' list")
        }
        var traces: [String: Set<String>] = [:]
        var spans = 0, withoutID = 0
        for rs in resourceSpans {
            for ss in (rs["scopeSpans"] as? [[String: Any]]) ?? (rs["instrumentationLibrarySpans"] as? [[String: Any]]) ?? [] {
                for span in (ss["spans"] as? [[String: Any]]) ?? [] {
                    spans += 1
                    let id = ((span["traceId"] as? String) ?? "").lowercased()
                    guard validID(id, length: 32) else { withoutID += 1; continue }
                    traces[id, default: []].insert((span["name"] as? String) ?? "")
                }
            }
        }
        guard spans > 0 else { return ReaderVerdict(passed: false, summary: "the export holds no spans") }
        let complete = traces.values.filter { names in keySpans.allSatisfy(names.contains) }.count
        let total = traces.count + (withoutID > 0 ? 1 : 0)
        let share = total == 0 ? 0 : Double(complete) / Double(total)
        var summary = String(format: "%d of %d trace(s) complete (%.0f%%, needed %.0f%%)", complete, total, share * 100, threshold * 100)
        if withoutID > 0 { summary += "; \(withoutID) span(s) without a valid trace id" }
        if !keySpans.isEmpty { summary += "; key spans: " + keySpans.joined(separator: ", ") }
        return ReaderVerdict(passed: share >= threshold && withoutID == 0, summary: summary)
    }
}
