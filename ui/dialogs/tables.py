"""Tables in and out: export a list (or what a filter shows), import a table after a preview."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import TableProblems
from briefing_app.read_models import ExportResult, TableImportResult, TablePlan
from briefing_app.tabular.columns import EXPORT_KINDS, IMPORT_KINDS
from ui.tasks import Op, show_error
from ui.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from ui.main_window import MainWindow

KIND_LABELS = {
    "letters": "Letters", "action-points": "Action points", "measures": "Operational measures",
    "countries": "Partner countries", "people": "People", "indicators": "Indicators",
    "status-history": "Status history",
}


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def ask_export_path(parent: QWidget, kind: str) -> Path | None:
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
    name, chosen = QFileDialog.getSaveFileName(
        parent, f"Export {KIND_LABELS.get(kind, kind).lower()}", str(folder / f"{kind}.xlsx"),
        "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return path


def export_list(main: MainWindow, kind: str, path: Path, ids: Sequence[int] | None = None,
                done: Callable[[ExportResult], None] | None = None) -> None:
    """Write a list (all of it, or the items ``ids`` in that order) off the GUI thread."""
    tables = main.services.tables

    def finished(result: ExportResult) -> None:
        main.statusBar().showMessage(
            f"Exported {result.rows} {KIND_LABELS.get(kind, kind).lower()} to {result.path}",
            8000)
        if done is not None:
            done(result)

    Op(parent=main, work=lambda: tables.export(kind, path, ids=ids),
       success=finished).run_in_background()


def choose_and_export(main: MainWindow) -> None:
    """File ▸ Export…: pick a list, then a file."""
    labels = [KIND_LABELS[k] for k in EXPORT_KINDS]
    label, ok = QInputDialog.getItem(main, "Export", "Export which list?", labels, 0, False)
    if not ok:
        return
    kind = EXPORT_KINDS[labels.index(label)]
    path = ask_export_path(main, kind)
    if path is not None:
        export_list(main, kind, path)


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


def preview_table(main: MainWindow, kind: str, path: Path,
                  on_preview: Callable[[TablePreviewDialog], None] | None = None,
                  on_problems: Callable[[ProblemsDialog], None] | None = None) -> None:
    """Check a table off the GUI thread, then show its changes for Apply."""
    tables = main.services.tables

    def show(plan: TablePlan) -> None:
        dialog = TablePreviewDialog(plan, main)
        dialog.accepted.connect(lambda: apply_table(main, plan))
        if on_preview is not None:
            on_preview(dialog)
        else:
            dialog.exec()

    def refused(exc: BaseException) -> None:
        if isinstance(exc, TableProblems):
            dialog = ProblemsDialog(exc, main)
            if on_problems is not None:
                on_problems(dialog)
            else:
                dialog.exec()
        else:
            show_error(main, exc)

    Op(parent=main, work=lambda: tables.preview(kind, path), success=show).failure(
        refused).run_in_background()


def apply_table(main: MainWindow, plan: TablePlan) -> None:
    tables = main.services.tables

    def applied(result: TableImportResult) -> None:
        main.statusBar().showMessage(
            f"{Path(result.file).name}: {len(result.changes)} item(s) changed", 8000)

    main.run_write(lambda: tables.apply(plan), applied,
                   kinds=("action-points", "measures", "countries"))


def choose_and_import_table(main: MainWindow) -> None:
    """File ▸ Import table…: pick what the table holds, then the file."""
    labels = [KIND_LABELS[k] for k in IMPORT_KINDS]
    label, ok = QInputDialog.getItem(main, "Import a table", "The table holds:", labels, 0,
                                     False)
    if not ok:
        return
    kind = IMPORT_KINDS[labels.index(label)]
    name, _ = QFileDialog.getOpenFileName(main, "Import a table", str(Path.home()),
                                          "Tables (*.xlsx *.csv)")
    if name:
        preview_table(main, kind, Path(name))

