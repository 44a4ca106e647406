import Foundation
import Yams

/// Reads a YAML file into nodes that remember where they came from, so every complaint about a
/// value can point at its line and column. Yams' Codable path drops positions, hence this reader.
public struct YAMLDocument {
    public let file: String
    public let root: Node?

    public init(file: String, text: String) throws {
        self.file = file
        try YAMLBounds.check(text, file: file)
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw YAMLDocument.locate(error, file: file)
        }
    }

    public init(contentsOf url: URL, displayName: String? = nil) throws {
        let name = displayName ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError("\(name): cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: name, line: 1, column: 1, message: "the file is not UTF-8 text")
        }
        try self.init(file: name, text: text)
    }

    static func locate(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            if problem.contains("indentation") || problem.contains("mapping values") || problem.contains("block end") {
                message += "; check the indentation: keys of one mapping must line up, list items start with '- '"
            } else {
                message += "; check the indentation and quoting near here"
            }
            return ConfigError(file: file, line: mark.line, column: mark.column, message: message)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = context.mark
            let second = secondOccurrence(of: key, after: (first.line, first.column), in: context.text) ?? (first.line, first.column)
            return ConfigError(file: file, line: second.line, column: second.column,
                               message: "duplicate key '\(key)' (first at line \(first.line):\(first.column)); each key may appear once in a mapping")
        case let .reader(problem, offset, _, _):
            // Never the file's text: an error message ends up in the journal and in exports.
            return ConfigError(file: file, line: 1, column: 1, message: "cannot read the YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ConfigError(file: file, line: 1, column: 1, message: "invalid YAML")
        }
    }

    /// Yams names the first occurrence of a duplicated key; the one to fix is usually the later one:
    /// the next line below it that starts the same key at the same column.
    static func secondOccurrence(of key: String, after first: (line: Int, column: Int), in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = String(repeating: " ", count: max(0, first.column - 1))
        guard first.line >= 1, first.line < lines.count else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            if line.hasPrefix(indent + key + ":") || line.hasPrefix(indent + "\"\(key)\":") || line.hasPrefix(indent + "'\(key)':") {
                return (index + 1, first.column)
            }
        }
        return nil
    }

    // MARK: typed access with positions

    public func error(_ node: Node?, _ message: String) -> ConfigError {
        let mark = node?.mark
        return ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    /// The pairs of a mapping, refusing keys outside `allowed` with the nearest valid key.
    public func mapping(_ node: Node, allowed: [String], what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case let .mapping(mapping) = node else {
            throw error(node, "\(what) must be a mapping of keys to values, found \(kind(node))")
        }
        var pairs: [(String, Node, Node)] = []
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw error(keyNode, "\(what): keys must be plain names") }
            if !allowed.isEmpty && !allowed.contains(key) {
                throw error(keyNode, "unknown key '\(key)' in \(what); \(Suggest.didYouMean(key, in: allowed))")
            }
            if !seen.insert(key).inserted { throw error(keyNode, "duplicate key '\(key)' in \(what)") }
            pairs.append((key, keyNode, value))
        }
        return pairs
    }

    public func string(_ node: Node, what: String) throws -> String {
        guard case let .scalar(scalar) = node else {
            throw error(node, "\(what) must be text, found \(kind(node))")
        }
        return scalar.string
    }

    public func int(_ node: Node, what: String) throws -> Int {
        guard case let .scalar(scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error(node, "\(what) must be a whole number, found \(describe(node))")
        }
        return value
    }

    public func double(_ node: Node, what: String) throws -> Double {
        guard case let .scalar(scalar) = node, scalar.style == .plain, let value = Double(scalar.string) else {
            throw error(node, "\(what) must be a number, found \(describe(node))")
        }
        return value
    }

    public func bool(_ node: Node, what: String) throws -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain else {
            throw error(node, "\(what) must be true or false, found \(describe(node))")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "\(what) must be true or false, found \(describe(node))")
        }
    }

    public func sequence(_ node: Node, what: String) throws -> [Node] {
        guard case let .sequence(seq) = node else {
            throw error(node, "\(what) must be a list (lines starting with '- '), found \(describe(node))")
        }
        return Array(seq)
    }

    public func stringList(_ node: Node, what: String) throws -> [(String, Node)] {
        try sequence(node, what: what).map { (try string($0, what: "an entry of \(what)"), $0) }
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func describe(_ node: Node) -> String {
        if case let .scalar(s) = node { return "'\(s.string)'" }
        return kind(node)
    }
}
