#!/usr/bin/env python3
"""Match quality on real data: precision and recall of moviec's matcher, every
miss explained by the unmatched log. Runs the real binary (ingest + serve) and
reads the decisions back over HTTP (GET /events, GET /sources/{name}/unmatched,
GET /sources/{name}/match-report).

A. MovieLens by title + year alone against the IMDb samples. The MovieLens links
   (movieId -> imdbId) are withheld from moviec and used as the ground truth:
   precision = correct matches / matches made, recall = correct matches / MovieLens
   movies whose true IMDb title is in the ingested samples. Beside it, a baseline
   matcher in this script (exact normalized title and exact year, unique) on the
   same input.

C. The development set (../shared/data/tmdb-5000/SOURCES.md): MovieLens small with
   its links defines the movies (tt ids); TMDB 5000, described by a config-only
   layout (TMDB_LAYOUT below) WITHOUT its TMDB id as an external id, is matched to
   them by title + year; truth = the MovieLens links (tmdbId -> imdbId). Printed
   beside the naive floor (../shared/bench/naive_match_tmdb_ml.py) in the same run.

B. Rotten Tomatoes and vega against MovieLens-with-links (every MovieLens movie has
   its IMDb id). These files carry no ids, so there is no ground truth; two checks:
   - silver standard: records whose normalized title (this script's own
     normalization) and exact year name exactly one MovieLens movie;
   - cross-source consistency: where a vega record and a Rotten Tomatoes record
     landed in the same movie, both carry a tomatometer, a runtime and a release
     date; a pair that disagrees on them points at a wrong match.

usage: bench/match_quality.py [--moviec build/moviec] [--data ../shared/data] [--keep] [--show N]
                              [--only A,B,C]
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = {
    "sync_writes": False,
    "sources": [
        {"name": "imdb", "format": "imdb_tsv"},
        {"name": "movielens", "format": "movielens_csv"},
        {"name": "rotten_tomatoes", "format": "rotten_tomatoes_csv"},
        {"name": "vega", "format": "vega_json"},
    ],
}

# TMDB 5000 by configuration alone (docs/sources-layout.md). Its `id` is the record's
# id in the source only: no external id, so nothing but title + year can match it.
# Not named "tmdb": a record's own (source, id) is a crosswalk key (DESIGN.md,
# Matching, rule 5), and MovieLens links teach tmdb=<id>, which would hand over the
# answer.
TMDB_LAYOUT = {
    "name": "tmdb_export", "format": "layout",
    "options": {
        "type": "csv",
        "source_id": "id",
        "fields": [
            {"column": "title", "field": "title", "required": True},
            {"column": "original_title", "field": "names", "type": "text"},
            {"column": "release_date", "field": "year", "type": "date", "formats": ["%Y-%m-%d"]},
            {"column": "runtime", "field": "runtime_minutes", "type": "int", "zero_means_missing": True,
             "on_error": "skip"},
            {"column": "genres", "field": "genres", "type": "list", "json_array": True, "item_key": "name"},
            {"column": "vote_average", "field": "source_ratings", "type": "rating", "name": "tmdb",
             "scale": [0, 10], "votes": "vote_count"},
        ],
    },
}


# --- running moviec ----------------------------------------------------------------

def ingest(moviec, data, config, source, files):
    t = time.monotonic()
    out = subprocess.run([moviec, "ingest", "--data", data, "--config", config, "--source", source,
                          "--json"] + files, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if out.returncode != 0:
        sys.exit(f"moviec ingest --source {source} failed ({out.returncode})")
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    summary["wall"] = time.monotonic() - t
    return summary


class Serve:
    """`moviec serve` on a free loopback port for the duration of a with-block."""

    def __init__(self, moviec, data, config):
        self.cmd = [moviec, "serve", "--data", data, "--config", config, "--listen", "127.0.0.1:0"]

    def __enter__(self):
        self.p = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.p.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            self.p.kill()
            sys.exit(f"moviec serve did not start: {line!r}")
        self.base = f"http://{m.group(1)}:{m.group(2)}"
        return self

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=120) as r:
            return json.loads(r.read())

    def __exit__(self, *exc):
        self.p.send_signal(signal.SIGTERM)
        self.p.wait(timeout=60)


def decisions(server, source):
    """(matched, unmatched): source_id -> (movie id, method, confidence, record) and
    source_id -> unmatched entry, as moviec stands now."""
    matched = {}
    after = 0
    while True:
        page = server.get(f"/events?type=SourceRecordChanged&source={source}&limit=1000&after={after}")
        for e in page["events"]:
            d = e["data"]
            matched[d["record"]["source_id"]] = (e["stream"], d.get("match_method"),
                                                 d.get("match_confidence"), d["record"])
        after = page["next_after"]
        if after >= page["last_sequence"]:
            break
    unmatched = {}
    cursor = ""
    while True:
        page = server.get(f"/sources/{source}/unmatched?limit=1000" +
                          (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        for u in page["unmatched"]:
            unmatched[u["source_id"]] = u
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]
    for sid in unmatched:  # matched once, then a person said "no match": unmatched now
        matched.pop(sid, None)
    return matched, unmatched


# --- this script's own normalization (the baseline and the silver standard) -------------

ARTICLES = ("the", "a", "an", "la", "le", "les", "l'", "il", "el", "los", "las", "der", "die", "das")


def repair(title):
    for enc in ("utf-8", "cp1252"):
        try:
            fixed = title.encode("mac_roman").decode(enc)
            if fixed != title:
                return fixed
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return title


def norm(title):
    title = title.strip()
    m = re.match(r"^(.*), (\w+'?)$", title)
    if m and m.group(2).lower() in ARTICLES:
        title = m.group(2) + ("" if m.group(2).endswith("'") else " ") + m.group(1)
    title = unicodedata.normalize("NFKD", title.replace("&", " and ")).lower()
    words = re.findall(r"[^\W_]+", "".join(c for c in title if not unicodedata.combining(c)).replace("'", ""))
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return "".join(words)


def movielens_title(raw):
    """'Usual Suspects, The (Alt) (1995)' -> ('Usual Suspects, The', 1995)."""
    m = re.match(r"^(.*?)\s*\((\d{4})(?:[-\u2013]\d{0,4})?\)\s*$", raw.strip())
    title, year = (m.group(1), int(m.group(2))) if m else (raw.strip(), None)
    while True:
        m2 = re.match(r"^(.+?)\s*\(([^()]*)\)$", title)
        if not m2:
            break
        title = m2.group(1)
    return title, year


# --- experiment A ----------------------------------------------------------------------

def read_imdb(paths):
    out = {}
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            next(f)
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) == 9:
                    year = int(fields[5]) if fields[5].isdigit() else None
                    out[fields[0]] = (fields[2], year, fields[1])
    return out


def experiment_a(a, work, config, show):
    data = os.path.join(work, "a")
    imdb_dirs = [os.path.join(a.data, "imdb-tsv-samples", d) for d in ("katzi23-truncated", "artemchapaev-tiny")]
    for d in imdb_dirs:
        files = [os.path.join(d, f) for f in ("title.basics.tsv", "title.ratings.tsv", "title.akas.tsv")
                 if os.path.exists(os.path.join(d, f))]
        s = ingest(a.moviec, data, config, "imdb", files)
        print(f"  ingested imdb {os.path.basename(d)}: {s['read']} records in {s['wall']:.1f} s")
    ml = os.path.join(a.data, "movielens-ml-latest-small")
    s = ingest(a.moviec, data, config, "movielens", [os.path.join(ml, "movies.csv")])
    print(f"  ingested movielens movies.csv WITHOUT links.csv: {s['read']} records, {s['unmatched']} unmatched,"
          f" in {s['wall']:.1f} s")

    truth = {r["movieId"]: "tt" + r["imdbId"] for r in csv.DictReader(open(os.path.join(ml, "links.csv")))}
    movies = {r["movieId"]: r for r in csv.DictReader(open(os.path.join(ml, "movies.csv"), encoding="utf-8"))}
    imdb = read_imdb([os.path.join(d, "title.basics.tsv") for d in imdb_dirs])
    in_corpus = {mid for mid, tt in truth.items() if tt in imdb}

    with Serve(a.moviec, data, config) as server:
        matched, unmatched = decisions(server, "movielens")
        report = server.get("/sources/movielens/match-report")

    def score(decided):
        correct = [m for m, tt in decided.items() if truth.get(m) == tt]
        wrong = [m for m, tt in decided.items() if truth.get(m) != tt]
        missed = [m for m in in_corpus if decided.get(m) != truth[m]]
        p = len(correct) / len(decided) if decided else float("nan")
        r = len(correct) / len(in_corpus) if in_corpus else float("nan")
        return correct, wrong, missed, p, r

    moviec_decided = {sid: v[0] for sid, v in matched.items()}
    # Baseline: exact normalized title + exact year, unique on the IMDb side.
    by_key = defaultdict(list)
    for tt, (title, year, _) in imdb.items():
        by_key[(norm(title), year)].append(tt)
    baseline = {}
    for mid, row in movies.items():
        title, year = movielens_title(row["title"])
        hits = by_key.get((norm(title), year), [])
        if len(hits) == 1:
            baseline[mid] = hits[0]

    print(f"\n  MovieLens movies: {len(movies)}; whose true IMDb title is in the samples: {len(in_corpus)}")
    print(f"  {'matcher':<52} {'matched':>7} {'correct':>7} {'wrong':>5} {'precision':>9} {'recall':>6}")
    results = {}
    for name, decided in (("baseline: exact title + exact year, unique (this script)", baseline),
                          ("moviec title_year (min_confidence {}, margin {} bits)".format(
                              a.min_confidence, a.min_margin_bits), moviec_decided)):
        correct, wrong, missed, p, r = score(decided)
        results[name] = (correct, wrong, missed)
        print(f"  {name:<52} {len(decided):>7} {len(correct):>7} {len(wrong):>5} {p:>9.4f} {r:>6.3f}")
    print(f"  match report: {json.dumps(report)}")

    correct, wrong, missed = results[list(results)[-1]]
    if wrong:
        print(f"\n  wrong matches ({len(wrong)}):")
        for m in sorted(wrong, key=int):
            tt = moviec_decided[m]
            print(f"    movielens {m} {movies[m]['title']!r} -> {tt} {imdb.get(tt, ('?',))[0]!r} "
                  f"{imdb.get(tt, (None, None))[1]} (truth {truth.get(m)}: {imdb.get(truth.get(m), ('not in samples',))[0]!r})"
                  f" confidence {matched[m][2]}")
    print(f"\n  misses ({len(missed)}), each with its entry in the unmatched log:")
    reasons = Counter()
    for m in sorted(missed, key=int):
        tt = truth[m]
        u = unmatched.get(m)
        reasons[u["reason"] if u else "matched elsewhere"] += 1
        if show:
            why = f"{u['reason']}: {u['message']}" if u else f"matched to {moviec_decided.get(m)}"
            print(f"    movielens {m} {movies[m]['title']!r} (truth {tt} {imdb[tt][0]!r} {imdb[tt][1]} {imdb[tt][2]})"
                  f"\n        -> {why}")
    print(f"  misses by reason: {dict(reasons)}")
    explained = sum(1 for m in missed if m in unmatched)
    print(f"  misses explained in the unmatched log: {explained} of {len(missed)}")
    return results


# --- experiment C ----------------------------------------------------------------------

def experiment_c(a, work, config, show):
    data = os.path.join(work, "c")
    ml = os.path.join(a.data, "movielens-ml-latest-small")
    tmdb_file = os.path.join(a.data, "tmdb-5000", "tmdb_5000_movies.csv")
    s = ingest(a.moviec, data, config, "movielens", [os.path.join(ml, "movies.csv"), os.path.join(ml, "links.csv")])
    print(f"  ingested movielens movies.csv + links.csv: {s['read']} records in {s['wall']:.1f} s")
    s = ingest(a.moviec, data, config, "tmdb_export", [tmdb_file])
    print(f"  ingested tmdb (layout, no external id): {s['read']} records, {s['rejected']} rejected,"
          f" {s['unmatched']} unmatched, in {s['wall']:.1f} s")

    links = list(csv.DictReader(open(os.path.join(ml, "links.csv"))))
    tt_of_tmdb = {r["tmdbId"]: "tt" + r["imdbId"] for r in links if r["tmdbId"]}
    ml_tmdb_of_tt = {"tt" + r["imdbId"]: r["tmdbId"] for r in links}
    csv.field_size_limit(10 ** 8)
    tmdb = {r["id"]: r for r in csv.DictReader(open(tmdb_file, encoding="utf-8"))}
    pairs = {tid: tt for tid, tt in tt_of_tmdb.items() if tid in tmdb}

    with Serve(a.moviec, data, config) as server:
        matched, unmatched = decisions(server, "tmdb_export")
        report = server.get("/sources/tmdb_export/match-report")
        rejects = server.get("/sources/tmdb_export/rejects?limit=20")
    decided = {sid: v[0] for sid, v in matched.items()}
    on_pairs = {t: decided[t] for t in pairs if t in decided}
    correct = [t for t, tt in on_pairs.items() if tt == pairs[t]]
    wrong = [t for t, tt in on_pairs.items() if tt != pairs[t]]
    missed = [t for t in pairs if decided.get(t) != pairs[t]]
    # Records outside the truth set matched to a movie whose own TMDB id is known and
    # another one: wrong too (the naive floor does not look at these).
    outside_wrong = [t for t, tt in decided.items() if t not in pairs and ml_tmdb_of_tt.get(tt) and
                     ml_tmdb_of_tt[tt] != t]
    p = len(correct) / len(on_pairs) if on_pairs else float("nan")
    r = len(correct) / len(pairs) if pairs else float("nan")

    naive = subprocess.run([sys.executable, os.path.join(a.data, "..", "bench", "naive_match_tmdb_ml.py"), a.data],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip()
    m = re.search(r"matched (\d+)/(\d+), correct (\d+); precision ([\d.]+) recall ([\d.]+)", naive)
    print(f"\n  TMDB records: {len(tmdb)}; with a MovieLens link (truth): {len(pairs)}")
    print(f"  {'matcher':<44} {'matched':>7} {'correct':>7} {'wrong':>5} {'precision':>9} {'recall':>6}")
    if m:
        nm, nc = int(m.group(1)), int(m.group(3))
        print(f"  {'naive floor (naive_match_tmdb_ml.py)':<44} {nm:>7} {nc:>7} {nm - nc:>5} "
              f"{float(m.group(4)):>9.4f} {float(m.group(5)):>6.4f}")
    else:
        print(f"  naive floor: {naive or 'did not run'}")
    print(f"  {'moviec title_year':<44} {len(on_pairs):>7} {len(correct):>7} {len(wrong):>5} {p:>9.4f} {r:>6.4f}")
    print(f"  outside the truth set: {len(decided) - len(on_pairs)} matched, {len(outside_wrong)} to a movie"
          f" whose MovieLens link names another TMDB id")
    print(f"  match report: {json.dumps(report)}")
    if rejects.get("rejects"):
        print(f"  rejects: {[(x.get('source_id'), x.get('reason')) for x in rejects['rejects'][:show]]}")
    for t in sorted(wrong, key=int) + sorted(outside_wrong, key=int):
        row = tmdb[t]
        tt = decided[t]
        print(f"    wrong: tmdb {t} {row['title']!r} {row['release_date'][:4]} -> {tt} (truth {pairs.get(t)})"
              f" confidence {matched[t][2]}")
    reasons = Counter()
    for t in sorted(missed, key=int):
        u = unmatched.get(t)
        reasons[u["reason"] if u else ("matched elsewhere" if t in decided else "not read")] += 1
    print(f"  misses ({len(missed)}) by reason: {dict(reasons)}")
    for t in sorted(missed, key=int)[:show]:
        row = tmdb[t]
        u = unmatched.get(t)
        why = f"{u['reason']}: {u['message']}" if u else f"matched to {decided.get(t)}"
        print(f"    missed: tmdb {t} {row['title']!r} ({row['original_title']!r}) {row['release_date'][:4]}"
              f" truth {pairs[t]}\n        -> {why}")
    return p, r


# --- experiment B ----------------------------------------------------------------------

def rating(record, name):
    for r in record.get("source_ratings", []):
        if r.get("name") == name:
            return r.get("value")
    return None


def release(record):
    return record.get("registration_date") or record.get("metadata", {}).get("release_date")


def experiment_b(a, work, config, show):
    data = os.path.join(work, "b")
    ml = os.path.join(a.data, "movielens-ml-latest-small")
    s = ingest(a.moviec, data, config, "movielens", [os.path.join(ml, "movies.csv"), os.path.join(ml, "links.csv")])
    print(f"  ingested movielens movies.csv + links.csv: {s['read']} records in {s['wall']:.1f} s")
    rt_file = os.path.join(a.data, "rotten-tomatoes-kaggle-subset", "rotten_tomatoes_movies.csv")
    vega_file = os.path.join(a.data, "vega-datasets-movies", "movies.json")
    for source, f in (("rotten_tomatoes", rt_file), ("vega", vega_file)):
        s = ingest(a.moviec, data, config, source, [f])
        print(f"  ingested {source}: {s['read']} records, {s['rejected']} rejected, {s['unmatched']} unmatched,"
              f" in {s['wall']:.1f} s")

    movies = {r["movieId"]: r for r in csv.DictReader(open(os.path.join(ml, "movies.csv"), encoding="utf-8"))}
    links = {r["movieId"]: "tt" + r["imdbId"] for r in csv.DictReader(open(os.path.join(ml, "links.csv")))}
    ml_by_key = defaultdict(list)
    ml_title_of = {}
    for mid, row in movies.items():
        title, year = movielens_title(row["title"])
        ml_by_key[(norm(title), year)].append(links[mid])
        ml_title_of[links[mid]] = row["title"]

    out = {}
    with Serve(a.moviec, data, config) as server:
        for source in ("rotten_tomatoes", "vega"):
            out[source] = decisions(server, source) + (server.get(f"/sources/{source}/match-report"),)

    print(f"\n  {'source':<16} {'records':>7} {'matched':>7} {'rate %':>6} {'silver':>6} {'agree':>5} "
          f"{'differ':>6} {'missed':>6} {'silver precision':>16} {'silver recall':>13}")
    for source, (matched, unmatched, report) in out.items():
        records = {sid: v[3] for sid, v in matched.items()}
        records.update({sid: u["record"] for sid, u in unmatched.items()})
        own_keys = Counter((norm(repair(r.get("title", ""))), r.get("year")) for r in records.values())
        silver = {}
        for sid, r in records.items():
            key = (norm(repair(r.get("title", ""))), r.get("year"))
            hits = ml_by_key.get(key, [])
            if len(hits) == 1 and own_keys[key] == 1:
                silver[sid] = hits[0]
        agree = [s for s, tt in silver.items() if s in matched and matched[s][0] == tt]
        differ = [s for s, tt in silver.items() if s in matched and matched[s][0] != tt]
        missed = [s for s in silver if s not in matched]
        decided_on_silver = len(agree) + len(differ)
        print(f"  {source:<16} {report['records']:>7} {report['matched']:>7} {report['match_rate']:>6} "
              f"{len(silver):>6} {len(agree):>5} {len(differ):>6} {len(missed):>6} "
              f"{len(agree) / decided_on_silver if decided_on_silver else float('nan'):>16.4f} "
              f"{len(agree) / len(silver) if silver else float('nan'):>13.3f}")
        by_method = Counter(v[1] for v in matched.values())
        print(f"    by method {dict(by_method)}; unmatched by reason {dict(Counter(u['reason'] for u in unmatched.values()))}")
        for s in differ:
            print(f"    differs from silver: {source} {s!r} -> {matched[s][0]} {ml_title_of.get(matched[s][0])!r}"
                  f" (silver {silver[s]} {ml_title_of.get(silver[s])!r})")
        if show:
            for s in missed[:show]:
                u = unmatched.get(s)
                print(f"    silver missed: {source} {s!r} -> {u['reason'] + ': ' + u['message'] if u else '?'}")
            # Beyond the silver standard (alternate titles, a year apart): a seeded
            # random sample, for a person to audit.
            beyond = sorted(s for s in matched if s not in silver)
            random.Random(4).shuffle(beyond)
            print(f"    matched beyond silver: {len(beyond)}; a random sample of {min(show, len(beyond))}:")
            for s in beyond[:show]:
                m = matched[s]
                print(f"      {source} {m[3].get('title')!r} {m[3].get('year')} -> {m[0]}"
                      f" {ml_title_of.get(m[0])!r} ({m[2]})")

    # Cross-source consistency: vega and RT records that landed in the same movie.
    # Both carry a release date and a tomatometer. The same release day is taken as
    # the same film; otherwise the pair conflicts when the release years are more
    # than one apart or the tomatometers more than 15 points. (Runtimes are not
    # compared: vega's "Running Time min" is 20-100 minutes off for many films.)
    rt, vega = out["rotten_tomatoes"][0], out["vega"][0]
    rt_by_movie = defaultdict(list)
    for sid, v in rt.items():
        rt_by_movie[v[0]].append(v[3])
    pairs = same_day = conflicts = 0
    for sid, v in vega.items():
        for r in rt_by_movie.get(v[0], []):
            pairs += 1
            vr, rr = v[3], r
            a_d, b_d = release(vr), release(rr)
            if a_d and b_d and a_d == b_d:
                same_day += 1
                continue
            bad = []
            if a_d and b_d and abs(int(a_d[:4]) - int(b_d[:4])) > 1:
                bad.append(f"released {a_d} vs {b_d}")
            a_t, b_t = rating(vr, "rotten_tomatoes"), rating(rr, "tomatometer")
            if a_t is not None and b_t is not None and abs(a_t - b_t) > 15:
                bad.append(f"tomatometer {a_t} vs {b_t}")
            if bad:
                conflicts += 1
                print(f"    conflict in {v[0]} {ml_title_of.get(v[0])!r}: vega {vr.get('title')!r} {a_d} / RT "
                      f"{rr.get('title')!r} {b_d}: {', '.join(bad)}")
    print(f"\n  cross-source check: {pairs} (vega, RT) pairs in one movie, {same_day} released the same day;"
          f" pairs that disagree: {conflicts}"
          f" -> pair consistency {1 - conflicts / pairs if pairs else float('nan'):.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--moviec", default=os.path.join(HERE, "..", "build", "moviec"))
    ap.add_argument("--data", default=next((d for d in (os.path.join(HERE, "..", "..", "shared", "data"),
                                                         os.path.join(HERE, "..", "..", "..", "shared", "data"))
                                            if os.path.isdir(d)), "../shared/data"))
    ap.add_argument("--keep", action="store_true", help="keep the data directories")
    ap.add_argument("--show", type=int, default=10, help="examples listed per kind")
    ap.add_argument("--min-confidence", type=float, default=0.8)
    ap.add_argument("--min-margin-bits", type=float, default=2.0)
    ap.add_argument("--year-window", type=int, default=2)
    ap.add_argument("--only", default="A,B,C", help="experiments to run, e.g. C or A,C")
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        sys.exit(f"no shared data at {a.data}")
    work = tempfile.mkdtemp(prefix="moviec-match-")
    config = os.path.join(work, "moviec.json")
    cfg = dict(CONFIG)
    cfg["sources"] = CONFIG["sources"] + [TMDB_LAYOUT]
    cfg["matching"] = {"min_confidence": a.min_confidence, "min_margin_bits": a.min_margin_bits,
                       "year_window": a.year_window}
    with open(config, "w") as f:
        json.dump(cfg, f)
    only = set(a.only.split(","))
    try:
        if "C" in only and os.path.isdir(os.path.join(a.data, "tmdb-5000")):
            print("C. TMDB 5000 -> MovieLens small by title + year (the development set; links are the truth)")
            experiment_c(a, work, config, a.show)
        if "A" in only:
            print("\nA. MovieLens by title + year alone (links withheld) against the IMDb samples")
            experiment_a(a, work, config, a.show)
        if "B" in only:
            print("\nB. Rotten Tomatoes and vega against MovieLens with links")
            experiment_b(a, work, config, a.show)
    finally:
        if a.keep:
            print(f"\ndata kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
