"""The dialogs of tables in and out: where to export, the preview of an import, its problems.

The operations that use them are in ui/operations/tables.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain import kinds
from briefing_app.errors import TableProblems
from briefing_app.read_models import TablePlan
from ui.widgets.screen import fit_to_screen


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def label_of(kind: str) -> str:
    """How people name a list ("Partner countries"), from the kind registry."""
    found = kinds.find(kind)
    return found.label if found is not None else kind


def ask_export_path(parent: QWidget, kind: str) -> Path | None:
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
    name, chosen = QFileDialog.getSaveFileName(
        parent, f"Export {label_of(kind).lower()}", str(folder / f"{kind}.xlsx"),
        "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return path


class TablePreviewDialog(QDialog):
    """Every change a table would make; Apply writes them in one transaction."""

    def __init__(self, plan: TablePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Import {Path(plan.file).name}: preview")
        fit_to_screen(self, 900, 520)
        changed = len(plan.changes)
        summary = (f"{plan.rows} row(s) read: {changed} item(s) would change, "
                   f"{plan.unchanged} unchanged.")
        if plan.ignored_columns:
            summary += f" Not imported: {', '.join(plan.ignored_columns)}."
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        cells = [(change.row, change.label, field.column, field.old, field.new)
                 for change in plan.changes for field in change.changes]
        self.table = QTableWidget(len(cells), 5)
        self.table.setHorizontalHeaderLabels(["Row", "Item", "Column", "Now", "From the file"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(cells):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(_value(value)))
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setEnabled(changed > 0)
        self.apply_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self._cell(r, c) for c in range(5)) for r in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


class ProblemsDialog(QDialog):
    """The bad cells of a refused table, one per line (nothing was imported)."""

    def __init__(self, error: TableProblems, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The table was not imported")
        fit_to_screen(self, 820, 360)
        text = QPlainTextEdit("\n".join(str(p) for p in error.problems))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(error.message + ". Correct these cells and import again:"))
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
        self.text = text


