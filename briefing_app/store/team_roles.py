"""Who may do what in a team store: the two group roles and their grants.

``team init`` (run by the IT officer, the database's owner) makes them:

* ``briefing_reader``: reads every table (the data, the audit trails, the
  sync tables, ``alembic_version``) and writes nothing;
* ``briefing_editor``: reads every table; inserts, updates and deletes the
  data tables, with ``USAGE`` on their sequences; only inserts into the audit
  trails (:data:`AUDIT_TRAILS`), so they stay append-only; inserts and updates
  the briefcase register ``sync_briefcase``; never writes the change log
  ``sync_change`` itself: its trigger function ``briefing_log_change()``
  becomes ``SECURITY DEFINER`` (it runs as its owner, the role that ran the
  migrations), so an editor's change is logged but an editor cannot forge or
  erase an entry.

A person's login role is made a member of one of them (``CREATE ROLE alice
LOGIN PASSWORD '…' IN ROLE briefing_editor``). ``CONNECT`` on the database is
taken from PUBLIC and given to the two groups (and the owner keeps it).
Tables a later migration adds follow the same grants by ``ALTER DEFAULT
PRIVILEGES`` (readers ``SELECT``, editors full data access), and running
``team init`` again after an upgrade sets every grant again exactly:
every step here can be run any number of times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

EDITOR = "briefing_editor"
READER = "briefing_reader"
#: Append-only: editors add rows, nobody changes or removes one.
AUDIT_TRAILS = ("statuschange", "reviewchange", "followupreview")
#: What an editor may do on each table that is not a data table.
EDITOR_SPECIAL = {
    **{table: "SELECT, INSERT" for table in AUDIT_TRAILS},
    "alembic_version": "SELECT",
    "sync_change": "SELECT",  # written by briefing_log_change() only
    "sync_briefcase": "SELECT, INSERT, UPDATE",
    # the search's words: written by their triggers' functions only
    "paragraph_search": "SELECT",
    "commitment_search": "SELECT",
}
DATA_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
#: The trigger function that fills the change log (migration 0004_team).
LOG_FUNCTION = "briefing_log_change()"
#: The trigger functions that write what an editor may only read: the change log and
#: the search's words (migration 0005_team_search). They run with their owner's rights.
OWNER_FUNCTIONS = (LOG_FUNCTION, "briefing_index_paragraph()", "briefing_index_commitment()")


@dataclass(frozen=True)
class RolesReport:
    created: tuple[str, ...]
    tables: int
    sequences: int


def _quote(connection: Any, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


def editor_privileges(table: str) -> str:
    """What ``briefing_editor`` may do on ``table``."""
    return EDITOR_SPECIAL.get(table, DATA_PRIVILEGES)


def owns_tables(connection: Any) -> bool:
    """Whether the role signed in owns the team store's tables (or is a superuser):
    only their owner can set their grants and the log function's rights."""
    from sqlalchemy import text

    return bool(connection.execute(text(
        "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
        "WHERE oid = 'letter'::regclass")).scalar())


def _run(connection: Any, statements: Iterable[str]) -> None:
    for statement in statements:
        connection.exec_driver_sql(statement)


def set_up_roles(connection: Any) -> RolesReport:
    """Create the two group roles if missing and set their grants on the team store
    ``connection`` is on (in its transaction)."""
    from sqlalchemy import text

    created = []
    for role in (EDITOR, READER):
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                              {"role": role}).first() is None:
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
            created.append(role)
    database = _quote(connection, connection.execute(text("SELECT current_database()"))
                      .scalar_one())
    schema = _quote(connection, connection.execute(text("SELECT current_schema()"))
                    .scalar_one())
    tables = [row[0] for row in connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename"))]
    sequences = [row[0] for row in connection.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() "
        "ORDER BY sequencename"))]
    log_sequence = connection.execute(text(
        "SELECT pg_get_serial_sequence('sync_change', 'seq')")).scalar()
    both = f"{EDITOR}, {READER}"
    _run(connection, [
        f"REVOKE CONNECT ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {both}",
        f"GRANT USAGE ON SCHEMA {schema} TO {both}",
        # from nothing, so a grant an earlier version gave (or a hand made) goes
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {both}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {both}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {READER}",
        *(f"GRANT {editor_privileges(table)} ON {_quote(connection, table)} TO {EDITOR}"
          for table in tables),
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {EDITOR}",
    ])
    if log_sequence:
        connection.exec_driver_sql(f"REVOKE ALL ON SEQUENCE {log_sequence} FROM {EDITOR}")
    for function in OWNER_FUNCTIONS:
        if connection.execute(text("SELECT to_regprocedure(:name)"),
                              {"name": function}).scalar():
            _run(connection, [
                f"ALTER FUNCTION {function} SECURITY DEFINER "
                f"SET search_path = {schema}, pg_temp",
                f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
            ])
    _run(connection, [
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {both}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT INSERT, UPDATE, DELETE "
        f"ON TABLES TO {EDITOR}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE ON SEQUENCES TO {EDITOR}",
    ])
    return RolesReport(tuple(created), len(tables), len(sequences))
