"""Manage the national security markings offered beside the standard EU ones.

:func:`edit_markings` opens the dialog; when the list is saved, every pack
composer offers the new one (through :func:`markings_changed`). The markings
are a user setting kept by :mod:`briefing_app.services.markings`, not part of
the store, so they can be edited on a read-only store too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.markings import DEFAULT_CLASSIFICATION, EU_MARKINGS, check_national
from briefing_app.errors import UserError
from briefing_app.services.markings import load_settings, save_settings
from ui.signals import emit
from ui.widgets.detail import caption, text_label

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = ("background: #f9a825; color: #1f1f1f; border-radius: 3px; "
                 "padding: 4px 6px;")


class MarkingsNotifier(QObject):
    """Signals:
        changed(): the national markings were saved.
    """

    changed = Signal()


_notifier: MarkingsNotifier | None = None


def markings_changed() -> MarkingsNotifier:
    """The one notifier whose ``changed`` signal follows saves of the national markings."""
    global _notifier
    if _notifier is None:
        _notifier = MarkingsNotifier()
    return _notifier


class MarkingsDialog(QDialog):
    """The national markings, one per line, exactly as they must print."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Security markings")
        self.resize(620, 460)
        settings = load_settings(path, report=False)
        self.path = settings.path
        standard = text_label("Always offered: " + DEFAULT_CLASSIFICATION
                              + " (no marking), " + ", ".join(EU_MARKINGS) + ".")
        label = QLabel("&National markings, one per line, exactly as they must print "
                       "on the cover and every page:")
        label.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("National markings")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText("e.g. VS – NUR FÜR DEN DIENSTGEBRAUCH\n"
                                       "DIFFUSION RESTREINTE")
        self.editor.setPlainText("\n".join(settings.national))
        label.setBuddy(self.editor)
        self.problem = text_label("")
        self.problem.setVisible(bool(settings.problem))
        if settings.problem:
            self.problem.setText(f"The settings file could not be used, so it is ignored: "
                                 f"{settings.problem}. Saving replaces it.")
            self.problem.setStyleSheet(WARNING_STYLE)
        self.error = text_label("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName("What is wrong")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(standard)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.error)
        layout.addWidget(caption(f"Kept in {self.path}"))
        layout.addWidget(buttons)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def entries(self) -> tuple[list[str], list[int]]:
        """The non-empty lines and their line numbers (from 1)."""
        lines = self.editor.toPlainText().splitlines()
        numbered = [(number, line) for number, line in enumerate(lines, start=1)
                    if line.strip()]
        return [line for _, line in numbered], [number for number, _ in numbered]

    def save(self) -> None:
        """Check the list (a bad line is named and nothing is saved), then save it."""
        entries, numbers = self.entries()
        try:
            kept = check_national(entries, noun="line", numbers=numbers)
            save_settings(kept, self.path)
        except ValueError as exc:
            self._refuse(str(exc))
            return
        except UserError as exc:
            self._refuse(exc.message)
            return
        self.accept()

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)


def edit_markings(parent: QWidget | None = None) -> bool:
    """Let the user edit the national markings; True when a new list was saved
    (every open composer is then told, through :func:`markings_changed`)."""
    dialog = MarkingsDialog(parent)
    saved = dialog.exec() == QDialog.DialogCode.Accepted
    if saved:
        emit(markings_changed().changed)
    return saved


__all__ = ["MarkingsDialog", "MarkingsNotifier", "edit_markings", "markings_changed"]
