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
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
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


LAST_CPU = [0.0]  # CPU seconds (user + system) of the last run()


def run(cmd):
    """Runs cmd; returns (seconds, peak RSS MiB of that child, stdout)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024.0, out.decode()


def last_cpu():
    return LAST_CPU[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--moviec", default=os.path.join(HERE, "..", "build", "moviec"))
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
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_imdb.py"), str(a.rows), tsv_dir])
    basics = os.path.join(tsv_dir, "title.basics.tsv")

    rows = []
    secs, rss, _ = run(["awk", "{ n += NF } END { print n }", array_path])
    rows.append(("baseline: awk reads + splits the JSON file", a.rows, secs, rss, "-", last_cpu()))

    secs, rss, out = run([a.moviec, "ingest", "--data", os.path.join(work, "data-tsv"), "--config", config,
                          "--source", "imdb", "--json", basics])
    s = json.loads(out.strip().splitlines()[-1])
    rows.append(("baseline: moviec ingest, IMDb TSV, empty store", s["read"], secs, rss, s["appended"], last_cpu()))

    data = os.path.join(work, "data-json")
    ingest = [a.moviec, "ingest", "--data", data, "--config", config, "--source", "feed", "--json"]
    secs, rss, out = run(ingest + [array_path])
    s = json.loads(out.strip().splitlines()[-1])
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
    s = json.loads(out.strip().splitlines()[-1])
    rows.append(("moviec ingest, JSON array again (unchanged)", s["read"], secs, rss, s["appended"], last_cpu()))

    secs, rss, out = run(ingest + [lines_path])
    s = json.loads(out.strip().splitlines()[-1])
    rows.append(("moviec ingest, same as JSON lines (unchanged)", s["read"], secs, rss, s["appended"], last_cpu()))

    print(f"\n{a.rows:,} generated records: JSON array {os.path.getsize(array_path) / 2**20:.0f} MiB, "
          f"IMDb TSV {os.path.getsize(basics) / 2**20:.0f} MiB; {os.cpu_count()} cores")
    print("(wall-clock figures depend on what else the machine runs; CPU s is user + system time)")
    print(f"{'run':52} {'records':>10} {'seconds':>8} {'records/s':>10} {'CPU s':>8} {'µs CPU/rec':>10} "
          f"{'peak RSS MiB':>13} {'events':>9}")
    for name, n, secs, rss, events, cpu in rows:
        per = f"{cpu / n * 1e6:10.1f}" if n else f"{'-':>10}"
        print(f"{name:52} {n:>10,} {secs:>8.2f} {n / secs:>10,.0f} {cpu:>8.2f} {per} {rss:>13.1f} {events!s:>9}")
    if a.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
