"""Acceptance: the app reads a letter the same whatever its format and layout.

Every rendering of the seed letters (plain hard-wrapped text, .docx, .pdf:
``tests/corpus/render_seed.py``) imported into an empty store must give what
the bundled seed gives: the 15 operational measures of letter 004 with their
sections, deadlines and due dates (measure 12 naming Tunisia, Egypt,
Mauritania and Senegal), the 10 action-point titles of letter 003, and the 15
signatories of the joint letter 002 with their titles and Member States. No
heading of any letter, rendering or corpus letter, becomes a person.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing_app.text import fold
from tests.helpers.corpus import (
    Imported,
    import_alone,
    load_truth,
    open_store,
    render_seed_module,
    stored_letters,
)

#: The renderings the acceptance checks read (the .md copies are the seed itself).
RENDERINGS = {
    "002": ("seed-002.txt", "seed-002-noblank.txt", "seed-002.docx", "seed-002.pdf"),
    "003": ("seed-003.txt", "seed-003.docx", "seed-003.pdf"),
    "004": ("seed-004.txt", "seed-004.docx", "seed-004.pdf"),
}
ALL_RENDERINGS = [name for number in ("000", "001") for name in
                  (f"seed-{number}.txt", f"seed-{number}.docx", f"seed-{number}.pdf")] + [
    name for names in RENDERINGS.values() for name in names]

#: Words that make a line a heading or an institution, never a person's name.
NOT_A_NAME = re.compile(r"(?i)\b(commission|council|parliament|directorate|ministry|ministère|"
                        r"bundesministerium|measures|letter|union|republic|république|"
                        r"affairs|president|points? of action|borders?)\b")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("read-any-letter")
    render_seed_module().render(folder / "rendered")
    return folder


_imported: dict[str, Imported] = {}


def imported(work: Path, name: str) -> Imported:
    """A rendering (or corpus letter) imported alone into an empty store, once."""
    if name not in _imported:
        rendered = work / "rendered" / name
        path = rendered if rendered.exists() else next(
            p for p in stored_letters() if p.name == name)
        _imported[name] = import_alone(path, work)
    return _imported[name]


@pytest.fixture(scope="module")
def bundled(seeded_template: Path) -> dict[str, Imported]:
    """The bundled seed as `briefing-app init` loads it, per seed file number."""
    services = open_store(seeded_template)
    try:
        letters = {summary.source_name[:3]: services.letters.get(summary.id)
                   for summary in services.letters.list()}
        measures = services.tracking.measures()
        points = services.tracking.action_points()
        return {number: Imported(letter, [m for m in measures if m.letter_id == letter.id],
                                 [a for a in points if a.letter_id == letter.id])
                for number, letter in letters.items()}
    finally:
        services.close()


def _measure_facts(found: Imported) -> list[tuple[int, str, str | None, object]]:
    return [(m.number, m.section, m.deadline, m.due_date)
            for m in sorted(found.measures, key=lambda m: m.number)]


@pytest.mark.parametrize("name", RENDERINGS["004"])
def test_the_15_measures_are_those_of_the_seed(work: Path, bundled: dict[str, Imported],
                                               name: str) -> None:
    found = imported(work, name)
    assert len(found.measures) == 15
    assert _measure_facts(found) == _measure_facts(bundled["004"])


@pytest.mark.parametrize("name", RENDERINGS["004"])
def test_measure_12_names_tunisia_egypt_mauritania_senegal(work: Path, name: str) -> None:
    found = imported(work, name)
    twelve = next(m for m in found.measures if m.number == 12)
    assert {"TN", "EG", "MR", "SN"} <= set(twelve.countries)


@pytest.mark.parametrize("name", RENDERINGS["003"])
def test_the_10_action_points_are_those_of_the_seed(work: Path, bundled: dict[str, Imported],
                                                    name: str) -> None:
    found = imported(work, name)
    titles = [a.title for a in sorted(found.action_points, key=lambda a: a.number)]
    expected = [a.title for a in sorted(bundled["003"].action_points, key=lambda a: a.number)]
    assert len(expected) == 10
    assert titles == expected


def _signatories(found: Imported) -> list[tuple[str, str | None, str | None]]:
    return [(fold(r.name_as_written), r.title, r.country)
            for r in found.letter.roles if r.role == "signatory"]


@pytest.mark.parametrize("name", RENDERINGS["002"])
def test_the_15_signatories_are_those_of_the_seed(work: Path, bundled: dict[str, Imported],
                                                  name: str) -> None:
    found = imported(work, name)
    expected = _signatories(bundled["002"])
    assert len(expected) == 15
    assert _signatories(found) == expected
    truth = load_truth("seed-002.truth.json")
    names = [fold(p["name"]) for p in truth["people"] if p["role"] == "signatory"]
    assert [n for n, _title, _country in _signatories(found)] == names


def _headings(text: str) -> set[str]:
    """Lines that stand alone as headings: in capitals, or marked as such."""
    found = set()
    for line in text.splitlines():
        bare = re.sub(r"^#+\s*|\*", "", line).strip()
        if bare and (line.lstrip().startswith("#") or (bare.upper() == bare
                                                        and re.search(r"[A-Z]{3}", bare))):
            found.add(fold(bare))
    return found


@pytest.mark.parametrize("name", ALL_RENDERINGS + [p.name for p in stored_letters()])
def test_no_heading_becomes_a_person(work: Path, name: str) -> None:
    found = imported(work, name)
    truth_file = (f"{name[:8]}.truth.json" if name.startswith("seed-")
                  else f"{Path(name).stem}.truth.json")
    people = {fold(p["name"]) for p in load_truth(truth_file)["people"]}
    headings = _headings(found.letter.text) - people
    for role in found.letter.roles:
        written = fold(role.name_as_written)
        assert written not in headings, f"{role.name_as_written!r} is a heading ({role.role})"
        if written not in people and "," not in role.name_as_written:
            # (a title glued to a name after a comma is another fault: the bench counts it)
            assert not NOT_A_NAME.search(role.name_as_written), (
                f"{role.name_as_written!r} ({role.role}) is an institution or a heading")
