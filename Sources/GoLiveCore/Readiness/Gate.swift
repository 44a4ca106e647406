import Foundation

public enum Gate {
    public static let configurationAdopted = "configuration_adopted"
    public static let journalTrusted = "journal_trusted"
    public static let blockersSatisfied = "blockers_satisfied"

    public static func evaluate(_ r: Readiness) -> GateVerdict {
        if let kept = r.verdict.withLock({ $0 }) { return kept }
        let verdict = evaluateNow(r)
        r.verdict.withLock { $0 = verdict }
        r.made.withLock { $0.verdicts += 1 }
        return verdict
    }

    private static func evaluateNow(_ r: Readiness) -> GateVerdict {
        let policy = r.config.policy
        var unmet: [ConditionResult] = [], blocks: [ConditionResult] = [], met: [String] = []
        // Not a policy condition: a policy edited outside the journal cannot remove it.
        if let change = r.configurationChange {
            unmet.append(ConditionResult(name: Self.configurationAdopted, summary: "the configuration on disk is the one adopted in the journal",
                                         holds: false, findings: [Finding(detail: change)]))
        }
        // Nor this one: a journal holding refused records is not a basis for a verdict.
        if let why = r.untrustedReason {
            unmet.append(ConditionResult(name: Self.journalTrusted, summary: "every record in the journal passes the judge (or was set aside)",
                                         holds: false, findings: r.state.refused.prefix(20).map { Finding(detail: "refused " + $0.summary) }))
            _ = why
        }
        // Nor this one: a blocker blocks whether or not a policy condition names it.
        var blockerFindings: [Finding] = [], notGating: [Finding] = []
        let named = Set((policy.require + policy.blockIf).compactMap { policy.conditions[$0] }.flatMap(\.itemIDs))
        let closedOnlyIfSatisfied = Self.itemsThatCloseTheGateUnlessSatisfied(policy)
        for (item, a) in zip(r.config.catalog, r.assessments()) where item.severity != .advisory {
            if item.severity == .required && named.contains(item.id) { continue }
            // A policy condition already closes the gate for this one and names it: said once.
            if item.severity == .blocker && closedOnlyIfSatisfied.items.contains(item.id) { continue }
            if item.severity == .blocker, let field = item.derivedFromCapabilityField, closedOnlyIfSatisfied.fields.contains(field),
               !r.config.capabilities.isEmpty { continue }
            guard a.standing != .satisfied else { continue }
            let finding = Finding(item: item.id, detail: "\(a.standing == .failed ? "failed" : "open"): \(a.detail)", owner: item.owner)
            if item.severity == .blocker { blockerFindings.append(finding) } else { notGating.append(finding) }
        }
        if !blockerFindings.isEmpty {
            unmet.append(ConditionResult(name: Self.blockersSatisfied, summary: "every blocker item is passed, not applicable or waived",
                                         holds: false, findings: blockerFindings))
        }
        for name in policy.require {
            guard let c = policy.conditions[name] else { continue }
            let result = evaluate(c, r)
            if result.holds { met.append(name) } else { unmet.append(result) }
        }
        for name in policy.blockIf {
            guard let c = policy.conditions[name] else { continue }
            let result = evaluate(c, r)
            if result.holds { blocks.append(result) }
        }
        if blockerFindings.isEmpty { met.insert(Self.blockersSatisfied, at: 0) }
        let standings = policy.approvals.requireSignoff.map { ($0, r.signoffStanding($0)) }
        let missing = standings.compactMap { contour, standing -> String? in
            switch standing {
            case .fresh: return nil
            case .stale: return "\(contour.rawValue): sign-off is stale (an item changed after signing, or the signer left the team or lost the role)"
            case .missing: return "\(contour.rawValue): no sign-off by \((policy.approvals.signoff[contour] ?? []).joined(separator: " or "))"
            }
        }
        return GateVerdict(ready: unmet.isEmpty && blocks.isEmpty && missing.isEmpty, unmet: unmet, blocks: blocks, met: met,
                           signoffsMissing: missing, notGating: notGating, policySha256: policy.sha256, stateSha256: r.stateHash(requiredSignoffs: standings),
                           journalSeq: r.state.seq, evaluatedAt: r.now)
    }

    /// Items whose every standing but satisfied makes some policy condition close the gate
    /// (`all_passed` under `require`, `any_not_passed` under `block_if`), and capability fields
    /// whose absence does (`capabilities_have` under `require`, `capability_field_missing` under
    /// `block_if`, once there is a capability to lack one).
    static func itemsThatCloseTheGateUnlessSatisfied(_ policy: Policy) -> (items: Set<String>, fields: Set<CapabilityField>) {
        var items = Set<String>(), fields = Set<CapabilityField>()
        for name in policy.require {
            for rule in policy.conditions[name]?.rules ?? [] {
                if case let .allPassed(ids) = rule { items.formUnion(ids) }
                if case let .capabilitiesHave(f) = rule { fields.formUnion(f) }
            }
        }
        for name in policy.blockIf {
            guard let c = policy.conditions[name], c.polarity == .holdsWhenFound else { continue }
            for rule in c.rules {
                if case let .anyNotPassed(ids) = rule { items.formUnion(ids) }
                if case let .capabilityFieldMissing(f) = rule { fields.formUnion(f) }
            }
        }
        return (items, fields)
    }

    public static func evaluate(_ condition: Condition, _ r: Readiness) -> ConditionResult {
        var findings: [Finding] = []
        for rule in condition.rules {
            switch rule {
            case let .allPassed(ids), let .anyNotPassed(ids):
                for id in ids {
                    guard let item = r.config.item(id) else { continue }
                    let a = r.assess(item)
                    if a.standing != .satisfied { findings.append(Finding(item: id, detail: "\(a.standing == .failed ? "failed" : "open"): \(a.detail)", owner: item.owner)) }
                }
            case let .anyFailed(ids):
                for id in ids {
                    guard let item = r.config.item(id) else { continue }
                    let a = r.assess(item)
                    if a.standing == .failed { findings.append(Finding(item: id, detail: "failed: \(a.detail)", owner: item.owner)) }
                }
            case let .capabilitiesHave(fields), let .capabilityFieldMissing(fields):
                for cap in r.config.capabilities {
                    let missing = cap.missingFields.filter(fields.contains)
                    if !missing.isEmpty {
                        findings.append(Finding(capability: cap.name, detail: "missing: " + missing.map(\.rawValue).joined(separator: ", "),
                                                owner: cap.fields[.owner]))
                    }
                }
                if case .capabilitiesHave = rule, r.config.capabilities.isEmpty {
                    findings.append(Finding(detail: "no capabilities are declared in rollout.yaml"))
                }
            case .capabilityDirectAccess:
                for cap in r.config.capabilities where cap.directAccess {
                    findings.append(Finding(capability: cap.name, detail: "declared direct_access: reachable without the gateway", owner: cap.fields[.owner]))
                }
            }
        }
        let holds = condition.polarity == .holdsWhenClean ? findings.isEmpty : !findings.isEmpty
        return ConditionResult(name: condition.name, summary: condition.summary, holds: holds, findings: findings)
    }
}
