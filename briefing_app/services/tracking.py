"""Tracked items: action points, operational measures and partner countries.

Each has a status, a RAG colour, an owner and notes. Every change is a
StatusChange row (the audit trail, never deleted); an undo is a further
change that restores the previous values and says which change it reverts.
Every change, an undo included, is written by
:func:`briefing_app.services.recording.record_change`, in one unit of work
that finds the item, changes it and labels the change from it. The kinds and
their spellings come from :mod:`briefing_app.domain.kinds`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from briefing_app.domain import kinds
from briefing_app.domain.kinds import ACTION_POINTS, COUNTRIES, MEASURES, Kind, tracked_kind
from briefing_app.domain.status import (
    CLOSED,
    DEFAULT_RAG,
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
from briefing_app.services.common import Dated, citations_for, load_json_list, named_countries
from briefing_app.services.evidence import commitment_evidence, country_evidence
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime

if TYPE_CHECKING:
    import sqlite3

    from briefing_app.store.models import TrackedItem


def find_item_id(db: sqlite3.Connection, kind: Kind, key: str | int) -> int:
    """An item's id from the key people use: its number, or a country's ISO code."""
    found = queries.find_item_id(db, kind.table, kind.key, kind.parse_key(key), kind.series)
    if found is None:
        raise kind.missing(key)
    return found


#: The tracked kinds by the item_kind their rows are stored under ("commitment", "country").
_TRACKED_BY_ROW = {kind.row_kind: kind for kind in kinds.TRACKED
                   if kind.series is None}


def item_kinds(db: sqlite3.Connection,
               items: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Kind]:
    """The kind each of ``items`` ((item_kind, item_id) pairs of stored rows) is shown as:
    a commitment of series "measures" is a measure."""
    wanted = set(items)
    series = queries.commitment_series_keys(
        db, [item_id for item_kind, item_id in wanted if item_kind == kinds.COMMITMENT_ROW_KIND])
    found: dict[tuple[str, int], Kind] = {}
    for item_kind, item_id in wanted:
        if item_kind == kinds.COMMITMENT_ROW_KIND:
            if item_id in series:
                found[(item_kind, item_id)] = kinds.of_series(series[item_id])
        elif item_kind in _TRACKED_BY_ROW:
            found[(item_kind, item_id)] = _TRACKED_BY_ROW[item_kind]
    return found


def item_labels(db: sqlite3.Connection,
                items: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """How a person names each of ``items`` ((item_kind, item_id) pairs of stored rows):
    "Measure 12", "Tunisia (TN)"… Only those items are read."""
    shown = item_kinds(db, items)
    wanted: dict[str, set[int]] = defaultdict(set)
    for item_kind, item_id in shown:
        wanted[item_kind].add(item_id)
    return {(item_kind, row["id"]): shown[(item_kind, row["id"])].item_label(row)
            for item_kind, ids in wanted.items()
            for row in queries.items_by_id(db, _TRACKED_BY_ROW[item_kind].table, ids)}


def _change_read(row: Any, label: str, kind: Kind | None = None) -> StatusChangeRead:
    """A change as read from a row or an ORM object (both have the same fields).

    ``kind`` is the kind the item is shown as: its ``item_kind`` is that kind's
    name ("measure"), not the stored "commitment".
    """
    # a database row (sqlite3's or sqlcipher3's Row: both have keys()) or an ORM object
    get = row.__getitem__ if hasattr(row, "keys") else lambda name: getattr(row, name)
    changed_at = get("changed_at")
    if isinstance(changed_at, str):
        changed_at = as_datetime(changed_at)
    return StatusChangeRead(
        id=get("id") or 0, item_kind=kind.stored if kind is not None else get("item_kind"),
        item_id=get("item_id"),
        item_label=label, old_status=get("old_status"), new_status=get("new_status"),
        old_rag=get("old_rag"), new_rag=get("new_rag"), old_owner=get("old_owner"),
        new_owner=get("new_owner"), note=get("note"), author=get("author"),
        source=get("source"),
        changed_at=changed_at,
        reverts_id=get("reverts_id"), origin=get("origin"),
    )


def resolve_change(current_status: str, current_rag: str, current_owner: str | None, *,
                   status: str | None, rag: str | None,
                   owner: str | None) -> tuple[str, str, str | None]:
    """The status, RAG and owner an item ends with after a change (no I/O).

    The rules of every status change: a status left out is kept; setting the
    status without a RAG also sets the status's usual colour; ``owner`` None
    keeps the owner and '' clears it. ``status`` and ``rag`` are values of
    :class:`Status` and :class:`Rag` (members or their text).
    """
    status_value = str(status) if status is not None else current_status
    if rag is not None:
        rag_value = str(rag)
    elif status is not None:
        rag_value = str(DEFAULT_RAG[Status(status)])
    else:
        rag_value = current_rag
    owner_value = current_owner if owner is None else (owner.strip() or None)
    return status_value, rag_value, owner_value


class TrackingService(Dated):
    def __init__(self, store: Store, today: date | None = None,
                 stale_after_months: int | None = None) -> None:
        self.store = store
        self._today = today
        self._stale_months = stale_after_months

    @property
    def stale_after_months(self) -> int:
        """After how many months without newer evidence an item is stale (the user's
        setting unless given)."""
        if self._stale_months is None:
            from briefing_app.services.preferences import load_preferences

            self._stale_months = load_preferences().stale_after_months
        return self._stale_months

    def newest_evidence(self) -> date | None:
        """The date of the newest evidence in the store (for the status bar)."""
        from briefing_app.services.evidence import newest_evidence

        with self.store.read() as db:
            return newest_evidence(db)

    # -- reading ------------------------------------------------------------------------

    def action_points(self, *, with_citations: bool = False,
                      series: str = "action-points") -> list[ActionPointRead]:
        """The numbered commitments of a series, as action points (of "action-points")."""
        with self.store.read() as db:
            rows = queries.action_points(db, series)
            changed = queries.last_changes(db, ACTION_POINTS.row_kind)
            cites = (citations_for(db, ACTION_POINTS.row_kind, [r["id"] for r in rows])
                     if with_citations else {})
            evidence, follow_ups = commitment_evidence(
                db, [r["id"] for r in rows], {r["id"]: r["status"] for r in rows}, self.today,
                self.stale_after_months)
        return [
            ActionPointRead(
                id=r["id"], number=r["number"], title=r["title"], text=r["text"],
                letter_id=r["letter_id"], status=r["status"], rag=r["rag"], owner=r["owner"],
                notes=r["notes"], last_changed=changed.get(r["id"]),
                stalled=is_stalled(r["status"], changed.get(r["id"]), self.today),
                citations=cites.get(r["id"], ()),
                evidence=evidence[r["id"]], follow_ups=follow_ups.get(r["id"], ()),
            )
            for r in rows
        ]

    def measures(self, *, with_citations: bool = False,
                 series: str = "measures") -> list[MeasureRead]:
        """The numbered commitments of a series, as measures (of "measures")."""
        with self.store.read() as db:
            rows = queries.measures(db, series)
            countries: dict[int, list[str]] = defaultdict(list)
            for pair in queries.measure_country_pairs(db, series):
                countries[pair["measure_id"]].append(pair["iso"])
            changed = queries.last_changes(db, MEASURES.row_kind)
            cites = (citations_for(db, MEASURES.row_kind, [r["id"] for r in rows])
                     if with_citations else {})
            evidence, follow_ups = commitment_evidence(
                db, [r["id"] for r in rows], {r["id"]: r["status"] for r in rows}, self.today,
                self.stale_after_months)
        return [
            MeasureRead(
                id=r["id"], number=r["number"], section=r["section"] or "",
                section_title=r["section_title"] or "", text=r["text"], deadline=r["deadline"],
                due_date=as_date(r["due_date"]),
                overdue=self._overdue(as_date(r["due_date"]), r["status"]),
                lead_actors=load_json_list(r["actors"]),
                countries=named_countries(countries.get(r["id"], []), r["countries"]),
                letter_id=r["letter_id"],
                status=r["status"], rag=r["rag"], owner=r["owner"], notes=r["notes"],
                last_changed=changed.get(r["id"]),
                stalled=is_stalled(r["status"], changed.get(r["id"]), self.today),
                citations=cites.get(r["id"], ()),
                evidence=evidence[r["id"]], follow_ups=follow_ups.get(r["id"], ()),
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
            evidence = country_evidence(db, [r["id"] for r in rows],
                                        {r["id"]: r["status"] for r in rows}, self.today,
                                        self.stale_after_months)
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
                evidence=evidence[r["id"]],
            )
            for r in rows
        ]

    def action_point(self, number: str | int) -> ActionPointRead:
        wanted = self._item_id(ACTION_POINTS, number)
        return next(p for p in self.action_points(with_citations=True) if p.id == wanted)

    def measure(self, number: str | int) -> MeasureRead:
        wanted = self._item_id(MEASURES, number)
        return next(m for m in self.measures(with_citations=True) if m.id == wanted)

    def country(self, iso: str) -> CountryRead:
        wanted = self._item_id(COUNTRIES, iso)
        return next(c for c in self.countries(with_citations=True) if c.id == wanted)

    def commitment_id(self, item: str) -> int:
        """The id of the commitment a person names as KIND:KEY: "measures:12",
        "action-points:3", "commitments:41"."""
        kind_name, colon, key = item.partition(":")
        kind = kinds.find(kind_name.strip())
        if not colon or not key.strip() or kind is None or kind.table != "commitment":
            raise InvalidInput(f"item {item!r}: give KIND:ID, e.g. measures:12, "
                               "action-points:3 or commitments:41")
        return self._item_id(kind, key.strip())

    def _item_id(self, kind: Kind, key: str | int) -> int:
        with self.store.read() as db:
            return find_item_id(db, kind, key)

    def _overdue(self, due: date | None, status: str) -> bool:
        return due is not None and due < self.today and Status(status) not in CLOSED

    def history(self, kind_name: str | None = None,
                key: str | int | None = None) -> list[StatusChangeRead]:
        """Status changes, oldest first: of one item, of one kind, or of everything."""
        kind = tracked_kind(kind_name) if kind_name is not None else None
        with self.store.read() as db:
            item_id = find_item_id(db, kind, key) if kind is not None and key is not None \
                else None
            rows = queries.status_changes(db, kind.row_kind if kind is not None else None,
                                          item_id)
            items = {(row["item_kind"], row["item_id"]) for row in rows}
            shown = item_kinds(db, items)
            labels = item_labels(db, items)
        if kind is not None and kind.table == "commitment" and item_id is None:
            # the changes of one series' commitments, or of commitments of no such series
            rows = [row for row in rows if shown.get((row["item_kind"], row["item_id"])) is kind]
        return [_change_read(row, labels.get((row["item_kind"], row["item_id"]), ""),
                             shown.get((row["item_kind"], row["item_id"])))
                for row in rows]

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
        is given. Nothing is written if the values are invalid. One unit of
        work: the item is found, changed and its change recorded on one
        connection.
        """
        kind = tracked_kind(kind_name)
        new_status = parse_status(status) if status is not None else None
        new_rag = parse_rag(rag) if rag is not None else None
        if new_status is None and new_rag is None and owner is None:
            raise InvalidInput("status: nothing to change (give a status, --rag or --owner)")

        from briefing_app.services.recording import record_change, tracked_item
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            item = tracked_item(uow.session, kind, key)
            change = record_change(uow.session, kind, item, status=new_status, rag=new_rag,
                                   owner=owner, note=note, author=author, source=source)
            shown = shown_kind(uow.session, kind, item)
            uow.commit()
            return _change_read(change, shown.item_label(item), shown)

    def revert(self, change_id: int, *, author: str | None = None,
               source: str = "undo") -> StatusChangeRead:
        """Undo a change: restore the item's previous values as a new, linked change.

        The undo is recorded like any change
        (:func:`~briefing_app.services.recording.record_change` with ``reverts_id``),
        in one unit of work on one connection.
        """
        from briefing_app.services.recording import record_change
        from briefing_app.store.models import TRACKED_MODELS, StatusChange
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            session = uow.session
            change = session.get(StatusChange, change_id)
            if change is None:
                raise NotFound(f"status change {change_id}: not in the store")
            if change.old_status is None:
                raise InvalidInput(f"status change {change_id}: a baseline cannot be undone")
            kind = kinds.by_stored(change.item_kind)
            item = cast("TrackedItem | None",
                        session.get(TRACKED_MODELS[change.item_kind], change.item_id))
            if item is None:
                raise NotFound(f"{kind.short} of change {change_id}: no longer in the store")
            kind = shown_kind(session, kind, item)
            # the values before the change, exactly: no owner then clears the owner now
            restore = record_change(
                session, kind, item, status=change.old_status, rag=change.old_rag or None,
                owner=change.old_owner or "", note=undo_note(change), author=author,
                source=source, reverts_id=change_id)
            uow.commit()
            return _change_read(restore, kind.item_label(item), kind)


def shown_kind(session: Any, kind: Kind, item: TrackedItem) -> Kind:
    """The kind ``item`` is shown as: a commitment of series "measures" is a measure."""
    from briefing_app.store.models import Commitment, CommitmentSeries

    if not isinstance(item, Commitment):
        return kind
    series = session.get(CommitmentSeries, item.series_id)
    return kinds.of_series(series.key) if series is not None else kind


def undo_note(change: Any) -> str:
    """The history note of an undo, in words: which change it takes back."""
    stamp = change.changed_at.strftime("%d %b %Y %H:%M") if change.changed_at else "an earlier date"
    what = f"status {change.old_status} → {change.new_status}"
    if change.old_status == change.new_status:
        what = f"RAG {change.old_rag} → {change.new_rag}"
    return f"Undid the change of {stamp} ({what}) by {change.author}"
