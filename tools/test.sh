#!/usr/bin/env bash
# README's test command: the whole suite (format, lints, every crate's tests including the end-to-end
# and root-only ones, dependency policy). CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh test
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/seer-target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
step() { echo; echo "=== $* ==="; }

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
step "cargo test"
cargo test --locked --workspace --no-fail-fast
step "cargo deny"
tools/deny.sh
echo; echo "all checks passed"
