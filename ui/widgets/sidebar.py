"""The window's sidebar: the views by name, as wide as the longest of them and no wider."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget

#: The sidebar's labels are a little larger than the window's text.
LABEL_POINTS = 11


def make_sidebar(labels: Sequence[str]) -> QListWidget:
    sidebar = QListWidget()
    sidebar.setObjectName("sidebar")
    sidebar.setStyleSheet(
        f"#sidebar {{ border: none; font-size: {LABEL_POINTS}pt; }}"
        " #sidebar::item { padding: 8px 10px; border-radius: 4px; margin: 1px 4px; }"
        " #sidebar::item:selected { background: palette(highlight);"
        " color: palette(highlighted-text); }")
    sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    sidebar.setAccessibleName("Views")
    font = sidebar.font()
    font.setPointSizeF(LABEL_POINTS)
    longest = max((QFontMetrics(font).horizontalAdvance(label) for label in labels), default=0)
    width = longest + 2 * 10 + 2 * 4 + 12  # the item's padding and margins, the frame
    sidebar.setMinimumWidth(width)
    sidebar.setMaximumWidth(width + 40)
    return sidebar
