import GoLiveCore

enum ContourView {
    static func glyph(_ sum: Readiness.ContourSummary) -> (String, Role) {
        if sum.failed > 0 { return ("✗ \(sum.failed) failed", .bad) }
        if sum.openBlockers > 0 { return ("! \(sum.openBlockers) blocker\(sum.openBlockers == 1 ? "" : "s")", .warn) }
        if sum.satisfied == sum.total { return ("✓ closed", .ok) }
        return ("○ open", .dim)
    }

    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect, full: Bool) {
        let all = Contour.allCases
        if full {
            let w = r.width / all.count
            for (i, c) in all.enumerated() {
                let sum = s.dashboard.summaries[c]!
                let width = i == all.count - 1 ? r.width - w * i : w
                let box = Rect(x: r.x + i * w, y: r.y, width: width, height: r.height)
                let focused = c == s.contour && s.mode != .blockers
                screen.box(box, title: (focused ? "▸" : "") + c.title, role: focused ? .paneFocus : .border, titleRole: focused ? .paneFocus : .title)
                let (g, role) = glyph(sum)
                screen.put(box.x + 2, box.y + 1, g, role, maxWidth: box.width - 3)
                screen.put(box.x + 2, box.y + 2, "\(sum.satisfied)/\(sum.total) done", .normal, maxWidth: box.width - 3)
                let so = sum.signoff
                let signText = so == .fresh ? "✓ signed off" : so == .stale ? "! stale sign" : "○ unsigned"
                screen.put(box.x + 2, box.y + 3, signText, so == .fresh ? .ok : so == .stale ? .warn : .dim, maxWidth: box.width - 3)
            }
        } else {
            screen.fill(r, .normal)
            // Every contour stays on the strip: when the counts do not all fit, only the focused
            // contour keeps its count and the others keep their name and mark.
            func label(_ c: Contour, counts: Bool) -> String {
                let sum = s.dashboard.summaries[c]!
                // A stale sign-off is not done: the strip says so rather than a tick.
                let mark = sum.failed > 0 ? "✗" : sum.openBlockers > 0 ? "!" : sum.signoff == .stale ? "!s" : sum.satisfied == sum.total ? "✓" : "○"
                let short = ["Run", "Safe", "Cap", "Obs", "Eval", "Ops", "Own"][Contour.allCases.firstIndex(of: c)!]
                return counts ? " \(short) \(sum.satisfied)/\(sum.total)\(mark) " : " \(short)\(mark) "
            }
            let focusedContour = s.mode != .blockers ? s.contour : nil
            let roomy = all.reduce(0) { $0 + Columns.width(label($1, counts: true)) + 1 } <= r.width
            var x = r.x
            for c in all {
                let sum = s.dashboard.summaries[c]!
                let focused = c == focusedContour
                x += screen.put(x, r.y, label(c, counts: roomy || focused), focused ? .selected : (sum.failed > 0 ? .bad : sum.openBlockers > 0 ? .warn : .normal), maxWidth: r.maxX - x)
                if x < r.maxX { x += screen.put(x, r.y, "│", .border) }
            }
        }
    }
}
