#!/usr/bin/env python3
"""JSON format benchmark: records/s and peak RSS of `moviec ingest` on a generated
JSON file (one array of N records, each with a movie id, title, release date,
genres, two ratings, runtime and budget: every parse type of a layout), side by
side in one run with two baselines on the same machine:
  - awk reading the file (the I/O and splitting floor),
  - `moviec ingest` of the same number of IMDb TSV rows (the existing TSV path),
and then the JSON file again (every record unchanged) and as JSON lines.

usage: bench/json_bench.py [--rows N] [--moviec build/moviec] [--keep]
"""
import argparse
import json
import os
import random
import sys
import tempfile

from benchlib import MOVIEC, Table, finish, gen_imdb, last_cpu, last_json, run

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
GENRES = ["Action", "Comedy", "Drama", "Horror", "Romance", "Western", "Documentary"]
WORDS = ["night", "return", "city", "lost", "love", "king", "river", "Amélie", "café", "1776"]

LAYOUT = {
    "type": "json",
    "source_id": "id",
    "movie_id": "imdb_id",
    "fields": [
        {"column": "title", "field": "title", "required": True},
        {"column": "released", "field": "year", "type": "date", "formats": ["%b %d %Y"]},
        {"column": "released", "field": "metadata.release_date", "type": "date", "formats": ["%b %d %Y"]},
        {"column": "genres", "field": "genres", "type": "list"},
        {"column": "imdb_rating", "field": "source_ratings", "type": "rating", "name": "imdb",
         "scale": [1, 10], "votes": "imdb_votes"},
        {"column": "rt_rating", "field": "source_ratings", "type": "rating", "name": "rotten_tomatoes",
         "scale": [0, 100]},
        {"column": "runtime", "field": "runtime_minutes", "type": "int", "zero_means_missing": True},
        {"column": "budget", "field": "metadata.budget", "type": "int"},
    ],
}


def generate(rows, array_path, lines_path, seed=7):
    rnd = random.Random(seed)
    with open(array_path, "w", encoding="utf-8") as arr, open(lines_path, "w", encoding="utf-8") as lines:
        arr.write("[\n")
        for i in range(1, rows + 1):
            year = 1900 + i % 120
            record = {
                "id": f"m{i}",
                "imdb_id": f"tt{i:07d}",
                "title": " ".join(rnd.choice(WORDS) for _ in range(3)) + f" {i}",
                "released": f"{MONTHS[i % 12]} {1 + i % 28:02d} {year}",
                "genres": [GENRES[i % 7], GENRES[(i * 3) % 7]],
                "imdb_rating": round(1 + (i % 90) / 10, 1),
                "imdb_votes": i % 50000,
                "rt_rating": None if i % 5 == 0 else i % 101,
                "runtime": 60 + i % 90,
                "budget": (i % 200) * 100000,
            }
            text = json.dumps(record, ensure_ascii=False)
            arr.write(("  " if i == 1 else ", ") + text + "\n")
            lines.write(text + "\n")
        arr.write("]\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--moviec", default=MOVIEC)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="moviec-json-bench-")
    array_path = os.path.join(work, "movies.json")
    lines_path = os.path.join(work, "movies.jsonl")
    generate(a.rows, array_path, lines_path)
    config = os.path.join(work, "moviec.json")
    with open(config, "w") as f:
        json.dump({"sources": [{"name": "imdb", "format": "imdb_tsv"},
                               {"name": "feed", "format": "layout", "options": LAYOUT}]}, f)
    tsv_dir = os.path.join(work, "tsv")
    gen_imdb(a.rows, tsv_dir)
    basics = os.path.join(tsv_dir, "title.basics.tsv")

    rows = []
    secs, rss, _ = run(["awk", "{ n += NF } END { print n }", array_path])
    rows.append(("baseline: awk reads + splits the JSON file", a.rows, secs, rss, "-", last_cpu()))

    secs, rss, out = run([a.moviec, "ingest", "--data", os.path.join(work, "data-tsv"), "--config", config,
                          "--source", "imdb", "--json", basics])
    s = last_json(out)
    rows.append(("baseline: moviec ingest, IMDb TSV, empty store", s["read"], secs, rss, s["appended"], last_cpu()))

    data = os.path.join(work, "data-json")
    ingest = [a.moviec, "ingest", "--data", data, "--config", config, "--source", "feed", "--json"]
    secs, rss, out = run(ingest + [array_path])
    s = last_json(out)
    rows.append(("moviec ingest, JSON array, empty store", s["read"], secs, rss, s["appended"], last_cpu()))
    if s["rejected"] or s["failed"]:
        sys.exit(f"unexpected rejects or failures: {s}")

    # The first open after a big ingest replays RocksDB's write-ahead log; do it
    # once here (an empty input) so that it is not charged to the next run.
    empty = os.path.join(work, "empty.jsonl")
    open(empty, "w").close()
    secs, rss, _ = run(ingest + [empty])
    rows.append(("moviec ingest, empty file (first reopen: WAL replay)", 0, secs, rss, "-", last_cpu()))

    secs, rss, out = run(ingest + [array_path])
    s = last_json(out)
    rows.append(("moviec ingest, JSON array again (unchanged)", s["read"], secs, rss, s["appended"], last_cpu()))

    secs, rss, out = run(ingest + [lines_path])
    s = last_json(out)
    rows.append(("moviec ingest, same as JSON lines (unchanged)", s["read"], secs, rss, s["appended"], last_cpu()))

    print(f"\n{a.rows:,} generated records: JSON array {os.path.getsize(array_path) / 2**20:.0f} MiB, "
          f"IMDb TSV {os.path.getsize(basics) / 2**20:.0f} MiB; {os.cpu_count()} cores")
    print("(wall-clock figures depend on what else the machine runs; CPU s is user + system time)")
    table = Table([("run", "52"), ("records", ">10,"), ("seconds", ">8.2f"), ("records/s", ">10,.0f"),
                   ("CPU s", ">8.2f"), ("µs CPU/rec", ">10"), ("peak RSS MiB", ">13.1f"), ("events", ">9")])
    table.header()
    for name, n, secs, rss, events, cpu in rows:
        per = f"{cpu / n * 1e6:.1f}" if n else "-"
        table.row(name, n, secs, n / secs, cpu, per, rss, events)
    finish(work, a.keep)


if __name__ == "__main__":
    main()
