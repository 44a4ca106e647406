#!/bin/sh
# Opens the cockpit on a copy of the sample made READY, with a 30-second shadow period, so the whole
# canary can be walked: c opens the panel, S enters shadow, another terminal approves
# (golive canary approve --as bob --store DIR), A advances, X rolls back. router.txt in the store
# shows what the sample hook did.
set -eu
cd "$(dirname "$0")/.."
swift build -c debug --product golive >/dev/null
store=$(mktemp -d /tmp/golive-canary-demo.XXXXXX)/store
scripts/make-ready-store.sh "$store" 0.5
echo "store: $store   (second operator: .build/debug/golive canary approve --as bob --store $store)"
exec .build/debug/golive --store "$store" --as alice
