#!/usr/bin/env bash
# Regenerates sample-data/journal.jsonl: the partial progress of the sample go-live, recorded by the
# real golive commands as the five team members, so its hash chain is genuine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
golive=${GOLIVE:-$root/.build/debug/golive}
# The sample keeps the time it was first recorded at (the tests read it as of 2026-11-30): with
# faketime (Debian's package) each command runs two seconds after the one before, from then.
step=0
g() {
  if command -v faketime >/dev/null && [[ -z ${GOLIVE_SAMPLE_REAL_TIME:-} ]]; then
    step=$((step + 2))
    faketime -f "@$(date -u -d "2026-11-29 03:21:43 UTC + $step seconds" '+%Y-%m-%d %H:%M:%S')" "$golive" "$@"
  else
    "$golive" "$@"
  fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cp -r "$root/sample-data/rollout.yaml" "$root/sample-data/policy.yaml" "$root/sample-data/scripts" "$root/sample-data/demo-keys" "$work/src/"
unset SSH_AUTH_SOCK GOLIVE_SIGNING_KEY  # the sample is signed with its published demo keys
export GOLIVE_STORE="$work/store"
GOLIVE_OPERATOR=alice g init --from "$work/src" --demo-keys >/dev/null
as() { local who=$1; shift; GOLIVE_OPERATOR=$who g "$@" >/dev/null; }

# Runtime: all done, signed off by the captain.
as dan   item runtime.happy_path --pass --note "eval suite 'golden-paths' 212/212" --evidence https://ci.example.com/support-copilot/runs/4411
as alice item runtime.tool_hops_bounded --pass --note "max_tool_hops=8 enforced in planner; loop test added"
as dan   item runtime.malformed_inputs --pass --note "fuzzed 5k malformed payloads; all rejected with user-facing message"
as dan   item runtime.empty_retrieval --pass --note "empty KB result -> 'I could not find that' + offer escalation"
as carol item runtime.model_failure_safe --pass --note "model 5xx/timeout -> canned apology + escalate_to_human; chaos test 2026-11-20"
as alice item runtime.foreground_background_separated --pass --note "KB drafting runs in background queue, never in the chat turn"
as alice signoff runtime --role captain --note "runtime contour reviewed in go-live prep"

# Safety: all closed (memory is off in 2.4), signed off by safety.
as bob item safety.prechecks_guardrails --pass --note "input PII scrub + egress allow-list active in gateway" --evidence https://wiki.example.com/safety/guardrails-2.4
as bob item safety.policy_decisions_traced --pass --note "policy.decision span on every tool call, verified in staging traces"
as bob item safety.high_risk_approval --pass --note "refund_payment and address_update blocked without approver token; tested"
as bob item safety.no_gateway_bypass --pass --note "network policy denies agent pods direct egress; scan clean"
as bob item safety.memory_writes_constrained --na --note "long-term memory is disabled in 2.4 (feature flag memory.enabled=false)"
as bob item safety.tenant_boundaries_tested --pass --note "cross-tenant retrieval red-team: 0/400 leaks"
as bob signoff safety --role safety --note "red-team report RT-2.4 reviewed"

# Observability: trace ids yes, key spans not confirmed yet.
as carol item observability.trace_id --pass --note "trace_id on 100% of 10k staging runs"
as carol item observability.policy_tool_outcomes_visible --pass --note "tool outcome + policy decision attributes on spans"
as carol item observability.key_spans --note "span list drafted; waiting for planner spans in build 2.4.0-rc3"

# Eval and SLO: SLOs yes, offline evals failing.
as carol item eval_slo.slo_defined --pass --note "availability 99.5% and p95 answer latency < 6s" --evidence https://slo.example.com/support-copilot
as dan   item eval_slo.offline_evals --fail --note "2 of 7 release eval cases fail: empty retrieval, prompt injection guard" --evidence https://ci.example.com/support-copilot/evals/981
as dan   item eval_slo.regression_gate_documented --pass --note "docs/regression-gate.md"

# Operations: rollback known, on-call not staffed yet.
as carol item operations.rollback_procedure --pass --note "flag flip to 2.3 in < 2 min, rehearsed 2026-11-24"
as alice item operations.blast_radius_bounded --pass --note "tenant cohorts capped at 5% by policy"
as carol item operations.alerting --pass --note "burn-rate alerts 2h/6h and safety incident page"
as alice item operations.manual_fallback --pass --note "support team takes over via queue; staffed"
as alice waive operations.runbook --reason "runbook for refund failures lands with 2.4.1; on-call briefed" --expires 30d

# Ownership: rollback plan and owner clear; on-call owner still open.
as alice item ownership.formal_gate --pass --note "this gate: golive policy.yaml"
as alice item ownership.owner_oncall_clear --pass --note "Alice owns the rollout; Carol leads on-call"
as alice item ownership.rollback_plan --pass --note "rollback = flag flip + cohort removal; blast radius 5%"
as alice item ownership.canary_shadow_phase --pass --note "60 min shadow, then 1% and 5% cohorts"
as bob   item ownership.high_risk_flows_tested --pass --note "refund and address change tested separately with approval paths"

# A refused action stays in the record: the eval lead cannot sign off ownership.
GOLIVE_OPERATOR=dan g signoff ownership --role eval >/dev/null 2>&1 || true

cp "$GOLIVE_STORE/journal.jsonl" "$root/sample-data/journal.jsonl"
"$golive" audit verify "$root/sample-data/journal.jsonl"
