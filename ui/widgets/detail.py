"""Building blocks of detail panes: headings, facts, text, status editing, history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.status import Rag, Status
from briefing_app.read_models import CitationRead, StatusChangeRead
from ui.signals import emit
from ui.widgets.status_chip import StatusChip, muted


def text_label(text: str, *, selectable: bool = True, wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally (never as HTML)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def heading(text: str, size_delta: int = 4) -> QLabel:
    label = text_label(text)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + size_delta)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


def caption(text: str) -> QLabel:
    label = text_label(text)
    label.setStyleSheet(f"color: {muted(label).name()};")
    return label


def section_title(text: str) -> QLabel:
    label = text_label(text.upper(), selectable=False)
    font = QFont(label.font())
    font.setPointSize(max(7, font.pointSize() - 1))
    font.setWeight(QFont.Weight.Bold)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.8)
    label.setFont(font)
    label.setStyleSheet(f"color: {muted(label).name()}; margin-top: 10px;")
    return label


def facts(rows: Sequence[tuple[str, str | None]]) -> QWidget:
    """A two-column list of facts; empty values show as an en dash."""
    box = QWidget()
    form = QFormLayout(box)
    form.setContentsMargins(0, 0, 0, 0)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for name, value in rows:
        label = caption(name)
        form.addRow(label, text_label(value or "–"))
    return box


def chips_row(values: Sequence[str]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for value in values:
        if value:
            layout.addWidget(StatusChip(value))
    layout.addStretch(1)
    return row


def when(stamp: datetime | None) -> str:
    return stamp.astimezone().strftime("%d %b %Y, %H:%M") if stamp else "–"


class Page(QWidget):
    """A vertical stack of blocks with comfortable margins, ending in a stretch."""

    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 8, 12, 12)
        self.layout_.setSpacing(6)
        self._finished = False

    def add(self, widget: QWidget) -> QWidget:
        self.layout_.addWidget(widget)
        return widget

    def insert(self, position: int, widget: QWidget) -> QWidget:
        self.layout_.insertWidget(min(position, self.layout_.count()), widget)
        return widget

    def finish(self) -> Page:
        if not self._finished:
            self.layout_.addStretch(1)
            self._finished = True
        return self


class CitationList(QWidget):
    """The passages an item was read from, each with a "Show in letter" link.

    Signals:
        show_in_letter(letter_id, start, end)
    """

    show_in_letter = Signal(int, int, int)

    def __init__(self, citations: Sequence[CitationRead]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for citation in citations:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            quote = citation.quote if len(citation.quote) <= 600 else citation.quote[:600] + "…"
            inner.addWidget(text_label(f"“{quote}”"))
            inner.addWidget(caption(citation.letter_title))
            bottom = QHBoxLayout()
            bottom.addStretch(1)
            button = QPushButton("Show in letter")
            button.setToolTip("Open the letter at this passage")
            button.clicked.connect(lambda _=False, c=citation: emit(self.show_in_letter,
                c.letter_id, c.start, c.end))
            bottom.addWidget(button)
            inner.addLayout(bottom)
            layout.addWidget(frame)


@dataclass(frozen=True)
class StatusEdit:
    """What the user asked to change on one item."""

    kind: str  # CLI kind: action-points | measures | countries
    key: str  # number or ISO code
    status: str | None
    rag: str | None
    owner: str | None
    note: str | None


class StatusEditor(QGroupBox):
    """Change status, RAG, owner and note of one item.

    Signals:
        change_requested(StatusEdit)
    """

    change_requested = Signal(object)

    def __init__(self, kind: str, key: str, status: str, rag: str, owner: str | None) -> None:
        super().__init__("Update status")
        self._kind, self._key = kind, key
        self._initial = (status, rag, owner or "")
        self.status_box = QComboBox()
        self.status_box.addItems([s.value for s in Status])
        self.status_box.setCurrentText(status)
        self.status_box.setAccessibleName("Status")
        self.rag_box = QComboBox()
        self.rag_box.addItems([r.value for r in Rag])
        self.rag_box.setCurrentText(rag)
        self.rag_box.setAccessibleName("RAG")
        self.owner_edit = QLineEdit(owner or "")
        self.owner_edit.setPlaceholderText("Who follows it")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Why it changed (kept in the history)")
        self.apply_button = QPushButton("Record change")
        self.apply_button.setDefault(True)
        self.apply_button.setEnabled(False)
        form = QFormLayout(self)
        form.addRow("Status", self.status_box)
        form.addRow("RAG", self.rag_box)
        form.addRow("Owner", self.owner_edit)
        form.addRow("Note", self.note_edit)
        form.addRow("", self.apply_button)
        self.status_box.currentTextChanged.connect(self._status_changed)
        self.rag_box.currentTextChanged.connect(self._refresh)
        self.owner_edit.textChanged.connect(self._refresh)
        self.note_edit.returnPressed.connect(self._apply)
        self.owner_edit.returnPressed.connect(self._apply)
        self.apply_button.clicked.connect(self._apply)

    def focus_chain(self) -> list[QWidget]:
        """The editor's controls in the order Tab visits them."""
        return [self.status_box, self.rag_box, self.owner_edit, self.note_edit,
                self.apply_button]

    def _status_changed(self, status: str) -> None:
        from briefing_app.domain.status import DEFAULT_RAG

        self.rag_box.setCurrentText(DEFAULT_RAG[Status(status)].value)
        self._refresh()

    def _values(self) -> tuple[str, str, str]:
        return (self.status_box.currentText(), self.rag_box.currentText(),
                self.owner_edit.text().strip())

    def _refresh(self) -> None:
        self.apply_button.setEnabled(self._values() != self._initial)

    def _apply(self) -> None:
        if self._values() == self._initial:
            return
        status, rag, owner = self._values()
        self.apply_button.setEnabled(False)
        emit(self.change_requested, StatusEdit(
            kind=self._kind, key=self._key,
            status=status if status != self._initial[0] else None,
            rag=rag if rag != self._initial[1] else None,
            owner=owner if owner != self._initial[2] else None,
            note=self.note_edit.text().strip() or None,
        ))


class HistoryTimeline(QWidget):
    """Status changes of one item, newest first, as a vertical timeline."""

    def __init__(self, changes: Sequence[StatusChangeRead]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.rows: list[QLabel] = []
        for change in reversed(changes):
            if change.old_status is None:
                what = f"Baseline: {change.new_status} (RAG {change.new_rag})"
            elif change.reverts_id is not None:
                what = f"Undone: status back to {change.new_status} (RAG {change.new_rag})"
            elif change.old_status == change.new_status:
                what = f"RAG {change.old_rag} → {change.new_rag}"
            else:
                what = f"Status {change.old_status} → {change.new_status} (RAG {change.new_rag})"
            if change.new_owner != change.old_owner and change.old_status is not None:
                what += f"; owner: {change.new_owner or 'none'}"
            row = QFrame()
            row.setObjectName("historyRow")
            inner = QVBoxLayout(row)
            inner.setContentsMargins(8, 4, 4, 4)
            title = text_label(what)
            self.rows.append(title)
            inner.addWidget(title)
            byline = f"{when(change.changed_at)} · {change.author} · {change.source}"
            inner.addWidget(caption(byline))
            if change.note and change.note != "baseline":
                inner.addWidget(text_label(f"“{change.note}”"))
            row.setStyleSheet("#historyRow { border-left: 3px solid palette(mid); }")
            layout.addWidget(row)

    def texts(self) -> list[str]:
        return [row.text() for row in self.rows]
