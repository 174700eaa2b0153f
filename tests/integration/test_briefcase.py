"""Briefcases on a real PostgreSQL team store: checked out, changed offline, synchronised
(once interrupted halfway and resumed), a conflict shown with both values and resolved,
and both briefcases converging to the same content."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from briefing_app.errors import StoreError
from briefing_app.identity import acting_as
from briefing_app.services import Services
from briefing_app.services.team import TeamService, checkout, synchronise
from briefing_app.store.briefcase import BLOCK_BITS, STATE_TABLE
from briefing_app.store.engine import Store
from briefing_app.store.postgres import TeamStore
from tests.helpers.postgres import PostgresServer
from tests.helpers.team import fill

TODAY = date(2025, 1, 15)


def _team_store(url: str) -> TeamStore:
    """A team store with tests/helpers/team.py's rows: one letter of 15 measures, two
    partner countries."""
    team = TeamStore(url)
    fill(team)
    return team


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a store but the sync bookkeeping, row by row in key order."""
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%' AND name NOT LIKE 'paragraph_exact%' "
            "AND name NOT IN ('sync_state', 'sync_local_change', 'alembic_version') "
            "ORDER BY name")]
        return {name: connection.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2').fetchall()
                for name in names}
    finally:
        connection.close()


def _pack_text(services: Services, out: Path) -> str:
    import subprocess

    from briefing_app.reporting.spec import PackSpec

    build = services.packs.build(PackSpec(title="Council"), out)
    printed = subprocess.run(["pdftotext", "-layout", build.path, "-"], capture_output=True,
                             text=True, check=True).stdout
    return " ".join(printed.split())


def _interrupt_after_sending(step: str) -> None:
    if step == "sent":
        raise psycopg.OperationalError("server closed the connection unexpectedly")


def test_two_briefcases_sync_with_an_interruption_a_conflict_and_converge(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    url = postgres_server.new_database()
    team = _team_store(url)
    a_path, b_path = tmp_path / "anna.sqlite3", tmp_path / "ben.sqlite3"
    assert checkout(team, a_path) == 1
    assert checkout(team, b_path) == 2

    anna = Services(Store(a_path, backup_dir=None), today=TODAY)
    ben = Services(Store(b_path, backup_dir=None), today=TODAY)
    assert [m.number for m in anna.tracking.measures()] == list(range(1, 16))
    # offline: each changes items of their own, and both change measure 12
    with acting_as("anna"):
        made = anna.tracking.set_status("measure", 3, "in progress", note="Frontex plan")
        anna.tracking.set_status("measure", 12, "delayed", owner="Desk South")
    with acting_as("ben"):
        ben.tracking.set_status("country", "TN", "in progress", note="MoU signed")
        ben.tracking.set_status("measure", 12, "done", note="Reported by Tunisia")
    # a record made offline takes an identifier from its briefcase's block
    assert made.id >> BLOCK_BITS == 1

    first = synchronise(anna.store, team)
    assert (first.conflicts, first.dropped, first.resumed) == ((), (), False)
    with pytest.raises(StoreError, match="connection to the team store was lost"):
        synchronise(ben.store, team, checkpoint=_interrupt_after_sending)
    resumed = synchronise(ben.store, team)
    assert resumed.resumed is True
    assert resumed.conflicts == ("Measure 12",)

    # the team store holds every change made anywhere, exactly once
    with team.read() as db:
        changes = [(r["item_kind"], r["item_id"], r["new_status"], r["author"])
                   for r in db.execute("SELECT * FROM statuschange ORDER BY id")]
        measure_12 = db.execute("SELECT status, rag, owner FROM commitment WHERE id = 12"
                                ).fetchone()
    assert changes == [
        ("commitment", 12, "no evidence", "seed"),
        ("commitment", 3, "in progress", "anna"),
        ("commitment", 12, "delayed", "anna"),
        ("country", 1, "in progress", "ben"),
        ("commitment", 12, "done", "ben"),
    ]
    # the team store's value stays until someone chooses
    assert tuple(measure_12) == ("delayed", "red", "Desk South")

    [conflict] = ben.team.conflicts() if hasattr(ben, "team") else TeamService(
        ben.store).conflicts()
    assert [(v.side, v.place, v.status, v.owner, v.author) for v in conflict.values] == [
        ("local", "briefcase 2", "done", None, "ben"),
        ("remote", "team store", "delayed", "Desk South", "anna"),
    ]
    synchronise(anna.store, team)  # anna receives the conflict too
    [seen_by_anna] = TeamService(anna.store).conflicts("measure", 12)
    assert [v.side for v in seen_by_anna.values] == ["local", "remote"]
    assert seen_by_anna.values[0].author == "anna"

    # a pack prints both values of the conflicted measure, the team store's first
    printed = _pack_text(ben, tmp_path / "pack.pdf")
    day = conflict.values[0].changed_at.strftime("%-d %b %Y")
    assert ("In conflict, not resolved: team store: delayed (RAG red, owner Desk South), "
            f"by anna, {day} / briefcase 2: done (RAG green), by ben, {day}") in printed

    with acting_as("ben"):
        resolution = TeamService(ben.store).resolve("measure", 12, "remote")
    assert (resolution.new_status, resolution.new_owner) == ("delayed", "Desk South")
    assert TeamService(ben.store).conflicts() == []
    synchronise(ben.store, team)
    synchronise(anna.store, team)
    assert TeamService(anna.store).conflicts() == []
    anna.close()
    ben.close()
    assert _dump(a_path) == _dump(b_path)
    with sqlite3.connect(a_path) as connection:
        assert connection.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = 'briefcase'"
                                  ).fetchone() == ("1",)
    team.close()


def test_the_command_line_checks_out_syncs_shows_and_resolves_a_conflict(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    import json

    from tests.helpers.cli import cli

    url = postgres_server.new_database()
    _team_store(url).close()
    a_path, b_path = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    out = cli("briefcase", "checkout", "--from", url, "--out", a_path)
    assert (out.code, out.out) == (0, f"Checked out briefcase 1 of {url} into {a_path}\n")
    assert cli("briefcase", "checkout", "--from", url, "--out", b_path).code == 0
    again = cli("briefcase", "checkout", "--from", url, "--out", b_path)
    assert (again.code, again.err) == (
        1, f"briefing-app: {b_path}: already exists; a briefcase is checked out into a new "
           "file\n")
    assert cli("--db", a_path, "status", "set", "measures", "12", "delayed",
               "--author", "anna").code == 0
    assert cli("--db", b_path, "status", "set", "measures", "12", "done",
               "--author", "ben").code == 0
    first = json.loads(cli("briefcase", "sync", a_path, "--format", "json").out)
    assert (first["sent"], first["conflicts"]) == (2, [])
    second = cli("briefcase", "sync", b_path)
    assert second.code == 0
    assert second.out.splitlines()[1:] == [
        "In conflict: Measure 12 changed both here and at the team store; choose with "
        "'status resolve'"]
    shown = json.loads(cli("--db", b_path, "show", "measures", "12", "--format", "json").out)
    assert [(v["side"], v["status"], v["author"]) for v in shown["conflict"]["values"]] == [
        ("local", "done", "ben"), ("remote", "delayed", "anna")]
    history = json.loads(cli("--db", b_path, "status", "history", "measures", "12",
                             "--format", "json").out)
    assert [(row["new_status"], row["author"]) for row in history] == [
        ("no evidence", "seed"), ("delayed", "anna"), ("done", "ben")]
    assert all(row["origin"] for row in history[1:])
    resolved = cli("--db", b_path, "status", "resolve", "measures", "12", "--keep", "local",
                   "--author", "ben")
    assert resolved.out.startswith("Measure 12: conflict resolved, done (RAG green)")
    none_left = json.loads(cli("--db", b_path, "show", "measures", "12", "--format",
                               "json").out)
    assert none_left["conflict"] is None
    twice = cli("--db", b_path, "status", "resolve", "measures", "12", "--keep", "remote")
    assert (twice.code, twice.err) == (1, "briefing-app: measure 12: not in conflict\n")


def test_records_made_offline_in_two_places_become_one_record(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    """The same new person, country and series key made in two briefcases: after both
    syncs there is one person and one country, named by both briefcases' rows, and the
    second series key is suffixed; the same letter imported twice is refused by name."""
    from briefing_app.store.models import (
        CommitmentSeries,
        Letter,
        LetterRole,
        PartnerCountry,
        Person,
        StatusChange,
    )

    team = _team_store(postgres_server.new_database())
    paths = [tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"]
    stores = []
    for number, (path, role) in enumerate(zip(paths, ("signatory", "cc"), strict=True), 1):
        checkout(team, path)
        store = Store(path, backup_dir=None)
        with store.session() as session:
            person = Person(key="jan novak", name="Jan Novák")
            country = PartnerCountry(iso="SN", name="Senegal")
            session.add_all([person, country])
            session.flush()
            session.add(LetterRole(letter_id=1, person_id=person.id or 0, role=role,
                                   name_as_written="Jan Novák", start=0, end=8))
            session.add(CommitmentSeries(key="proposals", title="Proposals", letter_id=1))
            session.add(StatusChange(item_kind="country", item_id=country.id or 0,
                                     new_status="no evidence", new_rag="grey",
                                     author=f"adviser {number}", source="test",
                                     changed_at=datetime(2026, 12, 1, 9, tzinfo=UTC)))
            session.commit()
        stores.append(store)
    for store in (*stores, stores[0]):
        synchronise(store, team)
    with team.read() as db:
        people = db.execute("SELECT id, key FROM person").fetchall()
        roles = db.execute("SELECT role, person_id FROM letterrole ORDER BY role").fetchall()
        countries = db.execute("SELECT id FROM partnercountry WHERE iso = 'SN'").fetchall()
        changed = db.execute("SELECT DISTINCT item_id FROM statuschange "
                             "WHERE item_kind = 'country' AND source = 'test'").fetchall()
        series = db.execute("SELECT key FROM commitmentseries ORDER BY key").fetchall()
    [(person_id, _)] = people
    assert [tuple(r) for r in roles] == [("cc", person_id), ("signatory", person_id)]
    [(country_id,)] = countries
    assert [tuple(r) for r in changed] == [(country_id,)]
    assert [r[0] for r in series] == ["measures", "proposals", "proposals-1"]
    for store in stores:
        store.close()
    assert _dump(paths[0]) == _dump(paths[1])

    # the same letter imported in both places: refused, naming it, nothing changed
    for store in stores:
        with store.session() as session:
            session.add(Letter(title="Letter of 1 December", original_text="Same text.",
                               source_name="same.txt", sha256="b" * 64,
                               imported_at=datetime(2026, 12, 1, 9, tzinfo=UTC)))
            session.commit()
    synchronise(stores[0], team)
    before = _dump(paths[1])
    with pytest.raises(StoreError, match="the letter “Letter of 1 December” was imported "
                                         "here and into the team store"):
        synchronise(stores[1], team)
    stores[1].close()
    assert _dump(paths[1]) == before
    team.close()


def test_an_encrypted_briefcase_holds_no_plain_text_and_syncs(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    team = _team_store(postgres_server.new_database())
    path = tmp_path / "travel.sqlite3"
    checkout(team, path, passphrase="correct horse")
    assert b"Fifteen measures" not in path.read_bytes()
    with pytest.raises(StoreError, match="the store is encrypted: give the passphrase"):
        Store(path, backup_dir=None)
    services = Services(Store(path, backup_dir=None, passphrase="correct horse"), today=TODAY)
    with acting_as("traveller"):
        services.tracking.set_status("country", "MR", "delayed")
    report = synchronise(services.store, team)
    assert (report.sent, report.conflicts) == (2, ())
    services.close()
    with team.read() as db:
        assert tuple(db.execute("SELECT status, rag FROM partnercountry WHERE iso = 'MR'"
                                ).fetchone()) == ("delayed", "red")
    team.close()
