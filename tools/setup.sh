#!/usr/bin/env bash
# Installs the system packages Seer's build and tests need (Debian 12), only those missing.
# Usage: tools/setup.sh [build|test]   (default: build)
set -euo pipefail
what=${1:-build}
build_pkgs=(gcc pkg-config ca-certificates)
test_pkgs=(procps iproute2)
pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "seer setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v cargo >/dev/null || { echo "seer setup: cargo not found; install Rust 1.95 with rustup" >&2; exit 1; }
