"""Tiered search ranking on a large store: a name, a common word and a prefix, timed.

    .venv/bin/python bench/search_ranking.py                       # builds 10,000 letters
    .venv/bin/python bench/search_ranking.py --db /tmp/bench/synthetic-10k.sqlite3

Without ``--db`` it builds a synthetic store first, in a temporary folder, with
the helper of ``bench/make_synthetic_store.py`` (``--letters`` of them, 10,000 by
default). Each query goes through the search service as the desktop app calls
it (``open_services(path).search.search(q, limit=20)``): once to warm up, then
``--repeat`` times; the script prints the median and the slowest time of each
in milliseconds, how many hits of each match ("exact", "stemmed", "prefix"),
and the median of each kind of query (names, common words, prefixes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from bench.make_synthetic_store import build  # noqa: E402
from briefing_app.read_models import SearchHit  # noqa: E402
from briefing_app.services import Services, open_services  # noqa: E402

#: What is timed, by kind: names of the store's people and partner countries (matched
#: as written only), common words (exact, then stemmed), prefixes as typed.
QUERIES: dict[str, tuple[str, ...]] = {
    "name": ("Rakušan", "Rakusan", "Bilotaite", "Niger", "Vít Rakušan"),
    "common word": ("migration", "returns", "the", "Member States"),
    "prefix": ("migr", "retu", "Tun", "Member Sta", "returns Tun"),
}


def _time(services: Services, query: str, repeat: int,
          limit: int) -> tuple[list[float], list[SearchHit]]:
    hits = services.search.search(query, limit=limit)  # warm-up: page cache, statements
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        services.search.search(query, limit=limit)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, hits


def run(db: Path, repeat: int, limit: int) -> int:
    services = open_services(db, create=False)
    try:
        with services.store.read() as connection:
            letters = connection.execute("SELECT COUNT(*) FROM letter").fetchone()[0]
            paragraphs = connection.execute("SELECT COUNT(*) FROM paragraph").fetchone()[0]
        print(f"store: {db} ({letters:,} letters, {paragraphs:,} paragraphs)")
        print(f"{'query':<16} {'median':>8} {'max':>8}  hits by match")
        medians: dict[str, list[float]] = {kind: [] for kind in QUERIES}
        for kind, queries in QUERIES.items():
            for query in queries:
                timings, hits = _time(services, query, repeat, limit)
                median = statistics.median(timings)
                medians[kind].append(median)
                matches = Counter(hit.match for hit in hits)
                shown = ", ".join(f"{n} {match}" for match, n in matches.items()) or "none"
                print(f"{query!r:<16} {median:6.2f} ms {max(timings):6.2f} ms  {shown}")
    finally:
        services.close()
    print("median by kind: " + "   ".join(
        f"{kind} {statistics.median(values):.2f} ms" for kind, values in medians.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store to search (else one is built)")
    parser.add_argument("--letters", type=int, default=10_000,
                        help="synthetic letters of the store built without --db")
    parser.add_argument("--repeat", type=int, default=21, help="timed runs of each query")
    parser.add_argument("--limit", type=int, default=20, help="hits per query (as the GUI)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.letters < 0:
        parser.error("--repeat must be 1 or more, --letters 0 or more")
    if args.db is not None:
        if not args.db.is_file():
            parser.error(f"{args.db}: no such store")
        return run(args.db, args.repeat, args.limit)
    with tempfile.TemporaryDirectory(prefix="search-ranking-") as folder:
        store = Path(folder) / f"synthetic-{args.letters}.sqlite3"
        build(store, args.letters, 800, 42)
        return run(store, args.repeat, args.limit)


if __name__ == "__main__":
    sys.exit(main())
