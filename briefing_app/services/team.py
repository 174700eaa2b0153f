"""Working as a team: briefcases checked out of the team store, their syncs, and the
conflicts a sync finds, resolved by a person.

See :mod:`briefing_app.store.sync` for how a sync works. Which side of a
conflict is *local*: in the briefcase whose sync met it, the briefcase's
value; anywhere else (the team store, another briefcase) the team store's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from briefing_app.domain import kinds
from briefing_app.errors import InvalidInput, NotFound, StoreError
from briefing_app.identity import current_author, current_origin
from briefing_app.read_models import ReadModel
from briefing_app.store import queries
from briefing_app.store.queries import as_datetime

if TYPE_CHECKING:
    from briefing_app.store.engine import Store
    from briefing_app.store.models import TrackedItem
    from briefing_app.store.postgres import TeamStore
    from briefing_app.store.sync import SyncReport
    from briefing_app.store.team_access import Ask

#: The source of the status change a resolution records.
RESOLUTION_SOURCE = "conflict resolution"


@dataclasses.dataclass(frozen=True)
class ConflictSide(ReadModel):
    side: str  # local | remote
    place: str  # "team store" or "briefcase N"
    status: str
    rag: str
    owner: str | None
    note: str | None
    author: str
    origin: str | None
    changed_at: datetime


@dataclasses.dataclass(frozen=True)
class ConflictRead(ReadModel):
    id: int
    item_kind: str
    item_id: int
    item_label: str  # "Measure 12"
    detected_at: datetime
    #: the local value first, then the remote one
    values: tuple[ConflictSide, ...]


def _side(row: Any, prefix: str, side: str, place: str) -> ConflictSide:
    return ConflictSide(
        side=side, place=place, status=row[f"{prefix}_status"], rag=row[f"{prefix}_rag"],
        owner=row[f"{prefix}_owner"], note=row[f"{prefix}_note"],
        author=row[f"{prefix}_author"], origin=row[f"{prefix}_origin"],
        changed_at=_when(row[f"{prefix}_changed_at"]))


def _when(value: Any) -> datetime:
    parsed = as_datetime(value)
    assert parsed is not None
    return parsed


def conflict_read(row: Any, here: str | None, label: str = "") -> ConflictRead:
    """A conflict as the store ``here`` (its briefcase number, None for another store)
    sees it: its own value is the local one."""
    briefcase = f"briefcase {row['briefcase']}"
    team = _side(row, "team", "remote" if here == row["briefcase"] else "local", "team store")
    mine = _side(row, "briefcase", "local" if here == row["briefcase"] else "remote", briefcase)
    values = (mine, team) if mine.side == "local" else (team, mine)
    return ConflictRead(id=row["id"], item_kind=row["item_kind"], item_id=row["item_id"],
                        item_label=label, detected_at=_when(row["detected_at"]), values=values)


class TeamService:
    """The conflicts of a store (any store: a briefcase, the team store, a local one)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _here(self, db: Any) -> str | None:
        if not getattr(self.store, "is_briefcase", False):
            return None
        return queries.briefcase_state(db).get("briefcase")

    def conflicts(self, kind_name: str | None = None,
                  key: str | int | None = None) -> list[ConflictRead]:
        """The open conflicts, of one item when ``kind_name`` and ``key`` are given."""
        from briefing_app.services.tracking import find_item_id, item_labels

        with self.store.read() as db:
            kind = kinds.tracked_kind(kind_name) if kind_name is not None else None
            item_id = find_item_id(db, kind, key) if kind is not None and key is not None \
                else None
            rows = queries.open_conflicts(db, kind.row_kind if kind else None, item_id)
            here = self._here(db)
            labels = item_labels(db, {(row["item_kind"], row["item_id"]) for row in rows})
            return [conflict_read(row, here, labels.get((row["item_kind"], row["item_id"]), ""))
                    for row in rows]

    def resolve(self, kind_name: str, key: str | int, keep: str, *,
                author: str | None = None) -> Any:
        """End an item's conflict with the value kept: ``local``, ``remote`` or a status
        (with its usual RAG). The choice is recorded as a status change; both earlier
        changes stay in the history."""
        kind = kinds.tracked_kind(kind_name)
        found = self.conflicts(kind_name, key)
        if not found:
            raise NotFound(f"{kind.short} {key}: not in conflict")
        return self.resolve_conflict(found[0], keep, author=author)

    def resolve_conflict(self, conflict: ConflictRead, keep: str, *,
                         author: str | None = None) -> Any:
        """End ``conflict`` (see :meth:`resolve`)."""
        from sqlmodel import select

        from briefing_app.services.recording import record_change
        from briefing_app.services.tracking import _change_read, parse_status, shown_kind
        from briefing_app.store.models import TRACKED_MODELS, SyncConflict
        from briefing_app.store.unit_of_work import UnitOfWork

        choice = keep.strip().lower()
        rag: str | None
        owner: str | None
        if choice in ("local", "remote"):
            [side] = [value for value in conflict.values if value.side == choice]
            status, rag, owner = side.status, side.rag, side.owner or ""
            note = (f"Resolved the sync conflict: kept the {side.place}'s value "
                    f"({side.status}, by {side.author})")
        else:
            status, rag, owner = str(parse_status(choice)), None, None
            note = f"Resolved the sync conflict: set {status}"
        with UnitOfWork(self.store) as uow:
            session = uow.session
            item = cast("TrackedItem | None",
                        session.get(TRACKED_MODELS[conflict.item_kind], conflict.item_id))
            if item is None:
                raise NotFound(f"{conflict.item_kind} {conflict.item_id}: no longer in the "
                               "store")
            kind = shown_kind(session, kinds.by_stored(conflict.item_kind), item)
            change = record_change(session, kind, item, status=status, rag=rag, owner=owner,
                                   note=note, author=author, source=RESOLUTION_SOURCE)
            for row in session.exec(select(SyncConflict).where(
                    SyncConflict.item_kind == conflict.item_kind,
                    SyncConflict.item_id == conflict.item_id,
                    SyncConflict.resolved_at.is_(None))):  # type: ignore[union-attr]
                row.resolved_at = change.changed_at
                row.resolved_by = change.author
                row.resolution_change_id = change.id
                session.add(row)
            uow.commit()
            return _change_read(change, kind.item_label(item), kind)

    def synchronise(self, *, checkpoint: Callable[[str], None] | None = None,
                    ask_password: Ask | None = None) -> SyncRead:
        """Synchronise this briefcase with the team store it came from; ``ask_password``
        asks the person for the team store's password when ~/.pgpass and the keyring
        have none."""
        from briefing_app.store.postgres import TeamStore

        team = TeamStore(team_url(self.store), ask_password=ask_password)
        try:
            return synchronise(self.store, team, checkpoint=checkpoint)
        finally:
            team.close()


# ------------------------------------------------------------------------------ briefcases


@dataclasses.dataclass(frozen=True)
class SyncRead(ReadModel):
    briefcase: int
    team: str
    sent: int
    received: int
    conflicts: tuple[str, ...]
    dropped: tuple[str, ...]
    resumed: bool
    seconds: float


def checkout(team: TeamStore, out: Path, *, passphrase: str | None = None) -> int:
    """A briefcase of ``team`` in the new file ``out`` (encrypted with ``passphrase``);
    returns its number. A failure leaves no file behind."""
    from briefing_app.store.engine import Store
    from briefing_app.store.sync import checkout as copy_out

    out = Path(out)
    if out.exists():
        raise InvalidInput(f"{out}: already exists; a briefcase is checked out into a new file")
    target = Store(out, passphrase=passphrase, backup_dir=None)
    try:
        return copy_out(team, target, name=out.name, machine=current_origin(),
                        author=getattr(team, "author", None) or current_author())
    except BaseException:
        target.close()
        for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        target.close()


def team_url(store: Store) -> str:
    """The team store a briefcase came from (its URL, without a password)."""
    if not store.is_briefcase:
        raise StoreError(f"{store.path}: not a briefcase (check one out with "
                         "'briefcase checkout --from URL --out FILE')")
    with store.read() as db:
        return queries.briefcase_state(db)["team_url"]


def synchronise(store: Store, team: TeamStore, *,
                checkpoint: Callable[[str], None] | None = None) -> SyncRead:
    from briefing_app.store.sync import synchronise as run

    store.check_writable()
    report: SyncReport = run(store, team, checkpoint=checkpoint)
    labels = []
    with store.read() as db:
        from briefing_app.services.tracking import item_labels

        names = item_labels(db, set(report.conflicts))
        labels = [names.get(item, f"{item[0]} {item[1]}") for item in report.conflicts]
    return SyncRead(briefcase=report.briefcase, team=report.team, sent=report.sent,
                    received=report.received, conflicts=tuple(labels),
                    dropped=tuple(report.dropped), resumed=report.resumed,
                    seconds=round(report.seconds, 3))
