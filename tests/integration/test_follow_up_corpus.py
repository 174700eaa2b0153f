"""The follow-up evaluation set (tests/corpus/follow_ups) cannot rot: every quote of
pairs.json is verbatim in its letter and inside one paragraph of it once imported, every
commitment it names exists, and every letter imports without an error. The finder's
figures are the bench's business (bench/follow_up_quality.py); none is asserted here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefing_app.services import Services
from tests.helpers.corpus import REPO, open_store

FOLLOW_UPS = REPO / "tests" / "corpus" / "follow_ups"
LETTERS = FOLLOW_UPS / "letters"
PAIRS = FOLLOW_UPS / "pairs.json"
SEED = REPO / "db" / "seed"
#: The bundled series and how many commitments each has.
SERIES = {"measures": ("004_cf1bbf6e59ff8afe.txt", 15),
          "action-points": ("003_690175d95a8f5997.txt", 10)}
#: The letter the 15 operational measures come from is dated 26 January 2023.
FIRST_COMMITMENTS = date(2023, 1, 26)


def corpus_letters() -> list[Path]:
    return sorted(p for p in LETTERS.iterdir() if p.suffix in (".txt", ".md"))


def letter_path(name: str) -> Path:
    return LETTERS / name if (LETTERS / name).exists() else SEED / name


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PAIRS.read_text(encoding="utf-8"))
    return document


# --------------------------------------------------------------------------- the truth file


def test_pairs_json_follows_the_schema(truth: dict[str, Any]) -> None:
    assert set(truth) == {"about", "series", "pairs"}
    assert {key: file for key, (file, _) in SERIES.items()} == truth["series"]
    seen = set()
    for pair in truth["pairs"]:
        assert set(pair) <= {"letter", "quote", "reports_on", "note"}, pair
        assert {"letter", "quote", "reports_on"} <= set(pair), pair
        assert letter_path(pair["letter"]).is_file(), pair["letter"]
        assert pair["quote"].strip() == pair["quote"] and len(pair["quote"]) >= 12, pair
        assert (pair["letter"], pair["quote"]) not in seen, pair
        seen.add((pair["letter"], pair["quote"]))
        refs = [(ref["series"], ref["number"]) for ref in pair["reports_on"]]
        assert len(set(refs)) == len(refs), pair
        for ref in pair["reports_on"]:
            assert set(ref) == {"series", "number"}, pair
            assert ref["series"] in SERIES, pair
            assert 1 <= ref["number"] <= SERIES[ref["series"]][1], pair
            assert pair["letter"] != SERIES[ref["series"]][0], \
                f"a passage of the commitment's own letter: {pair}"


def test_every_quote_is_verbatim_and_once_in_its_letter(truth: dict[str, Any]) -> None:
    for pair in truth["pairs"]:
        text = letter_path(pair["letter"]).read_text(encoding="utf-8")
        assert text.count(pair["quote"]) == 1, (pair["letter"], pair["quote"])


def test_every_corpus_letter_is_in_the_truth_and_the_readme(truth: dict[str, Any]) -> None:
    letters = corpus_letters()
    assert 6 <= len(letters) <= 8
    named = {pair["letter"] for pair in truth["pairs"]}
    readme = (FOLLOW_UPS / "README.md").read_text(encoding="utf-8")
    for letter in letters:
        assert letter.name in named, f"{letter.name}: no pair in pairs.json"
        assert f"`{letter.name}`" in readme, f"{letter.name}: not in README.md"
    distractors = [letter.name for letter in letters
                   if all(not p["reports_on"] for p in truth["pairs"]
                          if p["letter"] == letter.name)]
    assert len(distractors) >= 2, distractors


# --------------------------------------------------------------------------- the import


@dataclass(frozen=True)
class Imported:
    services: Services
    ids: dict[str, int]  # letter id by file name (seed and corpus)


@pytest.fixture(scope="module")
def imported(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Imported]:
    path = tmp_path_factory.mktemp("follow-up-corpus") / "store.sqlite3"
    shutil.copyfile(seeded_template, path)
    services = open_store(path)
    try:
        for letter in corpus_letters():
            result = services.letters.import_file(letter)  # runs the finder too
            assert result.outcome == "imported", (letter.name, result.message)
            assert result.letter_id is not None, letter.name
        with services.store.read() as db:
            ids = {row["source_name"]: row["id"]
                   for row in db.execute("SELECT id, source_name FROM letter")}
        yield Imported(services, ids)
    finally:
        services.close()


def test_every_letter_imports_and_its_date_is_read(imported: Imported) -> None:
    """The finder ranks later letters first, so a date the parser missed would change what
    the bench measures: every corpus letter is read as dated after the measures' letter."""
    for letter in corpus_letters():
        detail = imported.services.letters.get(imported.ids[letter.name])
        assert detail.date is not None and detail.date > FIRST_COMMITMENTS, letter.name


def test_every_quote_lies_inside_one_paragraph(imported: Imported, truth: dict[str, Any]) -> None:
    with imported.services.store.read() as db:
        for pair in truth["pairs"]:
            letter_id = imported.ids[pair["letter"]]
            text = db.execute("SELECT original_text FROM letter WHERE id = ?",
                              (letter_id,)).fetchone()[0]
            assert text == letter_path(pair["letter"]).read_text(encoding="utf-8")
            start = text.index(pair["quote"])
            end = start + len(pair["quote"])
            rows = db.execute('SELECT id FROM paragraph WHERE letter_id = ? AND start <= ? '
                              'AND "end" >= ?', (letter_id, start, end)).fetchall()
            assert len(rows) == 1, (pair["letter"], pair["quote"])


def test_every_commitment_named_is_in_the_store(imported: Imported) -> None:
    with imported.services.store.read() as db:
        for key, (file, count) in SERIES.items():
            numbers = [row[0] for row in db.execute(
                "SELECT c.number FROM commitment c JOIN commitmentseries s "
                "ON s.id = c.series_id WHERE s.key = ? AND c.letter_id = ? "
                "ORDER BY c.number", (key, imported.ids[file]))]
            assert numbers == list(range(1, count + 1)), key


def test_the_bench_runs() -> None:
    result = subprocess.run([sys.executable, "bench/follow_up_quality.py", "--json"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    totals = json.loads(result.stdout)["totals"]
    assert totals["commitments_evaluated"] > 0
    for name in ("precision_at_3", "recall_at_3", "hit_at_3", "false_positive_rate"):
        assert totals[name] is None or 0.0 <= totals[name] <= 1.0, name
