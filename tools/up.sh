#!/usr/bin/env bash
# README's first command: install missing build packages, build Seer (release) and start it on this host
# with its embedded defaults. Extra arguments go to `seer up` (e.g. --listen, --memory-budget).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
tools/ui.sh   # the web UI, embedded into the binary below
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/seer-target}
profile=${SEER_PROFILE:-release}
cargo build --locked --profile "$profile" -p seer-cli
dir=$profile; [ "$profile" = dev ] && dir=debug
install -m 0755 "$CARGO_TARGET_DIR/$dir/seer" /usr/local/bin/seer 2>/dev/null \
  && echo "seer: installed /usr/local/bin/seer" >&2 \
  || echo "seer: binary at $CARGO_TARGET_DIR/$dir/seer" >&2
exec "$CARGO_TARGET_DIR/$dir/seer" up "$@"
