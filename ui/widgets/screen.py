"""Windows that fit the screen they open on (a 1280×720 laptop included)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available_geometry(widget: QWidget) -> QRect | None:
    """The free area (without panels and docks) of the screen ``widget`` is on."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen() \
        or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Size ``widget`` to ``width``×``height`` or less, so that it fits its screen with a
    margin, and centre it over its parent (or the screen)."""
    area = available_geometry(widget)
    if area is None:
        widget.resize(width, height)
        return
    width = min(width, area.width() - 40)
    height = min(height, area.height() - 60)
    widget.resize(max(320, width), max(240, height))
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else area.center()
    frame = widget.frameGeometry()
    frame.moveCenter(centre)
    left = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    top = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    widget.move(left, top)
