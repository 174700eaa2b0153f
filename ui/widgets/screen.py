"""Windows that fit the screen they open on (a 1280×720 laptop included)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_rect(wanted: QRect, available: QRect) -> QRect:
    """``wanted`` made no larger than ``available`` and moved inside it."""
    width = min(wanted.width(), available.width())
    height = min(wanted.height(), available.height())
    left = min(max(wanted.left(), available.left()), available.right() - width + 1)
    top = min(max(wanted.top(), available.top()), available.bottom() - height + 1)
    return QRect(left, top, width, height)


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
    # resize() sets the inside: leave room for a title bar and borders on top of it
    width = min(width, area.width() - 24)
    height = min(height, area.height() - 64)
    widget.resize(max(320, width), max(240, height))
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else area.center()
    frame = widget.frameGeometry()
    frame.moveCenter(centre)
    left = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    top = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    widget.move(left, top)


def place_on_screen(window: QWidget) -> None:
    """Keep ``window`` on a screen that exists (the one its centre is on, else the
    primary one), no larger than that screen's free area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    for candidate in QGuiApplication.screens():
        if candidate.geometry().contains(window.frameGeometry().center()):
            screen = candidate
            break
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    margins = (frame.width() - window.width(), frame.height() - window.height())
    wanted = fit_rect(QRect(frame.topLeft(), frame.size()), available)
    if wanted != frame:
        window.resize(wanted.width() - margins[0], wanted.height() - margins[1])
        window.move(wanted.topLeft())
