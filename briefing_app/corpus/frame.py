"""Pieces of a letter read line by line: runs of lines, place, date and reference,
copy lists, and the letter's kind, title and searchable passages."""

from __future__ import annotations

import re
from datetime import date

from briefing_app.corpus.blocks import Document, Line
from briefing_app.corpus.gazetteer import PLACES
from briefing_app.corpus.parsed import (
    ParsedLetter,
    ParsedParagraph,
    ParsedRole,
)
from briefing_app.corpus.patterns import ARES, LABELLED_REF, PLACE_PREFIX, UNIT_REF
from briefing_app.domain.dates import find_date
from briefing_app.text import display_name, one_line

_LIST_LINE = re.compile(r"^\s*(?:\d{1,2}\.|[-•])\s+")


def runs_of(lines: list[Line], apart: set[int] | None = None) -> list[list[Line]]:
    """Runs of non-blank lines, page breaks and page numbers left out.

    Lines in ``apart`` (already read as a date or a reference) end a run and
    are left out too.
    """
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank or line.page_break or line.page_number or (apart and line.index in apart):
            if current and not line.page_number:
                runs.append(current)
                current = []
        else:
            current.append(line)
    if current:
        runs.append(current)
    return runs


def place_date_reference(
    header: list[Line], used: set[int], longest: int = 80
) -> tuple[str | None, date | None, str | None]:
    """The place, date and reference written on the lines of ``header`` (marked in ``used``)."""
    place: str | None = None
    found_date: date | None = None
    reference: str | None = None
    for line in header:
        text = line.text
        if reference is None and (ARES.search(text) or UNIT_REF.match(text)
                                  or LABELLED_REF.match(text)):
            reference = reference_of(text)
            used.add(line.index)
            if not (found_date is None and find_date(text) and len(text) < longest):
                continue
        dated = find_date(text)
        if dated and found_date is None and len(text) < longest:
            found_date = dated[0]
            before = text[: dated[1].start()].strip()
            before = PLACE_PREFIX.sub("", before)
            before = re.sub(r"[,\s]+(?:le|den|am|il|el|de|on|the)$", "", before,
                            flags=re.IGNORECASE).strip().rstrip(",").strip()
            if before and not re.search(r"\d", before) and len(before.split()) <= 4 \
                    and not LABELLED_REF.match(before):
                place = before
            used.add(line.index)
            continue
        cities = [c.strip() for c in PLACE_PREFIX.sub("", text).split(",") if c.strip()]
        if place is None and len(cities) > 1 and all(c in PLACES for c in cities):
            # a joint letter written from several capitals, over one or more lines
            run = [line]
            for later in header[header.index(line) + 1:]:
                if later.blank and run[-1].text.endswith(","):
                    continue  # the list goes on after a blank line (Word, PDF)
                names = [c.strip() for c in later.text.split(",") if c.strip()]
                if not names or not all(c in PLACES for c in names):
                    break
                run.append(later)
            place = ", ".join(c.strip() for ln in run for c in ln.text.split(",") if c.strip())
            used.update(ln.index for ln in run)
            continue
        if place is None and PLACE_PREFIX.sub("", text).rstrip(",") in PLACES:
            # a place written alone, the date left out ("Brussels")
            place = PLACE_PREFIX.sub("", text).rstrip(",")
            used.add(line.index)
    return place, found_date, reference

def reference_of(text: str) -> str:
    """The reference as written, its label ("Our ref.:") left out.

    A line that holds an Ares number beside a unit code or a registration date
    ("HOME.C/MK/ae Ares(2024)123456 - 15/03/2024") gives the Ares number.
    """
    ares = ARES.search(text)
    if ares:
        return one_line(ares.group(0))
    labelled = LABELLED_REF.match(text)
    if labelled:
        return one_line(next(v for v in labelled.groupdict().values() if v))
    return one_line(text)


def roman_line(line: Line) -> bool:
    return bool(re.match(r"^[IVX]{1,5}\.\s", line.text))


def cc_entries(piece: str) -> list[str]:
    """The people one line of a copy list names: split at ";" or before each honorific."""
    entries: list[str] = []
    for part in piece.split(";"):
        part = part.strip().rstrip(".,").strip()
        pieces = re.split(r",\s*(?=(?:Mr|Ms|Mrs|Dr|Prof|Sir|Dame|H\.E\.)\.?\s)", part)
        entries += [p.strip() for p in pieces if p.strip()]
    return entries



def kind_of(header: list[Line], subject: str | None, signatories: list[ParsedRole],
            sender: ParsedRole | None) -> str:
    """The kind of letter: joint, DG, Commission, commissioner, or a plain letter."""
    head = " ".join(line.text for line in header).casefold()
    office = (sender.title or "").casefold() if sender else ""
    if (subject and subject.casefold().startswith("joint letter")) or len(signatories) >= 3:
        return "joint letter"
    if "directorate-general" in head:
        return "DG letter"
    if "president" in office and "european commission" in head:
        return "commission letter"
    if "member of the european commission" in office or "commissioner" in office:
        return "commissioner letter"
    return "letter"

def title_of(letter: ParsedLetter) -> str:
    """A letter's title: its subject, or who wrote to whom and when."""
    if letter.subject:
        return letter.subject
    senders = letter.people("sender") or letter.people("signatory")
    recipients = letter.people("recipient")
    parts = ["Letter"]
    if senders:
        parts.append(f"from {display_name(senders[0].name)}")
    if recipients:
        parts.append(f"to {display_name(recipients[0].name)}")
    elif letter.salutation and re.search(r"\bcolleagues\b", letter.salutation, re.I):
        parts.append("to colleagues")
    title = " ".join(parts)
    if letter.date:
        title += f", {letter.date.day} {letter.date:%B %Y}"
    return title

def paragraphs_of(document: Document) -> list[ParsedParagraph]:
    """Searchable passages: blocks of text, list items each on their own.

    Text without blank lines between its paragraphs is split where the
    document model ends a paragraph.
    """
    paragraphs: list[ParsedParagraph] = []
    starts = {block.lines[0].index for block in document.blocks}
    for run in runs_of(document.lines):
        piece: list[Line] = []
        long_run = len(run) > 12
        for line in run:
            if piece and (_LIST_LINE.match(line.raw) or (long_run and line.index in starts)):
                paragraphs.append(_paragraph(len(paragraphs), piece))
                piece = []
            piece.append(line)
        if piece:
            paragraphs.append(_paragraph(len(paragraphs), piece))
    return paragraphs

def _paragraph(ordinal: int, run: list[Line]) -> ParsedParagraph:
    text = " ".join(ln.text for ln in run)
    return ParsedParagraph(ordinal, run[0].start, run[-1].end, one_line(text))
