"""What a briefing pack holds once composed: one frozen dataclass per section and part.

The composer (:mod:`briefing_app.reporting.composer`) fills these from the
store's read models (:class:`PackSource`); the flowables lay them out. Nothing
here is looked up later: a :class:`PackContent` is everything a pack prints,
which is why the same content always gives the same bytes.

Neither Qt nor ReportLab is imported here.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from briefing_app.read_models import (
    ActionPointRead,
    CommitmentRead,
    CountryRead,
    IndicatorRead,
    LetterDetail,
    MeasureRead,
    MeetingRead,
    PersonRead,
    StatusChangeRead,
)
from briefing_app.reporting.markup import NoteBlock

# ------------------------------------------------------------------- dates and labels

def long_date(value: date | datetime | None, missing: str = "not stated") -> str:
    """``29 April 2024`` (English month names, whatever the machine's locale)."""
    if value is None:
        return missing
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def short_date(value: date | datetime | None, missing: str = "") -> str:
    """``29 Apr 2024``."""
    if value is None:
        return missing
    return f"{value.day} {calendar.month_abbr[value.month]} {value.year}"


def pack_code(pack_id: int) -> str:
    """How a pack is named on paper: ``BP-0007``."""
    return f"BP-{pack_id:04d}"


def short_label(label: str, limit: int = 60) -> str:
    """``label`` on one line, cut with an ellipsis after ``limit`` characters."""
    text = " ".join(label.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class PreviousBuild:
    version: int
    built_at: datetime


@dataclass(frozen=True)
class PackSource:
    """Everything a pack is made from, as the services return it."""

    meeting: MeetingRead | None
    action_points: Sequence[ActionPointRead]
    measures: Sequence[MeasureRead]
    countries: Sequence[CountryRead]
    indicators: Sequence[IndicatorRead]
    people: Sequence[PersonRead]
    letters: Sequence[LetterDetail]  # in the store's order (dated first)
    history: Sequence[StatusChangeRead]
    data_as_of: datetime | None = None
    previous_build: PreviousBuild | None = None
    #: the accepted commitments of every series but the measures and action points
    commitments: Sequence[CommitmentRead] = ()
    #: after how many months without newer evidence an item is stale (for the legend)
    stale_after_months: int | None = None
    #: the items in sync conflict, by (item_kind, item_id): both values, team store first
    conflicts: Mapping[tuple[str, int], Sequence[Contest]] = field(default_factory=dict)


# ---------------------------------------------------------------------------- content

Refs = tuple[int, ...]


@dataclass(frozen=True)
class Basis:
    """What a status rests on, as printed beside it: ``as of 14 Oct 2024 [12]``.

    ``as_of`` is the item's evidence date (never the day a row was written);
    ``refs`` the numbered source of the passage the status was set from;
    ``no_source``: a status other than "no evidence" rests on no passage;
    ``stale``: nothing newer than the stale threshold.
    """

    as_of: date | None
    refs: Refs = ()
    no_source: bool = False
    stale: bool = False


@dataclass(frozen=True)
class StatusMark:
    """A status as printed: its words and its RAG colour (never colour alone), and, on a
    tracked item's own line, what it rests on."""

    status: str
    rag: str
    stalled: bool = False
    basis: Basis | None = None
    #: both values of an item in sync conflict (none is chosen until a person does)
    conflict: tuple[Contest, ...] = ()


@dataclass(frozen=True)
class Contest:
    """One of the values of an item in sync conflict, as a pack prints it: where it was
    set, by whom and when."""

    place: str  # "team store" | "briefcase 2"
    status: str
    rag: str
    owner: str | None
    author: str
    on: date


@dataclass(frozen=True)
class Since:
    """The newest accepted follow-up of a commitment, shortened: ``Since: “…” [7]``."""

    passage: str
    refs: Refs
    letter_date: date | None


@dataclass(frozen=True)
class Quote:
    text: str
    refs: Refs = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass(frozen=True)
class CoverSection(Section):
    heading: str  # the big title: the meeting, or the pack
    subheading: str  # formation · date · place
    facts: tuple[tuple[str, str], ...]
    agenda: tuple[str, ...]
    stale_after_months: int | None = None


@dataclass(frozen=True)
class ContentsSection(Section):
    pass


@dataclass(frozen=True)
class RelatedItem:
    label: str
    detail: str
    status: StatusMark | None
    anchor: str | None  # where the item is in this pack, if it is


@dataclass(frozen=True)
class AgendaPart:
    number: int  # 0: steering note
    title: str
    blocks: tuple[NoteBlock, ...]
    items: tuple[RelatedItem, ...]

    @property
    def anchor(self) -> str:
        return f"agenda-{self.number}"


@dataclass(frozen=True)
class LinesToTakeSection(Section):
    facts: tuple[tuple[str, str], ...]
    background: tuple[Quote, ...]
    parts: tuple[AgendaPart, ...]


@dataclass(frozen=True)
class ActionPointEntry:
    id: int
    number: int
    title: str
    text: str
    status: StatusMark
    owner: str | None
    notes: str | None
    refs: Refs
    since: Since | None = None

    @property
    def anchor(self) -> str:
        return f"action-point-{self.id}"


@dataclass(frozen=True)
class ActionPointsSection(Section):
    points: tuple[ActionPointEntry, ...]


@dataclass(frozen=True)
class MeasureEntry:
    id: int
    number: int
    text: str
    deadline: str | None
    due_date: date | None
    overdue: bool
    lead_actors: tuple[str, ...]
    countries: tuple[str, ...]  # names
    status: StatusMark
    owner: str | None
    notes: str | None
    refs: Refs
    since: Since | None = None

    @property
    def anchor(self) -> str:
        return f"measure-{self.id}"


@dataclass(frozen=True)
class MeasureGroup:
    section: str
    title: str
    measures: tuple[MeasureEntry, ...]


@dataclass(frozen=True)
class MeasuresSection(Section):
    as_of: date
    groups: tuple[MeasureGroup, ...]


@dataclass(frozen=True)
class CommitmentEntry:
    id: int
    label: str  # its numbering as written ("12.", "(a)"), else its position
    title: str
    text: str
    deadline: str | None
    due_date: date | None
    overdue: bool
    countries: tuple[str, ...]  # names
    status: StatusMark
    owner: str | None
    since: Since | None = None

    @property
    def anchor(self) -> str:
        return f"commitment-{self.id}"


@dataclass(frozen=True)
class CommitmentGroup:
    series: str  # the series' key
    title: str  # the series' title, and the letter it is from
    commitments: tuple[CommitmentEntry, ...]


@dataclass(frozen=True)
class CommitmentsSection(Section):
    """The accepted commitments of every other series; left out of a pack when empty."""

    groups: tuple[CommitmentGroup, ...]

    @property
    def empty(self) -> bool:
        return not self.groups


@dataclass(frozen=True)
class MatrixColumn:
    number: int
    status: StatusMark
    anchor: str | None


@dataclass(frozen=True)
class MatrixRow:
    iso: str
    name: str
    status: StatusMark
    cells: tuple[bool, ...]
    anchor: str | None


@dataclass(frozen=True)
class MatrixSection(Section):
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    not_named: tuple[str, ...]  # countries no measure names


@dataclass(frozen=True)
class InstrumentLine:
    kind: str
    name: str
    state: str
    refs: Refs


@dataclass(frozen=True)
class IndicatorLine:
    display: str
    label: str
    value: float
    unit: str
    period: str | None
    as_of: date | None
    route: str | None  # set for a route's figure shown on a country's fiche
    refs: Refs


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: float
    display: str


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True)
class CountryFiche:
    iso: str
    name: str
    status: StatusMark
    status_note: str | None
    routes: tuple[str, ...]
    owner: str | None
    notes: str | None
    last_note: str | None  # why the status last changed, if a note says
    measures: tuple[tuple[int, str | None], ...]  # number, anchor
    instruments: tuple[InstrumentLine, ...]
    indicators: tuple[IndicatorLine, ...]
    chart: Chart | None
    quotes: tuple[Quote, ...]

    @property
    def anchor(self) -> str:
        return f"country-{self.iso}"


@dataclass(frozen=True)
class CountriesSection(Section):
    fiches: tuple[CountryFiche, ...]


@dataclass(frozen=True)
class Signature:
    name: str
    title: str | None
    role: str  # signatory | sender
    letter_id: int
    letter_title: str
    letter_date: date | None
    letter_anchor: str | None  # set when the letter is annexed
    letter_annex: str | None = None


@dataclass(frozen=True)
class SignatoryGroup:
    name: str  # a country, or an organisation for people without one
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class SignatoriesSection(Section):
    groups: tuple[SignatoryGroup, ...]


@dataclass(frozen=True)
class ChangeLine:
    changed_at: datetime
    item_label: str
    old_status: str | None
    new_status: str
    old_rag: str | None
    new_rag: str
    owner_change: str | None
    note: str | None
    author: str
    #: the passage the change was made from (an accepted follow-up), and its letter's date
    refs: Refs = ()
    evidence_date: date | None = None
    from_evidence: bool = False


@dataclass(frozen=True)
class EvidenceLine:
    """A follow-up accepted as evidence: which item, from which letter, what it says."""

    accepted_at: datetime | None
    item_label: str
    letter_title: str
    letter_date: date | None
    passage: str  # shortened
    refs: Refs
    author: str | None


@dataclass(frozen=True)
class ChangesSection(Section):
    since_text: str
    changes: tuple[ChangeLine, ...]
    baselines_left_out: int
    evidence: tuple[EvidenceLine, ...] = ()


@dataclass(frozen=True)
class AnnexLetter:
    label: str
    letter_id: int
    title: str
    date: date | None
    place: str | None
    kind: str
    reference: str | None
    source_name: str
    sha256: str
    text: str
    corrections: tuple[tuple[str, str, str], ...]  # original, corrected, note

    @property
    def anchor(self) -> str:
        return f"letter-{self.letter_id}"


@dataclass(frozen=True)
class AnnexesSection(Section):
    letters: tuple[AnnexLetter, ...]
    #: laid out in pieces (:func:`annex_pieces`): the opening piece has the heading and the
    #: list of the letters; each other piece is one letter in full
    opening: bool = True
    in_full: bool = True


def annex_pieces(section: AnnexesSection) -> tuple[AnnexesSection, ...]:
    """The annexes as pieces laid out alone: the list of letters, then each letter."""
    listed = tuple(replace(letter, text="", corrections=()) for letter in section.letters)
    return (replace(section, letters=listed, in_full=False),
            *(replace(section, letters=(letter,), opening=False)
              for letter in section.letters))


@dataclass(frozen=True)
class SourceLine:
    number: int
    letter_id: int
    letter_title: str
    start: int
    end: int
    quote: str
    annex_label: str | None
    annex_anchor: str | None
    used_by: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"


@dataclass(frozen=True)
class SourcesSection(Section):
    sources: tuple[SourceLine, ...]


@dataclass(frozen=True)
class MeetingInfo:
    formation: str
    title: str
    date: date | None
    place: str | None
    agenda: tuple[str, ...]


@dataclass(frozen=True)
class PackContent:
    """A pack ready to lay out: every fact resolved, nothing left to look up."""

    pack_id: int
    version: int
    title: str
    meeting: MeetingInfo | None
    classification: str
    draft: bool
    paper: str
    generated_on: date
    data_as_of: datetime | None
    sections: tuple[Section, ...]
    sources_shown: bool = False

    @property
    def code(self) -> str:
        return pack_code(self.pack_id)

    @property
    def label(self) -> str:
        """``BP-0007 v3``: the pack and its version, as the footer prints it."""
        return f"{self.code} v{self.version}"

    @property
    def state(self) -> str:
        return "DRAFT" if self.draft else "FINAL"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(section.key for section in self.sections)

