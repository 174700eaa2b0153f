"""The main window: a navigation sidebar, a list per view and a detail pane."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefing_app.services import Services
from ui.models.records import RecordTableModel, columns_for, rows_for

VIEWS = {
    "letters": "Letters",
    "action-points": "Action points",
    "measures": "Operational measures",
    "countries": "Partner countries",
    "people": "People",
    "packs": "Meetings & packs",
}


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle("Briefing App")
        self.sidebar = QListWidget()
        self.sidebar.addItems(list(VIEWS.values()))
        self.sidebar.setFixedWidth(200)
        self.filter_edit = QLineEdit(placeholderText="Filter…")
        self.filter_edit.setClearButtonEnabled(True)
        self.model = RecordTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.detail = QTextBrowser()
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(centre)
        splitter.addWidget(self.detail)
        splitter.setSizes([200, 800, 400])
        self.setCentralWidget(splitter)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.sidebar.currentRowChanged.connect(self._on_view)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.statusBar().showMessage(f"Store: {services.store.path}")
        self._kind = "letters"

    def show_view(self, kind: str) -> None:
        self.sidebar.setCurrentRow(list(VIEWS).index(kind))

    def _on_view(self, row: int) -> None:
        self._kind = list(VIEWS)[row]
        self.model.set_records(columns_for(self._kind), rows_for(self.services, self._kind))
        self.table.resizeColumnsToContents()

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.model.record(self.proxy.mapToSource(current).row())
        if record is None:
            self.detail.clear()
            return
        lines = [f"<p><b>{escape(key)}</b>: {escape(str(value))}</p>"
                 for key, value in record.items() if not isinstance(value, list | dict)]
        self.detail.setHtml("".join(lines))
