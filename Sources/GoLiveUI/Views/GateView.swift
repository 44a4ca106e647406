import GoLiveCore

enum GateView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        screen.box(r, title: "Readiness gate · policy \(s.dashboard.config.policyFile ?? "default (section 9)")")
        var y = r.y + 1
        let d = s.dashboard
        for (text, kind) in GateReport.lines(d.verdict, rollout: "\(d.config.name) \(d.config.version)") {
            guard y < r.maxY - 1 else { break }
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
            screen.put(r.x + 2, y, text, role, maxWidth: r.width - 4)
            y += 1
        }
    }
}
