import GoLiveCore

enum ListView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        let blockers = s.listMode == .blockers
        var title = blockers ? "On call · \(s.dashboard.blockers.count) to act on across contours" : "\(s.contour.longTitle.prefix(1).uppercased() + s.contour.longTitle.dropFirst()) · \(s.contour.rawValue)"
        if let owner = s.ownerFilter { title += " · owner \(owner)" }
        if !s.filter.isEmpty { title += " · /\(s.filter)" }
        screen.box(r, title: title)
        let rows = s.visibleRows
        let inner = Rect(x: r.x + 1, y: r.y + 1, width: r.width - 2, height: r.height - 2)
        if rows.isEmpty {
            screen.put(inner.x + 1, inner.y, blockers ? "nothing blocks: no failed or open blocker/required item" : "no item matches", .dim, maxWidth: inner.width - 1)
            return
        }
        let selected = s.selectedIndex
        let top = max(0, min(selected - inner.height / 2, rows.count - inner.height))
        for (line, i) in (top..<min(rows.count, top + inner.height)).enumerated() {
            let row = rows[i]
            let y = inner.y + line
            let isSel = i == selected
            if isSel { screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), .selected) }
            var x = inner.x
            x += screen.put(x, y, isSel ? "▸" : " ", isSel ? .selected : .normal)
            x += screen.put(x, y, pad(row.statusLabel, 10), isSel ? .selected : TextLayout.statusRole(row))
            let sev = row.severity == .blocker ? "BLK " : row.severity == .required ? "req " : "adv "
            x += screen.put(x, y, sev, isSel ? .selected : row.severity == .blocker ? .accent : .dim)
            if blockers {
                let age = Format.age(since: row.updatedAt, now: s.dashboard.loadedAt)
                let tail = " \(row.owner) · \(age)"
                let tailWidth = Columns.width(tail)
                screen.put(x, y, "\(row.id)", isSel ? .selected : .normal, maxWidth: inner.maxX - x - tailWidth)
                screen.put(inner.maxX - tailWidth, y, tail, isSel ? .selected : .dim)
            } else {
                screen.put(x, y, row.title, isSel ? .selected : .normal, maxWidth: inner.maxX - x)
            }
        }
        if rows.count > inner.height {
            screen.put(r.maxX - 12, r.maxY - 1, " \(selected + 1)/\(rows.count) ", .dim)
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let w = Columns.width(s)
        return w >= n ? s : s + String(repeating: " ", count: n - w)
    }
}
