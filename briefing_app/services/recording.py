"""The write side shared by import and seed: a parsed letter and its facts into the store.

Everything here adds rows to an open session; the caller's unit of work
commits or rolls back the whole user action.
"""

from __future__ import annotations

import json
import re

from sqlmodel import Session, select

from briefing_app.corpus.parser import ParsedLetter, ParsedRole
from briefing_app.errors import InvalidInput
from briefing_app.services.common import current_author, now
from briefing_app.store.models import (
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
