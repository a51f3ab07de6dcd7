#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/README.md: Debian's clang 14, -fsanitize=fuzzer,address,
# undefined) in build-fuzz/ and runs each for SECONDS from a seed corpus made of examples/
# (and small slices of ../shared/data when present). A crash, sanitizer report, leak,
# timeout or out-of-memory ends that target with its input saved as
# build-fuzz/artifacts/<target>/crash-* (or leak-*, timeout-*, oom-*); the other targets
# still run, and the script exits 1 naming the failed ones.
#   scripts/fuzz.sh [SECONDS] [TARGET...]       SECONDS: else $FUZZ_SECONDS, else 60
# FUZZ_BUILD_DIR (build-fuzz), FUZZ_CXX (clang++-14); FUZZ_BUILD_ONLY=1 builds and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
all=(imdb_tsv_fuzz csv_fuzz json_fuzz layout_fuzz normalize_fuzz config_fuzz http_params_fuzz http_range_fuzz store_cursor_fuzz event_decode_fuzz)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# -O1 and line tables only: the instrumented libraries compile in about half the time of
# -O2 -g, and a report still names file:line. Asserts stay on. A unity build, as CI's
# other builds (scripts/test.sh, docs/building.md).
CXX=${FUZZ_CXX:-clang++-14} cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DMOVIEC_FUZZ=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

# --- seed corpora: build-fuzz/corpus/<target>/ (what a run finds is kept there too) -----
shared=../shared/data
seed() {  # seed TARGET PREFIX FILE...: the first 16 KiB of each FILE, after PREFIX (printf format)
  local dir="$build/corpus/$1" prefix="$2"
  shift 2
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    { printf "$prefix"; head -c 16384 "$f"; } >"$dir/seed-$(printf '%s' "$prefix$f" | md5sum | cut -c1-12)"
  done
}
seed imdb_tsv_fuzz "" examples/imdb/title.basics.tsv examples/demo/imdb/title.basics.tsv \
  $shared/imdb-tsv-samples/*/title.basics.tsv
seed imdb_tsv_fuzz r examples/imdb/title.ratings.tsv examples/demo/imdb/title.ratings.tsv \
  $shared/imdb-tsv-samples/*/title.ratings.tsv
seed imdb_tsv_fuzz a examples/imdb/title.akas.tsv $shared/imdb-tsv-samples/*/title.akas.tsv
seed csv_fuzz '\x00' examples/movielens/movies.csv examples/demo/movielens/movies.csv \
  $shared/movielens-ml-latest-small/movies.csv
seed csv_fuzz '\x01' examples/movielens/links.csv examples/demo/movielens/links.csv \
  $shared/movielens-ml-latest-small/links.csv
seed csv_fuzz '\x02' examples/demo/rotten_tomatoes/rotten_tomatoes_movies.csv \
  $shared/rotten-tomatoes-kaggle-subset/rotten_tomatoes_movies.csv
seed csv_fuzz '\x03' examples/layout/rotten_tomatoes.csv
seed json_fuzz '\x00' examples/demo/vega/movies.json $shared/vega-datasets-movies/movies.json
printf '\x01{"Title": "Heat", "Release Date": "Dec 15 1995", "Running Time min": 170}\n{"Title": 1e999}\n' \
  >"$build/corpus/json_fuzz/seed-lines"
printf '\x02[{"Title": "Heat", "Release Date": "Dec 15 1995", "IMDB Rating": 8.2, "IMDB Votes": 1000}]' \
  >"$build/corpus/json_fuzz/seed-array"
mkdir -p "$build/corpus/layout_fuzz" "$build/corpus/normalize_fuzz" "$build/corpus/config_fuzz" \
  "$build/corpus/http_params_fuzz"
python3 - "$build/corpus/layout_fuzz" <<'PY'
import json, sys
def layouts(path):
    return [s["options"] for s in json.load(open(path))["sources"] if s.get("format") == "layout"]
out = sys.argv[1]
rt = open("examples/layout/rotten_tomatoes.csv", encoding="utf-8").read()[:8192]
for i, layout in enumerate(layouts("examples/layout/moviec.json")):
    open(f"{out}/seed-rt{i}", "w").write(json.dumps(layout) + "\n----\n" + rt)
posters = open("examples/demo/posters.csv", encoding="utf-8").read()
for i, layout in enumerate(layouts("examples/demo/moviec.json")):
    open(f"{out}/seed-posters{i}", "w").write(json.dumps(layout) + "\n----\n" + posters)
lines = {"type": "jsonl", "source_id": "id", "fields": [
    {"column": "title", "field": "title", "required": True},
    {"column": "year", "field": "year", "type": "int"},
    {"column": "genres", "field": "genres", "type": "list", "separator": "|"}]}
open(f"{out}/seed-jsonl", "w").write(json.dumps(lines) + "\n----\n" +
    '{"id": 1, "title": "Heat", "year": 1995, "genres": "Crime|Drama"}\n{"id": 2, "title": "Alien"}\n')
PY
printf '%%Y-%%m-%%d\n1999-02-29' >"$build/corpus/normalize_fuzz/seed-date"
printf '%%d/%%m/%%Y\nCaf\xc3\x83\xc2\xa9 Society (1999)' >"$build/corpus/normalize_fuzz/seed-mojibake"
printf '%%b %%d %%Y\nUsual Suspects, The (a.k.a. Suspects) (1995)' >"$build/corpus/normalize_fuzz/seed-title"
printf '\n12 Angry Men (1957)' >"$build/corpus/normalize_fuzz/seed-plain"
cp config/default.json "$build/corpus/config_fuzz/seed-default"
cp examples/layout/moviec.json "$build/corpus/config_fuzz/seed-layout"
cp examples/demo/moviec.json "$build/corpus/config_fuzz/seed-demo"
for q in 'after=42&limit=10&type=MovieChanged&wait=5' 'after=18446744073709551615' 'limit=%2B7&cursor=12' \
         'as_of=2026-11-24T10:00:00.5%2B02:00' 'as_of=99999999999999999999' 'q=the+matrix&year=1999&genre=Drama' \
         'run=3&cursor=0&limit=1000' 'reason=no_candidate&cursor=tt0000001'; do
  printf '%s' "$q" >"$build/corpus/http_params_fuzz/seed-$(printf '%s' "$q" | md5sum | cut -c1-12)"
done
mkdir -p "$build/corpus/http_range_fuzz"
i=0  # 8 bytes of blob size (1,000,000, or mod 4096 when the first byte is odd), then the header
for h in 'bytes=0-99' 'bytes=500-' 'bytes=-300' 'bytes=0-,0-,0-' 'bytes=999999-2000000' 'bytes=-0'; do
  printf '\x40\x42\x0f\x00\x00\x00\x00\x00%s' "$h" >"$build/corpus/http_range_fuzz/seed-$i"
  i=$((i + 1))
done
mkdir -p "$build/corpus/store_cursor_fuzz"
i=0  # lines: cursor, q, genre, year (a byte), reason, limit (a byte)
for q in '\n\n\n\n\n' 'tt0000050\nheat\n\n\n\n\x03' '\nthe\ndrama\nA\nno_year\n\x04' 'm/Heat\n\ncomedy\n\nno_candidates\n\x01' \
         'tt\xff\nAmélie\n\n\x05\n\n\x00' 'm/\n\n\n\n\n\x09'; do
  printf "$q" >"$build/corpus/store_cursor_fuzz/seed-$i"
  i=$((i + 1))
done
mkdir -p "$build/corpus/event_decode_fuzz"
for f in tests/events/fixtures/*.json; do  # stored version-1 events, and as the current version
  cp "$f" "$build/corpus/event_decode_fuzz/seed-$(basename "$f")"
  sed 's/"schema":1/"schema":2/' "$f" >"$build/corpus/event_decode_fuzz/seed-current-$(basename "$f")"
done

# --- run each target -------------------------------------------------------------------
# The readers take files: each input is written under this directory, removed at the end.
export TMPDIR="$PWD/$build/tmp"
# Reports name file:line (llvm-14 installs the symbolizer, but not as llvm-symbolizer on PATH).
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer UBSAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
mkdir -p "$TMPDIR"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$build/artifacts/$t" "$build/corpus/$t"
  log="$build/artifacts/$t.log"
  echo "fuzz: $t for ${seconds}s"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" "$build/corpus/$t" >"$log" 2>&1; then
    failed+=("$t")
    tail -40 "$log"
    for f in "$build/artifacts/$t"/*; do  # so a CI log alone reproduces it
      if [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 8192 ]; then echo "fuzz: $f (base64): $(base64 -w0 "$f")"; fi
    done
  fi
  # one line: runs, runs per second, coverage, peak RSS
  awk '/^stat::number_of_executed_units/ {n = $2} /^stat::average_exec_per_sec/ {s = $2}
       /^stat::peak_rss_mb/ {m = $2} / cov: / {for (i = 1; i < NF; i++) if ($i == "cov:") c = $(i + 1)}
       END {printf "fuzz: %s: %s runs, %s/s, cov %s, peak RSS %s MB\n", t, n, s, c, m}' t="$t" "$log"
done
rm -rf "$TMPDIR"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts/<target>/, logs $build/artifacts/<target>.log)"
  exit 1
fi
echo "fuzz: every target ran ${seconds}s without a finding"
