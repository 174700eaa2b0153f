"""Letters: import from files (one transaction per file), list and read."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlmodel import Session, col, select

from briefing_app.corpus.decode import read_letter_file
from briefing_app.corpus.parser import ParsedLetter, ParsedRole, parse_letter
from briefing_app.corpus.text import fold, shouting_words
from briefing_app.errors import NotFound, UserError
from briefing_app.services.common import add_citation, current_author, now
from briefing_app.services.read_models import (
    AnnexRead,
    CorrectionRead,
    ImportResult,
    LetterDetail,
    LetterRoleRead,
    LetterSummary,
)
from briefing_app.store.engine import Store
from briefing_app.store.models import (
    ActionPoint,
    Annex,
    Letter,
    LetterCorrection,
    LetterRole,
    MeasureCountry,
    OperationalMeasure,
    Paragraph,
    PartnerCountry,
    Person,
    StatusChange,
)
from briefing_app.store.unit_of_work import UnitOfWork

BASELINE_STATUS = "no evidence"
BASELINE_RAG = "grey"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LetterService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- import -----------------------------------------------------------------------

    def import_file(self, path: Path, *, title: str | None = None,
                    source: str | None = None) -> ImportResult:
        """Import one letter file in one transaction.

        The same bytes imported twice change nothing. A file that cannot be
        read raises :class:`UserError` naming the file; the store is untouched.
        """
        data, text, encoding = read_letter_file(path)
        digest = sha256_of(data)
        with UnitOfWork(self.store) as uow:
            existing = uow.session.exec(select(Letter).where(Letter.sha256 == digest)).first()
            if existing is not None:
                return ImportResult(str(path), "unchanged", existing.id, existing.title,
                                    f"already in the store as letter {existing.id}")
            parsed = parse_letter(text)
            letter = store_letter(uow.session, parsed, source_name=path.name, sha256=digest,
                                  encoding=encoding, title=title,
                                  source=source or f"import of {path.name}")
            uow.commit()
            return ImportResult(str(path), "imported", letter.id, letter.title,
                                _summary(parsed))

    def import_files(
        self,
        paths: Iterable[Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[ImportResult]:
        """Import several files, each in its own transaction; one result per file."""
        todo = list(paths)
        results: list[ImportResult] = []
        for done, path in enumerate(todo):
            if cancelled and cancelled():
                results.extend(ImportResult(str(p), "skipped", None, None, "cancelled")
                               for p in todo[done:])
                break
            if progress:
                progress(done, len(todo), str(path))
            try:
                results.append(self.import_file(path))
            except UserError as exc:
                results.append(ImportResult(str(path), "failed", None, None, exc.message))
        if progress:
            progress(len(todo), len(todo), "")
        return results

    # -- reading ------------------------------------------------------------------------

    def list(self) -> list[LetterSummary]:
        with UnitOfWork(self.store) as uow:
            rows = uow.session.exec(
                select(Letter).order_by(col(Letter.date).is_(None), col(Letter.date),
                                        col(Letter.id))
            ).all()
            return [_summary_of(row) for row in rows]

    def get(self, letter_id: int) -> LetterDetail:
        with UnitOfWork(self.store) as uow:
            session = uow.session
            letter = session.get(Letter, letter_id)
            if letter is None:
                raise NotFound(f"letter {letter_id}: not in the store")
            roles = session.exec(
                select(LetterRole, Person)
                .join(Person, col(Person.id) == LetterRole.person_id)
                .where(LetterRole.letter_id == letter_id)
                .order_by(col(LetterRole.position))
            ).all()
            annexes = session.exec(
                select(Annex).where(Annex.letter_id == letter_id).order_by(col(Annex.id))
            ).all()
            corrections = session.exec(
                select(LetterCorrection).where(LetterCorrection.letter_id == letter_id)
                .order_by(col(LetterCorrection.start))
            ).all()
            points = session.exec(
                select(ActionPoint.number).where(ActionPoint.letter_id == letter_id)
                .order_by(col(ActionPoint.number))
            ).all()
            measures = session.exec(
                select(OperationalMeasure.number).where(OperationalMeasure.letter_id == letter_id)
                .order_by(col(OperationalMeasure.number))
            ).all()
            summary = _summary_of(letter)
            return LetterDetail(
                **{f: getattr(summary, f) for f in summary.__dataclass_fields__},
                encoding=letter.encoding,
                salutation=letter.salutation,
                subject=letter.subject,
                text=letter.original_text,
                roles=tuple(
                    LetterRoleRead(
                        person_id=person.id or 0, name=person.name,
                        name_as_written=role.name_as_written, honorific=role.honorific,
                        role=role.role, title=role.title, organisation=role.organisation,
                        country=person.country, start=role.start, end=role.end,
                    )
                    for role, person in roles
                ),
                annexes=tuple(AnnexRead(a.label, a.title, a.start, a.end) for a in annexes),
                corrections=tuple(
                    CorrectionRead(c.start, c.end, c.original, c.corrected, c.note)
                    for c in corrections
                ),
                action_points=tuple(points),
                measures=tuple(measures),
            )


def _summary_of(letter: Letter) -> LetterSummary:
    return LetterSummary(
        id=letter.id or 0, title=letter.title, date=letter.date, place=letter.place,
        kind=letter.kind, reference=letter.reference, source_name=letter.source_name,
        sha256=letter.sha256, imported_at=letter.imported_at,
    )


def _summary(parsed: ParsedLetter) -> str:
    parts = [f"{len(parsed.roles)} people named"]
    if parsed.action_points:
        parts.append(f"{len(parsed.action_points)} action points")
    if parsed.measures:
        parts.append(f"{len(parsed.measures)} operational measures")
    return ", ".join(parts)


# ---------------------------------------------------------------------------- writing


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


def baseline(session: Session, item_kind: str, item_id: int, author: str, source: str,
              status: str = BASELINE_STATUS, rag: str = BASELINE_RAG) -> None:
    """The first status of an item: its baseline, never overwritten."""
    session.add(StatusChange(item_kind=item_kind, item_id=item_id, old_status=None,
                             new_status=status, old_rag=None, new_rag=rag, author=author,
                             source=source, changed_at=now(), note="baseline"))


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

