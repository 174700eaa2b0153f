"""Follow-ups on the bundled store: the finder's ranking, evidence, as-of dates, review."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from briefing_app.errors import InvalidInput
from briefing_app.services import Services, open_services
from briefing_app.services.seed import SeedService
from tests.helpers.cli import cli
from tests.helpers.store import sql_dump

#: The letter ids of the bundled store (the seed's load order).
MEASURES_LETTER, JOINT_LETTER, OCTOBER_2024 = 1, 4, 5

#: The passage of the 14 October 2024 letter that reports on each measure: its paragraph's
#: span in the letter and how it begins.
REPORTED_IN_OCTOBER_2024 = {
    6: (7145, 7692, "With the 2018 proposal left without agreement"),
    7: (13072, 13657, "We are already committed to review, by next year"),
    12: (3750, 4490, "In 2024 so far, irregular arrivals are down"),
    13: (11374, 11904, "One of the first tasks of the Commissioner for Internal Affairs"),
}


def _commitment_rows(services: Services) -> list[str]:
    return [line for line in sql_dump(services.store.path)
            if line.startswith('INSERT INTO "commitment"')]


def _measure_id(services: Services, number: int) -> int:
    return services.tracking.measure(number).id


@pytest.mark.parametrize("number", sorted(REPORTED_IN_OCTOBER_2024))
def test_the_top_three_suggestions_hold_the_october_2024_passage(services: Services,
                                                                 number: int) -> None:
    start, end, opening = REPORTED_IN_OCTOBER_2024[number]
    top = services.follow_ups.suggestions(_measure_id(services, number), limit=3)
    spans = [(c.letter_id, c.start, c.end) for c in top]
    assert (OCTOBER_2024, start, end) in spans
    with services.store.read() as db:
        text = db.execute("SELECT original_text FROM letter WHERE id = ?",
                          (OCTOBER_2024,)).fetchone()[0]
    assert text[start:end].lstrip("*").startswith(opening)


def test_the_best_suggestion_for_measure_12_names_tunisia_and_the_memorandum(
        services: Services) -> None:
    best = services.follow_ups.suggestions(_measure_id(services, 12), limit=1)[0]
    assert (best.letter_id, best.start, best.end) == (OCTOBER_2024, 3750, 4490)
    assert best.match.terms == ("anti-smuggling",)
    assert best.match.countries == ("EG", "MA", "TN")


def test_no_suggestion_comes_from_the_commitments_own_letter(services: Services) -> None:
    commitments = services.commitments.list()
    assert len(commitments) == 25
    for commitment in commitments:
        for candidate in services.follow_ups.suggestions(commitment.id, limit=10):
            assert candidate.letter_id != commitment.letter_id
        for follow_up in commitment.follow_ups:
            assert follow_up.letter_id != commitment.letter_id


def test_later_letters_rank_before_earlier_ones(services: Services) -> None:
    """No passage of a letter dated before the commitment's ranks above one of a letter
    dated after it (undated letters rank among the later ones, at a discount)."""
    checked = 0
    for commitment in services.commitments.list():
        own = services.letters.get(commitment.letter_id).date
        assert own is not None
        top = services.follow_ups.suggestions(commitment.id, limit=10)
        earlier = [c.letter_date is not None and c.letter_date <= own for c in top]
        assert earlier == sorted(earlier), commitment.id
        checked += any(earlier) and not all(earlier)
    assert checked >= 5  # the 10 points of action have both kinds of candidates
    top = services.follow_ups.suggestions(_measure_id(services, 7), limit=3)
    assert top[0].letter_id == OCTOBER_2024


def test_the_seed_ships_reviewed_follow_ups_with_their_statuses(services: Services) -> None:
    accepted = services.follow_ups.list(state="accepted")
    assert [(f.item_label, f.letter_id, f.letter_date, f.origin) for f in accepted] == [
        ("Measure 6", OCTOBER_2024, date(2024, 10, 14), "seed"),
        ("Measure 7", OCTOBER_2024, date(2024, 10, 14), "seed"),
        ("Measure 7", JOINT_LETTER, None, "seed"),
        ("Measure 12", OCTOBER_2024, date(2024, 10, 14), "seed"),
        ("Measure 12", OCTOBER_2024, date(2024, 10, 14), "seed"),
        ("Measure 13", OCTOBER_2024, date(2024, 10, 14), "seed"),
    ]
    measure = services.tracking.measure(13)
    assert (measure.status, measure.rag) == ("in progress", "amber")
    assert measure.evidence.as_of == date(2024, 10, 14)
    assert measure.evidence.source is not None
    assert measure.evidence.source.text == (
        "as well as a strong legal framework to engage the responsibility of transport "
        "operators, for which a proposal by the Commission is still on the table awaiting "
        "agreement")
    assert not measure.evidence.no_source
    # a measure no later letter reports on keeps "no evidence", dated by its own letter
    untouched = services.tracking.measure(3)
    assert (untouched.status, untouched.evidence.as_of, untouched.evidence.source,
            untouched.evidence.no_source) == ("no evidence", date(2023, 1, 26), None, False)
    assert untouched.evidence.stale  # 15 Jan 2025 is more than nine months later
    assert not measure.evidence.stale


def test_show_measures_12_dates_it_by_its_evidence(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "show", "measures", "12", "--format", "json")
    assert result.code == 0, result.err
    document = result.json()
    assert document["as_of"] == "2024-10-14"
    states = [(f["letter_id"], f["start"], f["end"], f["state"]) for f in document["follow_ups"]]
    assert states[:2] == [(OCTOBER_2024, 3852, 4153, "accepted"),
                          (OCTOBER_2024, 4711, 4928, "accepted")]
    assert all(f["state"] == "suggested" for f in document["follow_ups"][2:])
    assert set(document["follow_ups"][0]) >= {"letter_id", "letter_date", "start", "end",
                                              "text", "score", "state"}


def test_no_as_of_is_later_than_the_items_newest_evidence_or_change(
        services: Services) -> None:
    services.tracking.set_status("measures", 3, "delayed", author="adviser")
    history = services.tracking.history()
    for measure in services.tracking.measures():
        accepted = [f.letter_date for f in measure.follow_ups
                    if f.state == "accepted" and f.letter_date]
        changed = [c.changed_at.date() for c in history
                   if c.item_label == f"Measure {measure.number}" and c.old_status is not None
                   and c.author != "seed"]
        if accepted or changed:
            assert measure.evidence.as_of == max(accepted + changed)
        else:
            assert measure.evidence.as_of == date(2023, 1, 26)
    for country in services.tracking.countries():
        assert country.evidence.as_of is None or country.evidence.as_of <= date(2024, 10, 14)


def test_a_status_set_without_evidence_has_no_source(services: Services) -> None:
    services.tracking.set_status("measures", 3, "delayed", author="adviser")
    measure = services.tracking.measure(3)
    assert measure.evidence.no_source
    assert measure.evidence.source is None
    assert measure.evidence.as_of == measure.last_changed.date()  # type: ignore[union-attr]


def test_accepting_with_a_status_then_undoing_restores_everything(services: Services) -> None:
    measure = services.tracking.measure(6)
    suggestion = next(f for f in measure.follow_ups if f.state == "suggested")
    before = _commitment_rows(services)
    [review] = services.follow_ups.accept([suggestion.id], status="delayed", note="checked",
                                         author="adviser")
    after = services.tracking.measure(6)
    assert (after.status, after.rag) == ("delayed", "red")
    assert after.evidence.source is not None and after.evidence.source.id == suggestion.id
    assert after.evidence.as_of == suggestion.letter_date
    change = services.tracking.history("measures", 6)[-1]
    assert change.source.startswith(f"follow-up {suggestion.id}: letter {suggestion.letter_id}")
    assert change.id == review.status_change_id
    services.follow_ups.undo(review.id, author="adviser")
    undone = services.tracking.measure(6)
    assert (undone.status, undone.rag) == (measure.status, measure.rag)
    assert undone.evidence == measure.evidence
    assert services.follow_ups.get(suggestion.id).state == "suggested"
    assert _commitment_rows(services) == before
    actions = [(r.action, r.old_state, r.new_state) for r in
               services.follow_ups.reviews(suggestion.id)]
    assert actions == [("accept", "suggested", "accepted"), ("undo", "accepted", "suggested")]


def test_a_dismissed_passage_is_not_suggested_again(services: Services) -> None:
    measure_id = _measure_id(services, 12)
    suggestion = services.follow_ups.list(commitment_id=measure_id, state="suggested")[0]
    services.follow_ups.dismiss([suggestion.id], author="adviser")
    services.follow_ups.find(commitment_ids=[measure_id])
    states = [(f.id, f.state) for f in services.follow_ups.list(commitment_id=measure_id)
              if (f.letter_id, f.start) == (suggestion.letter_id, suggestion.start)]
    assert states == [(suggestion.id, "dismissed")]


def test_reviewing_twice_is_refused_and_changes_nothing(services: Services) -> None:
    accepted = services.follow_ups.list(state="accepted")[0]
    before = sql_dump(services.store.path)
    with pytest.raises(InvalidInput, match=f"follow-up {accepted.id} is already accepted"):
        services.follow_ups.accept([accepted.id])
    assert sql_dump(services.store.path) == before


def test_importing_a_later_letter_suggests_it_for_the_commitment_it_reports_on(
        services: Services, tmp_path: Path) -> None:
    letter = tmp_path / "progress.txt"
    letter.write_text(
        "EUROPEAN COMMISSION\n\nBrussels, 3 March 2025\n\nDear Ministers,\n\n"
        "Since my last letter, carriers and other transport operators have been reached "
        "through targeted outreach, and the toolbox of measures so that transport operators "
        "do not facilitate irregular migration was completed with the Member States.\n\n"
        "I look forward to our next meeting.\n\nYours sincerely,\n\nMagnus Brunner\n",
        encoding="utf-8")
    [result] = services.letters.import_files([letter])
    assert result.outcome == "imported", result.message
    assert "follow-up" in result.message
    measure = services.tracking.measure(13)
    found = [f for f in measure.follow_ups if f.letter_id == result.letter_id]
    assert [(f.state, f.letter_date) for f in found] == [("suggested", date(2025, 3, 3))]
    assert found[0].text.startswith("Since my last letter, carriers")


def test_list_and_review_follow_ups_on_the_command_line(seeded_path: Path) -> None:
    listed = cli("--db", seeded_path, "list", "follow-ups", "--item", "measures:13",
                 "--state", "suggested", "--format", "json")
    assert listed.code == 0, listed.err
    first = listed.json()[0]
    assert first["item_label"] == "Measure 13" and first["state"] == "suggested"
    accepted = cli("--db", seeded_path, "follow-up", "accept", str(first["id"]),
                   "--status", "delayed", "--format", "json")
    assert accepted.code == 0, accepted.err
    [review] = accepted.json()["reviews"]
    assert (review["action"], review["new_state"]) == ("accept", "accepted")
    shown = cli("--db", seeded_path, "show", "measures", "13", "--format", "json").json()
    assert shown["status"] == "delayed"
    assert shown["as_of"] == first["letter_date"] or shown["as_of"] == "2024-10-14"
    undone = cli("--db", seeded_path, "follow-up", "undo", str(review["id"]))
    assert undone.code == 0, undone.err
    assert cli("--db", seeded_path, "show", "measures", "13",
               "--format", "json").json()["status"] == "in progress"
    wrong = cli("--db", seeded_path, "list", "follow-ups", "--item", "measures")
    assert wrong.code != 0
    assert "give KIND:ID" in wrong.err
    misplaced = cli("--db", seeded_path, "list", "letters", "--item", "measures:3")
    assert "--item: only 'list follow-ups' takes it" in misplaced.err


def test_a_seed_quote_that_is_not_verbatim_fails_the_load(empty_path: Path,
                                                          tmp_path: Path) -> None:
    from briefing_app import paths

    folder = tmp_path / "seed"
    shutil.copytree(paths.seed_dir(), folder)
    document = json.loads((folder / "follow_ups.json").read_text(encoding="utf-8"))
    document["follow_ups"][0]["quote"] += " (paraphrased)"
    (folder / "follow_ups.json").write_text(json.dumps(document), encoding="utf-8")
    services = open_services(empty_path, create=False)
    try:
        before = sql_dump(empty_path)
        with pytest.raises(InvalidInput, match=re.escape(
                "follow_ups.json entry 1: quote not found verbatim in "
                "003_690175d95a8f5997.txt")):
            SeedService(services.store, folder).load()
        assert sql_dump(empty_path) == before
    finally:
        services.close()


def test_the_stale_threshold_is_a_setting(seeded_path: Path) -> None:
    from briefing_app.services.preferences import TrackingPreferences, save_preferences

    def stale_on_1_june_2025() -> bool:
        opened = open_services(seeded_path, create=False, today=date(2025, 6, 1))
        try:
            return opened.tracking.measure(12).evidence.stale
        finally:
            opened.close()

    assert stale_on_1_june_2025() is False  # as of 14 Oct 2024: not yet nine months
    save_preferences(TrackingPreferences(stale_after_months=6))
    assert stale_on_1_june_2025() is True


def test_an_exported_list_dates_and_sources_each_status(services: Services,
                                                        tmp_path: Path) -> None:
    import csv

    out = tmp_path / "measures.csv"
    services.tables.export("measures", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["number"]: row for row in csv.DictReader(handle)}
    assert (rows["12"]["as_of"], rows["12"]["source"], rows["12"]["stale"]) == (
        "2024-10-14", "letter 5 (2024-10-14), characters 3852-4153", "no")
    assert (rows["3"]["as_of"], rows["3"]["source"], rows["3"]["stale"]) == (
        "2023-01-26", "", "yes")
    services.tracking.set_status("measures", 3, "delayed")
    services.tables.export("measures", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["number"]: row for row in csv.DictReader(handle)}
    assert rows["3"]["source"] == "no source"


def test_the_store_check_covers_the_follow_up_indexes(seeded_path: Path) -> None:
    import sqlite3

    db = sqlite3.connect(seeded_path)
    db.execute("INSERT INTO commitment_fts(commitment_fts, rowid, text) "
               "SELECT 'delete', id, text FROM commitment WHERE id = 12")
    db.commit()
    db.close()
    result = cli("--db", seeded_path, "check", "--format", "json")
    assert result.code == 1
    [index] = [c for c in result.json()["checks"] if c["name"] == "search-index"]
    assert index["ok"] is False
    assert any(p.startswith("commitment index: ") for p in index["problems"]), index


def test_show_in_words_dates_and_sources_the_status(seeded_path: Path) -> None:
    shown = cli("--db", seeded_path, "show", "measures", "12")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    # the command line runs on today's date: long past nine months after 14 Oct 2024
    assert "as of: 2024-10-14 (stale)" in lines
    assert any(line.startswith("source: follow-up 4, letter 5 (2024-10-14): “In large part")
               for line in lines)
    assert "  - 4 accepted · letter 5 (2024-10-14) · 3852-4153 · score " in shown.out
    cli("--db", seeded_path, "status", "set", "measures", "3", "delayed")
    three = cli("--db", seeded_path, "show", "measures", "3").out.splitlines()
    assert "source: no source (the status rests on no passage)" in three
