#!/bin/bash
# Every role's lists beside street staff's (issue: speed, item 3): each demo account reads the
# first 50 of requests, rooms, ownerships, residents and whistle cases, and the decisions of
# 万兴苑, over HTTP with wrk; each figure is shown with its ratio to street staff's (jiedao01) on
# the same list. A role that may not read a list shows its status instead of a rate.
# Usage: Benchmarks/http/roles.sh [postgres://…/empty_database]   (SQLite in a temporary folder otherwise)
# Needs a release build (swift build -c release --product gongzhi) and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
source Benchmarks/demo-server.sh
USERS=(jiedao01 quguan01 shequ01 wuye01 yeweihui01 yezhu01 jumin01)
declare -A TOKENS
for u in "${USERS[@]}"; do TOKENS[$u]=$(token "$u"); done
COMPOUND=$(curl -fs -H "Authorization: Bearer ${TOKENS[yeweihui01]}" "$BASE/api/v1/compounds?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
LISTS=("/api/v1/requests?limit=50" "/api/v1/rooms?limit=50" "/api/v1/ownerships?limit=50" "/api/v1/residents?limit=50"
       "/api/v1/whistle-cases?limit=50" "/api/v1/compounds/$COMPOUND/decisions")
echo "| database | list | account | items | requests/s | p99 | ÷ street staff |"
echo "|---|---|---|---|---|---|---|"
for path in "${LISTS[@]}"; do
  street=""
  for u in "${USERS[@]}"; do
    status=$(curl -s -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer ${TOKENS[$u]}" "$BASE$path")
    short=${path%%\?*}; short=${short/$COMPOUND/万兴苑}
    if [ "$status" != 200 ]; then
      printf '| %s | %s | %s | — | %s | | |\n' "$LABEL" "$short" "$u" "HTTP $status"
      continue
    fi
    items=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["items"]) if isinstance(d, dict) and "items" in d else len(d) if isinstance(d, list) else "?")' "$WORK/body.json")
    out=$(TOKEN="${TOKENS[$u]}" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s Benchmarks/http/get.lua "$BASE$path")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    [ "$u" = jiedao01 ] && street=$rps
    ratio=$(python3 -c "import sys; s=float(sys.argv[1] or 0); r=float(sys.argv[2]); print(f'{r/s:.2f}' if s else '')" "$street" "$rps")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$LABEL" "$short" "$u" "$items" "$rps" "$p99" "$ratio"
  done
done
