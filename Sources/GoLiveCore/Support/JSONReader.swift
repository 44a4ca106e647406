import Foundation

/// A JSON reader over bytes, with JSONDecoder's rules (unknown keys skipped, null as absent, a
/// value of the wrong type an error), for the formats read often enough that Foundation's
/// generic containers cost too much: journal records, state.json, the parsed-configuration cache.
/// The callers say which fields they want; see EventDecoder for the records.
public struct JSONReader {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    /// What the bytes should be, for errors: "a journal record", "a parsed configuration".
    var subject = "a journal record"
    /// How deep the value being stepped over nests: bounded, so that a hostile record (40,000
    /// nested arrays in a key nobody reads) is refused instead of overflowing the stack.
    var depth = 0
    static let maxDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>, subject: String = "a journal record") {
        self.bytes = bytes
        self.subject = subject
    }

    func fail(_ what: String) -> Malformed { Malformed(description: "not \(subject): \(what) at byte \(i)") }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        // Records and state.json are written without spaces: the expected byte is usually next.
        if i < bytes.count, bytes[i] == c { i += 1; return }
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    mutating func peek() -> UInt8? {
        skipSpace()
        return i < bytes.count ? bytes[i] : nil
    }

    /// `null` where a value may be absent: consumed, and true.
    mutating func null() -> Bool {
        guard peek() == UInt8(ascii: "n"), i + 4 <= bytes.count, bytes[i + 1] == UInt8(ascii: "u"),
              bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "l") else { return false }
        i += 4
        return true
    }

    /// The elements between `open` and `close`, comma-separated, with JSONDecoder's trailing comma.
    mutating func elements(_ open: UInt8, _ close: UInt8, _ element: (inout JSONReader) throws -> Void) throws {
        try expect(open)
        if peek() == close { i += 1; return }
        while true {
            try element(&self)
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated \(open == UInt8(ascii: "{") ? "object" : "array")") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                if peek() == close { i += 1; return }
                continue
            }
            if bytes[i] == close { i += 1; return }
            throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
    }

    /// Calls `body` with each key of an object, positioned at its value; `body` must read it.
    mutating func object(_ body: (inout JSONReader, String) throws -> Void) throws {
        try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
            let key = try r.string()
            try r.expect(UInt8(ascii: ":"))
            try body(&r, key)
        }
    }

    /// An object's key as written, matched against literals (`case "status":`) without making a
    /// String of it: most of a record's keys are compared and dropped.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let n = pattern.utf8CodeUnitCount
            guard n == key.bytes.count else { return false }
            return n == 0 || memcmp(pattern.utf8Start, key.bytes.baseAddress!, n) == 0
        }
    }

    /// `object` for decoders that only match keys against names they know.
    mutating func fields(_ body: (inout JSONReader, Key) throws -> Void) throws {
        try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
            try r.expect(UInt8(ascii: "\""))
            let start = r.i
            // Plain ASCII keys are matched in place; anything else goes through string()'s checks.
            while r.i < r.bytes.count, r.bytes[r.i] != UInt8(ascii: "\""), r.bytes[r.i] != UInt8(ascii: "\\"), r.bytes[r.i] >= 0x20, r.bytes[r.i] < 0x80 { r.i += 1 }
            if r.i < r.bytes.count, r.bytes[r.i] == UInt8(ascii: "\"") {
                let key = Key(bytes: UnsafeBufferPointer(rebasing: r.bytes[start..<r.i]))
                r.i += 1
                try r.expect(UInt8(ascii: ":"))
                try body(&r, key)
                return
            }
            // An escaped or non-ASCII key (rare): read as JSONDecoder would, then matched by its UTF-8.
            r.i = start - 1
            var text = try r.string()
            try r.expect(UInt8(ascii: ":"))
            try text.withUTF8 { utf8 in try body(&r, Key(bytes: utf8)) }
        }
    }

    mutating func array(_ body: (inout JSONReader) throws -> Void) throws {
        try elements(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    /// The next string, as `string()` reads it; when its bytes are exactly `known`'s, plain
    /// text with no escape, `known` itself, sharing its storage: a record's link and hash are
    /// already in hand from its header, and two 64-byte strings allocated per record showed.
    mutating func string(sharing known: String?) throws -> String {
        if var known, i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            let start = i + 1
            let same = known.withUTF8 { k -> Bool in
                let end = start + k.count
                guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return false }
                for n in 0..<k.count {
                    let b = k[n]
                    guard bytes[start + n] == b, b >= 0x20, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") else { return false }
                }
                return true
            }
            if same {
                i = start + known.utf8.count + 1
                return known
            }
        }
        return try string()
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        var high: UInt8 = 0
        i = plainRun(from: i, to: bytes.count, high: &high)
        guard i < bytes.count else { throw fail("unterminated string") }
        guard bytes[i] >= 0x20 else { throw fail("a control character in a string") }
        if bytes[i] == UInt8(ascii: "\"") {
            // ASCII, the common case, needs no validation.
            let text = high < 0x80 ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) : try utf8(start, i)
            i += 1
            return text
        }
        // Escaped: the string's end found first, so that its text is decoded into one buffer of
        // that length (no escape decodes longer than it is written). rollout.yaml's text in an
        // adoption record has a line break every few dozen bytes: appending run after run to a
        // growing array was half of reading that record, and of a write at 8,000 items a tenth.
        let plain = i
        var end = i, unicode = false
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") {
                if end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "u") { unicode = true }
                end += 2
            } else {
                end = plainRun(from: end, to: bytes.count, high: &high)
                // A control character is refused where the text is decoded, in order.
                if end < bytes.count, bytes[end] < 0x20 { end += 1 }
            }
        }
        guard end < bytes.count else { i = bytes.count; throw fail("unterminated string") }
        if high < 0x80 && !unicode {
            // Escapes of ASCII only: decoded straight into the string, ASCII, so valid.
            let text = try String(unsafeUninitializedCapacity: end - start) { out in try unescape(into: out, start: start, plain: plain, end: end) }
            i = end + 1
            return text
        }
        let out = try [UInt8](unsafeUninitializedCapacity: end - start) { out, count in
            count = try unescape(into: out, start: start, plain: plain, end: end)
        }
        i = end + 1
        guard let text = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8") }
        return text
    }

    /// The bytes of a string from `start` to `end` (its closing quote), plain up to `plain`, with
    /// its escapes decoded, written to `out` (at least `end - start` long); their count.
    private mutating func unescape(into out: UnsafeMutableBufferPointer<UInt8>, start: Int, plain: Int, end: Int) throws -> Int {
        var o = plain - start
        _ = UnsafeMutableBufferPointer(rebasing: out[0..<o]).initialize(from: UnsafeBufferPointer(rebasing: bytes[start..<plain]))
        var high: UInt8 = 0
        while i < end {
            let run = i
            i = plainRun(from: i, to: end, high: &high)
            guard i == end || bytes[i] >= 0x20 else { throw fail("a control character in a string") }
            _ = UnsafeMutableBufferPointer(rebasing: out[o..<(o + i - run)]).initialize(from: UnsafeBufferPointer(rebasing: bytes[run..<i]))
            o += i - run
            guard i < end else { break }
            // bytes[i] is a backslash: an unescaped quote before `end` would have ended the string.
            i += 1
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out[o] = e
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "u"):
                guard i + 4 <= end else { throw fail("a short \\u escape") }
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw fail("a lone surrogate") }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw fail("a lone surrogate")
                }
                guard let u = Unicode.Scalar(scalar), let units = UTF8.encode(u) else { throw fail("an invalid \\u escape") }
                for unit in units { out[o] = unit; o += 1 }
                continue
            default: throw fail("an invalid escape")
            }
            o += 1
        }
        return o
    }

    /// Where the plain run of a string that starts at `from` ends, before `limit`: at its first
    /// quote, backslash or control character, or at `limit`; the bytes passed are ORed into
    /// `high`. Eight bytes at a time, each word tested for all three at once: a byte at a time
    /// was most of reading rollout.yaml's text out of an adoption record.
    @inline(__always)
    func plainRun(from: Int, to limit: Int, high: inout UInt8) -> Int {
        var k = from
        var seen: UInt64 = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, tops: UInt64 = 0x8080_8080_8080_8080
            while k + 8 <= limit {
                let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                let quote = w ^ 0x2222_2222_2222_2222, slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
                // A byte that is zero (the quote, the backslash) or below 0x20 sets its top bit;
                // a byte above the first one found may be set wrongly, so that word is read byte by byte.
                let found = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((w &- 0x2020_2020_2020_2020) & ~w)
                if found & tops != 0 { break }
                seen |= w
                k += 8
            }
        }
        while k < limit {
            let c = bytes[k]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
            seen |= UInt64(c)
            k += 1
        }
        if seen & 0x8080_8080_8080_8080 != 0 { high |= 0x80 }
        return k
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("a short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("a bad \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    func utf8(_ from: Int, _ to: Int) throws -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[from..<to])
        // ASCII, the common case, needs no validation.
        if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw fail("invalid UTF-8") }
        return text
    }

    mutating func int() throws -> Int {
        skipSpace()
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        var n = 0, digits = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw fail("a number too large") }
            n = a
            digits += 1
            i += 1
        }
        guard digits > 0 else { throw fail("expected a whole number") }
        let first = bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        if digits > 1 && bytes[first] == UInt8(ascii: "0") { throw fail("a number with a leading zero") }
        // A fraction or exponent is read as JSONDecoder would: only an exact whole number is an Int.
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = start
            let d = try double()
            guard d.rounded() == d, let exact = Int(exactly: d) else { throw fail("expected a whole number") }
            return exact
        }
        return bytes[start] == UInt8(ascii: "-") ? -n : n
    }

    mutating func double() throws -> Double {
        let range = try numberText()
        guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)) else {
            throw fail("expected a number")
        }
        return d
    }

    /// JSON's number grammar exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    mutating func numberText() throws -> Range<Int> {
        skipSpace()
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let lead = i
        let whole = digits()
        guard whole > 0, whole == 1 || bytes[lead] != UInt8(ascii: "0") else { throw fail("expected a number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("expected digits after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("expected an exponent") }
        }
        return start..<i
    }

    mutating func bool() throws -> Bool {
        skipSpace()
        if i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "t"), bytes[i + 1] == UInt8(ascii: "r"), bytes[i + 2] == UInt8(ascii: "u"), bytes[i + 3] == UInt8(ascii: "e") {
            i += 4
            return true
        }
        if i + 5 <= bytes.count, bytes[i] == UInt8(ascii: "f"), bytes[i + 1] == UInt8(ascii: "a"), bytes[i + 2] == UInt8(ascii: "l"),
           bytes[i + 3] == UInt8(ascii: "s"), bytes[i + 4] == UInt8(ascii: "e") {
            i += 5
            return false
        }
        throw fail("expected true or false")
    }

    mutating func date() throws -> Date {
        let text = try string()
        guard let d = Timestamp.parse(text) else { throw fail("not an ISO 8601 time: \(text)") }
        return d
    }

    mutating func raw<T: RawRepresentable>(_: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let v = T(rawValue: text) else { throw fail("unknown value '\(text)'") }
        return v
    }

    /// Steps over any value, checking only that it is well formed.
    mutating func skipValue() throws {
        guard let c = peek() else { throw fail("expected a value") }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw fail("values nested more than \(Self.maxDepth) deep") }
            try skipContainer(c)
            return
        }
        switch c {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): guard null() else { throw fail("expected null") }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // As JSONDecoder does with a number it does not read: its characters, unchecked
            // (`1-346` in an unknown key is accepted by it; the differential test found it).
            while i < bytes.count, (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) || bytes[i] == UInt8(ascii: "-")
                || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { i += 1 }
        default: throw fail("expected a value")
        }
    }

    mutating func skipContainer(_ c: UInt8) throws {
        if c == UInt8(ascii: "{") {
            try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
                guard r.peek() == UInt8(ascii: "\"") else { throw r.fail("expected a key") }
                try r.skipString()
                try r.expect(UInt8(ascii: ":"))
                try r.skipValue()
            }
        } else {
            try array { try $0.skipValue() }
        }
    }

    /// Steps over an object or array by its brackets alone, strings taken whole: for bytes already
    /// proven (state.json's items, the kept parse's definitions), each read later by a full decode,
    /// and so only located here (`skipBracketedBytes`).
    /// How many colons the object or array that comes next holds, nested and quoted ones too: an
    /// upper bound on its members, to make room for them (0 when it does not end).
    func colonsInNextValue() -> Int {
        var r = self
        guard let open = r.peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else { return 0 }
        let end = JSONReader.skipBracketedBytes(bytes, from: r.i)
        guard end > r.i, let base = bytes.baseAddress else { return 0 }
        var count = 0, at = base + r.i
        let stop = base + end
        while at < stop, let hit = memchr(at, Int32(UInt8(ascii: ":")), stop - at) {
            count += 1
            at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    mutating func skipBracketed() throws {
        guard let open = peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else { throw fail("expected an object or an array") }
        let end = JSONReader.skipBracketedBytes(bytes, from: i)
        guard end > i else { throw fail("unterminated \(open == UInt8(ascii: "{") ? "object" : "array")") }
        i = end
    }

    /// Where the object or array at `i` ends (just past its bracket), strings taken whole and their
    /// escapes passed over; -1 when it does not end in `p`. A byte loop in Swift: an SSE2 scanner
    /// in C won by 0.5–2.3 ms on `status` and 1.4–1.5 ms on a write at 8,000 items (3.7 MB of
    /// state.json), under the 2 ms it had to win by to stay (issue 28).
    static func skipBracketedBytes(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var depth = 0
        var inString = false
        var i = start
        let n = p.count
        while i < n {
            let c = p[i]
            i += 1
            if inString {
                if c == 0x5C { i += 1 } else if c == 0x22 { inString = false }
            } else if c == 0x22 {
                inString = true
            } else if c == 0x7B || c == 0x5B {
                depth += 1
            } else if c == 0x7D || c == 0x5D {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return -1
    }

    /// An object of objects or arrays located, not read: each member's key, where the whole
    /// `"key":value` is and where its value is (offsets into `bytes`). For proven bytes whose
    /// members are decoded one by one later (state.json's items, the kept parse's catalog).
    /// `reading`, when given, is handed each member positioned at its value, to read it as it is
    /// located; it leaves the reader past the value, or where it was when it could not read it
    /// (the value is then stepped over).
    mutating func locatedMembers(reservingFor bytesPerMember: Int, reading: ((String, inout JSONReader) -> Void)? = nil) throws -> [(key: String, whole: Range<Int>, value: Range<Int>)] {
        var members: [(key: String, whole: Range<Int>, value: Range<Int>)] = []
        members.reserveCapacity(bytes.count / bytesPerMember)
        try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
            r.skipSpace()
            let start = r.i
            let key = try r.string()
            try r.expect(UInt8(ascii: ":"))
            r.skipSpace()
            let value = r.i
            reading?(key, &r)
            if r.i == value { try r.skipBracketed() }
            members.append((key, start..<r.i, value..<r.i))
        }
        return members
    }

    /// An unknown key's text is never read, so (as with JSONDecoder) only its end is found.
    mutating func skipString() throws {
        i += 1
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
        guard i < bytes.count else { throw fail("unterminated string") }
        i += 1
    }

    /// A nested value decoded by JSONDecoder from its own bytes.
    mutating func nested<T: Decodable>(_: T.Type) throws -> T {
        skipSpace()
        let start = i
        try skipValue()
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(UnsafeBufferPointer(rebasing: bytes[start..<i])))
        } catch {
            throw Malformed(description: "not \(subject): \(T.self) at byte \(start): \(error)")
        }
    }

    mutating func optional<T>(_ read: (inout JSONReader) throws -> T) throws -> T? {
        if null() { return nil }
        return try read(&self)
    }
}
