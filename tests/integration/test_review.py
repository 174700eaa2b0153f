"""Reviewing commitments: accept, reject, edit, merge, split, each undone exactly."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from briefing_app.errors import InvalidInput, NotFound
from briefing_app.services import Services
from tests.helpers.cli import cli

SEED = Path(__file__).resolve().parents[2] / "db" / "seed"


def _rows(path: Path) -> list[tuple[object, ...]]:
    """Every row review can touch: the commitments, their links and their citations."""
    with sqlite3.connect(path) as db:
        return [*db.execute("SELECT * FROM commitment ORDER BY id"),
                *db.execute("SELECT * FROM commitmentcountry ORDER BY 1, 2"),
                *db.execute("SELECT * FROM citation WHERE item_kind = 'commitment' "
                            "ORDER BY id")]


def _statuses(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT * FROM statuschange ORDER BY id"))


def test_the_seed_is_accepted_in_its_two_series(services: Services) -> None:
    assert [(s["key"], s["title"], s["letter_id"], s["size"], s["accepted"])
            for s in services.commitments.series()] == [
        ("measures", "Operational measures", 1, 15, 15),
        ("action-points", "Points of action", 5, 10, 10)]
    assert {c.state for c in services.commitments.list()} == {"accepted"}


def test_accept_reject_and_their_undo(services: Services) -> None:
    path = services.store.path
    before, history = _rows(path), _statuses(path)
    rejected = services.review.reject([18, "12"], author="reviewer")
    assert (rejected.action, rejected.commitment_ids, rejected.removed_ids) == \
        ("reject", (12, 18), ())
    assert [c.state for c in services.commitments.list() if c.id in (12, 18)] == \
        ["rejected", "rejected"]
    with pytest.raises(InvalidInput, match=r"^commitment 12 is rejected: accept it before "
                                           r"tracking it$"):
        services.tracking.set_status("measures", 12, "done")
    services.review.undo(rejected.id, author="reviewer")
    assert _rows(path) == before
    assert _statuses(path) == history
    assert services.tracking.set_status("measures", 12, "done").new_status == "done"


def test_a_deadline_is_read_against_the_letters_date() -> None:
    from datetime import date

    from briefing_app.services.review import due_date_of

    assert due_date_of("by mid-2025", None) == date(2025, 6, 30)
    assert due_date_of("by 30 June 2025", None) == date(2025, 6, 30)
    assert due_date_of("by the end of the year", date(2023, 1, 26)) == date(2023, 12, 31)
    assert due_date_of("by the end of the year", None) is None
    assert due_date_of("as soon as possible", date(2023, 1, 26)) is None


def test_edit_rereads_the_deadline_and_relinks_countries(services: Services) -> None:
    path = services.store.path
    before = _rows(path)
    review = services.review.edit(5, title=" Pilot  scheme ", number=50,
                                  deadline="by the end of 2026", countries="tn, MA")
    edited = services.commitments.get(5)
    assert (edited.title, edited.number, edited.deadline, edited.due_date.isoformat(),
            edited.countries) == ("Pilot scheme", 50, "by the end of 2026", "2026-12-31",
                                  ("MA", "TN"))
    assert 50 in {m.number for m in services.tracking.measures()}
    services.review.undo(review.id)
    assert _rows(path) == before
    services.review.edit(5, deadline="by the end of the year")  # letter 1: 26 January 2023
    assert services.commitments.get(5).due_date.isoformat() == "2023-12-31"
    services.review.edit(5, deadline="")
    assert (services.commitments.get(5).deadline, services.commitments.get(5).due_date) == \
        (None, None)


@pytest.mark.parametrize(("changes", "message"), [
    ({"countries": "TN,Tunisia"}, "countries: 'Tunisia' is not an ISO 3166-1 alpha-2 code "
                                  "(e.g. TN)"),
    ({"number": "x"}, "number: 'x' is not a whole number"),
    ({"title": "  "}, "title: give the commitment a title"),
    ({}, "edit: nothing to change (give --title, --number, --deadline or --countries)"),
])
def test_bad_edits_change_nothing(services: Services, changes: dict[str, str],
                                  message: str) -> None:
    before = _rows(services.store.path)
    with pytest.raises(InvalidInput) as caught:
        services.review.edit(5, **changes)  # type: ignore[arg-type]
    assert caught.value.message == message
    assert _rows(services.store.path) == before


def test_merge_joins_texts_and_its_undo_restores_every_row(services: Services) -> None:
    path = services.store.path
    before = _rows(path)
    one, two = services.commitments.get(1), services.commitments.get(2)
    merged = services.review.merge([2, 1])
    assert (merged.commitment_ids, merged.removed_ids) == ((1,), (2,))
    kept = services.commitments.get(1)
    assert kept.text == one.text + "\n" + two.text
    assert (kept.start, kept.end) == (one.start, two.end)
    assert kept.countries == tuple(sorted(set(one.countries) | set(two.countries)))
    assert [m.number for m in services.tracking.measures()][:2] == [1, 3]
    with pytest.raises(NotFound, match=r"^commitment 2: not in the store$"):
        services.commitments.get(2)
    with pytest.raises(InvalidInput, match="not all of one series of one letter"):
        services.review.merge([1, 18])
    services.review.undo(merged.id)
    assert _rows(path) == before


def test_split_makes_a_second_commitment_after_the_first(services: Services) -> None:
    path = services.store.path
    before = _rows(path)
    original = services.commitments.get(3)
    offset = original.text.index(" through ") + 1
    split = services.review.split(3, offset)
    first, [second] = services.commitments.get(3), [
        c for c in services.commitments.list(series="measures") if c.id not in range(1, 16)]
    assert (first.text, second.text) == (original.text[:offset].rstrip(),
                                         original.text[offset:])
    letter_text = services.letters.get(1).text
    assert letter_text[second.start:].startswith(second.text[:40])
    assert (first.start, first.end, second.end, second.position, second.number) == (
        original.start, second.start, original.end, 4, None)
    assert [c.position for c in services.commitments.list(series="measures")] == \
        list(range(1, 17))
    with pytest.raises(InvalidInput, match=r"^offset: 0 does not split the text"):
        services.review.split(3, 0)
    undone = services.review.undo(split.id)
    assert _rows(path) == before
    with pytest.raises(InvalidInput, match=rf"^review {split.id}: its commitments changed "
                                           "since; undo the later changes first$"):
        services.review.undo(split.id)
    services.review.undo(undone.id)  # redo
    assert len(services.commitments.list(series="measures")) == 16


def test_an_imported_letter_is_proposed_under_a_free_key(seeded_path: Path,
                                                         tmp_path: Path) -> None:
    # the seed's two letters with commitments, as new files: their series keys are taken
    files = []
    for name in ("003_690175d95a8f5997.txt", "004_cf1bbf6e59ff8afe.txt"):
        copy = tmp_path / name
        copy.write_text((SEED / name).read_text(encoding="utf-8") + "\nCopy.\n",
                        encoding="utf-8")
        files.append(copy)
    imported = cli("--db", seeded_path, "import", *files, "--format", "json").json()
    assert [list(r) for r in imported] == [["file", "outcome", "letter_id", "title",
                                            "message"]] * 2
    # the finder's count is its own affair: the message says what was read, then how many
    assert [(r["letter_id"], re.sub(r", \d+ follow-ups suggested$", "", r["message"]))
            for r in imported] == [
        (6, "2 people named, 10 action points"), (7, "2 people named, 15 operational measures")]
    assert all(re.search(r", \d+ follow-ups suggested$", r["message"]) for r in imported)
    rows = cli("--db", seeded_path, "list", "commitments", "--letter", "6",
               "--format", "json").json()
    assert [(r["id"], r["series"], r["series_title"], r["number"], r["state"])
            for r in rows] == [(25 + n, "action-points-6", "Points of action", n, "proposed")
                               for n in range(1, 11)]
    proposed = cli("--db", seeded_path, "list", "commitments", "--state", "proposed",
                   "--format", "json").json()
    assert [r["series"] for r in proposed] == ["action-points-6"] * 10 + ["measures-7"] * 15
    assert cli("--db", seeded_path, "list", "commitments", "--series", "measures-7",
               "--format", "json").json() == proposed[10:]
    # the measures and action points views read their own series only
    assert len(cli("--db", seeded_path, "list", "measures", "--format", "json").json()) == 15
    refused = cli("--db", seeded_path, "status", "set", "commitments", "31", "done")
    assert (refused.code, refused.out, refused.err) == (
        1, "", "briefing-app: commitment 31 is proposed: accept it before tracking it\n")
    accepted = cli("--db", seeded_path, "commitment", "accept", "31", "32")
    assert (accepted.code, accepted.out) == (
        0, "accept: commitments 31, 32 (recorded as review 1)\n")
    done = cli("--db", seeded_path, "status", "set", "commitments", "31", "done",
               "--format", "json").json()
    assert (done["item_kind"], done["item_label"], done["new_status"]) == (
        "commitment", "Commitment 31", "done")


def test_the_cli_lists_commitments_with_the_contract_keys(seeded_path: Path) -> None:
    rows = cli("--db", seeded_path, "list", "commitments", "--series", "measures",
               "--format", "json").json()
    eight = rows[7]
    assert {k: eight[k] for k in ("id", "series", "series_title", "number", "section",
                                  "deadline", "due_date", "actors", "letter_id", "state",
                                  "status", "rag")} == {
        "id": 8, "series": "measures", "series_title": "Operational measures", "number": 8,
        "section": "III", "deadline": "by mid-2023", "due_date": "2023-06-30",
        "actors": ["Commission", "Member States", "EU Asylum Agency"], "letter_id": 1,
        "state": "accepted",
        "status": "no evidence", "rag": "grey"}
    assert {"title", "text", "countries", "start", "end"} <= set(eight)
    twelve = rows[11]
    assert twelve["countries"] == ["EG", "MA", "MR", "NE", "SN", "TN"]
    letter = cli("--db", seeded_path, "show", "letters", "5", "--format", "json").json()
    assert {"date", "place", "reference", "salutation", "subject", "roles"} <= set(letter)
    assert [(c["series"], c["number"]) for c in letter["commitments"]] == [
        ("action-points", n) for n in range(1, 11)]
    csv_rows = cli("--db", seeded_path, "list", "commitments", "--format", "csv").out
    assert csv_rows.splitlines()[0] == ("id,series,number,section,letter_id,state,status,"
                                        "due_date,countries,title")


@pytest.mark.parametrize(("args", "message"), [
    (("list", "commitments", "--state", "maybe"),
     "state: 'maybe' is not a review state (use one of: proposed, accepted, rejected)"),
    (("list", "commitments", "--letter", "99"), "letter 99: not in the store"),
    (("list", "measures", "--series", "measures"),
     "--series: only 'list commitments' takes it"),
    (("commitment", "accept", "999"), "commitment 999: not in the store"),
    (("commitment", "accept", "x"), "commitment 'x': give the id printed by 'list commitments'"),
    (("commitment", "edit", "5", "--countries", "TUN"),
     "countries: 'TUN' is not an ISO 3166-1 alpha-2 code (e.g. TN)"),
    (("commitment", "edit", "5", "--number", "five"), "number: 'five' is not a whole number"),
    (("commitment", "undo", "1"), "review 1: not in the store"),
])
def test_bad_ids_and_values_are_one_line_and_change_nothing(
        seeded_path: Path, args: tuple[str, ...], message: str) -> None:
    before = _rows(seeded_path)
    result = cli("--db", seeded_path, *args)
    assert (result.code, result.out, result.err) == (1, "", f"briefing-app: {message}\n")
    assert _rows(seeded_path) == before
