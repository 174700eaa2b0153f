"""The window of a first start: shown at once while the store is created and the seed loads.

It imports nothing but Qt widgets, so it is on screen before the rest of the
front end has even loaded. ``ui.app.Startup`` drives it: :meth:`set_step`
while the work runs, then either the main window replaces it or
:meth:`show_failure` turns it into the message of what went wrong.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

INTRO = ("Creating your store and loading the five bundled letters with their action "
         "points, measures and partner countries. This happens only on the first start.")
NOTHING_KEPT = "No store was created: the next start will try again."


class StepRelay(QObject):
    """Carries step reports from the worker thread to the window (queued).

    One per process, created on the GUI thread and never deleted, so a worker
    never holds the last reference to a Qt object (see ``ui.tasks``)."""

    step = Signal(int, int, str)


_relay: StepRelay | None = None


def step_relay() -> StepRelay:
    global _relay
    if _relay is None:
        _relay = StepRelay()
    return _relay


class FirstStartWindow(QWidget):
    """Progress of the first start; on failure, what went wrong and a Quit button."""

    def __init__(self, store_path: Path) -> None:
        super().__init__()
        self.setWindowTitle("Briefing App")
        self.setObjectName("firstStart")
        self.setMinimumWidth(520)
        self.heading = QLabel("Setting up Briefing App")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.message = QLabel(INTRO)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_label = QLabel("Starting…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the steps take unknown, uneven times
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Setting up the store")
        self.path_label = QLabel(f"Store: {store_path}")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setStyleSheet("color: palette(mid);")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Quit")
        self.buttons.rejected.connect(self.close)
        self.buttons.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        for widget in (self.heading, self.message, self.step_label, self.bar,
                       self.path_label, self.buttons):
            layout.addWidget(widget)
        self.failed = False
        step_relay().step.connect(self.set_step)

    def set_step(self, number: int, steps: int, label: str) -> None:
        if not self.failed:
            self.step_label.setText(f"{label}… ({number + 1} of {steps})")

    def show_failure(self, message: str, note: str = NOTHING_KEPT) -> None:
        """Turn the window into the message of the failure, with a Quit button."""
        self.failed = True
        self.heading.setText("Briefing App could not start")
        self.message.setText(message)
        self.step_label.setText(note)
        self.bar.hide()
        self.buttons.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.adjustSize()
        self.show()
        self.raise_()
        self.activateWindow()
