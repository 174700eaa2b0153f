"""Checking a briefcase out of the team store, and synchronising it back.

**Checkout** registers the briefcase in the team store (its number gives it
its identifier block), notes how far the team store's change log goes, and
copies every table in one snapshot into a new SQLite store, which then
becomes a briefcase (:mod:`briefing_app.store.briefcase`).

**A sync** runs inside one transaction of the briefcase, which holds its
write lock throughout:

1. *send*: the rows the briefcase's log names, as they are now, go to the
   team store in one transaction, which also moves the briefcase's
   ``acknowledged_through`` mark to the newest entry sent. A sync that is
   interrupted after that commit does not send those entries again;
2. *receive*: the team store's changes since the briefcase last received
   them (its log, up to a mark taken under the log's exclusive lock, so every
   change up to it is committed) are written into the briefcase, and its log
   is emptied.

If the network drops anywhere, the briefcase's transaction rolls back and
nothing of the briefcase is lost: the next sync sends what the team store
has not acknowledged and receives from the old mark again (writing a row
twice is harmless: a row is written as it is).

**Conflicts.** An item (commitment or country) whose status, RAG or owner
the briefcase changed, while the team store recorded a change of it too
since the briefcase's last sync (or holds it in conflict still), and whose
values now differ, keeps the team store's values and gets a
``syncconflict`` row with both, until a person resolves it. Both status
changes stay in the history. Other fields follow the last sync that wrote
them, column by column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from briefing_app.errors import StoreError
from briefing_app.store.briefcase import (
    LOG_TABLE,
    block_start,
    create_bookkeeping,
    delete_rows,
    key_values,
    missing_parents,
    read_state,
    row_key,
    select_rows,
    synced_tables,
    table_named,
    update_rows,
    upsert_rows,
    write_state,
)

if TYPE_CHECKING:
    from briefing_app.store.engine import Store
    from briefing_app.store.postgres import TeamStore

#: The advisory lock of the team store's change log (the same number as migration 0004's).
LOG_LOCK = 72_050_001
#: The fields of a tracked item that two places may set differently.
CONTESTED = ("status", "rag", "owner")
ITEM_TABLES = {"commitment": "commitment", "country": "partnercountry"}


@dataclass
class SyncReport:
    """What one sync did."""

    briefcase: int
    team: str
    sent: int = 0
    received: int = 0
    #: the items newly in conflict, as (item_kind, item_id)
    conflicts: list[tuple[str, int]] = field(default_factory=list)
    #: rows the team store no longer holds a parent of (kept out, with the reason)
    dropped: list[str] = field(default_factory=list)
    #: True when the team store had already received part of this sync's changes
    resumed: bool = False
    seconds: float = 0.0


@dataclass
class _Pending:
    inserted: bool = False
    columns: set[str] = field(default_factory=set)


def now() -> datetime:
    return datetime.now(UTC)


def _lost(team: TeamStore, exc: BaseException) -> StoreError:
    return StoreError(f"{team.path}: the connection to the team store was lost during the "
                      "sync; nothing is lost, run the sync again "
                      f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})")


def _watermark(team: TeamStore) -> int:
    """The newest entry of the team store's change log once every writer of an older one
    has committed (the log's exclusive lock waits for them)."""
    from sqlalchemy import text

    with team.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": LOG_LOCK})
        return int(connection.execute(
            text("SELECT coalesce(max(seq), 0) FROM sync_change")).scalar_one())


# --------------------------------------------------------------------------------- checkout


def checkout(team: TeamStore, target: Store, *, name: str, machine: str,
             author: str) -> int:
    """Copy the team store into ``target`` (a new, empty store) and make it a briefcase;
    returns its number in the team store's register."""
    from sqlalchemy import text

    with team.engine.begin() as connection:
        number = int(connection.execute(text(
            "INSERT INTO sync_briefcase (name, machine, author) "
            "VALUES (:name, :machine, :author) RETURNING id"),
            {"name": name, "machine": machine, "author": author}).scalar_one())
    mark = _watermark(team)
    with team.engine.connect().execution_options(
            isolation_level="REPEATABLE READ") as source, target.engine.begin() as copy:
        copy_tables(source, copy)
        create_bookkeeping(copy, {
            "team_url": team.path, "briefcase": number, "name": name,
            "received_through": mark, "next_id": block_start(number),
            "checked_out_at": now().isoformat(timespec="seconds"), "last_sync_at": None})
    target.forget_kind()
    return number


def copy_tables(source: Any, target: Any) -> int:
    """Copy every row of every table from ``source`` into the empty tables of ``target``
    (SQLAlchemy connections of either dialect, each in a transaction); returns the rows
    copied. On PostgreSQL the sequences then continue after the copied identifiers."""
    from sqlalchemy import insert, select, text

    copied = 0
    for table in synced_tables():
        order = [table.c[column.name] for column in table.primary_key.columns]
        result = source.execution_options(yield_per=2000).execute(
            select(table).order_by(*order))
        for rows in result.mappings().partitions():
            target.execute(insert(table), [dict(row) for row in rows])
            copied += len(rows)
    if target.dialect.name == "postgresql":
        for table in synced_tables():
            if "id" in table.c and table.c.id.primary_key:
                target.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"greatest(coalesce((SELECT max(id) FROM \"{table.name}\" "
                    f"WHERE id < {block_start(1)}), 0), 1))"))
    return copied


# ------------------------------------------------------------------------------------- sync


def synchronise(briefcase: Store, team: TeamStore, *,
                checkpoint: Callable[[str], None] | None = None) -> SyncReport:
    """Send the briefcase's changes to the team store and bring the team store's back.

    ``checkpoint(step)`` is called after each step ("sent", "received") for
    the tests of an interrupted sync. See the module docstring.
    """
    started = time.perf_counter()
    try:
        report = _synchronise(briefcase, team, checkpoint)
    except StoreError:
        raise
    except Exception as exc:
        if _is_connection_error(exc):
            raise _lost(team, exc) from None
        raise
    report.seconds = time.perf_counter() - started
    return report


def _is_connection_error(exc: BaseException) -> bool:
    import psycopg

    original = getattr(exc, "orig", exc)
    return isinstance(original, psycopg.OperationalError | OSError) or \
        getattr(exc, "connection_invalidated", False)


def _synchronise(briefcase: Store, team: TeamStore,
                 checkpoint: Callable[[str], None] | None) -> SyncReport:
    from sqlalchemy import text

    with briefcase.engine.connect() as local, local.begin():
        local.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        state = read_state(local)
        number = int(state["briefcase"])
        report = SyncReport(briefcase=number, team=team.path)
        with team.engine.connect() as connection:
            acknowledged = connection.execute(
                text("SELECT acknowledged_through FROM sync_briefcase WHERE id = :n"),
                {"n": number}).scalar()
        if acknowledged is None:
            raise StoreError(f"{team.path}: briefcase {number} is not in the team store's "
                             "register (was it checked out of another team store?)")
        _reconcile(local, team)
        entries = list(local.exec_driver_sql(
            f"SELECT seq, table_name, row_key, op, columns FROM {LOG_TABLE} "
            "WHERE seq > ? ORDER BY seq", (int(acknowledged),)).fetchall())
        report.resumed = bool(acknowledged) and local.exec_driver_sql(
            f"SELECT 1 FROM {LOG_TABLE} WHERE seq <= ? LIMIT 1",
            (int(acknowledged),)).first() is not None
        before = _open_conflicts(local)
        if entries:
            _send(local, team, entries, number, int(state["received_through"]), report)
        if checkpoint:
            checkpoint("sent")
        mark = _watermark(team)
        report.received = _receive(local, team, int(state["received_through"]), mark)
        # the conflicts this sync brought (also those an interrupted one recorded)
        report.conflicts = sorted(_open_conflicts(local) - before)
        local.exec_driver_sql(f"DELETE FROM {LOG_TABLE}")
        write_state(local, {"received_through": mark,
                            "last_sync_at": now().isoformat(timespec="seconds")})
        if checkpoint:
            checkpoint("received")
    return report


def _open_conflicts(local: Any) -> set[tuple[str, int]]:
    return {(row[0], int(row[1])) for row in local.exec_driver_sql(
        "SELECT item_kind, item_id FROM syncconflict WHERE resolved_at IS NULL")}


def _collapse(entries: list[Any]) -> dict[str, dict[str, _Pending]]:
    """The rows each table's log entries name, with whether the row was made here and
    which columns changed."""
    pending: dict[str, dict[str, _Pending]] = {}
    for _seq, table, key, op, columns in entries:
        entry = pending.setdefault(table, {}).setdefault(key, _Pending())
        if op == "I":
            entry.inserted = True
        elif op == "U" and columns:
            entry.columns.update(columns.split(","))
    return pending


def _send(local: Any, team: TeamStore, entries: list[Any], number: int, since: int,
          report: SyncReport) -> None:
    from sqlalchemy import text

    pending = _collapse(entries)
    rows = {name: select_rows(local, table_named(name), keys)
            for name, keys in pending.items()}
    with team.engine.begin() as remote:
        remote.execute(text("SELECT set_config('briefing.briefcase', :n, true)"),
                       {"n": str(number)})
        remote.execute(text("SELECT 1 FROM sync_briefcase WHERE id = :n FOR UPDATE"),
                       {"n": number})
        conflicts = _conflicts(remote, pending, rows, number, since)
        for table in synced_tables():
            entries_of = pending.get(table.name)
            if not entries_of:
                continue
            present = rows[table.name]
            made = [present[key] for key, entry in entries_of.items()
                    if entry.inserted and key in present]
            changed = [present[key] for key, entry in entries_of.items()
                       if not entry.inserted and key in present]
            columns = {key: set(entry.columns) for key, entry in entries_of.items()}
            for key in conflicts.get(table.name, ()):
                columns[key] -= set(CONTESTED)  # the team store's values stay
            orphans = missing_parents(remote, table, made)
            report.dropped += [f"{table.name} {key}: its {parent} is no longer in the team "
                               "store" for key, parent in orphans.items()]
            made = [row for row in made if row_key(table, row) not in orphans]
            upsert_rows(remote, table, made)
            gone = update_rows(remote, table, changed, columns)
            report.dropped += [f"{table.name} {key}: deleted in the team store meanwhile"
                               for key in gone]
            report.sent += len(made) + len(changed) - len(gone)
        for table in reversed(synced_tables()):
            deleted = [key for key in pending.get(table.name, {})
                       if key not in rows[table.name]]
            report.sent += len(deleted)
            delete_rows(remote, table, deleted)
        _record_conflicts(remote, conflicts, rows, number)
        remote.execute(text("UPDATE sync_briefcase SET acknowledged_through = :seq, "
                            "last_sync_at = now() WHERE id = :n"),
                       {"seq": int(entries[-1][0]), "n": number})


# ---------------------------------------------------------------------- one record, two ids

#: The tables whose rows are one record by these columns (unique), wherever they were made.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "letter": ("sha256",), "person": ("key",), "partnercountry": ("iso",),
    "indicator": ("key",), "commitmentseries": ("key",),
    "followup": ("commitment_id", "letter_id", "start", "end"),
}
#: The item kinds by which rows name a row of these tables (citation, status change…).
ITEM_KINDS = {"partnercountry": "country", "indicator": "indicator", "commitment": "commitment"}


def _reconcile(local: Any, team: TeamStore) -> None:
    """Records made here that the team store also holds under another identifier (the same
    person or country named in two letters imported offline in two places, the same
    follow-up found in both) become the team store's record, everywhere they are named;
    a series key taken meanwhile is suffixed as a second series always is. The same
    letter imported in both places is refused, naming it (nothing is changed)."""
    from sqlalchemy import select, tuple_

    made: dict[str, list[str]] = {}
    for table_name, key in local.exec_driver_sql(
            f"SELECT DISTINCT table_name, row_key FROM {LOG_TABLE} WHERE op = 'I'"):
        if table_name in NATURAL_KEYS:
            made.setdefault(table_name, []).append(key)
    if not made:
        return
    with team.engine.connect() as remote:
        for table in synced_tables():
            if table.name not in made:
                continue
            natural = NATURAL_KEYS[table.name]
            mine = select_rows(local, table, made[table.name])
            values = sorted({tuple(row[name] for name in natural) for row in mine.values()})
            theirs: dict[tuple[Any, ...], dict[str, Any]] = {}
            for start in range(0, len(values), 500):
                chunk = values[start:start + 500]
                condition = tuple_(*(table.c[name] for name in natural)).in_(chunk) \
                    if len(natural) > 1 else table.c[natural[0]].in_([v[0] for v in chunk])
                for found in remote.execute(select(table).where(condition)).mappings():
                    theirs[tuple(found[name] for name in natural)] = dict(found)
            for row in mine.values():
                other = theirs.get(tuple(row[name] for name in natural))
                if other is not None and other["id"] != row["id"]:
                    _one_record(local, table, row, other)


def _one_record(local: Any, table: Any, mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    from sqlalchemy import update

    if table.name == "letter":
        raise StoreError(f"the letter “{mine['title']}” was imported here and into the team "
                         "store since this briefcase's last sync; nothing was synchronised. "
                         "Keep one copy: import it in one place only")
    if table.name == "commitmentseries":
        local.execute(update(table).where(table.c.id == mine["id"]).values(
            key=f"{mine['key']}-{mine['letter_id']}"))
        return
    old, new = mine["id"], theirs["id"]
    # what names the record here names the team store's first (the foreign keys are
    # checked at commit), so deleting this one cascades to nothing
    for child in synced_tables():
        for foreign in child.foreign_keys:
            if foreign.column.table is table:
                column = child.c[foreign.parent.name]
                local.execute(update(child).where(column == old).values({column.name: new}))
    kind = ITEM_KINDS.get(table.name)
    if kind is not None:
        for child in synced_tables():
            if "item_kind" in child.c and "item_id" in child.c:
                local.execute(update(child).where(child.c.item_kind == kind,
                                                  child.c.item_id == old).values(item_id=new))
    delete_rows(local, table, [str(old)])
    # a follow-up keeps what was decided here; another record is the team store's
    upsert_rows(local, table, [{**mine, "id": new} if table.name == "followup" else theirs])


# ------------------------------------------------------------------------------- conflicts


def _conflicts(remote: Any, pending: dict[str, dict[str, _Pending]],
               rows: dict[str, dict[str, dict[str, Any]]], number: int,
               since: int) -> dict[str, dict[str, dict[str, Any]]]:
    """The items the briefcase changed that the team store changed too since ``since``
    (or holds in conflict), with the values differing: by item table, by key, the
    team store's newest change and open conflict."""
    from sqlalchemy import text

    mine: dict[tuple[str, int], dict[str, Any]] = {}
    changes = rows.get("statuschange", {})
    for key, entry in pending.get("statuschange", {}).items():
        if entry.inserted and key in changes:
            change = changes[key]
            item = (change["item_kind"], change["item_id"])
            if item not in mine or (change["changed_at"], change["id"]) > (
                    mine[item]["changed_at"], mine[item]["id"]):
                mine[item] = change
    if not mine:
        return {}
    theirs: dict[tuple[str, int], dict[str, Any]] = {}
    for change in remote.execute(text(
            "SELECT * FROM statuschange WHERE id IN (SELECT row_key::bigint FROM sync_change "
            "WHERE table_name = 'statuschange' AND op = 'I' AND seq > :since "
            "AND briefcase IS DISTINCT FROM :n) ORDER BY changed_at, id"),
            {"since": since, "n": number}).mappings():
        theirs[(change["item_kind"], change["item_id"])] = dict(change)
    resolved_here = {row["id"] for row in rows.get("syncconflict", {}).values()
                     if row["resolved_at"] is not None}
    open_ = {(row["item_kind"], row["item_id"]): dict(row) for row in remote.execute(text(
        "SELECT * FROM syncconflict WHERE resolved_at IS NULL ORDER BY id")).mappings()
        if row["id"] not in resolved_here}
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for item, change in mine.items():
        if item not in theirs and item not in open_:
            continue
        table = table_named(ITEM_TABLES[item[0]])
        key = str(item[1])
        here = rows.get(table.name, {}).get(key)
        [there] = select_rows(remote, table, [key]).values() or [None]
        if here is None or there is None or \
                all(here[name] == there[name] for name in CONTESTED):
            continue
        found.setdefault(table.name, {})[key] = {
            "kind": item[0], "id": item[1], "mine": change, "here": here, "there": there,
            "theirs": theirs.get(item), "open": open_.get(item)}
    return found


def _record_conflicts(remote: Any, conflicts: dict[str, dict[str, dict[str, Any]]],
                      rows: dict[str, dict[str, dict[str, Any]]],
                      number: int) -> list[tuple[str, int]]:
    from sqlalchemy import insert, update

    table = table_named("syncconflict")
    recorded: list[tuple[str, int]] = []
    for by_key in conflicts.values():
        for found in by_key.values():
            mine, here, there = found["mine"], found["here"], found["there"]
            values: dict[str, Any] = {
                "briefcase_status": here["status"], "briefcase_rag": here["rag"],
                "briefcase_owner": here["owner"], "briefcase_note": mine["note"],
                "briefcase_author": mine["author"], "briefcase_origin": mine["origin"],
                "briefcase_changed_at": mine["changed_at"], "briefcase_change_id": mine["id"],
                "briefcase": str(number)}
            theirs = found["theirs"]
            if theirs is not None:
                values.update({
                    "team_status": there["status"], "team_rag": there["rag"],
                    "team_owner": there["owner"], "team_note": theirs["note"],
                    "team_author": theirs["author"], "team_origin": theirs["origin"],
                    "team_changed_at": theirs["changed_at"], "team_change_id": theirs["id"]})
            if found["open"] is not None:
                remote.execute(update(table).where(table.c.id == found["open"]["id"])
                               .values(values))
            else:
                remote.execute(insert(table).values(
                    item_kind=found["kind"], item_id=found["id"], detected_at=now(),
                    **values))
            recorded.append((found["kind"], found["id"]))
    return sorted(recorded)


# ---------------------------------------------------------------------------------- receive


def _receive(local: Any, team: TeamStore, since: int, mark: int) -> int:
    """Write the team store's changes of log entries ``since`` < seq <= ``mark`` into the
    briefcase; returns how many rows were written or deleted."""
    from sqlalchemy import text

    wanted: dict[str, set[str]] = {}
    with team.engine.connect() as remote:
        for table_name, key in remote.execute(text(
                "SELECT DISTINCT table_name, row_key FROM sync_change "
                "WHERE seq > :since AND seq <= :mark"), {"since": since, "mark": mark}):
            wanted.setdefault(table_name, set()).add(key)
        found = {name: select_rows(remote, table_named(name), keys)
                 for name, keys in wanted.items()}
    count = 0
    for table in synced_tables():
        rows = found.get(table.name, {})
        upsert_rows(local, table, sorted(rows.values(), key=lambda r: row_key(table, r)))
        count += len(rows)
    for table in reversed(synced_tables()):
        gone = sorted(wanted.get(table.name, set()) - set(found.get(table.name, {})),
                      key=key_values)
        count += delete_rows(local, table, gone)
    return count
