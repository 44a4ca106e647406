import GoLiveCore

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
        var tail = "   exposure \(Format.percent(o.exposurePct)) · cap \(Format.percent(o.capPct))"
        if o.stage == .held { tail += " · HELD" }
        if o.next != nil { tail += " · approvals \(o.approvalsFresh.count)/\(o.approvalsNeeded)" }
        if let shadow = o.shadowServed, let need = o.shadowNeeded, shadow < need { tail += " · shadow \(Format.duration(need - shadow)) to go" }
        screen.put(x, r.y, tail, .normal, maxWidth: r.maxX - x)
    }

    static func message(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.fill(r, .normal)
        if let t = s.transition {
            let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
            let elapsed = max(0, s.now.timeIntervalSince(t.started))
            screen.line(r.x, r.y, r.width, " \(frames[Int(elapsed * 10) % frames.count]) \(t.label) · \(Format.seconds(elapsed, decimals: 1))", .banner)
        } else if let probe = s.probe {
            let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
            let elapsed = max(0, s.now.timeIntervalSince(probe.started))
            let spin = frames[Int(elapsed * 10) % frames.count]
            screen.line(r.x, r.y, r.width, " \(spin) running the probe of \(probe.item) · \(Format.seconds(elapsed, decimals: 1)) · esc cancels", .banner)
        } else if let line = s.commandLine {
            screen.put(r.x, r.y, ":" + line.text + "▏", .input, maxWidth: r.width)
        } else if s.filterEditing {
            let x = screen.put(r.x, r.y, "/" + s.filter + "▏", .input, maxWidth: r.width)
            if !s.filter.isEmpty { screen.put(r.x + x + 2, r.y, s.filterSummary, .dim, maxWidth: max(0, r.width - x - 2)) }
        } else if let m = s.message {
            screen.line(r.x, r.y, r.width, " " + m.text, m.kind == .error ? .error : .message)
            messagePanel(m, &screen, r)
        } else if !s.filter.isEmpty {
            screen.put(r.x + 1, r.y, "filter: \(s.filter) — \(s.filterSummary)   (esc clears)", .dim, maxWidth: r.width - 1)
        } else if let problem = s.dashboard.readiness.storeProblem {
            // The reason itself, not a pointer to it: the cockpit's own first write (its session)
            // saves a good state.json, so the gate view, read again after it, no longer has one.
            screen.put(r.x + 1, r.y, "⚠ \(problem)", .warn, maxWidth: r.width - 1)
        } else if s.readOnly {
            screen.put(r.x + 1, r.y, "read-only review: every write is refused", .dim)
        }
    }

    /// A message longer than its line is shown whole in a panel just above it, so a refusal is
    /// never cut where it says what to do. The next key closes it, as it clears the message.
    static func messagePanel(_ m: Message, _ screen: inout Screen, _ r: Rect) {
        let inner = r.width - 4
        guard inner > 10, Columns.width(" " + m.text) > r.width else { return }
        let lines = TextLayout.wrap(SafeText.sanitize(m.text), width: inner)
        let height = min(lines.count + 2, max(3, r.y - 2))
        let box = Rect(x: r.x, y: r.y - height, width: r.width, height: height)
        screen.fill(box, m.kind == .error ? .error : .message)
        screen.put(box.x, box.y, "┌" + String(repeating: "─", count: box.width - 2) + "┐", .dim)
        screen.put(box.x, box.maxY - 1, "└" + String(repeating: "─", count: box.width - 2) + "┘", .dim)
        for (i, line) in lines.prefix(height - 2).enumerated() {
            screen.put(box.x, box.y + 1 + i, "│", .dim)
            screen.put(box.x + 2, box.y + 1 + i, line, m.kind == .error ? .error : .message, maxWidth: inner)
            screen.put(box.maxX - 1, box.y + 1 + i, "│", .dim)
        }
    }

    /// Hints that stay when the footer is too narrow for all: the way to every other key, the
    /// verdict, the canary, and the way out.
    static let essentialHints: Set<String> = ["help", "gate", "canary", "quit"]

    static func footer(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.fill(r, .footerText)
        let o = s.dashboard.canary
        var hints = Keymap.footer(for: s.scope, readOnly: s.readOnly) { action in
            switch action {
            case .canaryShadow: return o.stage == .planned
            case .canaryApprove, .canaryAdvance: return o.stage.isLive && o.next != nil
            case .canaryHold: return o.stage.isLive
            case .canaryResume: return o.stage == .held
            case .canaryRollback: return o.stage != .rolledBack && o.stage != .completed
            case .canaryReconcile: return o.pendingUnknown
            case .canaryComplete: return o.stage == .canary && o.next == nil
            default: return true
            }
        }
        func width(_ h: [(String, String)]) -> Int { h.reduce(0) { $0 + Columns.width($1.0) + Columns.width($1.1) + 3 } }
        // Too narrow: drop the other hints from the right until the essential ones fit.
        while width(hints) > r.width, let i = hints.lastIndex(where: { !essentialHints.contains($0.1) }) { hints.remove(at: i) }
        var x = r.x
        for (key, label) in hints {
            let need = Columns.width(key) + Columns.width(label) + 3
            guard x + need <= r.maxX else { break }
            x += screen.put(x, r.y, " \(key) ", .footerKey)
            x += screen.put(x, r.y, "\(label) ", .footerText)
        }
    }
}
