import CNcurses
import Foundation
import GoLiveCore

/// The only file that talks to ncurses: draws a Screen (changed cells only) and reads keys.
final class CursesTerminal {
    private var previous: Screen?
    private var pairs: [RoleStyle: Int16] = [:]
    private var theme: Theme = .monochrome
    let hasColors: Bool

    /// Why this terminal cannot show the cockpit, or nil: said before curses starts, as bad input
    /// (exit 2), with the way forward.
    static func unusable(term: String?) -> String? {
        switch golive_terminal_usable() {
        case 2: return nil
        case 1: return "TERM=\(term ?? "") cannot show the cockpit (it has no cursor addressing); use `golive status` and `golive gate`, or a terminal such as TERM=xterm-256color"
        default: return "cannot drive the terminal \(term.map { "TERM=\($0)" } ?? "(TERM is not set)"): no terminfo entry; set TERM, e.g. TERM=xterm-256color, or use `golive status`"
        }
    }

    init() {
        _ = golive_set_locale()
        initscr()
        raw()          // ^C arrives as a key, so a half-filled form can ask before quitting
        noecho()
        nonl()
        keypad(golive_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(golive_stdscr(), 100)
        // Bracketed paste: the terminal marks pasted text, so a newline in it is never Enter.
        Self.writeRaw("\u{1b}[?2004h")
        hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
    }

    func end() {
        Self.writeRaw("\u{1b}[?2004l")
        endwin()
    }

    static func writeRaw(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    static let pasteStart: [UInt32] = "[200~".unicodeScalars.map(\.value)
    static let pasteEnd: [UInt32] = "\u{1b}[201~".unicodeScalars.map(\.value)

    /// After an ESC: the rest of `ESC [200~`, then everything up to `ESC [201~`, as one paste.
    /// Anything else read while looking is given back, so a plain Escape stays Escape.
    func readPaste() -> String? {
        let w = golive_stdscr()
        wtimeout(w, 0)
        defer { wtimeout(w, 100) }
        var seen: [UInt32] = []
        for expected in Self.pasteStart {
            var c: UInt32 = 0
            let r = golive_get_wch(w, &c)
            if r == golive_err() || r == golive_key_code_yes() || c != expected {
                if r != golive_err() { r == golive_key_code_yes() ? _ = ungetch(Int32(c)) : seen.append(c) }
                for s in seen.reversed() { _ = unget_wch(wchar_t(s)) }
                return nil
            }
            seen.append(c)
        }
        // The paste itself: read until its end marker (or a pause, if a terminal never sends one).
        wtimeout(w, 200)
        var text: [UInt32] = []
        text.reserveCapacity(4096)
        while true {
            var c: UInt32 = 0
            let r = golive_get_wch(w, &c)
            if r == golive_err() { break }
            if r == golive_key_code_yes() { continue }
            text.append(c)
            if text.count >= Self.pasteEnd.count, text.suffix(Self.pasteEnd.count).elementsEqual(Self.pasteEnd) {
                text.removeLast(Self.pasteEnd.count)
                break
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.compactMap(UnicodeScalar.init))
        return String(out)
    }

    var size: (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        golive_getmaxyx(golive_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    func apply(_ theme: Theme) {
        self.theme = theme
        pairs = [:]
        previous = nil
        guard hasColors && theme.usesColor else { return }
        var next: Int16 = 1
        for style in Set(theme.styles.values) {
            let key = RoleStyle(fg: style.fg, bg: style.bg)
            if pairs[key] != nil { continue }
            func n(_ c: ThemeColor) -> Int16 { if case let .index(i) = c { return Int16(min(i, Int(golive_colors()) - 1)) }; return -1 }
            init_pair(next, n(style.fg), n(style.bg))
            pairs[key] = next
            next += 1
        }
    }

    private func attributes(_ role: Role) -> (Int32, Int16) {
        let style = theme.style(role)
        var a = golive_a_normal()
        if style.attrs.contains(.bold) { a |= golive_a_bold() }
        if style.attrs.contains(.reverse) { a |= golive_a_reverse() }
        if style.attrs.contains(.underline) { a |= golive_a_underline() }
        if style.attrs.contains(.dim) { a |= golive_a_dim() }
        let pair = pairs[RoleStyle(fg: style.fg, bg: style.bg)] ?? 0
        return (a, pair)
    }

    /// Copies only the cells that changed since the last frame.
    func draw(_ screen: Screen) {
        let win = golive_stdscr()
        let changed = screen.changes(since: previous)
        if previous == nil || previous!.width != screen.width || previous!.height != screen.height { werase(win) }
        for i in changed {
            let cell = screen.cells[i]
            if cell.text.isEmpty { continue } // right half of a wide character
            let y = Int32(i / screen.width), x = Int32(i % screen.width)
            // The bottom-right cell would scroll the window on some terminals.
            if y == Int32(screen.height - 1) && x == Int32(screen.width - 1) { continue }
            let (attrs, pair) = attributes(cell.role)
            var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
            wide.append(0)
            _ = golive_put_cell(win, y, x, wide, attrs, pair)
        }
        wnoutrefresh(win)
        doupdate()
        previous = screen
    }

    func forceRedraw() { previous = nil }

    /// One key, or nil after the 100 ms timeout.
    func read() -> TerminalInput? {
        var ch: UInt32 = 0
        let r = golive_get_wch(golive_stdscr(), &ch)
        if r == golive_err() { return nil }
        if r == golive_key_code_yes() {
            switch Int32(ch) {
            case golive_key_resize():
                let s = size
                return .resize(s.width, s.height)
            default: return Self.decoder.function(Int32(ch)).map(TerminalInput.key)
            }
        }
        if ch == 27, let pasted = readPaste() { return .key(.paste(pasted)) }
        return Self.decoder.character(ch).map(TerminalInput.key)
    }

    static let decoder = KeyDecoder(functionKeys: [
        KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right, KEY_HOME: .home, KEY_END: .end,
        KEY_NPAGE: .pageDown, KEY_PPAGE: .pageUp, KEY_BACKSPACE: .backspace, KEY_DC: .delete, KEY_BTAB: .backTab, KEY_ENTER: .enter,
    ])
}
