#!/bin/sh
# Makes a store of the sample rollout READY through the real CLI: closes the sample's three open
# items and declares the two missing unknown-side-effect paths. Creates the store from sample-data
# when STORE does not hold one yet. SHADOW_MINUTES, if given, replaces the policy's 60-minute shadow.
# Used by scripts/demo-canary.sh, the end-to-end tests and the canary benchmark.
#   usage: scripts/make-ready-store.sh STORE [SHADOW_MINUTES]     (GOLIVE: the golive binary to use)
set -eu
[ $# -ge 1 ] || { echo "usage: $0 STORE [SHADOW_MINUTES]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
golive=${GOLIVE:-$root/.build/debug/golive}
store=$1
[ -f "$store/rollout.yaml" ] || "$golive" init --from "$root/sample-data" --demo-keys --store "$store" --as alice >/dev/null
"$golive" item observability.key_spans --pass --note "key spans present in rc3" --store "$store" --as carol >/dev/null
"$golive" item eval_slo.offline_evals --pass --note "7/7 after the fix" --store "$store" --as dan >/dev/null
"$golive" item operations.oncall_owner --pass --note "second engineer on the rota" --store "$store" --as carol >/dev/null
sed -i '/outcome_telemetry: span tool.refund_payment with refund id$/a\    unknown_side_effect_path: query refund by key before retry' "$store/rollout.yaml"
sed -i '/outcome_telemetry: span tool.email_send$/a\    unknown_side_effect_path: relay log lookup by message id' "$store/rollout.yaml"
if [ $# -ge 2 ]; then
  sed -i "s/min_shadow_minutes: 60\$/min_shadow_minutes: $2/" "$store/policy.yaml"
  grep -q "min_shadow_minutes: $2\$" "$store/policy.yaml" || { echo "$0: could not set min_shadow_minutes in $store/policy.yaml" >&2; exit 1; }
fi
why="declare the unknown-side-effect paths${2:+, shadow of $2 minutes}"
if [ $# -ge 2 ] && awk "BEGIN { exit !($2 < 60) }"; then
  # A shorter shadow loosens what the canary rests on: alice proposes it, bob approves, alice adopts.
  "$golive" config propose --reason "$why" --store "$store" --as alice >/dev/null
  "$golive" config approve --reason "agreed for the demo" --store "$store" --as bob >/dev/null
fi
"$golive" config adopt --reason "$why" --store "$store" --as alice >/dev/null
"$golive" gate --no-record --store "$store" >/dev/null || { echo "$0: the gate is still NOT READY in $store" >&2; exit 1; }
