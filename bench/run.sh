#!/usr/bin/env bash
# Runs Seer's benchmarks and collects machine-readable results in bench/results/.
#   bench/run.sh            # all criterion benches
# Results: bench/results/store_memory.json (bytes per row held vs plain Arrow) and
#          bench/results/criterion.json (median ns and throughput of every criterion benchmark).
# The eBPF overhead harnesses need root and a seer binary, so they run on their own (bench/README.md):
#   python3 bench/http_overhead.py SEER; python3 bench/overhead.py {redis,pgsql} SEER
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/seer-target}
mkdir -p bench/results
cargo bench --locked -p seer-store --bench store -- --noplot "$@"
cargo bench --locked -p seer-protocols --bench http1 -- --noplot "$@"
cargo bench --locked -p seer-protocols --bench sql -- --noplot "$@"
cargo bench --locked -p seer-protocols --bench dns_redis -- --noplot "$@"
python3 bench/collect_criterion.py "$CARGO_TARGET_DIR/criterion" > bench/results/criterion.json
cat bench/results/criterion.json bench/results/store_memory.json
