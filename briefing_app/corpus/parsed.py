"""What the letter parser reads out of a letter: plain results, each with its span.

Every fact carries the span (``start``, ``end``) of the passage it was read
from in the letter's original text, so it can be shown and cited exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ParsedRole:
    """A person named on the letter, in one role."""

    role: str  # sender | signatory | recipient | attention | cc
    name: str  # as written, without honorific or emphasis
    honorific: str | None
    title: str | None  # as written on this letter
    organisation: str | None
    country: str | None
    country_code: str | None
    start: int
    end: int
    position: int = 0


@dataclass
class ParsedCommitment:
    """One commitment a letter makes: an item of one of its series.

    A letter can hold several series (its action points, an annex of
    measures, a list of proposals). ``series`` is the series' key within the
    letter ("measures", "action-points", "proposals"...); the store makes it
    unique across letters.
    """

    series: str
    series_title: str
    position: int  # 1-based, in the series
    number: int | None  # the number as written, when it is one ("12.", "12)", "XII.")
    marker: str | None  # the numbering exactly as written ("12.", "(a)", "iv)", "•"), if any
    section: str | None  # the section it stands in ("II"), if the series has sections
    section_title: str | None
    title: str  # its heading, or its first clause
    text: str
    deadline: str | None  # as written ("by mid-2023")
    due_date: date | None  # the deadline read against the letter's date
    actors: list[str]
    countries: list[str]  # ISO 3166-1 alpha-2 codes of the countries it names
    start: int
    end: int


@dataclass
class ParsedParagraph:
    ordinal: int
    start: int
    end: int
    text: str


@dataclass
class ParsedAnnex:
    label: str
    title: str
    start: int
    end: int


@dataclass
class ParsedLetter:
    text: str
    title: str
    date: date | None
    place: str | None
    kind: str
    reference: str | None
    salutation: str | None
    subject: str | None
    roles: list[ParsedRole] = field(default_factory=list)
    commitments: list[ParsedCommitment] = field(default_factory=list)
    paragraphs: list[ParsedParagraph] = field(default_factory=list)
    annexes: list[ParsedAnnex] = field(default_factory=list)
    page_breaks: list[int] = field(default_factory=list)

    def people(self, role: str) -> list[ParsedRole]:
        return [r for r in self.roles if r.role == role]
