"""The write side shared by the services: letters and their facts, and status changes.

A parsed letter and everything read from it go into the store here (import
and seed), and so does every change of a tracked item's status (a status
set, a table import, an undo). Everything here adds rows to an open session;
the caller's unit of work commits or rolls back the whole user action.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from sqlmodel import Session, select

from briefing_app.corpus.parser import ParsedLetter, ParsedRole
from briefing_app.domain.kinds import Kind
from briefing_app.errors import InvalidInput
from briefing_app.services.common import current_author, now
from briefing_app.services.tracking import resolve_change
from briefing_app.store.models import (
    TRACKED_MODELS,
    ActionPoint,
    Annex,
    Citation,
    Letter,
    LetterRole,
    MeasureCountry,
    OperationalMeasure,
    Paragraph,
    PartnerCountry,
    Person,
    StatusChange,
    TrackedItem,
)
from briefing_app.text import fold, shouting_words

BASELINE_STATUS = "no evidence"
BASELINE_RAG = "grey"


def add_citation(session: Session, letter: Letter, item_kind: str, item_id: int, start: int,
                 end: int) -> Citation:
    """Cite ``letter.original_text[start:end]`` for an item."""
    if not 0 <= start < end <= len(letter.original_text):
        raise InvalidInput(f"citation {start}-{end} lies outside letter {letter.id}")
    citation = Citation(letter_id=letter.id or 0, item_kind=item_kind, item_id=item_id,
                        start=start, end=end, quote=letter.original_text[start:end])
    session.add(citation)
    return citation


def add_quote_citation(session: Session, letter: Letter, item_kind: str, item_id: int,
                       quote: str, *, where: str) -> Citation:
    """Cite a passage given by its words; it must appear verbatim in the letter."""
    start = letter.original_text.find(quote)
    if start < 0:
        raise InvalidInput(f"{where}: quote not found in {letter.source_name}: {quote[:60]!r}")
    return add_citation(session, letter, item_kind, item_id, start, start + len(quote))


def baseline(session: Session, item_kind: str, item_id: int, author: str, source: str,
             status: str = BASELINE_STATUS, rag: str = BASELINE_RAG) -> None:
    """The first status of an item: its baseline, never overwritten."""
    session.add(StatusChange(item_kind=item_kind, item_id=item_id, old_status=None,
                             new_status=status, old_rag=None, new_rag=rag, author=author,
                             source=source, changed_at=now(), note="baseline"))


def tracked_item(session: Session, kind: Kind, key: str | int) -> TrackedItem:
    """The tracked item people name ``key`` (a number, an ISO code), read in ``session``.

    Numbers can repeat across letters: the oldest item with the number is found.
    """
    model: Any = TRACKED_MODELS[kind.stored]
    wanted = kind.parse_key(key)
    item = session.exec(
        select(model).where(getattr(model, kind.key) == wanted).order_by(model.id).limit(1)
    ).first()
    if item is None:
        raise kind.missing(key)
    return cast("TrackedItem", item)


def record_change(session: Session, kind: Kind, item: TrackedItem, *,
                  status: str | None, rag: str | None, owner: str | None,
                  note: str | None, author: str | None, source: str,
                  reverts_id: int | None = None) -> StatusChange:
    """Change a tracked item inside ``session`` and add its StatusChange (not committed).

    The one place a status changes: a status set, each row of a table import,
    and an undo (``reverts_id``: the change it takes back). The new values
    follow :func:`~briefing_app.services.tracking.resolve_change`; the earlier
    rows, the baseline first, are never touched.
    """
    status_value, rag_value, owner_value = resolve_change(
        item.status, item.rag, item.owner, status=status, rag=rag, owner=owner)
    change = StatusChange(
        item_kind=kind.stored, item_id=item.id or 0, old_status=item.status,
        new_status=status_value, old_rag=item.rag, new_rag=rag_value,
        old_owner=item.owner, new_owner=owner_value, note=note or None,
        author=author or current_author(), source=source, changed_at=now(),
        reverts_id=reverts_id,
    )
    item.status, item.rag, item.owner = status_value, rag_value, owner_value
    session.add(item)
    session.add(change)
    session.flush()  # gives the change its id
    return change


def store_letter(session: Session, parsed: ParsedLetter, *, source_name: str, sha256: str,
                 encoding: str, title: str | None, source: str,
                 author: str | None = None) -> Letter:
    """Add a parsed letter and everything read from it to the session (not committed)."""
    letter = Letter(
        title=title or parsed.title, date=parsed.date, place=parsed.place, kind=parsed.kind,
        reference=parsed.reference, salutation=parsed.salutation, subject=parsed.subject,
        original_text=parsed.text, source_name=source_name, sha256=sha256, encoding=encoding,
        imported_at=now(),
    )
    session.add(letter)
    session.flush()
    letter_id = letter.id or 0
    for paragraph in parsed.paragraphs:
        session.add(Paragraph(letter_id=letter_id, ordinal=paragraph.ordinal,
                              start=paragraph.start, end=paragraph.end, text=paragraph.text))
    for annex in parsed.annexes:
        session.add(Annex(letter_id=letter_id, label=annex.label, title=annex.title,
                          start=annex.start, end=annex.end))
    for role in parsed.roles:
        _store_role(session, letter, role)
    author = author or current_author()
    for point in parsed.action_points:
        item = ActionPoint(letter_id=letter_id, number=point.number, title=point.title,
                           text=point.text, status=BASELINE_STATUS, rag=BASELINE_RAG)
        session.add(item)
        session.flush()
        add_citation(session, letter, "action_point", item.id or 0, point.start, point.end)
        baseline(session, "action_point", item.id or 0, author, source)
    for parsed_measure in parsed.measures:
        measure = OperationalMeasure(
            letter_id=letter_id, number=parsed_measure.number, section=parsed_measure.section,
            section_title=parsed_measure.section_title, text=parsed_measure.text,
            deadline=parsed_measure.deadline, due_date=parsed_measure.due_date,
            lead_actors=json.dumps(parsed_measure.lead_actors), status=BASELINE_STATUS,
            rag=BASELINE_RAG,
        )
        session.add(measure)
        session.flush()
        add_citation(session, letter, "measure", measure.id or 0, parsed_measure.start,
                     parsed_measure.end)
        baseline(session, "measure", measure.id or 0, author, source)
    if parsed.measures:
        link_measure_countries(session)
    return letter


def _store_role(session: Session, letter: Letter, role: ParsedRole) -> None:
    """Link a person to the letter, creating or updating the one Person they are."""
    key = fold(role.name)
    person = session.exec(select(Person).where(Person.key == key)).first()
    if person is None:
        person = Person(key=key, name=role.name, honorific=role.honorific,
                        organisation=role.organisation, country=role.country,
                        country_code=role.country_code)
        session.add(person)
        session.flush()
    else:
        # keep the spelling that reads best: "Gerhard Karner" over "Gerhard KARNER"
        if shouting_words(role.name) < shouting_words(person.name):
            person.name = role.name
        person.honorific = person.honorific or role.honorific
        person.organisation = person.organisation or role.organisation
        if role.country and not person.country:
            person.country, person.country_code = role.country, role.country_code
        session.add(person)
    existing = session.exec(
        select(LetterRole).where(LetterRole.letter_id == letter.id,
                                 LetterRole.person_id == person.id,
                                 LetterRole.role == role.role)
    ).first()
    if existing is not None:
        return
    session.add(LetterRole(letter_id=letter.id or 0, person_id=person.id or 0, role=role.role,
                           position=role.position, name_as_written=role.name,
                           honorific=role.honorific, title=role.title,
                           organisation=role.organisation, start=role.start, end=role.end))


def link_measure_countries(session: Session) -> int:
    """Link each measure to the partner countries its text names; returns links added."""
    countries = session.exec(select(PartnerCountry)).all()
    patterns = []
    for country in countries:
        names = set(json.loads(country.aliases or "[]")) | {country.name}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        patterns.append((country.id or 0, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    existing = {(m, c) for m, c in session.exec(
        select(MeasureCountry.measure_id, MeasureCountry.country_id)).all()}
    added = 0
    for measure in session.exec(select(OperationalMeasure)).all():
        for country_id, pattern in patterns:
            pair = (measure.id or 0, country_id)
            if pair not in existing and pattern.search(measure.text):
                session.add(MeasureCountry(measure_id=pair[0], country_id=pair[1]))
                existing.add(pair)
                added += 1
    return added
