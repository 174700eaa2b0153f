"""Back and forward through what was shown, as a browser does.

A :class:`Location` names a view and the record selected in it (and, for a
letter opened at a passage, that passage). Moving within one view replaces
the current entry; going to another view adds one, dropping what lay ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

#: Entries kept; the oldest go first.
LIMIT = 100


@dataclass(frozen=True)
class Location:
    view: str
    key: Any = None
    focus: tuple[int, int] | None = None


class History:
    """The places visited, and where in them the user is."""

    def __init__(self) -> None:
        self._entries: list[Location] = []
        self._index = -1

    @property
    def current(self) -> Location | None:
        return self._entries[self._index] if self._entries else None

    def visit(self, location: Location) -> None:
        """Note that ``location`` is shown now."""
        current = self.current
        if current is not None and current.view == location.view:
            focus = location.focus
            if focus is None and current.key == location.key:
                focus = current.focus
            self._entries[self._index] = replace(location, focus=focus)
            return
        del self._entries[self._index + 1:]
        self._entries.append(location)
        if len(self._entries) > LIMIT:
            del self._entries[0]
        self._index = len(self._entries) - 1

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return self._index < len(self._entries) - 1

    def back(self) -> Location | None:
        if not self.can_go_back():
            return None
        self._index -= 1
        return self._entries[self._index]

    def forward(self) -> Location | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        return self._entries[self._index]

    def entries(self) -> list[Location]:
        return list(self._entries)


def history_button(watched: QObject, event: QEvent, window: QWidget) -> Qt.MouseButton | None:
    """The mouse's back or forward button, pressed anywhere in ``window`` (else None)."""
    if event.type() != QEvent.Type.MouseButtonPress or not isinstance(event, QMouseEvent):
        return None
    button = event.button()
    if button not in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton):
        return None
    if not isinstance(watched, QWidget) or watched.window() is not window:
        return None
    return button
