#!/bin/bash
# Do reads wait behind writes on SQLite? The street's 50-row request list alone, then the same list
# while 8 connections file requests as fast as they can, with the writer's connection only
# (GONGZHI_SQLITE_READERS=0) and with read-only connections beside it (the default, 2).
# Usage: Benchmarks/readers/run.sh   (needs a release build of gongzhi and wrk; about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
echo "| readers | list alone: requests/s | p50 | p99 | list under filing: requests/s | p50 | p99 | filed/s meanwhile |"
echo "|---|---|---|---|---|---|---|---|"
for READERS in 0 2; do
  (
    export GONGZHI_SQLITE_READERS=$READERS
    SCALE=small source Benchmarks/demo-server.sh
    OWNER=$(token yezhu01)
    STREET=$(token jiedao01)
    COMPOUND=$(curl -fs -H "Authorization: Bearer $OWNER" "$BASE/api/v1/compounds?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
    stats() { echo "$1" | awk '/Requests\/sec/ {r=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {printf "%s | %s | %s", r, p50, p99}'; }
    alone=$(TOKEN="$STREET" wrk -t1 -c8 -d"$DURATION" --latency -s Benchmarks/http/get.lua "$BASE/api/v1/requests?limit=50")
    TOKEN="$OWNER" BODY="{\"category\":\"sanitation\",\"compoundId\":\"$COMPOUND\",\"description\":\"benchmark: 楼道堆物\"}" \
      wrk -t1 -c8 -d"$((${DURATION%s} + 2))s" -s Benchmarks/http/post.lua "$BASE/api/v1/requests" > "$WORK/filing.txt" &
    FILING=$!
    sleep 1
    mixed=$(TOKEN="$STREET" wrk -t1 -c8 -d"$DURATION" --latency -s Benchmarks/http/get.lua "$BASE/api/v1/requests?limit=50")
    wait $FILING
    filed=$(awk '/Requests\/sec/ {print $2}' "$WORK/filing.txt")
    printf '| %s | %s | %s | %s |\n' "$READERS" "$(stats "$alone")" "$(stats "$mixed")" "$filed"
  )
done
