import GoLiveCore

enum Overlay {
    static func centered(_ screen: Screen, width: Int, height: Int) -> Rect {
        let w = min(width, screen.width - 2), h = min(height, screen.height - 2)
        return Rect(x: (screen.width - w) / 2, y: (screen.height - h) / 2, width: w, height: h)
    }

    static func frame(_ screen: inout Screen, _ r: Rect, _ title: String) {
        screen.fill(r, .dialog)
        screen.box(r, title: title, role: .border, titleRole: .dialogTitle)
    }

    /// The key table, wrapped to the overlay's width and cut into pages that fit the screen.
    static func helpPages(_ s: UIState, _ screen: Screen) -> (r: Rect, pages: [[PaneText.Line]]) {
        // The whole height when paged: two pages at 80×24.
        let w = min(78, screen.width - 2)
        let r = Rect(x: (screen.width - w) / 2, y: 0, width: w, height: screen.height)
        var text = PaneText()
        text.labelWidth = 11
        for b in Keymap.bindings where !(s.readOnly && b.action.writes) {
            let scope = b.scope == .everywhere ? "" : " (\(b.scope.rawValue))"
            text.field(b.keys.map(\.label).joined(separator: " "), b.help + scope, .dialog, width: r.width - 4)
        }
        text.add("", .dim)
        text.wrapped(": commands — pass|fail|na|evidence ID NOTE · waive ID 7d REASON · signoff CONTOUR ROLE · canary ACTION · theme NAME", .dim, width: r.width - 4)
        let perPage = max(1, r.height - 3)
        let pages = stride(from: 0, to: text.lines.count, by: perPage).map { Array(text.lines[$0..<min(text.lines.count, $0 + perPage)]) }
        // One page is as tall as it needs to be.
        if pages.count == 1 {
            return (centered(screen, width: 78, height: text.lines.count + 4), pages)
        }
        return (r, pages)
    }

    static func help(_ s: UIState, _ screen: inout Screen) {
        let (r, pages) = helpPages(s, screen)
        let page = min(s.helpPage, pages.count - 1)
        frame(&screen, r, pages.count == 1 ? "Keys · any key closes" : "Keys · page \(page + 1) of \(pages.count)")
        for (i, line) in pages[page].enumerated() {
            let y = r.y + 1 + i
            if let label = line.label {
                screen.put(r.x + 2, y, label, .accent, maxWidth: 10)
                screen.put(r.x + 13, y, line.text, line.role, maxWidth: r.width - 15)
            } else {
                screen.put(r.x + 2, y, line.text, line.role, maxWidth: r.width - 4)
            }
        }
        let hint = pages.count == 1 ? "any key closes"
            : page + 1 < pages.count ? "pgdn or space: next page · any other key closes" : "pgup: previous page · any other key closes"
        screen.put(r.x + 2, r.maxY - 2, hint, pages.count == 1 ? .dim : .accent, maxWidth: r.width - 4)
    }

    static func field(_ screen: inout Screen, _ r: Rect, _ y: Int, _ label: String, _ field: TextField, focused: Bool) {
        screen.put(r.x + 2, y, label, focused ? .accent : .dim, maxWidth: 12)
        let x = r.x + 14
        let width = r.maxX - 2 - x
        screen.fill(Rect(x: x, y: y, width: width, height: 1), .input)
        // Show the end of long input, as an editor does: measured from the end, so a 100,000
        // character paste costs what the visible part costs.
        let tail = SafeText.sanitize(String(field.text.suffix(max(8, width * 4))))
        var shown: [Character] = [], used = 0
        for c in tail.reversed() {
            let w = Columns.width(String(c))
            if used + w > width - 1 { break }
            used += w
            shown.append(c)
        }
        let text = String(shown.reversed())
        screen.put(x, y, text + (focused ? "▏" : ""), .input, maxWidth: width)
    }

    static func dialog(_ s: UIState, _ dialog: Dialog, _ screen: inout Screen) {
        switch dialog {
        case let .note(kind, item, note, _):
            let title: String
            switch kind {
            case .pass: title = "Pass \(item)"
            case .fail: title = "Fail \(item)"
            case .notApplicable: title = "Not applicable: \(item)"
            case .evidence: title = "Evidence for \(item)"
            }
            let r = centered(screen, width: 72, height: 7)
            frame(&screen, r, title)
            let prompt = kind == .notApplicable ? "Why does it not apply? (required)" : kind == .evidence ? "A note, or a link followed by a note" : "What was checked? A link first becomes the evidence link."
            screen.put(r.x + 2, r.y + 1, prompt, .dialog, maxWidth: r.width - 4)
            field(&screen, r, r.y + 3, "note", note, focused: true)
            screen.put(r.x + 2, r.y + 5, "⏎ record   esc cancel", .dim)
        case let .waive(item, blocker, reason, expires, focus, _):
            let r = centered(screen, width: 72, height: blocker ? 10 : 9)
            frame(&screen, r, "Waive \(item)")
            var y = r.y + 1
            if blocker {
                screen.put(r.x + 2, y, "⚠ BLOCKER: the gate will count it as satisfied until the expiry", .bad, maxWidth: r.width - 4)
                y += 1
            }
            screen.put(r.x + 2, y, "A waiver needs a reason and an expiry (7d, 12h or 2026-12-31).", .dialog, maxWidth: r.width - 4)
            screen.put(r.x + 2, y + 1, "The policy allows at most \(s.dashboard.config.policy.waivers.maxDays) days (waivers.max_days).", .dim, maxWidth: r.width - 4)
            field(&screen, r, y + 2, "reason", reason, focused: focus == 0)
            field(&screen, r, y + 3, "expires", expires, focused: focus == 1)
            screen.put(r.x + 2, r.maxY - 2, "tab next field   ⏎ waive   esc cancel", .dim)
        case let .signOff(contour, roles, selected, note, _):
            let standing = s.dashboard.summaries[contour]!
            var text = PaneText()
            text.wrapped("\(standing.satisfied)/\(standing.total) done, \(standing.openBlockers) open blocker(s). The sign-off is bound to the contour as it is now and goes stale if any of its items changes.", .dialog, width: min(72, screen.width - 2) - 4)
            let r = centered(screen, width: 72, height: 6 + text.lines.count + roles.count)
            frame(&screen, r, "Sign off \(contour.title)")
            text.draw(&screen, x: r.x + 2, y: r.y + 1, width: r.width - 4, height: text.lines.count, offset: 0, keys: "")
            let top = r.y + 2 + text.lines.count
            for (i, role) in roles.enumerated() {
                screen.put(r.x + 4, top + i, (i == selected ? "(•) " : "( ) ") + "as \(role)", i == selected ? .accent : .dialog)
            }
            field(&screen, r, top + roles.count, "note", note, focused: true)
            screen.put(r.x + 2, r.maxY - 2, "↑↓ role   ⏎ sign off   esc cancel", .dim)
        case let .canaryConfirm(c):
            let extra = c.reason == nil ? 6 : 7
            var text = PaneText()
            for l in c.lines { text.wrapped(l, .dialog, width: min(76, screen.width - 2) - 4) }
            let r = centered(screen, width: 76, height: text.lines.count + extra)
            frame(&screen, r, c.title)
            // A long tenant list scrolls inside the dialog rather than pushing the fields off screen.
            text.draw(&screen, x: r.x + 2, y: r.y + 1, width: r.width - 4, height: r.height - extra,
                      offset: c.scroll, keys: "pgup/pgdn scroll")
            var y = r.y + 1 + (r.height - extra) + 1
            if let reason = c.reason {
                field(&screen, r, y, "reason", reason, focused: c.focus == 0)
                y += 1
            }
            field(&screen, r, y, "confirm", c.typed, focused: c.focus == 1)
            let x = screen.put(r.x + 2, r.maxY - 2, "[ Cancel ]", .selected)
            screen.put(r.x + 3 + x, r.maxY - 2, "⏎ empty cancels · type \(c.targets.joined(separator: " or ")), ⏎ confirms · esc", .dim, maxWidth: r.width - 5 - x)
        case let .canaryHold(reason):
            let r = centered(screen, width: 72, height: 7)
            frame(&screen, r, "Hold the canary")
            screen.put(r.x + 2, r.y + 1, "Traffic stays where it is; advances wait until someone resumes.", .dialog, maxWidth: r.width - 4)
            field(&screen, r, r.y + 3, "reason", reason, focused: true)
            screen.put(r.x + 2, r.y + 5, "⏎ hold   esc cancel", .dim)
        case let .confirmDiscard(_, thenQuit):
            let r = centered(screen, width: 56, height: 5)
            frame(&screen, r, thenQuit ? "Quit?" : "Discard?")
            screen.put(r.x + 2, r.y + 1, thenQuit ? "A form is half filled. Quit and lose it?" : "Discard what you typed?", .dialog, maxWidth: r.width - 4)
            screen.put(r.x + 2, r.y + 3, "y yes   n no (back to the form)", .dim)
        }
    }
}
