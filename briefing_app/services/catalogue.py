"""Reference data read from the letters: people, indicators, meetings, packs."""

from __future__ import annotations

from collections import defaultdict

from briefing_app.errors import InvalidInput, NotFound
from briefing_app.read_models import (
    IndicatorRead,
    MeetingRead,
    PackSummary,
    PersonRead,
    RoleRead,
)
from briefing_app.services.common import citations_for, load_json_list
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime

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
        with self.store.read() as db:
            roles: dict[int, list[Row]] = defaultdict(list)
            for role in queries.roles(db):
                roles[role["person_id"]].append(role)
            people = queries.people(db)
        return [
            PersonRead(
                id=p["id"], name=p["name"], honorific=p["honorific"],
                organisation=p["organisation"], country=p["country"],
                country_code=p["country_code"],
                roles=tuple(
                    RoleRead(r["letter_id"], r["letter_title"], r["role"], r["title"],
                             r["name_as_written"], r["honorific"], r["organisation"],
                             r["start"], r["end"])
                    for r in sorted(roles.get(p["id"], ()),
                                    key=lambda r: (r["letter_id"], ROLE_ORDER.get(r["role"], 9)))
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
        with self.store.read() as db:
            rows = queries.indicators(db)
            cites = (citations_for(db, "indicator", [r["id"] for r in rows])
                     if with_citations else {})
        return [
            IndicatorRead(
                id=r["id"], key=r["key"], label=r["label"], value=r["value"], unit=r["unit"],
                approximate=bool(r["approximate"]), display=r["display"], period=r["period"],
                as_of=as_date(r["as_of"]), route=r["route"], country=r["country_iso"],
                letter_id=r["letter_id"], citations=cites.get(r["id"], ()),
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
        with self.store.read() as db:
            rows = queries.meetings(db)
            cites = citations_for(db, "meeting", [r["id"] for r in rows])
        return [
            MeetingRead(r["id"], r["formation"], r["title"], as_date(r["date"]), r["place"],
                        load_json_list(r["agenda"]), cites.get(r["id"], ()))
            for r in rows
        ]

    def meeting(self, meeting_id: str | int) -> MeetingRead:
        wanted = _int_id("meetings", meeting_id)
        for meeting in self.meetings():
            if meeting.id == wanted:
                return meeting
        raise NotFound(f"meeting {wanted}: not in the store")

    def packs(self) -> list[PackSummary]:
        with self.store.read() as db:
            rows = queries.packs(db)
        return [
            PackSummary(r["id"], r["meeting_id"], r["title"],
                        as_datetime(r["created_at"]),  # type: ignore[arg-type]
                        r["versions"], r["latest_sha256"], r["latest_page_count"])
            for r in rows
        ]
