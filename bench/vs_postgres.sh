#!/usr/bin/env bash
# The whole first-run job beside PostgreSQL, in one run on one machine:
#   ../shared/bench/gen.py N        five generated source files (IMDb basics + ratings,
#                                   MovieLens movies + links, Rotten Tomatoes without ids)
#   ../shared/bench/pg_baseline.sh  the same job scripted in SQL (fsync on)
#   moviec ingest                   the same files into an empty store, defaults (fsync on)
# Prints both times, the ratio, and each moviec step's rows/s and peak RSS.
#
# usage: bench/vs_postgres.sh [N] [--no-pg] [--keep]   (N defaults to 300000; needs root for PostgreSQL)
#   MOVIEC=path/to/moviec  SHARED=path/to/shared  WORK=dir (default a temp dir)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=300000
pg=1
keep=0
for a in "$@"; do
  case $a in
    --no-pg) pg=0 ;;
    --keep) keep=1 ;;
    *) n=$a ;;
  esac
done
moviec=${MOVIEC:-$here/../build/moviec}
shared=${SHARED:-$here/../../shared}
[ -x "$moviec" ] || { echo "no moviec binary at $moviec (bash scripts/build.sh)" >&2; exit 2; }
[ -f "$shared/bench/gen.py" ] || { echo "no $shared/bench/gen.py" >&2; exit 2; }

work=${WORK:-$(mktemp -d /tmp/moviec-vs-pg.XXXX)}
chmod 755 "$work"
cleanup() { if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
input=$work/input
data=$work/data

echo "generating $n movies into $input ..."
python3 "$shared/bench/gen.py" "$n" "$input"
rows() { echo $(( $(wc -l < "$1") - 1 )); }

pg_seconds=""
if [ "$pg" = 1 ] && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "no PostgreSQL 15 here: apt-get install postgresql bc time (or run with --no-pg)" >&2
  exit 2
fi
if [ "$pg" = 1 ]; then
  echo "PostgreSQL ..."
  pg_out=$(bash "$shared/bench/pg_baseline.sh" "$input")
  echo "  $pg_out"
  pg_seconds=$(sed -n 's/.*pg_seconds=\([0-9.]*\).*/\1/p' <<<"$pg_out")
fi

# One step: prints "<seconds> <peak RSS KiB> <read> <appended>" from `moviec ingest --json`.
step() {
  local source=$1; shift
  local t0 t1 out rss
  t0=$(date +%s.%N)
  out=$(/usr/bin/time -f 'rss=%M' "$moviec" ingest --data "$data" --source "$source" --json "$@" 2>"$work/time.err")
  t1=$(date +%s.%N)
  rss=$(sed -n 's/^rss=//p' "$work/time.err" | tail -1)
  python3 - "$t0" "$t1" "$rss" "$out" <<'PY'
import json, sys
t0, t1, rss, out = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
s = json.loads(out.strip().splitlines()[-1])
print(f"{t1 - t0:.3f} {rss} {s['read']} {s['appended']} {s.get('unmatched', 0)}")
PY
}

echo "moviec ..."
printf '%-40s %10s %9s %11s %10s %10s\n' step rows seconds rows/s "peak MiB" events
total=0
report() {
  local name=$1 nrows=$2 res=$3
  read -r secs rss read appended unmatched <<<"$res"
  printf '%-40s %10d %9.2f %11.0f %10.1f %10d\n' "$name" "$nrows" "$secs" \
    "$(echo "$nrows / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$appended"
  total=$(echo "$total + $secs" | bc -l)
}
imdb_rows=$(( $(rows "$input/imdb/title.basics.tsv") + $(rows "$input/imdb/title.ratings.tsv") ))
report "IMDb basics + ratings" "$imdb_rows" \
  "$(step imdb "$input/imdb/title.basics.tsv" "$input/imdb/title.ratings.tsv")"
ml_rows=$(( $(rows "$input/movielens/movies.csv") + $(rows "$input/movielens/links.csv") ))
report "MovieLens movies + links" "$ml_rows" \
  "$(step movielens "$input/movielens/movies.csv" "$input/movielens/links.csv")"
rt_rows=$(rows "$input/rt/rotten_tomatoes_movies.csv")
report "Rotten Tomatoes (title + year matched)" "$rt_rows" \
  "$(step rotten_tomatoes "$input/rt/rotten_tomatoes_movies.csv")"

printf '%-40s %10d %9.2f\n' "moviec whole job" $(( imdb_rows + ml_rows + rt_rows )) "$total"
echo "store on disk: $(du -sh "$data" | cut -f1)"
if [ -n "$pg_seconds" ]; then
  printf 'PostgreSQL %.2f s, moviec %.2f s: moviec / PostgreSQL = %.3f\n' "$pg_seconds" "$total" \
    "$(echo "$total / $pg_seconds" | bc -l)"
fi
