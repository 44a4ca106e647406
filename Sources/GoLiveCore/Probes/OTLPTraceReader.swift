import Foundation

/// An OTLP/JSON trace export: the share of traces that have a valid trace id and every named key
/// span, against a threshold. Ids in either case; numbers as numbers or strings.
public enum OTLPTraceReader {
    static func validID(_ s: String, length: Int) -> Bool {
        s.count == length && s.allSatisfy(\.isHexDigit) && s.contains { $0 != "0" }
    }

    public static func read(_ url: URL, keySpans: [String] = [], threshold: Double = 1.0) throws -> ReaderVerdict {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw InputError("\(url.path): cannot read the trace file") }
        let export: Export
        do {
            export = try JSONDecoder().decode(Export.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw ConfigError(file: url.path, line: 1, column: 1, message: "not valid JSON: \(context.debugDescription)")
        } catch let error as DecodingError {
            throw ConfigError(file: url.path, line: 1, column: 1, message: "expected an OTLP/JSON export with a 'resourceSpans' list (\(Self.describe(error)))")
        }
        var traces: [String: Set<String>] = [:]
        var spans = 0, withoutID = 0
        for resource in export.resourceSpans {
            for scope in resource.scopeSpans ?? resource.instrumentationLibrarySpans ?? [] {
                for span in scope.spans ?? [] {
                    spans += 1
                    let id = (span.traceId ?? "").lowercased()
                    guard validID(id, length: 32) else { withoutID += 1; continue }
                    traces[id, default: []].insert(span.name ?? "")
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

    /// The part of OTLP/JSON (opentelemetry-proto's JSON mapping) that the reader needs; everything
    /// else in the file is ignored. `instrumentationLibrarySpans` is the name before OTLP 0.15.
    struct Export: Decodable {
        var resourceSpans: [ResourceSpans]
    }

    struct ResourceSpans: Decodable {
        var scopeSpans: [ScopeSpans]?
        var instrumentationLibrarySpans: [ScopeSpans]?
    }

    struct ScopeSpans: Decodable {
        var spans: [Span]?
    }

    struct Span: Decodable {
        var traceId: String?
        var name: String?

        enum CodingKeys: String, CodingKey { case traceId, name }

        /// A span whose id is not a string still counts, as a span without a valid trace id.
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            traceId = try? c.decode(String.self, forKey: .traceId)
            name = try? c.decode(String.self, forKey: .name)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        let path: [CodingKey]
        switch error {
        case let .keyNotFound(key, context): path = context.codingPath + [key]
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context): path = context.codingPath
        @unknown default: path = []
        }
        var location = path.map { key -> String in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        if location.hasPrefix(".") { location.removeFirst() }
        return location.isEmpty ? "at the top level" : "at \(location)"
    }
}
