import Foundation
import GoLiveCore

/// Everything the views need, derived once per change of the store rather than once per frame.
public struct Dashboard: Sendable {
    public var readiness: Readiness
    public var verdict: GateVerdict
    public var summaries: [Contour: Readiness.ContourSummary]
    public var rows: [Contour: [ItemRow]]
    /// The on-call list (`b`): failures, blockers and open required items, worst and oldest first;
    /// not `golive items --blockers`, which lists open blockers only.
    public var blockers: [ItemRow]
    public var operatorID: String
    /// The fingerprint of the key this operator signs with, when one is at hand (signed rollouts).
    public var operatorKey: String?
    /// When time alone next changes what this dashboard shows (see advanceClock).
    public var nextTimeChange: Date?
    public var operatorRoles: [String]
    public var loadedAt: Date
    public var canary: CanaryOverview

    public init(readiness r: Readiness, operatorID: String, operatorKey: String? = nil) {
        // Every item is shown or counted: each decoded once, on both cores, before the gate asks.
        r.state.items.readAhead()
        self.operatorKey = operatorKey
        readiness = r
        nextTimeChange = r.nextTimeChange
        verdict = Gate.evaluate(r)
        canary = CanaryOverview(r, verdict: verdict)
        self.operatorID = operatorID
        operatorRoles = r.config.member(operatorID)?.roles ?? []
        loadedAt = r.now
        // One pass in catalog order over the assessments the gate made (each contour's rows stay in
        // that order), not a filtered catalog and a lookup by id per item per contour.
        var rows = Dictionary(uniqueKeysWithValues: Contour.allCases.map { ($0, [ItemRow]()) })
        var summaries: [Contour: Readiness.ContourSummary] = [:]
        let read = r.state.items.reader()
        for (item, a) in zip(r.config.catalog, r.assessments()) {
            rows[item.contour, default: []].append(ItemRow(id: item.id, contour: item.contour, title: item.title, severity: item.severity, owner: item.owner,
                                                           status: a.status, standing: a.standing, detail: a.detail, updatedAt: read(item.id)?.updatedAt,
                                                           derived: item.derivedFromCapabilityField != nil))
        }
        for contour in Contour.allCases { summaries[contour] = r.summary(contour) }
        self.rows = rows
        self.summaries = summaries
        // On-call's list: blockers, failures and open required items, worst and oldest first.
        blockers = rows.values.flatMap { $0 }.filter { row in
            row.standing == .failed || (row.standing == .open && row.severity != .advisory)
        }.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if (a.standing == .failed) != (b.standing == .failed) { return a.standing == .failed }
            let da = a.updatedAt ?? .distantPast, db = b.updatedAt ?? .distantPast
            if da != db { return da < db }
            return a.id < b.id
        }
    }

    public var config: RolloutConfig { readiness.config }

    /// Timers (shadow served, decision deadline) move with the clock, not only with the store.
    /// The clock moved on: when it passes the next time-dependent change (a waiver's expiry,
    /// evidence reaching its max age) everything is judged again at the new time, so the header,
    /// the gate and the banner never disagree; a live canary's timers move every second.
    public mutating func advanceClock(to now: Date) {
        if let next = nextTimeChange, now >= next {
            self = Dashboard(readiness: Readiness(config: readiness.config, state: readiness.state, now: now, storeProblem: readiness.storeProblem),
                             operatorID: operatorID, operatorKey: operatorKey)
            return
        }
        if readiness.state.canary.hasTimers {
            canary = CanaryOverview(Readiness(config: readiness.config, state: readiness.state, now: now))
        } else if readiness.config.policy.calendar.restricts {
            // Only the window's countdown moves: the gate is not judged again every second.
            canary.advanceWindow(readiness.config.policy.calendar, to: now)
        }
    }

    /// Whether the screen changes with the clock alone: a live canary's timers, a transition in
    /// flight, or a release calendar's countdown (even for a canary that has not started).
    public var movesWithClock: Bool { readiness.state.canary.hasTimers || readiness.config.policy.calendar.restricts }

    /// Whether the loop should send the clock now: every second while something on screen counts
    /// down, and at the moment time alone changes a standing (a waiver expires, evidence ages),
    /// however idle the cockpit and whatever else it shows.
    public func wantsTick(at now: Date, lastTick: Date) -> Bool {
        if movesWithClock && now.timeIntervalSince(lastTick) >= 1 { return true }
        return nextTimeChange.map { now >= $0 } ?? false
    }

    /// Roles in which this operator may sign off `contour`, as the policy says.
    public func signOffRoles(_ contour: Contour) -> [String] {
        let allowed = Permissions(config).signOffRoles(contour)
        return operatorRoles.filter(allowed.contains)
    }
}
