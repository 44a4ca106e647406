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

    static func help(_ s: UIState, _ screen: inout Screen) {
        let lines = Keymap.bindings.map { b -> (String, String) in
            let keys = b.keys.map(\.label).joined(separator: " ")
            let scope = b.scope == .everywhere ? "" : " (\(b.scope.rawValue))"
            return (keys, b.help + scope)
        }
        // One column when it fits, two when the terminal is short.
        let columns = lines.count + 4 <= screen.height - 2 ? 1 : 2
        let perColumn = (lines.count + columns - 1) / columns
        let r = centered(screen, width: columns == 1 ? 78 : screen.width - 2, height: perColumn + 4)
        frame(&screen, r, "Keys · any key closes")
        let columnWidth = (r.width - 2) / columns
        for (i, (keys, help)) in lines.enumerated() {
            let x = r.x + 2 + (i / perColumn) * columnWidth
            let y = r.y + 1 + i % perColumn
            guard y < r.maxY - 2 else { continue }
            screen.put(x, y, keys, .accent, maxWidth: 10)
            screen.put(x + 11, y, help, .dialog, maxWidth: columnWidth - 13)
        }
        screen.put(r.x + 2, r.maxY - 2, ": pass|fail|na|evidence ID NOTE · waive ID 7d REASON · signoff CONTOUR ROLE · canary ACTION · theme NAME", .dim, maxWidth: r.width - 4)
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
        case let .waive(item, blocker, reason, expires, focus):
            let r = centered(screen, width: 72, height: blocker ? 10 : 9)
            frame(&screen, r, "Waive \(item)")
            var y = r.y + 1
            if blocker {
                screen.put(r.x + 2, y, "⚠ BLOCKER: the gate will count it as satisfied until the expiry", .bad, maxWidth: r.width - 4)
                y += 1
            }
            screen.put(r.x + 2, y, "A waiver needs a reason and an expiry (7d, 12h or 2026-12-31).", .dialog, maxWidth: r.width - 4)
            field(&screen, r, y + 2, "reason", reason, focused: focus == 0)
            field(&screen, r, y + 3, "expires", expires, focused: focus == 1)
            screen.put(r.x + 2, r.maxY - 2, "tab next field   ⏎ waive   esc cancel", .dim)
        case let .signOff(contour, roles, selected, note):
            let r = centered(screen, width: 72, height: 8 + roles.count)
            frame(&screen, r, "Sign off \(contour.title)")
            let standing = s.dashboard.summaries[contour]!
            screen.put(r.x + 2, r.y + 1, "\(standing.satisfied)/\(standing.total) done, \(standing.openBlockers) open blocker(s). The sign-off is bound to the", .dialog, maxWidth: r.width - 4)
            screen.put(r.x + 2, r.y + 2, "contour as it is now and goes stale if any of its items changes.", .dialog, maxWidth: r.width - 4)
            for (i, role) in roles.enumerated() {
                screen.put(r.x + 4, r.y + 4 + i, (i == selected ? "(•) " : "( ) ") + "as \(role)", i == selected ? .accent : .dialog)
            }
            field(&screen, r, r.y + 4 + roles.count, "note", note, focused: true)
            screen.put(r.x + 2, r.maxY - 2, "↑↓ role   ⏎ sign off   esc cancel", .dim)
        case let .canaryConfirm(c):
            let r = centered(screen, width: 76, height: c.lines.count + (c.reason == nil ? 6 : 7))
            frame(&screen, r, c.title)
            var y = r.y + 1
            for l in c.lines {
                screen.put(r.x + 2, y, l, .dialog, maxWidth: r.width - 4)
                y += 1
            }
            y += 1
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
