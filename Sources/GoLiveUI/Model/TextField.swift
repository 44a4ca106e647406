import Foundation
import GoLiveCore

/// A one-line text input.
public struct TextField: Equatable, Sendable {
    public var text: String = ""
    public init(_ text: String = "") { self.text = text }

    /// Edits the text; returns false for keys it does not use.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case let .char(c): text.append(c); return true
        case .backspace: if !text.isEmpty { text.removeLast() }; return true
        case .ctrl("u"): text = ""; return true
        case let .paste(pasted):
            // A pasted log is one note: line breaks become spaces, never Enter.
            let flat = pasted.replacingOccurrences(of: "\r\n", with: " ").map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }
                .filter { c in !c.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) } }
            text.append(contentsOf: flat.prefix(max(0, Command.noteLimit - text.count)))
            return true
        default: return false
        }
    }
}
