"""Tables in and out: export any list to CSV/XLSX, import tracker tables, count summaries.

Export writes the columns of :data:`~briefing_app.tabular.columns.EXPORT_COLUMNS`
(optionally only the items asked for, in the order asked). Import is two steps,
so the desktop app can show what a file would change before anything is
written:

* :meth:`TableService.preview` reads and checks *every* row first. A file
  with any bad cell raises :class:`~briefing_app.errors.TableProblems` listing
  each one (``FILE:ROW:COLUMN: what is wrong``); nothing is written.
* :meth:`TableService.apply` writes a checked plan in one transaction. Each
  change of an action point, measure or country is recorded as a StatusChange
  (same rules as :meth:`TrackingService.set_status`) whose source names the
  file and row; indicators have no history, so their new figures are simply
  stored.

pandas and openpyxl load on first use of this service, never at start-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from briefing_app.domain import kinds
from briefing_app.domain.kinds import Kind
from briefing_app.errors import InvalidInput, NotFound, TableProblems
from briefing_app.read_models import (
    CrossTab,
    Evidence,
    ExportResult,
    FieldChange,
    PlannedChange,
    RowProblem,
    Summaries,
    TableImportResult,
    TablePlan,
)
from briefing_app.services.catalogue import CatalogueService
from briefing_app.services.letters import LetterService
from briefing_app.services.tracking import TrackingService, resolve_change
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row
from briefing_app.tabular import cells
from briefing_app.tabular.cells import CellError, CellValue
from briefing_app.tabular.columns import (
    EXPORT_COLUMNS,
    IMPORTS,
    LIST_SEPARATOR,
    ImportSpec,
    normalise_header,
)

if TYPE_CHECKING:
    from briefing_app.domain.status import Rag, Status
    from briefing_app.store.models import StatusChange, TrackedItem

#: The rows an import of each kind matches against.
_IMPORT_ROWS: dict[str, Callable[[Any], list[Row]]] = {
    kinds.ACTION_POINTS.name: queries.action_points, kinds.MEASURES.name: queries.measures,
    kinds.COUNTRIES.name: queries.countries, kinds.INDICATORS.name: queries.indicators,
}


def _joined(values: Sequence[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _stamp(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _evidence(evidence: Evidence) -> dict[str, Any]:
    """The as-of date, the source of the status and the stale flag, as table cells."""
    source = evidence.source
    cited: str | None
    if source is not None:
        when = source.letter_date.isoformat() if source.letter_date else "undated"
        cited = f"letter {source.letter_id} ({when}), characters {source.start}-{source.end}"
    else:
        cited = "no source" if evidence.no_source else None
    return {"as_of": evidence.as_of, "source": cited, "stale": _yes_no(evidence.stale)}


def _figure(value: float) -> int | float:
    """17700.0 as 17700 (what a person types), 0.2 as it is."""
    return int(value) if float(value).is_integer() else value


@dataclass
class _Target:
    """What one checked row asks for."""

    row: int
    key: str
    label: str
    item_id: int
    changes: list[FieldChange]


class TableService:
    def __init__(self, store: Store, *, tracking: TrackingService,
                 catalogue: CatalogueService, letters: LetterService) -> None:
        self.store = store
        self.tracking = tracking
        self.catalogue = catalogue
        self.letters = letters

    # -- what can be exported and imported ------------------------------------------------

    @staticmethod
    def export_kinds() -> tuple[Kind, ...]:
        """The lists :meth:`export` writes, in menu order (each with its ``name`` and
        ``label``: "countries", "Partner countries")."""
        return kinds.EXPORTED

    @staticmethod
    def import_kinds() -> tuple[Kind, ...]:
        """The kinds :meth:`preview` and :meth:`apply` update from a table, in menu order."""
        return kinds.IMPORTED

    # -- export ------------------------------------------------------------------------

    def rows(self, kind: str, *, ids: Sequence[int] | None = None,
             keys: Sequence[str | int] | None = None) -> list[dict[str, Any]]:
        """The cells of an exported list, one dict per item (all items, or those asked for).

        ``ids`` are the read models' ``id``; ``keys`` the key people use (the
        number of an action point or measure, a country's ISO code, an
        indicator's key, the id of the other kinds). Either keeps the order
        given; an item not in the store is an error.
        """
        exported = kinds.exported_kind(kind)
        if ids is not None and keys is not None:
            raise InvalidInput("export: give ids or keys, not both")
        pairs = self._rows(exported.name)  # (id, cells)
        if ids is None and keys is None:
            return [cells_ for _, cells_ in pairs]
        chosen: list[dict[str, Any]] = []
        if ids is not None:
            by_id = dict(pairs)
            for item_id in ids:
                if item_id not in by_id:
                    raise NotFound(f"{exported.name}: no item with id {item_id} in the store")
                chosen.append(by_id[item_id])
            return chosen
        by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, cells_ in pairs:
            by_key[exported.show_key(cells_)].append(cells_)
        for wanted in keys or ():
            text = exported.key_text(wanted)
            if text not in by_key:
                raise NotFound(f"{exported.name}: no item with {exported.key} {text} "
                               "in the store")
            chosen.extend(by_key[text])
        return chosen

    def export(self, kind: str, path: Path, *, ids: Sequence[int] | None = None,
               keys: Sequence[str | int] | None = None) -> ExportResult:
        """Write a list to ``path`` (.csv or .xlsx); see :meth:`rows` for ``ids``/``keys``."""
        from briefing_app.tabular.files import table_format, write_table

        fmt = table_format(path)
        rows = self.rows(kind, ids=ids, keys=keys)
        name = kinds.exported_kind(kind).name
        columns = EXPORT_COLUMNS[name]
        write_table(path, name, columns, rows)
        return ExportResult(name, str(path), fmt, len(rows), columns)

    def _rows(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        """(id, cells) of every item of an exported list."""
        builders: dict[str, Callable[[], list[tuple[int, dict[str, Any]]]]] = {
            "letters": self._letter_rows, "action-points": self._action_point_rows,
            "measures": self._measure_rows, "commitments": self._commitment_rows,
            "countries": self._country_rows,
            "people": self._people_rows, "indicators": self._indicator_rows,
            "status-history": self._history_rows,
        }
        return builders[kind]()

    def _letter_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "id": x.id, "date": x.date, "title": x.title, "kind": x.kind, "place": x.place,
            "reference": x.reference, "source_name": x.source_name, "sha256": x.sha256,
            "imported_at": _stamp(x.imported_at)}) for x in self.letters.list()]

    def _action_point_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "number": x.number, "letter_id": x.letter_id, "title": x.title, "status": x.status,
            "rag": x.rag, "owner": x.owner, "notes": x.notes, **_evidence(x.evidence),
            "last_changed": _stamp(x.last_changed), "stalled": _yes_no(x.stalled),
            "text": x.text}) for x in self.tracking.action_points()]

    def _measure_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "number": x.number, "letter_id": x.letter_id, "section": x.section,
            "section_title": x.section_title, "deadline": x.deadline, "due_date": x.due_date,
            "overdue": _yes_no(x.overdue), "lead_actors": _joined(x.lead_actors),
            "countries": _joined(x.countries), "status": x.status, "rag": x.rag,
            "owner": x.owner, "notes": x.notes, **_evidence(x.evidence),
            "last_changed": _stamp(x.last_changed),
            "stalled": _yes_no(x.stalled), "text": x.text}) for x in self.tracking.measures()]

    def _commitment_rows(self) -> list[tuple[int, dict[str, Any]]]:
        from briefing_app.services.commitments import CommitmentService

        return [(x.id, {
            "id": x.id, "series": x.series, "series_title": x.series_title,
            "letter_id": x.letter_id, "position": x.position, "number": x.number,
            "section": x.section, "title": x.title, "deadline": x.deadline,
            "due_date": x.due_date, "actors": _joined(x.actors),
            "countries": _joined(x.countries), "state": x.state, "status": x.status,
            "rag": x.rag, "owner": x.owner, **_evidence(x.evidence), "text": x.text})
            for x in CommitmentService(self.store, self.tracking.today).list()]

    def _country_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "iso": x.iso, "name": x.name, "routes": _joined(x.routes),
            "instruments": _joined([f"{i.kind} ({i.state})" for i in x.instruments]),
            "status": x.status, "rag": x.rag, "status_note": x.status_note, "owner": x.owner,
            "notes": x.notes, "measures": _joined(x.measures),
            "indicators": _joined(x.indicators), **_evidence(x.evidence),
            "last_changed": _stamp(x.last_changed),
            "stalled": _yes_no(x.stalled)}) for x in self.tracking.countries()]

    def _people_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "id": x.id, "name": x.name, "honorific": x.honorific,
            "organisation": x.organisation, "country": x.country,
            "country_code": x.country_code,
            "roles": _joined([f"{r.role} (letter {r.letter_id})" for r in x.roles])})
            for x in self.catalogue.people()]

    def _indicator_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "key": x.key, "label": x.label, "value": _figure(x.value), "unit": x.unit,
            "approximate": _yes_no(x.approximate), "display": x.display, "period": x.period,
            "as_of": x.as_of, "route": x.route, "country": x.country,
            "letter_id": x.letter_id}) for x in self.catalogue.indicators()]

    def _history_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(x.id, {
            "id": x.id, "changed_at": _stamp(x.changed_at), "item_kind": x.item_kind,
            "item_id": x.item_id, "item": x.item_label, "old_status": x.old_status,
            "new_status": x.new_status, "old_rag": x.old_rag, "new_rag": x.new_rag,
            "old_owner": x.old_owner, "new_owner": x.new_owner, "note": x.note,
            "author": x.author, "source": x.source, "reverts_id": x.reverts_id})
            for x in self.tracking.history()]

    # -- import ------------------------------------------------------------------------

    def preview(self, kind: str, path: Path) -> TablePlan:
        """Read and check a table; return every change it would make (nothing is written).

        Raises :class:`TableProblems` listing every bad cell of the file.
        """
        from briefing_app.tabular.files import read_table

        imported = kinds.imported_kind(kind)
        spec = IMPORTS[imported.name]
        table = read_table(Path(path))
        name = table.file
        problems: list[RowProblem] = []
        columns: dict[str, int] = {}
        for index, header in enumerate(table.header):
            column = normalise_header(header)
            if not column:
                continue
            if column in columns:
                problems.append(RowProblem(name, table.header_row, column,
                                           "this column appears twice"))
                continue
            columns[column] = index
        if spec.key not in columns:
            problems.append(RowProblem(
                name, table.header_row, spec.key,
                f"no such column; the header row must name the {spec.key} of each "
                f"{spec.noun}"))
            raise TableProblems(name, problems)
        read_columns = tuple(c for c in spec.read if c in columns)
        known = {spec.key, spec.narrowing, *read_columns}
        ignored = tuple(c for c in columns if c not in known)

        with self.store.read() as db:
            items = _IMPORT_ROWS[imported.name](db)
        labels = {r["id"]: imported.item_label(r) for r in items}
        finder = _Finder(spec, items)

        targets: list[_Target] = []
        seen: dict[int, int] = {}
        for row_number, row_cells in table.rows:
            def cell(column: str, _cells: tuple[CellValue, ...] = row_cells) -> CellValue:
                return _cells[columns[column]]

            row_problems: list[RowProblem] = []

            def problem(column: str, message: str, _row: int = row_number,
                        _into: list[RowProblem] = row_problems) -> None:
                _into.append(RowProblem(name, _row, column, message))

            item = finder.find(cell, columns, problem)
            if item is None:
                problems.extend(row_problems)
                continue
            if item["id"] in seen:
                problem(spec.key, f"{labels[item['id']]} is on row {seen[item['id']]} already")
                problems.extend(row_problems)
                continue
            seen[item["id"]] = row_number
            if not imported.tracked:
                changes = _indicator_changes(item, cell, read_columns, problem)
            else:
                changes = _tracked_changes(item, cell, read_columns, problem)
            problems.extend(row_problems)
            if not row_problems and changes:
                key = str(item[spec.key])
                targets.append(_Target(row_number, key, labels[item["id"]], item["id"],
                                       changes))
        if problems:
            raise TableProblems(name, problems)
        planned = tuple(PlannedChange(t.row, t.key, t.label, t.item_id, tuple(t.changes))
                        for t in targets)
        return TablePlan(kind=imported.name, file=name, rows=len(table.rows),
                         unchanged=len(table.rows) - len(planned), changes=planned,
                         read_columns=read_columns, ignored_columns=ignored)

    def apply(self, plan: TablePlan, *, author: str | None = None) -> TableImportResult:
        """Write a checked plan in one transaction (all of it, or nothing).

        If an item changed in the store since the plan was made, nothing is
        written and the error asks to check the table again.
        """
        from briefing_app.store.models import TRACKED_MODELS, Indicator
        from briefing_app.store.unit_of_work import UnitOfWork

        kind = kinds.imported_kind(plan.kind)
        file_name = Path(plan.file).name
        change_ids: list[int] = []
        with UnitOfWork(self.store) as uow:
            session = uow.session
            for planned in plan.changes:
                new = {c.column: c.new for c in planned.changes}
                if not kind.tracked:
                    indicator = session.get(Indicator, planned.item_id)
                    if indicator is None:
                        raise NotFound(f"{plan.file}: {planned.label} is no longer in the store")
                    _check_unchanged(plan, planned, {
                        "value": indicator.value, "approximate": indicator.approximate,
                        "display": indicator.display, "period": indicator.period,
                        "as_of": indicator.as_of.isoformat() if indicator.as_of else None})
                    if "value" in new:
                        indicator.value = float(new["value"])
                    if "approximate" in new:
                        indicator.approximate = bool(new["approximate"])
                    if "display" in new:
                        indicator.display = str(new["display"])
                    if "period" in new:
                        indicator.period = new["period"]
                    if "as_of" in new:
                        indicator.as_of = (date.fromisoformat(new["as_of"]) if new["as_of"]
                                           else None)
                    session.add(indicator)
                    continue
                item = cast("TrackedItem | None",
                            session.get(TRACKED_MODELS[kind.row_kind], planned.item_id))
                if item is None:
                    raise NotFound(f"{plan.file}: {planned.label} is no longer in the store")
                _check_unchanged(plan, planned, {"status": item.status, "rag": item.rag,
                                                 "owner": item.owner, "notes": item.notes})
                change = _record_row(session, kind, item, planned, new, author,
                                     f"import-table {file_name}, row {planned.row}")
                change_ids.append(change.id or 0)
            uow.commit()
        return TableImportResult(kind=plan.kind, file=plan.file, rows=plan.rows,
                                 unchanged=plan.unchanged, changes=plan.changes,
                                 status_change_ids=tuple(change_ids))

    def import_table(self, kind: str, path: Path, *, dry_run: bool = False,
                     author: str | None = None) -> TablePlan | TableImportResult:
        """Check a table and, unless ``dry_run``, apply it."""
        plan = self.preview(kind, path)
        return plan if dry_run else self.apply(plan, author=author)

    # -- summaries ---------------------------------------------------------------------

    def measures_by_status(self) -> CrossTab:
        """Operational measures per section and status."""
        from briefing_app.tabular.summaries import measures_by_status

        return measures_by_status(self.tracking.measures())

    def countries_by_rag(self) -> CrossTab:
        """Partner countries per route and RAG colour."""
        from briefing_app.tabular.summaries import countries_by_rag

        return countries_by_rag(self.tracking.countries())

    def overdue_count(self) -> int:
        """How many measures are past their due date and neither done nor dropped."""
        return sum(1 for m in self.tracking.measures() if m.overdue)

    def summaries(self) -> Summaries:
        """Every summary at once (one read of each list)."""
        from briefing_app.tabular import summaries

        measures = self.tracking.measures()
        return Summaries(
            measures_by_status=summaries.measures_by_status(measures),
            overdue_measures=sum(1 for m in measures if m.overdue),
            overdue_by_section=summaries.overdue_by_section(measures),
            countries_by_rag=summaries.countries_by_rag(self.tracking.countries()),
        )


# ------------------------------------------------------------------------ import helpers

Problem = Callable[[str, str], None]
Cell = Callable[[str], CellValue]


class _Finder:
    """Finds the item a row names by its key (and letter_id where numbers repeat)."""

    def __init__(self, spec: ImportSpec, items: Sequence[Row]) -> None:
        self.spec = spec
        self.by_key: dict[Any, list[Row]] = defaultdict(list)
        for item in items:
            key = item[spec.key]
            self.by_key[key.casefold() if isinstance(key, str) else key].append(item)

    def find(self, cell: Cell, columns: dict[str, int], problem: Problem) -> Row | None:
        spec = self.spec
        raw = cell(spec.key)
        if cells.is_blank(raw):
            problem(spec.key, f"empty; every row needs the {spec.key} of a {spec.noun}")
            return None
        key: Any
        if spec.key == "number":
            try:
                key = cells.whole_number(raw)
            except CellError as exc:
                problem(spec.key, str(exc))
                return None
            shown = str(key)
        else:
            shown = cells.text(raw) or ""
            key = shown.casefold()
        found = self.by_key.get(key, [])
        narrowing = spec.narrowing
        if narrowing and narrowing in columns and not cells.is_blank(cell(narrowing)):
            try:
                letter_id = cells.whole_number(cell(narrowing))
            except CellError as exc:
                problem(narrowing, str(exc))
                return None
            found = [item for item in found if item[narrowing] == letter_id]
            if not found:
                problem(spec.key, f"no {spec.noun} {shown} of letter {letter_id} in the store")
                return None
        if not found:
            what = {"number": f"{spec.noun} {shown}",
                    "iso": f"partner country with ISO code {shown!r}",
                    "key": f"indicator {shown!r}"}[spec.key]
            problem(spec.key, f"no {what} in the store")
            return None
        if len(found) > 1:
            letters = ", ".join(str(item["letter_id"]) for item in found)
            problem(spec.key, f"{spec.noun} {shown} is in several letters ({letters}); "
                              f"add a {narrowing} column to say which")
            return None
        return found[0]


def _tracked_changes(item: Row, cell: Cell, read: tuple[str, ...],
                     problem: Problem) -> list[FieldChange]:
    status: Status | None = None
    rag: Rag | None = None
    owner: str | None = None
    notes = item["notes"]
    if "status" in read and not cells.is_blank(cell("status")):
        try:
            parsed = cells.status(cell("status"))
        except CellError as exc:
            problem("status", str(exc))
        else:
            # the same status again is no change (and does not reset the RAG)
            status = parsed if parsed.value != item["status"] else None
    if "rag" in read and not cells.is_blank(cell("rag")):
        try:
            rag = cells.rag(cell("rag"))
        except CellError as exc:
            problem("rag", str(exc))
    if status is not None and rag is not None and rag.value == item["rag"]:
        # the RAG left as it was in a row whose status changed: like a status set
        # without --rag, the item takes the new status's usual colour
        rag = None
    if "owner" in read:
        owner = cells.text(cell("owner")) or ""
    if "notes" in read:
        notes = cells.text(cell("notes"))
    new_status, new_rag, new_owner = resolve_change(item["status"], item["rag"], item["owner"],
                                                    status=status, rag=rag, owner=owner)
    changes = [FieldChange(column, old, new) for column, old, new in (
        ("status", item["status"], new_status), ("rag", item["rag"], new_rag),
        ("owner", item["owner"], new_owner), ("notes", item["notes"], notes)) if old != new]
    return changes


def _indicator_changes(item: Row, cell: Cell, read: tuple[str, ...],
                       problem: Problem) -> list[FieldChange]:
    old = {"value": item["value"], "approximate": bool(item["approximate"]),
           "display": item["display"], "period": item["period"],
           "as_of": item["as_of"]}
    new = dict(old)
    if "value" in read:
        try:
            if cells.is_blank(cell("value")):
                raise CellError("empty; give the figure")
            new["value"] = cells.number(cell("value"))
        except CellError as exc:
            problem("value", str(exc))
    if "approximate" in read and not cells.is_blank(cell("approximate")):
        try:
            new["approximate"] = cells.flag(cell("approximate"))
        except CellError as exc:
            problem("approximate", str(exc))
    if "display" in read:
        shown = cells.text(cell("display"))
        if shown is None:
            problem("display", "empty; give the figure as it is printed, e.g. '-79%'")
        else:
            new["display"] = shown
    if "period" in read:
        new["period"] = cells.text(cell("period"))
    if "as_of" in read:
        try:
            as_of = cell("as_of")
            new["as_of"] = None if cells.is_blank(as_of) else cells.day(as_of).isoformat()
        except CellError as exc:
            problem("as_of", str(exc))
    if new["value"] != old["value"] and new["display"] == old["display"]:
        problem("display", f"the value changes ({_figure(old['value'])} → "
                           f"{_figure(new['value'])}) but display still reads "
                           f"{old['display']!r}; change display too")
    return [FieldChange(column, old[column], new[column]) for column in old
            if old[column] != new[column]]


def _check_unchanged(plan: TablePlan, planned: PlannedChange, current: dict[str, Any]) -> None:
    for change in planned.changes:
        if current[change.column] != change.old:
            raise InvalidInput(f"{plan.file}: {planned.label} has changed in the store since "
                               "the table was checked; check the table again")


def _record_row(session: Any, kind: Kind, item: TrackedItem, planned: PlannedChange,
                new: dict[str, Any], author: str | None, source: str) -> StatusChange:
    """One row's change of a tracked item as a StatusChange (the set_status rules)."""
    from briefing_app.services.recording import record_change

    status: str | None = new.get("status")
    # the plan holds the RAG the rules gave; pass it whenever status or RAG moves
    rag: str | None = new.get("rag", item.rag) if ("rag" in new or status is not None) \
        else None
    owner = (new["owner"] or "") if "owner" in new else None
    note = None
    if "notes" in new:
        item.notes = new["notes"]
        note = f"notes: {new['notes']}" if new["notes"] else "notes cleared"
    return record_change(session, kind, item, status=status, rag=rag, owner=owner, note=note,
                         author=author, source=source)
