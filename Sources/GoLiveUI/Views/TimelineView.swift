import GoLiveCore

enum TimelineView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        let events = s.visibleTimeline
        screen.box(r, title: "Timeline · newest \(s.timeline.count) events\(s.filter.isEmpty ? "" : " · /\(s.filter)") · ⏎ opens · L or esc closes")
        let rows = r.height - 2
        let newestFirst = Array(events.reversed())
        let cursor = min(s.timelineCursor, max(0, newestFirst.count - 1))
        let top = max(0, cursor - rows + 1)
        for (i, e) in newestFirst.dropFirst(top).prefix(rows).enumerated() {
            let y = r.y + 1 + i
            let role: Role = e.kind == .actionRefused ? .bad : e.kind == .sessionStarted || e.kind == .sessionEnded ? .dim : e.kind == .gateShown ? .info : .normal
            var x = r.x + 2
            if top + i == cursor { screen.put(r.x + 1, y, "›", .accent) }
            x += screen.put(x, y, "#\(e.seq) \(Timestamp.short(e.ts)) ", .dim)
            x += screen.put(x, y, ListView.pad(e.actor, 7) + " ", .accent, maxWidth: 8)
            x += screen.put(x, y, String(e.session.suffix(8)) + " ", .dim)
            screen.put(x, y, EventText.describe(e), role, maxWidth: r.maxX - 2 - x)
        }
        if events.isEmpty { screen.put(r.x + 2, r.y + 1, "no event matches", .dim) }
    }
}
