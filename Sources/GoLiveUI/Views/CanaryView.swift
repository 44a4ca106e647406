import Foundation
import GoLiveCore

/// The canary panel: where it stands, who it touches, what is needed next, what the hook did.
enum CanaryView {
    static func draw(_ s: UIState, _ screen: inout Screen, _ r: Rect) {
        let o = s.dashboard.canary
        screen.box(r, title: "Canary · c or esc closes")
        let x = r.x + 2, width = r.width - 4
        var y = r.y + 1
        // Stage track.
        var cx = x
        for (i, stop) in o.track.enumerated() {
            if i > 0 { cx += screen.put(cx, y, " ── ", .dim) }
            switch stop.mark {
            case .done: cx += screen.put(cx, y, "✓ " + stop.label, .ok)
            case .current: cx += screen.put(cx, y, "[ \(stop.label) ]", o.stage == .rolledBack ? .bad : .accent)
            case .ahead: cx += screen.put(cx, y, stop.label, .dim)
            }
        }
        if o.stage == .held { screen.put(cx + 2, y, "⏸ HELD", .warn) }
        y += 1
        // Exposure bar against the cap.
        let barWidth = 20
        let filled = o.capPct > 0 ? Int((o.exposurePct / o.capPct * Double(barWidth)).rounded()) : 0
        let bar = String(repeating: "█", count: min(barWidth, filled)) + String(repeating: "░", count: max(0, barWidth - filled))
        var bx = x
        bx += screen.put(bx, y, "exposure ", .title)
        bx += screen.put(bx, y, bar, o.exposurePct > 0 ? .accent : .dim)
        screen.put(bx, y, " \(Format.percent(o.exposurePct)) of cap \(Format.percent(o.capPct)) · stage: \(o.label)", .normal, maxWidth: r.maxX - 2 - bx)
        y += 1
        let (pane, message) = body(s, width: width)
        let messageRows = message.isEmpty ? 0 : message.count + 1
        pane.draw(&screen, x: x, y: y, width: width, height: max(1, r.maxY - 1 - y - messageRows), offset: s.scroll, keys: "pgup/pgdn scroll")
        // The core's answer in full: a refusal names every missing guard, more than the message line holds.
        var my = r.maxY - 1 - message.count
        for l in message {
            screen.put(x, my, l, .error, maxWidth: width)
            my += 1
        }
    }

    /// The rows under the stage track and the exposure bar.
    static let fixedRows = 2

    static func paneHeight(_ s: UIState, _ r: Rect) -> Int {
        let message = body(s, width: r.width - 4).message
        return max(1, r.height - 2 - fixedRows - (message.isEmpty ? 0 : message.count + 1))
    }

    /// The panel's facts, wrapped to `width`, and the refusal to show in full under them (at most
    /// half the panel: the message panel above the footer has the rest).
    static func body(_ s: UIState, width: Int) -> (pane: PaneText, message: [String]) {
        let o = s.dashboard.canary
        var p = PaneText()
        func line(_ text: String, _ role: Role = .normal) { p.wrapped(text, role, width: width) }
        // What is shown may not be what everyone sees: said where the levers are.
        if let stale = s.stale { line("NOT CURRENT: \(stale)", .warn) }
        if let reason = o.holdReason { line("held: \(reason)", .warn) }
        if o.stage == .rolledBack, let reason = o.rollbackReason { line("rolled back: \(reason)", .bad) }
        if o.cohort.isEmpty {
            line("cohort: none live\(o.stage == .planned || o.stage == .rolledBack ? "" : " (shadow mirrors traffic; no tenant is served)")", .dim)
        } else {
            line("cohort (\(o.cohort.count) tenants): " + o.cohort.map { "\($0.id) \(Format.percent($0.sharePct))" }.joined(separator: ", "))
        }
        if !o.excluded.isEmpty { line("never in a cohort: " + o.excluded.map(\.id).joined(separator: ", "), .dim) }
        if let shadow = o.shadowLine {
            line(shadow, (o.shadowServed ?? 0) >= (o.shadowNeeded ?? 0) ? .ok : .warn)
        }
        if let breakGlass = o.breakGlass { line("BREAK-GLASS: this step was taken outside the release calendar: \(breakGlass)", .warn) }
        if let window = o.windowLine { line(window, o.windowOpen ? .ok : .warn) }
        if let approvals = o.approvalsLine {
            line(approvals, o.approvalsFresh.count >= o.approvalsNeeded ? .ok : .normal)
        }
        if let cohort = s.dashboard.canary.proposedCohort, let next = o.next {
            line("next step \(next.to): \(cohort.tenants.count) tenants, \(Format.percent(cohort.exposurePct)) (smallest first)", .dim)
        }
        if let deadline = o.deadlineLine { line(deadline, o.deadlineOverdue ? .bad : .normal) }
        line("hook: \(o.hook ?? "none (rollout.yaml has no hooks.transition)")", .dim)
        if let h = o.lastHook {
            let role: Role = h.outcome == .applied || h.outcome == .none ? .ok : h.outcome == .unknown ? .bad : .warn
            line("last hook: \(h.outcome.rawValue) — \(h.summary) (\(Format.seconds(h.seconds)))", role)
            for out in (h.output ?? "").split(separator: "\n").suffix(3) { p.add("  │ " + out, .dim) }
        }
        if !o.alerts.isEmpty { p.add("", .normal) }
        for a in o.alerts { line("⚠ " + a.text, a.kind == .inFlight ? .warn : .bad) }
        var message: [String] = []
        if let m = s.message, m.kind == .error {
            message = Array(TextLayout.wrap(m.text, width: width).prefix(6))
        }
        return (p, message)
    }
}
