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
