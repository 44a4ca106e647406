import GoLiveCore

enum DetailView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.box(r, title: "Item")
        guard let row = s.selectedRow, let def = s.dashboard.config.item(row.id) else {
            screen.put(r.x + 2, r.y + 1, "no item selected", .dim)
            return
        }
        let state = s.dashboard.readiness.state.item(row.id)
        let width = r.width - 4
        var y = r.y + 1
        let bottom = r.maxY - 1
        func line(_ text: String, _ role: Role) {
            guard y < bottom else { return }
            screen.put(r.x + 2, y, text, role, maxWidth: width)
            y += 1
        }
        func field(_ label: String, _ text: String, _ role: Role = .normal) {
            for (i, l) in TextLayout.wrap(text, width: width - 10).enumerated() {
                guard y < bottom else { return }
                if i == 0 { screen.put(r.x + 2, y, label, .dim) }
                screen.put(r.x + 12, y, l, role, maxWidth: width - 10)
                y += 1
            }
        }
        line(row.id, .title)
        for l in TextLayout.wrap(def.title, width: width) { line(l, .accent) }
        field("status", "\(row.statusLabel) — \(row.detail)", TextLayout.statusRole(row))
        field("severity", "\(TextLayout.severityLabel(def.severity))   owner role: \(def.owner)")
        field("why", def.why, .info)
        if let by = state.updatedBy, let at = state.updatedAt { field("updated", "\(Timestamp.short(at)) by \(by)") }
        if let w = state.waiver { field("waiver", "until \(Timestamp.short(w.expires)) by \(w.by): \(w.reason)", .warn) }
        if row.derived, let field_ = def.derivedFromCapabilityField {
            field("from", "rollout.yaml capabilities, field '\(field_.rawValue)'")
            for cap in s.dashboard.config.capabilities where cap.missingFields.contains(field_) {
                field("", "\(cap.name): \(cap.verdict)", .bad)
            }
        }
        if !state.evidence.isEmpty {
            line("evidence", .dim)
            for e in state.evidence.suffix(max(1, (bottom - y) / 2)) {
                var text = "[\(e.kind)] \(e.text)"
                if let url = e.url { text += " <\(url)>" }
                if let sha = e.sha256 { text += " sha256:\(sha.prefix(12))" }
                for l in TextLayout.wrap(text, width: width - 2) { line("  " + l, .normal) }
            }
        }
        if s.historyItem == row.id && !s.history.isEmpty {
            line("history (\(state.changes) change\(state.changes == 1 ? "" : "s"))", .dim)
            for e in s.history.suffix(max(1, bottom - y)).reversed() {
                let what: String
                switch e.kind {
                case .itemSet: what = "\(e.data.status?.word ?? "set") \(e.data.note ?? "")"
                case .itemEvidence: what = "evidence \(e.data.evidence?.text ?? "")"
                case .itemWaived: what = "waived until \(e.data.expires.map(Timestamp.short) ?? "?"): \(e.data.reason ?? "")"
                default: what = e.kind.rawValue
                }
                line("  #\(e.seq) \(Timestamp.short(e.ts)) \(e.actor): \(what)", .normal)
            }
        }
    }
}
