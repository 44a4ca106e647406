import Foundation

/// The canary's rules that hold of records as much as of commands: where an increase goes from a
/// given state, how much a step may expose, which tenants a cohort may hold, how many approvals
/// an increase needs. `CanaryEngine` decides with them; `RecordJudge` judges records with them,
/// so a record written by hand is held to what golive itself would have written.
public enum CanaryRules {
    /// The next step of an increase, looking through a hold; nil when there is none.
    public static func nextStep(_ canary: CanaryState, _ steps: [Double]) -> Int? {
        guard canary.pending == nil || !canary.pendingUnknown else { return nil }
        switch canary.position {
        case .shadow: return steps.isEmpty ? nil : 0
        case .canary:
            let next = (canary.step ?? -1) + 1
            return next < steps.count ? next : nil
        default: return nil
        }
    }

    /// The next exposure increase as (from, to) labels, looking through a hold.
    public static func nextIncrease(_ canary: CanaryState, _ steps: [Double]) -> (String, String)? {
        guard let target = nextStep(canary, steps) else { return nil }
        return (canary.label(steps: steps), Format.percent(steps[target]))
    }

    /// A step never exposes more than the cap, whatever the step says.
    public static func exposureLimit(_ policy: Policy, _ target: Int) -> Double {
        min(policy.canary.steps[target], policy.maxTenantExposurePct)
    }

    /// Approvals an increase needs: the policy's count, and the calendar's extra for break-glass.
    public static func approvalsNeeded(_ policy: Policy, breakGlass: Bool) -> Int {
        policy.approvals.exposureIncrease + (breakGlass ? policy.calendar.breakGlass.extraApprovals : 0)
    }

    /// Why a transition's cohort cannot stand under `config` with at most `limit` exposure, or nil:
    /// every tenant known, none excluded, and the exposure it claims is the sum of their shares.
    public static func cohortProblem(_ t: CanaryTransition, config: RolloutConfig, limit: Double) -> String? {
        var sum = 0.0
        for id in Set(t.cohort) {
            guard let tenant = config.tenants.first(where: { $0.id == id }) else { return "its cohort names tenant '\(id)', which is not in the configuration in force" }
            if tenant.excluded { return "its cohort holds \(id), which the configuration in force excludes" }
            sum += tenant.sharePct
        }
        if t.exposurePct > limit + 1e-9 { return "it exposes \(Format.percent(t.exposurePct)), over the limit of \(Format.percent(limit)) (the step and max_tenant_exposure_pct)" }
        if abs(sum - t.exposurePct) > 1e-6 { return "it claims \(Format.percent(t.exposurePct)) exposure while its cohort's shares add up to \(Format.percent((sum * 1000).rounded() / 1000))" }
        return nil
    }
}
