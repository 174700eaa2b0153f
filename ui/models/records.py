"""A table model over read-model dictionaries, one column spec per view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from briefing_app.services import Services

Index = QModelIndex | QPersistentModelIndex

#: (header, field) per view; lists are shown joined with "; ".
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "letters": [("Date", "date"), ("Kind", "kind"), ("Reference", "reference"),
                ("Title", "title")],
    "action-points": [("No.", "number"), ("Status", "status"), ("RAG", "rag"),
                      ("Owner", "owner"), ("Title", "title")],
    "measures": [("No.", "number"), ("Section", "section"), ("Deadline", "deadline"),
                 ("Due", "due_date"), ("Status", "status"), ("RAG", "rag"), ("Text", "text")],
    "countries": [("ISO", "iso"), ("Country", "name"), ("Routes", "routes"),
                  ("Status", "status"), ("RAG", "rag")],
    "people": [("Name", "name"), ("Country", "country"), ("Organisation", "organisation")],
    "packs": [("Date", "date"), ("Formation", "formation"), ("Meeting", "title")],
}


def columns_for(kind: str) -> list[tuple[str, str]]:
    return COLUMNS[kind]


def rows_for(services: Services, kind: str) -> list[dict[str, Any]]:
    """The records a view lists, as plain dictionaries."""
    source: list[Any]
    if kind == "letters":
        source = services.letters.list()
    elif kind == "action-points":
        source = services.tracking.action_points()
    elif kind == "measures":
        source = services.tracking.measures()
    elif kind == "countries":
        source = services.tracking.countries()
    elif kind == "people":
        source = services.catalogue.people()
    else:
        source = services.catalogue.meetings()
    return [item.to_dict() for item in source]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_display(v) for v in value)
    return " ".join(str(value).split())


class RecordTableModel(QAbstractTableModel):
    """Rows of dictionaries; numbers sort as numbers through ``Qt.UserRole``."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: list[tuple[str, str]] = []
        self._rows: list[dict[str, Any]] = []

    def set_records(self, columns: list[tuple[str, str]], rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._columns, self._rows = columns, rows
        self.endResetModel()

    def record(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()].get(self._columns[index.column()][1])
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(value)
        if role == Qt.ItemDataRole.UserRole:
            return value if isinstance(value, int | float) else _display(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0]
        return None
