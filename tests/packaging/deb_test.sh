#!/usr/bin/env bash
# The .deb, tested as an operator meets it (issue 11 part 6): `cpack -G DEB` from the build
# directory; its control data (Depends from the runtime library packages, the conffile,
# maintainer scripts) and contents; unpacked with `dpkg -x` into a scratch root, the unit
# is hardened and its ExecStart line, run by hand as systemd would (STATE_DIRECTORY set to
# a temp dir, paths under the scratch root, a free loopback port), serves /healthz.
# With CI=true, as root, on a machine without moviec installed, it also runs `dpkg -i`,
# starts the installed unit's ExecStart by hand the same way, and purges the package.
# Exit 77 (ctest: skipped) when a tool it needs is missing.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)

for tool in cpack dpkg dpkg-deb dpkg-shlibdeps curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (apt-get install dpkg-dev curl; scripts/setup.sh does)"
    exit 77
  fi
done

tmp=$(mktemp -d /tmp/moviec-deb-test.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --- build the package ------------------------------------------------------------
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/pkg/moviec_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$tmp/cpack.log"; fail "cpack made no moviec_*.deb"; }
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- control data ---------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = moviec ] || fail "Package is '$(field Package)', not moviec"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
version=$(field Version)
echo "version: $version"
depends=$(field Depends)
echo "depends: $depends"
# Every library moviec links comes from a runtime package: never a -dev package, and
# each one named is a real package (installed here, since moviec was built against it).
for lib in librocksdb libcaf-core libfmt libspdlog libprometheus-cpp-core libutf8proc libjemalloc libcpp-httplib libsimdjson libstdc++6 libc6; do
  grep -q "$lib" <<<"$depends" || fail "Depends names no $lib package: $depends"
done
IFS=',' read -ra deps <<<"$depends"
for d in "${deps[@]}"; do
  name=$(sed -E 's/^ *([^ (|]+).*/\1/' <<<"$d")
  case "$name" in *-dev) fail "Depends names a -dev package: $name" ;; esac
  dpkg-query -W "$name" >/dev/null 2>&1 || fail "Depends names $name, which is no package known to dpkg here"
done
dpkg-deb -e "$deb" "$tmp/control"
grep -qx /etc/moviec/moviec.json "$tmp/control/conffiles" || fail "conffiles does not list /etc/moviec/moviec.json"
for script in postinst prerm postrm; do
  [ -x "$tmp/control/$script" ] || fail "no executable $script in the package"
  sh -n "$tmp/control/$script" || fail "$script is not valid sh"
done

# --- contents -------------------------------------------------------------------------
dpkg-deb -c "$deb" >"$tmp/contents"
for path in ./usr/bin/moviec ./etc/moviec/moviec.json ./usr/lib/systemd/system/moviec.service; do
  grep -q " $path\$" "$tmp/contents" || { cat "$tmp/contents"; fail "the package has no $path"; }
done
if grep -q ' \./usr/local/' "$tmp/contents"; then fail "the package installs under /usr/local"; fi
grep ' ./usr/bin/moviec$' "$tmp/contents" | grep -q '^-rwxr-xr-x root/root' || fail "/usr/bin/moviec is not an executable owned by root"

# --- unpacked into a scratch root -------------------------------------------------------
root="$tmp/root"
dpkg -x "$deb" "$root"
unit="$root/usr/lib/systemd/system/moviec.service"
for line in DynamicUser=yes StateDirectory=moviec ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
            NoNewPrivileges=yes CapabilityBoundingSet= 'ExecStart=/usr/bin/moviec serve --config /etc/moviec/moviec.json --data ${STATE_DIRECTORY}'; do
  grep -qxF "$line" "$unit" || fail "the unit has no line '$line'"
done
if command -v systemd-analyze >/dev/null; then
  # systemd's own exposure score of the unit (0 = locked down, 10 = unprotected).
  security=$(systemd-analyze security --offline=yes --root="$root" /usr/lib/systemd/system/moviec.service 2>&1 |
             grep 'Overall exposure level' || true)
  echo "systemd-analyze security: $security"
  score=$(grep -oE 'exposure level for moviec.service: [0-9.]+' <<<"$security" | grep -oE '[0-9.]+$' || true)
  [ -n "$score" ] || fail "systemd-analyze security gave no exposure level"
  awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure level $score is above 2.0"
fi
"$root/usr/bin/moviec" --version | grep -qE "^moviec $(sed 's/-[0-9]*$//' <<<"$version")( |\$)" ||
  fail "moviec --version says '$("$root/usr/bin/moviec" --version)', not version $version"

# Runs the unit's ExecStart line by hand, as systemd would: STATE_DIRECTORY set, binary and
# config under PREFIX_ROOT ("" when installed), on a free loopback port; then /healthz.
serve_like_systemd() {
  local prefix_root=$1 state=$2
  local exec_start
  exec_start=$(sed -n 's/^ExecStart=//p' "$prefix_root/usr/lib/systemd/system/moviec.service")
  exec_start=${exec_start//\/usr\/bin\/moviec/$prefix_root/usr/bin/moviec}
  exec_start=${exec_start//\/etc\/moviec\//$prefix_root/etc/moviec/}
  mkdir -p "$state"
  echo "ExecStart by hand: $exec_start --listen 127.0.0.1:0"
  STATE_DIRECTORY="$state" bash -c "exec $exec_start --listen 127.0.0.1:0" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  local url=""
  for _ in $(seq 1 300); do
    url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/serve.out" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.err"; fail "the service exited before serving"; }
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$tmp/serve.err"; fail "the service announced no address in 30 s"; }
  local health
  health=$(curl -sS --max-time 10 -w ' %{http_code}' "$url/healthz") || fail "curl $url/healthz failed"
  echo "GET /healthz: $health"
  [ "${health##* }" = 200 ] || fail "GET /healthz answered ${health##* }"
  [ -d "$state/db" ] || fail "the store was not made in STATE_DIRECTORY ($state)"
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  [ "$rc" = 0 ] || { cat "$tmp/serve.err"; fail "the service exited $rc on SIGTERM"; }
}
serve_like_systemd "$root" "$tmp/state"

# --- dpkg -i: only in CI (a fresh machine, as root), never on a machine that has moviec ---
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && ! dpkg-query -W moviec >/dev/null 2>&1; then
  dpkg -i "$deb" || fail "dpkg -i failed"
  trap 'dpkg --purge moviec >/dev/null 2>&1 || true; cleanup' EXIT
  [ "$(/usr/bin/moviec --version)" = "$("$root/usr/bin/moviec" --version)" ] || fail "installed moviec --version differs"
  [ -f /etc/moviec/moviec.json ] || fail "dpkg -i put no /etc/moviec/moviec.json"
  serve_like_systemd "" "$tmp/state-installed"
  dpkg --purge moviec || fail "dpkg --purge failed"
  [ ! -e /usr/bin/moviec ] || fail "/usr/bin/moviec is still there after purge"
  echo "dpkg -i, serve, purge: ok"
else
  echo "dpkg -i not tried (only with CI=true, as root, where no moviec package is installed)"
fi
echo "ok"
