"""Search latency through the real search service, as the desktop app calls it.

    .venv/bin/python bench/search_latency.py --db /tmp/bench/synthetic-10k.sqlite3

Runs a fixed list of realistic queries (common and rare words, two-word
queries, names with and without diacritics, prefixes as typed, queries full of
FTS5 syntax) through ``open_services(path).search.search(q, limit=20)``, once
to warm up and once measured, and prints count, median, p95 and max in
milliseconds, plus the slowest queries. Target: p95 <= 15 ms on the
10,000-letter synthetic store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from briefing_app.services import open_services  # noqa: E402

TARGET_P95_MS = 15.0

#: 100 queries, in the proportions people type them.
QUERIES: tuple[str, ...] = (
    # common single words
    "migration", "asylum", "return", "returns", "border", "borders", "Member", "States",
    "Commission", "solidarity", "partners", "Frontex", "Europol", "Pact", "implementation",
    "smuggling", "readmission", "visa", "protection", "cooperation",
    # very common words and stop words
    "the", "and", "of", "EU", "we",
    # countries and routes
    "Tunisia", "Libya", "Türkiye", "Turkiye", "Mauritania", "Senegal", "Egypt", "Lebanon",
    "Syria", "Belarus", "Ukraine", "Morocco", "Niger",
    # two words
    "Member States", "external borders", "return rate", "legal pathways", "Western Balkans",
    "Central Mediterranean", "irregular migration", "asylum procedures", "EU Asylum Agency",
    "search and rescue", "Talent Partnerships", "Visa Code", "anti-smuggling partnerships",
    "Common Implementation Plan", "secondary movements", "Solidarity Mechanism",
    # names, with and without diacritics, in any case
    "Rakušan", "Rakusan", "rakusan", "RAKUŠAN", "Vít Rakušan", "Vit Rakusan", "Bilotaitė",
    "Bilotaite", "Predoiu", "Läänemets", "Laanemets", "von der Leyen", "Johansson", "Karner",
    "Šuica", "Suica", "Gminder",
    # prefixes, as results appear while typing
    "migr", "ret", "bord", "sol", "Rak", "Med", "smug", "part", "a", "co", "Mem", "readm",
    "Member Sta", "irregular mig",
    # rare words
    "HCMF", "Ares", "Eurojust", "Lampedusa", "fingerprints", "instrumentalisation",
    "Cortenberg", "EMCDDA",
    # FTS5 syntax typed as plain text, and nothing to find
    '"unbalanced', "AND OR *", "NEAR(migration border)", "(asylum", "text: return",
    "-border", "zzyzx",
)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (fraction 0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def run(db: Path, count: int, limit: int) -> int:
    queries = [QUERIES[i % len(QUERIES)] for i in range(count)]
    services = open_services(db, create=False)
    try:
        for query in queries:  # warm-up: page cache, imports, compiled statements
            services.search.search(query, limit=limit)
        timings: list[tuple[float, str, int]] = []
        for query in queries:
            started = time.perf_counter()
            hits = services.search.search(query, limit=limit)
            timings.append(((time.perf_counter() - started) * 1000, query, len(hits)))
        with services.store.read() as connection:
            letters = connection.execute("SELECT COUNT(*) FROM letter").fetchone()[0]
            paragraphs = connection.execute("SELECT COUNT(*) FROM paragraph").fetchone()[0]
    finally:
        services.close()

    ms = [t for t, _q, _n in timings]
    empty = sum(1 for _t, _q, n in timings if n == 0)
    p95 = percentile(ms, 0.95)
    print(f"store: {db} ({letters:,} letters, {paragraphs:,} paragraphs, "
          f"{db.stat().st_size / 2**20:.1f} MiB)")
    print(f"queries: {len(ms)} (limit {limit}; {empty} without hits)")
    print(f"median {statistics.median(ms):.2f} ms   p95 {p95:.2f} ms   max {max(ms):.2f} ms   "
          f"mean {statistics.fmean(ms):.2f} ms")
    print("slowest:")
    for elapsed, query, hits in sorted(timings, reverse=True)[:8]:
        print(f"  {elapsed:8.2f} ms  {hits:>3} hits  {query!r}")
    verdict = "ok" if p95 <= TARGET_P95_MS else "OVER TARGET"
    print(f"p95 target <= {TARGET_P95_MS:.0f} ms: {verdict}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the store to search")
    parser.add_argument("--queries", type=int, default=100, help="how many queries to time")
    parser.add_argument("--limit", type=int, default=20, help="hits per query (as the GUI)")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"{args.db}: no such store")
    if args.queries < 1:
        parser.error("--queries must be 1 or more")
    return run(args.db, args.queries, args.limit)


if __name__ == "__main__":
    sys.exit(main())
