import Foundation

/// The one decoder of journal records: the fold, the exports, the timeline and the verifier's
/// decision pass all read records through it. Foundation's JSONDecoder spent three quarters of a
/// state rebuild in generic containers (issue 14); this reads the fields records carry directly
/// from the line's bytes, with JSONDecoder's rules: unknown keys ignored, null as absent, a
/// missing required field or a value of the wrong type an error. The rare nested payloads (a
/// session, a verdict, a transition, a hook result, configuration files, an alert) are handed to
/// JSONDecoder for their own bytes only.
public enum EventDecoder {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode(_ line: UnsafeBufferPointer<UInt8>) throws -> Event {
        var r = Reader(bytes: line)
        let event = try r.event()
        r.skipSpace()
        guard r.i == line.count else { throw r.fail("text after the record") }
        return event
    }

    public static func decode(_ data: Data) throws -> Event {
        try data.withUnsafeBytes { raw in try decode(raw.bindMemory(to: UInt8.self)) }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ what: String) -> Malformed { Malformed(description: "not a journal record: \(what) at byte \(i)") }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
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
        mutating func elements(_ open: UInt8, _ close: UInt8, _ element: (inout Reader) throws -> Void) throws {
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
        mutating func object(_ body: (inout Reader, String) throws -> Void) throws {
            try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
                let key = try r.string()
                try r.expect(UInt8(ascii: ":"))
                try body(&r, key)
            }
        }

        mutating func array(_ body: (inout Reader) throws -> Void) throws {
            try elements(UInt8(ascii: "["), UInt8(ascii: "]"), body)
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = i
            // Plain runs are copied as they are; escapes are rare in records.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") {
                guard bytes[i] >= 0x20 else { throw fail("a control character in a string") }
                i += 1
            }
            guard i < bytes.count else { throw fail("unterminated string") }
            if bytes[i] == UInt8(ascii: "\"") {
                let text = try utf8(start, i)
                i += 1
                return text
            }
            var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    guard let text = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8") }
                    return text
                }
                guard c >= 0x20 else { throw fail("a control character in a string") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { throw fail("a lone surrogate") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail("a lone surrogate")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("an invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("an invalid escape")
                }
            }
            throw fail("unterminated string")
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
            if i < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) {
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
            switch c {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"):
                try elements(UInt8(ascii: "{"), UInt8(ascii: "}")) { r in
                    guard r.peek() == UInt8(ascii: "\"") else { throw r.fail("expected a key") }
                    try r.skipString()
                    try r.expect(UInt8(ascii: ":"))
                    try r.skipValue()
                }
            case UInt8(ascii: "["): try array { try $0.skipValue() }
            case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
            case UInt8(ascii: "n"): guard null() else { throw fail("expected null") }
            default: _ = try numberText()
            }
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
                throw Malformed(description: "not a journal record: \(T.self) at byte \(start): \(error)")
            }
        }

        mutating func optional<T>(_ read: (inout Reader) throws -> T) throws -> T? {
            if null() { return nil }
            return try read(&self)
        }

        mutating func event() throws -> Event {
            var v: Int?, seq: Int?, prev: String?, ts: Date?, session: String?, actor: String?, osUser: String?
            var kind: EventKind?, data: EventData?, sig: String?, hash: String?
            try object { r, key in
                switch key {
                case "v": v = try r.int()
                case "seq": seq = try r.int()
                case "prev": prev = try r.string()
                case "ts": ts = try r.date()
                case "session": session = try r.string()
                case "actor": actor = try r.string()
                case "os_user": osUser = try r.string()
                case "kind": kind = try r.raw(EventKind.self)
                case "data": data = try r.eventData()
                case "sig": sig = try r.optional { try $0.string() }
                case "hash": hash = try r.string()
                default: try r.skipValue()
                }
            }
            guard let v, let seq, let prev, let ts, let session, let actor, let osUser, let kind, let data, let hash else {
                throw fail("a required field is missing")
            }
            return Event(v: v, seq: seq, prev: prev, ts: ts, session: session, actor: actor, osUser: osUser, kind: kind, data: data, sig: sig, hash: hash)
        }

        mutating func eventData() throws -> EventData {
            var d = EventData()
            try object { r, key in
                switch key {
                case "item": d.item = try r.optional { try $0.string() }
                case "status": d.status = try r.optional { try $0.raw(ItemStatus.self) }
                case "note": d.note = try r.optional { try $0.string() }
                case "evidence": d.evidence = try r.optional { try $0.evidence() }
                case "reason": d.reason = try r.optional { try $0.string() }
                case "expires": d.expires = try r.optional { try $0.date() }
                case "contour": d.contour = try r.optional { try $0.raw(Contour.self) }
                case "role": d.role = try r.optional { try $0.string() }
                case "items_hash": d.itemsHash = try r.optional { try $0.string() }
                case "command": d.command = try r.optional { try $0.string() }
                case "name": d.name = try r.optional { try $0.string() }
                case "version": d.version = try r.optional { try $0.string() }
                case "from": d.from = try r.optional { try $0.string() }
                case "to": d.to = try r.optional { try $0.string() }
                case "state_sha256": d.stateSha256 = try r.optional { try $0.string() }
                case "policy_sha256": d.policySha256 = try r.optional { try $0.string() }
                case "applied": d.applied = try r.optional { try $0.bool() }
                case "auto": d.auto = try r.optional { try $0.bool() }
                case "rollout": d.rollout = try r.optional { try $0.string() }
                case "config_sha256": d.configSha256 = try r.optional { try $0.string() }
                case "state_digest": d.stateDigest = try r.optional { try $0.string() }
                case "break_glass": d.breakGlass = try r.optional { try $0.bool() }
                case "session": d.session = try r.optional { try $0.nested(SessionInfo.self) }
                case "verdict": d.verdict = try r.optional { try $0.nested(ShownVerdict.self) }
                case "transition": d.transition = try r.optional { try $0.nested(CanaryTransition.self) }
                case "hook": d.hook = try r.optional { try $0.nested(HookResult.self) }
                case "files": d.files = try r.optional { try $0.nested([ConfigFile].self) }
                case "alert": d.alert = try r.optional { try $0.nested(RaisedAlert.self) }
                default: try r.skipValue()
                }
            }
            return d
        }

        mutating func evidence() throws -> Evidence {
            var kind: String?, text: String?, url: String?, sha: String?, at: Date?, by: String?
            try object { r, key in
                switch key {
                case "kind": kind = try r.string()
                case "text": text = try r.string()
                case "url": url = try r.optional { try $0.string() }
                case "sha256": sha = try r.optional { try $0.string() }
                case "at": at = try r.optional { try $0.date() }
                case "by": by = try r.optional { try $0.string() }
                default: try r.skipValue()
                }
            }
            guard let kind, let text else { throw fail("evidence needs kind and text") }
            return Evidence(kind: kind, text: text, url: url, sha256: sha, at: at, by: by)
        }
    }
}
