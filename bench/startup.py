"""Start-up time: from process start to a main window showing its rows.

    .venv/bin/python bench/startup.py --db /tmp/bench/synthetic-10k.sqlite3

Each run starts a new Python process (bench/_startup_child.py) that builds
the main window on the store and prints ``ready <rows> <rss_kb>`` when the
first view shows its rows. The time runs from just before the process is
started to the moment that line arrives, so it includes the interpreter,
imports, opening the store and the first paint. Runs offscreen
(QT_QPA_PLATFORM=offscreen) unless --platform says otherwise.

Targets: <= 0.8 s on the seed store, <= 1.0 s on a 10,000-letter store,
<= 300 MB resident memory at 10,000 letters.
"""

from __future__ import annotations

import argparse
import os
import queue
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().with_name("_startup_child.py")
TIMEOUT_S = 60.0
TARGET_SEED_S = 0.8
TARGET_LARGE_S = 1.0
TARGET_RSS_MB = 300.0


@dataclass(frozen=True)
class Run:
    seconds: float
    rows: int
    rss_mb: float


class ChildFailed(Exception):
    """The child exited, timed out or printed no ready line; carries its stderr."""


def _pump(stream: IO[str], lines: queue.Queue[tuple[float, str | None]]) -> None:
    """Put each line of ``stream`` on ``lines`` with the time it arrived; None at the end."""
    for line in stream:
        lines.put((time.perf_counter(), line))
    lines.put((time.perf_counter(), None))


def _collect(stream: IO[str], into: list[str]) -> None:
    into.extend(stream)


def one_run(db: Path, env: dict[str, str], timeout: float = TIMEOUT_S) -> Run:
    """Start the child once; the time from just before Popen to its ready line."""
    lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
    errors: list[str] = []
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(CHILD), "--db", str(db)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    readers = [threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True),
               threading.Thread(target=_collect, args=(child.stderr, errors), daemon=True)]
    for reader in readers:
        reader.start()
    deadline = started + timeout
    result: Run | None = None
    problem = ""
    try:
        while result is None:
            try:
                arrived, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                problem = f"no 'ready' line within {timeout:.0f} s"
                break
            if line is None:
                problem = "the child ended without printing 'ready'"
                break
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ready":
                result = Run(arrived - started, int(parts[1]), int(parts[2]) / 1024)
        if result is not None:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                problem = "the child did not quit after 'ready'"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for reader in readers:
            reader.join(timeout=5)
    err = "".join(errors).rstrip()
    if result is None:
        raise ChildFailed(f"{problem} (exit code {child.returncode})\n{err}")
    if problem or child.returncode != 0:
        print(f"warning: {problem or 'the child failed after ready'} "
              f"(exit code {child.returncode})\n{err}", file=sys.stderr)
    return result


def letter_count(db: Path) -> int | None:
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM letter").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="an existing store")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM for the child")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"{args.db}: no such store (create it first)")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")

    letters = letter_count(args.db)
    large = letters is not None and letters > 1000
    target = TARGET_LARGE_S if large else TARGET_SEED_S
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform}
    count = f"{letters:,}" if letters is not None else "?"
    print(f"store: {args.db} ({count} letters, "
          f"{args.db.stat().st_size / 2**20:.1f} MiB), platform {args.platform}")
    runs: list[Run] = []
    for number in range(1, args.runs + 1):
        try:
            run = one_run(args.db, env)
        except ChildFailed as failure:
            print(f"run {number}: FAILED: {failure}", file=sys.stderr)
            return 1
        runs.append(run)
        print(f"run {number}: {run.seconds:.3f} s to ready, {run.rows} rows, "
              f"RSS {run.rss_mb:.0f} MB")
    median = statistics.median(run.seconds for run in runs)
    rss = statistics.median(run.rss_mb for run in runs)
    print(f"median {median:.3f} s to ready (min {min(r.seconds for r in runs):.3f}, "
          f"max {max(r.seconds for r in runs):.3f}); RSS at ready {rss:.0f} MB")
    print(f"target <= {target:.1f} s ({'10,000-letter' if large else 'seed'} store): "
          f"{'ok' if median <= target else 'OVER TARGET'}")
    if large:
        print(f"memory target <= {TARGET_RSS_MB:.0f} MB: "
              f"{'ok' if rss <= TARGET_RSS_MB else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
