"""What the window remembers between runs: its geometry, splitters, columns, last view.

Kept with QSettings under the app's organisation and name; the window is placed
back on a screen that still exists when it is shown (ui/widgets/screen.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

if TYPE_CHECKING:
    from ui.views.list_view import ListView

SETTINGS_ORG, SETTINGS_APP = "BriefingApp", "Briefing App"


def settings() -> QSettings:
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


def restore(window: QMainWindow, splitter: QSplitter, views: Mapping[str, ListView], *,
            default_view: str) -> tuple[str, bool]:
    """Restore what was saved; returns the last view shown and whether a geometry was."""
    stored = settings()
    restored = False
    geometry = stored.value("window/geometry")
    if isinstance(geometry, QByteArray):
        restored = window.restoreGeometry(geometry)
    state = stored.value("window/splitter")
    if isinstance(state, QByteArray):
        splitter.restoreState(state)
    for key, view in views.items():
        view.restore_state({name: stored.value(f"views/{key}/{name}")
                            for name in view.state_names()})
    last = str(stored.value("window/view", default_view))
    return (last if last in views else default_view), restored


def save(window: QMainWindow, splitter: QSplitter, views: Mapping[str, ListView],
         current_view: str) -> None:
    stored = settings()
    stored.setValue("window/geometry", window.saveGeometry())
    stored.setValue("window/splitter", splitter.saveState())
    stored.setValue("window/view", current_view)
    for key, view in views.items():
        for name, value in view.save_state().items():
            stored.setValue(f"views/{key}/{name}", value)
    stored.sync()
