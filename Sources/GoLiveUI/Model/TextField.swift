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
        default: return false
        }
    }
}
