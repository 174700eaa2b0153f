"""The follow-up finder at 10,000 letters: time per imported letter, and precision at 3.

    .venv/bin/python bench/follow_up_finder.py [--letters 10000] [--commitments-share 0.2]

1. **Speed.** A synthetic store of ``--letters`` letters is built with
   ``bench/make_synthetic_store.py`` (kept in ``--work`` and reused), and a
   share of its letters get 4–9 accepted commitments each, made from sentences
   of their own bodies (so the commitment index holds tens of thousands of
   commitments). Then every letter of the evaluation corpus
   (``tests/corpus/letters``, ``tests/corpus/follow_ups/letters``) is imported
   through the import service, as in the app, and the finder's run for that
   letter (both ways: its commitments over the store, the store's commitments
   over its passages, suggestions stored) is timed on its own. The target is
   1 s per letter at 10,000 letters; the finder runs off the GUI thread, inside
   the import's operation.
2. **Ranking.** On a store of the bundled letters plus the follow-up corpus,
   for every commitment of the expected pairs (the test suite's pairs of the
   bundled letters, and ``tests/corpus/follow_ups/pairs.json`` when present),
   the finder's fresh top three are compared with the expected passages:
   *precision at 3* is the share of the suggestions given (at most three per
   commitment) that are expected passages; *hit rate at 3* the share of
   commitments with an expected passage among their top three; a suggestion is
   expected when its span holds an expected quote of that commitment.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from briefing_app.services import open_services  # noqa: E402
from briefing_app.services.follow_ups import FollowUpService  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
PAIRS = CORPUS / "follow_ups" / "pairs.json"
#: The pairs the tests hold on the bundled letters (14 Oct 2024 letter, joint letter).
SEED_PAIRS = [
    {"letter": "003_690175d95a8f5997.txt", "quote": "mutual recognition of each other's decisions",
     "reports_on": [{"series": "measures", "number": 6}]},
    {"letter": "003_690175d95a8f5997.txt",
     "quote": "We are already committed to review, by next year, the concept of designated "
              "safe third countries.", "reports_on": [{"series": "measures", "number": 7}]},
    {"letter": "002_fa0ddd568e2ff008.txt",
     "quote": "the planned review of the safe third country concept in 2025",
     "reports_on": [{"series": "measures", "number": 7}]},
    {"letter": "003_690175d95a8f5997.txt",
     "quote": "namely the Memorandum of Understanding with Tunisia",
     "reports_on": [{"series": "measures", "number": 12}]},
    {"letter": "003_690175d95a8f5997.txt",
     "quote": "for which a proposal by the Commission is still on the table awaiting agreement",
     "reports_on": [{"series": "measures", "number": 13}]},
]


def corpus_letters() -> list[Path]:
    found = sorted((CORPUS / "letters").glob("*.txt")) + sorted((CORPUS / "letters").glob("*.md"))
    found += sorted((CORPUS / "follow_ups" / "letters").glob("*"))
    return [path for path in found if path.suffix in (".txt", ".md", ".docx", ".pdf")]


def add_commitments(path: Path, share: float, seed: int) -> int:
    """Give a share of the synthetic letters accepted commitments from their own sentences."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    try:
        letters = [row[0] for row in db.execute(
            "SELECT id FROM letter WHERE source_name LIKE 'synthetic_%' ORDER BY id")]
        chosen = [letter for letter in letters if rng.random() < share]
        added = 0
        with db:
            for letter_id in chosen:
                sentences = [s.strip() + "." for (text,) in db.execute(
                    "SELECT text FROM paragraph WHERE letter_id = ? AND length(text) > 200",
                    (letter_id,)) for s in text.split(". ") if len(s) > 80]
                if len(sentences) < 4:
                    continue
                cursor = db.execute("INSERT INTO commitmentseries (key, title, letter_id) "
                                    "VALUES (?, ?, ?)", (f"measures-{letter_id}",
                                                         "Operational measures", letter_id))
                series_id = cursor.lastrowid
                picked = rng.sample(sentences, min(len(sentences), rng.randint(4, 9)))
                for position, text in enumerate(picked, start=1):
                    db.execute(
                        "INSERT INTO commitment (series_id, letter_id, position, number, title, "
                        "text, actors, countries, state, status, rag, start, \"end\") VALUES "
                        "(?, ?, ?, ?, ?, ?, '[]', '[]', 'accepted', 'no evidence', 'grey', 0, 0)",
                        (series_id, letter_id, position, position, text[:60], text))
                    added += 1
        return added
    finally:
        db.close()


def speed(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from make_synthetic_store import build  # type: ignore[import-not-found]

    args.work.mkdir(parents=True, exist_ok=True)
    template = args.work / f"finder-{args.letters}.sqlite3"
    if not template.exists():
        started = time.perf_counter()
        build(template, args.letters, 800, 42)
        made = add_commitments(template, args.commitments_share, 7)
        print(f"built {template.name}: {args.letters} synthetic letters, {made} synthetic "
              f"commitments in {time.perf_counter() - started:.0f} s")
    store_path = args.work / "finder-run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, store_path)
    services = open_services(store_path, create=False)
    with services.store.read() as db:
        totals = db.execute("SELECT (SELECT count(*) FROM letter), (SELECT count(*) FROM "
                            "paragraph), (SELECT count(*) FROM commitment)").fetchone()
    print(f"store: {totals[0]} letters, {totals[1]} paragraphs, {totals[2]} commitments")
    finder = FollowUpService(services.store)
    timings: list[tuple[float, float, str, int, float]] = []
    for path in corpus_letters():
        started = time.perf_counter()
        result = services.letters.import_file(path)
        imported = time.perf_counter() - started
        if result.letter_id is None or result.outcome != "imported":
            continue
        started, cpu = time.perf_counter(), time.process_time()
        report = finder.find(letter_id=result.letter_id)
        timings.append((time.perf_counter() - started, imported, path.name, report.commitments,
                        time.process_time() - cpu))
    services.close()
    print(f"\nfinder per imported letter at {totals[0]} letters "
          f"({len(timings)} letters imported):")
    for seconds, imported, name, looked, cpu in sorted(timings, reverse=True)[:5]:
        print(f"  {seconds * 1000:7.0f} ms  {name} ({looked} commitments looked at; "
              f"{cpu * 1000:.0f} ms of CPU; whole import {imported * 1000:.0f} ms)")
    values = [t[0] for t in timings]
    cpus = [t[4] for t in timings]
    print(f"  wall: median {statistics.median(values) * 1000:.0f} ms, max "
          f"{max(values) * 1000:.0f} ms; CPU: median {statistics.median(cpus) * 1000:.0f} ms,"
          f" max {max(cpus) * 1000:.0f} ms (load average {os.getloadavg()[0]:.1f})")
    print(f"  target ≤ 1000 ms per letter: {'met' if max(values) <= 1.0 else 'NOT met'}")


def precision(args: argparse.Namespace) -> None:
    pairs = list(SEED_PAIRS)
    if PAIRS.exists():
        document = json.loads(PAIRS.read_text(encoding="utf-8"))
        listed = document["pairs"] if isinstance(document, dict) else document
        pairs += [pair for pair in listed if pair not in pairs]
    with tempfile.TemporaryDirectory() as folder:
        services = open_services(Path(folder) / "store.sqlite3", create=True)
        services.seed.load()
        for path in sorted((CORPUS / "follow_ups" / "letters").glob("*")):
            services.letters.import_file(path)
        with services.store.read() as db:
            letters = {row[0]: (row[1], row[2]) for row in db.execute(
                "SELECT source_name, id, original_text FROM letter")}
            numbered = {(row[0], row[1]): row[2] for row in db.execute(
                "SELECT s.key, c.number, c.id FROM commitment c JOIN commitmentseries s "
                "ON s.id = c.series_id WHERE c.number IS NOT NULL")}
        expected: dict[int, list[tuple[int, int, int]]] = {}
        for pair in pairs:
            letter_id, text = letters[pair["letter"]]
            start = text.find(pair["quote"])
            if start < 0:
                raise SystemExit(f"{pair['letter']}: quote not found: {pair['quote'][:60]!r}")
            for item in pair["reports_on"]:
                commitment = numbered.get((item["series"], item["number"]))
                if commitment is not None:
                    expected.setdefault(commitment, []).append(
                        (letter_id, start, start + len(pair["quote"])))
        given = relevant = hits = 0
        misses = []
        for commitment_id, wanted in sorted(expected.items()):
            top = services.follow_ups.suggestions(commitment_id, limit=3)
            good = [c for c in top if any(c.letter_id == letter and c.start <= start
                                          and end <= c.end for letter, start, end in wanted)]
            given += len(top)
            relevant += len(good)
            hits += bool(good)
            if not good:
                misses.append((commitment_id, [(c.letter_id, c.start, round(c.score, 1))
                                               for c in top]))
        services.close()
    print(f"\nranking on {len(expected)} commitments with expected follow-ups "
          f"({sum(len(v) for v in expected.values())} expected passages):")
    print(f"  precision at 3: {relevant / max(1, given):.2f} ({relevant} of {given} "
          f"suggestions)")
    print(f"  hit rate at 3:  {hits / max(1, len(expected)):.2f} ({hits} of {len(expected)})")
    for commitment_id, top in misses:
        print(f"  missed: commitment {commitment_id}; ranked instead {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--commitments-share", type=float, default=0.2,
                        help="share of synthetic letters given commitments")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench"))
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    precision(args)
    if not args.skip_speed:
        speed(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
