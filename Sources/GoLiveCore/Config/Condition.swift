/// A named predicate over items and capabilities. Policies list condition names under `require`
/// (must hold) and `block_if` (must not hold).
public struct Condition: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// Holds while every listed item is passed, not applicable, or waived within its expiry.
        case allPassed([String])
        /// Every capability carries these template fields.
        case capabilitiesHave([CapabilityField])
        /// Fires when any listed item is failed (or its probe could not run).
        case anyFailed([String])
        /// Fires when any listed item is not yet passed: absence of a danger has to be shown, not assumed.
        case anyNotPassed([String])
        /// Fires when any capability lacks one of these template fields.
        case capabilityFieldMissing([CapabilityField])
        /// Fires when any capability is declared reachable without the gateway.
        case capabilityDirectAccess
    }

    public enum Polarity: String, Sendable { case holdsWhenClean, holdsWhenFound }

    public var name: String
    public var summary: String
    public var rules: [Rule]

    public init(name: String, summary: String, rules: [Rule]) {
        self.name = name
        self.summary = summary
        self.rules = rules
    }

    /// All rules of one condition share a polarity; the first decides.
    public var polarity: Polarity {
        switch rules.first {
        case .allPassed?, .capabilitiesHave?, nil: return .holdsWhenClean
        default: return .holdsWhenFound
        }
    }

    public var itemIDs: [String] {
        rules.flatMap { rule -> [String] in
            switch rule {
            case let .allPassed(ids), let .anyFailed(ids), let .anyNotPassed(ids): return ids
            default: return []
            }
        }
    }

    public var capabilityFields: [CapabilityField] {
        rules.flatMap { rule -> [CapabilityField] in
            switch rule {
            case let .capabilitiesHave(f), let .capabilityFieldMissing(f): return f
            default: return []
            }
        }
    }
}

public enum BuiltinConditions {
    public static let requireNames = ["trace_coverage", "policy_prechecks", "capability_owners", "offline_eval_pass",
                                      "slo_defined", "rollback_plan", "oncall_owner"]
    public static let blockNames = ["unknown_side_effect_path_missing", "direct_tool_access_present", "policy_decisions_not_traced"]

    public static let all: [String: Condition] = {
        let list: [Condition] = [
            Condition(name: "trace_coverage", summary: "every run has a trace_id and key spans exist",
                      rules: [.allPassed(["observability.trace_id", "observability.key_spans"])]),
            Condition(name: "policy_prechecks", summary: "pre-checks and egress guardrails exist and high-risk actions require approval",
                      rules: [.allPassed(["safety.prechecks_guardrails", "safety.high_risk_approval"])]),
            Condition(name: "capability_owners", summary: "every capability has an owner",
                      rules: [.capabilitiesHave([.owner])]),
            Condition(name: "offline_eval_pass", summary: "offline evals pass",
                      rules: [.allPassed(["eval_slo.offline_evals"])]),
            Condition(name: "slo_defined", summary: "SLOs are defined",
                      rules: [.allPassed(["eval_slo.slo_defined"])]),
            Condition(name: "rollback_plan", summary: "the rollback procedure is known and there is a rollback plan with a blast-radius limit",
                      rules: [.allPassed(["operations.rollback_procedure", "ownership.rollback_plan"])]),
            Condition(name: "oncall_owner", summary: "there is an on-call owner and owner and on-call are clear for this rollout",
                      rules: [.allPassed(["operations.oncall_owner", "ownership.owner_oncall_clear"])]),
            Condition(name: "unknown_side_effect_path_missing", summary: "a capability has no unknown side effect path",
                      rules: [.capabilityFieldMissing([.unknown_side_effect_path])]),
            Condition(name: "direct_tool_access_present", summary: "a path bypassing the gateway is declared or not yet ruled out",
                      rules: [.anyNotPassed(["safety.no_gateway_bypass"]), .capabilityDirectAccess]),
            Condition(name: "policy_decisions_not_traced", summary: "policy decisions are not yet shown to be visible in traces",
                      rules: [.anyNotPassed(["safety.policy_decisions_traced", "observability.policy_tool_outcomes_visible"])]),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}
