#!/usr/bin/env python3
"""Writes synthetic IMDb title.basics.tsv / title.ratings.tsv files of N rows,
sorted by tconst like the real dumps, for benchmarks and crash tests.

usage: gen_imdb.py N OUT_DIR [--seed S] [--ratings-changed-every K]
"""
import argparse
import os
import random

GENRES = ["Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama",
          "Family", "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Sci-Fi",
          "Short", "Thriller", "War", "Western"]
WORDS = ["the", "night", "return", "city", "lost", "love", "king", "river", "last", "dark",
         "summer", "war", "blue", "man", "woman", "house", "road", "star", "ghost", "dream",
         "Amélie", "Æon", "Straße", "café"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--ratings-changed-every", type=int, default=0,
                    help="bump every K-th rating (a second file version)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, "title.basics.tsv"), "w", encoding="utf-8") as basics, \
         open(os.path.join(a.out_dir, "title.ratings.tsv"), "w", encoding="utf-8") as ratings:
        basics.write("tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\t"
                     "endYear\truntimeMinutes\tgenres\n")
        ratings.write("tconst\taverageRating\tnumVotes\n")
        for i in range(1, a.rows + 1):
            tconst = "tt%07d" % i
            title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4))).title()
            year = rnd.randint(1890, 2025)
            runtime = rnd.randint(1, 240) if rnd.random() < 0.9 else "\\N"
            genres = ",".join(sorted(rnd.sample(GENRES, rnd.randint(1, 3))))
            basics.write(f"{tconst}\tmovie\t{title}\t{title}\t0\t{year}\t\\N\t{runtime}\t{genres}\n")
            rating = round(rnd.uniform(1, 10), 1)
            if a.ratings_changed_every and i % a.ratings_changed_every == 0:
                rating = round(min(10.0, rating + 0.1), 1) if rating < 10 else 9.9
            ratings.write(f"{tconst}\t{rating}\t{rnd.randint(5, 2_000_000)}\n")


if __name__ == "__main__":
    main()
