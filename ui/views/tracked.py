"""Action points and operational measures: status, deadlines, history, passages."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QTabWidget, QWidget

from briefing_app.read_models import (
    ActionPointRead,
    MeasureRead,
    StatusChangeRead,
)
from ui.models.records import Column
from ui.signals import emit
from ui.tasks import Op
from ui.views.list_view import ListView
from ui.views.timeline import MeasureTimeline
from ui.widgets.detail import (
    HistoryTimeline,
    Page,
    StatusEditor,
    caption,
    chips_row,
    facts,
    heading,
    section_title,
    text_label,
)
from ui.widgets.evidence import EVERY_MONTH, EvidenceBlock, as_of_cell, as_of_tip
from ui.widgets.follow_ups import FollowUpSection

if TYPE_CHECKING:
    from ui.shell import Shell


#: Where the evidence (as of, source) goes in a detail pane: after caption, heading and
#: chips; the status editor comes right after it.
EVIDENCE_POSITION = 3
EDITOR_POSITION = EVIDENCE_POSITION + 1


def flags(item: Any) -> str | None:
    """The warning chip of a row: overdue beats stalled."""
    if getattr(item, "overdue", False):
        return "overdue"
    if getattr(item, "stalled", False):
        return "stalled"
    return None


def as_of_column(view: ListView) -> Column:
    """The lists' "As of" column: sorts by the date, says "stale" beside it."""
    return Column("As of", lambda r: r.evidence.as_of, "date",
                  tooltip=lambda r: as_of_tip(r.evidence,
                                              view.services.tracking.stale_after_months),
                  display=lambda r: as_of_cell(r.evidence, view.row_lines),
                  fits=EVERY_MONTH if view.row_lines > 1 else
                  tuple(f"{day} · stale" for day in EVERY_MONTH))


class TrackedView(ListView):
    """A list of items that carry a status, with the editing detail pane.

    Signals:
        detail_shown(record): the detail pane shows this item's full record.
    """

    detail_shown = Signal(object)
    kind = ""  # CLI kind: action-points | measures | countries
    editor: StatusEditor | None = None
    history: HistoryTimeline | None = None
    show_in_letter: QPushButton | None = None
    evidence: EvidenceBlock | None = None
    follow_ups: FollowUpSection | None = None
    dialog: QDialog | None = None
    #: (item, follow-up) whose review was asked from the pane: the follow-up is focused
    #: again once the pane is redrawn after the write
    _refocus: tuple[int, int] | None = None

    def item_key(self, record: Any) -> str:
        return str(record.number)

    def describe(self, record: Any, page: Page) -> None:
        """The item-specific top of the detail pane."""
        raise NotImplementedError

    def show_detail(self, record: Any | None) -> None:
        if record is None:
            self.set_detail(Page().finish())
            return
        key = self.item_key(record)
        services = self.services
        kind = self.kind

        def work() -> tuple[Any, list[StatusChangeRead]]:
            full = {"action-points": services.tracking.action_point,
                    "measures": services.tracking.measure,
                    "countries": services.tracking.country}[kind](key)
            return full, services.tracking.history(kind, key)

        Op(parent=self, work=work, success=self._show_full).run_in_background()

    def _show_full(self, loaded: tuple[Any, list[StatusChangeRead]]) -> None:
        record, history = loaded
        current = self.current_record()
        if current is None or current.id != record.id:
            return
        page = Page()
        self.describe(record, page)
        self.evidence = EvidenceBlock(record.status, record.evidence,
                                      self.services.tracking.stale_after_months)
        page.insert(EVIDENCE_POSITION, self.evidence)
        editor = StatusEditor(self.kind, self.item_key(record), record.status, record.rag,
                              record.owner)
        editor.change_requested.connect(self.shell.request_status_change)
        editor.setEnabled(not self.services.read_only)
        # the editor right under the item's heading, chips and evidence: on a laptop
        # screen it is in sight without scrolling, and the first stop of Tab after the list
        page.insert(EDITOR_POSITION, editor)
        self.editor = editor
        chain = [self.table, *editor.focus_chain()]
        self.follow_ups = None
        if self.kind != "countries":  # a country is no commitment: nothing reports on it
            self.follow_ups = self.follow_up_section(record)
            page.add(self.follow_ups)
            chain += self.follow_ups.focus_chain()
        page.add(section_title("History"))
        self.history = HistoryTimeline(history)
        page.add(self.history)
        self.add_citations(page, record.citations)
        self.set_detail(page.finish())
        # Tab from the list goes through the editor first, then the follow-ups
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        wanted, self._refocus = self._refocus, None
        if self.follow_ups is not None and wanted is not None and wanted[0] == record.id \
                and self.follow_ups.list.select_id(wanted[1]):
            self.follow_ups.list.focus_current()
        emit(self.detail_shown, record)

    def follow_up_section(self, record: Any) -> FollowUpSection:
        """"Reported in later letters", its Accept… and Dismiss undoable writes."""
        from ui.operations import follow_ups as operations

        section = FollowUpSection(record.follow_ups, writable=not self.services.read_only)

        def accept(follow_up: Any) -> None:
            dialog = operations.accept(self.shell, follow_up, record.status, record.rag,
                                       parent=self)
            dialog.accepted.connect(lambda: self._focus_after(record.id, follow_up.id))
            self.dialog = dialog

        def dismiss(follow_up: Any) -> None:
            self._focus_after(record.id, follow_up.id)
            operations.dismiss(self.shell, follow_up)

        section.accept_requested.connect(accept)
        section.dismiss_requested.connect(dismiss)
        section.show_in_letter.connect(self.shell.open_letter_at)
        return section

    def _focus_after(self, item_id: int, follow_up_id: int) -> None:
        self._refocus = (item_id, follow_up_id)

    def show_in_letter_button(self, record: Any) -> QPushButton:
        button = QPushButton("Show in letter")
        button.setToolTip("Open the letter at the passage this item comes from")
        button.setEnabled(bool(record.citations))
        if record.citations:
            first = record.citations[0]
            button.clicked.connect(lambda: self.shell.open_letter_at(
                first.letter_id, first.start, first.end))
        self.show_in_letter = button
        return button


class ActionPointsView(TrackedView):
    title = "Action points"
    row_lines = 2
    noun = "action points"
    kind = "action-points"
    export_kind = "action-points"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "action-points", [
            Column("No.", lambda r: r.number, "number"),
            Column("Action point", lambda r: r.title),
            Column("Status", lambda r: r.status, "chip"),
            Column("RAG", lambda r: r.rag, "chip"),
            Column("Flag", flags, "flag"),
            as_of_column(self),
            Column("Owner", lambda r: r.owner),
        ], search_text=lambda r: r.text, stretch=1)

    def fetch(self) -> list[ActionPointRead]:
        return self.services.tracking.action_points()

    def describe(self, record: ActionPointRead, page: Page) -> None:
        page.add(caption(f"Action point {record.number}"))
        page.add(heading(record.title, 3))
        page.add(chips_row([record.status, record.rag, flags(record) or ""]))
        page.add(self.show_in_letter_button(record))
        page.add(text_label(record.text))
        page.add(facts([("Owner", record.owner), ("Notes", record.notes)]))


class MeasuresView(TrackedView):
    title = "Operational measures"
    row_lines = 2
    noun = "measures"
    kind = "measures"
    export_kind = "measures"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "measures", [
            Column("No.", lambda r: r.number, "number"),
            Column("Measure", lambda r: r.text.splitlines()[0], tooltip=lambda r: r.text),
            Column("Sect.", lambda r: r.section),
            Column("Due", lambda r: r.due_date, tooltip=lambda r: r.deadline),
            Column("Status", lambda r: r.status, "chip"),
            Column("RAG", lambda r: r.rag, "chip"),
            Column("Flag", flags, "flag"),
            as_of_column(self),
        ], stretch=1, search_text=lambda r: " ".join([r.text, r.section_title, *r.lead_actors,
                                           *r.countries]))

    def body(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, "Table")
        self.timeline = MeasureTimeline()
        self.timeline.measure_clicked.connect(self._timeline_clicked)
        self.tabs.addTab(self.timeline, "Timeline")
        return self.tabs

    def _timeline_clicked(self, number: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.select_number(number)

    def select_number(self, number: int) -> bool:
        return self.select_where(lambda r: r.number == number)

    def fetch(self) -> list[MeasureRead]:
        return self.services.tracking.measures()

    def after_load(self, records: list[Any]) -> None:
        self.timeline.set_measures(records, self.services.tracking.today)

    def describe(self, record: MeasureRead, page: Page) -> None:
        page.add(caption(f"Section {record.section}: {record.section_title}"))
        page.add(heading(f"Measure {record.number}", 3))
        page.add(chips_row([record.status, record.rag, flags(record) or ""]))
        page.add(self.show_in_letter_button(record))
        page.add(text_label(record.text))
        due = record.due_date.strftime("%d %B %Y").lstrip("0") if record.due_date else None
        page.add(facts([
            ("Deadline", record.deadline), ("Due date", due),
            ("Lead actors", ", ".join(record.lead_actors) or None),
            ("Countries", ", ".join(record.countries) or None),
            ("Owner", record.owner),
        ]))
