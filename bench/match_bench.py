#!/usr/bin/env python3
"""Title + year matching at scale: moviec's matcher beside a naive matcher, on the
same input, with N movies in the store.

Generates the five files of ../shared/bench/gen.py N (kept in --work for the next
run), then runs build/match_bench (bench/match_bench.cpp): it fills a store with
what the projection writes for matching (blocking keys and compact match facts)
for every IMDb movie, reads the Rotten Tomatoes file with moviec's reader, and
times actors::MatchDecider::decide on every record, then a naive in-memory
matcher (exact normalized title, same year then one apart, unique candidate) on
the same records.

usage: bench/match_bench.py [N=1000000] [--records R] [--work DIR] [--match-bench build/bench/match_bench]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1000000)
    ap.add_argument("--records", type=int, default=0, help="records matched at most (0 = all)")
    ap.add_argument("--work", default="", help="keeps the generated files and the store here")
    ap.add_argument("--match-bench", default=os.path.join(HERE, "..", "build", "bench", "match_bench"))
    ap.add_argument("--gen", default=os.path.join(HERE, "..", "..", "shared", "bench", "gen.py"))
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="moviec-match-bench-")
    files = os.path.join(work, f"gen-{a.n}")
    basics = os.path.join(files, "imdb", "title.basics.tsv")
    rt = os.path.join(files, "rt", "rotten_tomatoes_movies.csv")
    try:
        if not os.path.exists(rt):
            t = time.monotonic()
            subprocess.run([sys.executable, a.gen, str(a.n), files], check=True)
            print(f"generated {a.n} movies in {time.monotonic() - t:.1f} s ({files})")
        store = os.path.join(work, f"store-{a.n}")
        cmd = [a.match_bench, store, basics, rt] + ([str(a.records)] if a.records else [])
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        if r["fill_seconds"]:
            print(f"filled the store with {r['movies']} movies' blocking keys and match facts"
                  f" in {r['fill_seconds']:.1f} s")
        print(f"\n{r['records']} Rotten Tomatoes records, title + year, {r['movies']} movies in the store")
        print(f"  {'matcher':<52} {'seconds':>8} {'records/s':>10}")
        print(f"  {'moviec (MatchDecider::decide, RocksDB store)':<52} {r['moviec_seconds']:>8.2f}"
              f" {r['moviec_records_per_s']:>10,.0f}")
        print(f"  {'naive (hash map in memory, exact key, unique)':<52} {r['naive_seconds']:>8.2f}"
              f" {r['naive_records_per_s']:>10,.0f}")
        print(f"  moviec decided: {r['moviec_outcomes']}; naive matched: {r['naive_matched']};"
              f" peak RSS {r['peak_rss_mib']:.0f} MiB")
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
