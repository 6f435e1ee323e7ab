#!/usr/bin/env bash
# Idempotent set-up of the storeops peer: a release build of the binary and the
# driver's Python environment (same pinned packages as the Restate peer).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../../.. && pwd)
if [ -z "${HARNESS_STOREOPS_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --locked -p storeops >/dev/null)
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check 'psycopg[binary]==3.2.10' psutil==7.0.0 aiohttp==3.12.15
"${HARNESS_STOREOPS_BIN:-$ROOT/target/release/storeops}" --version
