#!/bin/sh
# GoLive transition hook for the sample: stands in for a traffic router by writing the live weight
# and the cohort to router.txt in the store. A real hook would call the router or flag service and
# exit non-zero if it refused. GoLive records the step as done only on exit 0.
set -eu
out="${GOLIVE_STORE:-.}/router.txt"
tenants=$(tr '\n' ',' < "$GOLIVE_COHORT_FILE" | sed 's/,$//')
mirror=off
[ "$GOLIVE_STAGE" = shadow ] && mirror=on
{
  echo "rollout=$GOLIVE_ROLLOUT"
  echo "stage=$GOLIVE_STAGE"
  echo "weight=$GOLIVE_EXPOSURE_PCT"
  echo "mirror=$mirror"
  echo "tenants=$tenants"
  echo "by=$GOLIVE_OPERATOR transition=$GOLIVE_TRANSITION_ID"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "router: $GOLIVE_FROM -> $GOLIVE_TO, weight $GOLIVE_EXPOSURE_PCT% for $GOLIVE_COHORT_SIZE tenants, mirror $mirror"
