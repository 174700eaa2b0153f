"""Status and RAG shown as a coloured chip that always carries its text label.

The label makes the chip readable in greyscale print-outs and for people who
do not tell red from green.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

#: (fill, text) colours per status and RAG value; text colours keep 4.5:1 contrast.
CHIP_COLOURS: dict[str, tuple[str, str]] = {
    "done": ("#2e7d32", "#ffffff"),
    "in progress": ("#1565c0", "#ffffff"),
    "delayed": ("#c62828", "#ffffff"),
    "not started": ("#f9a825", "#1f1f1f"),
    "dropped": ("#616161", "#ffffff"),
    "no evidence": ("#cfd8dc", "#263238"),
    "green": ("#2e7d32", "#ffffff"),
    "amber": ("#f9a825", "#1f1f1f"),
    "red": ("#c62828", "#ffffff"),
    "grey": ("#cfd8dc", "#263238"),
    "overdue": ("#c62828", "#ffffff"),
    "imported": ("#2e7d32", "#ffffff"),
    "unchanged": ("#cfd8dc", "#263238"),
    "failed": ("#c62828", "#ffffff"),
    "skipped": ("#616161", "#ffffff"),
    "stalled": ("#6d4c41", "#ffffff"),
    "stale": ("#6a1b9a", "#ffffff"),
    # a follow-up's review state
    "suggested": ("#e3f2fd", "#0d3c61"),
    "accepted": ("#2e7d32", "#ffffff"),
    "dismissed": ("#cfd8dc", "#263238"),
}

CHIP_ROLE = Qt.ItemDataRole.UserRole + 10  # the chip text of a cell (status or RAG value)


def chip_colours(value: str) -> tuple[QColor, QColor]:
    fill, text = CHIP_COLOURS.get(value, ("#e0e0e0", "#212121"))
    return QColor(fill), QColor(text)


def paint_chip(painter: QPainter, rect: QRect | QRectF, text: str) -> None:
    """A rounded chip with ``text`` centred vertically in ``rect``, left-aligned."""
    rect = QRectF(rect)
    fill, ink = chip_colours(text)
    metrics = QFontMetrics(painter.font())
    width = min(rect.width() - 4, metrics.horizontalAdvance(text) + 14)
    height = min(rect.height() - 4, metrics.height() + 4)
    chip = QRectF(rect.left() + 3, rect.center().y() - height / 2 + 1, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(ink)
    painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()


class ChipDelegate(QStyledItemDelegate):
    """Paints cells that carry a :data:`CHIP_ROLE` value as chips."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(CHIP_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            # the selection background, without the cell's own text
            blank = QStyleOptionViewItem(option)
            self.initStyleOption(blank, index)
            blank.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, blank, painter,
                              option.widget)
        paint_chip(painter, option.rect, str(text))

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(CHIP_ROLE)
        if text:
            metrics = QFontMetrics(option.font)
            hint.setWidth(max(hint.width(), metrics.horizontalAdvance(str(text)) + 24))
        return hint


class StatusChip(QLabel):
    """A chip in a detail pane: coloured, rounded, with its text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_value(text)

    def set_value(self, text: str) -> None:
        fill, ink = chip_colours(text)
        self.setText(text)
        self.setAccessibleName(f"status {text}")
        self.setStyleSheet(
            f"QLabel {{ background: {fill.name()}; color: {ink.name()}; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600; }"
        )
        self.setVisible(bool(text))


def muted(widget: QWidget) -> QColor:
    """The palette's secondary text colour (for captions), light or dark mode alike."""
    return widget.palette().color(QPalette.ColorRole.PlaceholderText)
