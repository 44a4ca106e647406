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
        // Show the end of long input, as an editor does.
        var text = SafeText.sanitize(field.text)
        while Columns.width(text) > width - 1 { text.removeFirst() }
        screen.put(x, y, text + (focused ? "▏" : ""), .input, maxWidth: width)
    }

    static func dialog(_ s: UIState, _ dialog: Dialog, _ screen: inout Screen) {
        switch dialog {
        case let .note(kind, item, note):
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

enum StatusLines {
    /// One line on every view: where the canary is, and its most urgent alert as a banner.
    static func canary(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        let o = s.dashboard.canary
        if let alert = o.alerts.first {
            let more = o.alerts.count > 1 ? " (+\(o.alerts.count - 1) more · c shows all)" : ""
            screen.line(r.x, r.y, r.width, " ⚠ \(alert.text)\(more)", alert.kind == .inFlight ? .banner : .error)
            return
        }
        screen.fill(r, .normal)
        var x = r.x + 1
        x += screen.put(x, r.y, "canary: ", .title)
        for (i, stop) in o.track.enumerated() {
            if i > 0 { x += screen.put(x, r.y, " ─ ", .dim) }
            x += screen.put(x, r.y, stop.mark == .current ? "● \(stop.label)" : stop.label, stop.mark == .current ? .accent : stop.mark == .done ? .ok : .dim)
        }
        var tail = "   exposure \(Policy.percent(o.exposurePct)) · cap \(Policy.percent(o.capPct))"
        if o.stage == .held { tail += " · HELD" }
        if o.next != nil { tail += " · approvals \(o.approvalsFresh.count)/\(o.approvalsNeeded)" }
        if let shadow = o.shadowServed, let need = o.shadowNeeded, shadow < need { tail += " · shadow \(Duration.words(need - shadow)) to go" }
        screen.put(x, r.y, tail, .normal, maxWidth: r.maxX - x)
    }

    static func message(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.fill(r, .normal)
        if let t = s.transition {
            let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
            let elapsed = max(0, s.now.timeIntervalSince(t.started))
            screen.line(r.x, r.y, r.width, " \(frames[Int(elapsed * 10) % frames.count]) \(t.label) · \(String(format: "%.1f", elapsed)) s", .banner)
        } else if let probe = s.probe {
            let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
            let elapsed = max(0, s.now.timeIntervalSince(probe.started))
            let spin = frames[Int(elapsed * 10) % frames.count]
            screen.line(r.x, r.y, r.width, " \(spin) running the probe of \(probe.item) · \(String(format: "%.1f", elapsed)) s · esc cancels", .banner)
        } else if let line = s.commandLine {
            screen.put(r.x, r.y, ":" + line.text + "▏", .input, maxWidth: r.width)
        } else if s.filterEditing {
            screen.put(r.x, r.y, "/" + s.filter + "▏", .input, maxWidth: r.width)
        } else if let m = s.message {
            screen.line(r.x, r.y, r.width, " " + m.text, m.kind == .error ? .error : .message)
        } else if !s.filter.isEmpty {
            screen.put(r.x + 1, r.y, "filter: \(s.filter)   (esc clears)", .dim, maxWidth: r.width - 1)
        } else if s.readOnly {
            screen.put(r.x + 1, r.y, "read-only review: every write is refused", .dim)
        }
    }

    static func footer(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.fill(r, .footerText)
        var x = r.x
        for (key, label) in Keymap.footer(for: s.scope) {
            let need = Columns.width(key) + Columns.width(label) + 3
            guard x + need <= r.maxX else { break }
            x += screen.put(x, r.y, " \(key) ", .footerKey)
            x += screen.put(x, r.y, "\(label) ", .footerText)
        }
    }
}
