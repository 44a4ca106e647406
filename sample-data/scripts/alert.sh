#!/bin/sh
# The sample's alert hook (hooks.alert in rollout.yaml): appends each alert's JSON payload, read
# on stdin, to alerts.log in the store, so the demo shows what a pager or a chat webhook would
# receive. For a real rollout, post it instead, e.g.: curl -fsS -d @- "$WEBHOOK_URL"
payload=$(cat)
printf '%s\n' "$payload" >> "${GOLIVE_STORE:-.}/alerts.log"
echo "alert $GOLIVE_ALERT_KIND written to alerts.log"
