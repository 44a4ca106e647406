/// What an operator (or a probe) recorded about an item.
public enum ItemStatus: String, CaseIterable, Codable, Sendable {
    case open, passed, failed, waived, not_applicable = "not_applicable"

    public var glyph: String {
        switch self {
        case .open: return "○"
        case .passed: return "✓"
        case .failed: return "✗"
        case .waived: return "~"
        case .not_applicable: return "–"
        }
    }

    public var word: String {
        switch self {
        case .not_applicable: return "n/a"
        default: return rawValue
        }
    }
}
