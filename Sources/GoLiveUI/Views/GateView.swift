import GoLiveCore

enum GateView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.box(r, title: s.whatIf == nil ? "Readiness gate · policy \(s.dashboard.config.policyFile ?? "default (section 9)")"
                                             : "What-if · the gate under a question · nothing written")
        lines(s, width: r.width - 4).draw(&screen, x: r.x + 2, y: r.y + 1, width: r.width - 4, height: r.height - 2,
                                          offset: s.scroll, keys: "↑↓ pgup/pgdn scroll")
    }

    static func lines(_ s: UIState, width: Int) -> PaneText {
        var p = PaneText()
        if let answer = s.whatIf {
            for line in answer {
                p.wrapped(line.text, Role(line.tone), width: width, indent: line.text.hasPrefix("  ") ? "    " : "")
            }
            return p
        }
        let d = s.dashboard
        if let why = s.stale {
            p.wrapped("STALE — this is the gate as of seq \(d.readiness.state.seq), not now: \(why)", .bad, width: width)
            p.add("", .normal)
        }
        if let problem = d.readiness.storeProblem {
            p.wrapped("WARNING: \(problem)", .warn, width: width)
            p.add("", .normal)
        }
        if let proposal = d.readiness.pendingProposal {
            p.wrapped("PROPOSED: \(proposal)", .warn, width: width)
            p.add("", .normal)
        }
        for (text, kind) in GateReport.lines(d.verdict, rollout: "\(d.config.name) \(d.config.version)") {
            let role: Role
            switch kind {
            case .verdictReady: role = .ok
            case .verdictBlocked: role = .bad
            case .meta: role = .dim
            case .unmet: role = .warn
            case .block: role = .bad
            case .finding: role = .normal
            case .met: role = .ok
            case .blank: role = .normal
            }
            // A finding wraps under itself rather than being cut where it says what to do.
            let indent = String(text.prefix { $0 == " " })
            if text.isEmpty { p.add("", role) } else { p.wrapped(String(text.dropFirst(indent.count)), role, width: width, indent: indent) }
        }
        return p
    }
}
