#!/usr/bin/env bash
# Fuzzes GoLive's parsers with seeded random inputs: journal lines and the fold, rollout.yaml, the
# policy, time input, and the JUnit, OpenSLO and OTLP readers. Each target runs in its own process
# so a crash is counted and its input kept; exit 1 when any target crashed.
#
#   scripts/fuzz.sh [TARGET] [--execs N] [--seconds S] [--seed S]
#
# Defaults: every target, 1,000,000 executions or 300 s each, a seed from the clock (printed;
# pass it back with --seed to replay the same inputs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product golive >/dev/null
swift build -c release --product golive-bench >/dev/null
exec .build/release/golive-bench fuzz "$@"
