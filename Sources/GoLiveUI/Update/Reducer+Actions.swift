import GoLiveCore

/// The keymap's actions, by what they act on: the selection, the selected item, the views.
extension Reducer {
    /// The selection and the contour shown.
    static func move(_ action: Action, _ s: inout UIState) {
        let count = s.visibleRows.count
        let page = max(1, s.height - 16)
        switch action {
        case .up: s.selectedIndex = max(0, s.selectedIndex - 1)
        case .down: s.selectedIndex = min(max(0, count - 1), s.selectedIndex + 1)
        case .pageUp: s.selectedIndex = max(0, s.selectedIndex - page)
        case .pageDown: s.selectedIndex = min(max(0, count - 1), s.selectedIndex + page)
        case .top: s.selectedIndex = 0
        case .bottom: s.selectedIndex = max(0, count - 1)
        case .prevContour, .nextContour:
            let all = Contour.allCases
            let i = all.firstIndex(of: s.contour)!
            s.contour = all[(i + (action == .nextContour ? 1 : all.count - 1)) % all.count]
            s.mode = .checklist
        case .open:
            guard s.selectedRow != nil, s.mode != .timeline, s.mode != .gate else { return }
            if s.mode != .detail { s.detailReturn = s.listMode }
            s.mode = .detail
        default: break
        }
    }

    /// What the selected item's keys ask of the core, or the form they open.
    static func itemAction(_ action: Action, _ s: inout UIState) -> [Effect] {
        switch action {
        case .runProbe:
            guard let row = s.selectedRow else { return noItem(&s) }
            guard s.probe == nil else {
                s.message = Message(text: "a probe is already running; esc cancels it", kind: .error)
                return []
            }
            guard s.dashboard.config.item(row.id)?.probe != nil else {
                s.message = Message(text: "\(row.id) has no probe in rollout.yaml", kind: .error)
                return []
            }
            guard !s.readOnly else {
                s.message = Message(text: "read-only cockpit: probes are not run", kind: .error)
                return []
            }
            return [.runProbe(row.id)]
        case .pass: return openNote(.pass, &s)
        case .fail: return openNote(.fail, &s)
        case .notApplicable: return openNote(.notApplicable, &s)
        case .evidence: return openNote(.evidence, &s)
        case .waive:
            guard let row = s.selectedRow else { return noItem(&s) }
            if s.readOnly {
                s.message = Message(text: "read-only cockpit: waivers are not offered", kind: .error)
                return []
            }
            // Only a waiver the core would take gets a form: a blocker the policy forbids waiving,
            // or an operator without a waiving role, hears why before typing a reason.
            let ask = Command.waive(id: row.id, reason: "(asked before the form opened)", expires: s.now.addingTimeInterval(3600))
            if let refused = preflight(ask, s) { return refused }
            s.dialog = .waive(item: row.id, blocker: row.severity == .blocker, reason: TextField(), expires: TextField("7d"), field: 0,
                              revision: s.dashboard.readiness.state.item(row.id).revision)
        case .signOff:
            let roles = s.dashboard.signOffRoles(s.contour)
            if s.readOnly {
                s.message = Message(text: "read-only cockpit: sign-off is not offered", kind: .error)
                return []
            }
            if roles.isEmpty {
                // The core says why not (asked, not tried); the screen does not decide who may sign.
                let role = s.dashboard.operatorRoles.first ?? "none"
                return [.explain(.signOff(contour: s.contour, role: role, note: ""))]
            }
            s.dialog = .signOff(contour: s.contour, roles: roles, selected: 0, note: TextField(), seen: s.dashboard.readiness.contourHash(s.contour))
        default: break
        }
        return []
    }

    /// The views, the command line, the theme, back and quit.
    static func viewAction(_ action: Action, _ s: inout UIState, themes: [String]) -> [Effect] {
        switch action {
        case .blockers:
            s.mode = s.mode == .blockers ? .checklist : .blockers
            s.ownerFilter = nil
        case .ownerFilter:
            // The owner roles with open blockers, then the people who hold them ("mine", for an on-call engineer).
            let roles = Set(s.dashboard.blockers.map(\.owner))
            let people = s.dashboard.config.team.filter { !roles.isDisjoint(with: $0.roles) }.map(\.id)
            let owners = roles.sorted() + people.filter { !roles.contains($0) }
            if let current = s.ownerFilter, let i = owners.firstIndex(of: current) {
                s.ownerFilter = i + 1 < owners.count ? owners[i + 1] : nil
            } else {
                s.ownerFilter = owners.first
            }
            s.blockerSelection = 0
        case .gate:
            s.mode = s.mode == .gate ? .checklist : .gate
            // v always shows the verdict itself, never a what-if left over.
            s.whatIf = nil
            if s.mode == .gate { return [.recordVerdict] }
        case .timeline: s.mode = s.mode == .timeline ? .checklist : .timeline
        case .canary: s.mode = s.mode == .canary ? .checklist : .canary
        case .canaryShadow, .canaryApprove, .canaryAdvance, .canaryHold, .canaryResume, .canaryRollback, .canaryReconcile, .canaryComplete:
            if s.transition != nil {
                s.message = Message(text: "a canary transition is running; wait for its hook", kind: .error)
                return []
            }
            return canaryAction(action, &s)
        case .filter: s.filterEditing = true
        case .commandLine: s.commandLine = TextField()
        case .whatIf: s.commandLine = TextField("whatif at ")
        case .help: s.showHelp = true
        case .cycleTheme:
            if let i = themes.firstIndex(of: s.themeName) { s.themeName = themes[(i + 1) % themes.count] } else { s.themeName = themes.first ?? s.themeName }
            s.message = Message(text: "theme: \(s.themeName)", kind: .info)
        case .back:
            switch s.mode {
            case .detail: s.mode = s.detailReturn
            case .gate where s.whatIf != nil: s.whatIf = nil
            case .gate, .blockers, .timeline, .canary: s.mode = .checklist
            case .checklist: s.filter = ""
            }
        case .quit:
            // Quitting mid-hook would leave the transition in flight with nobody to record its result.
            if s.transition != nil {
                s.message = Message(text: "a canary transition is running; quit when its hook has finished (^C forces)", kind: .error)
                return []
            }
            return [.quit]
        default: break
        }
        return []
    }
}
