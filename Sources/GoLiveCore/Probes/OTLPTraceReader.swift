import Foundation

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
