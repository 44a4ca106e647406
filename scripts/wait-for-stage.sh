#!/bin/sh
# A CI step that waits for the canary to reach a stage before the next job runs (for example the
# 1% soak tests), and exits with golive wait's documented code so the pipeline can branch:
#   0 reached · 1 refused · 2 bad input · 3 held or rolled back · 4 timed out
#   usage: scripts/wait-for-stage.sh STORE [STAGE] [TIMEOUT]     e.g. STORE 1% 30m
#   (GOLIVE: the golive binary to use; the JSON result is left in $WAIT_RESULT, default ./wait-result.json)
[ $# -ge 1 ] || { echo "usage: $0 STORE [STAGE] [TIMEOUT]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
golive=${GOLIVE:-$root/.build/debug/golive}
result=${WAIT_RESULT:-wait-result.json}
"$golive" wait --store "$1" --until "stage=${2:-1%}" --timeout "${3:-30m}" --interval 0.2 --json > "$result"
code=$?
case $code in
  0) echo "canary reached ${2:-1%}: continuing" ;;
  3) echo "canary held or rolled back: stopping the pipeline" >&2 ;;
  4) echo "canary did not reach ${2:-1%} within ${3:-30m}" >&2 ;;
  *) echo "golive wait failed (exit $code)" >&2 ;;
esac
exit $code
