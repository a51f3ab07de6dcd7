#!/usr/bin/env bash
# Runs every test: installs packages, builds, runs ctest; then the same tests in an
# AddressSanitizer + UndefinedBehaviorSanitizer build (skip that with MOVIEC_NO_ASAN=1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j 2
if [ "${MOVIEC_NO_ASAN:-0}" != 1 ]; then
  BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DMOVIEC_SANITIZE=ON
  # The crash test (a 100,000-row ingest, killed and rerun) is too slow under ASan.
  ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure -j 2 -E "kill -9"
fi
