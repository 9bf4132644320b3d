#!/usr/bin/env bash
# Builds the web UI (ui/ → ui/dist) with the npm registry's packages pinned by ui/package-lock.json.
# The seer binary embeds ui/dist at compile time, so build the UI before `cargo build -p seer-cli`.
# Usage: tools/ui.sh            (npm ci when node_modules is stale, then typecheck + vite build)
set -euo pipefail
cd "$(dirname "$0")/../ui"
if ! command -v npm >/dev/null; then
  echo "seer ui: npm not found; install Node.js >= 20.19 with npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
# Reinstall only when the lockfile changed since the last install (npm ci is reproducible but slow).
stamp=node_modules/.seer-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run --silent build
echo "seer ui: built $(pwd)/dist" >&2
