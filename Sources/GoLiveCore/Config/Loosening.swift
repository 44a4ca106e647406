import Foundation

/// What a new configuration loosens, compared with the one in force: the changes the canary's
/// safety rests on (a higher cap or step, fewer approvals, a shorter shadow, a requirement, block,
/// sign-off or blocker removed, a member, key or approving role added, names instead of
/// signatures, a changed hook …). Such an adoption takes as many distinct approvals as an
/// exposure increase; a tightening one, or one that changes nothing of this, a captain alone.
public enum Loosening {
    /// Each loosening change in a person's words; empty when the new configuration loosens nothing.
    public static func changes(from old: RolloutConfig, to new: RolloutConfig) -> [String] {
        var out: [String] = []
        let p = old.policy, q = new.policy
        if q.maxTenantExposurePct > p.maxTenantExposurePct {
            out.append("max_tenant_exposure_pct \(Format.percent(p.maxTenantExposurePct)) → \(Format.percent(q.maxTenantExposurePct))")
        }
        if zip(p.canary.steps, q.canary.steps).contains(where: { $1 > $0 }) || (q.canary.steps.count > p.canary.steps.count && (q.canary.steps.last ?? 0) > (p.canary.steps.last ?? 0)) {
            out.append("canary steps \(p.canary.steps.map(Format.percent)) → \(q.canary.steps.map(Format.percent))")
        }
        if q.canary.minShadowMinutes < p.canary.minShadowMinutes {
            out.append("min_shadow_minutes \(Format.number(p.canary.minShadowMinutes)) → \(Format.number(q.canary.minShadowMinutes))")
        }
        if p.requireShadowPeriod && !q.requireShadowPeriod { out.append("the shadow period is no longer required") }
        if p.canary.autoHold && !q.canary.autoHold { out.append("auto_hold turned off") }
        if (p.canary.decisionTimeoutMinutes != nil && q.canary.decisionTimeoutMinutes == nil)
            || (q.canary.decisionTimeoutMinutes ?? 0) > (p.canary.decisionTimeoutMinutes ?? .infinity) {
            out.append("decision_timeout_minutes \(p.canary.decisionTimeoutMinutes.map(Format.number) ?? "none") → \(q.canary.decisionTimeoutMinutes.map(Format.number) ?? "none")")
        }
        if let was = Set(p.canary.shadowRequires ?? p.require) as Set<String>?, !was.isSubset(of: Set(q.canary.shadowRequires ?? q.require)) {
            out.append("shadow requires less: \(was.subtracting(q.canary.shadowRequires ?? q.require).sorted().joined(separator: ", ")) dropped")
        }
        if q.approvals.exposureIncrease < p.approvals.exposureIncrease {
            out.append("approvals.exposure_increase \(p.approvals.exposureIncrease) → \(q.approvals.exposureIncrease)")
        }
        let addedApprovers = Set(q.approvals.approverRoles).subtracting(p.approvals.approverRoles)
        if !addedApprovers.isEmpty { out.append("approving roles added: \(addedApprovers.sorted().joined(separator: ", "))") }
        for (name, list) in [("require", Set(p.require).subtracting(q.require)), ("block_if", Set(p.blockIf).subtracting(q.blockIf))] where !list.isEmpty {
            out.append("\(name) removed: \(list.sorted().joined(separator: ", "))")
        }
        let changedConditions = Set(p.require + p.blockIf).intersection(q.require + q.blockIf).filter { p.conditions[$0] != q.conditions[$0] }
        if !changedConditions.isEmpty { out.append("conditions redefined: \(changedConditions.sorted().joined(separator: ", "))") }
        let signoffs = Set(p.approvals.requireSignoff).subtracting(q.approvals.requireSignoff)
        if !signoffs.isEmpty { out.append("required sign-offs removed: \(signoffs.map(\.rawValue).sorted().joined(separator: ", "))") }
        if !p.waivers.allowBlockers && q.waivers.allowBlockers { out.append("blockers may be waived") }
        if q.waivers.maxDays > p.waivers.maxDays { out.append("waivers.max_days \(p.waivers.maxDays) → \(q.waivers.maxDays)") }
        let waivers = Set(q.waivers.roles).subtracting(p.waivers.roles)
        if !waivers.isEmpty { out.append("waiving roles added: \(waivers.sorted().joined(separator: ", "))") }
        if p.calendar.restricts && !q.calendar.restricts { out.append("release windows and freezes removed") }
        if Set(q.calendar.breakGlass.roles).subtracting(p.calendar.breakGlass.roles).count > 0 || q.calendar.breakGlass.extraApprovals < p.calendar.breakGlass.extraApprovals {
            out.append("break-glass loosened")
        }
        if old.identity == .signed && new.identity != .signed { out.append("identity: signed → names") }
        if let was = p.approvals.touch, (q.approvals.touch ?? .present) < was || q.approvals.touch == nil {
            out.append("approvals.touch \(was.rawValue) → \(q.approvals.touch?.rawValue ?? "none")")
        }
        // The roster: who may act, with which keys and roles.
        for member in new.team {
            guard let before = old.member(member.id) else { out.append("member added: \(member.id) (\(member.roles.joined(separator: ", ")))"); continue }
            let keys = Set(member.keys).subtracting(before.keys)
            if !keys.isEmpty { out.append("key added for \(member.id): \(keys.map(\.fingerprint).sorted().joined(separator: ", "))") }
            if let was = before.touch, member.touch == nil || member.touch! < was {
                out.append("touch for \(member.id): \(was.rawValue) → \(member.touch?.rawValue ?? "none")")
            }
            let roles = Set(member.roles).subtracting(before.roles)
            if !roles.isEmpty { out.append("roles added for \(member.id): \(roles.sorted().joined(separator: ", "))") }
        }
        // Fewer people who must agree is less oversight: an approving member removed loosens too.
        let approving = Set(p.approvals.approverRoles + [Permissions.captainRole])
        for member in old.team where new.member(member.id) == nil && !Set(member.roles).isDisjoint(with: approving) {
            out.append("approving member removed: \(member.id) (\(member.roles.joined(separator: ", ")))")
        }
        // The checklist: a blocker removed or made lighter no longer blocks.
        for item in old.catalog where item.severity != .advisory {
            guard let now = new.item(item.id) else { out.append("item removed: \(item.id) (\(item.severity.rawValue))"); continue }
            if now.severity > item.severity { out.append("\(item.id): \(item.severity.rawValue) → \(now.severity.rawValue)") }
        }
        // What moves traffic: the hook's command or its adopted text.
        if old.transitionHook != new.transitionHook || hookText(old) != hookText(new) {
            out.append("the transition hook changed (\(old.transitionHook ?? "none") → \(new.transitionHook ?? "none"))")
        }
        return out
    }

    static func hookText(_ c: RolloutConfig) -> String? {
        guard let path = c.transitionHook?.split(separator: " ").first.map(String.init) else { return nil }
        return c.files.first { $0.path == path }?.sha256
    }
}
