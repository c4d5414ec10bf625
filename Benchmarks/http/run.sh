#!/bin/bash
# Requests over HTTP against their ceilings, on one server and one database:
#   - POST /api/v1/requests (filing with dispatch, timeline and audit) beside POST /bench/insert (one bare row);
#   - GET /api/v1/requests?limit=50 (the scoped list) beside GET /bench/select (a bare 50-row select).
# Usage: Benchmarks/http/run.sh [postgres://…/empty_database]   (SQLite in a temporary folder otherwise)
# Needs a release build (swift build -c release --product gongzhi) and wrk. wrk -t2 -c32 -d10s by default, the
# settings of the speed issue's table (CONNECTIONS and DURATION change them).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
export GONGZHI_BENCH_ROUTES=1
source Benchmarks/demo-server.sh
OWNER=$(token yezhu01)
STREET=$(token jiedao01)
COMPOUND=$(curl -fs -H "Authorization: Bearer $OWNER" "$BASE/api/v1/compounds?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
run() { # label, lua, token, path, body
  local out
  out=$(TOKEN="$3" BODY="${5:-}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "Benchmarks/http/$2" "$BASE$4")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$LABEL" "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "| database | route | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
# The owner's lists first, while the owner holds the demo's handful of requests (filing below adds thousands).
run "GET /api/v1/requests?limit=50 (owner: filed or followed)" get.lua "$OWNER" "/api/v1/requests?limit=50"
run "GET /api/v1/ownerships?limit=50 (street staff)" get.lua "$STREET" "/api/v1/ownerships?limit=50"
run "GET /api/v1/ownerships?limit=50 (owner: their rooms)" get.lua "$OWNER" "/api/v1/ownerships?limit=50"
run "POST /bench/insert (bare one-row insert)" post.lua "$OWNER" /bench/insert '{}'
run "POST /api/v1/requests (file, dispatch, timeline, audit)" post.lua "$OWNER" /api/v1/requests \
    "{\"category\":\"sanitation\",\"compoundId\":\"$COMPOUND\",\"description\":\"benchmark: 楼道堆物\"}"
run "GET /bench/select (bare 50 rows)" get.lua "$STREET" /bench/select
run "GET /api/v1/requests?limit=50 (street staff, scoped)" get.lua "$STREET" "/api/v1/requests?limit=50"
run "GET /healthz (no sign-in, no database)" get.lua "" /healthz
