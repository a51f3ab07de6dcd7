#!/usr/bin/env bash
# Installs every Debian 12 package moviec needs to build, test and benchmark.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config
  libcaf-dev librocksdb-dev nlohmann-json3-dev libcpp-httplib-dev catch2
  libcli11-dev libfmt-dev libutf8proc-dev libjemalloc-dev
  libxxhash-dev         # record fingerprints: XXH3 (events/source_record.cpp)
  libsimdjson-dev       # reading stored events (events/coding_fast.cpp)
  curl python3
  python3-yaml          # the build turns docs/openapi.yaml into JSON (scripts/embed_openapi.py)
  libspdlog-dev         # the log (common/log.cpp)
  libssl-dev            # SHA-256 of the asset bucket (store/assets.cpp, libcrypto)
  prometheus-cpp-dev    # GET /metrics (common/metrics.cpp)
  prometheus            # tests/ops: a real Prometheus scrapes the server; promtool checks the page
  chromium  # tests/web load the web page in headless Chromium
  dpkg-dev  # tests/packaging: cpack -G DEB computes Depends with dpkg-shlibdeps
  clang-14 libclang-rt-14-dev llvm-14  # scripts/fuzz.sh: libFuzzer targets (fuzz/); libFuzzer's runtime; llvm-symbolizer
)
# tests/contract: node runs @redocly/cli and ajv; tests/web drives Chromium with playwright-core (package.json). Debian's nodejs and npm,
# unless a node is installed already (another distribution's nodejs conflicts with npm).
if ! command -v node >/dev/null; then packages+=(nodejs); fi
if ! command -v npm >/dev/null; then packages+=(npm); fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The npm tools the tests use, exactly as package-lock.json pins them (not for the demo:
# MOVIEC_SETUP_NPM=0).
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${MOVIEC_SETUP_NPM:-1}" != 0 ] && [ -f "$root/package-lock.json" ] && [ ! -f "$root/node_modules/.package-lock.json" -o \
     "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
