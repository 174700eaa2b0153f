"""A sync conflict, both versions side by side: the person chooses which one stays.

A briefcase's sync marks an item *in conflict* when its status, RAG or owner
changed both in the briefcase and at the team store. Nothing is chosen for
the person: this dialog shows the two values with who set them, on which
machine and when, and records the one kept (as a status change: both earlier
changes stay in the history). "Decide later" leaves the item in conflict
(packs print both values until then).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.services.team import ConflictRead, ConflictSide
from ui.widgets.detail import text_label


def _when(side: ConflictSide) -> str:
    return side.changed_at.astimezone().strftime("%-d %b %Y, %H:%M")


def side_box(side: ConflictSide) -> QGroupBox:
    """One version: where it was set, the values, and who set them when."""
    title = "This store" if side.side == "local" else "The other version"
    box = QGroupBox(f"{title} ({side.place})")
    form = QFormLayout(box)
    for label, value in (("Status", side.status), ("RAG", side.rag),
                         ("Owner", side.owner or "—"), ("Note", side.note or "—"),
                         ("Set by", side.author), ("On machine", side.origin or "unknown"),
                         ("When", _when(side))):
        shown = text_label(value)
        shown.setAccessibleName(f"{title}: {label}")
        form.addRow(QLabel(label), shown)
    return box


class ConflictDialog(QDialog):
    """Both versions of one item in conflict; :attr:`choice` is "local", "remote" or None."""

    def __init__(self, conflict: ConflictRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: str | None = None
        self.setWindowTitle(f"{conflict.item_label}: in conflict")
        heading = text_label(
            f"{conflict.item_label} was changed both here and elsewhere since the "
            "last sync. Choose the version that stays; the other stays in the history.")
        sides = QHBoxLayout()
        for side in conflict.values:
            sides.addWidget(side_box(side), 1)
        buttons = QDialogButtonBox()
        self.keep_local = QPushButton("Keep &this store's version")
        self.keep_remote = QPushButton("Keep the &other version")
        later = QPushButton("Decide &later")
        for button, role in ((self.keep_local, QDialogButtonBox.ButtonRole.AcceptRole),
                             (self.keep_remote, QDialogButtonBox.ButtonRole.AcceptRole),
                             (later, QDialogButtonBox.ButtonRole.RejectRole)):
            buttons.addButton(button, role)
        self.keep_local.clicked.connect(lambda: self._choose("local"))
        self.keep_remote.clicked.connect(lambda: self._choose("remote"))
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(sides)
        layout.addWidget(buttons)
        later.setFocus()  # Enter never chooses by accident

    def _choose(self, side: str) -> None:
        self.choice = side
        self.accept()
