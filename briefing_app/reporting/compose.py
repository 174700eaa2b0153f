"""What goes into a briefing pack: the adviser's choices and the resolved content.

This is the first stage of the PDF pipeline (compose → flowables → render).
It imports neither Qt nor ReportLab, so it can be tested on its own and used
by the GUI's pack composer:

* :class:`PackSpec` is what the adviser chooses: the meeting, the sections
  and items in order (:class:`SectionChoice`), the steering note and lines to
  take per agenda item (:class:`AgendaNote`), classification, paper, DRAFT or
  FINAL, and the date "what changed" counts from;
* :func:`compose` turns a spec and the services' read models
  (:class:`PackSource`) into a :class:`PackContent`: every section with its
  items resolved, statuses, dates, and every citation numbered in order of
  first use, so statements can point at the numbered sources.

Section keys are stable (they are typed on the command line and stored with
the pack): see :data:`SECTION_KEYS`. ``cover`` and ``contents``, when chosen,
always come first (cover, then contents) whatever their place in the list;
the other sections keep the order given.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from briefing_app.domain.markings import DEFAULT_CLASSIFICATION, MAX_CLASSIFICATION
from briefing_app.errors import InvalidInput
from briefing_app.read_models import (
    ActionPointRead,
    CitationRead,
    CountryRead,
    IndicatorRead,
    LetterDetail,
    MeasureRead,
    MeetingRead,
    PersonRead,
    StatusChangeRead,
)
from briefing_app.reporting.markup import NoteBlock, parse_note

# ------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class SectionKind:
    """A section a pack can hold, and what its items are."""

    key: str
    title: str
    items: str | None  # number | iso | letter | None (no items to choose)
    noun: str = ""  # how one item is named in messages


SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("cover", "Cover", None),
    SectionKind("contents", "Contents", None),
    SectionKind("lines-to-take", "Steering note and lines to take", None),
    SectionKind("action-points", "Action points", "number", "action point"),
    SectionKind("measures", "Operational measures", "number", "measure"),
    SectionKind("matrix", "Partner countries and measures", "iso", "country"),
    SectionKind("countries", "Partner-country fiches", "iso", "country"),
    SectionKind("signatories", "Signatories", "letter", "letter"),
    SectionKind("changes", "What has changed", None),
    SectionKind("annexes", "Annexes: source letters", "letter", "letter"),
    SectionKind("sources", "Sources", None),
)
SECTIONS: dict[str, SectionKind] = {kind.key: kind for kind in SECTION_KINDS}
#: Every section key, in the default order of a pack.
SECTION_KEYS: tuple[str, ...] = tuple(SECTIONS)
#: Sections that always open the pack when chosen, in this order.
FRONT_MATTER = ("cover", "contents")
#: Sections an agenda item's "related items" may point into.
REFERABLE = ("action-points", "measures", "countries")

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class SectionChoice:
    """One chosen section and, optionally, the items it holds in order (None: all)."""

    key: str
    items: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "items": list(self.items) if self.items is not None else None}

    def __str__(self) -> str:
        return self.key if self.items is None else f"{self.key}:{'+'.join(self.items)}"


@dataclass(frozen=True)
class AgendaNote:
    """The adviser's text for one agenda item (0: the steering note for the whole meeting).

    ``text`` may use the simple formatting of :mod:`briefing_app.reporting.markup`;
    ``items`` are related items such as ``"measures:12"``, ``"action-points:3"``
    or ``"countries:TN"``, listed under the note with their status. ``None``
    keeps what the pack has stored (when a note is merged into a saved pack).
    """

    agenda_item: int = 0
    text: str | None = ""
    items: tuple[str, ...] | None = ()

    def to_json(self) -> dict[str, Any]:
        return {"agenda_item": self.agenda_item, "text": self.text or "",
                "items": list(self.items or ())}


ALL_SECTIONS: tuple[SectionChoice, ...] = tuple(SectionChoice(key) for key in SECTION_KEYS)


@dataclass(frozen=True)
class PackSpec:
    """What the adviser asks for. Which pack it belongs to: ``pack_id``, else the
    meeting's latest pack, else the latest pack with ``title`` and no meeting, else
    a new pack."""

    meeting_id: int | None = None
    title: str | None = None
    pack_id: int | None = None
    sections: tuple[SectionChoice, ...] = ALL_SECTIONS
    notes: tuple[AgendaNote, ...] = ()
    classification: str = DEFAULT_CLASSIFICATION
    draft: bool = False
    paper: str = "a4"
    since: date | None = None

    def options(self) -> dict[str, Any]:
        """The rendering options as stored with the pack and each build."""
        return {"classification": self.classification, "draft": self.draft,
                "paper": self.paper, "since": self.since.isoformat() if self.since else None}


def _number_items(key: str, text: str) -> list[str]:
    found: list[str] = []
    for part in text.split("+"):
        part = part.strip()
        match = re.fullmatch(r"(\d{1,6})(?:\s*-\s*(\d{1,6}))?", part)
        if not match:
            raise InvalidInput(f"sections: {key}: {part!r} is not a number or a range "
                               f"like 1-4")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first or last - first > 10_000:
            raise InvalidInput(f"sections: {key}: {part!r} is not a valid range")
        found.extend(str(n) for n in range(first, last + 1))
    return found


def _iso_items(key: str, text: str) -> list[str]:
    found: list[str] = []
    for part in text.split("+"):
        part = part.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", part):
            raise InvalidInput(f"sections: {key}: {part!r} is not an ISO country code "
                               "like TN")
        found.append(part)
    return found


def parse_items(key: str, text: str) -> tuple[str, ...]:
    """The items of ``key:ITEMS`` as typed: ``1-4+12``, ``TN+LY``, letter ids ``1+5``."""
    kind = SECTIONS[key]
    if kind.items is None:
        raise InvalidInput(f"sections: {key!r} has no items to choose")
    if not text.strip():
        raise InvalidInput(f"sections: {key}: no items after ':'")
    found = _iso_items(key, text) if kind.items == "iso" else _number_items(key, text)
    unique = list(dict.fromkeys(found))
    return tuple(unique)


def normalise_sections(choices: Iterable[SectionChoice]) -> tuple[SectionChoice, ...]:
    """Check the keys, refuse duplicates, and put cover and contents first."""
    seen: set[str] = set()
    ordered: list[SectionChoice] = []
    for choice in choices:
        if choice.key not in SECTIONS:
            raise InvalidInput(f"sections: unknown section {choice.key!r} "
                               f"(use: {', '.join(SECTION_KEYS)})")
        if choice.key in seen:
            raise InvalidInput(f"sections: {choice.key!r} is listed twice")
        if choice.items is not None and SECTIONS[choice.key].items is None:
            raise InvalidInput(f"sections: {choice.key!r} has no items to choose")
        if choice.items is not None and not choice.items:
            raise InvalidInput(f"sections: {choice.key}: the list of items is empty")
        seen.add(choice.key)
        ordered.append(choice)
    if not ordered:
        raise InvalidInput("sections: give at least one section")
    front = [c for key in FRONT_MATTER for c in ordered if c.key == key]
    return tuple(front + [c for c in ordered if c.key not in FRONT_MATTER])


def parse_sections(text: str) -> tuple[SectionChoice, ...]:
    """``--sections`` as typed: ``cover,contents,measures:1-4+12,countries:TN+LY``."""
    choices: list[SectionChoice] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, colon, items = part.partition(":")
        key = key.strip().lower()
        if key not in SECTIONS:
            raise InvalidInput(f"sections: unknown section {key!r} "
                               f"(use: {', '.join(SECTION_KEYS)})")
        choices.append(SectionChoice(key, parse_items(key, items) if colon else None))
    return normalise_sections(choices)


def sections_from_json(value: Any) -> tuple[SectionChoice, ...]:
    """Sections as stored in ``BriefingPack.sections``."""
    if not value:
        return ALL_SECTIONS
    return normalise_sections(
        SectionChoice(str(entry["key"]),
                      tuple(str(i) for i in entry["items"]) if entry.get("items") is not None
                      else None)
        for entry in value
    )


def notes_from_json(value: Any) -> tuple[AgendaNote, ...]:
    """Notes as stored in a pack's options."""
    return tuple(AgendaNote(int(entry.get("agenda_item", 0)), str(entry.get("text", "")),
                            tuple(str(i) for i in entry.get("items", ())))
                 for entry in value or ())


def merge_notes(stored: Iterable[AgendaNote],
                given: Iterable[AgendaNote]) -> tuple[AgendaNote, ...]:
    """Given notes replace the text and/or items of the stored note of their agenda item
    (a ``None`` field keeps the stored one); a note left empty is dropped."""
    by_item = {note.agenda_item: note for note in stored}
    for note in given:
        old = by_item.get(note.agenda_item, AgendaNote(note.agenda_item))
        by_item[note.agenda_item] = AgendaNote(
            note.agenda_item, old.text if note.text is None else note.text,
            old.items if note.items is None else note.items)
    return tuple(note for _, note in sorted(by_item.items())
                 if (note.text or "").strip() or note.items)


def parse_item_ref(ref: str) -> tuple[str, str]:
    """``"measures:12"`` -> ("measures", "12"); the section must be one items live in."""
    key, colon, item = ref.strip().partition(":")
    key = key.strip().lower()
    if not colon or key not in REFERABLE or not item.strip():
        raise InvalidInput(f"notes: related item {ref!r}: write it as measures:12, "
                           "action-points:3 or countries:TN")
    item = item.strip().upper() if key == "countries" else item.strip()
    return key, item


# ----------------------------------------------------------------------------- dates

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


# ---------------------------------------------------------------------------- content

Refs = tuple[int, ...]


@dataclass(frozen=True)
class StatusMark:
    """A status as printed: its words and its RAG colour (never colour alone)."""

    status: str
    rag: str
    stalled: bool = False


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
    last_changed: datetime | None
    refs: Refs

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
    last_changed: datetime | None
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


@dataclass(frozen=True)
class ChangesSection(Section):
    since_text: str
    changes: tuple[ChangeLine, ...]
    baselines_left_out: int


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


# ---------------------------------------------------------------------------- compose


@dataclass
class _SourceEntry:
    number: int
    citation: CitationRead
    used_by: list[str] = field(default_factory=list)


class _Sources:
    """Numbers citations in order of first use; empty refs when no sources section."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._entries: dict[tuple[int, int, int], _SourceEntry] = {}

    def refs(self, citations: Iterable[CitationRead], used_by: str) -> Refs:
        if not self.enabled:
            return ()
        numbers: list[int] = []
        for citation in citations:
            key = (citation.letter_id, citation.start, citation.end)
            entry = self._entries.get(key)
            if entry is None:
                entry = _SourceEntry(len(self._entries) + 1, citation)
                self._entries[key] = entry
            if used_by not in entry.used_by:
                entry.used_by.append(used_by)
            if entry.number not in numbers:
                numbers.append(entry.number)
        return tuple(numbers)

    def entries(self) -> list[_SourceEntry]:
        return sorted(self._entries.values(), key=lambda e: e.number)


def _status(item: ActionPointRead | MeasureRead | CountryRead) -> StatusMark:
    return StatusMark(item.status, item.rag, item.stalled)


def _select(key: str, choice: SectionChoice | None, items: Sequence[Any],
            item_key: Any) -> list[Any]:
    """The items a section holds, in the chosen order; unknown items are refused."""
    if choice is None or choice.items is None:
        return list(items)
    by_key: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        by_key[str(item_key(item))].append(item)
    chosen: list[Any] = []
    for wanted in choice.items:
        if wanted not in by_key:
            noun = SECTIONS[key].noun
            raise InvalidInput(f"sections: {key}: {noun} {wanted} is not in the store")
        chosen.extend(by_key[wanted])
    return chosen


class _Composer:
    def __init__(self, spec: PackSpec, source: PackSource, pack_id: int, version: int,
                 title: str, generated_on: date) -> None:
        self.spec = spec
        self.source = source
        self.pack_id = pack_id
        self.version = version
        self.title = title
        self.generated_on = generated_on
        self.choices = {choice.key: choice for choice in spec.sections}
        self.sources = _Sources("sources" in self.choices)
        self.country_names = {c.iso: c.name for c in source.countries}
        letter_order = list(source.letters)
        # what each section holds, worked out first so that links know their targets
        self.points: list[ActionPointRead] = (
            _select("action-points", self.choices.get("action-points"),
                    source.action_points, lambda p: p.number)
            if "action-points" in self.choices else [])
        self.measures: list[MeasureRead] = (
            _select("measures", self.choices.get("measures"), source.measures,
                    lambda m: m.number)
            if "measures" in self.choices else [])
        self.fiches: list[CountryRead] = (
            _select("countries", self.choices.get("countries"), source.countries,
                    lambda c: c.iso)
            if "countries" in self.choices else [])
        self.annex_letters: list[LetterDetail] = (
            _select("annexes", self.choices.get("annexes"), letter_order, lambda x: x.id)
            if "annexes" in self.choices else [])
        self.point_anchor = {p.id: f"action-point-{p.id}" for p in self.points}
        self.measure_anchor = {m.id: f"measure-{m.id}" for m in self.measures}
        self.country_anchor = {c.iso: f"country-{c.iso}" for c in self.fiches}
        self.annex_label = {letter.id: _annex_label(i)
                            for i, letter in enumerate(self.annex_letters)}

    # -- the pack ------------------------------------------------------------------------

    def content(self) -> PackContent:
        meeting = self.source.meeting
        info = (MeetingInfo(meeting.formation, meeting.title, meeting.date, meeting.place,
                            tuple(meeting.agenda)) if meeting else None)
        built: dict[str, Section] = {}
        for choice in self.spec.sections:
            if choice.key != "sources":
                built[choice.key] = self._section(choice.key)
        if "sources" in self.choices:
            built["sources"] = self._sources_section()
        return PackContent(
            pack_id=self.pack_id, version=self.version, title=self.title, meeting=info,
            classification=self.spec.classification, draft=self.spec.draft,
            paper=self.spec.paper, generated_on=self.generated_on,
            data_as_of=self.source.data_as_of,
            sections=tuple(built[choice.key] for choice in self.spec.sections),
            sources_shown=self.sources.enabled,
        )

    def _section(self, key: str) -> Section:
        title = SECTIONS[key].title
        if key == "cover":
            return self._cover()
        if key == "contents":
            return ContentsSection(key, title)
        if key == "lines-to-take":
            return self._lines_to_take()
        if key == "action-points":
            return ActionPointsSection(key, title, tuple(self._point(p) for p in self.points))
        if key == "measures":
            return self._measures()
        if key == "matrix":
            return self._matrix()
        if key == "countries":
            return CountriesSection(key, title, tuple(self._fiche(c) for c in self.fiches))
        if key == "signatories":
            return self._signatories()
        if key == "changes":
            return self._changes()
        if key == "annexes":
            return AnnexesSection(key, title, tuple(self._annex(letter)
                                                    for letter in self.annex_letters))
        raise AssertionError(key)  # pragma: no cover (keys are checked before)

    # -- cover and lines to take ---------------------------------------------------------------

    def _meeting_line(self) -> str:
        meeting = self.source.meeting
        if meeting is None:
            return f"Prepared on {long_date(self.generated_on)}"
        parts = [meeting.formation, long_date(meeting.date, "date not set")]
        if meeting.place:
            parts.append(meeting.place)
        return " · ".join(parts)

    def _cover(self) -> CoverSection:
        meeting = self.source.meeting
        facts: list[tuple[str, str]] = []
        if meeting is not None:
            facts += [("Formation", meeting.formation),
                      ("Date", long_date(meeting.date, "not set")),
                      ("Place", meeting.place or "not stated")]
            if self.title != meeting.title:
                facts.append(("Pack", self.title))
        facts += [
            ("Pack version", f"{pack_code(self.pack_id)}, version {self.version}"),
            ("State", "DRAFT" if self.spec.draft else "FINAL"),
            ("Classification", self.spec.classification),
            ("Generated", long_date(self.generated_on)),
            ("Data as of", long_date(self.source.data_as_of, "no data")),
            ("Source letters", str(len(self.source.letters))),
        ]
        heading = meeting.title if meeting is not None else self.title
        return CoverSection("cover", SECTIONS["cover"].title, heading, self._meeting_line(),
                            tuple(facts), tuple(meeting.agenda) if meeting else ())

    def _lines_to_take(self) -> LinesToTakeSection:
        meeting = self.source.meeting
        agenda = tuple(meeting.agenda) if meeting else ()
        notes = {note.agenda_item: note for note in self.spec.notes}
        for number in notes:
            if not 0 <= number <= len(agenda):
                where = (f"the meeting has {len(agenda)} agenda items" if meeting
                         else "the pack has no meeting, only a steering note (0)")
                raise InvalidInput(f"notes: agenda item {number}: {where}")
        facts: tuple[tuple[str, str], ...] = ()
        background: tuple[Quote, ...] = ()
        if meeting is not None:
            facts = (("Meeting", meeting.title), ("Formation", meeting.formation),
                     ("Date", long_date(meeting.date, "not set")),
                     ("Place", meeting.place or "not stated"))
            background = tuple(
                Quote(c.quote, self.sources.refs([c], f"Meeting: {meeting.title}"))
                for c in meeting.citations)
        parts = [self._agenda_part(0, "Steering note", notes.get(0))]
        parts += [self._agenda_part(n, title, notes.get(n))
                  for n, title in enumerate(agenda, start=1)]
        return LinesToTakeSection("lines-to-take", SECTIONS["lines-to-take"].title, facts,
                                  background, tuple(parts))

    def _agenda_part(self, number: int, title: str, note: AgendaNote | None) -> AgendaPart:
        if note is None:
            return AgendaPart(number, title, (), ())
        items = tuple(item for ref in note.items or () for item in self._related(number, ref))
        return AgendaPart(number, title, parse_note(note.text or ""), items)

    def _related(self, number: int, ref: str) -> list[RelatedItem]:
        key, wanted = parse_item_ref(ref)
        where = f"notes: agenda item {number}"
        if key == "action-points":
            points = [p for p in self.source.action_points if str(p.number) == wanted]
            if not points:
                raise InvalidInput(f"{where}: action point {wanted} is not in the store")
            return [RelatedItem(f"Action point {p.number}: {p.title}",
                                f"owner: {p.owner}" if p.owner else "", _status(p),
                                self.point_anchor.get(p.id)) for p in points]
        if key == "measures":
            measures = [m for m in self.source.measures if str(m.number) == wanted]
            if not measures:
                raise InvalidInput(f"{where}: measure {wanted} is not in the store")
            return [RelatedItem(f"Measure {m.number} ({m.section}. {m.section_title})",
                                _deadline_text(m), _status(m),
                                self.measure_anchor.get(m.id)) for m in measures]
        countries = [c for c in self.source.countries if c.iso == wanted]
        if not countries:
            raise InvalidInput(f"{where}: country {wanted} is not in the store")
        return [RelatedItem(f"{c.name} ({c.iso})", ", ".join(c.routes), _status(c),
                            self.country_anchor.get(c.iso)) for c in countries]

    # -- tracked items -----------------------------------------------------------------------

    def _point(self, point: ActionPointRead) -> ActionPointEntry:
        return ActionPointEntry(
            point.id, point.number, point.title, point.text, _status(point), point.owner,
            point.notes, point.last_changed,
            self.sources.refs(point.citations, f"Action point {point.number}"))

    def _measures(self) -> MeasuresSection:
        groups: dict[tuple[str, str], list[MeasureEntry]] = {}
        measures = self.measures
        if self.choices["measures"].items is None:  # all: by section, then number
            measures = sorted(measures, key=lambda m: (_roman(m.section), m.section))
        for m in measures:
            entry = MeasureEntry(
                m.id, m.number, m.text, m.deadline, m.due_date, m.overdue, tuple(m.lead_actors),
                tuple(self.country_names.get(iso, iso) for iso in m.countries), _status(m),
                m.owner, m.notes, self.sources.refs(m.citations, f"Measure {m.number}"))
            groups.setdefault((m.section, m.section_title), []).append(entry)
        return MeasuresSection(
            "measures", SECTIONS["measures"].title, self.generated_on,
            tuple(MeasureGroup(section, title, tuple(entries))
                  for (section, title), entries in groups.items()))

    def _matrix(self) -> MatrixSection:
        choice = self.choices["matrix"]
        countries = _select("matrix", choice, self.source.countries, lambda c: c.iso)
        named = {(m.id, iso) for m in self.source.measures for iso in m.countries}
        columns = sorted(self.source.measures, key=lambda m: (m.number, m.id))
        rows: list[MatrixRow] = []
        not_named: list[str] = []
        for country in countries:
            cells = tuple((m.id, country.iso) in named for m in columns)
            if any(cells) or choice.items is not None:
                rows.append(MatrixRow(country.iso, country.name, _status(country), cells,
                                      self.country_anchor.get(country.iso)))
            else:
                not_named.append(country.name)
        return MatrixSection(
            "matrix", SECTIONS["matrix"].title,
            tuple(MatrixColumn(m.number, _status(m), self.measure_anchor.get(m.id))
                  for m in columns),
            tuple(rows), tuple(not_named))

    def _fiche(self, country: CountryRead) -> CountryFiche:
        label = f"{country.name} ({country.iso})"
        own = [i for i in self.source.indicators if i.country == country.iso]
        route_figures = [i for i in self.source.indicators
                         if i.country is None and i.route in country.routes]
        indicators = tuple(
            IndicatorLine(i.display, i.label, i.value, i.unit, i.period, i.as_of,
                          None if i.country else i.route,
                          self.sources.refs(i.citations, f"Indicator: {i.label}"))
            for i in own + route_figures)
        instruments = tuple(
            InstrumentLine(i.kind, i.name, i.state,
                           self.sources.refs(i.citations, f"{label}: {i.name}"))
            for i in country.instruments)
        quotes = tuple(Quote(c.quote, self.sources.refs([c], label))
                       for c in country.citations)
        changes = [c for c in self.source.history
                   if c.item_kind == "country" and c.item_id == country.id]
        last_note = changes[-1].note if changes and changes[-1].old_status is not None else None
        return CountryFiche(
            country.iso, country.name, _status(country), country.status_note,
            tuple(country.routes), country.owner, country.notes, country.last_changed,
            last_note,
            tuple((number, self._measure_anchor_by_number(number))
                  for number in country.measures),
            instruments, indicators, _chart(country.name, own), quotes)

    def _measure_anchor_by_number(self, number: int) -> str | None:
        for measure in self.measures:
            if measure.number == number:
                return self.measure_anchor[measure.id]
        return None

    # -- people, history, letters --------------------------------------------------------------

    def _signatories(self) -> SignatoriesSection:
        letters = _select("signatories", self.choices["signatories"], self.source.letters,
                          lambda x: x.id)
        wanted = {letter.id: letter for letter in letters}
        signers: dict[int, list[tuple[PersonRead, Any]]] = defaultdict(list)
        senders: dict[int, list[tuple[PersonRead, Any]]] = defaultdict(list)
        for person in self.source.people:
            for role in person.roles:
                if role.letter_id not in wanted:
                    continue
                if role.role == "signatory":
                    signers[role.letter_id].append((person, role))
                elif role.role == "sender":
                    senders[role.letter_id].append((person, role))
        groups: dict[str, list[Signature]] = defaultdict(list)
        kinds: dict[str, int] = {}
        for letter in letters:
            # who signed: the signatories, or the sender of a letter that names none
            for person, role in signers.get(letter.id) or senders.get(letter.id, []):
                group = person.country or role.organisation or person.organisation or "Other"
                kinds[group] = 0 if person.country else 1
                annexed = letter.id in self.annex_label
                groups[group].append(Signature(
                    person.name, role.title, role.role, letter.id, letter.title, letter.date,
                    f"letter-{letter.id}" if annexed else None, self.annex_label.get(letter.id)))
        ordered = sorted(groups, key=lambda g: (kinds[g], g.casefold()))
        return SignatoriesSection(
            "signatories", SECTIONS["signatories"].title,
            tuple(SignatoryGroup(g, tuple(groups[g])) for g in ordered))

    def _changes(self) -> ChangesSection:
        since = self.spec.since
        previous = self.source.previous_build
        history = list(self.source.history)
        if since is not None:
            window = [c for c in history if c.changed_at.date() >= since]
            since_text = f"since {long_date(since)}"
        elif previous is not None:
            # inclusive: time stamps are whole seconds, and missing a change is worse
            window = [c for c in history if c.changed_at >= previous.built_at]
            since_text = (f"since version {previous.version} of this pack "
                          f"({long_date(previous.built_at)})")
        else:
            window = history
            since_text = "since the first record"
        baselines = 0
        if since is None and previous is None:
            changed = {(c.item_kind, c.item_id) for c in window if c.old_status is not None}
            baselines = len({(c.item_kind, c.item_id) for c in window
                             if c.old_status is None} - changed)
            window = [c for c in window if c.old_status is not None]
        lines = tuple(
            ChangeLine(c.changed_at, c.item_label, c.old_status, c.new_status, c.old_rag,
                       c.new_rag,
                       (f"{c.old_owner or 'none'} → {c.new_owner or 'none'}"
                        if c.old_owner != c.new_owner else None),
                       c.note, c.author)
            for c in window)
        title = f"What has changed {since_text}"
        return ChangesSection("changes", title, since_text, lines, baselines)

    def _annex(self, letter: LetterDetail) -> AnnexLetter:
        return AnnexLetter(
            self.annex_label[letter.id], letter.id, letter.title, letter.date, letter.place,
            letter.kind, letter.reference, letter.source_name, letter.sha256, letter.text,
            tuple((c.original, c.corrected, c.note) for c in letter.corrections))

    def _sources_section(self) -> SourcesSection:
        lines = tuple(
            SourceLine(
                e.number, e.citation.letter_id, e.citation.letter_title, e.citation.start,
                e.citation.end, e.citation.quote, self.annex_label.get(e.citation.letter_id),
                f"letter-{e.citation.letter_id}"
                if e.citation.letter_id in self.annex_label else None,
                tuple(e.used_by))
            for e in self.sources.entries())
        return SourcesSection("sources", SECTIONS["sources"].title, lines)


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8,
          "IX": 9, "X": 10}


def _roman(section: str) -> int:
    return _ROMAN.get(section.strip().upper(), 99)


def _annex_label(index: int) -> str:
    """A, B, … Z, AA, AB, …"""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _deadline_text(measure: MeasureRead) -> str:
    if not measure.deadline:
        return "no deadline stated"
    text = f"deadline {measure.deadline}"
    if measure.overdue and measure.due_date is not None:
        text += f" (OVERDUE since {short_date(measure.due_date)})"
    return text


def _chart(name: str, indicators: Sequence[IndicatorRead]) -> Chart | None:
    """A bar chart of a country's own figures, in the unit most of them share."""
    if not indicators:
        return None
    by_unit: dict[str, list[IndicatorRead]] = defaultdict(list)
    for indicator in indicators:
        by_unit[indicator.unit].append(indicator)
    unit = max(by_unit, key=lambda u: len(by_unit[u]))  # first unit wins a tie
    bars = tuple(ChartBar(_short_label(i.label), i.value, i.display)
                 for i in sorted(by_unit[unit], key=lambda i: (i.as_of or date.min, i.id)))
    return Chart(f"{name}: figures in {unit}", unit, bars)


def _short_label(label: str, limit: int = 60) -> str:
    text = " ".join(label.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def compose(spec: PackSpec, source: PackSource, *, pack_id: int, version: int, title: str,
            generated_on: date) -> PackContent:
    """Resolve a spec against the store's read models into a pack's content.

    Raises :class:`~briefing_app.errors.InvalidInput` naming the field when a
    chosen item, agenda item, paper or classification cannot be used.
    """
    if spec.paper not in PAPERS:
        raise InvalidInput(f"paper: unknown paper size {spec.paper!r} (use a4 or letter)")
    marking = " ".join(spec.classification.split())
    if not marking:
        raise InvalidInput("classification: give a marking, e.g. UNCLASSIFIED")
    if len(marking) > MAX_CLASSIFICATION:
        raise InvalidInput(f"classification: at most {MAX_CLASSIFICATION} characters")
    if not title.strip():
        raise InvalidInput("title: the pack needs a title")
    sections = normalise_sections(spec.sections)
    for note in spec.notes:
        for ref in note.items or ():
            parse_item_ref(ref)
    spec = replace(spec, sections=sections, classification=marking)
    return _Composer(spec, source, pack_id, version, " ".join(title.split()),
                     generated_on).content()


def section_items(key: str, source: PackSource) -> list[tuple[str, str]]:
    """The items a section can hold, as (item key, label), for a composer's picker."""
    kind = SECTIONS[key].items
    if kind is None:
        return []
    if key == "action-points":
        return [(str(p.number), f"{p.number}. {p.title}") for p in source.action_points]
    if key == "measures":
        return [(str(m.number), f"{m.number}. {_short_label(m.text, 80)}")
                for m in source.measures]
    if key in ("matrix", "countries"):
        return [(c.iso, f"{c.name} ({c.iso})") for c in source.countries]
    return [(str(x.id), x.title) for x in source.letters]


__all__ = [
    "ALL_SECTIONS", "SECTIONS", "SECTION_KEYS", "AgendaNote", "PackContent",
    "PackSource", "PackSpec", "SectionChoice", "compose", "parse_sections",
]
