#!/usr/bin/env bash
# PxL (Seer's query engine) vs DuckDB on the same 10M synthetic http_events rows.
#   bench/pxl_duckdb.sh [--rows N] [--reps N] [--threads N] [--data-dir DIR] [--out FILE]
# Builds the release benchmark binary together with seer-cli (one feature set, shared artifacts), installs
# DuckDB and pyarrow from PyPI into a venv under /var/tmp once, then runs bench/pxl_duckdb.py, which writes
# bench/results/pxl_duckdb.json. Needs ~6 GB of free memory and ~2.5 GB under /var/tmp/seer-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/seer-target}
VENV=${SEER_BENCH_VENV:-/var/tmp/seer-bench-venv}
DUCKDB_VERSION=2.0.1
PYARROW_VERSION=26.0.1

cargo build --release --locked -p seer-cli -p seer-bench --bin pxl-duckdb
if ! "$VENV/bin/python" -c "import duckdb, pyarrow, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION" "pyarrow==$PYARROW_VERSION"
fi
exec "$VENV/bin/python" bench/pxl_duckdb.py --binary "$CARGO_TARGET_DIR/release/pxl-duckdb" "$@"
