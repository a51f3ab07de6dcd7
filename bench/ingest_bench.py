#!/usr/bin/env python3
"""Ingest benchmark: records/s and peak RSS of `moviec ingest` on a generated
IMDb title.basics + title.ratings pair, side by side with a baseline that only
reads and splits the same files (awk), in one run. The first ingest also runs with
the config key `metrics: false` (nothing counted for GET /metrics), alternating with
the default, so the cost of counting is printed beside the run without it.

usage: bench/ingest_bench.py [--rows N] [--metrics-runs K] [--moviec build/moviec] [--keep]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile

from benchlib import MOVIEC, Table, finish, gen_imdb, last_json, run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--moviec", default=MOVIEC)
    ap.add_argument("--metrics-runs", type=int, default=1,
                    help="first ingests into an empty store with metrics on and off, alternating, each")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="moviec-bench-")
    files_dir = os.path.join(work, "input")
    gen_imdb(a.rows, files_dir)
    basics = os.path.join(files_dir, "title.basics.tsv")
    ratings = os.path.join(files_dir, "title.ratings.tsv")
    data = os.path.join(work, "data")
    rows = []

    secs, rss, _ = run(["awk", "-F", "\t", "{ n += NF } END { print n }", basics, ratings])
    rows.append(("baseline: awk reads + splits both files", a.rows, secs, rss, "-"))

    ingest = [a.moviec, "ingest", "--data", data, "--source", "imdb", "--json", basics, ratings]
    # The same first ingest with nothing counted for GET /metrics (config key `metrics`).
    metrics_off = os.path.join(work, "metrics-off.json")
    with open(metrics_off, "w") as f:
        json.dump({"metrics": False}, f)
    data_off = os.path.join(work, "data-metrics-off")
    ingest_off = [a.moviec, "ingest", "--data", data_off, "--config", metrics_off, "--source", "imdb",
                  "--json", basics, ratings]
    on_secs, off_secs = [], []
    for i in range(a.metrics_runs):
        if i:
            shutil.rmtree(data)
        secs, rss, out = run(ingest)
        first = last_json(out)
        on_secs.append(secs)
        rows.append(("moviec ingest, empty store (fsync per group)", first["read"], secs, rss, first["appended"]))
        shutil.rmtree(data_off, ignore_errors=True)
        secs, rss, out = run(ingest_off)
        off = last_json(out)
        off_secs.append(secs)
        rows.append(("  the same, metrics off (config metrics: false)", off["read"], secs, rss, off["appended"]))
    shutil.rmtree(data_off, ignore_errors=True)

    secs, rss, out = run(ingest)
    again = last_json(out)
    rows.append(("moviec ingest, same files again (unchanged)", again["read"], secs, rss, again["appended"]))

    secs, rss, out = run([a.moviec, "replay", "--data", data])
    rows.append(("moviec replay (read models from sequence 0)", first["appended"], secs, rss, "-"))

    print(f"\n{a.rows:,} generated title.basics rows ({os.path.getsize(basics) / 2**20:.0f} MiB) "
          f"+ ratings, {os.cpu_count()} cores")
    table = Table([("run", "48"), ("items", ">10,"), ("seconds", ">8.2f"), ("items/s", ">10,.0f"),
                   ("peak RSS MiB", ">13.1f"), ("events", ">9")])
    table.header()
    for name, n, secs, rss, events in rows:
        table.row(name, n, secs, n / secs, rss, events)
    du = subprocess.run(["du", "-sh", data], stdout=subprocess.PIPE, text=True).stdout.split()[0]
    print(f"store size on disk: {du}")
    on, off = statistics.median(on_secs), statistics.median(off_secs)
    spread = max(on_secs + off_secs) / min(on_secs + off_secs) - 1
    print(f"metrics cost on the first ingest: median {on:.2f} s counted vs {off:.2f} s not "
          f"({(on / off - 1) * 100:+.1f} %; the runs spread {spread * 100:.1f} %)")
    finish(work, a.keep)


if __name__ == "__main__":
    main()
