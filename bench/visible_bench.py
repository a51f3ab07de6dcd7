#!/usr/bin/env python3
"""Change-to-visible benchmark (issue 8, target 6): while `moviec serve` ingests a big
IMDb title.basics file dropped into its inbox, 200 pushes (`POST /ingest/feed`) of one
changed record each; for every push, the time from sending it to `GET /movies/{id}`
showing the new title. Printed beside the same 200 pushes on the idle server (the
baseline), in one run, with p50 / p99 / max.

The feed's 200 movies are created before the server starts (`moviec ingest`), so each
push changes a movie that exists. A push is answered once its events are committed and
the read models show them; the GET after the answer checks that.

usage: bench/visible_bench.py [--rows N] [--pushes 200] [--moviec build/moviec] [--keep]
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time

from benchlib import MOVIEC, Table, finish

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SHARED", os.path.join(HERE, "..", "..", "shared"))
TOKEN = "bench-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def feed_record(i, version):
    return {"id": f"f{i}", "imdb": f"tt9{i:08d}", "title": f"Feed movie {i} v{version}", "year": 2001}


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                return r.status, r.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise

    def json(self, path):
        status, body = self.request("GET", path)
        return status, (json.loads(body) if status == 200 else None)


def imdb_running(client):
    status, sources = client.json("/sources")
    if status != 200:
        return False
    for s in sources.get("sources", sources if isinstance(sources, list) else []):
        if s.get("name") == "imdb" and s.get("last_run"):
            return s["last_run"].get("state") == "running"
    return False


def imdb_done(client):
    status, sources = client.json("/sources")
    for s in sources.get("sources", sources if isinstance(sources, list) else []):
        if s.get("name") == "imdb" and s.get("last_run"):
            return s["last_run"].get("state") in ("done", "failed"), s["last_run"]
    return False, None


def push_round(client, pushes, version):
    """pushes one changed record at a time; returns the milliseconds from sending each
    to the GET that shows its new title."""
    latencies = []
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    for i in range(pushes):
        rec = feed_record(i, version)
        started = time.monotonic()
        status, body = client.request("POST", "/ingest/feed", json.dumps(rec) + "\n", headers)
        if status != 200:
            raise SystemExit(f"push {i}: {status} {body[:200]!r}")
        while True:
            status, movie = client.json(f"/movies/{rec['imdb']}")
            if status == 200 and movie.get("title") == rec["title"]:
                break
            if time.monotonic() - started > 60:
                raise SystemExit(f"push {i}: not visible after 60 s")
        latencies.append((time.monotonic() - started) * 1000)
    return latencies


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pushes", type=int, default=200)
    ap.add_argument("--moviec", default=MOVIEC)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="a top-level config key for the server, e.g. --set max_projection_lag=256")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="moviec-visible-bench-")
    gen = os.path.join(work, "gen")
    subprocess.check_call(["python3", os.path.join(SHARED, "bench", "gen.py"), str(a.rows), gen],
                          stdout=subprocess.DEVNULL)
    inbox = os.path.join(work, "inbox")
    os.makedirs(inbox)
    feed_layout = {"type": "jsonl", "source_id": "id", "movie_id": "imdb",
                   "fields": [{"column": "title", "field": "title", "required": True},
                              {"column": "year", "field": "year", "type": "int"}]}
    config = {"token": TOKEN, "inbox_scan_ms": 100,
              "sources": [{"name": "imdb", "format": "imdb_tsv", "inbox": inbox},
                          {"name": "feed", "format": "layout", "options": feed_layout}]}
    for kv in a.set:
        key, value = kv.split("=", 1)
        config[key] = json.loads(value)
    config_path = os.path.join(work, "moviec.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    data = os.path.join(work, "data")
    seed = os.path.join(work, "seed.jsonl")
    with open(seed, "w") as f:
        for i in range(a.pushes):
            f.write(json.dumps(feed_record(i, 0)) + "\n")
    subprocess.check_call([a.moviec, "ingest", "--config", config_path, "--data", data, "--source", "feed",
                           "--json", seed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    port = free_port()
    server = subprocess.Popen([a.moviec, "serve", "--config", config_path, "--data", data,
                               "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
    try:
        client = Client(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.05)

        idle = push_round(client, a.pushes, 1)

        basics = os.path.join(gen, "imdb", "title.basics.tsv")
        staged = os.path.join(work, "title.basics.tsv")
        os.link(basics, staged)
        os.rename(staged, os.path.join(inbox, "title.basics.tsv"))  # complete when it appears
        load_started = time.monotonic()
        while not imdb_running(client):
            if time.monotonic() - load_started > 60:
                raise SystemExit("the inbox run did not start")
            time.sleep(0.05)
        loaded = push_round(client, a.pushes, 2)
        pushes_done = time.monotonic()
        still_running = imdb_running(client)
        while True:
            done, run = imdb_done(client)
            if done:
                break
            time.sleep(0.5)
        load_seconds = time.monotonic() - load_started
    finally:
        server.terminate()
        server.wait(timeout=120)

    t = Table([("pushes of one changed record", "<44"), ("n", ">5"), ("p50 ms", ">9.1f"),
               ("p99 ms", ">9.1f"), ("max ms", ">9.1f")])
    t.header()
    t.row("baseline: idle server", len(idle), statistics.median(idle), pct(idle, 99), max(idle))
    t.row(f"while the inbox ingests {a.rows:,} rows", len(loaded), statistics.median(loaded),
          pct(loaded, 99), max(loaded))
    summary = run.get("summary", {}) if run else {}
    print(f"\ninbox run: {run.get('state') if run else '?'}, {summary.get('read', '?')} records read, "
          f"{load_seconds:.1f} s; the {a.pushes} pushes took {pushes_done - load_started:.1f} s of it"
          f"{'' if still_running else ' (the inbox run had ENDED before the last push: use more --rows)'}")
    finish(work, a.keep)


if __name__ == "__main__":
    main()
