"""Keyboard shortcuts bound to a slot in one call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def bind(keys: QKeySequence | QKeySequence.StandardKey | str, parent: QWidget,
         slot: Callable[[], Any],
         context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """A shortcut on ``parent`` that calls ``slot``."""
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo shortcuts, with Ctrl+Shift+Z added only where it is missing
    (one key given twice makes Qt report an ambiguous shortcut and do nothing)."""
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    extra = QKeySequence("Ctrl+Shift+Z")
    if not any(key.matches(extra) == QKeySequence.SequenceMatch.ExactMatch for key in keys):
        keys.append(extra)
    return keys


def standard_keys(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for a standard action, or ``fallback`` where it has none
    (Qt gives Quit no key outside the desktops that define one)."""
    return QKeySequence.keyBindings(key) or [QKeySequence(fallback)]
