#!/usr/bin/env bash
# Installs every Debian 12 package moviec needs to build, test and benchmark.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config
  libcaf-dev librocksdb-dev nlohmann-json3-dev libcpp-httplib-dev catch2
  libcli11-dev libfmt-dev libutf8proc-dev libjemalloc-dev
  curl python3
  chromium  # tests/web load the web page in headless Chromium
)
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
