import Foundation
import Yams

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
