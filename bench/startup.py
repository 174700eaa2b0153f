"""Start-up time: from process start to the main window on screen showing its rows.

    .venv/bin/python bench/startup.py --platform xcb
    .venv/bin/python bench/startup.py --db /tmp/bench/synthetic-10k.sqlite3

Each run starts a new Python process (bench/_startup_child.py) that starts
the desktop app as ``briefing-app gui`` does and prints a line as each
window reaches the screen (see that file for what "on screen" means). The
time of an event runs from just before the process is started to the moment
its line arrives, so it includes the interpreter, imports, opening the store
and the first paint.

Without ``--db``, each run is a fresh machine: an empty user folder (XDG
data, config, state and cache) and no store. The first start creates the
store and loads the bundled seed (the progress window is on screen first),
the second start opens that store. With ``--db``, every run opens that
existing store (the user folders are empty too); add ``--first-open-of-day``
to remove the store's automatic backups before each run, so that every run
is the day's first open and its daily backup is due. ``--platform xcb`` starts a
private X server (Xvfb) for the runs and stops it at the end, whatever
happens; the default is Qt's offscreen platform.

The runs use compiled bytecode, as an installed app does: an untimed warm-up
run compiles every module into a private cache (``PYTHONPYCACHEPREFIX``, so
no source folder is written to) even where ``PYTHONDONTWRITEBYTECODE`` is
set. ``--no-bytecode`` times starts that compile every module they import.

Targets: <= 0.8 s on the seed store, <= 1.0 s on a 10,000-letter store,
<= 300 MB resident memory at 10,000 letters.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from tests.helpers.xvfb import XvfbFailed, XvfbUnavailable, stop_on_sigterm, xvfb  # noqa: E402

CHILD = Path(__file__).resolve().with_name("_startup_child.py")
TIMEOUT_S = 60.0
TARGET_SEED_S = 0.8
TARGET_LARGE_S = 1.0
TARGET_RSS_MB = 300.0
USER_DIRS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@dataclass
class Run:
    """When each event of one child arrived (seconds from just before it started)."""

    times: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    rss_mb: float = 0.0


class ChildFailed(Exception):
    """The child exited, timed out or failed before it was on screen; carries its stderr."""


def _pump(stream: IO[str], lines: queue.Queue[tuple[float, str | None]]) -> None:
    """Put each line of ``stream`` on ``lines`` with the time it arrived; None at the end."""
    for line in stream:
        lines.put((time.perf_counter(), line))
    lines.put((time.perf_counter(), None))


def _collect(stream: IO[str], into: list[str]) -> None:
    into.extend(stream)


def one_run(db: Path, env: dict[str, str], timeout: float = TIMEOUT_S,
            child_script: Path = CHILD) -> Run:
    """Start the child once and time its events until the main window is on screen."""
    lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
    errors: list[str] = []
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(child_script), "--db", str(db)], cwd=REPO,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None and child.stderr is not None
    readers = [threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True),
               threading.Thread(target=_collect, args=(child.stderr, errors), daemon=True)]
    for reader in readers:
        reader.start()
    deadline = started + timeout
    run = Run()
    problem = ""
    try:
        while "shown" not in run.times:
            try:
                arrived, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                problem = f"not on screen within {timeout:.0f} s"
                break
            if line is None:
                problem = "the child ended before its window was on screen"
                break
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "failed":
                problem = "the first start failed: " + line.strip()[len("failed "):]
                break
            if parts[0] in ("progress", "ready", "shown"):
                run.times.setdefault(parts[0], arrived - started)
                if parts[0] == "shown":
                    run.rows, run.rss_mb = int(parts[1]), int(parts[2]) / 1024
        finished = "shown" in run.times
        if finished:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                problem = "the child did not quit after it was shown"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for reader in readers:
            reader.join(timeout=5)
    err = "".join(errors).rstrip()
    if not finished:
        raise ChildFailed(f"{problem} (exit code {child.returncode})\n{err}")
    if problem or child.returncode != 0:
        print(f"warning: {problem or 'the child failed after it was shown'} "
              f"(exit code {child.returncode})\n{err}", file=sys.stderr)
    return run


def letter_count(db: Path) -> int | None:
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM letter").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return None


@contextlib.contextmanager
def display(platform: str) -> Iterator[dict[str, str]]:
    """What the children's environment needs for ``platform``: a private Xvfb for xcb."""
    if platform != "xcb":
        yield {}
        return
    with xvfb(width=1920, height=1200) as server:
        print(f"X server: Xvfb on {server.display} (pid {server.pid})")
        yield server.env


def child_env(base: dict[str, str], home: Path, platform: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("QT_", "BRIEFING_APP_"))}
    env.update(base)
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # set, even empty, it means "don't"
    if "DISPLAY" in base:
        env.pop("WAYLAND_DISPLAY", None)  # only the private X server
    env["QT_QPA_PLATFORM"] = platform
    for name in USER_DIRS:
        folder = home / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def _line(label: str, values: list[float]) -> str:
    return (f"{label}: median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f})")


def _verdict(median: float, target: float, what: str) -> str:
    return f"target <= {target:.1f} s ({what}): {'ok' if median <= target else 'OVER TARGET'}"


def backups_folder(env: dict[str, str]) -> Path:
    """The automatic backups folder of the children run with ``env`` (their user data)."""
    from unittest import mock

    from briefing_app import paths

    with mock.patch.dict(os.environ, {"XDG_DATA_HOME": env["XDG_DATA_HOME"]}):
        return paths.backups_dir()


def measure_store(db: Path, runs: int, base: dict[str, str], platform: str,
                  child_script: Path, warm_up: bool, first_open_of_day: bool = False) -> int:
    letters = letter_count(db)
    large = letters is not None and letters > 1000
    count = f"{letters:,}" if letters is not None else "?"
    print(f"store: {db} ({count} letters, {db.stat().st_size / 2**20:.1f} MiB), "
          f"platform {platform}")
    if first_open_of_day:
        print("every run is the day's first open: the automatic backups are removed "
              "before each run")
    results: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:
        env = child_env(base, Path(home), platform)
        if warm_up:
            try:
                one_run(db, env, child_script=child_script)
            except ChildFailed as failure:
                print(f"warm-up run: FAILED: {failure}", file=sys.stderr)
                return 1
            print("warm-up run done (not counted)")
        for number in range(1, runs + 1):
            if first_open_of_day:
                shutil.rmtree(backups_folder(env), ignore_errors=True)
            try:
                run = one_run(db, env, child_script=child_script)
            except ChildFailed as failure:
                print(f"run {number}: FAILED: {failure}", file=sys.stderr)
                return 1
            results.append(run)
            print(f"run {number}: ready {run.times['ready']:.3f} s, on screen "
                  f"{run.times['shown']:.3f} s, {run.rows} rows, RSS {run.rss_mb:.0f} MB")
    shown = [r.times["shown"] for r in results]
    rss = statistics.median(r.rss_mb for r in results)
    print(_line("rows in (ready)", [r.times["ready"] for r in results]))
    print(_line("window on screen", shown) + f"; RSS {rss:.0f} MB")
    target = TARGET_LARGE_S if large else TARGET_SEED_S
    print(_verdict(statistics.median(shown), target,
                   "10,000-letter store" if large else "seed store"))
    if large:
        print(f"memory target <= {TARGET_RSS_MB:.0f} MB: "
              f"{'ok' if rss <= TARGET_RSS_MB else 'OVER TARGET'}")
    return 0


def measure_fresh(runs: int, base: dict[str, str], platform: str, child_script: Path,
                  warm_up: bool) -> int:
    print(f"fresh machine: no store, empty user folders; platform {platform}")
    first: list[Run] = []
    second: list[Run] = []
    for number in range(0 if warm_up else 1, runs + 1):
        home = Path(tempfile.mkdtemp(prefix="startup-bench-"))
        try:
            env = child_env(base, home, platform)
            db = home / "store" / "briefing.sqlite3"
            try:
                one = one_run(db, env, child_script=child_script)
                two = one_run(db, env, child_script=child_script)
            except ChildFailed as failure:
                print(f"run {number or 'warm-up'}: FAILED: {failure}", file=sys.stderr)
                return 1
        finally:
            shutil.rmtree(home, ignore_errors=True)
        if number == 0:
            print("warm-up run done (not counted)")
            continue
        first.append(one)
        second.append(two)
        progress = one.times.get("progress")
        print(f"run {number}: first start: "
              + (f"progress window {progress:.3f} s, " if progress is not None else "")
              + f"main window {one.times['shown']:.3f} s ({one.rows} rows); "
              f"second start: {two.times['shown']:.3f} s ({two.rows} rows, "
              f"RSS {two.rss_mb:.0f} MB)")
    progress_times = [r.times["progress"] for r in first if "progress" in r.times]
    if progress_times:
        print(_line("first start, progress window on screen", progress_times))
    print(_line("first start, main window on screen", [r.times["shown"] for r in first]))
    print(_line("second start, rows in (ready)", [r.times["ready"] for r in second]))
    shown = [r.times["shown"] for r in second]
    print(_line("second start, main window on screen", shown))
    print(_verdict(statistics.median(shown), TARGET_SEED_S, "second start, seed store"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path,
                        help="time starts on this existing store (default: a fresh machine, "
                             "first and second start)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default="offscreen",
                        help="QT_QPA_PLATFORM for the child: offscreen (default) or xcb "
                             "(on a private Xvfb)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile the Python modules on every start (no bytecode cache), "
                             "instead of once, in an untimed warm-up run")
    parser.add_argument("--first-open-of-day", action="store_true",
                        help="with --db: remove the store's automatic backups before each "
                             "run, so that its daily backup is due at every start")
    parser.add_argument("--child", type=Path, default=CHILD, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.db is not None and not args.db.is_file():
        parser.error(f"{args.db}: no such store (create it first)")
    if args.first_open_of_day and args.db is None:
        parser.error("--first-open-of-day needs --db")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    with stop_on_sigterm(), tempfile.TemporaryDirectory(prefix="startup-bytecode-") as cache:
        if args.no_bytecode:
            bytecode = {"PYTHONDONTWRITEBYTECODE": "1"}
            print("bytecode: none, every start compiles the modules it imports")
        else:
            # as an installed app runs: modules compiled once (by the warm-up run),
            # kept in a private cache so the source folders are left as they are
            bytecode = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": cache}
            print("bytecode: compiled by an untimed warm-up run, then used by every run")
        try:
            with display(args.platform) as server:
                base = {**server, **bytecode}
                if args.db is not None:
                    return measure_store(args.db, args.runs, base, args.platform, args.child,
                                         warm_up=not args.no_bytecode,
                                         first_open_of_day=args.first_open_of_day)
                return measure_fresh(args.runs, base, args.platform, args.child,
                                     warm_up=not args.no_bytecode)
        except (XvfbUnavailable, XvfbFailed) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
