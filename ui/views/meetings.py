"""Meetings, and the briefing packs composed and built for them.

The pack composer (:mod:`ui.views.composer`, which brings the pack sections of
:mod:`briefing_app.reporting`) is made the first time the view is shown or
:attr:`MeetingsView.composer` is asked for, not when the window is built: the
window is on screen sooner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import MeetingRead, PackSummary
from ui.dialogs.meeting import MeetingDialog
from ui.models.records import Column
from ui.tasks import Op
from ui.views.list_view import ListView
from ui.widgets.detail import Page, caption, facts, heading, section_title, text_label

if TYPE_CHECKING:
    from briefing_app.reporting.spec import PackSpec
    from ui.shell import Shell
    from ui.views.composer import PackComposer

COMPOSER_TAB = "Compose a pack"


class MeetingsView(ListView):
    title = "Meetings & packs"
    noun = "meetings"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "packs", [
            Column("Date", lambda r: r.date),
            Column("Formation", lambda r: r.formation),
            Column("Meeting", lambda r: r.title),
            Column("Place", lambda r: r.place),
        ], stretch=2, search_text=lambda r: " ".join(r.agenda))
        self._packs: list[PackSummary] = []
        self._composer: PackComposer | None = None

    def body(self) -> QWidget:
        self.tabs = QTabWidget()
        meetings = QWidget()
        self.new_button = QPushButton("New meeting…")
        self.new_button.clicked.connect(lambda: self.edit_meeting(None))
        self.new_button.setEnabled(not self.services.read_only)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addStretch(1)
        layout = QVBoxLayout(meetings)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.splitter, 1)
        self.tabs.addTab(meetings, "Meetings")
        # a stand-in until the composer is made (on first show, or when asked for)
        self.tabs.addTab(QWidget(), COMPOSER_TAB)
        return self.tabs

    @property
    def composer(self) -> PackComposer:
        """The pack composer (its tab), made on first use."""
        return self._composer if self._composer is not None else self._make_composer()

    def _make_composer(self) -> PackComposer:
        from ui.views.composer import PackComposer

        composer = PackComposer(self.shell)
        self._composer = composer
        index = self.tabs.count() - 1
        stand_in = self.tabs.widget(index)
        was_current = self.tabs.currentIndex() == index
        self.tabs.insertTab(index, composer, COMPOSER_TAB)
        self.tabs.removeTab(index + 1)
        if stand_in is not None:
            stand_in.deleteLater()
        if was_current:
            self.tabs.setCurrentWidget(composer)
        record = self.current_record()
        if record is not None:  # what show_detail would have given it
            self._load_composer(record)
        return composer

    def showEvent(self, event: QShowEvent) -> None:
        if self._composer is None:  # made now: the user may turn to it
            self._make_composer()
        super().showEvent(event)

    def fetch(self) -> list[MeetingRead]:
        self._packs = self.services.catalogue.packs()
        return self.services.catalogue.meetings()

    def latest_pack(self, meeting_id: int) -> PackSummary | None:
        packs = [p for p in self._packs if p.meeting_id == meeting_id]
        return packs[-1] if packs else None

    def show_detail(self, record: Any | None) -> None:
        page = Page()
        if record is None:
            page.add(caption("No meeting yet: add one with “New meeting…”."))
            self.set_detail(page.finish())
            if self._composer is not None:
                self._composer.set_meeting(None)
            return
        page.add(caption(record.formation))
        page.add(heading(record.title, 3))
        when = record.date.strftime("%d %B %Y").lstrip("0") if record.date else None
        page.add(facts([("Date", when), ("Place", record.place)]))
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QPushButton("Edit meeting…")
        edit.clicked.connect(lambda: self.edit_meeting(record))
        edit.setEnabled(not self.services.read_only)
        compose = QPushButton("Compose a pack…")
        compose.clicked.connect(lambda: self.tabs.setCurrentWidget(self.composer))
        row.addWidget(edit)
        row.addWidget(compose)
        row.addStretch(1)
        page.add(buttons)
        if record.agenda:
            page.add(section_title("Agenda"))
            for number, item in enumerate(record.agenda, start=1):
                page.add(text_label(f"{number}. {item}"))
        packs = [p for p in self._packs if p.meeting_id == record.id]
        page.add(section_title("Briefing packs"))
        if not packs:
            page.add(caption("No pack built for this meeting yet."))
        for pack in packs:
            page.add(text_label(f"BP-{pack.id:04d} “{pack.title}”: {pack.versions} version(s), "
                                f"latest {pack.latest_page_count or '?'} pages"))
        self.add_citations(page, record.citations)
        self.set_detail(page.finish())
        if self._composer is not None:  # else it loads the record when it is made
            self._load_composer(record)

    def _load_composer(self, meeting: MeetingRead) -> None:
        latest = self.latest_pack(meeting.id)
        if latest is None:
            self.composer.set_meeting(meeting)
            return
        packs = self.services.packs

        def show(spec: PackSpec) -> None:
            current = self.current_record()
            if current is not None and current.id == meeting.id:
                self.composer.set_meeting(meeting, spec)

        Op(parent=self, work=lambda: packs.spec_of(latest.id), success=show).run_in_background()

    def edit_meeting(self, meeting: MeetingRead | None) -> None:
        dialog = MeetingDialog(meeting, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.save_meeting(meeting.id if meeting else None, dialog.values())

    def save_meeting(self, meeting_id: int | None, values: dict[str, Any]) -> None:
        """Create or update a meeting off the GUI thread, then select it."""
        packs = self.services.packs

        def work() -> MeetingRead:
            if meeting_id is None:
                return packs.create_meeting(**values)
            return packs.update_meeting(meeting_id, **values)

        def saved(meeting: MeetingRead) -> None:
            self.stale = True  # reload, then select the meeting just saved
            self.select(meeting.id)

        self.shell.run_write(work, saved, kinds=("packs",))

