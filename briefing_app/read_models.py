"""What leaves a service: plain, immutable read models, never live ORM objects.

Each has :meth:`to_dict` giving the JSON shape the CLI prints (dates as ISO
strings), so the CLI, the GUI and the tests see the same facts.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class ReadModel:
    def to_dict(self) -> dict[str, Any]:
        result = _jsonable(self)
        assert isinstance(result, dict)
        evidence = result.get("evidence")
        if isinstance(evidence, dict):  # a tracked item: its date and flags at the top
            result["as_of"] = evidence["as_of"]
            result["stale"] = evidence["stale"]
            result["no_source"] = evidence["no_source"]
        return result


@dataclasses.dataclass(frozen=True)
class CitationRead(ReadModel):
    letter_id: int
    letter_title: str
    start: int
    end: int
    quote: str  # the passage as a reader sees it (emphasis marks removed)


@dataclasses.dataclass(frozen=True)
class FollowUpRead(ReadModel):
    """A passage of another letter that reports on a commitment: suggested by the
    follow-up finder, then accepted (evidence) or dismissed by a person."""

    id: int
    commitment_id: int
    item_label: str  # "Measure 12", "Action point 3", "Commitment 41"
    letter_id: int
    letter_title: str
    letter_date: date | None
    start: int  # the passage's span in the letter's original text
    end: int
    text: str  # the passage as a reader sees it (one line, emphasis marks removed)
    score: float
    state: str  # suggested | accepted | dismissed
    origin: str  # finder | seed | person
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    #: the status change this follow-up is the source of, if any
    status_change_id: int | None = None

    def citation(self) -> CitationRead:
        """The passage as a citation (for a pack's numbered sources)."""
        return CitationRead(self.letter_id, self.letter_title, self.start, self.end, self.text)


@dataclasses.dataclass(frozen=True)
class FollowUpReviewRead(ReadModel):
    """One accept, dismiss or undo of a follow-up (the audit trail)."""

    id: int
    follow_up_id: int
    action: str  # accept | dismiss | undo
    old_state: str
    new_state: str
    status_change_id: int | None
    author: str
    changed_at: datetime
    reverts_id: int | None


@dataclasses.dataclass(frozen=True)
class Evidence(ReadModel):
    """What a tracked item's status and date rest on.

    ``as_of`` is the date of the newest accepted follow-up, or of the newest
    status change a person made (not undone), or of the item's own letter:
    never the day the store was created or a letter imported. ``source`` is
    the follow-up the current status was set from; ``no_source`` says that a
    status other than "no evidence" rests on none.
    """

    as_of: date | None = None
    stale: bool = False
    newest: FollowUpRead | None = None  # the newest accepted follow-up
    source: FollowUpRead | None = None
    no_source: bool = False


NO_EVIDENCE = Evidence()


@dataclasses.dataclass(frozen=True)
class RoleRead(ReadModel):
    letter_id: int
    letter_title: str
    role: str
    title: str | None
    name_as_written: str
    honorific: str | None
    organisation: str | None
    start: int  # the span of the name (and title) in the letter
    end: int


@dataclasses.dataclass(frozen=True)
class PersonRead(ReadModel):
    id: int
    name: str
    honorific: str | None
    organisation: str | None
    country: str | None
    country_code: str | None
    roles: tuple[RoleRead, ...]


@dataclasses.dataclass(frozen=True)
class LetterRoleRead(ReadModel):
    person_id: int
    name: str
    name_as_written: str
    honorific: str | None
    role: str
    title: str | None
    organisation: str | None
    country: str | None
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class AnnexRead(ReadModel):
    label: str
    title: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class CorrectionRead(ReadModel):
    start: int
    end: int
    original: str
    corrected: str
    note: str


@dataclasses.dataclass(frozen=True)
class PassageRead(ReadModel):
    """A cited span of a letter and the item it belongs to."""

    item_kind: str  # action_point | measure | country | indicator | meeting | person
    item_key: str  # number, ISO code, indicator key, meeting or person id
    label: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class LetterSummary(ReadModel):
    id: int
    title: str
    date: date | None
    place: str | None
    kind: str
    reference: str | None
    source_name: str
    sha256: str
    imported_at: datetime


@dataclasses.dataclass(frozen=True)
class CommitmentRead(ReadModel):
    """One commitment of a letter's series, with its review state and its status."""

    id: int
    series: str  # the series' stable key: "measures", "measures-7", "proposals"
    series_title: str
    position: int
    number: int | None
    marker: str | None
    section: str | None
    section_title: str | None
    title: str
    text: str
    deadline: str | None
    due_date: date | None
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    letter_id: int
    state: str  # proposed | accepted | rejected
    status: str
    rag: str
    owner: str | None
    notes: str | None
    start: int
    end: int
    overdue: bool = False
    evidence: Evidence = NO_EVIDENCE
    follow_ups: tuple[FollowUpRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class LetterDetail(ReadModel):
    id: int
    title: str
    date: date | None
    place: str | None
    kind: str
    reference: str | None
    source_name: str
    sha256: str
    imported_at: datetime
    encoding: str
    salutation: str | None
    subject: str | None
    text: str
    roles: tuple[LetterRoleRead, ...]
    annexes: tuple[AnnexRead, ...]
    corrections: tuple[CorrectionRead, ...]
    action_points: tuple[int, ...]
    measures: tuple[int, ...]
    commitments: tuple[CommitmentRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class StatusChangeRead(ReadModel):
    id: int
    item_kind: str
    item_id: int
    item_label: str
    old_status: str | None
    new_status: str
    old_rag: str | None
    new_rag: str
    old_owner: str | None
    new_owner: str | None
    note: str | None
    author: str
    source: str
    changed_at: datetime
    reverts_id: int | None
    #: the machine the change was made on (None: recorded before machines were)
    origin: str | None = None


@dataclasses.dataclass(frozen=True)
class ActionPointRead(ReadModel):
    id: int
    number: int
    title: str
    text: str
    letter_id: int
    status: str
    rag: str
    owner: str | None
    notes: str | None
    last_changed: datetime | None
    stalled: bool
    citations: tuple[CitationRead, ...] = ()
    evidence: Evidence = NO_EVIDENCE
    follow_ups: tuple[FollowUpRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class MeasureRead(ReadModel):
    id: int
    number: int
    section: str
    section_title: str
    text: str
    deadline: str | None
    due_date: date | None
    overdue: bool
    lead_actors: tuple[str, ...]
    countries: tuple[str, ...]
    letter_id: int
    status: str
    rag: str
    owner: str | None
    notes: str | None
    last_changed: datetime | None
    stalled: bool
    citations: tuple[CitationRead, ...] = ()
    evidence: Evidence = NO_EVIDENCE
    follow_ups: tuple[FollowUpRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class InstrumentRead(ReadModel):
    kind: str
    name: str
    state: str
    citations: tuple[CitationRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class CountryRead(ReadModel):
    id: int
    iso: str
    name: str
    routes: tuple[str, ...]
    instruments: tuple[InstrumentRead, ...]
    status: str
    rag: str
    status_note: str | None
    owner: str | None
    notes: str | None
    measures: tuple[int, ...]
    indicators: tuple[str, ...]
    last_changed: datetime | None
    stalled: bool
    citations: tuple[CitationRead, ...] = ()
    evidence: Evidence = NO_EVIDENCE
    follow_ups: tuple[FollowUpRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class IndicatorRead(ReadModel):
    id: int
    key: str
    label: str
    value: float
    unit: str
    approximate: bool
    display: str
    period: str | None
    as_of: date | None
    route: str | None
    country: str | None
    letter_id: int | None
    citations: tuple[CitationRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class SearchHit(ReadModel):
    letter_id: int
    letter_title: str
    paragraph: int
    start: int
    end: int
    snippet: str
    score: float  # bm25 within its match: lower is better
    match: str  # "exact", "stemmed" or "prefix": hits come in that order


@dataclasses.dataclass(frozen=True)
class MeetingRead(ReadModel):
    id: int
    formation: str
    title: str
    date: date | None
    place: str | None
    agenda: tuple[str, ...]
    citations: tuple[CitationRead, ...] = ()


@dataclasses.dataclass(frozen=True)
class ImportResult(ReadModel):
    """What importing one file did."""

    file: str
    outcome: str  # imported | unchanged | failed
    letter_id: int | None
    title: str | None
    message: str


@dataclasses.dataclass(frozen=True)
class PackSummary(ReadModel):
    id: int
    meeting_id: int | None
    title: str
    created_at: datetime
    versions: int
    latest_sha256: str | None
    latest_page_count: int | None


@dataclasses.dataclass(frozen=True)
class PackBuildRead(ReadModel):
    """One build of a pack (a pack version): the file, its hash and what it holds."""

    pack_id: int
    pack_code: str  # "BP-0001", as printed in the footer
    title: str
    meeting_id: int | None
    version: int
    built_at: datetime
    path: str
    sha256: str
    page_count: int
    sections: tuple[str, ...]  # the section keys, in order
    options: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class PackRead(ReadModel):
    """A pack's definition (sections, notes, options) and its builds."""

    id: int
    meeting_id: int | None
    title: str
    sections: tuple[str, ...]  # "measures:1+2" where items were chosen
    notes: tuple[dict[str, Any], ...]
    options: dict[str, Any]
    created_at: datetime
    builds: tuple[PackBuildRead, ...]


# ------------------------------------------------------------------------------ tables


@dataclasses.dataclass(frozen=True)
class ExportResult(ReadModel):
    """What exporting one list to a spreadsheet file wrote."""

    kind: str  # "measures"
    path: str
    format: str  # csv | xlsx
    rows: int
    columns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class FieldChange(ReadModel):
    """One cell of a table that differs from the store: the store's value and the file's."""

    column: str
    old: Any
    new: Any


@dataclasses.dataclass(frozen=True)
class PlannedChange(ReadModel):
    """What one row of a table changes in one item."""

    row: int  # the spreadsheet row (the header is row 1)
    key: str  # number, ISO code or indicator key
    label: str  # "Measure 12", "Tunisia (TN)"
    item_id: int
    changes: tuple[FieldChange, ...]


@dataclasses.dataclass(frozen=True)
class TablePlan(ReadModel):
    """A checked table: every change it would make, nothing written yet.

    Give it to :meth:`~briefing_app.services.tables.TableService.apply` to
    write the changes in one transaction.
    """

    kind: str
    file: str
    rows: int  # data rows read (blank rows not counted)
    unchanged: int  # rows that match the store
    changes: tuple[PlannedChange, ...]
    read_columns: tuple[str, ...]  # the file's columns that are imported
    ignored_columns: tuple[str, ...]  # the file's columns that are not


@dataclasses.dataclass(frozen=True)
class TableImportResult(ReadModel):
    """What applying a table wrote."""

    kind: str
    file: str
    rows: int
    unchanged: int
    changes: tuple[PlannedChange, ...]
    status_change_ids: tuple[int, ...]  # the StatusChange rows recorded (none for indicators)


@dataclasses.dataclass(frozen=True)
class RowProblem(ReadModel):
    """A cell of a table that cannot be imported."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclasses.dataclass(frozen=True)
class CrossTab(ReadModel):
    """A count table: how many items fall in each (row, column) pair, with totals."""

    title: str
    row_label: str  # what the rows are: "section", "route"
    column_label: str  # what the columns are: "status", "rag"
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # one tuple per row, one count per column
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int

    def count(self, row: str, column: str) -> int:
        return self.counts[self.rows.index(row)][self.columns.index(column)]


@dataclasses.dataclass(frozen=True)
class Summaries(ReadModel):
    """The figures a briefing starts from."""

    measures_by_status: CrossTab  # per section
    overdue_measures: int
    overdue_by_section: dict[str, int]
    countries_by_rag: CrossTab  # per route
