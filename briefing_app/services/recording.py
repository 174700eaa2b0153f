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

from briefing_app.corpus.parsed import ParsedCommitment
from briefing_app.corpus.parser import ParsedLetter, ParsedRole
from briefing_app.domain.kinds import COMMITMENT_ROW_KIND, Kind
from briefing_app.errors import InvalidInput
from briefing_app.services.common import current_author, now
from briefing_app.services.tracking import resolve_change
from briefing_app.store.models import (
    TRACKED_MODELS,
    Annex,
    Citation,
    Commitment,
    CommitmentCountry,
    CommitmentSeries,
    Letter,
    LetterRole,
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


def quote_span(letter: Letter, quote: str, *, where: str) -> tuple[int, int]:
    """Where a passage given by its words stands in the letter; it must appear verbatim."""
    start = letter.original_text.find(quote)
    if start < 0:
        raise InvalidInput(f"{where}: quote not found verbatim in {letter.source_name}: "
                           f"{quote[:60]!r}")
    return start, start + len(quote)


def add_quote_citation(session: Session, letter: Letter, item_kind: str, item_id: int,
                       quote: str, *, where: str) -> Citation:
    """Cite a passage given by its words; it must appear verbatim in the letter."""
    return add_citation(session, letter, item_kind, item_id, *quote_span(letter, quote,
                                                                         where=where))


def baseline(session: Session, item_kind: str, item_id: int, author: str, source: str,
             status: str = BASELINE_STATUS, rag: str = BASELINE_RAG) -> None:
    """The first status of an item: its baseline, never overwritten."""
    session.add(StatusChange(item_kind=item_kind, item_id=item_id, old_status=None,
                             new_status=status, old_rag=None, new_rag=rag, author=author,
                             source=source, changed_at=now(), note="baseline"))


def tracked_item(session: Session, kind: Kind, key: str | int) -> TrackedItem:
    """The tracked item people name ``key`` (a number, an ISO code, an id), read in ``session``.

    A measure or an action point is found by its number in its series.
    Numbers can repeat: the oldest item with the number is found.
    """
    model: Any = TRACKED_MODELS[kind.row_kind]
    wanted = kind.parse_key(key)
    query = select(model).where(getattr(model, kind.key) == wanted)
    if kind.series is not None:
        query = query.join(CommitmentSeries).where(CommitmentSeries.key == kind.series)
    item = session.exec(query.order_by(model.id).limit(1)).first()
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
    rows, the baseline first, are never touched. Only an accepted commitment
    is tracked: a proposed or rejected one is refused.
    """
    if isinstance(item, Commitment) and item.state != "accepted":
        raise InvalidInput(f"commitment {item.id} is {item.state}: accept it before "
                           "tracking it")
    status_value, rag_value, owner_value = resolve_change(
        item.status, item.rag, item.owner, status=status, rag=rag, owner=owner)
    change = StatusChange(
        item_kind=kind.row_kind, item_id=item.id or 0, old_status=item.status,
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
                 author: str | None = None, state: str = "proposed") -> Letter:
    """Add a parsed letter and everything read from it to the session (not committed).

    Its commitments are stored in ``state``: proposed (a letter a person
    imports, to be reviewed) or accepted (the bundled seed).
    """
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
    series: dict[str, CommitmentSeries] = {}
    for parsed_commitment in parsed.commitments:
        if parsed_commitment.series not in series:
            series[parsed_commitment.series] = _new_series(session, letter, parsed_commitment)
        commitment = _store_commitment(session, letter, series[parsed_commitment.series],
                                       parsed_commitment, state)
        add_citation(session, letter, COMMITMENT_ROW_KIND, commitment.id or 0,
                     parsed_commitment.start, parsed_commitment.end)
        baseline(session, COMMITMENT_ROW_KIND, commitment.id or 0, author, source)
    if parsed.commitments:
        link_commitment_countries(session, letter.id)
    return letter


def series_key(session: Session, key: str, letter_id: int) -> str:
    """The store-wide key of a letter's series: the parsed key if free, else suffixed with
    the letter's id ("measures-7")."""
    taken = session.exec(select(CommitmentSeries.id).where(CommitmentSeries.key == key)).first()
    return key if taken is None else f"{key}-{letter_id}"


def _new_series(session: Session, letter: Letter, first: ParsedCommitment) -> CommitmentSeries:
    created = CommitmentSeries(key=series_key(session, first.series, letter.id or 0),
                               title=first.series_title, letter_id=letter.id or 0)
    session.add(created)
    session.flush()
    return created


def _store_commitment(session: Session, letter: Letter, series: CommitmentSeries,
                      parsed: ParsedCommitment, state: str) -> Commitment:
    commitment = Commitment(
        series_id=series.id or 0, letter_id=letter.id or 0, position=parsed.position,
        number=parsed.number, marker=parsed.marker, section=parsed.section,
        section_title=parsed.section_title, title=parsed.title, text=parsed.text,
        deadline=parsed.deadline, due_date=parsed.due_date,
        actors=json.dumps(parsed.actors, ensure_ascii=False),
        countries=json.dumps([code.upper() for code in parsed.countries]), state=state,
        status=BASELINE_STATUS, rag=BASELINE_RAG, start=parsed.start, end=parsed.end)
    session.add(commitment)
    session.flush()
    return commitment


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


def link_commitment_countries(session: Session, letter_id: int | None = None) -> int:
    """Link each commitment (of one letter, or of all) to the partner countries it names:
    by the ISO codes of its ``countries`` and by the names and aliases its text contains.
    Returns the links added; a commitment's ``countries`` then lists every country it is
    linked to."""
    countries = session.exec(select(PartnerCountry)).all()
    by_iso = {country.iso: country.id or 0 for country in countries}
    iso_of = {country_id: iso for iso, country_id in by_iso.items()}
    patterns = []
    for country in countries:
        names = set(json.loads(country.aliases or "[]")) | {country.name}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        patterns.append((country.id or 0, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    existing: dict[int, set[int]] = {}
    links = select(CommitmentCountry.commitment_id, CommitmentCountry.country_id)
    commitments = select(Commitment)
    if letter_id is not None:
        links = links.join(Commitment).where(Commitment.letter_id == letter_id)
        commitments = commitments.where(Commitment.letter_id == letter_id)
    for m, c in session.exec(links).all():
        existing.setdefault(m, set()).add(c)
    added = 0
    for commitment in session.exec(commitments).all():
        linked_ids = existing.setdefault(commitment.id or 0, set())
        codes = json.loads(commitment.countries or "[]")
        named = {by_iso[code] for code in codes if code in by_iso}
        named |= {country_id for country_id, pattern in patterns
                  if pattern.search(commitment.text)}
        for country_id in sorted(named - linked_ids):
            session.add(CommitmentCountry(commitment_id=commitment.id or 0,
                                          country_id=country_id))
            linked_ids.add(country_id)
            added += 1
        linked = sorted({iso_of[c] for c in linked_ids} | set(codes))
        if linked != codes:
            commitment.countries = json.dumps(linked)
            session.add(commitment)
    return added
