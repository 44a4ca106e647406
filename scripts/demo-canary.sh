#!/bin/sh
# Opens the cockpit on a copy of the sample made READY, with a 30-second shadow period, so the whole
# canary can be walked: c opens the panel, S enters shadow, another terminal approves
# (golive canary approve --as bob --store DIR), A advances, X rolls back. router.txt in the store
# shows what the sample hook did.
set -eu
cd "$(dirname "$0")/.."
# BUILD=release uses an optimised binary (a longer first build); the default is debug.
build=${BUILD:-debug}
swift build -c "$build" --product golive >/dev/null
golive=.build/$build/golive
store=$(mktemp -d /tmp/golive-canary-demo.XXXXXX)/store
GOLIVE=$golive scripts/make-ready-store.sh "$store" 0.5
echo "store: $store   (second operator: $golive canary approve --as bob --store $store)"
exec "$golive" --store "$store" --as alice
