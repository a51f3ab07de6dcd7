#!/usr/bin/env python3
"""Ingest benchmark: records/s and peak RSS of `moviec ingest` on a generated
IMDb title.basics + title.ratings pair, side by side with a baseline that only
reads and splits the same files (awk), in one run.

usage: bench/ingest_bench.py [--rows N] [--moviec build/moviec] [--keep]
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


def peak_rss_mib(cmd):
    """Runs cmd under its own rusage accounting; returns (seconds, peak MiB, stdout)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return seconds, usage.ru_maxrss / 1024.0, out.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--moviec", default=os.path.join(HERE, "..", "build", "moviec"))
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="moviec-bench-")
    files_dir = os.path.join(work, "input")
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_imdb.py"), str(a.rows), files_dir])
    basics = os.path.join(files_dir, "title.basics.tsv")
    ratings = os.path.join(files_dir, "title.ratings.tsv")
    data = os.path.join(work, "data")
    rows = []

    secs, rss, _ = peak_rss_mib(["awk", "-F", "\t", "{ n += NF } END { print n }", basics, ratings])
    rows.append(("baseline: awk reads + splits both files", a.rows, secs, rss, "-"))

    ingest = [a.moviec, "ingest", "--data", data, "--source", "imdb", "--json", basics, ratings]
    secs, rss, out = peak_rss_mib(ingest)
    first = json.loads(out.strip().splitlines()[-1])
    rows.append(("moviec ingest, empty store (fsync per group)", first["read"], secs, rss, first["appended"]))

    secs, rss, out = peak_rss_mib(ingest)
    again = json.loads(out.strip().splitlines()[-1])
    rows.append(("moviec ingest, same files again (unchanged)", again["read"], secs, rss, again["appended"]))

    secs, rss, out = peak_rss_mib([a.moviec, "replay", "--data", data])
    rows.append(("moviec replay (read models from sequence 0)", first["appended"], secs, rss, "-"))

    print(f"\n{a.rows:,} generated title.basics rows ({os.path.getsize(basics) / 2**20:.0f} MiB) "
          f"+ ratings, {os.cpu_count()} cores")
    print(f"{'run':48} {'items':>10} {'seconds':>8} {'items/s':>10} {'peak RSS MiB':>13} {'events':>9}")
    for name, n, secs, rss, events in rows:
        print(f"{name:48} {n:>10,} {secs:>8.2f} {n / secs:>10,.0f} {rss:>13.1f} {events!s:>9}")
    du = subprocess.run(["du", "-sh", data], stdout=subprocess.PIPE, text=True).stdout.split()[0]
    print(f"store size on disk: {du}")
    if a.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
