#!/usr/bin/env bash
# Installs the system packages Seer's build and tests need (Debian 12), only those missing.
# Usage: tools/setup.sh [build|test]   (default: build)
set -euo pipefail
what=${1:-build}
# clang compiles the BPF C (crates/seer-bpf/bpf); libelf/zlib are linked by libbpf-sys.
build_pkgs=(gcc pkg-config ca-certificates clang libelf-dev zlib1g-dev)
# chromium + a font: the web UI's browser tests (ui/e2e, playwright-core drives Debian's Chromium).
test_pkgs=(procps iproute2 chromium fonts-dejavu-core)
# Real servers and clients the eBPF tracer tests drive on loopback; wrk for bench/.
test_pkgs+=(nginx-light curl wrk)
# Protocol tests (issue 6): DNS, Redis, PostgreSQL, MariaDB servers + clients; openssl for TLS tests.
test_pkgs+=(dnsmasq bind9-dnsutils redis-server redis-tools postgresql postgresql-client mariadb-server mariadb-client openssl)
# bench/: bpftool reads BPF program run time; python3-venv installs DuckDB from PyPI for the PxL bench.
test_pkgs+=(bpftool python3-venv)
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
# The web UI (ui/) builds with the machine's Node.js and npm (Vite needs Node >= 20.19; Debian 12's is 18).
if ! command -v npm >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "seer setup: Node.js >= 20.19 with npm is needed to build the web UI (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
