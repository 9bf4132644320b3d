#!/usr/bin/env bash
# README's test command: the whole suite (format, lints, every crate's tests including the end-to-end
# and root-only ones, dependency policy). CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh test
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/seer-target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# As root, the eBPF tests must run: a skip (no BTF, no capability) fails the suite instead of passing.
# Without root they skip loudly ("SKIPPED <test>: <reason>").
if [ "$(id -u)" -eq 0 ]; then export SEER_REQUIRE_BPF=1; fi
step() { echo; echo "=== $* ==="; }

step "web UI build (ui/dist, embedded by seer-web)"
tools/ui.sh
step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "cargo test"
cargo test --locked --workspace --no-fail-fast
step "web UI: Vitest unit tests, then Playwright (Debian chromium) against a real seer up"
cargo build --locked -p seer-cli
(cd ui && npm test --silent && SEER_BIN="$CARGO_TARGET_DIR/debug/seer" npm run --silent e2e)
step "cargo deny"
tools/deny.sh
echo; echo "all checks passed"
