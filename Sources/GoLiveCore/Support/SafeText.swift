/// Text from notes, files and probes is data, never terminal control: every control character and
/// escape sequence is turned into a visible escape (`\e`, `\u{7}`) before it is shown.
public enum SafeText {
    public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
        // Most text is printable ASCII, which needs no change: checked on the bytes, returned as is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return text }
        // Otherwise the bytes are copied and only what must be escaped is changed: building the
        // String scalar by scalar was a third of a Markdown export of a million records (issue 30).
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            func escape(_ value: UInt32) { out += Array("\\u{\(String(value, radix: 16))}".utf8) }
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x20 && b < 0x7f {
                    out.append(b)
                    i += 1
                    continue
                }
                if b < 0x80 {
                    switch b {
                    case 0x0a where keepNewlines: out.append(b)
                    case 0x09: out += [0x20, 0x20]
                    case 0x1b: out += [UInt8(ascii: "\\"), UInt8(ascii: "e")]
                    case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                    case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                    default: escape(UInt32(b))
                    }
                    i += 1
                    continue
                }
                // A scalar of 2 to 4 bytes (a String's UTF-8 is valid): its value decides.
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                switch value {
                case 0x80..<0xa0, 0x200b...0x200f, 0x2028, 0x2029, 0x202a...0x202e, 0x2060...0x2064, 0x2066...0x2069, 0xfeff:
                    // C1 controls; bidirectional overrides and marks, zero-width characters and the
                    // Unicode line separators can make text read differently from what it is (or
                    // hide a line break).
                    escape(value)
                default:
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
                }
                i += length
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The sanitiser as first written, scalar by scalar: the reference the byte copier above is
    /// checked against.
    static func sanitizedByScalars(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0a where keepNewlines: out.unicodeScalars.append(scalar)
            case 0x09: out += "  "
            case 0x1b: out += "\\e"
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x00..<0x20, 0x7f, 0x80..<0xa0:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            case 0x200b...0x200f, 0x2028, 0x2029, 0x202a...0x202e, 0x2060...0x2064, 0x2066...0x2069, 0xfeff:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
