"""The country × measure matrix: which measure names which country, with its status in
words, under column headers that carry each measure's short title."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QWidget,
)

from briefing_app.domain.titles import short_title
from briefing_app.read_models import CommitmentRead, CountryRead, MeasureRead
from ui.widgets.status_chip import CHIP_ROLE, ChipDelegate

if TYPE_CHECKING:
    pass


#: Status words short enough for a matrix cell (a legend explains them). They are
#: lower case and never two capitals, so none can be read as a country code.
SHORT = {"not started": "todo", "in progress": "active", "delayed": "late", "done": "done",
         "dropped": "drop", "no evidence": "?"}

#: Characters of a measure's short title in a matrix column header.
MATRIX_TITLE = 30


#: The series the matrix shows unless another is chosen.
DEFAULT_SERIES = "measures"


def item_number(item: MeasureRead | CommitmentRead) -> str:
    """A column's number: the measure's, or a commitment's as written (its id if none)."""
    if item.number is not None:
        return str(item.number)
    return f"#{item.id}"


class MatrixModel(QAbstractTableModel):
    """Rows: countries; columns: measures (or the accepted commitments of another
    series); a cell shows the item's status where the item names the country."""

    def __init__(self) -> None:
        super().__init__()
        self.countries: list[CountryRead] = []
        self.measures: list[MeasureRead | CommitmentRead] = []
        self.noun = "measure"

    def set_data(self, countries: Sequence[CountryRead],
                 measures: Sequence[MeasureRead | CommitmentRead],
                 noun: str = "measure") -> None:
        self.beginResetModel()
        self.noun = noun
        named = {iso for m in measures for iso in m.countries}
        self.countries = sorted((c for c in countries if c.iso in named),
                                key=lambda c: (c.routes[0] if c.routes else "", c.name))
        self.measures = list(measures)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.countries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.measures)

    def cell(self, row: int, column: int) -> MeasureRead | CommitmentRead | None:
        measure = self.measures[column]
        return measure if self.countries[row].iso in measure.countries else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        measure = self.cell(index.row(), index.column())
        if measure is None:
            return None
        if role == CHIP_ROLE:
            return measure.status
        if role == Qt.ItemDataRole.DisplayRole:
            return SHORT.get(measure.status, measure.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{self.countries[index.row()].name} — {self.noun} "
                    f"{item_number(measure)} "
                    f"({measure.status})\n{measure.text.splitlines()[0][:200]}")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                measure = self.measures[section]
                return f"{item_number(measure)} · {short_title(measure.text, MATRIX_TITLE)}"
            return f"{self.countries[section].name} ({self.countries[section].iso})"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            measure = self.measures[section]
            return (f"{self.noun.capitalize()} {item_number(measure)}: "
                    f"{measure.text.splitlines()[0]}")
        return None


class RotatedHeader(QHeaderView):
    """A horizontal header whose labels read upwards, so that a narrow column can
    carry a title; its height fits the longest label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(50)
        self.setHighlightSections(False)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        if model is None:
            return hint
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(str(model.headerData(
            c, Qt.Orientation.Horizontal) or "")) for c in range(model.columnCount())),
            default=0)
        return QSize(hint.width(), min(200, longest + 16))

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        painter.save()
        super().paintSection(painter, rect, logical)  # the section's frame and background
        painter.restore()
        model = self.model()
        if model is None:
            return
        painter.save()
        painter.fillRect(rect.adjusted(1, 1, -1, -1), self.palette().button())
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        area = QRect(6, 0, rect.height() - 10, rect.width())
        text = self.fontMetrics().elidedText(str(model.headerData(
            logical, Qt.Orientation.Horizontal) or ""), Qt.TextElideMode.ElideRight,
            area.width())
        painter.setPen(self.palette().buttonText().color())
        painter.drawText(area, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         text)
        painter.restore()


class ShortChipDelegate(ChipDelegate):
    """Matrix cells: the chip shows the short code, coloured by the full status."""

    def paint(self, painter: Any, option: Any, index: Any) -> None:
        status = index.data(CHIP_ROLE)
        if not status:
            super().paint(painter, option, index)
            return
        from ui.widgets.status_chip import chip_colours

        fill, ink = chip_colours(status)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 4, -4, -4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(ink)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), SHORT.get(status, status))
        painter.restore()
