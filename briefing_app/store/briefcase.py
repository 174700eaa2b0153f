"""The briefcase's bookkeeping: a complete SQLite copy of the team store that records
what changes in it, and gives the records made in it identifiers of its own.

A briefcase is an ordinary store file (it opens like any, offline, encrypted
or not) with two more tables:

* ``sync_state``: the team store it came from (its URL without a password),
  its number in the team store's briefcase register, how far it has received
  the team store's changes, and the next identifier of its own block;
* ``sync_local_change``: one row per row written in the briefcase, filled by
  triggers (made from the tables' columns, again after every migration), with
  the columns an update changed, so a sync sends only what changed.

Identifiers: briefcase *n* gives its new records identifiers from
``n << 40`` on (:class:`IdAllocator`); the team store's own sequences stay far
below, and two briefcases never share a block, so records made offline never
collide. The team store's identifiers are 64-bit for that (migration 0004).

The sync itself is :mod:`briefing_app.store.sync`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table

STATE_TABLE = "sync_state"
LOG_TABLE = "sync_local_change"
#: Bits of a briefcase's identifier block: 2**40 records each, 2**23 briefcases.
BLOCK_BITS = 40
#: The tables whose rows are never changed once written (the audit trails).
APPEND_ONLY = frozenset({"statuschange", "reviewchange", "followupreview"})
#: A key of a row of a table of several key columns joins them with this.
KEY_SEPARATOR = "|"


def synced_tables() -> list[Table]:
    """Every table of the models, parents before children."""
    from briefing_app.store.models import SQLModel

    return list(SQLModel.metadata.sorted_tables)


def table_named(name: str) -> Table:
    from briefing_app.store.models import SQLModel

    return SQLModel.metadata.tables[name]


def key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def row_key(table: Table, row: Any) -> str:
    """The key of ``row`` (a mapping) as the change logs write it."""
    return KEY_SEPARATOR.join(str(row[name]) for name in key_columns(table))


def key_values(key: str) -> tuple[int, ...]:
    return tuple(int(part) for part in key.split(KEY_SEPARATOR))


def block_start(number: int) -> int:
    """The first identifier of briefcase ``number``'s block."""
    return number << BLOCK_BITS


# ------------------------------------------------------------------ the briefcase's tables


def is_briefcase(connection: Any) -> bool:
    """Whether the SQLite store on ``connection`` (a DB-API one) is a briefcase."""
    return connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
        (STATE_TABLE,)).fetchone() is not None


def create_bookkeeping(connection: Any, state: dict[str, Any]) -> None:
    """Make the store a briefcase with ``state``, in the caller's transaction
    (``connection``: SQLAlchemy's, on the SQLite store)."""
    connection.exec_driver_sql(f"CREATE TABLE {STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
    connection.exec_driver_sql(
        f"CREATE TABLE {LOG_TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        "table_name TEXT NOT NULL, row_key TEXT NOT NULL, op TEXT NOT NULL, columns TEXT)")
    write_state(connection, state)
    install_triggers(connection)


def read_state(connection: Any) -> dict[str, str]:
    return {row[0]: row[1] for row in connection.exec_driver_sql(
        f"SELECT key, value FROM {STATE_TABLE}")}


def write_state(connection: Any, values: dict[str, Any]) -> None:
    connection.exec_driver_sql(
        f"INSERT INTO {STATE_TABLE} (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [(key, None if value is None else str(value)) for key, value in values.items()])


def _trigger_sql(table: str, columns: Sequence[str], keys: Sequence[str]) -> list[str]:
    def key_of(row: str) -> str:
        return " || '|' || ".join(f'CAST({row}."{name}" AS TEXT)' for name in keys)

    changed = " || ".join(
        f"CASE WHEN OLD.\"{name}\" IS NOT NEW.\"{name}\" THEN ',{name}' ELSE '' END"
        for name in columns)
    any_changed = " OR ".join(f'OLD."{name}" IS NOT NEW."{name}"' for name in columns)
    insert = f"INSERT INTO {LOG_TABLE} (table_name, row_key, op, columns) VALUES"
    return [
        f'CREATE TRIGGER sync_{table}_i AFTER INSERT ON "{table}" BEGIN '
        f"{insert} ('{table}', {key_of('NEW')}, 'I', NULL); END",
        f'CREATE TRIGGER sync_{table}_u AFTER UPDATE ON "{table}" WHEN {any_changed} BEGIN '
        f"{insert} ('{table}', {key_of('NEW')}, 'U', substr({changed}, 2)); END",
        f'CREATE TRIGGER sync_{table}_d AFTER DELETE ON "{table}" BEGIN '
        f"{insert} ('{table}', {key_of('OLD')}, 'D', NULL); END",
    ]


def install_triggers(connection: Any) -> None:
    """(Re)make the change-log triggers from the tables' current columns: after a
    migration, whose table rebuilds drop them, and whose new columns they must name."""
    for table in synced_tables():
        columns = [row[1] for row in connection.exec_driver_sql(
            f'PRAGMA table_info("{table.name}")')]
        for suffix in ("i", "u", "d"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_{table.name}_{suffix}")
        for statement in _trigger_sql(table.name, columns, key_columns(table)):
            connection.exec_driver_sql(statement)


# ------------------------------------------------------------------ identifiers of its own


class IdAllocator:
    """Gives every new record of a briefcase's session an identifier from its block.

    Registered on each write session of a briefcase; the counter lives in
    ``sync_state`` and moves in the session's own transaction (which holds the
    store's write lock), so two instances of the app never hand out one twice.
    """

    def __call__(self, session: Any, _context: Any, _instances: Any) -> None:
        wanting = [instance for instance in session.new
                   if _has_id(instance) and getattr(instance, "id", None) is None]
        if not wanting:
            return
        connection = session.connection()
        first = int(connection.exec_driver_sql(
            f"SELECT value FROM {STATE_TABLE} WHERE key = 'next_id'").scalar_one())
        connection.exec_driver_sql(
            f"UPDATE {STATE_TABLE} SET value = ? WHERE key = 'next_id'",
            (str(first + len(wanting)),))
        for offset, instance in enumerate(wanting):
            instance.id = first + offset


def _has_id(instance: Any) -> bool:
    table = getattr(instance, "__table__", None)
    return table is not None and key_columns(table) == ["id"]


def allocate_ids(session: Any) -> None:
    """Register :class:`IdAllocator` on a briefcase's ``session``."""
    from sqlalchemy import event

    event.listen(session, "before_flush", IdAllocator())


# ------------------------------------------------------------------ rows in and out


def select_rows(connection: Any, table: Table, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The rows of ``table`` with ``keys`` (as the logs write them), by key; a key with
    no row (deleted since) is absent. ``connection`` is an SQLAlchemy connection."""
    from sqlalchemy import select

    found: dict[str, dict[str, Any]] = {}
    for condition in _key_conditions(table, keys):
        for row in connection.execute(select(table).where(condition)).mappings():
            found[row_key(table, row)] = dict(row)
    return found


def _key_conditions(table: Table, keys: Iterable[str]) -> Iterator[Any]:
    """Conditions naming the rows of ``keys``, 500 keys to a condition."""
    from sqlalchemy import tuple_

    columns = key_columns(table)
    wanted = sorted({key_values(key) for key in keys})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        if len(columns) == 1:
            yield table.c[columns[0]].in_([key[0] for key in chunk])
        else:
            yield tuple_(*(table.c[name] for name in columns)).in_(chunk)


def delete_rows(connection: Any, table: Table, keys: Iterable[str]) -> int:
    from sqlalchemy import delete

    deleted = 0
    for condition in _key_conditions(table, keys):
        deleted += connection.execute(delete(table).where(condition)).rowcount or 0
    return deleted


def upsert_rows(connection: Any, table: Table, rows: Sequence[dict[str, Any]], *,
                columns: dict[str, set[str]] | None = None) -> None:
    """Write ``rows`` into ``table``: insert, or update an existing row with the same key
    (all its columns, or only those ``columns`` names for its key); a row of an
    append-only table is never updated."""
    if not rows:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if connection.dialect.name == "postgresql" \
        else sqlite.insert
    keys = key_columns(table)
    names = [column.name for column in table.columns]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        changed = names if columns is None else sorted(
            columns.get(row_key(table, row), set(names)))
        update = tuple(name for name in changed if name not in keys)
        groups.setdefault(update, []).append(row)
    for update, group in groups.items():
        statement: Any = insert(table)
        if table.name in APPEND_ONLY or not update:
            statement = statement.on_conflict_do_nothing(index_elements=keys)
        else:
            statement = statement.on_conflict_do_update(
                index_elements=keys,
                set_={name: statement.excluded[name] for name in update})
        connection.execute(statement, group)


def update_rows(connection: Any, table: Table, rows: Sequence[dict[str, Any]],
                columns: dict[str, set[str]]) -> list[str]:
    """Update the existing rows among ``rows`` in the ``columns`` changed (by key); the
    keys of the rows that no longer exist (deleted elsewhere meanwhile) are returned."""
    from sqlalchemy import bindparam, update

    keys = key_columns(table)
    present = select_rows(connection, table, [row_key(table, row) for row in rows])
    gone = [row_key(table, row) for row in rows if row_key(table, row) not in present]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        key = row_key(table, row)
        changed = tuple(sorted(name for name in columns.get(key, ()) if name not in keys))
        if key in present and changed and table.name not in APPEND_ONLY:
            groups.setdefault(changed, []).append(row)
    for changed, group in groups.items():
        statement = update(table).where(
            *(table.c[name] == bindparam(f"key_{name}") for name in keys)).values(
            {name: bindparam(f"new_{name}") for name in changed})
        connection.execute(statement, [
            {**{f"key_{name}": row[name] for name in keys},
             **{f"new_{name}": row[name] for name in changed}} for row in group])
    return gone


def missing_parents(connection: Any, table: Table,
                    rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The rows of ``rows`` whose parent (a foreign key) is not on ``connection``'s store,
    by key, each with the parent it misses ("letter 12")."""
    from sqlalchemy import select

    missing: dict[str, str] = {}
    for foreign in table.foreign_keys:
        column = foreign.parent.name
        target = foreign.column
        wanted = {row[column] for row in rows if row[column] is not None}
        if not wanted:
            continue
        found: set[Any] = set()
        if target.table is table:  # a row may name another row of the same batch
            found.update(row[target.name] for row in rows)
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            found.update(connection.execute(
                select(target).where(target.in_(chunk))).scalars())
        for row in rows:
            if row[column] is not None and row[column] not in found:
                missing.setdefault(row_key(table, row), f"{target.table.name} {row[column]}")
    return missing
