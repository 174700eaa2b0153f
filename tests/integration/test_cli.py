"""The command-line contract (the README's command-line section), checked field by field."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.helpers.cli import cli, cli_process
from tests.unit.test_parser_letters import ACTION_POINTS_003


def test_list_letters_json(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "list", "letters", "--format", "json")
    assert result.code == 0 and result.err == ""
    letters = result.json()
    assert [(x["id"], x["date"], x["kind"], x["reference"]) for x in letters] == [
        (1, "2023-01-26", "commission letter", None),
        (2, "2024-03-15", "commissioner letter", "Ares (2024)2211517"),
        (5, "2024-10-14", "commission letter", None),
        (3, None, "DG letter", "HOME.C.3/ Article 4(1)(b)"),
        (4, None, "joint letter", None),
    ]
    assert letters[4]["title"] == ("Joint Letter from the undersigned Ministers on new solutions "
                                   "to address irregular migration to Europe")


def test_list_action_points_json(seeded_path: Path) -> None:
    points = cli("--db", seeded_path, "list", "action-points", "--format", "json").json()
    assert [(p["number"], p["title"]) for p in points] == list(enumerate(ACTION_POINTS_003, 1))
    assert points[2]["text"].startswith("The EU's migration policy can only be sustainable")
    assert {p["status"] for p in points} == {"no evidence"}


def test_list_measures_json(seeded_path: Path) -> None:
    measures = cli("--db", seeded_path, "list", "measures", "--format", "json").json()
    eight = measures[7]
    assert {k: eight[k] for k in ("number", "section", "section_title", "deadline",
                                  "due_date", "status")} == {
        "number": 8, "section": "III",
        "section_title": "Addressing secondary movements and ensuring effective solidarity",
        "deadline": "by mid-2023", "due_date": "2023-06-30", "status": "no evidence"}
    assert eight["text"].startswith("The EU Asylum Agency will develop an overview by mid-2023")


def test_list_people_json(seeded_path: Path) -> None:
    people = cli("--db", seeded_path, "list", "people", "--format", "json").json()
    by_name = {p["name"]: p for p in people}
    rakusan = by_name["Vít Rakušan"]
    assert (rakusan["honorific"], rakusan["country"]) == ("Mr", "Czechia")
    assert rakusan["roles"] == [{
        "letter_id": 4,
        "letter_title": ("Joint Letter from the undersigned Ministers on new solutions to "
                         "address irregular migration to Europe"),
        "role": "signatory",
        "title": "1st Deputy Prime Minister and Minister of the Interior of the Czech Republic",
        "name_as_written": "Vít Rakušan", "honorific": "Mr", "organisation": None,
        "start": 8011, "end": 8102,
    }]
    assert not any(p["name"].startswith(("Mr ", "Ms ", "Dr ")) for p in people)


def test_list_countries_json(seeded_path: Path) -> None:
    countries = cli("--db", seeded_path, "list", "countries", "--format", "json").json()
    by_iso = {c["iso"]: c for c in countries}
    assert len(countries) >= 20
    assert by_iso["TR"]["name"] == "Türkiye"
    assert by_iso["MR"]["routes"] == ["Western Mediterranean/Atlantic"]
    assert {"kind", "name", "state"} <= set(by_iso["MR"]["instruments"][0])


def test_show_measure_12_has_its_citation(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "show", "measures", "12", "--format", "json")
    measure = result.json()
    assert measure["countries"] == ["EG", "MA", "MR", "NE", "SN", "TN"]
    [citation] = measure["citations"]
    assert citation["letter_id"] == 1
    assert citation["quote"].startswith(
        "12. The Commission will launch new anti-smuggling partnerships with Tunisia and Egypt")
    # the seed's baseline, then the status its reviewed follow-up of 14 Oct 2024 supports
    assert [(h["new_status"], h["author"]) for h in measure["history"]] == [
        ("no evidence", "seed"), ("in progress", "seed")]
    assert measure["as_of"] == "2024-10-14"


def test_show_action_point_country_and_indicator_citations(seeded_path: Path) -> None:
    point = cli("--db", seeded_path, "show", "action-points", "5", "--format", "json").json()
    assert point["title"] == "Tackle people smuggling and human trafficking"
    assert point["citations"][0]["letter_id"] == 5
    assert point["citations"][0]["quote"].startswith(
        "- Tackle people smuggling and human trafficking On this, we need to act")
    country = cli("--db", seeded_path, "show", "countries", "lb", "--format", "json").json()
    assert country["name"] == "Lebanon"
    assert all(c["quote"] for c in country["citations"])
    indicator = cli("--db", seeded_path, "show", "indicators", "return-rate-2024",
                    "--format", "json").json()
    assert "only around 20% of third country nationals" in indicator["citations"][0]["quote"]


def test_csv_has_a_header_and_one_row_per_item(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "list", "action-points", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["number", "status", "rag", "owner", "title"]
    assert rows[1] == ["1", "no evidence", "grey", "",
                       "Accelerate the implementation of the Pact on Migration and Asylum"]
    assert len(rows) == 11


def test_search_ignores_case_and_diacritics(seeded_path: Path) -> None:
    hits = cli("--db", seeded_path, "search", "rakusan", "--format", "json").json()
    assert [(h["letter_id"], h["snippet"]) for h in hits] == [
        (4, "Mr Vít [Rakušan] 1st Deputy Prime Minister and Minister of the Interior of the "
            "Czech Republic")]


def test_search_with_fts_syntax_returns_normally(seeded_path: Path) -> None:
    unbalanced = cli("--db", seeded_path, "search", '"unbalanced', "--format", "json")
    assert (unbalanced.code, unbalanced.json(), unbalanced.err) == (0, [], "")
    operators = cli("--db", seeded_path, "search", "AND OR *", "--format", "json")
    assert operators.code == 0 and operators.err == ""
    # "AND" and "OR" are searched as the words "and" and "or", not as operators:
    # 7 paragraphs of the seed hold both
    hits = operators.json()
    assert len(hits) == 7
    assert all("[and]" in h["snippet"] or "[or]" in h["snippet"] for h in hits)
    brackets = cli("--db", seeded_path, "search", "(return hubs", "--format", "json")
    assert brackets.code == 0
    # the stemmer finds "hub" for "hubs"; the joint letter's "return hub mechanisms"
    assert {h["letter_id"] for h in brackets.json()} == {4, 5}


def test_status_set_records_a_change(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "status", "set", "measures", "11", "In Progress",
                 "--note", "talks with Tunisia opened", "--author", "desk officer",
                 "--format", "json")
    assert result.code == 0, result.err
    change = result.json()
    assert {k: change[k] for k in ("item_label", "old_status", "new_status", "old_rag",
                                   "new_rag", "note", "author")} == {
        "item_label": "Measure 11", "old_status": "no evidence", "new_status": "in progress",
        "old_rag": "grey", "new_rag": "green", "note": "talks with Tunisia opened",
        "author": "desk officer"}
    shown = cli("--db", seeded_path, "show", "measures", "11", "--format", "json").json()
    assert (shown["status"], shown["rag"]) == ("in progress", "green")
    assert [h["new_status"] for h in shown["history"]] == ["no evidence", "in progress"]
    # set by a person without evidence: dated by the change, and said to have no source
    assert (shown["as_of"], shown["no_source"]) == (change["changed_at"][:10], True)


def test_status_of_a_country_with_rag_and_owner(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "status", "set", "countries", "mr", "delayed",
                 "--rag", "amber", "--owner", "Desk Africa", "--format", "json")
    assert result.json()["new_rag"] == "amber"
    country = cli("--db", seeded_path, "show", "countries", "MR", "--format", "json").json()
    assert (country["status"], country["rag"], country["owner"]) == (
        "delayed", "amber", "Desk Africa")


def test_user_mistakes_give_one_line_and_exit_1(seeded_path: Path, tmp_path: Path) -> None:
    cases = [
        (("status", "set", "measures", "99", "done"), "measure 99: not in the store"),
        (("status", "set", "measures", "12", "finished"),
         "unknown status 'finished' (use one of: not started, in progress, delayed, done, "
         "dropped, no evidence)"),
        (("show", "countries", "XX"), "country XX: no partner country with this ISO code"),
        (("show", "measures", "twelve"), "measure 'twelve': give its number, e.g. 12"),
        (("show", "letters", "42"), "letter 42: not in the store"),
        (("import", tmp_path / "nope.txt"), "nope.txt: no such file"),
    ]
    for args, message in cases:
        result = cli("--db", seeded_path, *args)
        assert result.code == 1, args
        assert result.err.count("\n") == 1 and message in result.err, result.err
        assert "Traceback" not in result.err


def test_usage_errors_exit_2_in_one_line(seeded_path: Path) -> None:
    for args in (("list", "bogus"), ("frobnicate",), ("search",), ("status", "set")):
        result = cli("--db", seeded_path, *args)
        assert result.code == 2, args
        assert result.err.startswith("briefing-app: ") and result.err.count("\n") == 1


def test_a_missing_or_foreign_store_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    result = cli("--db", missing, "list", "letters")
    assert (result.code, result.err) == (
        1, f"briefing-app: {missing}: no store here (run 'briefing-app init' to create one)\n")
    assert not missing.exists()
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping list")
    result = cli("--db", foreign, "list", "letters")
    assert (result.code, result.err) == (
        1, f"briefing-app: {foreign}: not a Briefing App store (not an SQLite file)\n")
    assert foreign.read_text() == "shopping list"


def test_init_creates_and_reports(tmp_path: Path) -> None:
    store = tmp_path / "sub" / "new.sqlite3"
    first = cli("--db", store, "init", "--format", "json").json()
    assert first["changed"] is True
    assert first["counts"] == {"letters": 5, "action_points": 10, "measures": 15, "people": 30,
                               "countries": 24, "indicators": 19, "meetings": 1}
    again = cli("--db", store, "init", "--format", "json").json()
    assert again["changed"] is False and again["counts"] == first["counts"]
    empty = cli("--db", tmp_path / "empty.sqlite3", "init", "--empty", "--format", "json")
    assert empty.json()["counts"]["letters"] == 0


def test_the_environment_variable_names_the_store(seeded_path: Path) -> None:
    result = cli_process("list", "letters", "--format", "json",
                         env={"BRIEFING_APP_DB": str(seeded_path)})
    assert result.code == 0 and result.err == ""
    assert len(result.json()) == 5


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    result = cli_process("--db", tmp_path / "x.sqlite3", "show", "measures", "1")
    assert result.code == 1
    assert result.err.startswith("briefing-app: ") and "Traceback" not in result.err
    version = cli_process("--version")
    assert (version.code, version.out) == (0, "briefing-app 0.1.0\n")


def test_store_options_may_follow_the_command(seeded_path: Path, tmp_path: Path) -> None:
    listed = cli("list", "letters", "--db", seeded_path, "--format", "json")
    assert listed.code == 0 and len(listed.json()) == 5
    changed = cli("status", "set", "measures", "3", "done", "--db", seeded_path)
    assert changed.code == 0 and changed.out.startswith("Measure 3: no evidence → done")
    shot = tmp_path / "people.png"
    gui = cli("gui", "--db", seeded_path, "--screenshot", shot, "--view", "people")
    assert (gui.code, shot.exists()) == (0, True)
