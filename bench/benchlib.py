"""Helpers the benchmark scripts share: running a command for its wall-clock time,
CPU time and peak RSS, the generated IMDb files, moviec's JSON summary line,
result tables and the work directory.

Imported by bench/*_bench.py, which run as scripts from any directory (Python
puts the script's own folder first on sys.path).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "..", "build")
MOVIEC = os.path.join(BUILD, "moviec")

_last_cpu = 0.0  # CPU seconds (user + system) of the last run()


def run(cmd):
    """Runs cmd under its own rusage accounting; returns (seconds, peak RSS MiB of
    that child, stdout). Exits on a non-zero status. The child's ru_maxrss
    includes this process's own peak at the fork, so keep this process small."""
    global _last_cpu
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    _last_cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024.0, out.decode()


def last_cpu():
    """CPU seconds (user + system) of the last run()."""
    return _last_cpu


def last_json(out):
    """The JSON object on the last line of a command's output (`moviec ... --json`)."""
    return json.loads(out.strip().splitlines()[-1])


def gen_imdb(rows, out_dir):
    """Writes rows generated title.basics.tsv + title.ratings.tsv rows under out_dir
    (bench/gen_imdb.py, in its own process)."""
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_imdb.py"), str(rows), out_dir])


class Table:
    """A result table printed a line at a time. columns: (title, format spec) pairs,
    e.g. ("run", "48"), ("seconds", ">8.2f"); a title takes its spec's alignment and
    width."""

    def __init__(self, columns):
        self.columns = columns

    def header(self):
        def width(spec):
            m = re.match(r"[<>^]?\d+", spec)
            return m.group(0)
        print(" ".join(format(title, width(spec)) for title, spec in self.columns))

    def row(self, *values):
        print(" ".join(format(v, spec) for v, (_, spec) in zip(values, self.columns)))


def finish(work, keep):
    """Removes the work directory, or says where it is kept (nothing if work is None)."""
    if work is None:
        return
    if keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)
