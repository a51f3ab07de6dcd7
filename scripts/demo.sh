#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install, build, load the bundled
# example movies into an embedded RocksDB under ./demo-data, serve on 127.0.0.1:8080.
# It builds the moviec binary only, not the tests, and skips the tests' npm tools.
set -euo pipefail
cd "$(dirname "$0")/.."
MOVIEC_SETUP_NPM=0 bash scripts/setup.sh
BUILD_TARGET=moviec bash scripts/build.sh
data=${MOVIEC_DATA:-demo-data}
bash scripts/load_demo.sh "$data"   # examples/: IMDb, MovieLens, Rotten Tomatoes, vega, posters
exec ./build/moviec serve --data "$data" --config examples/demo/moviec.json --listen "${MOVIEC_LISTEN:-127.0.0.1:8080}"
