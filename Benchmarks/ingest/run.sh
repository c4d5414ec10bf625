#!/bin/bash
# Device ingestion over HTTP against its ceiling, on one server and one database, in one run:
#   - POST /api/v1/device-events in batches of 100 and of 1,000 access events (wrk, 4 connections: a few gateways);
#   - the same rows inserted in-process in batches of 100 and 1,000 (gongzhi-ingest-bench: no HTTP, JSON, checks or alerts).
# Usage: Benchmarks/ingest/run.sh [postgres://…/empty_database]   (SQLite in a temporary folder otherwise)
# Needs a release build (swift build -c release --product gongzhi --product gongzhi-ingest-bench) and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
RAW=.build/release/gongzhi-ingest-bench
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-4}
SCALE=small source Benchmarks/demo-server.sh
TOKEN=$(token shequ01)
COMPOUND=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/compounds?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
DEVICE=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"kind":"door_controller","name":"bench","place":"东门"}' "$BASE/api/v1/compounds/$COMPOUND/devices")
DEVICE_ID=$(echo "$DEVICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
KEY=$(echo "$DEVICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "| database | batch | HTTP events/s | p50 | p99 | non-2xx | in-process insert events/s | HTTP ÷ in-process |"
echo "|---|---|---|---|---|---|---|---|"
for BATCH in 100 1000; do
  raw=$("$RAW" "${DBARGS[@]}" --device "$DEVICE_ID" --batch "$BATCH" --seconds "$DURATION" | awk '/EVENTS_PER_S/ {print $2}')
  out=$(TOKEN="$KEY" BATCH="$BATCH" AT="$AT" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/ingest/events.lua "$BASE/api/v1/device-events")
  http=$(echo "$out" | awk '/EVENTS_PER_S/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  ratio=$(python3 -c "print(f'{$http / $raw:.0%}')")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$LABEL" "$BATCH" "$http" "$p50" "$p99" "${non2xx:-0}" "$raw" "$ratio"
done
stored=$(curl -fs "$BASE/healthz" > /dev/null && echo ok)
echo "(server healthy after the run: ${stored:-no})"
