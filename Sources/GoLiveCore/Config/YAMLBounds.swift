import CYaml
import Foundation

/// What a YAML text may make, checked on libyaml's events before Yams composes it: a small file
/// of aliases can stand for billions of nodes (an "alias bomb"), and Yams hashes mapping keys
/// whole, so aliases of aliases used as keys hung every command that read rollout.yaml. Each
/// anchor's size in nodes is kept as the events go by, an alias counts as the nodes it stands
/// for, and a mapping key must be a plain scalar: nothing is expanded to find out.
enum YAMLBounds {
    static let maxBytes = 32 << 20
    /// Nodes the document may stand for once its aliases are expanded.
    static let maxNodes = 4_000_000

    static func check(_ text: String, file: String) throws {
        guard text.utf8.count <= maxBytes else {
            throw ConfigError(file: file, line: 1, column: 1, message: "the file has \(text.utf8.count) bytes; GoLive reads YAML of at most \(maxBytes >> 20) MiB")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            try walk(&parser, file: file)
        }
    }

    struct Frame {
        var nodes = 1
        var anchor: String?
        var mapping: Bool
        /// In a mapping: whether the next node is a key.
        var expectingKey = true
    }

    private static func walk(_ parser: inout yaml_parser_t, file: String) throws {
        var anchors: [String: Int] = [:]
        var stack: [Frame] = []
        var total = 0
        func error(_ event: yaml_event_t, _ message: String) -> ConfigError {
            ConfigError(file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, message: message)
        }
        func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? { p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) } }
        // A finished node of `size`, counted into its parent (or the document).
        func finished(_ size: Int, anchor: String?) throws {
            if let anchor { anchors[anchor] = size }
            if stack.isEmpty { total += size } else { stack[stack.count - 1].nodes += size }
            guard max(total, stack.last?.nodes ?? 0) <= maxNodes else {
                throw ConfigError(file: file, line: 1, column: 1, message: "the document stands for more than \(maxNodes) values once its aliases are expanded; GoLive reads no alias bombs")
            }
        }
        while true {
            var event = yaml_event_t()
            // A syntax error is left to Yams, which names it with its position.
            guard yaml_parser_parse(&parser, &event) == 1 else { return }
            defer { yaml_event_delete(&event) }
            // Is this node a mapping's key?
            var isKey = false
            if event.type == YAML_SCALAR_EVENT || event.type == YAML_ALIAS_EVENT || event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT,
               let top = stack.last, top.mapping {
                isKey = top.expectingKey
                stack[stack.count - 1].expectingKey.toggle()
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_SCALAR_EVENT:
                try finished(1, anchor: string(event.data.scalar.anchor))
            case YAML_ALIAS_EVENT:
                if isKey { throw error(event, "an alias used as a mapping key; GoLive reads plain keys only") }
                try finished(string(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1, anchor: nil)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if isKey { throw error(event, "a complex mapping key (a list or mapping as a key); GoLive reads plain keys only") }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT ? string(event.data.sequence_start.anchor) : string(event.data.mapping_start.anchor)
                stack.append(Frame(anchor: anchor, mapping: event.type == YAML_MAPPING_START_EVENT))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return }
                try finished(frame.nodes, anchor: frame.anchor)
            default:
                break
            }
        }
    }
}
