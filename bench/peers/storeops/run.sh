#!/usr/bin/env bash
# Runs the order-triage peer benchmark against storeops: `storeops serve --no-workers`
# (the submit API) is the engine server, `storeops worker` the worker process, both on
# PostgreSQL (database `test`, schema storeops_harness). PEERS points at a copy of
# ../shared/bench/peers/workflow (its common/driver.py is used as-is).
# HARNESS_STOREOPS_MAX_CHAIN=1 makes the worker commit after every step (the peers'
# "persist each step before the next" rule to the letter); default 16.
# HARNESS_STOREOPS_WORKER_ARGS adds flags to `storeops worker` (e.g. `--linger-ms 0`).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../../.. && pwd)
PEERS=${PEERS:?set PEERS to a copy of shared/bench/peers/workflow}
WORK=$HERE/work/$(date +%Y%m%d-%H%M%S)
mkdir -p "$WORK"
./setup.sh >"$WORK/setup.log" 2>&1
export HARNESS_STOREOPS_BIN=${HARNESS_STOREOPS_BIN:-$ROOT/target/release/storeops}
PORT=${HARNESS_STOREOPS_PORT:-8089}
export HARNESS_STOREOPS_URL=http://127.0.0.1:$PORT
DSN=${BENCH_PG_DSN:-postgresql://postgres@127.0.0.1:5432/test}
export STOREOPS_DATABASE_URL="${DSN}?options[search_path]=storeops_harness"
.venv/bin/python - "$DSN" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("DROP SCHEMA IF EXISTS storeops_harness CASCADE")
    c.execute("CREATE SCHEMA storeops_harness")
PY
"$HARNESS_STOREOPS_BIN" migrate >"$WORK/migrate.log" 2>&1
"$HARNESS_STOREOPS_BIN" workflow deploy "$HERE/order-triage-harness.yaml" >"$WORK/deploy.log" 2>&1
.venv/bin/python - "$DSN" "$HERE/setup.sql" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(open(sys.argv[2]).read())
PY
export STOREOPS_TOKEN=$("$HARNESS_STOREOPS_BIN" token create --role operator --name harness --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$HARNESS_STOREOPS_BIN" serve --no-workers --listen 127.0.0.1:$PORT >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
for i in $(seq 1 120); do
  curl -sf "$HARNESS_STOREOPS_URL/healthz" >/dev/null 2>&1 && break
  kill -0 $SERVER_PID || { echo "server died" >&2; exit 1; }
  sleep 0.25
done
timeout 1500 .venv/bin/python "$PEERS/common/driver.py" \
  --engine storeops --adapter "$HERE/adapter.py" \
  --worker-cmd "exec $HARNESS_STOREOPS_BIN worker --owner harness-worker --max-chain ${HARNESS_STOREOPS_MAX_CHAIN:-16} ${HARNESS_STOREOPS_WORKER_ARGS:-}" --worker-cwd "$HERE" \
  --server-pids "$SERVER_PID" --workdir "$WORK" "$@" 2>"$WORK/driver.log" | tee "$WORK/result.json"
