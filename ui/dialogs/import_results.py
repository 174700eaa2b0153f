"""What importing each file did, one row per file."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import ImportResult
from ui.widgets.screen import fit_to_screen
from ui.widgets.status_chip import CHIP_ROLE, ChipDelegate


class ImportResultsDialog(QDialog):
    def __init__(self, results: Sequence[ImportResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import letters: results")
        fit_to_screen(self, 860, 360)
        counts = {o: sum(1 for r in results if r.outcome == o)
                  for o in ("imported", "unchanged", "failed", "skipped")}
        summary = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
        self.summary = QLabel(summary or "Nothing imported.")
        self.table = QTableWidget(len(results), 3)
        self.table.setHorizontalHeaderLabels(["File", "Result", "Details"])
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(1, ChipDelegate(self.table))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, result in enumerate(results):
            self.table.setItem(row, 0, QTableWidgetItem(result.file.rsplit("/", 1)[-1]))
            outcome = QTableWidgetItem(result.outcome)
            outcome.setData(CHIP_ROLE, result.outcome)
            self.table.setItem(row, 1, outcome)
            detail = result.message
            if result.outcome == "imported":
                detail = f"letter {result.letter_id}: {result.title} ({result.message})"
            item = QTableWidgetItem(detail)
            item.setToolTip(f"{result.file}\n{detail}")
            self.table.setItem(row, 2, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, ...]]:
        """What the table shows: (file, result, details) per row."""
        return [tuple(self._cell(r, c) for c in range(3)) for r in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
