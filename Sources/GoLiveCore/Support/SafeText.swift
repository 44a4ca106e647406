/// Text from notes, files and probes is data, never terminal control: every control character and
/// escape sequence is turned into a visible escape (`\e`, `\u{7}`) before it is shown.
public enum SafeText {
    public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
        // Most text is printable ASCII, which needs no change: checked on the bytes, returned as is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
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
                // Bidirectional overrides and marks, zero-width characters and the Unicode line
                // separators can make text read differently from what it is (or hide a line break).
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
