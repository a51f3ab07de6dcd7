#!/usr/bin/env bash
# Loads the bundled examples into DATA (default demo-data) with ./build/moviec (or
# $MOVIEC): examples/imdb and examples/movielens, then examples/demo/, films that
# several sources describe (IMDb, MovieLens, Rotten Tomatoes, vega's JSON) and their
# posters, which go into the asset bucket (examples/demo/SOURCES.md). Serve the
# result with --config examples/demo/moviec.json. Running it again appends nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data=${1:-demo-data}
moviec=${MOVIEC:-$root/build/moviec}
config=$root/examples/demo/moviec.json
ex=$root/examples
ingest() { "$moviec" ingest --data "$data" --config "$config" --source "$@"; }
ingest imdb "$ex/imdb/title.basics.tsv" "$ex/imdb/title.ratings.tsv" "$ex/imdb/title.akas.tsv"
ingest movielens "$ex/movielens/movies.csv" "$ex/movielens/links.csv" "$ex/movielens/ratings.csv"
ingest imdb "$ex/demo/imdb/title.basics.tsv" "$ex/demo/imdb/title.ratings.tsv"
ingest movielens "$ex/demo/movielens/movies.csv" "$ex/demo/movielens/links.csv" "$ex/demo/movielens/ratings.csv"
ingest rotten_tomatoes "$ex/demo/rotten_tomatoes/rotten_tomatoes_movies.csv"
ingest vega "$ex/demo/vega/movies.json"
ingest posters "$ex/demo/posters.csv"
