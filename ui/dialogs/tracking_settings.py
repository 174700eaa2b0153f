"""The tracking settings: after how many months without newer evidence an item is stale.

A user setting (briefing_app/services/preferences.py), not part of the store,
so it can be changed on a read-only store too. Once saved, the services use
it and every view reloads, as the markings dialog does for the composers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import UserError
from briefing_app.services.preferences import (
    MAX_STALE_MONTHS,
    TrackingPreferences,
    load_preferences,
    preferences_path,
    save_preferences,
)
from ui.shell import TRACKED_VIEWS
from ui.widgets.detail import caption, text_label

if TYPE_CHECKING:
    from ui.shell import Shell

ERROR_STYLE = "color: #a4262c;"


class TrackingSettingsDialog(QDialog):
    """One spin box: the stale threshold in months (1 to ten years)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tracking settings")
        self.setMinimumWidth(460)
        self.preferences = load_preferences()
        self.months = QSpinBox()
        self.months.setRange(1, MAX_STALE_MONTHS)
        self.months.setValue(self.preferences.stale_after_months)
        self.months.setSuffix(" months")
        self.months.setAccessibleName("Stale after, in months")
        label = QLabel("Flag an item &stale after")
        label.setBuddy(self.months)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.months)
        row.addStretch(1)
        self.error = text_label("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("An item is stale when the newest evidence for it (the "
                                    "letter of its newest accepted follow-up, or the day "
                                    "its status was last changed) is older than this. "
                                    "Stale is not stalled (no status change for nine "
                                    "months) nor overdue (past its deadline)."))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(caption(f"Kept in {preferences_path()}"))
        layout.addWidget(buttons)
        self.months.setFocus(Qt.FocusReason.OtherFocusReason)
        self.months.selectAll()
        # wrapped labels: as tall as their lines at the dialog's width, no taller
        width = max(self.minimumWidth(), self.sizeHint().width())
        self.resize(width, max(self.minimumSizeHint().height(), self.heightForWidth(width)))

    def save(self) -> None:
        try:
            save_preferences(TrackingPreferences(stale_after_months=self.months.value()))
        except (OSError, UserError) as exc:
            self.error.setText(f"Not saved: {getattr(exc, 'message', exc)}")
            self.error.show()
            return
        self.accept()


def edit_tracking_settings(parent: QWidget, shell: Shell) -> bool:
    """Let the user change the stale threshold; True when a new value was saved."""
    dialog = TrackingSettingsDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    apply_stale_months(shell, dialog.months.value())
    return True


def apply_stale_months(shell: Shell, months: int) -> None:
    """A saved threshold in force: the services use it, the lists and panes reload."""
    shell.services.set_stale_after_months(months)
    shell.notify_changed(("letters", *TRACKED_VIEWS))
    shell.show_message(f"Items are now stale after {months} months without newer evidence.")


__all__ = ["TrackingSettingsDialog", "apply_stale_months", "edit_tracking_settings"]
