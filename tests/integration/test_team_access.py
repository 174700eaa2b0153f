"""Who may do what in a team store, on a real PostgreSQL server with real roles.

``team init`` (run as the server's superuser, the IT officer here) migrates and
grants; alice signs in as an editor, bob as a reader (tests/helpers/team.py),
both over the server's socket, where they are trusted: the passwords are
tested over TCP in test_team_secrets.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from briefing_app.errors import StoreError
from briefing_app.services import open_services
from briefing_app.store.engine import Store
from briefing_app.store.postgres import TeamStore
from briefing_app.store.team_roles import AUDIT_TRAILS
from tests.helpers.cli import cli
from tests.helpers.postgres import ROLE, PostgresServer
from tests.helpers.team import EDITOR, READER, fill

DATA = {"SELECT", "INSERT", "UPDATE", "DELETE"}


def _grants(server: PostgresServer, database: str) -> dict[str, dict[str, set[str]]]:
    """Each group role's privileges, by table."""
    found: dict[str, dict[str, set[str]]] = {"briefing_editor": {}, "briefing_reader": {}}
    with psycopg.connect(dbname=database, user=ROLE, host=str(server.socket_dir),
                         port=server.port) as connection:
        for grantee, table, privilege in connection.execute(
                "SELECT grantee, table_name, privilege_type FROM "
                "information_schema.role_table_grants WHERE table_schema = 'public' "
                "AND grantee IN ('briefing_editor', 'briefing_reader')"):
            found[grantee].setdefault(table, set()).add(privilege)
    return found


def _tables(server: PostgresServer, database: str) -> list[str]:
    with psycopg.connect(dbname=database, user=ROLE, host=str(server.socket_dir),
                         port=server.port) as connection:
        return [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]


def _query(server: PostgresServer, database: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dbname=database, user=ROLE, host=str(server.socket_dir),
                         port=server.port) as connection:
        return connection.execute(sql).fetchall()


def test_team_init_migrates_and_grants_readers_and_editors_exactly(
        team_server: PostgresServer) -> None:
    url = team_server.new_database("init")
    database = url.split("@/", 1)[1].split("?", 1)[0]
    first = cli("--db", url, "team", "init")
    assert (first.code, first.err) == (0, "")
    assert first.out == (
        f"Team store ready at {url} (revision 0005_team_search); roles briefing_editor and "
        "briefing_reader granted on 26 tables (made now: none (both were there)). Add a person "
        "with: CREATE ROLE name LOGIN PASSWORD '…' IN ROLE briefing_editor (or "
        "briefing_reader)\n")
    tables = _tables(team_server, database)
    assert len(tables) == 26 and {"alembic_version", "sync_change", "sync_briefcase",
                                  *AUDIT_TRAILS} <= set(tables)
    editor_grants = {table: DATA for table in tables}
    editor_grants.update({table: {"SELECT", "INSERT"} for table in AUDIT_TRAILS})
    editor_grants.update({"alembic_version": {"SELECT"}, "sync_change": {"SELECT"},
                          "sync_briefcase": {"SELECT", "INSERT", "UPDATE"},
                          # the search's words, written by their triggers only
                          "paragraph_search": {"SELECT"}, "commitment_search": {"SELECT"}})
    expected = {"briefing_editor": editor_grants,
                "briefing_reader": {table: {"SELECT"} for table in tables}}
    assert _grants(team_server, database) == expected
    # the change log is written by its trigger function only, as the tables' owner
    assert _query(team_server, database,
                  "SELECT prosecdef, proowner::regrole::text, proconfig FROM pg_proc "
                  "WHERE proname = 'briefing_log_change'") == [
        (True, ROLE, ["search_path=public, pg_temp"])]

    # again: the same grants, even after a hand-made one too many
    team_server.execute("GRANT DELETE ON statuschange TO briefing_editor", database)
    again = cli("--db", url, "team", "init", "--format", "json")
    assert again.code == 0, again.err
    assert again.json() == {
        "store": url, "revision": "0005_team_search", "role": ROLE,
        "editor_role": "briefing_editor", "reader_role": "briefing_reader",
        "created_roles": [], "tables": 26, "sequences": 22}
    assert _grants(team_server, database) == expected

    # a table a later migration adds follows the same rules (default privileges)
    team_server.execute("CREATE TABLE later (id bigserial PRIMARY KEY)", database)
    grants = _grants(team_server, database)
    assert (grants["briefing_editor"]["later"], grants["briefing_reader"]["later"]) == (
        DATA, {"SELECT"})


def test_only_the_tables_owner_runs_team_init(team_server: PostgresServer,
                                              team_database: str) -> None:
    alice = team_server.socket_url(team_database, EDITOR)
    refused = cli("--db", alice, "team", "init")
    assert (refused.code, refused.out) == (1, "")
    assert refused.err == (f"briefing-app: {alice}: alice does not own the team store's "
                           "tables; 'team init' is run by their owner (the IT officer)\n")
    fresh = team_server.new_database("fresh").replace(f"{ROLE}@", f"{EDITOR}@")
    refused = cli("--db", fresh, "team", "init")
    assert refused.err == (f"briefing-app: {fresh}: alice may not create the team store's "
                           "tables; 'team init' is run by the database's owner (the IT "
                           "officer)\n")


def test_an_editor_writes_as_herself(team_server: PostgresServer, team_database: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    services = open_services(team_server.socket_url(team_database, EDITOR))
    try:
        assert (services.store.author, services.read_only, services.team_refusal) == (
            "alice", False, None)
        change = services.tracking.set_status("measures", 12, "in progress")
        assert (change.author, change.new_status) == ("alice", "in progress")
    finally:
        services.close()
    monkeypatch.setenv("BRIEFING_APP_AUTHOR", "Alice Martin")  # a configured name wins
    services = open_services(team_server.socket_url(team_database, EDITOR))
    try:
        assert services.tracking.set_status("measures", 12, "done").author == "Alice Martin"
    finally:
        services.close()
    # both changes went into the change log, through the trigger's own rights
    rows = _query(team_server, team_database,
                  "SELECT count(*) FROM sync_change WHERE table_name = 'statuschange'")
    assert rows == [(3,)]  # the filled row and alice's two


def test_an_editor_can_neither_rewrite_the_audit_trail_nor_the_change_log(
        team_server: PostgresServer, team_database: str) -> None:
    from sqlalchemy import text

    url = team_server.socket_url(team_database, EDITOR)
    store = TeamStore(url)
    try:
        for sql, table in (("UPDATE statuschange SET note = 'rewritten'", "statuschange"),
                           ("DELETE FROM reviewchange", "reviewchange"),
                           ("DELETE FROM sync_change", "sync_change"),
                           ("INSERT INTO sync_change (table_name, row_key, op) "
                            "VALUES ('letter', '1', 'D')", "sync_change")):
            with pytest.raises(StoreError) as refused, store.engine.begin() as connection:
                connection.execute(text(sql))
            assert str(refused.value) == (
                f"{url}: alice may not make this change in the team store (permission "
                f"denied for table {table}); changes are refused")
    finally:
        store.close()


def test_a_readers_store_opens_read_only_and_refuses_every_change(
        team_server: PostgresServer, team_database: str) -> None:
    url = team_server.socket_url(team_database, READER)
    refusal = f"{url}: bob is a reader of the team store; changes are refused"
    services = open_services(url)
    try:
        assert (services.read_only, services.team_refusal, services.store.author) == (
            True, refusal, "bob")
        assert len(services.tracking.measures()) == 15
        with pytest.raises(StoreError) as refused:
            services.tracking.set_status("measures", 12, "done")
        assert str(refused.value) == refusal
    finally:
        services.close()
    listed = cli("--db", url, "list", "measures", "--format", "json")
    assert (listed.code, len(listed.json())) == (0, 15)
    for command in (("status", "set", "measures", "12", "done"),
                    ("meeting", "add", "--formation", "other", "--title", "T"),
                    ("commitment", "accept", "3")):
        result = cli("--db", url, *command)
        assert (result.code, result.out, result.err) == (1, "", f"briefing-app: {refusal}\n")


def test_a_change_the_server_refuses_is_one_line_too(team_server: PostgresServer,
                                                     team_database: str) -> None:
    """carol may add status changes but not change a commitment: the app's own check
    lets her in, the server refuses the write."""
    team_server.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'carol') THEN "
        "CREATE ROLE carol LOGIN; END IF; END $$")
    team_server.execute("GRANT briefing_reader TO carol; "
                        "GRANT INSERT ON statuschange TO carol; "
                        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO carol", team_database)
    url = team_server.socket_url(team_database, "carol")
    result = cli("--db", url, "status", "set", "measures", "12", "done")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"briefing-app: {url}: carol may not make this change in the team "
                          "store (permission denied for table commitment); changes are "
                          "refused\n")
    assert "internal error" not in result.err and "Traceback" not in result.err


def test_a_role_of_neither_group_is_told_so(team_server: PostgresServer,
                                            team_database: str) -> None:
    team_server.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dave') THEN "
        "CREATE ROLE dave LOGIN; END IF; END $$")
    url = team_server.socket_url(team_database, "dave")
    result = cli("--db", url, "list", "measures")
    assert (result.code, result.err) == (
        1, f"briefing-app: {url}: dave may not connect to the team store; its IT officer "
           "makes dave a reader or an editor (GRANT briefing_reader TO dave)\n")
    team_server.execute(f'GRANT CONNECT ON DATABASE "{team_database}" TO dave')
    result = cli("--db", url, "list", "measures")
    assert result.err == (f"briefing-app: {url}: dave may not read the team store; its IT "
                          "officer makes dave a reader or an editor (GRANT briefing_reader "
                          "TO dave)\n")


def test_a_store_not_set_up_yet_names_the_command_that_sets_it_up(
        team_server: PostgresServer) -> None:
    url = team_server.new_database("bare").replace(f"{ROLE}@", f"{READER}@")
    result = cli("--db", url, "list", "measures")
    assert (result.code, result.err) == (1, f"briefing-app: {url}: the team store has no "
                                            "tables yet; its IT officer runs 'briefing-app "
                                            "--db URL team init'\n")


def test_the_command_line_reads_and_writes_a_team_store_as_a_store_file(
        team_server: PostgresServer, team_database: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "same.sqlite3"
    store = Store(local, backup_dir=None)
    fill(store)
    store.close()
    monkeypatch.setenv("BRIEFING_APP_AUTHOR", "Anna Adviser")  # the same author on both
    team = team_server.socket_url(team_database, EDITOR)

    def run(db: str | Path, *command: str) -> Any:
        result = cli("--db", db, *command)
        assert (result.code, result.err) == (0, ""), result.err
        return result

    for command in (("list", "measures", "--format", "json"),
                    ("list", "countries", "--format", "json"),
                    ("show", "measures", "12", "--format", "json"),
                    ("list", "measures"),
                    ("list", "letters", "--format", "csv")):
        assert run(team, *command).out == run(local, *command).out, command
    changes = []
    for db in (local, team):
        changed = run(db, "status", "set", "measures", "12", "in progress", "--rag", "amber",
                      "--note", "Talks resumed", "--format", "json").json()
        changes.append({**changed, "changed_at": changed["changed_at"][:10]})
    assert changes[0] == changes[1]
    assert (changes[1]["new_status"], changes[1]["author"]) == ("in progress", "Anna Adviser")
    histories = [[{**c, "changed_at": c["changed_at"][:10]} for c in
                  run(db, "status", "history", "measures", "12", "--format", "json").json()]
                 for db in (local, team)]
    assert histories[0] == histories[1] and len(histories[0]) == 2
    text = [run(db, "status", "set", "measures", "3", "done").out for db in (local, team)]
    assert text[0] == text[1]
    assert json.loads(run(team, "show", "measures", "3", "--format", "json").out)[
        "status"] == "done"


def test_commands_for_store_files_say_so_in_one_line_for_a_team_store(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    url = team_server.socket_url(team_database, EDITOR)
    instead = {"init": "'briefing-app --db URL team init' creates and upgrades it",
               "backup": "pg_dump backs it up", "restore": "pg_restore restores it"}
    for command, arguments in (("init", ()), ("backup", ("--out", tmp_path / "copy")),
                               ("restore", (tmp_path / "copy",))):
        result = cli("--db", url, command, *arguments)
        assert (result.code, result.out, result.err) == (
            1, "", f"briefing-app: {url}: '{command}' works on a store file, not on a team "
                   f"store (its IT officer looks after it on the server: "
                   f"{instead[command]})\n")
    result = cli("--db", url, "--passphrase-fd", "0", "list", "measures")
    assert (result.code, result.err) == (
        1, f"briefing-app: {url}: --passphrase-fd and --encrypt are for an encrypted store "
           "file; a team store's password comes from ~/.pgpass, the system keyring or the "
           "terminal\n")
    on_a_file = cli("--db", tmp_path / "a.sqlite3", "team", "init")
    assert on_a_file.code == 1 and on_a_file.err.startswith(
        f"briefing-app: {tmp_path / 'a.sqlite3'}: 'team init' sets up a team store on "
        "PostgreSQL; give its address")


def test_the_desktop_apps_backup_of_a_team_store_is_refused_in_words(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    url = team_server.socket_url(team_database, EDITOR)
    services = open_services(url)
    try:
        with pytest.raises(StoreError) as refused:
            services.maintenance.backup(tmp_path / "copy.sqlite3")
        assert str(refused.value) == (f"{url}: a team store is not backed up by the app; its "
                                      "IT officer backs it up with pg_dump on the server")
    finally:
        services.close()


def test_an_editors_grants_are_enough_to_check_out_and_sync_a_briefcase(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    """The briefcase (another helper's) run as alice and bob, not as the owner."""
    from briefing_app.services import Services
    from briefing_app.services.team import checkout, synchronise

    alice = TeamStore(team_server.socket_url(team_database, EDITOR))
    bob_url = team_server.socket_url(team_database, READER)
    bob = TeamStore(bob_url)
    try:
        number = checkout(alice, tmp_path / "alice.sqlite3")
        briefcase = Services(Store(tmp_path / "alice.sqlite3", backup_dir=None))
        try:
            briefcase.tracking.set_status("measures", 12, "in progress", note="Offline")
            report = synchronise(briefcase.store, alice)
        finally:
            briefcase.close()
        assert (report.briefcase, report.sent, report.conflicts) == (number, 2, ())
        with alice.read() as db:
            assert tuple(db.execute("SELECT status, notes FROM commitment WHERE id = 12")
                         .fetchone()) == ("in progress", None)
            assert db.execute("SELECT note FROM statuschange ORDER BY id DESC"
                              ).fetchone()[0] == "Offline"
        with pytest.raises(StoreError) as refused:
            checkout(bob, tmp_path / "bob.sqlite3")
        assert str(refused.value) == (
            f"{bob_url}: bob may not make this change in the team store (permission denied "
            "for table sync_briefcase); changes are refused")
        assert not (tmp_path / "bob.sqlite3").exists()
    finally:
        alice.close()
        bob.close()


def test_a_server_on_another_machine_is_reached_over_tls_or_not_at_all(
        team_server: PostgresServer, team_database: str) -> None:
    """127.0.0.2 counts as another machine (only 127.0.0.1 is named local); the test
    server listens there without TLS, so the connection fails before anything is sent."""
    address = f"postgresql://alice@127.0.0.2:{team_server.port}/{team_database}"
    for url in (address, f"{address}?sslmode=require"):
        result = cli("--db", url, "list", "measures")
        assert (result.code, result.err) == (
            1, f"briefing-app: {url}: the team store cannot be reached (connection failed: "
               f'connection to server at "127.0.0.2", port {team_server.port} failed: server '
               "does not support SSL, but SSL was required)\n")
    weak = cli("--db", f"{address}?sslmode=prefer", "list", "measures")
    assert (weak.code, weak.err) == (
        1, f"briefing-app: {address}?sslmode=prefer: TLS is required for a team store on "
           "another machine (sslmode=prefer); leave sslmode out (verify-full) or give "
           "sslmode=verify-ca or require\n")


def test_read_only_by_choice_on_a_team_store(team_server: PostgresServer,
                                             team_database: str) -> None:
    url = team_server.socket_url(team_database, EDITOR)
    result = cli("--db", url, "--read-only", "status", "set", "measures", "12", "done")
    assert (result.code, result.err) == (
        1, f"briefing-app: {url}: the store is read-only; changes are disabled\n")
    listed = cli("--db", url, "--read-only", "list", "measures", "--format", "json")
    assert (listed.code, len(listed.json())) == (0, 15)


def test_an_editors_import_is_indexed_for_search_and_the_index_is_not_the_editors_to_write(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    alice = team_server.socket_url(team_database, EDITOR)
    letter = tmp_path / "letter.txt"
    letter.write_text("Brussels, 3 March 2025\n\nDear colleagues,\n\nThe Škoda plant in "
                      "Mladá Boleslav hosts the new returns desk.\n\nYours sincerely,\n"
                      "Vít Rakušan\n", encoding="utf-8")
    imported = cli("--db", alice, "import", letter)
    assert (imported.code, imported.err) == (0, ""), imported.err
    found = cli("--db", alice, "search", "skoda mlada boleslav", "--format", "json").json()
    assert [(hit["snippet"], hit["match"]) for hit in found] == [
        ("The [Škoda] plant in [Mladá] [Boleslav] hosts the new returns desk.", "exact")]
    with psycopg.connect(dbname=team_database, user=EDITOR, host=str(team_server.socket_dir),
                         port=team_server.port) as connection, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute("UPDATE paragraph_search SET words = 0")
