/// A key press, decoded from curses or fed by tests.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, enter, escape, tab, backTab, backspace, delete, pageUp, pageDown, home, end
    /// Text the terminal delivered as a paste (bracketed paste): text, never keys.
    case paste(String)

    public var label: String {
        switch self {
        case .char(" "): return "space"
        case let .char(c): return String(c)
        case let .ctrl(c): return "^" + String(c).uppercased()
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .enter: return "⏎"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "⇧tab"
        case .backspace: return "⌫"
        case .delete: return "del"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .home: return "home"
        case .end: return "end"
        case .paste: return "paste"
        }
    }
}
