import Foundation

/// Decides canary actions. Pure: the same readiness, actor and action always give the same answer,
/// so every guard can be tested without a disk, a clock or a hook.
public enum CanaryEngine {
    /// Extra seconds past the hook timeout before a transition still "in flight" is presumed orphaned
    /// (its process died) and may be reconciled.
    public static let orphanGraceSeconds: Double = 30

    /// How long the process that started a transition owns it: its hook's timeout and a grace.
    /// A result reported after that is late (fenced off by the transition's id and start time),
    /// and only a reconcile settles the transition.
    public static func leaseSeconds(_ config: RolloutConfig) -> Double {
        config.policy.canary.hookTimeoutSeconds + orphanGraceSeconds
    }

    /// `actorKey`: the fingerprint of the key the actor signs with, in a signed rollout.
    public static func decide(_ action: CanaryAction, actor: String, actorKey: String? = nil, readiness: Readiness) -> Decision {
        let config = readiness.config, policy = config.policy, canary = readiness.state.canary
        guard let member = config.member(actor) else { return .refuse("operator '\(actor)' is not in the team of rollout.yaml") }
        let approverRoles = policy.approvals.approverRoles
        let steps = policy.canary.steps
        let label = canary.label(steps: steps)
        // Anyone on the team may pull the cord; moving traffic takes an approving role.
        let role = Permissions(config).approvingRole(of: member) ?? ""
        if case .hold = action {} else if role.isEmpty {
            return .refuse("\(actor) (\(member.roles.joined(separator: ", "))) may not \(action.name) the canary; the policy lets \(list(approverRoles)) (approvals.approver_roles)")
        }
        if let refusal = pendingRefusal(action, canary, readiness) { return .refuse(refusal) }

        switch action {
        case .enterShadow:
            guard canary.stage == .planned || canary.stage == .rolledBack else {
                return .refuse("shadow is entered from planned or after a rollback; the canary is \(describe(canary, steps))")
            }
            if let why = shadowBlockers(readiness) { return .refuse("cannot enter shadow: \(why)") }
            return .accept(start(readiness, action: "shadow", to: .shadow, step: nil, cohort: Cohort(tenants: [], exposurePct: 0), reason: nil))

        case let .approve(note, breakGlass):
            guard let (from, to) = nextIncrease(canary, steps) else {
                return .refuse("there is no exposure increase to approve while the canary is \(describe(canary, steps))")
            }
            if breakGlass, policy.calendar.standing(at: readiness.now).allowsIncrease {
                return .refuse("there is no glass to break: exposure may increase now (\(calendarOpenText(policy.calendar, readiness.now))); approve without break-glass")
            }
            let verdict = Gate.evaluate(readiness)
            guard verdict.ready else { return .refuse("the gate is NOT READY (\(reasons(verdict))); an approval of this state could never be used") }
            var approval = EventData(note: note, role: role, from: from, to: to, stateSha256: verdict.stateSha256, policySha256: verdict.policySha256)
            approval.breakGlass = breakGlass ? true : nil
            return .accept([EventDraft(.canaryApproved, approval)])

        case let .advance(explicitCohort, breakGlass):
            return advance(explicitCohort: explicitCohort, breakGlass: breakGlass, actor: actor, actorKey: actorKey, member: member, role: role, readiness: readiness)

        case let .hold(reason):
            guard canary.stage.isLive else { return .refuse("only a live canary (shadow or canary) can be held; it is \(describe(canary, steps))") }
            return .accept([EventDraft(.canaryHeld, EventData(reason: reason, from: label))])

        case let .resume(reason):
            guard canary.stage == .held, let from = canary.heldFrom else { return .refuse("only a held canary can be resumed; it is \(describe(canary, steps))") }
            if from == .shadow, let why = shadowBlockers(readiness) { return .refuse("cannot resume shadow: \(why)") }
            if from == .canary {
                let verdict = Gate.evaluate(readiness)
                guard verdict.ready else { return .refuse("cannot resume at \(label): the gate is NOT READY: \(reasons(verdict))") }
            }
            return .accept([EventDraft(.canaryResumed, EventData(reason: reason, from: label))])

        case let .rollback(reason):
            guard canary.stage != .rolledBack else { return .refuse("the canary is already rolled back") }
            return .accept(start(readiness, action: "rollback", to: .rolledBack, step: nil, cohort: Cohort(tenants: [], exposurePct: 0), reason: reason))

        case .complete:
            guard canary.stage == .canary, let step = canary.step, step == steps.count - 1 else {
                return .refuse("the canary completes from its last step \(Format.percent(steps.last ?? 0)); it is \(describe(canary, steps))")
            }
            let verdict = Gate.evaluate(readiness)
            guard verdict.ready else { return .refuse("cannot complete: the gate is NOT READY: \(reasons(verdict))") }
            return .accept(start(readiness, action: "complete", to: .completed, step: step, cohort: Cohort(tenants: canary.cohort, exposurePct: canary.exposurePct), reason: nil))

        case let .reconcile(applied, note):
            guard let t = canary.pending else { return .refuse("there is no transition to reconcile; the canary is \(describe(canary, steps))") }
            return .accept([EventDraft(.canaryReconciled, EventData(note: note, transition: t, applied: applied))])
        }
    }

    /// An advance: the next step's cohort, the window, the shadow period, the gate on the current
    /// state, and enough fresh approvals (the requester's own counted once, by key when signed).
    static func advance(explicitCohort: [String]?, breakGlass: String?, actor: String, actorKey: String?, member: Operator, role: String,
                        readiness: Readiness) -> Decision {
        let config = readiness.config, policy = config.policy, canary = readiness.state.canary
        let approverRoles = policy.approvals.approverRoles
        let steps = policy.canary.steps
        let label = canary.label(steps: steps)
        if canary.stage == .held {
            return .refuse("the canary is held (\(canary.holdReason ?? "no reason given")); resume it before advancing")
        }
        guard let (from, to) = nextIncrease(canary, steps), let target = nextStep(canary, steps) else {
            return .refuse(canary.stage == .canary ? "the canary is at its last step \(label); complete it or roll back"
                                              : "there is no exposure increase from \(describe(canary, steps))\(canary.stage == .planned ? "; enter shadow first" : "")")
        }
        if let why = calendarRefusal(breakGlass: breakGlass, member: member, readiness: readiness) { return .refuse(why) }
        if canary.stage == .shadow, let why = shadowPeriodRemaining(readiness) { return .refuse(Refusal(why)) }
        let verdict = Gate.evaluate(readiness)
        guard verdict.ready else { return .refuse("the gate is NOT READY on the current state: \(reasons(verdict))") }
        let cohort: Cohort
        if let explicitCohort {
            switch Cohort.explicit(explicitCohort, from: config.tenants, upTo: exposureLimit(policy, target)) {
            case let .success(chosen): cohort = chosen
            case let .failure(problem): return .refuse("cohort for \(to): \(problem)")
            }
        } else {
            cohort = defaultCohort(readiness, target)
            if cohort.tenants.isEmpty { return .refuse("no tenant fits within \(to) (smallest tenants first; excluded tenants never count)") }
        }
        if cohort.exposurePct <= canary.exposurePct {
            return .refuse("the cohort carries \(Format.percent(cohort.exposurePct)) of traffic, not more than the current \(Format.percent(canary.exposurePct)); an advance must increase exposure")
        }
        let count = approvals(for: from, to: to, verdict: verdict, readiness: readiness, breakGlassOnly: breakGlass != nil)
        var drafts: [EventDraft] = []
        var approvers = count.fresh
        // In a signed rollout the requester's own key counts once, whatever name it comes under.
        let signed = config.identity == .signed
        let keyCounted = signed && actorKey.map(count.freshKeys.contains) == true
        if !approvers.contains(actor) && !keyCounted && (!signed || actorKey != nil) {
            approvers.append(actor)
            var own = EventData(note: "by requesting the advance", role: role, from: from, to: to,
                                stateSha256: verdict.stateSha256, policySha256: verdict.policySha256)
            own.breakGlass = breakGlass == nil ? nil : true
            drafts.append(EventDraft(.canaryApproved, own))
        }
        let needed = CanaryRules.approvalsNeeded(policy, breakGlass: breakGlass != nil)
        guard approvers.count >= needed else {
            let others = Permissions(config).otherApprovers(than: actor)
            let named = approvers.map { $0 == actor ? "\($0) (requesting)" : $0 }
            var why = "exposure \(from) → \(to) needs approvals from \(needed) distinct operators holding \(list(approverRoles))\(breakGlass == nil ? "" : ", marked break-glass (break_glass.extra_approvals)"); fresh: \(named.isEmpty ? "none" : named.joined(separator: ", "))"
            if !count.stale.isEmpty { why += "; stale (the state changed since\(signed ? ", or not signed by a key of the approver" : "")): \(count.stale.joined(separator: ", "))" }
            var remedies: [Remedy] = []
            if signed && actorKey == nil {
                why += "; \(actor)'s own approval needs \(actor)'s key at hand"
                remedies.append(.bringYourKey(operatorID: actor))
            }
            remedies.append(.askForApproval(approvers: others, breakGlass: breakGlass != nil))
            return .refuse(Refusal(why, remedies: remedies))
        }
        return .accept(drafts + start(readiness, action: "advance", to: .canary, step: target, cohort: cohort, reason: nil, breakGlass: breakGlass))
    }

    /// An unsettled transition blocks everything but a hold, and (once its outcome is unknown) a
    /// rollback and a reconcile.
    static func pendingRefusal(_ action: CanaryAction, _ canary: CanaryState, _ readiness: Readiness) -> Refusal? {
        guard let t = canary.pending else { return nil }
        let what = t.title
        if case .hold = action { return nil }
        // Rolling back never waits: it supersedes a transition in flight, whose hook result, when
        // it comes, is journaled as late and not counted.
        if case .rollback = action { return nil }
        if canary.pendingUnknown {
            switch action {
            case .rollback, .reconcile: return nil
            default:
                return Refusal("the outcome of \(what) is unknown (its hook did not finish); reconcile it first", remedies: [.reconcileTheCanary])
            }
        }
        let since = canary.pendingSince ?? readiness.now
        let orphanAfter = leaseSeconds(readiness.config)
        let inFlight = "\(what) is in flight since \(Timestamp.short(since)) (its hook is running)"
        if case .reconcile = action {
            if readiness.now.timeIntervalSince(since) > orphanAfter { return nil }
            return "\(inFlight); it can be reconciled once it is \(Format.duration(orphanAfter)) old, in case its process died"
        }
        if readiness.now.timeIntervalSince(since) > orphanAfter {
            return Refusal("the outcome of \(what) is unknown: the process that started it did not report within its lease (\(Format.duration(orphanAfter)), expired \(Timestamp.short(since.addingTimeInterval(orphanAfter)))); reconcile it first", remedies: [.reconcileTheCanary])
        }
        return "\(inFlight); wait for it to finish"
    }

    static func start(_ readiness: Readiness, action: String, to stage: CanaryStage, step: Int?, cohort: Cohort, reason: String?, breakGlass: String? = nil) -> [EventDraft] {
        let steps = readiness.config.policy.canary.steps
        let canary = readiness.state.canary
        let t = CanaryTransition(id: "canary\(readiness.state.seq + 1)", action: action, from: canary.stage == .held ? "held at \(canary.label(steps: steps))" : canary.label(steps: steps),
                                 to: CanaryState.label(stage: stage, step: step, steps: steps), stage: stage, step: step,
                                 exposurePct: cohort.exposurePct, cohort: cohort.tenants, hook: readiness.config.transitionHook, reason: reason,
                                 breakGlass: breakGlass)
        var drafts = [EventDraft(.canaryTransitionStarted, EventData(reason: reason, transition: t))]
        if t.hook == nil {
            drafts.append(EventDraft(.canaryTransitionDone, EventData(transition: t, hook: HookResult(outcome: .none, summary: "no transition hook in rollout.yaml", seconds: 0))))
        }
        return drafts
    }

    public static func nextIncrease(_ canary: CanaryState, _ steps: [Double]) -> (String, String)? { CanaryRules.nextIncrease(canary, steps) }

    public static func nextStep(_ canary: CanaryState, _ steps: [Double]) -> Int? { CanaryRules.nextStep(canary, steps) }

    static func exposureLimit(_ policy: Policy, _ target: Int) -> Double { CanaryRules.exposureLimit(policy, target) }

    /// The cohort an advance to `target` takes unless the operator names one: smallest tenants first.
    public static func defaultCohort(_ readiness: Readiness, _ target: Int) -> Cohort {
        Cohort.smallestFirst(readiness.config.tenants, upTo: exposureLimit(readiness.config.policy, target))
    }

    public struct ApprovalCount: Sendable, Equatable {
        public var fresh: [String]
        public var stale: [String]
        /// The keys behind `fresh`, in a signed rollout.
        public var freshKeys: Set<String> = []
    }

    /// Approvals that still count: same transition, same state and policy, and the approver still
    /// holds an approving role. In a signed rollout each also needs a signature by a key of the
    /// approver's roster entry, and counts once per key: names are not people, keys are.
    /// `breakGlassOnly`: a break-glass advance counts only approvals given for one.
    public static func approvals(for from: String, to: String, verdict: GateVerdict, readiness: Readiness, breakGlassOnly: Bool = false) -> ApprovalCount {
        approvals(for: from, to: to, stateSha256: verdict.stateSha256, policySha256: verdict.policySha256, readiness: readiness, breakGlassOnly: breakGlassOnly)
    }

    /// The same, from the two digests an approval binds to (a verdict's), without evaluating the
    /// gate: a write judges what it made stale from them (Consequences).
    public static func approvals(for from: String, to: String, stateSha256: String, policySha256: String, readiness: Readiness,
                                 breakGlassOnly: Bool = false) -> ApprovalCount {
        var fresh: [String] = [], stale: [String] = [], keys: Set<String> = []
        let signed = readiness.config.identity == .signed
        for a in readiness.state.canary.approvals where a.from == from && a.to == to && (!breakGlassOnly || a.breakGlass == true) {
            let member = readiness.config.member(a.by)
            let holds = Permissions(readiness.config).approvingRole(of: member) != nil
            var keyCounts = true
            if signed {
                let roster = Set((member?.keys ?? []).map(\.fingerprint))
                keyCounts = a.key.map { roster.contains($0) && !keys.contains($0) } ?? false
            }
            if holds && keyCounts && a.stateSha256 == stateSha256 && a.policySha256 == policySha256 {
                if !fresh.contains(a.by) { fresh.append(a.by) }
                if let key = a.key { keys.insert(key) }
            } else if !stale.contains(a.by) {
                stale.append(a.by)
            }
        }
        return ApprovalCount(fresh: fresh, stale: stale.filter { !fresh.contains($0) }, freshKeys: keys)
    }

    /// Why the calendar refuses this advance, or nil: outside the windows or in a freeze, unless
    /// someone holding a break-glass role breaks the glass with a reason.
    static func calendarRefusal(breakGlass: String?, member: Operator, readiness: Readiness) -> Refusal? {
        let calendar = readiness.config.policy.calendar
        let closed = calendar.refusal(at: readiness.now)
        let roles = calendar.breakGlass.roles
        guard breakGlass != nil else {
            guard let closed else { return nil }
            let needed = readiness.config.policy.approvals.exposureIncrease + calendar.breakGlass.extraApprovals
            return Refusal("exposure may not increase now: \(closed). Holds and rollbacks are never blocked. In an emergency \(list(roles)) may break the glass with \(needed) approvals marked break-glass",
                           remedies: [.breakTheGlass(roles: list(roles))])
        }
        guard closed != nil else {
            return "there is no glass to break: exposure may increase now (\(calendarOpenText(calendar, readiness.now))); advance without break-glass"
        }
        guard !Set(member.roles).isDisjoint(with: roles) else {
            return "\(member.id) (\(member.roles.joined(separator: ", "))) may not break the glass; the policy lets \(list(roles)) (break_glass.roles)"
        }
        return nil
    }

    static func calendarOpenText(_ calendar: ReleaseCalendar, _ now: Date) -> String {
        if case let .open(window?) = calendar.standing(at: now) { return "window \(window.summary)" }
        return "no window or freeze applies"
    }

    /// Why shadow cannot be entered now, or nil: the conditions the policy marks for shadow (all
    /// of `require` unless `canary.shadow_requires` says otherwise), and no block.
    public static func shadowBlockers(_ readiness: Readiness) -> String? {
        let verdict = Gate.evaluate(readiness)
        guard let names = readiness.config.policy.canary.shadowRequires else {
            return verdict.ready ? nil : "the gate is NOT READY: \(reasons(verdict))"
        }
        let why = unmet(verdict, readiness.config.policy, inShadow: true) + verdict.blocks.map { "block \($0.name)" }
        return why.isEmpty ? nil : "shadow requires \(names.joined(separator: ", ")) and no block; not met: \(why.joined(separator: ", "))"
    }

    /// The requirements a stage needs and lacks, blocks aside: in shadow the conditions
    /// `canary.shadow_requires` names (the whole gate when it is absent), elsewhere the whole gate.
    static func unmet(_ verdict: GateVerdict, _ policy: Policy, inShadow: Bool) -> [String] {
        if inShadow, let names = policy.canary.shadowRequires { return verdict.unmet.map(\.name).filter(names.contains) }
        return verdict.unmet.map(\.name) + verdict.signoffsMissing
    }

    /// Why shadow cannot be left yet, or nil once the minimum period is served.
    public static func shadowPeriodRemaining(_ readiness: Readiness) -> String? {
        let policy = readiness.config.policy
        guard policy.requireShadowPeriod, let since = readiness.state.canary.shadowSince else { return nil }
        let needed = policy.canary.minShadowMinutes * 60
        let served = readiness.now.timeIntervalSince(since)
        guard served < needed else { return nil }
        return "shadow has run \(Format.duration(served, roundingUp: false)) of the minimum \(Format.duration(needed)) (canary.min_shadow_minutes); \(Format.duration(needed - served)) to go"
    }

    static func reasons(_ verdict: GateVerdict) -> String { verdict.reasons.joined(separator: ", ") }

    public static func describe(_ canary: CanaryState, _ steps: [Double]) -> String {
        switch canary.stage {
        case .canary: return "at \(canary.label(steps: steps))"
        case .held: return "held at \(canary.label(steps: steps))"
        case .rolledBack: return "rolled back"
        default: return canary.stage.rawValue
        }
    }

    static func list(_ roles: [String]) -> String {
        roles.count <= 1 ? roles.joined() : roles.dropLast().joined(separator: ", ") + " or " + roles.last!
    }
}
