"""Measures along time: one row per measure, a marker at its due date, coloured by status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QToolTip, QVBoxLayout, QWidget

from briefing_app.read_models import MeasureRead
from ui.signals import emit
from ui.widgets.status_chip import chip_colours, paint_chip

ROW = 30
TOP = 48
LEFT = 70
RIGHT = 170


def _months_between(first: date, last: date) -> list[date]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class TimelineCanvas(QWidget):
    """Paints the timeline; rows without a due date are listed at the bottom."""

    measure_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setMouseTracking(True)
        self.measures: list[MeasureRead] = []
        self.today = date.today()
        self.setAccessibleName("Timeline of operational measures")

    def set_measures(self, measures: Sequence[MeasureRead], today: date) -> None:
        self.measures = sorted(measures, key=lambda m: (m.due_date is None,
                                                        m.due_date or date.max, m.number))
        self.today = today
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, TOP + ROW * (len(self.measures) + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(600, TOP + ROW * (len(self.measures) + 2))

    def _span(self) -> tuple[date, date]:
        dated = [m.due_date for m in self.measures if m.due_date]
        first = min([*dated, self.today])
        last = max([*dated, self.today])
        return date(first.year, 1, 1), date(last.year, 12, 31)

    def _x(self, day: date) -> float:
        first, last = self._span()
        width = self.width() - LEFT - RIGHT
        return LEFT + width * (day - first).days / max(1, (last - first).days)

    def row_at(self, y: float) -> MeasureRead | None:
        index = int((y - TOP) // ROW)
        return self.measures[index] if 0 <= index < len(self.measures) else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.Text)
        grid = palette.color(palette.ColorRole.Mid)
        metrics = QFontMetrics(painter.font())
        if not self.measures:
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "No measures")
            return
        first, last = self._span()
        # month grid and year labels
        for month in _months_between(first, last):
            x = self._x(month)
            painter.setPen(QPen(grid, 1 if month.month == 1 else 0.3))
            painter.drawLine(QPointF(x, TOP - 8), QPointF(x, self.height() - 8))
            if month.month in (1, 4, 7, 10):
                painter.setPen(text)
                label = str(month.year) if month.month == 1 else month.strftime("%b")
                painter.drawText(QPointF(x + 3, TOP - 14), label)
        # today
        x_today = self._x(self.today)
        painter.setPen(QPen(QColor("#c62828"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x_today, TOP - 24), QPointF(x_today, self.height() - 8))
        painter.setPen(QColor("#c62828"))
        painter.drawText(QPointF(x_today + 4, TOP - 28), f"today {self.today:%d %b %Y}")
        for row, measure in enumerate(self.measures):
            y = TOP + row * ROW + ROW / 2
            painter.setPen(text)
            painter.drawText(QRectF(8, y - ROW / 2, LEFT - 14, ROW),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"M{measure.number}")
            if measure.due_date is None:
                painter.setPen(palette.color(palette.ColorRole.PlaceholderText))
                painter.drawText(QPointF(LEFT, y + metrics.ascent() / 2 - 1),
                                 "no deadline in the letter")
                paint_chip(painter, self._chip_rect(y), measure.status)
                continue
            x = self._x(measure.due_date)
            fill, _ink = chip_colours(measure.status)
            painter.setPen(QPen(QColor("#c62828") if measure.overdue else text,
                                2.5 if measure.overdue else 1))
            painter.setBrush(fill)
            painter.drawEllipse(QPointF(x, y), 7, 7)
            painter.setPen(text)
            label = measure.deadline or ""
            if measure.overdue:
                label += "  (overdue)"
            painter.drawText(QPointF(x + 12, y + metrics.ascent() / 2 - 1), label)
            paint_chip(painter, self._chip_rect(y), measure.status)

    def _chip_rect(self, y: float) -> QRectF:
        return QRectF(self.width() - RIGHT + 10, y - ROW / 2, RIGHT - 14, ROW)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        measure = self.row_at(event.position().y())
        if measure is None:
            QToolTip.hideText()
            return
        due = f" — due {measure.due_date:%d %b %Y}" if measure.due_date else ""
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"Measure {measure.number}: {measure.status}{due}\n"
                          f"{measure.text.splitlines()[0][:160]}", self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        measure = self.row_at(event.position().y())
        if measure is not None:
            emit(self.measure_clicked, measure.number)


class MeasureTimeline(QWidget):
    """The timeline in a scroll area. Signals: measure_clicked(number)."""

    measure_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.canvas = TimelineCanvas()
        self.canvas.measure_clicked.connect(self.measure_clicked)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def set_measures(self, measures: Sequence[MeasureRead], today: date) -> None:
        self.canvas.set_measures(measures, today)
