import GoLiveCore

/// Lines taller than their pane: a window on them, and what lies outside it said in numbers, so
/// that nothing is cut without the screen saying so.
struct PaneText {
    struct Line {
        /// Nil for a line of its own; a field's lines (label or not) start after the label column.
        var label: String?
        var text: String
        var role: Role
    }

    var lines: [Line] = []
    /// The column where text after a label starts.
    var labelWidth = 10

    mutating func add(_ text: String, _ role: Role) { lines.append(Line(text: text, role: role)) }

    /// A labelled field, wrapped, the label on its first line only.
    mutating func field(_ label: String, _ text: String, _ role: Role = .normal, width: Int) {
        for (i, l) in TextLayout.wrap(text, width: width - labelWidth).enumerated() {
            lines.append(Line(label: i == 0 ? label : "", text: l, role: role))
        }
    }

    mutating func wrapped(_ text: String, _ role: Role, width: Int, indent: String = "") {
        for l in TextLayout.wrap(text, width: width - indent.count) { add(indent + l, role) }
    }

    /// The first line shown when `offset` is asked for in a pane of `height` rows: the bottom row
    /// goes to the "more" line whenever everything does not fit.
    static func clamp(_ offset: Int, total: Int, height: Int) -> Int {
        guard total > height, height > 1 else { return 0 }
        return min(max(0, offset), total - (height - 1))
    }

    /// Draws from `offset` and returns the offset used. `keys` says how to see the rest.
    @discardableResult
    func draw(_ screen: inout Screen, x: Int, y: Int, width: Int, height: Int, offset: Int, keys: String,
              role: Role = .dim) -> Int {
        guard height > 0 else { return 0 }
        let start = Self.clamp(offset, total: lines.count, height: height)
        let fits = lines.count <= height
        let shown = fits ? lines.count : min(height - 1, lines.count - start)
        for (row, line) in lines[start..<start + shown].enumerated() {
            if let label = line.label {
                screen.put(x, y + row, label, .dim, maxWidth: labelWidth - 1)
                screen.put(x + labelWidth, y + row, line.text, line.role, maxWidth: width - labelWidth)
            } else {
                screen.put(x, y + row, line.text, line.role, maxWidth: width)
            }
        }
        if !fits {
            let below = lines.count - start - shown
            var parts: [String] = []
            if start > 0 { parts.append("↑ \(start) above") }
            if below > 0 { parts.append("↓ \(below) more") }
            screen.put(x, y + height - 1, (parts + [keys]).joined(separator: " · "), role, maxWidth: width)
        }
        return start
    }
}
