"""Pieces of a letter's frame read line by line: runs of lines, place, date, reference,
copy lists, and the two legacy series (action points, measures) taken from the commitments."""

from __future__ import annotations

import re
from datetime import date

from briefing_app.corpus.blocks import Line
from briefing_app.corpus.gazetteer import PLACES
from briefing_app.corpus.parsed import ParsedActionPoint, ParsedCommitment, ParsedMeasure
from briefing_app.corpus.patterns import ARES, LABELLED_REF, PLACE_PREFIX, UNIT_REF
from briefing_app.domain.dates import find_date
from briefing_app.text import one_line


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
        if place is None and PLACE_PREFIX.sub("", text).rstrip(",") in PLACES:
            # a place written alone, the date left out ("Brussels")
            place = PLACE_PREFIX.sub("", text).rstrip(",")
            used.add(line.index)
    return place, found_date, reference

def reference_of(text: str) -> str:
    """The reference as written, its label ("Our ref.:") left out."""
    labelled = LABELLED_REF.match(text)
    if labelled:
        value = next(v for v in labelled.groupdict().values() if v)
        if ARES.search(value) or not ARES.search(text):
            return one_line(value)
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


def action_points_of(commitments: list[ParsedCommitment]) -> list[ParsedActionPoint]:
    return [ParsedActionPoint(c.number or c.position, c.title, c.text, c.start, c.end)
            for c in commitments if c.series == "action-points"]


def measures_of(commitments: list[ParsedCommitment]) -> list[ParsedMeasure]:
    return [ParsedMeasure(c.number or c.position, c.section or "", c.section_title or "", c.text,
                          c.deadline, c.due_date, c.actors, c.start, c.end)
            for c in commitments if c.series == "measures"]
