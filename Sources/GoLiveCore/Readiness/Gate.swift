import Foundation

/// What is behind a condition's truth value: an item and how it stands, or a capability and what it lacks.
public struct Finding: Codable, Sendable, Equatable {
    public var item: String?
    public var capability: String?
    public var detail: String
    public var owner: String?
}

public struct ConditionResult: Codable, Sendable, Equatable {
    public var name: String
    public var summary: String
    public var holds: Bool
    public var findings: [Finding]
}

public struct GateVerdict: Codable, Sendable, Equatable {
    public var ready: Bool
    public var unmet: [ConditionResult]
    public var blocks: [ConditionResult]
    public var met: [String]
    public var signoffsMissing: [String]
    public var policySha256: String
    public var stateSha256: String
    public var journalSeq: Int
    public var evaluatedAt: Date

    /// The number of separate reasons the gate is closed.
    public var reasonCount: Int { unmet.count + blocks.count + signoffsMissing.count }

    /// Every reason the gate is closed, in one line's words: unmet requirements, blocks, sign-offs.
    public var reasons: [String] { unmet.map(\.name) + blocks.map { "block \($0.name)" } + signoffsMissing }

    enum CodingKeys: String, CodingKey {
        case ready, unmet, blocks, met
        case signoffsMissing = "signoffs_missing"
        case policySha256 = "policy_sha256"
        case stateSha256 = "state_sha256"
        case journalSeq = "journal_seq"
        case evaluatedAt = "evaluated_at"
    }
}

public enum Gate {
    public static func evaluate(_ r: Readiness) -> GateVerdict {
        let policy = r.config.policy
        var unmet: [ConditionResult] = [], blocks: [ConditionResult] = [], met: [String] = []
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
        let missing = policy.approvals.requireSignoff.compactMap { contour -> String? in
            switch r.signoffStanding(contour) {
            case .fresh: return nil
            case .stale: return "\(contour.rawValue): sign-off is stale (an item changed after signing)"
            case .missing: return "\(contour.rawValue): no sign-off by \((policy.approvals.signoff[contour] ?? []).joined(separator: " or "))"
            }
        }
        return GateVerdict(ready: unmet.isEmpty && blocks.isEmpty && missing.isEmpty, unmet: unmet, blocks: blocks, met: met,
                           signoffsMissing: missing, policySha256: policy.sha256, stateSha256: r.stateHash,
                           journalSeq: r.state.seq, evaluatedAt: r.now)
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
