/// Every question of the chapter's sections 4–8 and 12 (and the release-window failure of section 11),
/// each under its contour. Ids are stable: journals and policies refer to them.
public enum DefaultCatalog {
    public static let items: [ItemDefinition] = runtime + safety + capabilities + observability + evalSLO + operations + ownership

    static func item(_ id: String, _ contour: Contour, _ severity: Severity, _ owner: String, _ title: String, _ why: String) -> ItemDefinition {
        ItemDefinition(id: id, contour: contour, title: title, why: why, severity: severity, owner: owner)
    }

    static let runtime: [ItemDefinition] = [
        item("runtime.happy_path", .runtime, .blocker, "eval", "Does the happy path pass?",
             "This is the base layer: if it is shaky, the rest of the checks become less meaningful."),
        item("runtime.tool_hops_bounded", .runtime, .required, "captain", "Is the number of tool hops bounded?",
             "An unbounded tool loop turns one request into runaway cost and side effects."),
        item("runtime.malformed_inputs", .runtime, .required, "eval", "Are empty / malformed inputs handled correctly?",
             "Teams say \"we did not expect that kind of input\" after the incident, not before."),
        item("runtime.empty_retrieval", .runtime, .required, "eval", "Does the run behave safely when retrieval is empty?",
             "Empty retrieval is where agents invent answers instead of saying they do not know."),
        item("runtime.model_failure_safe", .runtime, .blocker, "sre", "Does the runtime fail safely on model failure?",
             "Readiness means knowing how the system behaves during failures, not only in the happy path."),
        item("runtime.foreground_background_separated", .runtime, .required, "captain", "Are foreground and background actions separated?",
             "Background actions that run as foreground ones escape the user's view and the approval path."),
    ]

    static let safety: [ItemDefinition] = [
        item("safety.prechecks_guardrails", .safety, .blocker, "safety", "Do pre-checks and egress guardrails exist?",
             "Safety regressions must be treated as blockers, not as follow-ups."),
        item("safety.policy_decisions_traced", .safety, .blocker, "safety", "Are policy decisions visible in traces?",
             "Policy may exist in code while still missing from the paths that matter; traces show which."),
        item("safety.high_risk_approval", .safety, .blocker, "safety", "Do high-risk actions really require approval?",
             "\"We assumed approval would definitely work\" is a classic go-live surprise."),
        item("safety.no_gateway_bypass", .safety, .blocker, "safety", "Are there no direct access paths bypassing the gateway?",
             "A direct path around the gateway skips every policy the gateway enforces."),
        item("safety.memory_writes_constrained", .safety, .required, "safety", "Are memory writes constrained by policy?",
             "Unconstrained memory writes let one bad run poison every later run."),
        item("safety.tenant_boundaries_tested", .safety, .blocker, "safety", "Were multi-tenant boundaries tested with realistic scenarios?",
             "A tenant boundary that only holds on test fixtures leaks data in production."),
    ]

    /// Section 6's template: one derived item per field, computed from the capabilities in rollout.yaml.
    static let capabilities: [ItemDefinition] = CapabilityField.allCases.map { field in
        let severity: Severity = [.owner, .unknown_side_effect_path, .timeout].contains(field) ? .blocker : .required
        let title = "Every capability: " + field.question + "?"
        let why: String
        switch field {
        case .owner: why = "A capability without an owner has nobody who knows the real release window."
        case .transport: why = "An unclear transport means unclear failure modes and timeouts."
        case .timeout: why = "Without a timeout one slow dependency stalls every run that calls it."
        case .retry_policy: why = "Retries without a policy multiply load and side effects during an incident."
        case .idempotency: why = "Without idempotency a retry can refund, email or charge twice."
        case .unknown_side_effect_path: why = "When the outcome of a call is unknown, someone must know whether it happened."
        case .outcome_telemetry: why = "Tool outcomes must be visible, or the first incident is a blind investigation."
        }
        return ItemDefinition(id: "capabilities.\(field.rawValue)", contour: .capabilities, title: title, why: why,
                              severity: severity, owner: "capability_owner", derivedFromCapabilityField: field)
    }

    static let observability: [ItemDefinition] = [
        item("observability.trace_id", .observability, .blocker, "sre", "Does every run have a trace_id?",
             "Teams treat traces as a non-blocking detail; without them the first incident is blind investigation."),
        item("observability.key_spans", .observability, .required, "sre", "Do key spans already exist?",
             "\"We will add proper traces later\" is the most common launch mistake."),
        item("observability.policy_tool_outcomes_visible", .observability, .blocker, "sre", "Are policy decisions and tool outcomes visible?",
             "An incident review needs to see what the policy decided and what each tool did."),
    ]

    static let evalSLO: [ItemDefinition] = [
        item("eval_slo.slo_defined", .eval_slo, .required, "sre", "Are SLOs defined?",
             "Without an SLO there is no line between a bad day and an incident."),
        item("eval_slo.offline_evals", .eval_slo, .blocker, "eval", "Do offline evals pass?",
             "\"It looked fine on the test cases\" is not evidence; passing evals are."),
        item("eval_slo.regression_gate_documented", .eval_slo, .required, "eval", "Is the regression gate documented?",
             "An undocumented gate is skipped under release pressure."),
        item("eval_slo.online_monitoring", .eval_slo, .required, "sre", "Is online monitoring ready for the first rollout waves?",
             "The first waves are where regressions show; nobody sees them without monitoring."),
    ]

    static let operations: [ItemDefinition] = [
        item("operations.oncall_owner", .operations, .blocker, "sre", "Is there an on-call owner?",
             "Ownership often exists on paper while on-call is not ready."),
        item("operations.alerting", .operations, .required, "sre", "Is alerting in place for SLO burn and safety incidents?",
             "Without alerts the first signal of an incident is a customer."),
        item("operations.manual_fallback", .operations, .required, "captain", "Is the manual fallback understood?",
             "When the agent must be switched off, people need to know what takes over."),
        item("operations.rollback_procedure", .operations, .blocker, "sre", "Is the rollback procedure known?",
             "\"We will roll back if something happens\" is not a rollback plan."),
        item("operations.blast_radius_bounded", .operations, .blocker, "captain", "Is rollout blast radius bounded?",
             "The first failure pattern: rollout goes to too much traffic too fast."),
        item("operations.runbook", .operations, .required, "sre", "Is there a runbook for common failures?",
             "Without it the system remains experimental, not production-grade."),
    ]

    static let ownership: [ItemDefinition] = [
        item("ownership.formal_gate", .ownership, .required, "captain", "Is there a formal readiness gate?",
             "Production readiness should be formalizable, not confidence in someone's tone of voice."),
        item("ownership.owner_oncall_clear", .ownership, .blocker, "captain", "Are owner and on-call clear for this rollout?",
             "Ownership exists on paper, but on-call is not ready: a recognizable go-live failure."),
        item("ownership.telemetry_flow", .ownership, .required, "sre", "Will traces, policy decisions, and tool outcomes flow through telemetry?",
             "Teams treat traces as a non-blocking detail until they need them."),
        item("ownership.canary_shadow_phase", .ownership, .required, "captain", "Is there a canary/shadow phase?",
             "Going to too much traffic too fast is the first failure pattern."),
        item("ownership.rollback_plan", .ownership, .blocker, "captain", "Is there a rollback plan and blast-radius limit?",
             "The rollback plan is often basically \"we will roll back if something happens\"."),
        item("ownership.high_risk_flows_tested", .ownership, .blocker, "safety", "Were high-risk flows tested separately, not only the happy path?",
             "Safety regressions are not treated as blockers unless high-risk flows are tested on their own."),
        item("ownership.release_window_known", .ownership, .required, "capability_owner", "Do capability owners know the real release window?",
             "Capability owners who do not know the release window are not on hand when it breaks."),
    ]
}
