#!/usr/bin/env bash
# Configures and builds moviec. BUILD_DIR (default build) and extra cmake args pass through;
# BUILD_TARGET builds only the targets it names, separated by spaces (scripts/demo.sh:
# BUILD_TARGET=moviec, the server without the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
target=()
# shellcheck disable=SC2206  # split on purpose: one word per target
if [ -n "${BUILD_TARGET:-}" ]; then target=(--target $BUILD_TARGET); fi
cmake --build "$build_dir" -j "$(nproc)" "${target[@]}"
