import GoLiveCore

/// The whole frame as a grid of styled cells. Views draw here; tests read it; the curses adapter
/// copies only the cells that changed since the last frame.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public mutating func fill(_ r: Rect, _ role: Role, _ text: String = " ") {
        for y in max(0, r.y)..<min(height, r.maxY) {
            for x in max(0, r.x)..<min(width, r.maxX) { self[x, y] = Cell(text, role) }
        }
    }

    /// Writes text from (x, y), clipped to `maxWidth` columns; untrusted text is sanitised here so no
    /// control character can reach a cell. Returns the columns used.
    @discardableResult
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in SafeText.sanitize(text) {
            let w = Columns.width(ch)
            if w == 0 { continue }
            if col + w > limit {
                // Mark truncation so a cut value is never mistaken for a whole one.
                if limit - 1 >= max(x, 0), limit - 1 < width, col > x { self[limit - 1, y] = Cell("…", role) }
                break
            }
            if col >= 0 {
                self[col, y] = Cell(String(ch), role)
                if w == 2 { self[col + 1, y] = Cell("", role) }
            }
            col += w
        }
        return col - x
    }

    /// Text padded with the role's background to exactly `width` columns.
    public mutating func line(_ x: Int, _ y: Int, _ width: Int, _ text: String, _ role: Role) {
        fill(Rect(x: x, y: y, width: width, height: 1), role)
        put(x, y, text, role, maxWidth: width)
    }

    public mutating func box(_ r: Rect, title: String = "", role: Role = .border, titleRole: Role = .title) {
        guard r.width >= 2, r.height >= 2 else { return }
        for x in (r.x + 1)..<(r.maxX - 1) {
            put(x, r.y, "─", role)
            put(x, r.maxY - 1, "─", role)
        }
        for y in (r.y + 1)..<(r.maxY - 1) {
            put(r.x, y, "│", role)
            put(r.maxX - 1, y, "│", role)
        }
        put(r.x, r.y, "┌", role)
        put(r.maxX - 1, r.y, "┐", role)
        put(r.x, r.maxY - 1, "└", role)
        put(r.maxX - 1, r.maxY - 1, "┘", role)
        if !title.isEmpty {
            let padded = Columns.width(title) + 2 <= r.width - 3 ? " \(title) " : title
            put(r.x + (padded == title ? 1 : 2), r.y, padded, titleRole, maxWidth: r.width - 2)
        }
    }

    /// The frame as plain text, one line per row, for snapshot tests.
    public var text: String {
        (0..<height).map { y in (0..<width).map { self[$0, y].text }.joined() }.joined(separator: "\n")
    }

    public func row(_ y: Int) -> String { (0..<width).map { self[$0, y].text }.joined() }

    /// Indices of cells that differ from `previous` (all of them when the size changed).
    public func changes(since previous: Screen?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(cells.indices) }
        var out: [Int] = []
        for i in cells.indices where cells[i] != previous.cells[i] { out.append(i) }
        return out
    }
}
