import Foundation

/// Re-evaluates a live canary against the gate and the clock.
public enum CanaryWatch {
    /// `verdict`, when the caller has already evaluated the gate on `r`, saves evaluating it again.
    public static func alerts(_ readiness: Readiness, verdict: GateVerdict? = nil) -> [CanaryAlert] {
        let canary = readiness.state.canary
        var out: [CanaryAlert] = []
        if let t = canary.pending {
            if canary.pendingUnknown {
                out.append(CanaryAlert(kind: .unknownOutcome, text: "UNKNOWN OUTCOME: \(t.title); its hook did not finish (\(canary.lastHook?.summary ?? "no result")). Reconcile: applied or not applied"))
            } else {
                out.append(CanaryAlert(kind: .inFlight, text: "in flight: \(t.title) since \(Timestamp.short(canary.pendingSince ?? readiness.now))"))
            }
        }
        guard canary.position.isLive else { return out }
        let verdict = verdict ?? Gate.evaluate(readiness)
        if !verdict.blocks.isEmpty {
            out.append(CanaryAlert(kind: .block, text: "BLOCK fired during \(canary.label(steps: readiness.config.policy.canary.steps)): \(verdict.blocks.map(\.name).joined(separator: ", "))"))
        }
        if let why = notReady(readiness, verdict) { out.append(CanaryAlert(kind: .notReady, text: "gate turned NOT READY: \(why)")) }
        if canary.stage != .held, let due = deadline(readiness), readiness.now > due {
            out.append(CanaryAlert(kind: .deadline, text: "decision overdue by \(Format.duration(readiness.now.timeIntervalSince(due))) (canary.decision_timeout_minutes): advance, hold or roll back"))
        }
        return out
    }

    /// The requirements a live stage keeps needing: shadow's own set in shadow, the whole gate in canary.
    static func notReady(_ readiness: Readiness, _ verdict: GateVerdict) -> String? {
        let unmet = CanaryEngine.unmet(verdict, readiness.config.policy, inShadow: readiness.state.canary.position == .shadow)
        return unmet.isEmpty ? nil : unmet.joined(separator: ", ")
    }

    /// When a decision on the current stage is due: after the shadow minimum in shadow, and
    /// `decision_timeout_minutes` after reaching (or resuming) the stage.
    public static func deadline(_ readiness: Readiness) -> Date? {
        let canary = readiness.state.canary, p = readiness.config.policy.canary
        guard let minutes = p.decisionTimeoutMinutes, canary.position.isLive, let since = canary.stageSince else { return nil }
        let shadowPart = canary.position == .shadow && readiness.config.policy.requireShadowPeriod ? p.minShadowMinutes * 60 : 0
        return since.addingTimeInterval(shadowPart + minutes * 60)
    }

    /// The hold `auto_hold: true` asks for, if the live canary has lost its gate.
    public static func autoHold(_ readiness: Readiness) -> EventDraft? {
        let canary = readiness.state.canary
        guard readiness.config.policy.canary.autoHold, canary.stage.isLive else { return nil }
        let verdict = Gate.evaluate(readiness)
        var why: [String] = []
        if !verdict.blocks.isEmpty { why.append("block \(verdict.blocks.map(\.name).joined(separator: ", "))") }
        if let unmet = notReady(readiness, verdict) { why.append("NOT READY: \(unmet)") }
        guard !why.isEmpty else { return nil }
        return EventDraft(.canaryHeld, EventData(reason: "auto-hold (canary.auto_hold): " + why.joined(separator: "; "),
                                                 from: canary.label(steps: readiness.config.policy.canary.steps), auto: true))
    }
}
