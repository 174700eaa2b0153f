"""Compose a briefing pack for a meeting: sections and items in order, notes, options.

Everything works from the keyboard: Tab walks the controls in reading order,
arrow keys move in the lists, Space ticks a section or item, and Alt+Up /
Alt+Down move the current one (as dragging does).

The marking is printed exactly as typed: the box offers the standard and
national markings but never completes or corrects what is typed, and says
when a marking is not a known one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
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
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.markings import (
    DEFAULT_CLASSIFICATION,
    STANDARD_MARKINGS,
    MarkingKind,
    normalise,
)
from briefing_app.read_models import MeetingRead, PackBuildRead
from briefing_app.reporting import sections as section_table
from briefing_app.reporting.spec import REFERABLE, AgendaNote, PackSpec, SectionChoice
from briefing_app.services.markings import MarkingSettings, load_settings
from ui.dialogs.markings import edit_markings, markings_changed
from ui.signals import emit
from ui.tasks import Op
from ui.widgets.detail import caption, heading
from ui.widgets.status_chip import muted

if TYPE_CHECKING:
    from ui.shell import Shell

KEY_ROLE = Qt.ItemDataRole.UserRole + 20
ITEMS_ROLE = Qt.ItemDataRole.UserRole + 21
#: The markings the box always offers (national ones from the settings follow them).
CLASSIFICATIONS = STANDARD_MARKINGS
UNKNOWN_MARKING = "Not a standard EU or national marking: check the spelling"
#: Amber, with dark text, so the warning reads in light and dark mode and in greyscale.
WARNING_STYLE = ("background: #f9a825; color: #1f1f1f; border-radius: 3px; "
                 "padding: 2px 6px;")


class OrderedList(QListWidget):
    """A list whose rows are ticked with Space and moved with Alt+Up / Alt+Down
    (or dragged); arrow keys move between rows."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setAccessibleName(name)
        self.setToolTip("Space ticks; Alt+Up and Alt+Down move the current row (or drag it)")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and \
                key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def move_current(self, step: int) -> None:
        """Move the current row ``step`` places up (negative) or down, keeping it current."""
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)


def move_buttons(target: OrderedList) -> tuple[QPushButton, QPushButton]:
    """"Move up" and "Move down" buttons for ``target``'s current row."""
    up = QPushButton("Move up")
    up.setToolTip("Move the current row up (Alt+Up)")
    up.clicked.connect(lambda: target.move_current(-1))
    down = QPushButton("Move down")
    down.setToolTip("Move the current row down (Alt+Down)")
    down.clicked.connect(lambda: target.move_current(1))
    return up, down


class ItemPicker(QDialog):
    """Tick the items a section should hold, and drag them into order."""

    def __init__(self, title: str, items: list[tuple[str, str]], chosen: tuple[str, ...] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Items of “{title}”")
        self.resize(640, 520)
        self.list = OrderedList(f"Items of {title}")
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
        if self.list.count():
            self.list.setCurrentRow(0)
        up, down = move_buttons(self.list)
        everything = QPushButton("All")
        everything.clicked.connect(lambda: self._tick(True))
        nothing = QPushButton("None")
        nothing.clicked.connect(lambda: self._tick(False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(up)
        row.addWidget(down)
        row.addWidget(everything)
        row.addWidget(nothing)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(caption("Tick what the section holds (Space); drag, or Alt+Up and "
                                 "Alt+Down, to change the order."))
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

    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.meeting: MeetingRead | None = None
        self._notes: dict[int, str] = {}
        #: related items per agenda item ("measures:12"), listed under its note
        self._related: dict[int, tuple[str, ...]] = {}
        self._current_note = 0

        self.title = heading("", 2)
        self.subtitle = caption("")

        self.sections = OrderedList("Sections of the pack")
        for entry in section_table.registered():
            item = QListWidgetItem(entry.title)
            item.setData(KEY_ROLE, entry.key)
            item.setData(ITEMS_ROLE, None)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.sections.addItem(item)
        self.items_button = QPushButton("Choose items…")
        self.items_button.setEnabled(False)  # until a section with items is selected
        self.items_button.setToolTip("Choose and order the items of the selected section")
        self.items_button.clicked.connect(self.choose_items)
        self.sections.currentItemChanged.connect(self._section_selected)
        self.up_button, self.down_button = move_buttons(self.sections)
        sections_box = QGroupBox("Sections")
        sections_layout = QVBoxLayout(sections_box)
        how = caption("Space ticks; Alt+Up/Down or drag to reorder")
        how.setWordWrap(True)
        sections_layout.addWidget(how)
        sections_layout.addWidget(self.sections, 1)
        section_buttons = QHBoxLayout()
        section_buttons.addWidget(self.items_button)
        section_buttons.addStretch(1)
        section_buttons.addWidget(self.up_button)
        section_buttons.addWidget(self.down_button)
        sections_layout.addLayout(section_buttons)

        self.note_for = QComboBox()
        self.note_for.setAccessibleName("Note for")
        self.note_for.currentIndexChanged.connect(self._switch_note)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setTabChangesFocus(True)  # Tab moves on; the note needs no tab stops
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
        # never complete or correct what is typed (an editable box completes inline,
        # ignoring case, and on Enter or leaving the box takes the item so matched)
        self.classification.setCompleter(None)  # type: ignore[arg-type]  # None removes it
        self.classification.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.classification.setDuplicatesEnabled(False)
        self.classification.setAccessibleName("Security marking")
        self.classification.setToolTip("Printed exactly as typed on the cover and every page")
        self.markings_button = QPushButton("Markings…")
        self.markings_button.setToolTip("Add or remove the national markings offered here")
        self.markings_button.clicked.connect(self.manage_markings)
        self.marking_note = QLabel()
        self.marking_note.setTextFormat(Qt.TextFormat.PlainText)
        self.marking_note.setWordWrap(True)
        self.marking_note.setAccessibleName("About the marking")
        self._settings = MarkingSettings(Path())
        self.reload_markings()
        self.classification.setCurrentText(DEFAULT_CLASSIFICATION)
        self.classification.currentTextChanged.connect(self._show_marking_kind)
        markings_changed().changed.connect(self.reload_markings)
        marking_row = QHBoxLayout()
        marking_row.addWidget(self.classification, 1)
        marking_row.addWidget(self.markings_button)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper")
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
        self.since.setAccessibleName("Changes since")
        self.since_box.toggled.connect(self.since.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_box)
        since_row.addWidget(self.since, 1)
        options_box = QGroupBox("Options")
        options = QFormLayout(options_box)
        marking_label = QLabel("&Marking")
        marking_label.setBuddy(self.classification)
        options.addRow(marking_label, marking_row)
        options.addRow("", self.marking_note)
        options.addRow("Paper", self.paper)
        options.addRow("", self.draft)
        options.addRow(since_row)
        options.addRow(caption("Without a date, “What has changed” covers the time since "
                               "the pack's previous version."))

        self.build_button = QPushButton("Build PDF…")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.choose_output)
        self.build_button.setEnabled(not shell.services.read_only)
        self.status = caption("")

        from ui.views.pack_preview import LivePreview

        self.preview = LivePreview(shell.services,
                                   lambda: self.spec() if self.meeting is not None else None)
        self.preview_box = QCheckBox("Live &preview")
        self.preview_box.setChecked(True)
        self.preview_box.setToolTip("Show the pack as it will print beside the form")
        self.preview_box.toggled.connect(self.preview.setVisible)

        right = QVBoxLayout()
        right.addWidget(notes_box, 1)
        right.addWidget(options_box)
        form = QWidget()
        columns = QHBoxLayout(form)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(sections_box, 2)
        columns.addLayout(right, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(form)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.preview.setMinimumWidth(150)
        self._split_once = False
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.preview_box)
        bottom.addWidget(self.build_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        # every change to what the pack prints asks for a new preview
        self.sections.itemChanged.connect(self.preview.request)
        self.sections.model().rowsMoved.connect(self.preview.request)  # dragged
        self.sections.model().rowsInserted.connect(self.preview.request)  # Alt+Up/Down
        self.note_edit.textChanged.connect(self.preview.request)
        self.classification.currentTextChanged.connect(self.preview.request)
        self.paper.currentIndexChanged.connect(self.preview.request)
        self.draft.toggled.connect(self.preview.request)
        self.since_box.toggled.connect(self.preview.request)
        self.since.dateChanged.connect(self.preview.request)
        chain = (self.sections, self.items_button, self.up_button, self.down_button,
                 self.note_for, self.note_edit, self.related_button, self.classification,
                 self.markings_button, self.paper, self.draft, self.since_box, self.since,
                 self.preview_box, self.build_button, self.preview.view)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.set_meeting(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_once:  # the form three fifths, the preview two (pages readable)
            self._split_once = True
            Op(parent=self, work=self.shell.services.packs.prepare_layout,
               success=lambda _: None).run_in_background()
            width = max(1, self.splitter.width())
            self.splitter.setSizes([width * 3 // 5, width - width * 3 // 5])

    # -- the marking --------------------------------------------------------------------

    def reload_markings(self) -> None:
        """Offer the standard and the national markings (the settings file is read again);
        what is in the box stays as it is."""
        typed = self.classification.currentText()
        self._settings = load_settings()
        self.classification.blockSignals(True)
        self.classification.clear()
        self.classification.addItems(list(CLASSIFICATIONS))
        if self._settings.national:
            self.classification.insertSeparator(self.classification.count())
            self.classification.addItems(list(self._settings.national))
        self.classification.setEditText(typed)
        self.classification.blockSignals(False)
        self._show_marking_kind()

    def marking(self) -> str:
        """The marking as the pack will print it: as typed, whitespace collapsed."""
        return normalise(self.classification.currentText()) or DEFAULT_CLASSIFICATION

    def _show_marking_kind(self, *_args: Any) -> None:
        check = self._settings.classify(self.marking())
        problem = self._settings.problem
        if check.kind is MarkingKind.UNKNOWN:
            text, style = UNKNOWN_MARKING, WARNING_STYLE
        else:
            text = {MarkingKind.DEFAULT: "No security marking.",
                    MarkingKind.EU: "Standard EU marking.",
                    MarkingKind.NATIONAL: "National marking (from Markings…)."}[check.kind]
            style = f"color: {muted(self.marking_note).name()};"
        if problem:
            text += " National markings not loaded: the settings file has a problem " \
                    "(see Markings…)."
        self.marking_note.setText(text)
        self.marking_note.setStyleSheet(style)
        self.marking_note.setToolTip(problem or "")
        self.marking_note.setProperty("markingKind", check.kind.value)

    def manage_markings(self) -> None:
        """Edit the national markings; every composer then offers the new list."""
        edit_markings(self)

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
        self.preview.request()

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
        self._show_marking_kind()
        self.paper.setCurrentIndex(max(0, self.paper.findData(spec.paper)))
        self.draft.setChecked(spec.draft)
        self.since_box.setChecked(spec.since is not None)
        if spec.since is not None:
            self.since.setDate(QDate(spec.since.year, spec.since.month, spec.since.day))

    def _label(self, item: QListWidgetItem) -> None:
        entry = section_table.section(item.data(KEY_ROLE))
        items = item.data(ITEMS_ROLE)
        suffix = "" if items is None else f"  ({len(items)} chosen)"
        item.setText(entry.title + suffix)

    def _section_selected(self, current: QListWidgetItem | None, _previous: Any) -> None:
        entry = section_table.section(current.data(KEY_ROLE)) if current is not None else None
        self.items_button.setEnabled(entry is not None and entry.items is not None)

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
        packs = self.shell.services.packs
        number = self._current_note

        def work() -> list[tuple[str, str]]:
            return [(f"{key}:{item}", f"{label}") for key in REFERABLE
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
        self.preview.request()

    def choose_items(self) -> None:
        current = self.sections.currentItem()
        if current is None:
            return
        key = current.data(KEY_ROLE)
        packs = self.shell.services.packs

        def pick(items: list[tuple[str, str]]) -> None:
            picker = ItemPicker(section_table.section(key).title, items,
                                current.data(ITEMS_ROLE), self)
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
            notes=notes, classification=self.marking(), draft=self.draft.isChecked(),
            paper=str(self.paper.currentData()), since=since,
        )

    @staticmethod
    def default_folder() -> Path:
        return Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

    def choose_output(self) -> None:
        """Ask where to build, offering the default file name of the version to come
        (e.g. ``2024-04-29 Ministerial Conference - pack v1.pdf``)."""
        spec = self.spec()
        packs = self.shell.services.packs
        Op(parent=self, work=lambda: packs.file_name(spec),
           success=lambda name: self.ask_output(self.default_folder() / name)
           ).run_in_background()

    def ask_output(self, suggested: Path) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Build the pack as", str(suggested),
                                              "PDF (*.pdf)")
        if name:
            if not name.lower().endswith(".pdf"):
                name += ".pdf"
            self.build_to(Path(name))

    def build_to(self, path: Path, on_done: Callable[[PackBuildRead], None] | None = None
                 ) -> None:
        """Build off the GUI thread with progress and Cancel, then preview the PDF."""
        spec = self.spec()
        packs = self.shell.services.packs
        self.build_button.setEnabled(False)
        self.status.setText("Building…")

        def work(progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> PackBuildRead:
            return packs.build(spec, path, progress=progress, cancelled=cancelled)

        def done(build: PackBuildRead) -> None:
            self.status.setText(f"Version {build.version} of {build.pack_code}: "
                                f"{build.page_count} pages, {build.path}")
            self.shell.notify_changed({"packs"})
            emit(self.built, build)
            if on_done is not None:
                on_done(build)
            else:
                self.shell.show_preview(Path(build.path))

        def failed(exc: BaseException) -> None:
            from ui.tasks import show_error

            self.status.setText("The pack was not built.")
            show_error(self, exc)

        Op(parent=self, work=work, success=done, writes=True).failure(failed).finally_(
            lambda: self.build_button.setEnabled(not self.shell.services.read_only)).with_progress(
            "Building the briefing pack…").run_in_background()
