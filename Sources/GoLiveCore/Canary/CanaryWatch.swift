import Foundation

/// Re-evaluates a live canary against the gate and the clock.
public enum CanaryWatch {
    /// `verdict`, when the caller has already evaluated the gate on `r`, saves evaluating it again.
    public static func alerts(_ r: Readiness, verdict: GateVerdict? = nil) -> [CanaryAlert] {
        let c = r.state.canary
        var out: [CanaryAlert] = []
        if let t = c.pending {
            if c.pendingUnknown {
                out.append(CanaryAlert(kind: .unknownOutcome, text: "UNKNOWN OUTCOME: \(t.title); its hook did not finish (\(c.lastHook?.summary ?? "no result")). Reconcile: applied or not applied"))
            } else {
                out.append(CanaryAlert(kind: .inFlight, text: "in flight: \(t.title) since \(Timestamp.short(c.pendingSince ?? r.now))"))
            }
        }
        guard c.position.isLive else { return out }
        let v = verdict ?? Gate.evaluate(r)
        if !v.blocks.isEmpty {
            out.append(CanaryAlert(kind: .block, text: "BLOCK fired during \(c.label(steps: r.config.policy.canary.steps)): \(v.blocks.map(\.name).joined(separator: ", "))"))
        }
        if let why = notReady(r, v) { out.append(CanaryAlert(kind: .notReady, text: "gate turned NOT READY: \(why)")) }
        if c.stage != .held, let due = deadline(r), r.now > due {
            out.append(CanaryAlert(kind: .deadline, text: "decision overdue by \(Format.duration(r.now.timeIntervalSince(due))) (canary.decision_timeout_minutes): advance, hold or roll back"))
        }
        return out
    }

    /// The requirements a live stage keeps needing: shadow's own set in shadow, the whole gate in canary.
    static func notReady(_ r: Readiness, _ v: GateVerdict) -> String? {
        let unmet = CanaryEngine.unmet(v, r.config.policy, inShadow: r.state.canary.position == .shadow)
        return unmet.isEmpty ? nil : unmet.joined(separator: ", ")
    }

    /// When a decision on the current stage is due: after the shadow minimum in shadow, and
    /// `decision_timeout_minutes` after reaching (or resuming) the stage.
    public static func deadline(_ r: Readiness) -> Date? {
        let c = r.state.canary, p = r.config.policy.canary
        guard let minutes = p.decisionTimeoutMinutes, c.position.isLive, let since = c.stageSince else { return nil }
        let shadowPart = c.position == .shadow && r.config.policy.requireShadowPeriod ? p.minShadowMinutes * 60 : 0
        return since.addingTimeInterval(shadowPart + minutes * 60)
    }

    /// The hold `auto_hold: true` asks for, if the live canary has lost its gate.
    public static func autoHold(_ r: Readiness) -> EventDraft? {
        let c = r.state.canary
        guard r.config.policy.canary.autoHold, c.stage.isLive else { return nil }
        let v = Gate.evaluate(r)
        var why: [String] = []
        if !v.blocks.isEmpty { why.append("block \(v.blocks.map(\.name).joined(separator: ", "))") }
        if let unmet = notReady(r, v) { why.append("NOT READY: \(unmet)") }
        guard !why.isEmpty else { return nil }
        return EventDraft(.canaryHeld, EventData(reason: "auto-hold (canary.auto_hold): " + why.joined(separator: "; "),
                                                 from: c.label(steps: r.config.policy.canary.steps), auto: true))
    }
}
