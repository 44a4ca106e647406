import Foundation

/// The canary as people read it: the same facts for `golive canary status` and the cockpit panel.
public struct CanaryOverview: Sendable {
    public struct TrackStop: Sendable, Equatable {
        public var label: String
        public enum Mark: String, Sendable { case done, current, ahead }
        public var mark: Mark
    }

    public var stage: CanaryStage
    public var label: String
    public var track: [TrackStop]
    public var exposurePct: Double
    public var capPct: Double
    public var cohort: [Tenant]
    public var excluded: [Tenant]
    public var holdReason: String?
    public var rollbackReason: String?
    /// Shadow time served and needed, while in shadow.
    public var shadowServed: Double?
    public var shadowNeeded: Double?
    /// The next exposure increase and its approvals.
    public var next: (from: String, to: String)?
    public var approvalsFresh: [String]
    /// Each fresh approver's signing key, in a signed rollout.
    public var approvalKeys: [String: String] = [:]
    public var approvalsStale: [String]
    public var approvalsNeeded: Int
    public var deadline: Date?
    public var lastHook: HookResult?
    /// The cohort the next step would take, smallest tenants first.
    public var proposedCohort: Cohort?
    public var pending: CanaryTransition?
    public var pendingUnknown: Bool
    public var alerts: [CanaryAlert]
    public var hook: String?
    public var now: Date
    /// Whether exposure may increase now, and when that changes; nil when the policy sets no calendar.
    public var windowLine: String?
    /// The same in a few words for the header: "window closed, opens in 2 d 04 h".
    public var windowShort: String?
    /// The reason of the break-glass advance the canary stands on.
    public var breakGlass: String?

    /// `verdict`, when the caller has already evaluated the gate on `r`, saves evaluating it again.
    public init(_ readiness: Readiness, verdict: GateVerdict? = nil) {
        let verdict = verdict ?? Gate.evaluate(readiness)
        let canary = readiness.state.canary, policy = readiness.config.policy, steps = policy.canary.steps
        now = readiness.now
        stage = canary.stage
        label = CanaryEngine.describe(canary, steps)
        var stops = ["planned", "shadow"] + steps.map(Format.percent) + ["completed"]
        let currentIndex: Int
        switch canary.position {
        case .planned: currentIndex = 0
        case .shadow: currentIndex = 1
        case .canary: currentIndex = 2 + (canary.step ?? 0)
        case .completed: currentIndex = stops.count - 1
        case .rolledBack, .held: currentIndex = -1
        }
        if canary.stage == .rolledBack { stops.append("rolled_back") }
        track = stops.enumerated().map { i, l in
            if canary.stage == .rolledBack { return TrackStop(label: l, mark: l == "rolled_back" ? .current : .ahead) }
            return TrackStop(label: l, mark: i < currentIndex ? .done : i == currentIndex ? .current : .ahead)
        }
        exposurePct = canary.exposurePct
        capPct = policy.maxTenantExposurePct
        cohort = canary.cohort.compactMap { id in readiness.config.tenants.first { $0.id == id } }
        excluded = readiness.config.tenants.filter(\.excluded)
        holdReason = canary.stage == .held ? canary.holdReason : nil
        rollbackReason = canary.rollbackReason
        if canary.position == .shadow, let since = canary.shadowSince {
            shadowServed = readiness.now.timeIntervalSince(since)
            shadowNeeded = policy.requireShadowPeriod ? policy.canary.minShadowMinutes * 60 : 0
        }
        next = CanaryEngine.nextIncrease(canary, steps)
        approvalsNeeded = policy.approvals.exposureIncrease
        if let next {
            let count = CanaryEngine.approvals(for: next.from, to: next.to, verdict: verdict, readiness: readiness)
            approvalsFresh = count.fresh
            approvalsStale = count.stale
            for a in canary.approvals where a.from == next.from && a.to == next.to && count.fresh.contains(a.by) {
                if let key = a.key { approvalKeys[a.by] = key }
            }
        } else {
            approvalsFresh = []
            approvalsStale = []
        }
        deadline = CanaryWatch.deadline(readiness)
        lastHook = canary.lastHook
        proposedCohort = CanaryEngine.nextStep(canary, steps).map { CanaryEngine.defaultCohort(readiness, $0) }
        pending = canary.pending
        // Past its lease, a transition's outcome is unknown whether or not its process said so.
        pendingUnknown = canary.pendingUnknown || canary.pending != nil
            && readiness.now.timeIntervalSince(canary.pendingSince ?? readiness.now) > CanaryEngine.leaseSeconds(readiness.config)
        alerts = CanaryWatch.alerts(readiness, verdict: verdict)
        hook = readiness.config.transitionHook
        advanceWindow(policy.calendar, to: readiness.now)
        breakGlass = canary.position == .canary ? canary.breakGlass : nil
    }

    /// The window's lines at `now`, the rest unchanged: what a clock tick moves on a canary with no timers.
    public mutating func advanceWindow(_ calendar: ReleaseCalendar, to now: Date) {
        windowLine = Self.windowLine(calendar, now: now)
        windowShort = Self.windowShort(calendar, now: now)
        if case .open = calendar.standing(at: now) { windowOpen = true } else { windowOpen = false }
    }

    /// Whether the release window is open now (the tone of `windowLine` and `windowShort`).
    public var windowOpen = true

    /// Whether the decision's deadline has passed (the tone of `deadlineLine`).
    public var deadlineOverdue: Bool { deadline.map { $0 < now } ?? false }

    public static func windowShort(_ calendar: ReleaseCalendar, now: Date) -> String? {
        guard calendar.restricts else { return nil }
        let change = calendar.nextChange(after: now).map { ReleaseCalendar.countdown($0.timeIntervalSince(now), short: true) }
        switch calendar.standing(at: now) {
        case .open: return "window open" + (change.map { ", closes \($0)" } ?? "")
        case .frozen: return "FROZEN" + (calendar.nextAllowed(after: now).map { ", opens \(ReleaseCalendar.countdown($0.timeIntervalSince(now), short: true))" } ?? "")
        case .outsideWindows: return "window closed" + (change.map { ", opens \($0)" } ?? "")
        }
    }

    /// "window open (berlin-office …) · closes in 3 h 10 min" / "FROZEN: year-end … · next allowed: …".
    public static func windowLine(_ calendar: ReleaseCalendar, now: Date, local: TimeZone = .current) -> String? {
        guard calendar.restricts else { return nil }
        switch calendar.standing(at: now) {
        case let .open(window):
            let change = calendar.nextChange(after: now).map { " · closes \(ReleaseCalendar.countdown($0.timeIntervalSince(now)))" } ?? ""
            return "window: open\(window.map { " (\($0.summary))" } ?? " (no freeze)")\(change)"
        case let .frozen(f):
            return "window: FROZEN by \(f.name) (\(f.reason)) · \(calendar.nextAllowedText(after: now, local: local))"
        case .outsideWindows:
            return "window: closed · \(calendar.nextAllowedText(after: now, local: local))"
        }
    }

    public var shadowLine: String? {
        guard let served = shadowServed, let needed = shadowNeeded else { return nil }
        if served >= needed { return "shadow served \(Format.duration(served, roundingUp: false)) (minimum \(Format.duration(needed)) met)" }
        return "shadow \(Format.duration(served, roundingUp: false)) of \(Format.duration(needed)); \(Format.duration(needed - served)) to go"
    }

    public var deadlineLine: String? {
        guard let deadline, stage != .held else { return nil }
        let left = deadline.timeIntervalSince(now)
        return left >= 0 ? "decide within \(Format.duration(left)) (by \(Timestamp.short(deadline)))"
                         : "decision OVERDUE by \(Format.duration(-left))"
    }

    public var approvalsLine: String? {
        guard let next else { return nil }
        var line = "approvals \(next.from) → \(next.to): \(approvalsFresh.count)/\(approvalsNeeded)"
        if !approvalsFresh.isEmpty {
            line += " (approved by " + approvalsFresh.map { who in approvalKeys[who].map { "\(who) (key \($0))" } ?? who }.joined(separator: ", ") + ")"
        }
        if !approvalsStale.isEmpty { line += "; stale: \(approvalsStale.joined(separator: ", "))" }
        return line
    }

    public var hookLine: String? {
        guard let h = lastHook else { return nil }
        return "last hook: \(h.outcome.rawValue) — \(h.summary) (\(Format.seconds(h.seconds)))"
    }

    /// The plain-text report for the CLI.
    public var lines: [String] {
        var out = ["canary: \(label) · exposure \(Format.percent(exposurePct)) of cap \(Format.percent(capPct))"]
        out.append("track: " + track.map { $0.mark == .current ? "[\($0.label)]" : $0.mark == .done ? "\($0.label)✓" : $0.label }.joined(separator: " → "))
        if let holdReason { out.append("held: \(holdReason)") }
        if stage == .rolledBack, let rollbackReason { out.append("rolled back: \(rollbackReason)") }
        if !cohort.isEmpty {
            out.append("cohort (\(cohort.count) tenants): " + cohort.map { "\($0.id) \(Format.percent($0.sharePct))" }.joined(separator: ", "))
        }
        if !excluded.isEmpty { out.append("never in a cohort: " + excluded.map { $0.id + ($0.note.isEmpty ? "" : " (\($0.note))") }.joined(separator: ", ")) }
        if let shadowLine { out.append(shadowLine) }
        if let breakGlass { out.append("BREAK-GLASS: this step was taken outside the release calendar: \(breakGlass)") }
        if let windowLine { out.append(windowLine) }
        if let approvalsLine { out.append(approvalsLine) }
        if let deadlineLine { out.append(deadlineLine) }
        out.append("hook: \(hook ?? "none (rollout.yaml has no hooks.transition)")")
        if let hookLine { out.append(hookLine) }
        for a in alerts { out.append("ALERT: \(a.text)") }
        return out.map { SafeText.sanitize($0) }
    }
}
