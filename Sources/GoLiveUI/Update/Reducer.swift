import Foundation
import GoLiveCore

public enum Reducer {
    public static func reduce(_ state: UIState, _ event: UIEvent, themes: [String] = ThemeLoader.builtInOrder) -> (UIState, [Effect]) {
        var s = state
        var effects: [Effect] = []
        switch event {
        case let .resize(w, h):
            s.width = w
            s.height = h
        case let .data(d):
            let keep = s.selectedRow?.id
            s.dashboard = d
            if let keep, let i = s.visibleRows.firstIndex(where: { $0.id == keep }) { s.selectedIndex = i }
            if s.rebindForm, let form = s.dialog {
                s.dialog = form.rebound(to: d)
                s.rebindForm = false
            }
            if s.reaskPending, let kind = s.reask, s.dialog == nil {
                let action = Reducer.action(opening: kind)
                s.reask = nil
                s.reaskPending = false
                let message = s.message
                effects = canaryAction(action, &s)
                // Keep saying what changed above the dialog that now shows what is there.
                if s.dialog != nil { s.message = message }
            }
        case let .performed(success, failure):
            let error = failure?.text
            s.message = error.map { Message(text: $0, kind: .error) } ?? Message(text: success, kind: .info)
            // A refused form comes back with what was typed; bound afresh to what the next read shows.
            if error != nil, let form = s.submittedForm, s.dialog == nil {
                s.dialog = form
                s.rebindForm = true
            }
            s.submittedForm = nil
            if failure?.code == .changedSinceYouLooked, s.reask != nil {
                s.reaskPending = true
            } else {
                s.reask = nil
            }
        case let .history(item, events):
            s.historyItem = item
            s.history = events
        case let .timeline(events):
            s.timeline = events
        case let .probeStarted(item, at):
            s.probe = (item, at)
        case .probeFinished:
            s.probe = nil
        case let .transitionStarted(label, at):
            s.transition = (label, at)
        case .transitionFinished:
            s.transition = nil
        case let .tick(now):
            s.now = now
            s.dashboard.advanceClock(to: now)
        case let .notice(text):
            s.message = Message(text: text, kind: .info)
        case let .stale(why):
            s.stale = why
            if let why {
                s.message = Message(text: "\(why); the screen shows seq \(s.dashboard.readiness.state.seq) and may be out of date", kind: .error)
            } else {
                s.message = Message(text: "the store is read again: the screen is current (seq \(s.dashboard.readiness.state.seq))", kind: .info)
            }
        case let .key(key, at):
            if let at, at != s.now {
                s.now = at
                s.dashboard.advanceClock(to: at)
            }
            effects = handleKey(&s, key, themes: themes)
        }
        return (s, effects)
    }

    static func handleKey(_ s: inout UIState, _ key: Key, themes: [String]) -> [Effect] {
        if s.probe != nil && key == .escape { return [.cancelProbe] }
        if s.dialog != nil { return dialogKey(&s, key) }
        if var line = s.commandLine {
            switch key {
            case .escape: s.commandLine = nil
            case .enter:
                s.commandLine = nil
                return runCommandLine(&s, line.text, themes: themes)
            case .ctrl("c"): s.commandLine = nil
            default:
                if line.handle(key) { s.commandLine = line }
            }
            return []
        }
        if s.filterEditing {
            var field = TextField(s.filter)
            switch key {
            case .enter: s.filterEditing = false
            case .escape: s.filter = ""; s.filterEditing = false
            case .up, .down: s.filterEditing = false; return handleKey(&s, key, themes: themes)
            default:
                if field.handle(key) {
                    s.filter = field.text
                    // The search is of the whole checklist: the contour on screen follows the matches.
                    if s.listMode == .checklist, (s.dashboard.rows[s.contour] ?? []).filter(s.matches).isEmpty,
                       let first = s.filterMatches.first?.0 {
                        s.contour = first
                    }
                    s.selectedIndex = 0
                }
            }
            return []
        }
        if s.showHelp {
            switch key {
            case .ctrl("c"): return [.quit]
            case .pageDown, .down, .char(" "), .char("j"): s.helpPage += 1
            case .pageUp, .up, .char("k"): s.helpPage = max(0, s.helpPage - 1)
            default: s.showHelp = false; s.helpPage = 0
            }
            return []
        }
        if key == .ctrl("c") && s.transition != nil { return [.quit] }
        guard let action = Keymap.action(for: key, in: s.scope) else { return [] }
        return perform(action, &s, themes: themes)
    }

    static func perform(_ action: Action, _ s: inout UIState, themes: [String]) -> [Effect] {
        let before = (s.mode, s.contour, s.selectedRow?.id)
        let effects = performAction(action, &s, themes: themes)
        // A new view, or another item, starts at its top.
        if before != (s.mode, s.contour, s.selectedRow?.id) { s.scroll = 0 }
        return effects
    }

    static func performAction(_ action: Action, _ s: inout UIState, themes: [String]) -> [Effect] {
        s.message = nil
        if let scrolled = scroll(action, &s) { return scrolled }
        if s.mode == .timeline, let moved = timelineAction(action, &s) { return moved }
        switch action {
        case .up, .down, .pageUp, .pageDown, .top, .bottom, .prevContour, .nextContour, .open:
            move(action, &s)
            return []
        case .runProbe, .pass, .fail, .notApplicable, .evidence, .waive, .signOff:
            return itemAction(action, &s)
        default:
            return viewAction(action, &s, themes: themes)
        }
    }

    /// The gate view scrolls with the movement keys; the full item view and the canary panel with
    /// the page keys (the item view's arrows still step from item to item). Nil when the action is not a scroll here.
    /// The timeline's own cursor: rows move from the newest, and ⏎ opens one: the item's detail
    /// when the record is about an item, else the whole record on the message panel.
    static func timelineAction(_ action: Action, _ s: inout UIState) -> [Effect]? {
        let events = Array(s.visibleTimeline.reversed())
        let last = max(0, events.count - 1)
        switch action {
        case .up: s.timelineCursor = max(0, s.timelineCursor - 1)
        case .down: s.timelineCursor = min(last, s.timelineCursor + 1)
        case .pageUp: s.timelineCursor = max(0, s.timelineCursor - max(1, s.height - 10))
        case .pageDown: s.timelineCursor = min(last, s.timelineCursor + max(1, s.height - 10))
        case .top: s.timelineCursor = 0
        case .bottom: s.timelineCursor = last
        case .open:
            guard !events.isEmpty else { return [] }
            let e = events[min(s.timelineCursor, last)]
            if let id = e.data.item, let contour = s.dashboard.config.item(id)?.contour,
               let index = (s.dashboard.rows[contour] ?? []).firstIndex(where: { $0.id == id }) {
                s.contour = contour
                s.filter = ""
                s.selection[contour] = index
                s.detailReturn = .timeline
                s.mode = .detail
            } else {
                let key = AuditExporter.signerKeyOf(e)
                s.message = Message(text: "#\(e.seq) \(Timestamp.format(e.ts)) \(e.kind.rawValue) by \(e.actor) (session \(e.session)\(key.isEmpty ? ", unsigned" : ", signed with \(key)")): \(EventText.describe(e))", kind: .info)
            }
        default: return nil
        }
        return []
    }

    static func scroll(_ action: Action, _ s: inout UIState) -> [Effect]? {
        let page = max(1, s.height - 10)
        let step: Int
        switch (s.mode, action) {
        case (.gate, .up): step = -1
        case (.gate, .down): step = 1
        case (.gate, .top): step = -s.scroll
        case (.gate, .bottom): step = Int(Int32.max)
        case (.gate, .pageUp), (.detail, .pageUp), (.canary, .pageUp): step = -page
        case (.gate, .pageDown), (.detail, .pageDown), (.canary, .pageDown): step = page
        default: return nil
        }
        // Kept in range against what is drawn by Render.settle.
        s.scroll = max(0, min(Int(Int32.max), s.scroll + step))
        return []
    }

    static func noItem(_ s: inout UIState) -> [Effect] {
        s.message = Message(text: "no item selected", kind: .error)
        return []
    }

    static func openNote(_ kind: NoteKind, _ s: inout UIState) -> [Effect] {
        guard let row = s.selectedRow else { return noItem(&s) }
        let ask = noteCommand(kind, row.id, "(asked before the form opened)")
        if s.readOnly { return [.explain(ask)] }
        if let refused = preflight(ask, s) { return refused }
        s.dialog = .note(kind: kind, item: row.id, note: TextField(), revision: s.dashboard.readiness.state.item(row.id).revision)
        return []
    }

    static func noteCommand(_ kind: NoteKind, _ item: String, _ text: String) -> Command {
        let (url, note) = splitLink(text)
        switch kind {
        case .pass: return .setItem(id: item, status: .passed, note: note, evidenceURL: url)
        case .fail: return .setItem(id: item, status: .failed, note: note, evidenceURL: url)
        case .notApplicable: return .setItem(id: item, status: .not_applicable, note: note, evidenceURL: url)
        case .evidence: return .addEvidence(id: item, text: note, url: url)
        }
    }

    static func submitNote(_ kind: NoteKind, _ item: String, _ text: String, revision: Int? = nil) -> Effect {
        let success: String
        switch kind {
        case .pass: success = "✓ \(item) passed"
        case .fail: success = "✗ \(item) failed"
        case .notApplicable: success = "– \(item) not applicable"
        case .evidence: success = "evidence added to \(item)"
        }
        return .perform(noteCommand(kind, item, text), success: success, expecting: revision.map { SeenState(itemRevision: $0) })
    }

    /// The core's decision on what the screen shows, before a form is opened: when it would refuse,
    /// no form (and no typing to lose); the core is asked why on fresh state instead.
    static func preflight(_ command: Command, _ s: UIState, now: Date? = nil) -> [Effect]? {
        let d = s.dashboard
        let r = Readiness(config: d.config, state: d.readiness.state, now: now ?? s.now)
        let actor = Actor(operatorID: d.operatorID, osUser: "", session: "", key: d.operatorKey)
        guard case .refuse = Cockpit.decide(command, actor: actor, readiness: r) else { return nil }
        return [.explain(command)]
    }

    /// A note that starts with a URL carries it as the evidence link.
    static func splitLink(_ text: String) -> (String?, String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("http://") || t.hasPrefix("https://") else { return (nil, t) }
        let parts = t.split(separator: " ", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }

    static func dialogKey(_ s: inout UIState, _ key: Key) -> [Effect] {
        guard let dialog = s.dialog else { return [] }
        if case let .paste(text) = key, text.count > Command.noteLimit {
            s.message = Message(text: "pasted text cut at \(Command.noteLimit) characters, a note's limit (it had \(text.count)); link long text instead", kind: .info)
        }
        if key == .ctrl("c") {
            if dialog.isHalfFilled { s.dialog = .confirmDiscard(form: DialogBox(dialog), thenQuit: true); return [] }
            return [.quit]
        }
        if key == .escape, case .confirmDiscard = dialog {} else if key == .escape {
            s.dialog = dialog.isHalfFilled ? .confirmDiscard(form: DialogBox(dialog), thenQuit: false) : nil
            return []
        }
        switch dialog {
        case let .note(kind, item, note, revision):
            var field = note
            if key == .enter {
                s.dialog = nil
                s.submittedForm = .note(kind: kind, item: item, note: field, revision: revision)
                return [submitNote(kind, item, field.text, revision: revision)]
            }
            if field.handle(key) { s.dialog = .note(kind: kind, item: item, note: field, revision: revision) }
        case let .waive(item, blocker, reason, expires, focus, revision):
            var r = reason, e = expires, f = focus
            switch key {
            case .tab, .down: f = (f + 1) % 2
            case .backTab, .up: f = (f + 1) % 2
            case .enter:
                if f == 0 { f = 1 } else {
                    s.dialog = nil
                    do {
                        // "1h" is from now on the one clock the screen runs on, not from the last reload.
                        let when = try Timestamp.parseUserTime(e.text, now: s.now)
                        s.submittedForm = .waive(item: item, blocker: blocker, reason: r, expires: e, field: 1, revision: revision)
                        return [.perform(.waive(id: item, reason: r.text, expires: when), success: "~ \(item) waived until \(Timestamp.short(when))",
                                         expecting: SeenState(itemRevision: revision))]
                    } catch {
                        s.message = Message(text: "\(error)", kind: .error)
                        s.dialog = .waive(item: item, blocker: blocker, reason: r, expires: e, field: 1, revision: revision)
                        return []
                    }
                }
            default:
                if f == 0 { _ = r.handle(key) } else { _ = e.handle(key) }
            }
            s.dialog = .waive(item: item, blocker: blocker, reason: r, expires: e, field: f, revision: revision)
        case let .signOff(contour, roles, selected, note, seen):
            var n = note, sel = selected
            switch key {
            case .up: sel = max(0, sel - 1)
            case .down, .tab: sel = min(roles.count - 1, sel + 1)
            case .enter:
                s.dialog = nil
                s.submittedForm = .signOff(contour: contour, roles: roles, selected: sel, note: n, seen: seen)
                return [.perform(.signOff(contour: contour, role: roles[sel], note: n.text),
                                 success: "signed off \(contour.title) as \(s.dashboard.operatorID) (\(roles[sel]))", expecting: SeenState(contourHash: seen))]
            default: _ = n.handle(key)
            }
            s.dialog = .signOff(contour: contour, roles: roles, selected: sel, note: n, seen: seen)
        case let .canaryConfirm(c):
            return canaryDialogKey(&s, key, c)
        case let .canaryHold(reason):
            var r = reason
            if key == .enter {
                s.dialog = nil
                return [.perform(.canary(.hold(reason: r.text)), success: "canary held: \(r.text)")]
            }
            _ = r.handle(key)
            s.dialog = .canaryHold(reason: r)
        case let .confirmDiscard(form, thenQuit):
            switch key {
            case .char("y"), .char("Y"):
                s.dialog = nil
                return thenQuit ? [.quit] : []
            case .char("n"), .char("N"), .escape: s.dialog = form.dialog
            default: break
            }
        }
        return []
    }
}
