/// The elements of an XML document, checked for well-formedness, in one pass over its UTF-8 bytes.
///
/// Written for the JUnit reader in place of Foundation's XMLParser: that one brought libxml2, ICU,
/// liblzma and zlib into every golive process (about a millisecond of each command's start, a third
/// of `golive --version`), and it crashed on inputs scripts/fuzz.sh found. JUnit XML needs elements
/// and attributes only, so what it never has is refused with where it is: a DOCTYPE (and with it any
/// entity but the five predefined ones) and processing instructions other than the declaration.
struct XMLElementScanner {
    struct Failure: Error, Equatable {
        /// The byte offset in the document where it was found.
        var offset: Int
        var message: String
    }

    private let bytes: [UInt8]
    private var at = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Calls `opened` for each start tag (and each empty-element tag) in document order with its
    /// decoded attributes, and `closed` after its end; throws the first fault found.
    static func scan(_ bytes: [UInt8], opened: (_ name: String, _ attributes: [String: String]) -> Void, closed: (_ name: String) -> Void) throws {
        var scanner = XMLElementScanner(bytes)
        try scanner.document(opened: opened, closed: closed)
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let upTo = bytes.prefix(min(offset, bytes.count))
        let lineStart = (upTo.lastIndex(of: 0x0a) ?? -1) + 1
        let line = upTo.reduce(1) { $1 == 0x0a ? $0 + 1 : $0 }
        // Continuation bytes (10xxxxxx) do not start a character.
        let column = bytes[lineStart..<upTo.endIndex].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return (line, column)
    }

    private mutating func document(opened: (String, [String: String]) -> Void, closed: (String) -> Void) throws {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
        if starts(with: "<?xml") && at + 5 < bytes.count && Self.isSpace(bytes[at + 5]) { try declaration() }
        var open: [String] = []
        var sawRoot = false
        while at < bytes.count {
            let c = bytes[at]
            if c != 0x3c {
                if open.isEmpty {
                    guard Self.isSpace(c) else { throw fail(sawRoot ? "text after the root element" : "text before the root element") }
                    at += 1
                } else {
                    try text()
                }
                continue
            }
            if starts(with: "<!--") { try comment(); continue }
            if starts(with: "<![CDATA[") {
                guard !open.isEmpty else { throw fail("a CDATA section outside the root element") }
                guard let end = find("]]>", from: at + 9) else { throw fail("a CDATA section that is not closed (no ]]>)") }
                try checkCharacters(at..<end)
                at = end + 3
                continue
            }
            if starts(with: "<!DOCTYPE") { throw fail("a DOCTYPE; JUnit XML has none") }
            if starts(with: "<?") {
                throw fail(starts(with: "<?xml") && at + 5 < bytes.count && Self.isSpace(bytes[at + 5])
                           ? "the XML declaration is not at the start of the document; expected <?xml version=\"1.0\" …?> first, or none"
                           : "a processing instruction (<?…?>) other than the XML declaration; JUnit XML has none")
            }
            if starts(with: "</") {
                let tagAt = at
                at += 2
                let name = try self.name()
                skipSpace()
                try expect(0x3e, "'>' to end the end tag </\(name)")
                guard let last = open.popLast() else { throw Failure(offset: tagAt, message: "</\(name)> closes nothing") }
                guard last == name else { throw Failure(offset: tagAt, message: "</\(name)> closes <\(last)>") }
                closed(name)
                continue
            }
            guard open.isEmpty ? !sawRoot : true else { throw fail("a second root element") }
            at += 1
            let name = try self.name()
            var attributes: [String: String] = [:]
            while true {
                let hadSpace = skipSpace()
                guard at < bytes.count else { throw fail("the document ends inside the tag <\(name)") }
                if bytes[at] == 0x3e { at += 1; open.append(name); sawRoot = true; opened(name, attributes); break }
                if starts(with: "/>") { at += 2; sawRoot = true; opened(name, attributes); closed(name); break }
                guard hadSpace else { throw fail("expected a space, '>' or '/>' in the tag <\(name)") }
                let attributeAt = at
                let key = try self.name()
                skipSpace()
                try expect(0x3d, "'=' after the attribute \(key)")
                skipSpace()
                let value = try quoted()
                guard attributes.updateValue(value, forKey: key) == nil else {
                    throw Failure(offset: attributeAt, message: "the attribute \(key) appears twice in <\(name)>")
                }
            }
        }
        if let last = open.last { throw fail("the document ends inside <\(last)> (no </\(last)>)") }
        guard sawRoot else { throw fail("no root element") }
    }

    private mutating func declaration() throws {
        guard let end = find("?>", from: at) else { throw fail("the XML declaration is not closed (no ?>)") }
        // version first, as XML has it: `version` S? `=`.
        let inside = bytes[(at + 5)..<end].drop(while: Self.isSpace)
        guard inside.starts(with: Array("version".utf8)), inside.dropFirst(7).drop(while: Self.isSpace).first == 0x3d else {
            throw fail("the XML declaration has no version; expected <?xml version=\"1.0\" …?>")
        }
        try checkCharacters((at + 5)..<end)
        at = end + 2
    }

    private mutating func comment() throws {
        guard let end = find("-->", from: at + 4) else { throw fail("a comment that is not closed (no -->)") }
        try checkCharacters(at..<end)
        at = end + 3
    }

    private mutating func text() throws {
        let start = at
        while at < bytes.count, bytes[at] != 0x3c {
            if bytes[at] == 0x26 { _ = try reference() } else { at += 1 }
        }
        try checkCharacters(start..<at)
    }

    /// An attribute's value between matching quotes, its references decoded.
    private mutating func quoted() throws -> String {
        guard at < bytes.count, bytes[at] == 0x22 || bytes[at] == 0x27 else { throw fail("expected a quoted attribute value") }
        let quote = bytes[at]
        at += 1
        var value: [UInt8] = []
        while true {
            guard at < bytes.count else { throw fail("the document ends inside an attribute value") }
            let c = bytes[at]
            if c == quote { at += 1; break }
            if c == 0x3c { throw fail("'<' in an attribute value (write &lt;)") }
            if c == 0x26 { value += try reference(); continue }
            try checkCharacters(at..<(at + 1))
            value.append(c)
            at += 1
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// `&…;` at `at`: one of the five predefined entities or a character reference.
    private mutating func reference() throws -> [UInt8] {
        let start = at
        guard let semicolon = bytes[at...].prefix(12).firstIndex(of: 0x3b) else { throw fail("'&' that starts no reference (write &amp;)") }
        let body = String(decoding: bytes[(at + 1)..<semicolon], as: UTF8.self)
        at = semicolon + 1
        switch body {
        case "lt": return [0x3c]
        case "gt": return [0x3e]
        case "amp": return [0x26]
        case "quot": return [0x22]
        case "apos": return [0x27]
        default:
            var number: UInt32?
            if body.hasPrefix("#x") { number = UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") { number = UInt32(body.dropFirst(), radix: 10) }
            guard let number, let scalar = Unicode.Scalar(number), Self.isAllowed(scalar) else {
                throw Failure(offset: start, message: "&\(body); is not a reference JUnit XML can have (&lt; &gt; &amp; &quot; &apos; or a character)")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    private mutating func name() throws -> String {
        let start = at
        while at < bytes.count, Self.isNameByte(bytes[at], first: at == start) { at += 1 }
        guard at > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = at
        while at < bytes.count, Self.isSpace(bytes[at]) { at += 1 }
        return at > start
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard at < bytes.count, bytes[at] == byte else { throw fail("expected \(what)") }
        at += 1
    }

    /// Control characters other than tab, newline and carriage return are not XML.
    private func checkCharacters(_ range: Range<Int>) throws {
        if let bad = bytes[range].firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d }) {
            throw Failure(offset: bad, message: "a control character (byte \(bytes[bad])) XML does not allow")
        }
    }

    private func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { bytes[at..<(at + count)].elementsEqual($0) }
    }

    private func find(_ literal: StaticString, from: Int) -> Int? {
        literal.withUTF8Buffer { needle in bytes[min(from, bytes.count)...].firstRange(of: Array(needle))?.lowerBound }
    }

    private func fail(_ message: String) -> Failure { Failure(offset: at, message: message) }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d }

    /// Names as XML has them, with every non-ASCII byte allowed (the text was checked as UTF-8).
    private static func isNameByte(_ c: UInt8, first: Bool) -> Bool {
        switch c {
        case 0x41...0x5a, 0x61...0x7a, 0x5f, 0x3a, 0x80...: return true
        case 0x30...0x39, 0x2d, 0x2e: return !first
        default: return false
        }
    }

    private static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x09 || s.value == 0x0a || s.value == 0x0d || (s.value >= 0x20 && s.value != 0xFFFE && s.value != 0xFFFF)
    }
}
