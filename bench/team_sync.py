"""A briefcase's sync against a large team store, and search on PostgreSQL next to SQLite.

    .venv/bin/python bench/team_sync.py [--letters 10000] [--changes 1000]

Builds the synthetic store (``make_synthetic_store.py``: the seed and N
letters), starts a PostgreSQL server of its own (as the tests do), copies the
store into a new team store, checks a briefcase out of it, makes
``--changes`` status changes in the briefcase (offline: 1,000 by default,
across the tracked items) while the team store records 100 of its own, and
times the sync that sends and receives them. Target: at most 5 s at 10,000
letters. Then runs the search benchmark's queries through the search service
on the team store (vacuumed and analysed first, as autovacuum does after a bulk
load) and on the SQLite store and prints both p95s and their ratio.

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from bench.make_synthetic_store import build  # noqa: E402
from bench.search_latency import QUERIES  # noqa: E402
from briefing_app.identity import acting_as  # noqa: E402
from briefing_app.services import Services  # noqa: E402
from briefing_app.services.team import checkout, synchronise  # noqa: E402
from briefing_app.store.engine import Store  # noqa: E402
from briefing_app.store.postgres import TeamStore  # noqa: E402
from briefing_app.store.sync import copy_tables  # noqa: E402
from tests.helpers.postgres import start_server  # noqa: E402

TARGET_SYNC_S = 5.0
STATUSES = ("in progress", "delayed", "done", "not started")


def _changes(services: Services, count: int, author: str, offset: int) -> None:
    items = [("measures", m.number) for m in services.tracking.measures()] + \
        [("action-points", p.number) for p in services.tracking.action_points()] + \
        [("countries", c.iso) for c in services.tracking.countries()]
    with acting_as(author):
        for index in range(count):
            kind, key = items[(index + offset) % len(items)]
            services.tracking.set_status(kind, key, STATUSES[index % len(STATUSES)],
                                         note=f"{author} change {index}")


def _p95(services: Services) -> tuple[float, float]:
    for query in QUERIES:  # warm up
        services.search.search(query, limit=20)
    times = []
    for query in QUERIES:
        started = time.perf_counter()
        services.search.search(query, limit=20)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="team-sync-"))
    server = start_server()
    if server is None:
        print("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        return 1
    try:
        local = folder / "synthetic.sqlite3"
        started = time.perf_counter()
        build(local, args.letters, 800, 42)
        print(f"synthetic store of {args.letters} letters built in "
              f"{time.perf_counter() - started:.1f} s")
        team_url = server.new_database()
        database = team_url.split("@/", 1)[1].split("?", 1)[0]
        team = TeamStore(team_url)
        source = Store(local, create=False, backup_dir=None)
        started = time.perf_counter()
        with source.engine.connect() as reading, team.engine.begin() as writing:
            rows = copy_tables(reading, writing)
        print(f"team store filled with {rows} rows in {time.perf_counter() - started:.1f} s")
        # what autovacuum does on a server soon after a bulk load: statistics for the
        # planner, the visibility map for index-only scans
        started = time.perf_counter()
        server.execute("VACUUM ANALYZE", database=database)
        print(f"team store vacuumed and analysed in {time.perf_counter() - started:.1f} s")
        briefcase = folder / "briefcase.sqlite3"
        started = time.perf_counter()
        checkout(team, briefcase)
        print(f"briefcase checked out in {time.perf_counter() - started:.1f} s "
              f"({briefcase.stat().st_size / 1e6:.0f} MB)")
        offline = Services(Store(briefcase, backup_dir=None))
        _changes(offline, args.changes, "traveller", 0)
        _changes(Services(team), 100, "desk", 7)
        started = time.perf_counter()
        report = synchronise(offline.store, team)
        took = time.perf_counter() - started
        verdict = "meets" if took <= TARGET_SYNC_S else "MISSES"
        print(f"sync of {args.changes} offline changes at {args.letters} letters: "
              f"{took:.2f} s ({verdict} the {TARGET_SYNC_S:.0f} s target); sent "
              f"{report.sent} rows, received {report.received}, "
              f"{len(report.conflicts)} items in conflict")
        p95s = {}
        for name, services in (("SQLite", Services(source)), ("PostgreSQL", Services(team))):
            try:
                median, p95s[name] = _p95(services)
            except Exception as exc:  # the figure is reported, not hidden
                print(f"search on {name}: failed ({type(exc).__name__}: {exc})")
                continue
            print(f"search on {name} at {args.letters} letters: median {median:.1f} ms, "
                  f"p95 {p95s[name]:.1f} ms ({len(QUERIES)} queries)")
        if len(p95s) == 2:
            print(f"search p95 on PostgreSQL / on SQLite: "
                  f"{p95s['PostgreSQL'] / p95s['SQLite']:.1f}x")
        offline.close()
        team.close()
        source.close()
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
