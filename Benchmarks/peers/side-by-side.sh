#!/usr/bin/env bash
# Gongzhi and django-helpdesk side by side on this machine, one run, same wrk settings.
# Copied from ../shared/peers/side-by-side.sh (kept here so it follows our API as it changes).
# Usage, from the project's root, with a release build and a scratch folder outside the repo:
#   swift build -c release --product gongzhi
#   PEER_ROOT=$HOME/gongzhi-peer bash ../shared/peers/django-helpdesk/setup.sh     # once, about 20 s
#   PEER_ROOT=$HOME/gongzhi-peer bash Benchmarks/peers/side-by-side.sh
# It needs the bare routes (GONGZHI_BENCH_ROUTES=1, set below) and the demo logins.
# Talks only to 127.0.0.1; starts and stops its own servers by pid.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PEER_ROOT=${PEER_ROOT:?set PEER_ROOT to the django-helpdesk scratch folder}
BIN=$PWD/.build/release/gongzhi
DUR=${DUR:-10s}; CONNS=${CONNS:-32}
WORK=$(mktemp -d)
LUA=$WORK/lua; mkdir -p "$LUA"
cat > "$LUA/post.lua" <<'L'
wrk.method = "POST"; wrk.body = os.getenv("BODY"); wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
L
cat > "$LUA/get.lua" <<'L'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
L
GPID=""; SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true; [ -n "$GPID" ] && kill "$GPID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
row() { # system, route, wrk output
  local rps p99 non
  rps=$(echo "$3" | awk '/Requests\/sec/ {print $2}'); p99=$(echo "$3" | awk '$1=="99%" {print $2}')
  non=$(echo "$3" | awk '/Non-2xx/ {print $NF}')
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p99" "${non:-0}"
}
W=(wrk -t2 -c"$CONNS" -d"$DUR" --latency --timeout 30s)
echo "| system | route | req/s | p99 | non-2xx |"; echo "|---|---|---|---|---|"

# Gongzhi on SQLite with the demo district
PORT=18777; BASE=http://127.0.0.1:$PORT
( cd "$WORK" && GONGZHI_BENCH_ROUTES=1 LOG_LEVEL=error GONGZHI_PUBLIC_DIR="$OLDPWD/Public" exec "$BIN" serve --port $PORT --sqlite "$WORK/gz.sqlite" --demo > "$WORK/gz.log" 2>&1 ) &
SPID=$!
for _ in $(seq 240); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
tok() { curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"Gz-$1-2020\"}" "$BASE/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
OWNER=$(tok yezhu01); STREET=$(tok jiedao01)
COMPOUND=$(curl -fs -H "Authorization: Bearer $OWNER" "$BASE/api/v1/compounds?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
BODY="{\"category\":\"sanitation\",\"compoundId\":\"$COMPOUND\",\"description\":\"benchmark: 楼道堆物\"}"
"${W[@]}" -d2s "$BASE/healthz" >/dev/null
row gongzhi "POST /bench/insert (bare, signed in)" "$(TOKEN=$OWNER BODY='{}' "${W[@]}" -s "$LUA/post.lua" "$BASE/bench/insert")"
row gongzhi "POST /api/v1/requests (owner files)" "$(TOKEN=$OWNER BODY=$BODY "${W[@]}" -s "$LUA/post.lua" "$BASE/api/v1/requests")"
row gongzhi "GET /bench/select (bare 50 rows)" "$(TOKEN=$STREET "${W[@]}" -s "$LUA/get.lua" "$BASE/bench/select")"
row gongzhi "GET /api/v1/requests?limit=50 (street)" "$(TOKEN=$STREET "${W[@]}" -s "$LUA/get.lua" "$BASE/api/v1/requests?limit=50")"
row gongzhi "GET /api/v1/requests?limit=50 (owner)" "$(TOKEN=$OWNER "${W[@]}" -s "$LUA/get.lua" "$BASE/api/v1/requests?limit=50")"
row gongzhi "GET /healthz (no db auth)" "$("${W[@]}" "$BASE/healthz")"
RSS=$(awk '/RssAnon/ {print $2}' /proc/$SPID/status 2>/dev/null || echo "?")
kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
echo "gongzhi private memory (RssAnon) after the run: ${RSS} kB"

# django-helpdesk 2.6.1 under gunicorn (2 sync workers), SQLite WAL
cd "$PEER_ROOT"
rm -f data/db.sqlite3*; cp data/db-seed.sqlite3 data/db.sqlite3
HTOKEN=$(cat data/token.txt); export HD_TOKEN=$HTOKEN HD_QUEUE=$(cat data/queue_id.txt)
( cd project && exec ../venv/bin/gunicorn peerdesk.wsgi:application --workers 2 --worker-class sync --bind 127.0.0.1:8000 --no-control-socket --log-file "$WORK/gunicorn.log" ) &
GPID=$!
for _ in $(seq 60); do curl -fs -o /dev/null http://127.0.0.1:8000/login/ && break; sleep 0.5; done
wrk -t2 -c4 -d3s -H "Authorization: Token $HTOKEN" "http://127.0.0.1:8000/api/tickets/?page_size=50" >/dev/null
row django-helpdesk "POST /api/tickets/" "$("${W[@]}" -s lua/post_ticket.lua http://127.0.0.1:8000)"
row django-helpdesk "GET /api/tickets/?page_size=50" "$("${W[@]}" -H "Authorization: Token $HTOKEN" "http://127.0.0.1:8000/api/tickets/?page_size=50")"
