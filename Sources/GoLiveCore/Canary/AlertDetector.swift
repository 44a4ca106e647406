import Foundation

/// Which alerts a command's records, or the passing of time, raise. Pure: the records and the
/// readiness before and after decide.
public enum AlertDetector {
    /// Alerts the records `events` of one command cause; `before` is the readiness the command
    /// was decided on.
    public static func raised(by events: [Event], before: Readiness?, after: Readiness, who: String) -> [RaisedAlert] {
        var out: [RaisedAlert] = []
        let held = events.contains { $0.kind == .canaryHeld && $0.data.auto == true }
        // The gate after the command, judged once for every alert that names its contours, and
        // only when one does: it assesses every item (issue 30).
        lazy var now = Gate.evaluate(after)
        for e in events {
            switch e.kind {
            case .canaryHeld where e.data.auto == true:
                out.append(alert(.autoHold, after, who: who, reason: e.data.reason ?? "auto-hold", seq: e.seq, contours: failingContours(after, now)))
            case .canaryTransitionStarted:
                guard let t = e.data.transition else { continue }
                if let why = t.breakGlass {
                    out.append(alert(.breakGlass, after, who: e.actor, reason: "\(t.title) outside the release calendar: \(why)", seq: e.seq, contours: []))
                }
                if t.action == "rollback" {
                    out.append(alert(.rollback, after, who: e.actor, reason: "\(t.title) rolled back by \(e.actor): \(t.reason ?? "")", seq: e.seq, contours: []))
                }
            case .canaryOutcomeUnknown:
                let t = e.data.transition
                out.append(alert(.unknownOutcome, after, who: e.actor, reason: "outcome of \(t?.title ?? "the transition") unknown: \(e.data.hook?.summary ?? "")",
                                 seq: e.seq, contours: []))
            default: continue
            }
        }
        // What the command did to a live canary's gate; an auto-hold in the same write says it already.
        if let before, readsItems(before: before.state) {
            let was = Gate.evaluate(before)
            let seq = events.last { $0.kind.changesReadiness }?.seq
            if was.blocks.isEmpty && !now.blocks.isEmpty {
                out.append(alert(.block, after, who: who, reason: "block fired: \(now.blocks.map(\.name).joined(separator: ", "))", seq: seq, contours: failingContours(after, now)))
            } else if !held, CanaryWatch.notReady(before, was) == nil, let why = CanaryWatch.notReady(after, now) {
                var a = alert(.gateLost, after, who: who, reason: "gate lost at \(label(after)): \(why)", seq: seq, contours: failingContours(after, now))
                a.key = key(.gateLost, after)
                out.append(a)
            }
        }
        return out
    }

    /// Whether `raised` reads the items of `before`: only to judge what a command did to a live
    /// canary's gate.
    public static func readsItems(before state: RolloutState) -> Bool { state.canary.stage.isLive }

    /// Alerts time raises on a live canary, once per stage: a decision overdue, a gate lost with no
    /// change (a waiver expired, evidence aged) and no auto-hold to say it.
    public static func dueByTime(_ r: Readiness, who: String) -> [RaisedAlert] {
        let canary = r.state.canary
        guard canary.stage.isLive else { return [] }
        let seen = Set(canary.alerted ?? [])
        var out: [RaisedAlert] = []
        if let due = CanaryWatch.deadline(r), r.now > due, !seen.contains(key(.decisionOverdue, r)) {
            var a = alert(.decisionOverdue, r, who: who, reason: "decision on \(label(r)) overdue by \(Format.duration(r.now.timeIntervalSince(due))) (canary.decision_timeout_minutes)",
                          seq: nil, contours: [])
            a.key = key(.decisionOverdue, r)
            out.append(a)
        }
        let verdict = Gate.evaluate(r)
        if let why = CanaryWatch.notReady(r, verdict), !seen.contains(key(.gateLost, r)) {
            var a = alert(.gateLost, r, who: who, reason: "gate lost at \(label(r)): \(why)", seq: nil, contours: failingContours(r, verdict))
            a.key = key(.gateLost, r)
            out.append(a)
        }
        return out
    }

    static func key(_ kind: AlertKind, _ r: Readiness) -> String {
        "\(kind.rawValue)@\(r.state.canary.stageSince.map(Timestamp.format) ?? "-")"
    }

    static func label(_ r: Readiness) -> String { r.state.canary.label(steps: r.config.policy.canary.steps) }

    static func alert(_ kind: AlertKind, _ r: Readiness, who: String, reason: String, seq: Int?, contours: [Contour]) -> RaisedAlert {
        RaisedAlert(kind: kind, rollout: r.config.name, stage: CanaryEngine.describe(r.state.canary, r.config.policy.canary.steps),
                    exposurePct: r.state.canary.exposurePct, who: who, reason: reason, next: kind.next, seq: seq, contours: contours, at: r.now)
    }

    /// The contours of the items behind the failing requirements and blocks.
    static func failingContours(_ r: Readiness, _ v: GateVerdict) -> [Contour] {
        let items = (v.unmet + v.blocks).flatMap(\.findings).compactMap(\.item)
        let found = Set(items.compactMap { r.config.item($0)?.contour })
        return Contour.allCases.filter(found.contains)
    }
}
