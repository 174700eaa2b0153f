"""The same store tests on a store file (SQLite) and on a team store (the session's real
PostgreSQL server): search with and without diacritics, its tiers and names, status
history and undo, export and import-table, follow-ups, the store check, and packs.

The parametrised tests (``any_store``: each runs once per database) expect the
same exact values of both; the pair tests run the same commands on a copy of
each and compare what they print, row for row and byte for byte. Both copies
hold the bundled seed loaded at the same moment (tests/conftest.py).
"""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing_app.identity import current_origin
from briefing_app.services import open_services
from briefing_app.services.common import fixed_clock
from tests.conftest import TODAY
from tests.helpers.cli import cli
from tests.helpers.postgres import PostgresServer

LETTER_4 = ("Joint Letter from the undersigned Ministers on new solutions to address "
            "irregular migration to Europe")
LETTER_5 = "President von der Leyen to EU leaders on migration: 10 points of action"
RAKUSAN = {"letter_id": 4, "letter_title": LETTER_4, "paragraph": 23, "start": 8011,
           "end": 8102, "snippet": "Mr Vít [Rakušan] 1st Deputy Prime Minister and Minister "
           "of the Interior of the Czech Republic", "score": -6.4311, "match": "exact"}
#: When the tests' own changes are made.
LATER = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def run(store: str, *args: str | Path) -> str:
    with fixed_clock(LATER):
        result = cli("--db", store, *args)
    assert (result.code, result.err) == (0, ""), result.err
    return result.out


@pytest.fixture
def store_pair(pinned_template: Path, team_server: PostgresServer, team_template: str,
               tmp_path: Path) -> tuple[str, str]:
    """A copy of the seeded store file and of the seeded team store."""
    path = tmp_path / "store.sqlite3"
    path.write_bytes(pinned_template.read_bytes())
    return str(path), team_server.new_database("pair", template=team_template)


# ------------------------------------------------------------------ parametrised


@pytest.mark.parametrize("words", ["Rakušan", "Rakusan", "RAKUSAN", "rakušan"])
def test_a_name_is_found_with_and_without_its_diacritics(any_store: str, words: str) -> None:
    assert json.loads(run(any_store, "search", words, "--format", "json")) == [RAKUSAN]


def test_exact_words_rank_before_stemmed_ones(any_store: str) -> None:
    hits = json.loads(run(any_store, "search", "return hubs", "--format", "json"))
    assert [(h["letter_id"], h["paragraph"], h["start"], h["end"], h["score"], h["match"])
            for h in hits] == [(5, 38, 13072, 13657, -5.304, "exact"),
                               (4, 16, 4641, 5417, -5.0045, "stemmed")]
    assert hits[1]["snippet"] == ("…that fully implement [return] decisions and looking into "
                                  "potential cooperation with third countries on [return] "
                                  "[hub]…")


def test_the_last_word_is_a_prefix_and_a_name_is_never_one(any_store: str) -> None:
    hits = json.loads(run(any_store, "search", "Egy", "--limit", "3", "--format", "json"))
    assert [(h["letter_id"], h["paragraph"], h["match"]) for h in hits] == [
        (1, 44, "prefix"), (1, 43, "prefix"), (1, 26, "prefix")]
    assert "[Egypt]" in hits[0]["snippet"]
    # "Niger" is a partner country's name: it finds Niger, never Nigeria
    niger = json.loads(run(any_store, "search", "Niger", "--limit", "50", "--format", "json"))
    assert niger and all("[Niger]" in h["snippet"] and "[Nigeria]" not in h["snippet"]
                         for h in niger)
    assert {h["match"] for h in niger} == {"exact"}


def test_query_syntax_is_plain_words(any_store: str) -> None:
    # NOT is the word "not", which the paragraph of Rakušan's name does not hold
    assert json.loads(run(any_store, "search", '"Rakušan" NOT (Czech*', "--format",
                          "json")) == []
    assert json.loads(run(any_store, "search", 'Rakušan*"', "--format", "json")) == [RAKUSAN]


def test_status_history_carries_author_and_origin_and_undo_restores(any_store: str) -> None:
    run(any_store, "status", "set", "measures", "12", "delayed", "--rag", "amber",
        "--note", "Slipped to 2026", "--author", "Ana Ruiz")
    history = json.loads(run(any_store, "status", "history", "measures", "12",
                             "--format", "json"))
    last = history[-1]
    assert (last["old_status"], last["new_status"], last["new_rag"], last["note"],
            last["author"], last["origin"], last["changed_at"]) == (
        "in progress", "delayed", "amber", "Slipped to 2026", "Ana Ruiz", current_origin(),
        "2026-12-02T10:30:00+00:00")
    services = open_services(any_store, create=False, today=TODAY)
    try:
        with fixed_clock(LATER):
            services.tracking.revert(last["id"], author="Ana Ruiz")
        measure = services.tracking.measure(12)
        assert (measure.status, measure.rag) == ("in progress", "amber")
        [change] = [c for c in services.tracking.history("measures", 12)
                    if c.reverts_id == last["id"]]
        assert (change.old_status, change.new_status, change.author) == (
            "delayed", "in progress", "Ana Ruiz")
    finally:
        services.close()


def test_import_table_updates_in_one_transaction_and_a_bad_row_writes_nothing(
        any_store: str, tmp_path: Path) -> None:
    before = run(any_store, "list", "measures", "--format", "json")
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "status", "rag", "owner", "notes"])
        writer.writerow(["12", "delayed", "amber", "Desk North Africa", ""])
        writer.writerow(["13", "delayed", "purple", "", ""])
    with fixed_clock(LATER):
        refused = cli("--db", any_store, "import-table", "measures", bad)
    assert refused.code == 1
    assert refused.err == (f"{bad}:3:rag: unknown RAG colour 'purple' (use one of: green, "
                           f"amber, red, grey)\nbriefing-app: {bad}: 1 problem in the table; "
                           "nothing was imported\n")
    assert run(any_store, "list", "measures", "--format", "json") == before
    good = tmp_path / "good.csv"
    good.write_text("number,status,rag,owner,notes\n12,delayed,amber,Desk North Africa,\n",
                    encoding="utf-8")
    run(any_store, "import-table", "measures", good, "--author", "Ana Ruiz")
    shown = json.loads(run(any_store, "show", "measures", "12", "--format", "json"))
    # amber is the colour it had: with a new status it takes that status's usual colour
    assert (shown["status"], shown["rag"], shown["owner"]) == (
        "delayed", "red", "Desk North Africa")
    assert shown["history"][-1]["author"] == "Ana Ruiz"


def test_the_follow_ups_of_measure_12_hold_the_october_2024_passage(any_store: str) -> None:
    run(any_store, "follow-up", "find", "--item", "measures:12")
    found = json.loads(run(any_store, "list", "follow-ups", "--item", "measures:12",
                           "--format", "json"))
    # the seed's reviewed follow-ups first, then the finder's suggestions, best first
    assert [(f["letter_id"], f["start"], f["end"], f["state"]) for f in found[:5]] == [
        (5, 3852, 4153, "accepted"), (5, 4711, 4928, "accepted"),
        (5, 4931, 5205, "suggested"), (5, 9731, 10400, "suggested"),
        (4, 3235, 4335, "suggested")]
    assert all(f["letter_id"] != 1 for f in found)  # never the measure's own letter


def test_a_meeting_of_the_same_title_and_date_is_refused_with_or_without_a_date(
        any_store: str) -> None:
    for date_given, number in ((("--date", "2025-03-06"), 2), ((), 3)):
        arguments = ("meeting", "add", "--formation", "jha", "--title", "JHA Council",
                     *date_given)
        assert run(any_store, *arguments).startswith(f"Meeting {number} added: JHA Council")
        again = cli("--db", any_store, *arguments)
        assert (again.code, again.err) == (
            1, f"briefing-app: title: meeting {number} already has this title and date\n")


def test_the_check_finds_the_store_sound(any_store: str) -> None:
    report = json.loads(run(any_store, "check", "--format", "json"))
    assert report["ok"] is True
    assert {check["name"]: check["problems"] for check in report["checks"]} == {
        **({"integrity": [], "foreign-keys": []} if any_store.endswith(".sqlite3") else {}),
        "search-index": [], "citations": []}


def test_a_missing_search_index_on_the_team_store_is_a_problem_the_check_names(
        team_server: PostgresServer, team_template: str) -> None:
    url = team_server.new_database("broken", template=team_template)
    team_server.execute("DROP INDEX paragraph_exact", database=url.split("@/", 1)[1]
                        .split("?", 1)[0])
    result = cli("--db", url, "check", "--format", "json")
    assert result.code == 1
    checks = {check["name"]: check["problems"] for check in json.loads(result.out)["checks"]}
    assert checks == {"search-index": [
        "exact-word search index: the index paragraph_exact is missing"], "citations": []}


# ------------------------------------------------------------------ pairs


def test_searches_answer_alike_on_both_stores(store_pair: tuple[str, str]) -> None:
    """Every hit, its tier, snippet and bm25 score, for words of every kind."""
    local, team = store_pair
    for words in ("migration", "the", "Tunisia Mauritania", "returns", "return hub mech",
                  "anti-smuggling", "Western Balkans", "visa", "EU", "100 million",
                  "Johansson", "talent partnerships", "readmission agreements", "co", "Ales",
                  "Aleš", "border management", "pact on migration and asylum"):
        assert run(team, "search", words, "--limit", "40", "--format", "json") == \
            run(local, "search", words, "--limit", "40", "--format", "json"), words


def test_the_finder_suggests_the_same_passages_on_both_stores(
        store_pair: tuple[str, str]) -> None:
    local, team = store_pair
    for store in store_pair:
        run(store, "follow-up", "find")
    assert run(team, "list", "follow-ups", "--format", "json") == \
        run(local, "list", "follow-ups", "--format", "json")


def test_lists_and_exports_are_the_same_on_both_stores(store_pair: tuple[str, str],
                                                       tmp_path: Path) -> None:
    local, team = store_pair
    for kind in ("letters", "measures", "action-points", "commitments", "countries",
                 "people", "indicators", "meetings", "status-history"):
        assert run(team, "list", kind, "--format", "json") == \
            run(local, "list", kind, "--format", "json"), kind
    for kind in ("measures", "countries", "status-history"):
        for name, store in (("local", local), ("team", team)):
            run(store, "export", kind, "--out", tmp_path / f"{name}-{kind}.csv")
            run(store, "export", kind, "--out", tmp_path / f"{name}-{kind}.xlsx")
        assert (tmp_path / f"team-{kind}.csv").read_bytes() == \
            (tmp_path / f"local-{kind}.csv").read_bytes()
        assert _parts(tmp_path / f"team-{kind}.xlsx") == _parts(tmp_path / f"local-{kind}.xlsx")
    header = (tmp_path / "team-measures.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("number,letter_id,section,section_title,deadline,due_date")


def _parts(path: Path) -> dict[str, bytes]:
    """An XLSX file's parts but its stamp of when it was written (docProps/core.xml)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


def test_a_pack_from_the_team_store_and_from_its_briefcase_are_byte_identical(
        store_pair: tuple[str, str], tmp_path: Path) -> None:
    _local, team = store_pair
    briefcase = tmp_path / "briefcase.sqlite3"
    run(team, "briefcase", "checkout", "--from", team, "--out", briefcase)
    pdfs = []
    for name, store in (("team", team), ("briefcase", str(briefcase))):
        out = tmp_path / f"{name}.pdf"
        built = json.loads(run(store, "pack", "build", "--meeting", "1", "--draft",
                               "--classification", "LIMITE", "--out", out,
                               "--format", "json"))
        assert built["page_count"] > 40
        pdfs.append(out.read_bytes())
    assert pdfs[0] == pdfs[1]


def _ranked(store: str, words: list[str], *, cap: int, limit: int) -> list[tuple[int, str, float]]:
    from briefing_app.store.search import name_words, ranked_paragraphs

    services = open_services(store, create=False, today=TODAY)
    try:
        with services.store.read() as db:
            names = name_words(db, words)
            return [(hit.paragraph_id, hit.tier.name, round(hit.score, 9))
                    for hit in ranked_paragraphs(db, words, prefix_last=True, names=names,
                                                 limit=limit, cap=cap)]
    finally:
        services.close()


def test_the_newest_matches_are_the_same_whichever_way_the_team_store_finds_them(
        store_pair: tuple[str, str]) -> None:
    """With a cap of 5, a common word's newest matches are found by walking the ids down
    (they are dense), a rare word's by the index: both as FTS5 ranks its newest ones."""
    local, team = store_pair
    for words in (["the"], ["and", "the"], ["migration"], ["Tunisia"], ["ret"], ["of", "mig"],
                  ["anti", "smuggling"]):
        expected = _ranked(local, words, cap=5, limit=3)
        assert expected, words
        assert _ranked(team, words, cap=5, limit=3) == expected, words


def test_a_prefix_finds_a_word_a_new_letter_brings_on_the_team_store(
        store_pair: tuple[str, str], tmp_path: Path) -> None:
    """The words a prefix begins are remembered between searches; a letter imported since
    brings one more ("retrofitting"), which the next search counts as FTS5 does."""
    local, team = store_pair
    before = run(team, "search", "retr", "--limit", "30", "--format", "json")
    assert before == run(local, "search", "retr", "--limit", "30", "--format", "json")
    letter = tmp_path / "retrofit.txt"
    letter.write_text("Brussels, 4 March 2025\n\nDear colleagues,\n\nThe retrofitting of "
                      "reception centres and the retrofitting of return centres continue."
                      "\n\nYours sincerely,\nMagnus Brunner\n", encoding="utf-8")
    for store in (local, team):
        run(store, "import", letter)
    after = json.loads(run(team, "search", "retr", "--limit", "30", "--format", "json"))
    assert after == json.loads(run(local, "search", "retr", "--limit", "30", "--format",
                                   "json"))
    assert after[0]["snippet"] == ("The [retrofitting] of reception centres and the "
                                   "[retrofitting] of return centres continue.")


def test_times_read_in_utc_whatever_the_team_servers_time_zone(
        store_pair: tuple[str, str], team_server: PostgresServer) -> None:
    """A server in Brussels hands time stamps over in its own zone; the app shows UTC."""
    from tests.helpers.team import database_of

    local, team = store_pair
    database = database_of(team)
    team_server.execute(f"ALTER DATABASE \"{database}\" SET timezone TO 'Europe/Brussels'",
                        database=database)
    for store in store_pair:
        run(store, "status", "set", "measures", "3", "done", "--author", "Ana Ruiz")
    shown = json.loads(run(team, "status", "history", "measures", "3", "--format", "json"))
    assert shown[-1]["changed_at"] == "2026-12-02T10:30:00+00:00"
    assert shown == json.loads(run(local, "status", "history", "measures", "3", "--format",
                                   "json"))


def test_new_letters_are_read_reviewed_and_followed_up_alike_on_both_stores(
        store_pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Letters of other layouts imported into both stores, their commitments reviewed
    (accept, reject, edit, merge, undo) and the finder's suggestions reviewed (accept
    with a status, dismiss, undo): every command prints the same on both (the same
    configured author: else a file records the OS account, a team store the role)."""
    monkeypatch.setenv("BRIEFING_APP_AUTHOR", "Ana Ruiz")
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "letters"

    def both(*args: str | Path) -> str:
        local, team = (run(store, *args) for store in store_pair)
        assert team == local, args
        return local

    for name in ("fr-objet-propositions.txt", "de-betreff-mfg.txt", "it-oggetto.txt"):
        both("import", corpus / name, "--format", "json")
    proposed = json.loads(both("list", "commitments", "--state", "proposed", "--format",
                               "json"))
    ids = [str(c["id"]) for c in proposed]
    assert len(ids) >= 4
    both("commitment", "accept", ids[0], ids[1], "--author", "Ana Ruiz", "--format", "json")
    both("commitment", "reject", ids[2], "--format", "json")
    both("commitment", "edit", ids[0], "--title", "Returns from Senegal")
    merged = json.loads(both("commitment", "merge", ids[1], ids[3], "--format", "json"))
    both("commitment", "undo", str(merged["id"]))
    both("list", "commitments", "--format", "json")
    both("follow-up", "find")
    found = json.loads(both("list", "follow-ups", "--state", "suggested", "--format", "json"))
    assert len(found) >= 2
    accepted = json.loads(both("follow-up", "accept", str(found[0]["id"]), "--status",
                               "delayed", "--author", "Ana Ruiz", "--format", "json"))
    both("follow-up", "dismiss", str(found[1]["id"]), "--format", "json")
    assert accepted["reviews"][0]["new_state"] == "accepted"
    both("follow-up", "undo", str(accepted["reviews"][0]["id"]))
    both("list", "follow-ups", "--format", "json")
    both("status", "history", "measures", "--format", "json")
    both("list", "status-history", "--format", "json")
