"""Reference data read from the letters: people, indicators, meetings."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import col, select

from briefing_app.errors import InvalidInput, NotFound
from briefing_app.services.common import citations_for, letter_titles, load_json_list
from briefing_app.services.read_models import (
    IndicatorRead,
    MeetingRead,
    PackSummary,
    PersonRead,
    RoleRead,
)
from briefing_app.store.engine import Store
from briefing_app.store.models import (
    BriefingPack,
    Indicator,
    LetterRole,
    Meeting,
    PackBuild,
    PartnerCountry,
    Person,
)
from briefing_app.store.unit_of_work import UnitOfWork

ROLE_ORDER = {"sender": 0, "signatory": 1, "recipient": 2, "attention": 3, "cc": 4}


def _int_id(kind: str, value: str | int) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{kind} {value!r}: give the id printed by 'list {kind}'") from None


class CatalogueService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def people(self) -> list[PersonRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            titles = letter_titles(session)
            roles: dict[int, list[LetterRole]] = defaultdict(list)
            for role in session.exec(select(LetterRole)).all():
                roles[role.person_id].append(role)
            people = session.exec(select(Person).order_by(col(Person.id))).all()
            return [
                PersonRead(
                    id=p.id or 0, name=p.name, honorific=p.honorific,
                    organisation=p.organisation, country=p.country,
                    country_code=p.country_code,
                    roles=tuple(
                        RoleRead(r.letter_id, titles.get(r.letter_id, ""), r.role, r.title,
                                 r.name_as_written, r.honorific, r.organisation)
                        for r in sorted(roles.get(p.id or 0, ()),
                                        key=lambda r: (r.letter_id, ROLE_ORDER.get(r.role, 9)))
                    ),
                )
                for p in people
            ]

    def person(self, person_id: str | int) -> PersonRead:
        wanted = _int_id("people", person_id)
        for person in self.people():
            if person.id == wanted:
                return person
        raise NotFound(f"person {wanted}: not in the store")

    def indicators(self, *, with_citations: bool = False) -> list[IndicatorRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            isos = {c.id: c.iso for c in session.exec(select(PartnerCountry)).all()}
            rows = session.exec(select(Indicator).order_by(col(Indicator.id))).all()
            cites = (citations_for(session, "indicator", [r.id or 0 for r in rows])
                     if with_citations else {})
            return [
                IndicatorRead(
                    id=r.id or 0, key=r.key, label=r.label, value=r.value, unit=r.unit,
                    approximate=r.approximate, display=r.display, period=r.period,
                    as_of=r.as_of, route=r.route,
                    country=isos.get(r.country_id) if r.country_id else None,
                    letter_id=r.letter_id, citations=cites.get(r.id or 0, ()),
                )
                for r in rows
            ]

    def indicator(self, key: str | int) -> IndicatorRead:
        """An indicator by its id or its key ("wb-irregular-crossings-2024")."""
        text = str(key).strip()
        for indicator in self.indicators(with_citations=True):
            if str(indicator.id) == text or indicator.key == text:
                return indicator
        raise NotFound(f"indicator {text}: not in the store")

    def meetings(self) -> list[MeetingRead]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            rows = session.exec(
                select(Meeting).order_by(col(Meeting.date), col(Meeting.id))
            ).all()
            cites = citations_for(session, "meeting", [r.id or 0 for r in rows])
            return [
                MeetingRead(r.id or 0, r.formation, r.title, r.date, r.place,
                            load_json_list(r.agenda), cites.get(r.id or 0, ()))
                for r in rows
            ]

    def meeting(self, meeting_id: str | int) -> MeetingRead:
        wanted = _int_id("meetings", meeting_id)
        for meeting in self.meetings():
            if meeting.id == wanted:
                return meeting
        raise NotFound(f"meeting {wanted}: not in the store")

    def packs(self) -> list[PackSummary]:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            builds: dict[int, list[PackBuild]] = defaultdict(list)
            for build in session.exec(select(PackBuild).order_by(col(PackBuild.version))).all():
                builds[build.pack_id].append(build)
            result = []
            for pack in session.exec(select(BriefingPack).order_by(col(BriefingPack.id))).all():
                versions = builds.get(pack.id or 0, [])
                latest = versions[-1] if versions else None
                result.append(PackSummary(
                    pack.id or 0, pack.meeting_id, pack.title, pack.created_at, len(versions),
                    latest.sha256 if latest else None, latest.page_count if latest else None,
                ))
            return result
