import Foundation
import GoLiveCore

/// Everything the screen shows, in one value: the reducer's input and output.
public struct UIState: Sendable {
    public var width: Int
    public var height: Int
    public var dashboard: Dashboard
    public var mode: Mode = .checklist
    /// Where Esc from the detail view returns.
    public var detailReturn: Mode = .checklist
    /// The timeline row under the cursor, counted from the newest (0).
    public var timelineCursor = 0
    public var contour: Contour = .runtime
    public var selection: [Contour: Int] = [:]
    public var blockerSelection = 0
    public var filter = ""
    public var filterEditing = false
    public var ownerFilter: String?
    public var dialog: Dialog?
    /// A confirmed canary dialog whose change the core may refuse as stale: opened again, with
    /// the new proposal, once the new state has arrived.
    public var reask: CanaryConfirm.Kind?
    var reaskPending = false
    /// A form just submitted, given back with what was typed if the core refuses it.
    var submittedForm: Dialog?
    /// The form given back is bound to the state the next read shows (the person has seen the refusal).
    var rebindForm = false
    public var commandLine: TextField?
    public var message: Message?
    public var showHelp = false
    /// Which page of the help overlay shows when the keys do not fit on one.
    public var helpPage = 0
    /// How far the full item view or the gate view is scrolled (kept in range by `Render.settle`).
    public var scroll = 0
    /// The answer of a what-if asked from the gate view (`i` or `:whatif`), shown in its place until esc.
    public var whatIf: [TonedLine]?
    public var themeName: String
    public var readOnly: Bool
    /// The journal events of the selected item, newest last (filled by the runtime).
    public var history: [Event] = []
    public var historyItem: String?
    /// The newest journal events, for the timeline (filled by the runtime).
    public var timeline: [Event] = []
    /// A probe running in the background: which item, since when (set by the runtime).
    public var probe: (item: String, started: Date)?
    /// A canary transition whose hook is running in the background (set by the runtime).
    public var transition: (label: String, started: Date)?
    public var now = Date()
    /// Why what is shown may no longer be current: the gate is then shown as unknown, not as it was.
    public var stale: String?

    public var visibleTimeline: [Event] {
        guard !filter.isEmpty else { return timeline }
        let f = filter.lowercased()
        return timeline.filter { e in
            [e.session, e.actor, e.kind.rawValue, e.data.contour?.rawValue ?? "", e.data.item ?? "", EventText.describe(e)]
                .contains { $0.lowercased().contains(f) }
        }
    }

    public init(width: Int, height: Int, dashboard: Dashboard, themeName: String = "dark", readOnly: Bool = false) {
        self.width = width
        self.height = height
        self.dashboard = dashboard
        self.themeName = themeName
        self.readOnly = readOnly
    }

    /// How many rows of each contour the filter matches, for the contours with any: `/` searches
    /// the whole checklist, not the contour on screen.
    public var filterMatches: [(Contour, Int)] {
        guard !filter.isEmpty else { return [] }
        return Contour.allCases.compactMap { c in
            let n = (dashboard.rows[c] ?? []).filter(matches).count
            return n == 0 ? nil : (c, n)
        }
    }

    var filterSummary: String {
        let found = filterMatches
        return found.isEmpty ? "no item matches" : "matches: " + found.map { "\($0.0.title) \($0.1)" }.joined(separator: " · ")
    }

    func matches(_ row: ItemRow) -> Bool {
        // The owner filter belongs to the blockers view: a checklist is never narrowed by it.
        if listMode == .blockers, let owner = ownerFilter, !ItemQuery.ownerRoles(owner, in: dashboard.config).contains(row.owner) { return false }
        guard !filter.isEmpty else { return true }
        let f = filter.lowercased()
        return row.id.lowercased().contains(f) || row.title.lowercased().contains(f) || row.owner.lowercased().contains(f)
            || row.statusLabel.lowercased().contains(f)
    }

    public var visibleRows: [ItemRow] {
        switch mode {
        case .blockers: return dashboard.blockers.filter(matches)
        case .canary: return []
        case .checklist, .detail, .gate, .timeline:
            if mode == .detail && detailReturn == .blockers { return dashboard.blockers.filter(matches) }
            return (dashboard.rows[contour] ?? []).filter(matches)
        }
    }

    var listMode: Mode { mode == .detail ? detailReturn : mode }

    public var selectedIndex: Int {
        get {
            let count = visibleRows.count
            let raw = listMode == .blockers ? blockerSelection : (selection[contour] ?? 0)
            return count == 0 ? 0 : min(max(raw, 0), count - 1)
        }
        set {
            if listMode == .blockers { blockerSelection = newValue } else { selection[contour] = newValue }
        }
    }

    public var selectedRow: ItemRow? {
        let rows = visibleRows
        return rows.isEmpty ? nil : rows[selectedIndex]
    }

    public var scope: Scope { mode == .canary ? .canary : listMode == .blockers ? .blockers : .checklist }
}
