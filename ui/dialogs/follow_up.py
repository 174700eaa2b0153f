"""Accept a follow-up: the passage, and optionally the status and RAG it supports, with a
note.

The status change that comes with it names the passage as its source; the
write itself runs in ui/operations/follow_ups.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.status import DEFAULT_RAG, Rag, Status
from briefing_app.read_models import FollowUpRead
from ui.widgets.detail import caption, heading, text_label
from ui.widgets.evidence import short_date, shorten


@dataclass(frozen=True)
class AcceptChoice:
    """What an accept sets besides the follow-up's state (None: kept)."""

    status: str | None = None
    rag: str | None = None
    note: str | None = None


class AcceptDialog(QDialog):
    """Accept one follow-up; ``status`` and ``rag``: the commitment's now. ``trackable``:
    False for a commitment not yet accepted (its status cannot be set)."""

    def __init__(self, follow_up: FollowUpRead, status: str, rag: str, *,
                 trackable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.follow_up = follow_up
        self.current = (status, rag)
        self.setWindowTitle(f"Accept a follow-up of {follow_up.item_label}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(follow_up.item_label, 2))
        layout.addWidget(caption(f"{follow_up.letter_title}, "
                                 f"{short_date(follow_up.letter_date, 'undated')}"))
        quote = text_label(f"“{shorten(follow_up.text, 600)}”")
        quote.setAccessibleName("Passage")
        layout.addWidget(quote)
        layout.addWidget(text_label("Accepting it records the passage as evidence: the "
                                    "item is then dated as of this letter. If the passage "
                                    "says how far the work has come, set that status too; "
                                    "its source will be this passage."))
        self.status_box = QComboBox()
        self.status_box.addItem(f"keep “{status}”", None)
        for value in Status:
            if value.value != status:
                self.status_box.addItem(value.value, value.value)
        self.status_box.setAccessibleName("Status it supports")
        self.rag_box = QComboBox()
        self.rag_box.setAccessibleName("RAG")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Why (kept in the history with the status)")
        self.note_edit.setAccessibleName("Note")
        form = QFormLayout()
        for text, field in (("&Status it supports", self.status_box),
                            ("&RAG", self.rag_box), ("&Note", self.note_edit)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        if not trackable:
            self.status_box.setEnabled(False)
            layout.addWidget(caption("The commitment is not tracked yet: accept the "
                                     "commitment first to set its status."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Accept")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.status_box.currentIndexChanged.connect(self._status_changed)
        self.note_edit.returnPressed.connect(self.accept)
        self._status_changed()
        self.status_box.setFocus(Qt.FocusReason.OtherFocusReason)
        # wrapped labels: as tall as their lines at the dialog's width, no taller
        width = max(self.minimumWidth(), self.sizeHint().width())
        self.resize(width, max(self.minimumSizeHint().height(), self.heightForWidth(width)))

    def _status_changed(self) -> None:
        """The RAG offered follows the status: its usual colour first, or keep it."""
        status = self.status_box.currentData()
        self.rag_box.clear()
        if status is None:
            self.rag_box.addItem(f"keep “{self.current[1]}”", None)
        else:
            usual = DEFAULT_RAG[Status(status)].value
            self.rag_box.addItem(f"{usual} (usual for {status})", usual)
        for value in Rag:
            if self.rag_box.itemData(0) != value.value and (status is not None
                                                            or value.value != self.current[1]):
                self.rag_box.addItem(value.value, value.value)
        self.rag_box.setEnabled(self.status_box.isEnabled())
        self.note_edit.setEnabled(self.status_box.isEnabled())

    def select_status(self, status: str | None) -> None:
        """Choose a status as a click would (None: keep); tests and the keyboard."""
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(status)))

    def choice(self) -> AcceptChoice:
        status = self.status_box.currentData() if self.status_box.isEnabled() else None
        rag = self.rag_box.currentData() if self.rag_box.isEnabled() else None
        if status is not None and rag == DEFAULT_RAG[Status(status)].value:
            rag = None  # the usual colour: the core sets it with the status
        note = self.note_edit.text().strip() or None
        if status is None and rag is None:
            note = None  # a note is kept with a status change only
        return AcceptChoice(status=status, rag=rag, note=note)
