"""Tracked items: action points, operational measures and partner countries.

Each has a status, a RAG colour, an owner and notes. Every change is a
StatusChange row (the audit trail, never deleted); an undo is a further
change that restores the previous values and says which change it reverts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from briefing_app.domain.status import (
    CLOSED,
    DEFAULT_RAG,
    Rag,
    Status,
    is_stalled,
    parse_rag,
    parse_status,
)
from briefing_app.errors import InvalidInput, NotFound
from briefing_app.read_models import (
    ActionPointRead,
    CountryRead,
    InstrumentRead,
    MeasureRead,
    StatusChangeRead,
)
from briefing_app.services.common import citations_for, current_author, load_json_list, now
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime

if TYPE_CHECKING:
    from sqlmodel import Session

    from briefing_app.store.models import StatusChange, TrackedItem


@dataclass(frozen=True)
class ItemKind:
    """How the CLI, the store and people name one kind of tracked item."""

    cli: str  # "measures"
    stored: str  # item_kind in StatusChange and Citation: "measure"
    noun: str  # "measure"
    table: str  # "operationalmeasure"


ACTION_POINTS = ItemKind("action-points", "action_point", "action point", "actionpoint")
MEASURES = ItemKind("measures", "measure", "measure", "operationalmeasure")
COUNTRIES = ItemKind("countries", "country", "country", "partnercountry")
TRACKED_KINDS = {kind.cli: kind for kind in (ACTION_POINTS, MEASURES, COUNTRIES)}
_BY_STORED = {kind.stored: kind for kind in TRACKED_KINDS.values()}


def tracked_kind(name: str) -> ItemKind:
    try:
        return TRACKED_KINDS[name]
    except KeyError:
        allowed = ", ".join(TRACKED_KINDS)
        raise InvalidInput(f"kind: {name!r} has no status (use one of: {allowed})") from None


def find_item_id(store: Store, kind: ItemKind, key: str | int) -> int:
    """An item's id from the key people use: its number, or a country's ISO code."""
    with store.read() as db:
        if kind is COUNTRIES:
            code = str(key).strip().upper()
            found = queries.find_country_id(db, code)
            if found is None:
                raise NotFound(f"country {key}: no partner country with this ISO code")
            return found
        try:
            number = int(str(key).strip())
        except ValueError:
            raise InvalidInput(f"{kind.noun} {key!r}: give its number, e.g. 12") from None
        ids = queries.find_item_ids(db, kind.table, number)
        if not ids:
            raise NotFound(f"{kind.noun} {number}: not in the store")
        return ids[0]


def _change_read(row: Any, label: str) -> StatusChangeRead:
    """A change as read from a row or an ORM object (both have the same fields)."""
    # a database row (sqlite3's or sqlcipher3's Row: both have keys()) or an ORM object
    get = row.__getitem__ if hasattr(row, "keys") else lambda name: getattr(row, name)
    changed_at = get("changed_at")
    if isinstance(changed_at, str):
        changed_at = as_datetime(changed_at)
    return StatusChangeRead(
        id=get("id") or 0, item_kind=get("item_kind"), item_id=get("item_id"),
        item_label=label, old_status=get("old_status"), new_status=get("new_status"),
        old_rag=get("old_rag"), new_rag=get("new_rag"), old_owner=get("old_owner"),
        new_owner=get("new_owner"), note=get("note"), author=get("author"),
        source=get("source"),
        changed_at=changed_at,
        reverts_id=get("reverts_id"),
    )


def resolve_change(current_status: str, current_rag: str, current_owner: str | None, *,
                   status: Status | None, rag: Rag | None,
                   owner: str | None) -> tuple[str, str, str | None]:
    """The status, RAG and owner an item ends with after a change (no I/O).

    The rules of every status change: a status left out is kept; setting the
    status without a RAG also sets the status's usual colour; ``owner`` None
    keeps the owner and '' clears it.
    """
    status_value = status.value if status is not None else current_status
    if rag is not None:
        rag_value = rag.value
    elif status is not None:
        rag_value = DEFAULT_RAG[status].value
    else:
        rag_value = current_rag
    owner_value = current_owner if owner is None else (owner.strip() or None)
    return status_value, rag_value, owner_value


def record_change(session: Session, kind: ItemKind, item: TrackedItem, *,
                  status: Status | None, rag: Rag | None, owner: str | None,
                  note: str | None, author: str | None, source: str) -> StatusChange:
    """Change a tracked item inside ``session`` and add its StatusChange (not committed).

    The one place a status changes (:meth:`TrackingService.set_status`, table
    imports): the values follow :func:`resolve_change`; the earlier rows, the
    baseline first, are never touched.
    """
    from briefing_app.store.models import StatusChange

    status_value, rag_value, owner_value = resolve_change(
        item.status, item.rag, item.owner, status=status, rag=rag, owner=owner)
    change = StatusChange(
        item_kind=kind.stored, item_id=item.id or 0, old_status=item.status,
        new_status=status_value, old_rag=item.rag, new_rag=rag_value,
        old_owner=item.owner, new_owner=owner_value, note=note or None,
        author=author or current_author(), source=source, changed_at=now(),
    )
    item.status, item.rag, item.owner = status_value, rag_value, owner_value
    session.add(item)
    session.add(change)
    session.flush()  # gives the change its id
    return change


class TrackingService:
    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- reading ------------------------------------------------------------------------

    def action_points(self, *, with_citations: bool = False) -> list[ActionPointRead]:
        with self.store.read() as db:
            rows = queries.action_points(db)
            changed = queries.last_changes(db, ACTION_POINTS.stored)
            cites = (citations_for(db, ACTION_POINTS.stored, [r["id"] for r in rows])
                     if with_citations else {})
        return [
            ActionPointRead(
                id=r["id"], number=r["number"], title=r["title"], text=r["text"],
                letter_id=r["letter_id"], status=r["status"], rag=r["rag"], owner=r["owner"],
                notes=r["notes"], last_changed=changed.get(r["id"]),
                stalled=is_stalled(r["status"], changed.get(r["id"]), self.today),
                citations=cites.get(r["id"], ()),
            )
            for r in rows
        ]

    def measures(self, *, with_citations: bool = False) -> list[MeasureRead]:
        with self.store.read() as db:
            rows = queries.measures(db)
            countries: dict[int, list[str]] = defaultdict(list)
            for pair in queries.measure_country_pairs(db):
                countries[pair["measure_id"]].append(pair["iso"])
            changed = queries.last_changes(db, MEASURES.stored)
            cites = (citations_for(db, MEASURES.stored, [r["id"] for r in rows])
                     if with_citations else {})
        return [
            MeasureRead(
                id=r["id"], number=r["number"], section=r["section"],
                section_title=r["section_title"], text=r["text"], deadline=r["deadline"],
                due_date=as_date(r["due_date"]),
                overdue=self._overdue(as_date(r["due_date"]), r["status"]),
                lead_actors=load_json_list(r["lead_actors"]),
                countries=tuple(countries.get(r["id"], ())), letter_id=r["letter_id"],
                status=r["status"], rag=r["rag"], owner=r["owner"], notes=r["notes"],
                last_changed=changed.get(r["id"]),
                stalled=is_stalled(r["status"], changed.get(r["id"]), self.today),
                citations=cites.get(r["id"], ()),
            )
            for r in rows
        ]

    def countries(self, *, with_citations: bool = False) -> list[CountryRead]:
        with self.store.read() as db:
            rows = queries.countries(db)
            instruments: dict[int, list[Row]] = defaultdict(list)
            for instrument in queries.instruments(db):
                instruments[instrument["country_id"]].append(instrument)
            instrument_cites = (
                citations_for(db, "instrument",
                              [i["id"] for group in instruments.values() for i in group])
                if with_citations else {}
            )
            measures: dict[int, list[int]] = defaultdict(list)
            for pair in queries.measure_country_pairs(db):
                measures[pair["country_id"]].append(pair["number"])
            indicators: dict[int, list[str]] = defaultdict(list)
            for indicator in queries.indicators(db):
                if indicator["country_id"] is not None:
                    indicators[indicator["country_id"]].append(indicator["key"])
            changed = queries.last_changes(db, COUNTRIES.stored)
            cites = (citations_for(db, COUNTRIES.stored, [r["id"] for r in rows])
                     if with_citations else {})
        return [
            CountryRead(
                id=r["id"], iso=r["iso"], name=r["name"], routes=load_json_list(r["routes"]),
                instruments=tuple(
                    InstrumentRead(i["kind"], i["name"], i["state"],
                                   instrument_cites.get(i["id"], ()))
                    for i in instruments.get(r["id"], ())
                ),
                status=r["status"], rag=r["rag"], status_note=r["status_note"],
                owner=r["owner"], notes=r["notes"],
                measures=tuple(sorted(measures.get(r["id"], ()))),
                indicators=tuple(indicators.get(r["id"], ())),
                last_changed=changed.get(r["id"]),
                stalled=is_stalled(r["status"], changed.get(r["id"]), self.today),
                citations=cites.get(r["id"], ()),
            )
            for r in rows
        ]

    def action_point(self, number: str | int) -> ActionPointRead:
        wanted = find_item_id(self.store, ACTION_POINTS, number)
        return next(p for p in self.action_points(with_citations=True) if p.id == wanted)

    def measure(self, number: str | int) -> MeasureRead:
        wanted = find_item_id(self.store, MEASURES, number)
        return next(m for m in self.measures(with_citations=True) if m.id == wanted)

    def country(self, iso: str) -> CountryRead:
        wanted = find_item_id(self.store, COUNTRIES, iso)
        return next(c for c in self.countries(with_citations=True) if c.id == wanted)

    def _overdue(self, due: date | None, status: str) -> bool:
        return due is not None and due < self.today and Status(status) not in CLOSED

    def history(self, kind_name: str | None = None,
                key: str | int | None = None) -> list[StatusChangeRead]:
        """Status changes, oldest first: of one item, of one kind, or of everything."""
        item_kind = item_id = None
        if kind_name is not None:
            kind = tracked_kind(kind_name)
            item_kind = kind.stored
            if key is not None:
                item_id = find_item_id(self.store, kind, key)
        with self.store.read() as db:
            labels = queries.item_labels(db)
            return [_change_read(row, labels.get((row["item_kind"], row["item_id"]), ""))
                    for row in queries.status_changes(db, item_kind, item_id)]

    # -- writing ------------------------------------------------------------------------

    def set_status(
        self,
        kind_name: str,
        key: str | int,
        status: str | None = None,
        *,
        rag: str | None = None,
        owner: str | None = None,
        note: str | None = None,
        author: str | None = None,
        source: str = "briefing-app",
    ) -> StatusChangeRead:
        """Change an item's status, RAG and/or owner, recording a StatusChange.

        Setting only the status also sets its usual RAG colour, unless ``rag``
        is given. Nothing is written if the values are invalid.
        """
        kind = tracked_kind(kind_name)
        new_status = parse_status(status) if status is not None else None
        new_rag = parse_rag(rag) if rag is not None else None
        if new_status is None and new_rag is None and owner is None:
            raise InvalidInput("status: nothing to change (give a status, --rag or --owner)")
        item_id = find_item_id(self.store, kind, key)

        from briefing_app.store.models import TRACKED_MODELS
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            item = cast("TrackedItem | None",
                        uow.session.get(TRACKED_MODELS[kind.stored], item_id))
            if item is None:
                raise NotFound(f"{kind.noun} {key}: no longer in the store")
            change = record_change(uow.session, kind, item, status=new_status, rag=new_rag,
                                   owner=owner, note=note, author=author, source=source)
            uow.commit()
            read = _change_read(change, "")
        return self._labelled(read)

    def revert(self, change_id: int, *, author: str | None = None,
               source: str = "undo") -> StatusChangeRead:
        """Undo a change: restore the item's previous values as a new, linked change."""
        from briefing_app.store.models import TRACKED_MODELS, StatusChange
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            session = uow.session
            change = session.get(StatusChange, change_id)
            if change is None:
                raise NotFound(f"status change {change_id}: not in the store")
            if change.old_status is None:
                raise InvalidInput(f"status change {change_id}: a baseline cannot be undone")
            kind = _BY_STORED[change.item_kind]
            item = cast("TrackedItem | None",
                        session.get(TRACKED_MODELS[kind.stored], change.item_id))
            if item is None:
                raise NotFound(f"{kind.noun} of change {change_id}: no longer in the store")
            restore = StatusChange(
                item_kind=change.item_kind, item_id=change.item_id, old_status=item.status,
                new_status=change.old_status, old_rag=item.rag,
                new_rag=change.old_rag or DEFAULT_RAG[Status(change.old_status)].value,
                old_owner=item.owner, new_owner=change.old_owner,
                note=undo_note(change), author=author or current_author(),
                source=source, changed_at=now(), reverts_id=change_id,
            )
            item.status, item.rag, item.owner = (restore.new_status, restore.new_rag,
                                                 restore.new_owner)
            session.add(item)
            session.add(restore)
            uow.commit()
            read = _change_read(restore, "")
        return self._labelled(read)

    def _labelled(self, change: StatusChangeRead) -> StatusChangeRead:
        with self.store.read() as db:
            label = queries.item_labels(db).get((change.item_kind, change.item_id), "")
        return replace(change, item_label=label)


def undo_note(change: Any) -> str:
    """The history note of an undo, in words: which change it takes back."""
    stamp = change.changed_at.strftime("%d %b %Y %H:%M") if change.changed_at else "an earlier date"
    what = f"status {change.old_status} → {change.new_status}"
    if change.old_status == change.new_status:
        what = f"RAG {change.old_rag} → {change.new_rag}"
    return f"Undid the change of {stamp} ({what}) by {change.author}"
