import Foundation

/// The first and last lines of a JSON Lines export, written and read by these two types: the
/// exporter and the verifier cannot disagree on a field, and a line that lacks one is not read
/// as a default (an unreadable `filtered` was once taken for "filtered", which skips the checks a
/// full export must pass).
public enum ExportFrame {
    /// Line 1. Its first key is `golive_export` (how a file is known as an export).
    public struct Header: Codable, Equatable, Sendable {
        public var format = 1
        public var rollout: String?
        public var version: String?
        public var journalSeq: Int
        public var journalHead: String
        /// Whether records were left out (by session or time): only a full export must reach
        /// the journal head it names, gap-free from the first record.
        public var filtered: Bool
        public var session: String?
        public var since: String?
        public var until: String?
        public var exportedAt: String

        enum CodingKeys: String, CodingKey {
            case format = "golive_export", rollout, version, journalSeq = "journal_seq", journalHead = "journal_head"
            case filtered, session, since, until, exportedAt = "exported_at"
        }

        public init(rollout: String?, version: String?, journalSeq: Int, journalHead: String, filtered: Bool,
                    session: String?, since: String?, until: String?, exportedAt: String) {
            self.rollout = rollout
            self.version = version
            self.journalSeq = journalSeq
            self.journalHead = journalHead
            self.filtered = filtered
            self.session = session
            self.since = since
            self.until = until
            self.exportedAt = exportedAt
        }

        /// Every key, in this order, absent values as null: the line says what was not set.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(format, forKey: .format)
            try c.encode(rollout, forKey: .rollout)
            try c.encode(version, forKey: .version)
            try c.encode(journalSeq, forKey: .journalSeq)
            try c.encode(journalHead, forKey: .journalHead)
            try c.encode(filtered, forKey: .filtered)
            try c.encode(session, forKey: .session)
            try c.encode(since, forKey: .since)
            try c.encode(until, forKey: .until)
            try c.encode(exportedAt, forKey: .exportedAt)
        }
    }

    /// The last line: how many records, which seqs, and the SHA-256 of their lines.
    public struct Trailer: Codable, Equatable, Sendable {
        public var format = 1
        public var records: Int
        public var seqs: String
        public var recordsSha256: String

        enum CodingKeys: String, CodingKey {
            case format = "golive_export_end", records, seqs, recordsSha256 = "records_sha256"
        }

        public init(records: Int, seqs: String, recordsSha256: String) {
            self.records = records
            self.seqs = seqs
            self.recordsSha256 = recordsSha256
        }
    }

    static let headerStart = Array(#"{"golive_export":"#.utf8)
    static let trailerStart = Array(#"{"golive_export_end":"#.utf8)

    /// One line, without its newline, its keys in the order `encode(to:)` gives them (the first
    /// key names the line; JSONEncoder keeps no order, and sorted keys would put another first).
    static func line<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = FrameLineWriter()
        try value.encode(to: writer)
        return Array(("{" + writer.fields.joined(separator: ",") + "}").utf8)
    }

    /// The line read back as `T`, or nil when it is not one (a missing or mistyped field included).
    static func read<T: Decodable>(_ type: T.Type, from line: UnsafeBufferPointer<UInt8>) -> T? {
        try? JSONDecoder().decode(type, from: Data(buffer: line))
    }
}

/// The Encoder behind `ExportFrame.line`: one flat object of strings, integers, booleans and
/// nulls, in the order encoded; anything else is an error, not a guess.
final class FrameLineWriter: Encoder {
    var fields: [String] = []
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    struct Unsupported: Error, CustomStringConvertible {
        var what: String
        var description: String { "an export's frame line holds only strings, integers, booleans and nulls, not \(what)" }
    }

    static func quoted(_ text: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(text), as: UTF8.self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Fields(writer: self))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("an export's frame line is one flat object") }
    func singleValueContainer() -> any SingleValueEncodingContainer { fatalError("an export's frame line is one flat object") }

    struct Fields<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: FrameLineWriter
        var codingPath: [any CodingKey] { [] }
        func add(_ key: Key, _ json: String) throws { writer.fields.append(try FrameLineWriter.quoted(key.stringValue) + ":" + json) }
        mutating func encodeNil(forKey key: Key) throws { try add(key, "null") }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try add(key, value ? "true" : "false") }
        mutating func encode(_ value: String, forKey key: Key) throws { try add(key, try FrameLineWriter.quoted(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try add(key, String(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            switch value {
            case let v as String: try encode(v, forKey: key)
            case let v as Int: try encode(v, forKey: key)
            case let v as Bool: try encode(v, forKey: key)
            case let v as String?: if let v { try encode(v, forKey: key) } else { try encodeNil(forKey: key) }
            default: throw Unsupported(what: "\(T.self) at \(key.stringValue)")
            }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            fatalError("an export's frame line is one flat object")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { fatalError("an export's frame line is one flat object") }
        mutating func superEncoder() -> any Encoder { writer }
        mutating func superEncoder(forKey key: Key) -> any Encoder { writer }
    }
}
