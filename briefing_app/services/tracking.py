"""Tracked items: action points, operational measures and partner countries.

Each has a status, a RAG colour, an owner and notes. Every change is a
StatusChange row (the audit trail, never deleted); an undo is a further
change that restores the previous values and says which change it reverts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from briefing_app.domain.status import (
    CLOSED,
    DEFAULT_RAG,
    Status,
    is_stalled,
    parse_rag,
    parse_status,
)
from briefing_app.errors import InvalidInput, NotFound
from briefing_app.services.common import (
    citations_for,
    current_author,
    last_changes,
    load_json_list,
    now,
)
from briefing_app.services.read_models import (
    ActionPointRead,
    CountryRead,
    InstrumentRead,
    MeasureRead,
    StatusChangeRead,
)
from briefing_app.store.engine import Store
from briefing_app.store.models import (
    ActionPoint,
    Indicator,
    Instrument,
    MeasureCountry,
    OperationalMeasure,
    PartnerCountry,
    StatusChange,
)
from briefing_app.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ItemKind:
    """How the CLI, the store and people name one kind of tracked item."""

    cli: str  # "measures"
    stored: str  # item_kind in StatusChange and Citation: "measure"
    noun: str  # "measure"
    model: Any


ACTION_POINTS = ItemKind("action-points", "action_point", "action point", ActionPoint)
MEASURES = ItemKind("measures", "measure", "measure", OperationalMeasure)
COUNTRIES = ItemKind("countries", "country", "country", PartnerCountry)
TRACKED_KINDS = {kind.cli: kind for kind in (ACTION_POINTS, MEASURES, COUNTRIES)}
_BY_STORED = {kind.stored: kind for kind in TRACKED_KINDS.values()}


def tracked_kind(name: str) -> ItemKind:
    try:
        return TRACKED_KINDS[name]
    except KeyError:
        allowed = ", ".join(TRACKED_KINDS)
        raise InvalidInput(f"kind: {name!r} has no status (use one of: {allowed})") from None


def _find(session: Session, kind: ItemKind, key: str | int) -> Any:
    """An item by the key people use: its number, or a country's ISO code."""
    if kind is COUNTRIES:
        code = str(key).strip().upper()
        row = session.exec(select(PartnerCountry).where(PartnerCountry.iso == code)).first()
        if row is None:
            raise NotFound(f"country {key}: no partner country with this ISO code")
        return row
    try:
        number = int(str(key).strip())
    except ValueError:
        raise InvalidInput(f"{kind.noun} {key!r}: give its number, e.g. 12") from None
    rows = session.exec(
        select(kind.model).where(kind.model.number == number).order_by(col(kind.model.id))
    ).all()
    if not rows:
        raise NotFound(f"{kind.noun} {number}: not in the store")
    return rows[0]


def _label(kind: ItemKind, item: Any) -> str:
    if kind is COUNTRIES:
        return f"{item.name} ({item.iso})"
    if kind is ACTION_POINTS:
        return f"Action point {item.number}: {item.title}"
    return f"Measure {item.number}"


def _change_read(change: StatusChange, label: str) -> StatusChangeRead:
    return StatusChangeRead(
        id=change.id or 0, item_kind=change.item_kind, item_id=change.item_id, item_label=label,
        old_status=change.old_status, new_status=change.new_status, old_rag=change.old_rag,
        new_rag=change.new_rag, old_owner=change.old_owner, new_owner=change.new_owner,
        note=change.note, author=change.author, source=change.source,
        changed_at=change.changed_at, reverts_id=change.reverts_id,
    )


class TrackingService:
    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- reading ------------------------------------------------------------------------

    def action_points(self, *, with_citations: bool = False) -> list[ActionPointRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            rows = session.exec(
                select(ActionPoint).order_by(col(ActionPoint.number), col(ActionPoint.id))
            ).all()
            changed = last_changes(session, ACTION_POINTS.stored)
            cites = (citations_for(session, ACTION_POINTS.stored, [r.id or 0 for r in rows])
                     if with_citations else {})
            return [
                ActionPointRead(
                    id=r.id or 0, number=r.number, title=r.title, text=r.text,
                    letter_id=r.letter_id, status=r.status, rag=r.rag, owner=r.owner,
                    notes=r.notes, last_changed=changed.get(r.id or 0),
                    stalled=is_stalled(r.status, changed.get(r.id or 0), self.today),
                    citations=cites.get(r.id or 0, ()),
                )
                for r in rows
            ]

    def measures(self, *, with_citations: bool = False) -> list[MeasureRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            rows = session.exec(
                select(OperationalMeasure).order_by(col(OperationalMeasure.number),
                                                    col(OperationalMeasure.id))
            ).all()
            countries: dict[int, list[str]] = defaultdict(list)
            for measure_id, iso in session.exec(
                select(MeasureCountry.measure_id, PartnerCountry.iso)
                .join(PartnerCountry, col(PartnerCountry.id) == MeasureCountry.country_id)
                .order_by(col(PartnerCountry.iso))
            ).all():
                countries[measure_id].append(iso)
            changed = last_changes(session, MEASURES.stored)
            cites = (citations_for(session, MEASURES.stored, [r.id or 0 for r in rows])
                     if with_citations else {})
            return [
                MeasureRead(
                    id=r.id or 0, number=r.number, section=r.section,
                    section_title=r.section_title, text=r.text, deadline=r.deadline,
                    due_date=r.due_date, overdue=self._overdue(r.due_date, r.status),
                    lead_actors=load_json_list(r.lead_actors),
                    countries=tuple(countries.get(r.id or 0, ())), letter_id=r.letter_id,
                    status=r.status, rag=r.rag, owner=r.owner, notes=r.notes,
                    last_changed=changed.get(r.id or 0),
                    stalled=is_stalled(r.status, changed.get(r.id or 0), self.today),
                    citations=cites.get(r.id or 0, ()),
                )
                for r in rows
            ]

    def countries(self, *, with_citations: bool = False) -> list[CountryRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            rows = session.exec(select(PartnerCountry).order_by(col(PartnerCountry.name))).all()
            ids = [r.id or 0 for r in rows]
            instruments: dict[int, list[Instrument]] = defaultdict(list)
            for instrument in session.exec(select(Instrument).order_by(col(Instrument.id))).all():
                instrument_list = instruments[instrument.country_id]
                instrument_list.append(instrument)
            instrument_cites = (
                citations_for(session, "instrument",
                              [i.id or 0 for group in instruments.values() for i in group])
                if with_citations else {}
            )
            measures: dict[int, list[int]] = defaultdict(list)
            for country_id, number in session.exec(
                select(MeasureCountry.country_id, OperationalMeasure.number)
                .join(OperationalMeasure,
                      col(OperationalMeasure.id) == MeasureCountry.measure_id)
                .order_by(col(OperationalMeasure.number))
            ).all():
                measures[country_id].append(number)
            indicators: dict[int, list[str]] = defaultdict(list)
            for indicator_country, key in session.exec(
                select(Indicator.country_id, Indicator.key).order_by(col(Indicator.id))
            ).all():
                if indicator_country is not None:
                    indicators[indicator_country].append(key)
            changed = last_changes(session, COUNTRIES.stored)
            cites = citations_for(session, COUNTRIES.stored, ids) if with_citations else {}
            return [
                CountryRead(
                    id=r.id or 0, iso=r.iso, name=r.name, routes=load_json_list(r.routes),
                    instruments=tuple(
                        InstrumentRead(i.kind, i.name, i.state,
                                       instrument_cites.get(i.id or 0, ()))
                        for i in instruments.get(r.id or 0, ())
                    ),
                    status=r.status, rag=r.rag, status_note=r.status_note, owner=r.owner,
                    notes=r.notes, measures=tuple(measures.get(r.id or 0, ())),
                    indicators=tuple(indicators.get(r.id or 0, ())),
                    last_changed=changed.get(r.id or 0),
                    stalled=is_stalled(r.status, changed.get(r.id or 0), self.today),
                    citations=cites.get(r.id or 0, ()),
                )
                for r in rows
            ]

    def action_point(self, number: str | int) -> ActionPointRead:
        return self._one(ACTION_POINTS, number, self.action_points(with_citations=True))

    def measure(self, number: str | int) -> MeasureRead:
        return self._one(MEASURES, number, self.measures(with_citations=True))

    def country(self, iso: str) -> CountryRead:
        return self._one(COUNTRIES, iso, self.countries(with_citations=True))

    def _one(self, kind: ItemKind, key: str | int, items: list[Any]) -> Any:
        with UnitOfWork(self.store) as uow:
            wanted = _find(uow.session, kind, key).id
        return next(item for item in items if item.id == wanted)

    def _overdue(self, due: date | None, status: str) -> bool:
        return due is not None and due < self.today and Status(status) not in CLOSED

    def history(self, kind_name: str | None = None,
                key: str | int | None = None) -> list[StatusChangeRead]:
        """Status changes, oldest first: of one item, of one kind, or of everything."""
        with UnitOfWork(self.store) as uow:
            session = uow.session
            query = select(StatusChange)
            if kind_name is not None:
                kind = tracked_kind(kind_name)
                query = query.where(StatusChange.item_kind == kind.stored)
                if key is not None:
                    query = query.where(StatusChange.item_id == _find(session, kind, key).id)
            changes = session.exec(query.order_by(col(StatusChange.changed_at),
                                                  col(StatusChange.id))).all()
            labels = self._labels(session)
            return [_change_read(c, labels.get((c.item_kind, c.item_id), "")) for c in changes]

    @staticmethod
    def _labels(session: Session) -> dict[tuple[str, int], str]:
        labels: dict[tuple[str, int], str] = {}
        for kind in TRACKED_KINDS.values():
            for item in session.exec(select(kind.model)).all():
                labels[(kind.stored, item.id)] = _label(kind, item)
        return labels

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
        with UnitOfWork(self.store) as uow:
            session = uow.session
            item = _find(session, kind, key)
            status_value = new_status.value if new_status else item.status
            if new_rag is not None:
                rag_value = new_rag.value
            elif new_status is not None:
                rag_value = DEFAULT_RAG[new_status].value
            else:
                rag_value = item.rag
            owner_value = item.owner if owner is None else (owner.strip() or None)
            change = StatusChange(
                item_kind=kind.stored, item_id=item.id, old_status=item.status,
                new_status=status_value, old_rag=item.rag, new_rag=rag_value,
                old_owner=item.owner, new_owner=owner_value, note=note or None,
                author=author or current_author(), source=source, changed_at=now(),
            )
            item.status, item.rag, item.owner = status_value, rag_value, owner_value
            session.add(item)
            session.add(change)
            uow.commit()
            return _change_read(change, _label(kind, item))

    def revert(self, change_id: int, *, author: str | None = None,
               source: str = "undo") -> StatusChangeRead:
        """Undo a change: restore the item's previous values as a new, linked change."""
        with UnitOfWork(self.store) as uow:
            session = uow.session
            change = session.get(StatusChange, change_id)
            if change is None:
                raise NotFound(f"status change {change_id}: not in the store")
            if change.old_status is None:
                raise InvalidInput(f"status change {change_id}: a baseline cannot be undone")
            kind = _BY_STORED[change.item_kind]
            item = session.get(kind.model, change.item_id)
            if item is None:
                raise NotFound(f"{kind.noun} of change {change_id}: no longer in the store")
            restore = StatusChange(
                item_kind=change.item_kind, item_id=change.item_id, old_status=item.status,
                new_status=change.old_status, old_rag=item.rag,
                new_rag=change.old_rag or DEFAULT_RAG[Status(change.old_status)].value,
                old_owner=item.owner, new_owner=change.old_owner,
                note=f"undo of change {change_id}", author=author or current_author(),
                source=source, changed_at=now(), reverts_id=change_id,
            )
            item.status, item.rag, item.owner = (restore.new_status, restore.new_rag,
                                                 restore.new_owner)
            session.add(item)
            session.add(restore)
            uow.commit()
            return _change_read(restore, _label(kind, item))

