"""Compose a briefing pack for a meeting: sections and items in order, notes, options."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.reporting.compose import (
    DEFAULT_CLASSIFICATION,
    SECTIONS,
    AgendaNote,
    PackSpec,
    SectionChoice,
)
from briefing_app.services.read_models import MeetingRead, PackBuildRead
from ui.signals import emit
from ui.tasks import Op
from ui.widgets.detail import caption, heading

if TYPE_CHECKING:
    from ui.main_window import MainWindow

KEY_ROLE = Qt.ItemDataRole.UserRole + 20
ITEMS_ROLE = Qt.ItemDataRole.UserRole + 21
CLASSIFICATIONS = (DEFAULT_CLASSIFICATION, "LIMITED", "RESTRICTED", "EU RESTRICTED",
                   "CONFIDENTIAL", "EU CONFIDENTIAL")


class ItemPicker(QDialog):
    """Tick the items a section should hold, and drag them into order."""

    def __init__(self, title: str, items: list[tuple[str, str]], chosen: tuple[str, ...] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Items of “{title}”")
        self.resize(640, 520)
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        order = list(chosen or ()) + [key for key, _ in items if key not in (chosen or ())]
        labels = dict(items)
        for key in order:
            if key not in labels:
                continue
            item = QListWidgetItem(labels[key])
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if chosen is None or key in chosen
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        everything = QPushButton("All")
        everything.clicked.connect(lambda: self._tick(True))
        nothing = QPushButton("None")
        nothing.clicked.connect(lambda: self._tick(False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(everything)
        row.addWidget(nothing)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(caption("Tick what the section holds; drag to change the order."))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def _tick(self, on: bool) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(Qt.CheckState.Checked if on
                                              else Qt.CheckState.Unchecked)

    def chosen(self) -> tuple[str, ...] | None:
        """The ticked keys in order; None when every item is ticked in the natural order."""
        keys = [self.list.item(r).data(KEY_ROLE) for r in range(self.list.count())]
        ticked = tuple(self.list.item(r).data(KEY_ROLE) for r in range(self.list.count())
                       if self.list.item(r).checkState() == Qt.CheckState.Checked)
        return None if list(ticked) == keys and len(ticked) == len(keys) else ticked


class PackComposer(QWidget):
    """Signals:
        built(PackBuildRead): a build finished (the preview opens unless told otherwise).
    """

    built = Signal(object)

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.meeting: MeetingRead | None = None
        self._notes: dict[int, str] = {}
        #: related items per agenda item ("measures:12"), listed under its note
        self._related: dict[int, tuple[str, ...]] = {}
        self._current_note = 0

        self.title = heading("", 2)
        self.subtitle = caption("")

        self.sections = QListWidget()
        self.sections.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.sections.setAccessibleName("Sections of the pack")
        for key, kind in SECTIONS.items():
            item = QListWidgetItem(kind.title)
            item.setData(KEY_ROLE, key)
            item.setData(ITEMS_ROLE, None)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.sections.addItem(item)
        self.items_button = QPushButton("Choose items…")
        self.items_button.setEnabled(False)  # until a section with items is selected
        self.items_button.setToolTip("Choose and order the items of the selected section")
        self.items_button.clicked.connect(self.choose_items)
        self.sections.currentItemChanged.connect(self._section_selected)
        sections_box = QGroupBox("Sections (tick, and drag to reorder)")
        sections_layout = QVBoxLayout(sections_box)
        sections_layout.addWidget(self.sections, 1)
        sections_layout.addWidget(self.items_button)

        self.note_for = QComboBox()
        self.note_for.currentIndexChanged.connect(self._switch_note)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            "Lines to take. Simple formatting: **bold**, *italic*, lines starting "
            "with “- ” or “1. ” for lists. Everything else prints as typed.")
        self.related_button = QPushButton("Related items…")
        self.related_button.setToolTip("Action points, measures and countries to list under "
                                       "this note, with their status")
        self.related_button.clicked.connect(self.choose_related)
        self.related_label = caption("")
        self.related_label.setWordWrap(True)
        related_row = QHBoxLayout()
        related_row.addWidget(self.related_label, 1)
        related_row.addWidget(self.related_button)
        notes_box = QGroupBox("Steering note and lines to take")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.note_for)
        notes_layout.addWidget(self.note_edit, 1)
        notes_layout.addLayout(related_row)

        self.classification = QComboBox()
        self.classification.setEditable(True)
        self.classification.addItems(list(CLASSIFICATIONS))
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.draft = QCheckBox("DRAFT (adds a watermark)")
        self.draft.setChecked(True)
        self.since_box = QCheckBox("Changes since")
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("d MMMM yyyy")
        self.since.setDate(QDate.currentDate().addMonths(-3))
        self.since.setEnabled(False)
        self.since_box.toggled.connect(self.since.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_box)
        since_row.addWidget(self.since, 1)
        options_box = QGroupBox("Options")
        options = QFormLayout(options_box)
        options.addRow("Classification", self.classification)
        options.addRow("Paper", self.paper)
        options.addRow("", self.draft)
        options.addRow(since_row)
        options.addRow(caption("Without a date, “What has changed” covers the time since "
                               "the pack's previous version."))

        self.build_button = QPushButton("Build PDF…")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.choose_output)
        self.build_button.setEnabled(not main.services.read_only)
        self.status = caption("")

        right = QVBoxLayout()
        right.addWidget(notes_box, 1)
        right.addWidget(options_box)
        columns = QHBoxLayout()
        columns.addWidget(sections_box, 2)
        columns.addLayout(right, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.build_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)
        self.set_meeting(None)

    # -- the meeting --------------------------------------------------------------------

    def set_meeting(self, meeting: MeetingRead | None, spec: PackSpec | None = None) -> None:
        """Compose for ``meeting``, starting from its saved pack ``spec`` if there is one."""
        self.meeting = meeting
        self.setEnabled(meeting is not None)
        self.title.setText(f"Pack for: {meeting.title}" if meeting else "Pick a meeting")
        when = meeting.date.strftime("%d %B %Y").lstrip("0") if meeting and meeting.date else ""
        self.subtitle.setText(" · ".join(p for p in (meeting.formation if meeting else "",
                                                     when) if p))
        self._notes = {}
        self._related = {}
        if spec is not None:
            self._apply_spec(spec)
        self.note_for.blockSignals(True)
        self.note_for.clear()
        self.note_for.addItem("Steering note (whole meeting)", 0)
        for number, item in enumerate(meeting.agenda if meeting else (), start=1):
            self.note_for.addItem(f"Agenda item {number}: {item}", number)
        self.note_for.blockSignals(False)
        self._current_note = 0
        self.note_edit.setPlainText(self._notes.get(0, ""))
        self._show_related()

    def _apply_spec(self, spec: PackSpec) -> None:
        order = [choice.key for choice in spec.sections]
        chosen = {choice.key: choice.items for choice in spec.sections}
        rows = [self.sections.takeItem(0) for _ in range(self.sections.count())]
        rows.sort(key=lambda item: order.index(item.data(KEY_ROLE))
                  if item.data(KEY_ROLE) in order else len(order))
        for item in rows:
            key = item.data(KEY_ROLE)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            item.setData(ITEMS_ROLE, chosen.get(key))
            self._label(item)
            self.sections.addItem(item)
        self._notes = {note.agenda_item: note.text or "" for note in spec.notes}
        self._related = {note.agenda_item: tuple(note.items) for note in spec.notes
                         if note.items}
        self.classification.setCurrentText(spec.classification)
        self.paper.setCurrentIndex(max(0, self.paper.findData(spec.paper)))
        self.draft.setChecked(spec.draft)
        self.since_box.setChecked(spec.since is not None)
        if spec.since is not None:
            self.since.setDate(QDate(spec.since.year, spec.since.month, spec.since.day))

    def _label(self, item: QListWidgetItem) -> None:
        kind = SECTIONS[item.data(KEY_ROLE)]
        items = item.data(ITEMS_ROLE)
        suffix = "" if items is None else f"  ({len(items)} chosen)"
        item.setText(kind.title + suffix)

    def _section_selected(self, current: QListWidgetItem | None, _previous: Any) -> None:
        self.items_button.setEnabled(current is not None
                                     and SECTIONS[current.data(KEY_ROLE)].items is not None)

    def _switch_note(self, index: int) -> None:
        self._notes[self._current_note] = self.note_edit.toPlainText()
        self._current_note = int(self.note_for.itemData(index) or 0)
        self.note_edit.setPlainText(self._notes.get(self._current_note, ""))
        self._show_related()

    def _show_related(self) -> None:
        chosen = self._related.get(self._current_note, ())
        self.related_label.setText(("Related: " + ", ".join(chosen)) if chosen
                                   else "No related items.")

    def choose_related(self) -> None:
        """Pick the items listed under the current note, in order."""
        packs = self.main.services.packs
        number = self._current_note

        def work() -> list[tuple[str, str]]:
            return [(f"{key}:{item}", f"{label}") for key in ("action-points", "measures",
                                                               "countries")
                    for item, label in packs.items(key)]

        def pick(items: list[tuple[str, str]]) -> None:
            picker = ItemPicker("the note", items, self._related.get(number, ()), self)
            if picker.exec() == QDialog.DialogCode.Accepted:
                chosen = picker.chosen()
                self._related[number] = tuple(key for key, _ in items) if chosen is None \
                    else chosen
                self._show_related()

        Op(parent=self, work=work, success=pick).run_in_background()

    def set_related(self, number: int, items: tuple[str, ...]) -> None:
        """Set the related items of agenda item ``number`` (0: the steering note)."""
        self._related[number] = items
        self._show_related()

    def choose_items(self) -> None:
        current = self.sections.currentItem()
        if current is None:
            return
        key = current.data(KEY_ROLE)
        packs = self.main.services.packs

        def pick(items: list[tuple[str, str]]) -> None:
            picker = ItemPicker(SECTIONS[key].title, items, current.data(ITEMS_ROLE), self)
            if picker.exec() == QDialog.DialogCode.Accepted:
                current.setData(ITEMS_ROLE, picker.chosen())
                current.setCheckState(Qt.CheckState.Checked)
                self._label(current)

        Op(parent=self, work=lambda: packs.items(key), success=pick).run_in_background()

    # -- the spec and the build ---------------------------------------------------------

    def spec(self) -> PackSpec:
        """What the form says, as the engine takes it."""
        self._notes[self._current_note] = self.note_edit.toPlainText()
        sections = tuple(
            SectionChoice(item.data(KEY_ROLE), item.data(ITEMS_ROLE))
            for item in (self.sections.item(r) for r in range(self.sections.count()))
            if item.checkState() == Qt.CheckState.Checked
        )
        numbers = sorted({n for n, text in self._notes.items() if text.strip()}
                         | set(self._related))
        notes = tuple(AgendaNote(number, self._notes.get(number, ""),
                                 self._related.get(number, ()))
                      for number in numbers)
        since: date | None = None
        if self.since_box.isChecked():
            since = self.since.date().toPython()  # type: ignore[assignment]
        return PackSpec(
            meeting_id=self.meeting.id if self.meeting else None, sections=sections,
            notes=notes, classification=self.classification.currentText().strip()
            or DEFAULT_CLASSIFICATION, draft=self.draft.isChecked(),
            paper=str(self.paper.currentData()), since=since,
        )

    def default_path(self) -> Path:
        folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        title = self.meeting.title if self.meeting else "Briefing pack"
        safe = re.sub(r"[^\w\- ]+", "", title)[:60].strip() or "Briefing pack"
        return folder / f"{safe}.pdf"

    def choose_output(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Build the pack as", str(self.default_path()),
                                              "PDF (*.pdf)")
        if name:
            if not name.lower().endswith(".pdf"):
                name += ".pdf"
            self.build_to(Path(name))

    def build_to(self, path: Path, on_done: Callable[[PackBuildRead], None] | None = None
                 ) -> None:
        """Build off the GUI thread with progress and Cancel, then preview the PDF."""
        spec = self.spec()
        packs = self.main.services.packs
        self.build_button.setEnabled(False)
        self.status.setText("Building…")

        def work(progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> PackBuildRead:
            return packs.build(spec, path, progress=progress, cancelled=cancelled)

        def done(build: PackBuildRead) -> None:
            self.status.setText(f"Version {build.version} of {build.pack_code}: "
                                f"{build.page_count} pages, {build.path}")
            emit(self.main.data_changed, {"packs"})
            emit(self.built, build)
            if on_done is not None:
                on_done(build)
            else:
                self.main.show_preview(Path(build.path))

        def failed(exc: BaseException) -> None:
            from ui.tasks import show_error

            self.status.setText("The pack was not built.")
            show_error(self, exc)

        Op(parent=self, work=work, success=done, writes=True).failure(failed).finally_(
            lambda: self.build_button.setEnabled(not self.main.services.read_only)).with_progress(
            "Building the briefing pack…").run_in_background()
