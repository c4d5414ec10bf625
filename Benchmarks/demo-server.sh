# Sourced by the HTTP benchmarks: loads a demo district (scale $SCALE, default district) into a
# fresh database — PostgreSQL when the script was given a URL to an empty one, else SQLite in a
# temporary folder — and serves it from the release build on a free port. Sets BIN, WORK, DBARGS,
# LABEL, BASE and SERVER; stops the server and removes the folder on exit.
BIN=.build/release/gongzhi
WORK=$(mktemp -d)
if [ $# -ge 1 ]; then DBARGS=(--database-url "$1"); LABEL=postgresql; else DBARGS=(--sqlite "$WORK/bench.sqlite"); LABEL=sqlite; fi
export LOG_LEVEL=error
"$BIN" demo --scale "${SCALE:-district}" "${DBARGS[@]}" > "$WORK/demo.log" 2>&1
# Fresh bulk-loaded tables on PostgreSQL: analyse them now, or autovacuum does it during the first measurements.
if [ $# -ge 1 ] && command -v psql > /dev/null; then psql -q "$1" -c "VACUUM ANALYZE" > /dev/null; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve "${DBARGS[@]}" --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$BASE/healthz" > /dev/null && break; sleep 0.1; done
token() { curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"Gz-$1-2020\"}" "$BASE/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
