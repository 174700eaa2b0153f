"""Extraction benchmark: what the app reads out of the corpus letters, against the truth.

Every letter of ``tests/corpus/letters`` (``*.txt``, ``*.md``) and every
rendering of the seed letters (``tests/corpus/render_seed.py``, written to a
temporary folder: plain text, .docx, .pdf) is imported through the real
services (``LetterService.import_file``, as ``briefing-app import FILE`` does)
into a fresh empty store of its own (a copy of one empty, migrated store, so
no letter sees another's people). The letter is then read back as
``show letters ID`` reads it, and its commitments as ``list commitments
--letter ID`` prints them; while that command does not exist yet, the
measures and action points of the letter (``list measures``, ``list
action-points``) stand in for them, and the output says so.

Scoring, per field: TP (read and right), FP (read but wrong or not in the
truth), FN (in the truth but not read, or read wrong); precision =
TP/(TP+FP), recall = TP/(TP+FN). A wrong value is both an FP and an FN.

Matching rules:

- **folding**: text is compared after NFKD folding, accents dropped,
  casefolded, emphasis marks (``*``) removed, white space collapsed and
  trailing ``,;:.`` stripped.
- **date**, **due_date**: ISO dates, equal.
- **place**, **salutation**, **deadline**: folded, equal.
- **reference**: folded with all white space removed; equal, or one contains
  the other ("HOME.C/MK/ae Ares(2024)123456" holds "Ares(2024)123456").
- **subject**, commitment **titles**: loose: the first 40 characters of each,
  folded, punctuation dropped and a leading list marker ("1)", "(a)", "iv.",
  "-", "•") removed, are equal, or the shorter (at least 8 characters) is a
  prefix of the longer.
- **people names**: honorifics (Mr, Ms, Mrs, Dr, H.E., Frau, Herr, Monsieur,
  Madame…) dropped, folded, punctuation dropped; equal, or the same last name
  with every other word of one an initial or the whole word of the other
  ("D. TUSK" = "Donald Tusk"). *people names* scores the distinct persons,
  *people roles* the (person, role) pairs.
- **people titles**: folded, a leading article ("the", "der", "le"…) dropped,
  equal, or the found title is the true one followed by a comma and more
  lines of the block ("Federal Minister of the Interior, Republic of
  Austria"); scored on the (person, role) pairs: a title of a pair the app did not
  find is an FN, a title on a pair the truth does not have an FP.
- **people countries**: the ISO code of the Member State; the app's country
  name ("Austria") is mapped to its code. Scored like titles.
- **commitments**: truth and found items are paired in reading order by
  title (each truth item takes the first unused found item whose title
  matches). *commitments* scores the pairing; *commitments count* counts
  letters: TP where the app found exactly as many as the truth has, FP where
  it found more, FN where it found fewer.
- **number**: scored only where the truth has one (the app numbers every
  action point; a bullet's position is not a written number).
- **section**, **deadline**, **due_date**: scored on paired items; a value
  of an unpaired item counts as FP (found) or FN (truth).
- **countries** of commitments: per paired item, codes in both are TP, codes
  only found FP, codes only in the truth FN; an unpaired item's codes are all
  FP or FN.

Usage::

    python bench/extraction.py [--verbose] [--json] [--letters GLOB]

``--verbose`` adds a table per letter; ``--json`` prints one JSON document
instead of the tables; ``--letters`` keeps only the letters whose file name
matches the glob (``'seed-004*'``).
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CORPUS = REPO / "tests" / "corpus"
LETTERS = CORPUS / "letters"

FIELDS = (
    "date", "place", "reference", "subject", "salutation",
    "people names", "people roles", "people titles", "people countries",
    "commitments", "commitments count", "commitment number", "commitment section",
    "commitment deadline", "commitment due_date", "commitment countries",
)

XDG = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")

#: Member States by the names the app may give them (and a few it might read).
MEMBER_STATES = {
    "austria": "AT", "belgium": "BE", "bulgaria": "BG", "croatia": "HR", "cyprus": "CY",
    "czech republic": "CZ", "czechia": "CZ", "denmark": "DK", "estonia": "EE",
    "finland": "FI", "france": "FR", "germany": "DE", "greece": "GR",
    "hellenic republic": "GR", "hungary": "HU", "ireland": "IE", "italy": "IT",
    "latvia": "LV", "lithuania": "LT", "luxembourg": "LU", "malta": "MT",
    "netherlands": "NL", "the netherlands": "NL", "poland": "PL", "portugal": "PT",
    "romania": "RO", "slovakia": "SK", "slovak republic": "SK", "slovenia": "SI",
    "spain": "ES", "sweden": "SE",
}

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "he", "h e", "sir", "dame", "frau",
              "herr", "monsieur", "madame", "mme", "m", "dott", "mag", "ing"}
ARTICLES = ("the ", "der ", "die ", "le ", "la ", "l'")
_MARKER = re.compile(r"^(?:\(?(?:\d+|[ivxlc]+|[a-z])[.)]|[-•–*])\s+", re.IGNORECASE)


# --------------------------------------------------------------------------- folding


def fold(value: str | None) -> str:
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value.replace("*", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(",;:. ").strip()


def _loose(value: str | None) -> str:
    text = fold(value)
    text = _MARKER.sub("", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip()


def loose_match(truth: str | None, found: str | None) -> bool:
    a, b = _loose(truth)[:40], _loose(found)[:40]
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 8 and long_.startswith(short)


def reference_match(truth: str | None, found: str | None) -> bool:
    a, b = re.sub(r"\s", "", fold(truth)), re.sub(r"\s", "", fold(found))
    return bool(a and b) and (a == b or a in b or b in a)


def title_key(value: str | None) -> str:
    text = fold(value)
    for article in ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    return text


def titles_match(truth: str | None, found: str | None) -> bool:
    """Equal, or the found title is the truth's followed by more lines of the block."""
    a, b = title_key(truth), title_key(found)
    return bool(a) and (a == b or b.startswith(a + ","))


def name_words(name: str) -> list[str]:
    words = re.sub(r"[^\w\s'-]", " ", fold(name).replace(".", " ")).split()
    while words and words[0].replace("'", "") in HONORIFICS:
        words = words[1:]
    return words


def names_match(a: str, b: str) -> bool:
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if wa[-1] != wb[-1] or len(wa) != len(wb):
        return False
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(wa[:-1], wb[:-1], strict=True))


def country_code(value: str | None) -> str | None:
    if not value:
        return None
    if re.fullmatch(r"[A-Z]{2}", value):
        return value
    return MEMBER_STATES.get(fold(value), value)


# --------------------------------------------------------------------------- scores


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def count(self, truth: Any, found: Any, same: bool) -> bool:
        """Score one value against its truth; True when it is a miss worth listing."""
        if truth is not None and found is not None and same:
            self.tp += 1
            return False
        if found is not None:
            self.fp += 1
        if truth is not None:
            self.fn += 1
        return truth is not None or found is not None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": _round(self.precision), "recall": _round(self.recall)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class LetterResult:
    file: str
    truth: str
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    misses: list[str] = field(default_factory=list)
    found: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str, truth: Any, found: Any, same: bool) -> None:
        """Score a single value (scalar fields and item attributes)."""
        if self.scores[name].count(truth, found, same):
            self.misses.append(f"{name}: truth {truth!r}, found {found!r}")


# --------------------------------------------------------------------------- reading


@dataclass
class Found:
    """What the app read from one letter."""

    letter: dict[str, Any] | None
    commitments: list[dict[str, Any]]
    error: str | None = None


def _cli_json(argv: list[str]) -> Any | None:
    """Run the command line in this process; its JSON, or None when it failed."""
    from briefing_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse on a usage error
            code = int(exc.code or 0)
    if code != 0:
        return None
    return json.loads(out.getvalue())


def commitments_command_available() -> bool:
    from briefing_app.cli import build_parser

    parser = build_parser()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            parser.parse_args(["list", "commitments", "--letter", "1", "--format", "json"])
        except (SystemExit, Exception):
            return False
    return True


def _commitment_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``list commitments`` in the shape compared here (ParsedCommitment's names)."""
    countries = row.get("countries") or []
    return {"series_title": row.get("series_title") or row.get("series"),
            "number": row.get("number"), "section": row.get("section"),
            "title": row.get("title") or row.get("text"), "deadline": row.get("deadline"),
            "due_date": row.get("due_date"),
            "countries": [c if isinstance(c, str) else c.get("iso") for c in countries]}


def read_commitments(services: Any, store: Path, letter_id: int,
                     use_command: bool) -> list[dict[str, Any]]:
    if use_command:
        rows = _cli_json(["--db", str(store), "list", "commitments", "--letter",
                          str(letter_id), "--format", "json"])
        if rows is not None:
            return [_commitment_row(r) for r in rows]
    items: list[dict[str, Any]] = []
    for measure in services.tracking.measures():
        if measure.letter_id == letter_id:
            items.append({"series_title": "measures", "number": measure.number,
                          "section": measure.section, "title": measure.text,
                          "deadline": measure.deadline,
                          "due_date": measure.due_date.isoformat() if measure.due_date else None,
                          "countries": list(measure.countries)})
    for point in services.tracking.action_points():
        if point.letter_id == letter_id:
            items.append({"series_title": "action points", "number": point.number,
                          "section": None, "title": point.title, "deadline": None,
                          "due_date": None, "countries": []})
    return items


def import_one(path: Path, template: Path, work: Path, use_command: bool) -> Found:
    from briefing_app.errors import UserError
    from briefing_app.services import Services
    from briefing_app.store.engine import Store

    store = work / f"{path.name}.sqlite3"
    shutil.copyfile(template, store)
    services = Services(Store(store, create=False, backup_dir=None))  # no daily backup
    try:
        try:
            result = services.letters.import_file(path)
        except UserError as exc:
            return Found(None, [], exc.message)
        if result.outcome != "imported" or result.letter_id is None:
            return Found(None, [], f"{result.outcome}: {result.message}")
        letter = services.letters.get(result.letter_id).to_dict()
        commitments = read_commitments(services, store, result.letter_id, use_command)
        return Found(letter, commitments)
    finally:
        services.close()


# --------------------------------------------------------------------------- comparing


def _iso(value: Any) -> str | None:
    return None if value in (None, "") else str(value)[:10]


def compare(file: str, truth_name: str, truth: dict[str, Any], found: Found) -> LetterResult:
    result = LetterResult(file, truth_name)
    letter = found.letter or {}
    if found.error:
        result.misses.append(f"import failed: {found.error}")
    result.found = {k: letter.get(k) for k in ("date", "place", "reference", "subject",
                                                "salutation")}
    t_date, f_date = truth.get("date"), _iso(letter.get("date"))
    result.value("date", t_date, f_date, t_date == f_date)
    for name in ("place", "salutation"):
        result.value(name, truth.get(name), letter.get(name) or None,
                     fold(truth.get(name)) == fold(letter.get(name)))
    result.value("reference", truth.get("reference"), letter.get("reference") or None,
                 reference_match(truth.get("reference"), letter.get("reference")))
    result.value("subject", truth.get("subject"), letter.get("subject") or None,
                 loose_match(truth.get("subject"), letter.get("subject")))
    _compare_people(result, truth.get("people", []), list(letter.get("roles", [])))
    _compare_commitments(result, truth.get("commitments", []), found.commitments)
    return result


def _compare_people(result: LetterResult, truth: list[dict[str, Any]],
                    roles: list[dict[str, Any]]) -> None:
    found = [{"name": r.get("name_as_written") or r.get("name") or "", "role": r.get("role"),
              "title": r.get("title"), "country": country_code(r.get("country")),
              "also": r.get("name") or ""} for r in roles]

    def same_person(t: dict[str, Any], f: dict[str, Any]) -> bool:
        return names_match(t["name"], f["name"]) or names_match(t["name"], f["also"])

    # distinct persons
    truth_names: list[str] = []
    for t in truth:
        if not any(names_match(t["name"], n) for n in truth_names):
            truth_names.append(t["name"])
    found_names: list[dict[str, Any]] = []
    for f in found:
        if not any(same_person({"name": g["name"]}, f) for g in found_names):
            found_names.append(f)
    names = result.scores["people names"]
    for name in truth_names:
        if any(same_person({"name": name}, f) for f in found_names):
            names.tp += 1
        else:
            names.fn += 1
            result.misses.append(f"person not found: {name}")
    for f in found_names:
        if not any(same_person({"name": n}, f) for n in truth_names):
            names.fp += 1
            result.misses.append(f"person not in the truth: {f['name']} ({f['role']})")

    # (person, role) pairs, and their titles and countries
    unused = list(found)
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    for t in truth:
        match = next((f for f in unused if f["role"] == t["role"] and same_person(t, f)), None)
        if match is not None:
            unused.remove(match)
        pairs.append((t, match))
    pairs.extend((None, f) for f in unused)
    roles_score = result.scores["people roles"]
    for t, f in pairs:
        if t is not None and f is not None:
            roles_score.tp += 1
        elif t is not None:
            roles_score.fn += 1
            others = [g["role"] for g in found if same_person(t, g)]
            result.misses.append(f"role: {t['name']} as {t['role']} not found"
                                 + (f" (found as {', '.join(map(str, others))})"
                                    if others else ""))
        elif f is not None:
            roles_score.fp += 1
        who = (t or f or {}).get("name")
        t_title = (t or {}).get("title")
        f_title = (f or {}).get("title") or None
        paired = t is not None and f is not None  # an unpaired one is already a miss
        _attribute(result, "people titles", who, t_title, f_title,
                   titles_match(t_title, f_title), report=paired)
        t_country, f_country = (t or {}).get("country"), (f or {}).get("country")
        _attribute(result, "people countries", who, t_country, f_country,
                   t_country == f_country, report=paired)


def _attribute(result: LetterResult, name: str, who: Any, truth: Any, found: Any,
               same: bool, *, report: bool = True) -> None:
    if result.scores[name].count(truth, found, same) and report:
        result.misses.append(f"{name}: {who}: truth {truth!r}, found {found!r}")


def _compare_commitments(result: LetterResult, truth: list[dict[str, Any]],
                         found: list[dict[str, Any]]) -> None:
    unused = list(range(len(found)))
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    for t in truth:
        index = next((i for i in unused if loose_match(t["title"], found[i].get("title"))),
                     None)
        if index is None:
            pairs.append((t, None))
            continue
        unused.remove(index)
        pairs.append((t, found[index]))
    pairs.extend((None, found[i]) for i in unused)

    count = result.scores["commitments count"]
    if truth or found:
        if len(truth) == len(found):
            count.tp += 1
        else:
            if len(found) > len(truth):
                count.fp += 1
            else:
                count.fn += 1
            result.misses.append(f"commitments count: truth {len(truth)}, found {len(found)}")
    items = result.scores["commitments"]
    for t, f in pairs:
        label = (f"{t.get('number') or ''} {t['title'][:40]!r}".strip() if t
                 else f"found {str((f or {}).get('title'))[:40]!r}")
        if t is not None and f is not None:
            items.tp += 1
        elif t is not None:
            items.fn += 1
            result.misses.append(f"commitment not found: {label}")
        else:
            items.fp += 1
            result.misses.append(f"commitment not in the truth: {label}")
        paired = bool(t and f)
        t, f = t or {}, f or {}
        if t.get("number") is not None:
            _attribute(result, "commitment number", label, t["number"], f.get("number"),
                       t["number"] == f.get("number"), report=paired)
        t_section, f_section = t.get("section"), f.get("section") or None
        _attribute(result, "commitment section", label, t_section, f_section,
                   t_section == f_section, report=paired)
        t_deadline, f_deadline = t.get("deadline"), f.get("deadline") or None
        _attribute(result, "commitment deadline", label, t_deadline, f_deadline,
                   fold(t_deadline) == fold(f_deadline), report=paired)
        t_due, f_due = t.get("due_date"), _iso(f.get("due_date"))
        _attribute(result, "commitment due_date", label, t_due, f_due, t_due == f_due,
                   report=paired)
        t_countries, f_countries = set(t.get("countries") or ()), set(f.get("countries") or ())
        score = result.scores["commitment countries"]
        score.tp += len(t_countries & f_countries)
        score.fp += len(f_countries - t_countries)
        score.fn += len(t_countries - f_countries)
        if paired and t_countries != f_countries:
            result.misses.append(
                f"commitment countries: {label}: missing {sorted(t_countries - f_countries)}, "
                f"extra {sorted(f_countries - t_countries)}")


# --------------------------------------------------------------------------- the corpus


def corpus_letters(rendered: Path) -> list[tuple[Path, str]]:
    """(letter file, truth file name) for every letter and every seed rendering."""
    sys.path.insert(0, str(CORPUS))
    try:
        import render_seed
    finally:
        sys.path.remove(str(CORPUS))
    letters = [(p, f"{p.stem}.truth.json") for p in sorted(LETTERS.iterdir())
               if p.suffix in (".txt", ".md")]
    letters += [(p, render_seed.truth_name(p.name)) for p in render_seed.render(rendered)]
    return letters


def run(pattern: str | None = None) -> dict[str, Any]:
    from briefing_app.services import Services
    from briefing_app.store.engine import Store

    started = time.perf_counter()
    # stores in memory-backed /dev/shm when there is one: the imports' fsyncs cost
    # nothing there (the figures are the same either way)
    shm = Path("/dev/shm")
    base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="extraction-bench-", dir=base) as tmp:
        work = Path(tmp)
        letters = corpus_letters(work / "rendered")
        if pattern:
            letters = [(p, t) for p, t in letters if fnmatch.fnmatch(p.name, pattern)]
        # the command line (list commitments) opens stores itself: its automatic
        # backups and logs go to a private user folder, not the user's
        saved = {k: os.environ.get(k) for k in XDG}
        os.environ.update({k: str(work / k.lower()) for k in XDG})
        template = work / "empty.sqlite3"
        Services(Store(template, backup_dir=None)).close()
        use_command = commitments_command_available()
        results: list[LetterResult] = []
        for path, truth_name in letters:
            truth = json.loads((LETTERS / truth_name).read_text(encoding="utf-8"))
            found = import_one(path, template, work, use_command)
            results.append(compare(path.name, truth_name, truth, found))
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    overall = {name: Score() for name in FIELDS}
    for result in results:
        for name, score in result.scores.items():
            overall[name].add(score)
    return {
        "commitments_source": ("list commitments --letter ID" if use_command else
                               "fallback: list measures + list action-points "
                               "(no 'list commitments' command yet)"),
        "letters": len(results),
        "seconds": round(time.perf_counter() - started, 2),
        "overall": {name: score.to_dict() for name, score in overall.items()},
        "per_letter": [{"file": r.file, "truth": r.truth,
                        "scores": {n: s.to_dict() for n, s in r.scores.items()},
                        "found": {k: (str(v) if v is not None else None)
                                  for k, v in r.found.items()},
                        "misses": r.misses} for r in results],
    }


# --------------------------------------------------------------------------- printing


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:5.1f}%"


def print_table(report: dict[str, Any], verbose: bool) -> None:
    print(f"Extraction benchmark: {report['letters']} letters in {report['seconds']} s")
    print(f"commitments read from: {report['commitments_source']}")
    print()
    header = f"{'field':<22} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8}"
    print(header)
    print("-" * len(header))
    for name, score in report["overall"].items():
        print(f"{name:<22} {score['tp']:>5} {score['fp']:>5} {score['fn']:>5} "
              f"{_pct(score['precision']):>10} {_pct(score['recall']):>8}")
    if verbose:
        short = {"date": "date", "place": "place", "reference": "ref", "subject": "subj",
                 "salutation": "salut", "people names": "names", "people roles": "roles",
                 "people titles": "titles", "people countries": "p.cty",
                 "commitments": "items", "commitments count": "count",
                 "commitment number": "num", "commitment section": "sect",
                 "commitment deadline": "dl", "commitment due_date": "due",
                 "commitment countries": "c.cty"}
        print()
        print("per letter: recall (precision) per field; '-' where neither has a value")
        for letter in report["per_letter"]:
            cells = []
            for name, label in short.items():
                s = letter["scores"][name]
                if s["recall"] is None and s["precision"] is None:
                    continue
                r = "-" if s["recall"] is None else f"{100 * s['recall']:.0f}"
                p = "-" if s["precision"] is None else f"{100 * s['precision']:.0f}"
                cells.append(f"{label} {r}({p})")
            print(f"  {letter['file']}")
            print(f"      {'  '.join(cells)}")
    print()
    print("misses:")
    for letter in report["per_letter"]:
        if not letter["misses"]:
            continue
        print(f"  {letter['file']} ({len(letter['misses'])})")
        for miss in letter["misses"]:
            print(f"    - {miss}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="a table per letter too")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--letters", metavar="GLOB", help="only the letters matching GLOB")
    args = parser.parse_args(argv)
    report = run(args.letters)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_table(report, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
