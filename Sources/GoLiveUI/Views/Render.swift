import GoLiveCore

/// The whole frame from the state: pure, so tests can snapshot it without a terminal.
public enum Render {
    public static func frame(_ s: UIState) -> Screen {
        var screen = Screen(width: s.width, height: s.height)
        let layout = Layout(width: s.width, height: s.height)
        guard layout.kind != .tooSmall else {
            tooSmall(s, &screen)
            return screen
        }
        HeaderView.draw(s, &screen, layout.header)
        ContourView.draw(s, &screen, layout.contours, full: layout.kind == .full)
        switch s.mode {
        case .gate:
            GateView.draw(s, &screen, layout.main)
        case .timeline:
            TimelineView.draw(s, &screen, layout.main)
        case .canary:
            CanaryView.draw(s, &screen, layout.main)
        case .detail:
            DetailView.draw(s, &screen, layout.main)
        case .checklist, .blockers:
            let (list, detail) = layout.split(blockers: s.mode == .blockers)
            ListView.draw(s, &screen, list)
            if let detail { DetailView.draw(s, &screen, detail) }
        }
        StatusLines.canary(s, &screen, layout.canary)
        StatusLines.message(s, &screen, layout.message)
        StatusLines.footer(s, &screen, layout.footer)
        if s.showHelp { Overlay.help(s, &screen) }
        if let dialog = s.dialog { Overlay.dialog(s, dialog, &screen) }
        return screen
    }

    /// Keeps scroll offsets and the help page within what the screen draws, so that a key pressed
    /// past the end is not owed back before the view moves again. The runtime calls it after each event.
    public static func settle(_ s: inout UIState) {
        let screen = Screen(width: s.width, height: s.height)
        let layout = Layout(width: s.width, height: s.height)
        guard layout.kind != .tooSmall else { return }
        let r = layout.main
        switch s.mode {
        case .detail: s.scroll = PaneText.clamp(s.scroll, total: DetailView.lines(s, width: r.width - 4).lines.count, height: r.height - 2)
        case .gate: s.scroll = PaneText.clamp(s.scroll, total: GateView.lines(s, width: r.width - 4).lines.count, height: r.height - 2)
        case .canary: s.scroll = PaneText.clamp(s.scroll, total: CanaryView.body(s, width: r.width - 4).0.lines.count, height: CanaryView.paneHeight(s, r))
        default: s.scroll = 0
        }
        if s.showHelp { s.helpPage = min(s.helpPage, Overlay.helpPages(s, screen).pages.count - 1) }
        if case var .canaryConfirm(c)? = s.dialog {
            var text = PaneText()
            for l in c.lines { text.wrapped(l, .dialog, width: min(76, s.width - 2) - 4) }
            let extra = c.reason == nil ? 6 : 7
            let r = Overlay.centered(screen, width: 76, height: text.lines.count + extra)
            c.scroll = PaneText.clamp(c.scroll, total: text.lines.count, height: r.height - extra)
            s.dialog = .canaryConfirm(c)
        }
    }

    static func tooSmall(_ s: UIState, _ screen: inout Screen) {
        let lines = ["GoLive needs at least \(Layout.minWidth)×\(Layout.minHeight);",
                     "this terminal is \(s.width)×\(s.height).",
                     "Enlarge the window, or press q to quit."]
        for (i, l) in lines.enumerated() {
            let y = s.height / 2 - 1 + i
            let w = Columns.width(l)
            screen.put(max(0, (s.width - w) / 2), y, l, i == 0 ? .warn : .normal)
        }
    }
}
