"""Load the bundled seed corpus: the five letters and the curated data beside them.

This is write-side code: it imports the ORM, so :class:`~briefing_app.services.Services`
loads it only when the seed is needed.

Everything is loaded in one transaction, and loading twice changes nothing:
letters are matched by SHA-256, countries by ISO code, indicators by key,
meetings by title and date, corrections by their span. Items that already
exist are left alone, so a user's status changes are never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from briefing_app import paths
from briefing_app.corpus.decode import read_letter_file
from briefing_app.corpus.parser import parse_letter
from briefing_app.domain.routes import ROUTES
from briefing_app.domain.status import parse_rag, parse_status
from briefing_app.errors import InvalidInput
from briefing_app.services.common import now
from briefing_app.services.letters import sha256_of
from briefing_app.services.recording import (
    add_quote_citation,
    baseline,
    link_commitment_countries,
    quote_span,
    store_letter,
)
from briefing_app.store.engine import Store
from briefing_app.store.models import (
    Indicator,
    Instrument,
    Letter,
    LetterCorrection,
    Meeting,
    PartnerCountry,
)
from briefing_app.store.unit_of_work import UnitOfWork

SEED_AUTHOR = "seed"



@dataclass(frozen=True)
class SeedReport:
    letters_added: int
    countries_added: int
    indicators_added: int
    meetings_added: int
    corrections_added: int
    follow_ups_added: int = 0

    @property
    def changed(self) -> bool:
        return any((self.letters_added, self.countries_added, self.indicators_added,
                    self.meetings_added, self.corrections_added, self.follow_ups_added))


def _read_json(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path}: cannot read seed data ({exc})") from exc


class SeedService:
    def __init__(self, store: Store, folder: Path | None = None) -> None:
        self.store = store
        self.folder = folder or paths.seed_dir()

    def load(self) -> SeedReport:
        """Load the seed corpus into the store (one transaction)."""
        manifest = _read_json(self.folder, "letters.json")
        with UnitOfWork(self.store) as uow:
            session = uow.session
            letters: dict[str, Letter] = {}
            letters_added = 0
            for entry in manifest["letters"]:
                letter, added = self._letter(session, entry["file"], entry.get("title"))
                letters[entry["file"]] = letter
                letters_added += added
            corrections = self._corrections(session, letters)
            countries = self._countries(session, letters)
            indicators = self._indicators(session, letters)
            meetings = self._meetings(session, letters)
            link_commitment_countries(session)
            follow_ups = self._follow_ups(session, letters)
            uow.commit()
        if letters_added:
            # the finder's suggestions for every commitment, beside the reviewed ones
            from briefing_app.services.follow_ups import FollowUpService

            FollowUpService(self.store).find()
        return SeedReport(letters_added, countries, indicators, meetings, corrections,
                          follow_ups)

    # -- parts --------------------------------------------------------------------------

    def _letter(self, session: Session, file_name: str, title: str | None) -> tuple[Letter, int]:
        path = self.folder / file_name
        data, text, encoding = read_letter_file(path)
        digest = sha256_of(data)
        existing = session.exec(select(Letter).where(Letter.sha256 == digest)).first()
        if existing is not None:
            return existing, 0
        letter = store_letter(session, parse_letter(text), source_name=file_name,
                              sha256=digest, encoding=encoding, title=title,
                              source="bundled seed", author=SEED_AUTHOR, state="accepted")
        return letter, 1

    @staticmethod
    def _letter_named(letters: dict[str, Letter], name: str, where: str) -> Letter:
        try:
            return letters[name]
        except KeyError:
            raise InvalidInput(f"{where}: letter {name!r} is not in letters.json") from None

    def _corrections(self, session: Session, letters: dict[str, Letter]) -> int:
        added = 0
        for number, entry in enumerate(_read_json(self.folder, "corrections.json"), start=1):
            where = f"corrections.json entry {number}"
            letter = self._letter_named(letters, entry["letter"], where)
            start = letter.original_text.find(entry["quote"])
            if start < 0:
                raise InvalidInput(f"{where}: {entry['quote']!r} not found in {entry['letter']}")
            end = start + len(entry["quote"])
            exists = session.exec(
                select(LetterCorrection).where(LetterCorrection.letter_id == letter.id,
                                               LetterCorrection.start == start,
                                               LetterCorrection.end == end)
            ).first()
            if exists is None:
                session.add(LetterCorrection(letter_id=letter.id or 0, start=start, end=end,
                                             original=entry["quote"],
                                             corrected=entry["corrected"],
                                             note=entry.get("note", ""), created_at=now()))
                added += 1
        return added

    def _countries(self, session: Session, letters: dict[str, Letter]) -> int:
        added = 0
        for entry in _read_json(self.folder, "partner_countries.json"):
            where = f"partner_countries.json {entry.get('iso', '?')}"
            iso = entry["iso"].upper()
            if session.exec(select(PartnerCountry).where(PartnerCountry.iso == iso)).first():
                continue
            unknown = [r for r in entry["routes"] if r not in ROUTES]
            if unknown:
                raise InvalidInput(f"{where}: unknown route(s) {unknown}")
            status = parse_status(entry["status"], field=f"{where} status")
            rag = parse_rag(entry["rag"], field=f"{where} rag")
            country = PartnerCountry(
                iso=iso, name=entry["name"], aliases=json.dumps(entry.get("aliases", []),
                                                                ensure_ascii=False),
                routes=json.dumps(entry["routes"], ensure_ascii=False), status=status.value,
                rag=rag.value, status_note=entry.get("status_note"),
            )
            session.add(country)
            session.flush()
            country_id = country.id or 0
            for cite in entry.get("citations", []):
                add_quote_citation(session, self._letter_named(letters, cite["letter"], where),
                                   "country", country_id, cite["quote"], where=where)
            for instrument_entry in entry.get("instruments", []):
                instrument = Instrument(country_id=country_id, kind=instrument_entry["kind"],
                                        name=instrument_entry["name"],
                                        state=instrument_entry["state"])
                session.add(instrument)
                session.flush()
                add_quote_citation(
                    session, self._letter_named(letters, instrument_entry["letter"], where),
                    "instrument", instrument.id or 0, instrument_entry["quote"], where=where,
                )
            baseline(session, "country", country_id, SEED_AUTHOR,
                      "bundled seed (partner_countries.json)", status=status.value,
                      rag=rag.value)
            added += 1
        return added

    def _indicators(self, session: Session, letters: dict[str, Letter]) -> int:
        added = 0
        isos = {c.iso: c.id for c in session.exec(select(PartnerCountry)).all()}
        for entry in _read_json(self.folder, "indicators.json"):
            where = f"indicators.json {entry.get('key', '?')}"
            if session.exec(select(Indicator).where(Indicator.key == entry["key"])).first():
                continue
            letter = self._letter_named(letters, entry["letter"], where)
            country_id = None
            if entry.get("country"):
                if entry["country"] not in isos:
                    raise InvalidInput(f"{where}: unknown country {entry['country']!r}")
                country_id = isos[entry["country"]]
            indicator = Indicator(
                key=entry["key"], label=entry["label"], value=float(entry["value"]),
                unit=entry["unit"], approximate=bool(entry.get("approximate")),
                display=entry["display"], period=entry.get("period"),
                as_of=date.fromisoformat(entry["as_of"]) if entry.get("as_of") else None,
                route=entry.get("route"), country_id=country_id, letter_id=letter.id,
            )
            session.add(indicator)
            session.flush()
            add_quote_citation(session, letter, "indicator", indicator.id or 0, entry["quote"],
                               where=where)
            added += 1
        return added

    def _meetings(self, session: Session, letters: dict[str, Letter]) -> int:
        added = 0
        for entry in _read_json(self.folder, "meetings.json"):
            when = date.fromisoformat(entry["date"]) if entry.get("date") else None
            where = f"meetings.json {entry['title']!r}"
            exists = session.exec(
                select(Meeting).where(Meeting.title == entry["title"], Meeting.date == when)
            ).first()
            if exists:
                continue
            meeting = Meeting(formation=entry["formation"], title=entry["title"], date=when,
                              place=entry.get("place"),
                              agenda=json.dumps(entry.get("agenda", []), ensure_ascii=False))
            session.add(meeting)
            session.flush()
            for cite in entry.get("citations", []):
                add_quote_citation(session, self._letter_named(letters, cite["letter"], where),
                                   "meeting", meeting.id or 0, cite["quote"], where=where)
            added += 1
        return added

    def _follow_ups(self, session: Session, letters: dict[str, Letter]) -> int:
        """The reviewed follow-ups of follow_ups.json: accepted, each with the status its
        passage supports (if any) recorded with that passage as its source."""
        from briefing_app.domain import kinds
        from briefing_app.services.follow_ups import evidence_source
        from briefing_app.services.recording import record_change
        from briefing_app.store.models import (
            Commitment,
            CommitmentSeries,
            FollowUp,
            FollowUpReview,
            Paragraph,
        )

        added = 0
        document = _read_json(self.folder, "follow_ups.json")
        for number, entry in enumerate(document["follow_ups"], start=1):
            where = f"follow_ups.json entry {number}"
            letter = self._letter_named(letters, entry["letter"], where)
            commitment = session.exec(
                select(Commitment).join(CommitmentSeries)
                .where(CommitmentSeries.key == entry["series"],
                       Commitment.number == entry["number"])).first()
            if commitment is None:
                raise InvalidInput(f"{where}: no commitment {entry['number']} in series "
                                   f"{entry['series']!r}")
            if commitment.letter_id == letter.id:
                raise InvalidInput(f"{where}: a passage of the commitment's own letter is "
                                   "not a follow-up")
            start, end = quote_span(letter, entry["quote"], where=where)
            if session.exec(select(FollowUp).where(
                    FollowUp.commitment_id == commitment.id, FollowUp.letter_id == letter.id,
                    FollowUp.start == start, FollowUp.end == end)).first() is not None:
                continue
            paragraph = session.exec(select(Paragraph).where(
                Paragraph.letter_id == letter.id, Paragraph.start <= start,
                Paragraph.end >= end)).first()
            stamp = now()
            follow_up = FollowUp(commitment_id=commitment.id or 0, letter_id=letter.id or 0,
                                 paragraph_id=paragraph.id if paragraph else None,
                                 start=start, end=end, quote=entry["quote"], state="accepted",
                                 origin="seed", found_at=stamp, reviewed_by=SEED_AUTHOR,
                                 reviewed_at=stamp)
            session.add(follow_up)
            session.flush()
            change_id = None
            if entry.get("status") or entry.get("rag"):
                status = parse_status(entry["status"], field=f"{where} status") \
                    if entry.get("status") else None
                rag = parse_rag(entry["rag"], field=f"{where} rag") if entry.get("rag") else None
                series = session.get(CommitmentSeries, commitment.series_id)
                kind = kinds.of_series(series.key if series else entry["series"])
                change = record_change(session, kind, commitment, status=status, rag=rag,
                                       owner=None, note=entry.get("note"), author=SEED_AUTHOR,
                                       source=evidence_source(follow_up, letter))
                change_id = change.id
            follow_up.status_change_id = change_id
            session.add(follow_up)
            session.add(FollowUpReview(follow_up_id=follow_up.id or 0, action="accept",
                                       old_state="suggested", new_state="accepted",
                                       status_change_id=change_id, author=SEED_AUTHOR,
                                       changed_at=stamp))
            added += 1
        return added
