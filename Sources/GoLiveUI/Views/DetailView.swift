import GoLiveCore

enum DetailView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.box(r, title: "Item")
        guard s.selectedRow != nil else {
            screen.put(r.x + 2, r.y + 1, "no item selected", .dim)
            return
        }
        let text = lines(s, width: r.width - 4)
        // The full view scrolls; beside a list, ⏎ opens it.
        let full = s.mode == .detail
        text.draw(&screen, x: r.x + 2, y: r.y + 1, width: r.width - 4, height: r.height - 2,
                  offset: full ? s.scroll : 0, keys: full ? "pgup/pgdn scroll" : "⏎ shows all")
    }

    static func lines(_ s: UIState, width: Int) -> PaneText {
        var p = PaneText()
        guard let row = s.selectedRow, let def = s.dashboard.config.item(row.id) else { return p }
        let state = s.dashboard.readiness.state.item(row.id)
        p.add(row.id, .title)
        p.wrapped(def.title, .accent, width: width)
        p.field("status", "\(row.statusLabel) — \(row.detail)", TextLayout.statusRole(row), width: width)
        p.field("severity", "\(TextLayout.severityLabel(def.severity))   owner role: \(def.owner)", width: width)
        p.field("why", def.why, .info, width: width)
        if let by = state.updatedBy, let at = state.updatedAt { p.field("updated", "\(Timestamp.short(at)) by \(by)", width: width) }
        if let w = state.waiver { p.field("waiver", "until \(Timestamp.short(w.expires)) by \(w.by): \(w.reason)", .warn, width: width) }
        if row.derived, let from = def.derivedFromCapabilityField {
            p.field("from", "rollout.yaml capabilities, field '\(from.rawValue)'", width: width)
            for cap in s.dashboard.config.capabilities where cap.missingFields.contains(from) {
                p.field("", "\(cap.name): \(cap.verdict)", .bad, width: width)
            }
        }
        if !state.evidence.isEmpty {
            let older = max(0, state.evidenceCount - state.evidence.count)
            p.add("evidence (\(max(state.evidenceCount, state.evidence.count)), newest first)", .dim)
            for e in state.evidence.reversed() {
                var text = "[\(e.kind)] \(e.text)"
                if let url = e.url { text += " <\(url)>" }
                if let sha = e.sha256 { text += " sha256:\(sha.prefix(12))" }
                p.wrapped(text, .normal, width: width, indent: "  ")
            }
            if older > 0 { p.add("  \(older) older in the journal: the history below, L timeline", .dim) }
        }
        if s.historyItem == row.id && !s.history.isEmpty {
            p.add("history (\(state.changes) change\(state.changes == 1 ? "" : "s"), newest first)", .dim)
            for e in s.history.reversed() {
                let what: String
                switch e.kind {
                case .itemSet: what = "\(e.data.status?.word ?? "set") \(e.data.note ?? "")" + (e.data.evidence?.url.map { " <\($0)>" } ?? "")
                case .itemEvidence: what = "evidence \(e.data.evidence?.text ?? "")" + (e.data.evidence?.url.map { " <\($0)>" } ?? "")
                case .itemWaived: what = "waived until \(e.data.expires.map(Timestamp.short) ?? "?"): \(e.data.reason ?? "")"
                default: what = e.kind.rawValue
                }
                p.wrapped("#\(e.seq) \(Timestamp.short(e.ts)) \(e.actor): \(what)", .normal, width: width, indent: "  ")
            }
        }
        return p
    }
}
