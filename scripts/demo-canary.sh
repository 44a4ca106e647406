#!/bin/sh
# Opens the cockpit on a copy of the sample made READY, with a 30-second shadow period, so the whole
# canary can be walked: c opens the panel, S enters shadow, another terminal approves
# (golive canary approve --as bob --store DIR), A advances, X rolls back. router.txt in the store
# shows what the sample hook did.
set -eu
cd "$(dirname "$0")/.."
swift build -c debug --product golive >/dev/null
golive=.build/debug/golive
store=$(mktemp -d /tmp/golive-canary-demo.XXXXXX)/store
$golive init --from sample-data --store "$store" --as alice >/dev/null
$golive item observability.key_spans --pass --note "key spans present in rc3" --store "$store" --as carol >/dev/null
$golive item eval_slo.offline_evals --pass --note "7/7 after the fix" --store "$store" --as dan >/dev/null
$golive item operations.oncall_owner --pass --note "second engineer on the rota" --store "$store" --as carol >/dev/null
sed -i '/outcome_telemetry: span tool.refund_payment with refund id/a\    unknown_side_effect_path: query refund by key before retry' "$store/rollout.yaml"
sed -i '/outcome_telemetry: span tool.email_send$/a\    unknown_side_effect_path: relay log lookup by message id' "$store/rollout.yaml"
sed -i 's/min_shadow_minutes: 60/min_shadow_minutes: 0.5/' "$store/policy.yaml"
echo "store: $store   (second operator: $golive canary approve --as bob --store $store)"
exec $golive --store "$store" --as alice
