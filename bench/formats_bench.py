#!/usr/bin/env python3
"""Source formats benchmark: records/s and peak RSS of each format's reader on
generated files of N rows (IMDb TSV, MovieLens CSV, Rotten Tomatoes CSV), side by
side in one run with two baselines on the same files:
  - raw: read the bytes and count lines (the I/O floor),
  - csv: split into CSV records without normalizing (the CSV formats' parse floor).
The readers are timed by bench/read_bench (no store, no actors). With --ingest,
`moviec ingest` of each format's files follows (the whole pipeline, fsync per
group commit), with the IMDb figure as its baseline.

usage: bench/formats_bench.py [--rows N] [--build build] [--ingest] [--keep]
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import BUILD, Table, finish, gen_imdb, last_json, run

GENRES = ["Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary",
          "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance",
          "Sci-Fi", "Thriller", "War", "Western"]
RT_GENRES = ["Action & Adventure", "Classics", "Comedy", "Drama", "Horror", "Kids & Family",
             "Mystery & Suspense", "Romance", "Science Fiction & Fantasy", "Western"]
WORDS = ["night", "return", "city", "lost", "love", "king", "river", "last", "dark", "summer",
         "war", "blue", "man", "woman", "house", "road", "star", "ghost", "dream", "Amélie",
         "café", "Straße", "Æon"]
ARTICLES = ["The", "A", "An", "La", "Le", "Les", "Il", "Der", "Die", "Das", "El"]
MOJIBAKE = ["Gi√π la testa", "V√©ronique", "D√®moni", "Cach√©"]  # UTF-8 read as Mac Roman


def title_words(rnd):
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4))).title()


def gen_movielens(rows, ratings_rows, out, seed=11):
    """movies.csv, links.csv and ratings.csv with the quirks of the real files."""
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "movies.csv"), "w", encoding="utf-8", newline="") as m, \
         open(os.path.join(out, "links.csv"), "w", encoding="utf-8", newline="") as l:
        movies, links = csv.writer(m, lineterminator="\n"), csv.writer(l, lineterminator="\n")
        movies.writerow(["movieId", "title", "genres"])
        links.writerow(["movieId", "imdbId", "tmdbId"])
        for i in range(1, rows + 1):
            title = f"{title_words(rnd)} {i}"
            kind = rnd.random()
            if kind < 0.30:
                title = f"{title}, {rnd.choice(ARTICLES)}"                 # "Usual Suspects, The"
            elif kind < 0.40:
                title = f"{title} ({title_words(rnd)})"                     # bracketed alternate
            elif kind < 0.45:
                title = f"{title} (a.k.a. {title_words(rnd)})"
            year = rnd.randint(1900, 2018)
            if rnd.random() < 0.03:
                full = title                                                # no year
            elif rnd.random() < 0.01:
                full = f"{title} ({year}–{year + 2})"                       # a range
            else:
                full = f"{title} ({year})" + (" " if rnd.random() < 0.01 else "")
            genres = "(no genres listed)" if rnd.random() < 0.02 else \
                "|".join(sorted(rnd.sample(GENRES, rnd.randint(1, 4))))
            movies.writerow([i, full, genres])
            links.writerow([i, f"{i:07d}", "" if rnd.random() < 0.01 else rnd.randint(1, 500000)])
    with open(os.path.join(out, "ratings.csv"), "w", encoding="utf-8", newline="") as r:
        r.write("userId,movieId,rating,timestamp\n")
        for u in range(ratings_rows):  # by user, so not by movie: like the real file
            r.write(f"{u // 50 + 1},{rnd.randint(1, rows)},{rnd.randint(1, 10) / 2},{964982703 + u}\n")


def gen_rotten_tomatoes(rows, path, seed=13):
    """The 2019 export's columns: BOM, quoted genre lists, ISO dates, some mojibake,
    no final newline."""
    rnd = random.Random(seed)
    header = ["movie_title", "rating", "genre", "in_theaters_date", "on_streaming_date",
              "runtime_in_minutes", "tomatometer_status", "tomatometer_rating", "tomatometer_count",
              "audience_status", "audience_rating", "audience_count", "audience_top_critics_count",
              "audience_fresh_critics_count", "audience_rotten_critics_count"]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(1, rows + 1):
            title = f"{title_words(rnd)} {i}"
            if rnd.random() < 0.01:
                title = f"{title} ({rnd.choice(MOJIBAKE)})"
            elif rnd.random() < 0.05:
                title = f"{title}, Part {rnd.randint(2, 5)}"
            year = rnd.randint(1920, 2019)
            date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            streaming = f"{min(year + rnd.randint(0, 20), 2019)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            runtime = "" if rnd.random() < 0.004 else rnd.randint(60, 200)
            tomato, audience = rnd.randint(0, 100), rnd.randint(20, 100)
            w.writerow([title, rnd.choice(["G", "PG", "PG-13", "R", "NC17"]),
                        ", ".join(sorted(rnd.sample(RT_GENRES, rnd.randint(1, 4)))), date, streaming,
                        runtime, "Fresh" if tomato >= 60 else "Rotten", tomato, rnd.randint(5, 400),
                        "Upright" if audience >= 60 else "Spilled", audience, rnd.randint(100, 2000000),
                        rnd.randint(0, 60), rnd.randint(0, 300), rnd.randint(0, 100)])
    with open(path, "rb+") as f:  # no final newline, like the real export
        f.seek(-1, os.SEEK_END)
        f.truncate()


def shuffled_copy(src, dst, seed=17):
    """The same TSV with its data rows in random order (header kept first)."""
    with open(src, encoding="utf-8") as f:
        header, *rows = f.readlines()
    random.Random(seed).shuffle(rows)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(header)
        f.writelines(rows)


def paths(work):
    imdb_dir, ml_dir = os.path.join(work, "imdb"), os.path.join(work, "movielens")
    return (os.path.join(imdb_dir, "title.basics.tsv"), os.path.join(imdb_dir, "title.ratings.tsv"),
            os.path.join(imdb_dir, "shuffled.ratings.tsv"), os.path.join(ml_dir, "movies.csv"),
            os.path.join(ml_dir, "links.csv"), os.path.join(ml_dir, "ratings.csv"),
            os.path.join(work, "rotten_tomatoes_movies.csv"))


def generate(rows, work):
    basics, ratings, shuffled, movies, _, _, rt = paths(work)
    gen_imdb(rows, os.path.dirname(basics))
    shuffled_copy(ratings, shuffled)
    gen_movielens(rows, rows, os.path.dirname(movies))
    gen_rotten_tomatoes(rows, rt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--build", default=BUILD)
    ap.add_argument("--ingest", action="store_true", help="also time `moviec ingest` per format")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--generate", metavar="DIR", help=argparse.SUPPRESS)  # internal: write the files
    a = ap.parse_args()
    read_bench = os.path.join(a.build, "bench", "read_bench")
    moviec = os.path.join(a.build, "moviec")

    if a.generate:
        generate(a.rows, a.generate)
        return
    work = tempfile.mkdtemp(prefix="moviec-formats-bench-")
    start = time.monotonic()
    # A run's peak RSS includes this process's own peak at the fork (benchlib.run), so
    # the files are generated by a separate process to keep this one small.
    subprocess.check_call([sys.executable, os.path.abspath(__file__), "--rows", str(a.rows), "--generate", work])
    basics, ratings, shuffled, movies, links, ml_ratings, rt = paths(work)
    print(f"generated in {time.monotonic() - start:.0f} s under {work}")

    def mib(*files):
        return sum(os.path.getsize(f) for f in files) / 2**20

    runs = [  # (label, mode, files)
        ("raw read: IMDb basics + ratings", "raw", [basics, ratings]),
        ("imdb_tsv: basics + ratings (sorted, streamed)", "imdb_tsv", [basics, ratings]),
        ("imdb_tsv: basics + unsorted ratings (in memory)", "imdb_tsv", [basics, shuffled]),
        ("raw read: MovieLens movies + links", "raw", [movies, links]),
        ("csv split: MovieLens movies + links", "csv", [movies, links]),
        ("movielens_csv: movies + links", "movielens_csv", [movies, links]),
        ("movielens_csv: movies + links + ratings", "movielens_csv", [movies, links, ml_ratings]),
        ("raw read: Rotten Tomatoes export", "raw", [rt]),
        ("csv split: Rotten Tomatoes export", "csv", [rt]),
        ("rotten_tomatoes_csv", "rotten_tomatoes_csv", [rt]),
    ]
    print(f"\nreaders alone (bench/read_bench), {a.rows:,} rows per format, {os.cpu_count()} cores")
    readers = Table([("run", "50"), ("MiB", ">6.0f"), ("records", ">10,"), ("rejects", ">8,"), ("seconds", ">8.2f"),
                     ("records/s", ">11,.0f"), ("peak RSS MiB", ">13.1f")])
    readers.header()
    for label, mode, files in runs:
        _, _, out = run([read_bench, mode] + files)
        r = json.loads(out)
        readers.row(label, mib(*files), r["records"], r["rejects"], r["seconds"], r["records"] / r["seconds"],
                    r["peak_rss_mib"])

    if a.ingest:
        ingests = [
            ("moviec ingest imdb (basics + ratings)", "imdb", [basics, ratings]),
            ("moviec ingest movielens (movies + links + ratings)", "movielens", [movies, links, ml_ratings]),
            ("moviec ingest rotten_tomatoes (no movie ids: matching)", "rotten_tomatoes", [rt]),
        ]
        print(f"\nwhole pipeline (`moviec ingest` into an empty store, fsync per group commit)")
        pipeline = Table([("run", "58"), ("read", ">10,"), ("seconds", ">8.2f"), ("records/s", ">10,.0f"),
                          ("peak RSS MiB", ">13.1f"), ("events", ">9,")])
        pipeline.header()
        for label, source, files in ingests:
            data = os.path.join(work, "data-" + source)
            secs, rss, out = run([moviec, "ingest", "--data", data, "--source", source, "--json"] + files)
            s = last_json(out)
            pipeline.row(label, s["read"], secs, s["read"] / secs, rss, s["appended"])
            shutil.rmtree(data, ignore_errors=True)
    finish(work, a.keep)


if __name__ == "__main__":
    main()
