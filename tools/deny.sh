#!/usr/bin/env bash
# Dependency policy (licences, bans, sources, advisories) with cargo-deny against the offline RustSec
# snapshot in ../shared/advisory-db when present. Installs cargo-deny if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-deny >/dev/null; then
  echo "installing cargo-deny (one time)" >&2
  cargo install --locked cargo-deny >&2
fi
cargo fetch --locked >/dev/null
db_root=/var/tmp/seer-advisory-db
src=${SEER_ADVISORY_DB:-$(cd .. && pwd)/shared/advisory-db}
if [ -d "$src" ]; then
  dest=$db_root/advisory-db-3157b0e258782691
  if [ ! -d "$dest/.git" ]; then
    rm -rf "$dest"; mkdir -p "$dest"; cp -r "$src"/. "$dest"/
    (cd "$dest" && git init -q && git add -A && git -c user.name=seer -c user.email=seer@localhost commit -qm snapshot)
  fi
  cargo deny --offline check
else
  echo "advisory database not found at $src: checking licences, bans and sources only" >&2
  cargo deny --offline check bans licenses sources
fi
