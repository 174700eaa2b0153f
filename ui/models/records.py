"""A table model over read models, and a filter that ignores case and diacritics.

One :class:`RecordTableModel` per list view, fed with the read models a
service returned; a :class:`FoldingFilterProxy` on top sorts on any column
and filters as the user types ("Rakusan" finds "Rakušan").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from briefing_app.text import fold
from ui.signals import emit
from ui.widgets.status_chip import CHIP_ROLE

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read its value, and how to show it."""

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"  # text | number | date | chip | flag
    tooltip: Callable[[Any], str | None] | None = None
    #: the cell's text when it is not the value's (the value still sorts the column)
    display: Callable[[Any], str] | None = None
    #: texts the column is never narrower than (every month of a date, say)
    fits: tuple[str, ...] = ()

    def text(self, record: Any) -> str:
        return self.display(record) if self.display is not None else _text(self.value(record))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def _sort_key(value: Any) -> tuple[int, Any]:
    """A key that orders empty cells first, then numbers, then text (folded)."""
    if value is None or value == "" or value == () or value == []:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, date | datetime):
        return (2, value.isoformat())
    return (2, fold(_text(value)))


class RecordTableModel(QAbstractTableModel):
    """Rows of read models shown through :class:`Column` specs."""

    def __init__(self, columns: Sequence[Column],
                 search_text: Callable[[Any], str] | None = None) -> None:
        super().__init__()
        self._columns = list(columns)
        self._records: list[Any] = []
        self._haystacks: list[str | None] = []
        self._search_text = search_text
        self._sort_column: int | None = None
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- content ------------------------------------------------------------------------

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = self._sorted(list(records))
        self._haystacks = [None] * len(self._records)
        self.endResetModel()

    def _sorted(self, records: list[Any]) -> list[Any]:
        if self._sort_column is None or not 0 <= self._sort_column < len(self._columns):
            return records
        value = self._columns[self._sort_column].value
        return sorted(records, key=lambda record: _sort_key(value(record)),
                      reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the records themselves: one Python sort, not a comparison per call to data().

        Equal values keep their previous order, so sorting by one column then
        another behaves as people expect.
        """
        self._sort_column, self._sort_order = column, order
        if not self._records:
            return
        emit(self.layoutAboutToBeChanged)
        value = self._columns[column].value
        order_of = sorted(range(len(self._records)),
                          key=lambda row: _sort_key(value(self._records[row])),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        new_row = {old: new for new, old in enumerate(order_of)}
        self._records = [self._records[row] for row in order_of]
        self._haystacks = [self._haystacks[row] for row in order_of]
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[i.row()], i.column()) for i in persistent])
        emit(self.layoutChanged)

    def column_fits(self, column: int) -> tuple[str, ...]:
        return self._columns[column].fits if 0 <= column < len(self._columns) else ()

    def column_kind(self, column: int) -> str:
        """text | number | date | chip | flag, as the column was declared."""
        return self._columns[column].kind if 0 <= column < len(self._columns) else "text"

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, predicate: Callable[[Any], bool]) -> int | None:
        for row, record in enumerate(self._records):
            if predicate(record):
                return row
        return None

    def haystack(self, row: int) -> str:
        """The folded text a filter looks in: every column, plus extra searchable text."""
        cached = self._haystacks[row]
        if cached is None:
            record = self._records[row]
            parts = [column.text(record) for column in self._columns]
            if self._search_text is not None:
                parts.append(self._search_text(record))
            cached = fold(" ".join(parts))
            self._haystacks[row] = cached
        return cached

    # -- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        value = column.value(record)
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "flag":
                return value or ""
            return column.text(record)
        if role == CHIP_ROLE and column.kind in ("chip", "flag"):
            return value or None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(record)
            text = _text(value)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.text(record)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None


class FoldingFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose text holds every typed word; sorting is the source's job.

    Matching ignores case and diacritics, and the words may come in any order
    and from any column. A click on a header sorts the source model's records
    (fast at 10,000 rows); the proxy keeps their order.
    """

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None and column >= 0:
            model.sort(column, order)

    def set_filter_text(self, text: str) -> None:
        words = fold(text).split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        if not isinstance(model, RecordTableModel):
            return True
        haystack = model.haystack(source_row)
        return all(word in haystack for word in self._words)

