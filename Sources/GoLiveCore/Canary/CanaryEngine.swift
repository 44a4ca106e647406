import Foundation

/// Decides canary actions. Pure: the same readiness, actor and action always give the same answer,
/// so every guard can be tested without a disk, a clock or a hook.
public enum CanaryEngine {
    /// Extra seconds past the hook timeout before a transition still "in flight" is presumed orphaned
    /// (its process died) and may be reconciled.
    public static let orphanGraceSeconds: Double = 30

    public static func decide(_ action: CanaryAction, actor: String, readiness r: Readiness) -> Decision {
        let config = r.config, policy = config.policy, c = r.state.canary
        guard let member = config.member(actor) else { return .refuse("operator '\(actor)' is not in the team of rollout.yaml") }
        let approverRoles = policy.approvals.approverRoles
        let steps = policy.canary.steps
        let label = c.label(steps: steps)
        // Anyone on the team may pull the cord; moving traffic takes an approving role.
        let role = Permissions(config).approvingRole(of: member) ?? ""
        if case .hold = action {} else if role.isEmpty {
            return .refuse("\(actor) (\(member.roles.joined(separator: ", "))) may not \(action.name) the canary; the policy lets \(list(approverRoles)) (approvals.approver_roles)")
        }
        if let refusal = pendingRefusal(action, c, r) { return .refuse(refusal) }

        switch action {
        case .enterShadow:
            guard c.stage == .planned || c.stage == .rolledBack else {
                return .refuse("shadow is entered from planned or after a rollback; the canary is \(describe(c, steps))")
            }
            if let why = shadowBlockers(r) { return .refuse("cannot enter shadow: \(why)") }
            return .accept(start(r, action: "shadow", to: .shadow, step: nil, cohort: Cohort(tenants: [], exposurePct: 0), reason: nil))

        case let .approve(note):
            guard let (from, to) = nextIncrease(c, steps) else {
                return .refuse("there is no exposure increase to approve while the canary is \(describe(c, steps))")
            }
            let v = Gate.evaluate(r)
            guard v.ready else { return .refuse("the gate is NOT READY (\(reasons(v))); an approval of this state could never be used") }
            return .accept([EventDraft(.canaryApproved, EventData(note: note, role: role, from: from, to: to,
                                                                   stateSha256: v.stateSha256, policySha256: v.policySha256))])

        case let .advance(explicitCohort):
            if c.stage == .held {
                return .refuse("the canary is held (\(c.holdReason ?? "no reason given")); resume it before advancing")
            }
            guard let (from, to) = nextIncrease(c, steps), let target = nextStep(c, steps) else {
                return .refuse(c.stage == .canary ? "the canary is at its last step \(label); complete it or roll back"
                                                  : "there is no exposure increase from \(describe(c, steps))\(c.stage == .planned ? "; enter shadow first" : "")")
            }
            if c.stage == .shadow, let why = shadowPeriodRemaining(r) { return .refuse(why) }
            let v = Gate.evaluate(r)
            guard v.ready else { return .refuse("the gate is NOT READY on the current state: \(reasons(v))") }
            let cohort: Cohort
            if let explicitCohort {
                switch Cohort.explicit(explicitCohort, from: config.tenants, upTo: exposureLimit(policy, target)) {
                case let .success(chosen): cohort = chosen
                case let .failure(problem): return .refuse("cohort for \(to): \(problem)")
                }
            } else {
                cohort = defaultCohort(r, target)
                if cohort.tenants.isEmpty { return .refuse("no tenant fits within \(to) (smallest tenants first; excluded tenants never count)") }
            }
            if cohort.exposurePct <= c.exposurePct {
                return .refuse("the cohort carries \(Format.percent(cohort.exposurePct)) of traffic, not more than the current \(Format.percent(c.exposurePct)); an advance must increase exposure")
            }
            let count = approvals(for: from, to: to, verdict: v, r: r)
            var drafts: [EventDraft] = []
            var approvers = count.fresh
            if !approvers.contains(actor) {
                approvers.append(actor)
                drafts.append(EventDraft(.canaryApproved, EventData(note: "by requesting the advance", role: role,
                                                                     from: from, to: to, stateSha256: v.stateSha256, policySha256: v.policySha256)))
            }
            let needed = policy.approvals.exposureIncrease
            guard approvers.count >= needed else {
                let others = Permissions(config).otherApprovers(than: actor)
                let named = approvers.map { $0 == actor ? "\($0) (requesting)" : $0 }
                var why = "exposure \(from) → \(to) needs approvals from \(needed) distinct operators holding \(list(approverRoles)); fresh: \(named.joined(separator: ", "))"
                if !count.stale.isEmpty { why += "; stale (the state changed since): \(count.stale.joined(separator: ", "))" }
                why += "; ask \(others.joined(separator: " or ")) to run: golive canary approve"
                return .refuse(why)
            }
            return .accept(drafts + start(r, action: "advance", to: .canary, step: target, cohort: cohort, reason: nil))

        case let .hold(reason):
            guard c.stage.isLive else { return .refuse("only a live canary (shadow or canary) can be held; it is \(describe(c, steps))") }
            return .accept([EventDraft(.canaryHeld, EventData(reason: reason, from: label))])

        case .resume:
            guard c.stage == .held, let from = c.heldFrom else { return .refuse("only a held canary can be resumed; it is \(describe(c, steps))") }
            if from == .shadow, let why = shadowBlockers(r) { return .refuse("cannot resume shadow: \(why)") }
            if from == .canary {
                let v = Gate.evaluate(r)
                guard v.ready else { return .refuse("cannot resume at \(label): the gate is NOT READY: \(reasons(v))") }
            }
            return .accept([EventDraft(.canaryResumed, EventData(from: label))])

        case let .rollback(reason):
            guard c.stage != .rolledBack else { return .refuse("the canary is already rolled back") }
            return .accept(start(r, action: "rollback", to: .rolledBack, step: nil, cohort: Cohort(tenants: [], exposurePct: 0), reason: reason))

        case .complete:
            guard c.stage == .canary, let step = c.step, step == steps.count - 1 else {
                return .refuse("the canary completes from its last step \(Format.percent(steps.last ?? 0)); it is \(describe(c, steps))")
            }
            let v = Gate.evaluate(r)
            guard v.ready else { return .refuse("cannot complete: the gate is NOT READY: \(reasons(v))") }
            return .accept(start(r, action: "complete", to: .completed, step: step, cohort: Cohort(tenants: c.cohort, exposurePct: c.exposurePct), reason: nil))

        case let .reconcile(applied, note):
            guard let t = c.pending else { return .refuse("there is no transition to reconcile; the canary is \(describe(c, steps))") }
            return .accept([EventDraft(.canaryReconciled, EventData(note: note, transition: t, applied: applied))])
        }
    }

    /// An unsettled transition blocks everything but a hold, and (once its outcome is unknown) a
    /// rollback and a reconcile.
    static func pendingRefusal(_ action: CanaryAction, _ c: CanaryState, _ r: Readiness) -> String? {
        guard let t = c.pending else { return nil }
        let what = t.title
        if case .hold = action { return nil }
        if c.pendingUnknown {
            switch action {
            case .rollback, .reconcile: return nil
            default:
                return "the outcome of \(what) is unknown (its hook did not finish); reconcile it first: golive canary reconcile --applied or --not-applied"
            }
        }
        let since = c.pendingSince ?? r.now
        let orphanAfter = r.config.policy.canary.hookTimeoutSeconds + orphanGraceSeconds
        let inFlight = "\(what) is in flight since \(Timestamp.short(since)) (its hook is running)"
        if case .reconcile = action {
            if r.now.timeIntervalSince(since) > orphanAfter { return nil }
            return "\(inFlight); it can be reconciled once it is \(Format.duration(orphanAfter)) old, in case its process died"
        }
        return "\(inFlight); wait for it to finish"
    }

    static func start(_ r: Readiness, action: String, to stage: CanaryStage, step: Int?, cohort: Cohort, reason: String?) -> [EventDraft] {
        let steps = r.config.policy.canary.steps
        let c = r.state.canary
        let t = CanaryTransition(id: "c\(r.state.seq + 1)", action: action, from: c.stage == .held ? "held at \(c.label(steps: steps))" : c.label(steps: steps),
                                 to: CanaryState.label(stage: stage, step: step, steps: steps), stage: stage, step: step,
                                 exposurePct: cohort.exposurePct, cohort: cohort.tenants, hook: r.config.transitionHook, reason: reason)
        var drafts = [EventDraft(.canaryTransitionStarted, EventData(reason: reason, transition: t))]
        if t.hook == nil {
            drafts.append(EventDraft(.canaryTransitionDone, EventData(transition: t, hook: HookResult(outcome: .none, summary: "no transition hook in rollout.yaml", seconds: 0))))
        }
        return drafts
    }

    /// The next exposure increase as (from, to) labels, looking through a hold.
    public static func nextIncrease(_ c: CanaryState, _ steps: [Double]) -> (String, String)? {
        guard let target = nextStep(c, steps) else { return nil }
        return (c.label(steps: steps), Format.percent(steps[target]))
    }

    public static func nextStep(_ c: CanaryState, _ steps: [Double]) -> Int? {
        guard c.pending == nil || !c.pendingUnknown else { return nil }
        switch c.position {
        case .shadow: return steps.isEmpty ? nil : 0
        case .canary:
            let next = (c.step ?? -1) + 1
            return next < steps.count ? next : nil
        default: return nil
        }
    }

    /// A step never exposes more than the cap, whatever the step says.
    static func exposureLimit(_ policy: Policy, _ target: Int) -> Double {
        min(policy.canary.steps[target], policy.maxTenantExposurePct)
    }

    /// The cohort an advance to `target` takes unless the operator names one: smallest tenants first.
    public static func defaultCohort(_ r: Readiness, _ target: Int) -> Cohort {
        Cohort.smallestFirst(r.config.tenants, upTo: exposureLimit(r.config.policy, target))
    }

    public struct ApprovalCount: Sendable, Equatable {
        public var fresh: [String]
        public var stale: [String]
    }

    /// Approvals that still count: same transition, same state and policy, and the approver still
    /// holds an approving role.
    public static func approvals(for from: String, to: String, verdict v: GateVerdict, r: Readiness) -> ApprovalCount {
        var fresh: [String] = [], stale: [String] = []
        for a in r.state.canary.approvals where a.from == from && a.to == to {
            let holds = Permissions(r.config).approvingRole(of: r.config.member(a.by)) != nil
            if holds && a.stateSha256 == v.stateSha256 && a.policySha256 == v.policySha256 {
                if !fresh.contains(a.by) { fresh.append(a.by) }
            } else if !stale.contains(a.by) {
                stale.append(a.by)
            }
        }
        return ApprovalCount(fresh: fresh, stale: stale.filter { !fresh.contains($0) })
    }

    /// Why shadow cannot be entered now, or nil: the conditions the policy marks for shadow (all
    /// of `require` unless `canary.shadow_requires` says otherwise), and no block.
    public static func shadowBlockers(_ r: Readiness) -> String? {
        let v = Gate.evaluate(r)
        guard let names = r.config.policy.canary.shadowRequires else {
            return v.ready ? nil : "the gate is NOT READY: \(reasons(v))"
        }
        let why = unmet(v, r.config.policy, inShadow: true) + v.blocks.map { "block \($0.name)" }
        return why.isEmpty ? nil : "shadow requires \(names.joined(separator: ", ")) and no block; not met: \(why.joined(separator: ", "))"
    }

    /// The requirements a stage needs and lacks, blocks aside: in shadow the conditions
    /// `canary.shadow_requires` names (the whole gate when it is absent), elsewhere the whole gate.
    static func unmet(_ v: GateVerdict, _ policy: Policy, inShadow: Bool) -> [String] {
        if inShadow, let names = policy.canary.shadowRequires { return v.unmet.map(\.name).filter(names.contains) }
        return v.unmet.map(\.name) + v.signoffsMissing
    }

    /// Why shadow cannot be left yet, or nil once the minimum period is served.
    public static func shadowPeriodRemaining(_ r: Readiness) -> String? {
        let policy = r.config.policy
        guard policy.requireShadowPeriod, let since = r.state.canary.shadowSince else { return nil }
        let needed = policy.canary.minShadowMinutes * 60
        let served = r.now.timeIntervalSince(since)
        guard served < needed else { return nil }
        return "shadow has run \(Format.duration(served, roundingUp: false)) of the minimum \(Format.duration(needed)) (canary.min_shadow_minutes); \(Format.duration(needed - served)) to go"
    }

    static func reasons(_ v: GateVerdict) -> String { v.reasons.joined(separator: ", ") }

    public static func describe(_ c: CanaryState, _ steps: [Double]) -> String {
        switch c.stage {
        case .canary: return "at \(c.label(steps: steps))"
        case .held: return "held at \(c.label(steps: steps))"
        case .rolledBack: return "rolled back"
        default: return c.stage.rawValue
        }
    }

    static func list(_ roles: [String]) -> String {
        roles.count <= 1 ? roles.joined() : roles.dropLast().joined(separator: ", ") + " or " + roles.last!
    }
}
