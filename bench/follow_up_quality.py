"""Follow-up finder quality: how well the finder ranks the passages that report on a commitment.

Builds a fresh store in a temporary folder (the bundled seed, then every letter of
``tests/corpus/follow_ups/letters`` imported through ``LetterService.import_file``, as
``briefing-app import FILE`` does, which runs the finder), then asks the finder for its
fresh ranked answer for each of the 25 commitments of the bundled letters
(``FollowUpService.suggestions(commitment_id, limit=3)``: computed now, nothing stored
is read) and scores it against ``tests/corpus/follow_ups/pairs.json`` (see the README
there: the truth was written by a reader, never by running the finder).

Definitions (``k`` = 3):

- a **suggestion** is one candidate of the top ``k``: a paragraph, ``candidate.letter_id``
  with the span ``candidate.start``-``candidate.end``;
- it is **relevant** to a commitment when its span holds the quote of a pair of
  pairs.json that reports on that commitment;
- a **relevant passage** is a paragraph holding at least one such quote (two quotes for
  the same commitment in one paragraph are one passage);
- **precision@3** = relevant suggestions / suggestions given; **recall@3** = relevant
  passages in the top 3 / relevant passages that exist; both pooled over the evaluated
  commitments (micro) and averaged per commitment (macro; precision of a commitment
  given no suggestion is left out of the mean);
- **ceilings**: the best recall@3 any ranking could reach (a commitment with five
  relevant passages can show only three), and the best precision@3 for the number of
  suggestions given (a commitment with one relevant passage and three suggestions
  reaches 1/3 at best);
- **hit@3** = share of the evaluated commitments with a relevant passage in their top 3;
- **false-positive rate on negatives** = negative paragraphs (pairs with
  ``"reports_on": []``) that appear in the top 3 of any of the 25 commitments / negative
  paragraphs.

The evaluated commitments are those that some pair reports on; the others (no letter
reports on them) are listed with what the finder suggests for them (all of it
irrelevant by the truth), and their top 3 counts for the false-positive rate.

Usage::

    python bench/follow_up_quality.py            # tables, totals and the failing cases
    python bench/follow_up_quality.py --json     # one JSON document
    python bench/follow_up_quality.py --keep DIR # keep the store built (DIR/store.sqlite3)

Exits non-zero only when the corpus or the truth file is broken (an import fails, a quote
is not in its letter or not inside one paragraph, a commitment is missing).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CORPUS = REPO / "tests" / "corpus" / "follow_ups"
LETTERS = CORPUS / "letters"
PAIRS = CORPUS / "pairs.json"
SEED = REPO / "db" / "seed"
LETTER_SUFFIXES = (".txt", ".md")
K = 3


class CorpusError(Exception):
    """The corpus or its truth file is broken (not a finder failure)."""


@dataclass(frozen=True)
class Passage:
    """A paragraph of a stored letter."""

    letter_id: int
    start: int
    end: int
    paragraph_id: int



@dataclass
class Quote:
    letter: str  # file name
    letter_id: int
    quote: str
    start: int
    end: int
    passage: Passage
    note: str | None = None

    def within(self, candidate: Any) -> bool:
        """Whether a suggestion's span holds this quote (what makes it relevant)."""
        return (candidate.letter_id == self.letter_id and candidate.start <= self.start
                and self.end <= candidate.end)


@dataclass
class Commitment:
    id: int
    series: str
    number: int
    title: str
    letter_id: int

    @property
    def label(self) -> str:
        return f"{self.series} {self.number}"


@dataclass
class Truth:
    positives: dict[int, list[Quote]] = field(default_factory=dict)  # commitment id -> quotes
    negatives: list[Quote] = field(default_factory=list)


# --------------------------------------------------------------------------- the store


def letter_files() -> list[Path]:
    return sorted(p for p in LETTERS.iterdir() if p.suffix in LETTER_SUFFIXES)


def build_store(folder: Path) -> tuple[Any, dict[str, int], list[str]]:
    """The seed and every corpus letter, imported as the app imports them. Returns the
    services, letter ids by file name and the import messages."""
    from briefing_app.services import Services
    from briefing_app.store.engine import Store

    path = folder / "store.sqlite3"
    services = Services(Store(path, create=True, backup_dir=None))  # no daily backup
    services.seed.load()
    messages = []
    for file in letter_files():
        result = services.letters.import_file(file)
        if result.outcome != "imported" or result.letter_id is None:
            raise CorpusError(f"{file.name}: import {result.outcome}: {result.message}")
        messages.append(f"{file.name}: letter {result.letter_id} ({result.message})")
    with services.store.read() as db:
        ids = {row["source_name"]: row["id"]
               for row in db.execute("SELECT id, source_name FROM letter")}
    return services, ids, messages


def series_commitments(db: Any, series: dict[str, str], ids: dict[str, int]
                       ) -> dict[tuple[str, int], Commitment]:
    """The commitments of each series of pairs.json, in the bundled letter named for it."""
    found: dict[tuple[str, int], Commitment] = {}
    for key, file in series.items():
        if file not in ids:
            raise CorpusError(f"pairs.json: series {key!r}: letter {file!r} is not in the store")
        rows = db.execute(
            "SELECT c.id, c.number, c.title, c.letter_id FROM commitment c "
            "JOIN commitmentseries s ON s.id = c.series_id "
            "WHERE s.key = ? AND c.letter_id = ? AND c.state != 'rejected' ORDER BY c.number",
            (key, ids[file])).fetchall()
        if not rows:
            raise CorpusError(f"pairs.json: no commitment of series {key!r} in {file}")
        for row in rows:
            found[(key, row["number"])] = Commitment(row["id"], key, row["number"],
                                                     row["title"], row["letter_id"])
    return found


def read_truth(db: Any, document: dict[str, Any], ids: dict[str, int],
               commitments: dict[tuple[str, int], Commitment]) -> Truth:
    truth = Truth()
    texts: dict[int, str] = {}
    for number, pair in enumerate(document["pairs"], start=1):
        where = f"pairs.json pair {number} ({pair.get('letter')})"
        if pair["letter"] not in ids:
            raise CorpusError(f"{where}: letter not in the store")
        letter_id = ids[pair["letter"]]
        if letter_id not in texts:
            texts[letter_id] = db.execute("SELECT original_text FROM letter WHERE id = ?",
                                          (letter_id,)).fetchone()[0]
        text, quote = texts[letter_id], pair["quote"]
        start = text.find(quote)
        if start < 0:
            raise CorpusError(f"{where}: quote not in the letter: {quote!r}")
        if text.find(quote, start + 1) >= 0:
            raise CorpusError(f"{where}: quote found more than once: {quote!r}")
        end = start + len(quote)
        rows = db.execute('SELECT id, start, "end" FROM paragraph WHERE letter_id = ? '
                          'AND start <= ? AND "end" >= ?', (letter_id, start, end)).fetchall()
        if len(rows) != 1:
            raise CorpusError(f"{where}: quote not inside one paragraph: {quote!r}")
        passage = Passage(letter_id, rows[0]["start"], rows[0]["end"], rows[0]["id"])
        item = Quote(pair["letter"], letter_id, quote, start, end, passage, pair.get("note"))
        if not pair["reports_on"]:
            truth.negatives.append(item)
        for ref in pair["reports_on"]:
            commitment = commitments.get((ref["series"], ref["number"]))
            if commitment is None:
                raise CorpusError(f"{where}: no commitment {ref['series']} {ref['number']}")
            if commitment.letter_id == letter_id:
                raise CorpusError(f"{where}: a passage of the commitment's own letter")
            truth.positives.setdefault(commitment.id, []).append(item)
    positive_passages = {q.passage for quotes in truth.positives.values() for q in quotes}
    for negative in truth.negatives:
        if negative.passage in positive_passages:
            raise CorpusError(f"pairs.json: the negative {negative.quote!r} "
                              f"({negative.letter}) is in a paragraph that reports")
    return truth


# --------------------------------------------------------------------------- scoring


@dataclass
class Suggestion:
    letter_id: int
    start: int
    end: int
    score: float
    relevant: bool
    negative: bool
    why: str
    text: str


@dataclass
class Expected:
    quote: Quote
    rank: int | None  # in the full ranked answer, 1-based
    score: float | None
    reason: str  # why it is where it is, for the failing cases


@dataclass
class CommitmentResult:
    commitment: Commitment
    top: list[Suggestion]
    expected: list[Expected]  # one per relevant passage (its first quote)
    query: list[str] = field(default_factory=list)  # the rarest words asking the index
    idle: list[str] = field(default_factory=list)  # of those, held by no other letter

    @property
    def relevant_given(self) -> int:
        return sum(s.relevant for s in self.top)

    @property
    def passages(self) -> int:
        return len(self.expected)

    @property
    def found(self) -> int:
        return sum(1 for e in self.expected if e.rank is not None and e.rank <= K)


def _why(match: Any) -> str:
    parts = []
    if match.terms:
        parts.append("terms " + ", ".join(match.terms))
    if match.countries:
        parts.append("countries " + ", ".join(match.countries))
    if match.words:
        parts.append("words " + ", ".join(match.words[:6]))
    return "; ".join(parts)


def _snippet(text: str, start: int, end: int, width: int = 90) -> str:
    flat = " ".join(text[start:end].replace("*", "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _shared(wanted: Any, passage: Any) -> str:
    """What a commitment and a passage share, whatever it scores (for a score of 0)."""
    parts = []
    if terms := sorted(wanted.terms & passage.terms):
        parts.append("terms " + ", ".join(terms))
    if countries := sorted(wanted.countries & passage.countries):
        parts.append("countries " + ", ".join(countries))
    words = [wanted.words[root] for root in wanted.words if root in passage.words]
    parts.append("words " + (", ".join(words[:8]) if words else "none"))
    if pairs := sorted(wanted.pairs & passage.pairs):
        parts.append("pairs " + ", ".join(f"{a} {b}" for a, b in pairs[:4]))
    return "; ".join(parts)


def evaluate(services: Any, commitments: dict[tuple[str, int], Commitment], truth: Truth
             ) -> list[CommitmentResult]:
    from briefing_app.corpus.matching import profile, score
    from briefing_app.services.follow_ups import CANDIDATES, Finder
    from briefing_app.store import follow_ups as sql

    negatives = {q.passage for q in truth.negatives}
    results = []
    with services.store.read() as db:
        texts = {row["id"]: row["original_text"]
                 for row in db.execute("SELECT id, original_text FROM letter")}
        dates = {row["id"]: row["date"] for row in db.execute("SELECT id, date FROM letter")}
        finder = Finder(db)
        for commitment in sorted(commitments.values(), key=lambda c: c.id):
            quotes = truth.positives.get(commitment.id, [])
            ranked = services.follow_ups.suggestions(commitment.id, limit=10**6)
            top = services.follow_ups.suggestions(commitment.id, limit=K)
            assert [(c.letter_id, c.start) for c in top] == \
                [(c.letter_id, c.start) for c in ranked[:K]]
            suggestions = [Suggestion(
                c.letter_id, c.start, c.end, c.score,
                relevant=any(q.within(c) for q in quotes),
                negative=any(p.letter_id == c.letter_id and p.start == c.start
                             and p.end == c.end for p in negatives),
                why=_why(c.match), text=_snippet(texts[c.letter_id], c.start, c.end))
                for c in top]
            row = sql.finder_commitments(db, [commitment.id])[0]
            wanted = profile(row["text"], row["deadline"])
            retrieved = {r["id"] for r in sql.candidate_paragraphs(
                db, finder.query_words(row["text"], letter_id=row["letter_id"], with_names=True),
                exclude_letter_id=row["letter_id"], limit=CANDIDATES)}
            expected = []
            seen: set[Passage] = set()
            for quote in quotes:
                if quote.passage in seen:
                    continue
                seen.add(quote.passage)
                rank = next((i for i, c in enumerate(ranked, start=1) if quote.within(c)),
                            None)
                if rank is not None:
                    found = ranked[rank - 1]
                    group = _group(dates.get(commitment.letter_id), dates.get(found.letter_id))
                    reason = (f"ranked {rank} (score {found.score:g}; {_why(found.match)}; "
                              f"{group})")
                    expected.append(Expected(quote, rank, found.score, reason))
                    continue
                text = db.execute("SELECT text FROM paragraph WHERE id = ?",
                                  (quote.passage.paragraph_id,)).fetchone()[0]
                match = score(wanted, profile(text), finder.rarity_for(row["letter_id"]))
                if quote.passage.paragraph_id not in retrieved:
                    reason = ("not retrieved: the index query (the commitment's rarest words, "
                              "terms, country names) does not bring this paragraph into the "
                              f"{CANDIDATES} candidates; its score would be {match.score:g}"
                              + (f" ({_why(match)})" if match.score else ""))
                else:
                    reason = ("retrieved but scored 0 (below the minimum; shares "
                              f"{_shared(wanted, profile(text))})")
                if match.score == 0 and quote.passage.paragraph_id not in retrieved:
                    reason += f"; shares {_shared(wanted, profile(text))}"
                expected.append(Expected(quote, None, None, reason))
            query = finder.query_words(row["text"], letter_id=row["letter_id"])  # rarest, no names
            idle = [word for word in query if not sql.candidate_paragraphs(
                db, [word], exclude_letter_id=row["letter_id"], limit=1)]
            results.append(CommitmentResult(commitment, suggestions, expected, query, idle))
    return results


def _group(own: Any, other: Any) -> str:
    if own is None or other is None:
        return "undated letter: ranked after the later ones"
    return "later letter" if str(other) > str(own) else "earlier letter: ranked last"


# --------------------------------------------------------------------------- report


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def totals(results: list[CommitmentResult], truth: Truth) -> dict[str, Any]:
    evaluated = [r for r in results if r.expected]
    given = sum(len(r.top) for r in evaluated)
    relevant = sum(r.relevant_given for r in evaluated)
    passages = sum(r.passages for r in evaluated)
    found = sum(r.found for r in evaluated)
    ceiling = sum(min(K, r.passages) for r in evaluated)
    best_precision = sum(min(len(r.top), r.passages) for r in evaluated)
    precisions = [r.relevant_given / len(r.top) for r in evaluated if r.top]
    recalls = [r.found / r.passages for r in evaluated]
    negatives = {q.passage for q in truth.negatives}
    shown = {(s.letter_id, s.start, s.end) for r in results for s in r.top}
    negatives_hit = {p for p in negatives if (p.letter_id, p.start, p.end) in shown}
    return {
        "commitments_evaluated": len(evaluated),
        "commitments_without_truth": len(results) - len(evaluated),
        "suggestions_given": given,
        "relevant_suggestions": relevant,
        "relevant_passages": passages,
        "relevant_passages_in_top3": found,
        "precision_at_3": _ratio(relevant, given),
        "precision_at_3_macro": _ratio(sum(precisions), len(precisions)),
        "precision_at_3_ceiling": _ratio(best_precision, given),
        "recall_at_3": _ratio(found, passages),
        "recall_at_3_macro": _ratio(sum(recalls), len(recalls)),
        "recall_at_3_ceiling": _ratio(ceiling, passages),
        "hit_at_3": _ratio(sum(1 for r in evaluated if r.found), len(evaluated)),
        "negative_paragraphs": len(negatives),
        "negatives_in_a_top3": len(negatives_hit),
        "false_positive_rate": _ratio(len(negatives_hit), len(negatives)),
        "suggestions_for_commitments_without_truth": sum(
            len(r.top) for r in results if not r.expected),
    }


def per_letter(results: list[CommitmentResult], truth: Truth, names: dict[int, str]
               ) -> list[dict[str, Any]]:
    letters = sorted({q.letter_id for quotes in truth.positives.values() for q in quotes}
                     | {q.letter_id for q in truth.negatives},
                     key=lambda i: names[i])
    rows = []
    negatives = {q.passage for q in truth.negatives}
    shown = {(s.letter_id, s.start, s.end) for r in results for s in r.top}
    for letter_id in letters:
        pairs = [(r, e) for r in results for e in r.expected
                 if e.quote.letter_id == letter_id]
        top = [s for r in results for s in r.top if s.letter_id == letter_id]
        mine = [p for p in negatives if p.letter_id == letter_id]
        rows.append({
            "letter": names[letter_id],
            "positive_pairs": len(pairs),
            "found_in_top3": sum(1 for _, e in pairs if e.rank is not None and e.rank <= K),
            "suggestions_into_letter": len(top),
            "relevant_of_those": sum(s.relevant for s in top),
            "negatives": len(mine),
            "negatives_in_a_top3": sum(1 for p in mine if (p.letter_id, p.start, p.end) in shown),
        })
    return rows


def print_report(results: list[CommitmentResult], truth: Truth, names: dict[int, str],
                 dates: dict[int, Any], seconds: float) -> None:
    print(f"Follow-up finder quality (top {K}), {len(names)} letters in the store "
          f"({len(letter_files())} from tests/corpus/follow_ups/letters), "
          f"built and scored in {seconds:.1f} s")
    print()
    rows = per_letter(results, truth, names)
    header: tuple[str, ...] = ("letter", "date", "pairs", "found", "sugg.", "rel.", "neg.",
                               "neg. shown")
    table: list[tuple[str, ...]] = [
        (r["letter"], str(dates.get(_id_of(names, r["letter"])) or "undated"),
         str(r["positive_pairs"]), str(r["found_in_top3"]),
         str(r["suggestions_into_letter"]), str(r["relevant_of_those"]),
         str(r["negatives"]), str(r["negatives_in_a_top3"])) for r in rows]
    _print_table(header, table)
    print("  pairs: (commitment, passage) pairs the truth has in the letter; found: of those,"
          " in the commitment's top 3;\n  sugg.: top-3 suggestions (any of the 25 commitments)"
          " that point into the letter; rel.: of those, relevant;\n  neg.: negative paragraphs;"
          " neg. shown: of those, in some commitment's top 3.")
    print()
    print("Per commitment")
    header = ("commitment", "passages", "in top 3", "P@3", "R@3")
    table = []
    for r in results:
        if not r.expected:
            continue
        p = _ratio(r.relevant_given, len(r.top))
        table.append((r.commitment.label, str(r.passages), str(r.found), _fmt(p),
                      _fmt(_ratio(r.found, r.passages))))
    _print_table(header, table)
    print()
    t = totals(results, truth)
    print("Totals")
    print(f"  commitments evaluated (a pair reports on them): {t['commitments_evaluated']}"
          f" of {len(results)}")
    print(f"  precision@3: {_fmt(t['precision_at_3'])} ({t['relevant_suggestions']} relevant"
          f" of {t['suggestions_given']} suggestions; macro {_fmt(t['precision_at_3_macro'])};"
          f" ceiling {_fmt(t['precision_at_3_ceiling'])})")
    print(f"  recall@3:    {_fmt(t['recall_at_3'])} ({t['relevant_passages_in_top3']} of"
          f" {t['relevant_passages']} relevant passages; macro {_fmt(t['recall_at_3_macro'])};"
          f" ceiling {_fmt(t['recall_at_3_ceiling'])})")
    print(f"  hit@3:       {_fmt(t['hit_at_3'])}")
    print(f"  false-positive rate on negatives: {_fmt(t['false_positive_rate'])}"
          f" ({t['negatives_in_a_top3']} of {t['negative_paragraphs']} negative paragraphs"
          f" in some top 3)")
    print(f"  suggestions for the {t['commitments_without_truth']} commitments no letter"
          f" reports on: {t['suggestions_for_commitments_without_truth']}")
    print()
    print_failures(results, truth, names)


def _id_of(names: dict[int, str], name: str) -> int:
    return next(i for i, n in names.items() if n == name)


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    print("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _print_top(r: CommitmentResult, names: dict[int, str]) -> None:
    if not r.top:
        print("      ranked instead: nothing (no candidate scored)")
    for i, s in enumerate(r.top, start=1):
        mark = "relevant" if s.relevant else ("NEGATIVE" if s.negative else "irrelevant")
        print(f"      {i}. {s.score:7.3f} {mark:10} {names[s.letter_id]} "
              f"{s.start}-{s.end}: {s.text}")
        if s.why:
            print(f"         ({s.why})")


def print_failures(results: list[CommitmentResult], truth: Truth, names: dict[int, str]) -> None:
    print("Failing cases: relevant passages not in the top 3")
    any_failure = False
    for r in results:
        missed = [e for e in r.expected if e.rank is None or e.rank > K]
        if not missed:
            continue
        any_failure = True
        print(f"  {r.commitment.label}: {r.commitment.title[:70]}")
        idle = f": {', '.join(r.idle)}" if r.idle else ""
        print(f"    index query: its {len(r.query)} rarest words (and its terms and country"
              f" names); {len(r.idle)} of those words are in no other letter{idle}")
        for e in missed:
            print(f"    expected: {e.quote.letter}: \"{e.quote.quote[:100]}\"")
            print(f"      {e.reason}")
        _print_top(r, names)
    if not any_failure:
        print("  none")
    print()
    print("Negative paragraphs in a top 3")
    negatives = {(q.passage.letter_id, q.passage.start, q.passage.end): q
                 for q in truth.negatives}
    shown = False
    for r in results:
        for i, s in enumerate(r.top, start=1):
            q = negatives.get((s.letter_id, s.start, s.end))
            if q is not None:
                shown = True
                print(f"  {r.commitment.label} #{i} ({s.score:g}): {q.letter}: "
                      f"\"{q.quote[:80]}\" ({s.why})")
    if not shown:
        print("  none")
    print()
    print("Commitments no letter reports on: what the finder suggests (irrelevant by the truth)")
    for r in results:
        if r.expected:
            continue
        print(f"  {r.commitment.label}: {r.commitment.title[:70]}")
        _print_top(r, names)
    if all(r.expected for r in results):
        print("  none")


def to_json(results: list[CommitmentResult], truth: Truth, names: dict[int, str]
            ) -> dict[str, Any]:
    return {
        "k": K,
        "totals": totals(results, truth),
        "letters": per_letter(results, truth, names),
        "commitments": [{
            "commitment": r.commitment.label, "title": r.commitment.title,
            "relevant_passages": r.passages, "found_in_top3": r.found,
            "top": [{"letter": names[s.letter_id], "start": s.start, "end": s.end,
                     "score": s.score, "relevant": s.relevant, "negative": s.negative,
                     "why": s.why, "text": s.text} for s in r.top],
            "expected": [{"letter": e.quote.letter, "quote": e.quote.quote, "rank": e.rank,
                          "score": e.score, "reason": e.reason} for e in r.expected],
            "query_words": r.query, "query_words_in_no_other_letter": r.idle,
        } for r in results],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--verbose", action="store_true", help="also print each import")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the store in DIR and keep it (DIR/store.sqlite3)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="follow-up-quality-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / "store.sqlite3").exists():
            print(f"{folder / 'store.sqlite3'} exists; give an empty folder", file=sys.stderr)
            return 2
        try:
            services, ids, messages = build_store(folder)
        except CorpusError as exc:
            print(f"corpus error: {exc}", file=sys.stderr)
            return 1
        try:
            document = json.loads(PAIRS.read_text(encoding="utf-8"))
            with services.store.read() as db:
                commitments = series_commitments(db, document["series"], ids)
                truth = read_truth(db, document, ids, commitments)
                dates = {row["id"]: row["date"]
                         for row in db.execute("SELECT id, date FROM letter")}
            names = {i: n for n, i in ids.items()}
            results = evaluate(services, commitments, truth)
        except CorpusError as exc:
            print(f"truth error: {exc}", file=sys.stderr)
            return 1
        finally:
            services.close()
    seconds = time.perf_counter() - began
    if args.json:
        print(json.dumps(to_json(results, truth, names), indent=2, ensure_ascii=False))
    else:
        if args.verbose:
            print("\n".join(messages), end="\n\n")
        print_report(results, truth, names, dates, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
