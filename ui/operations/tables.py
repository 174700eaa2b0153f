"""Tables in and out: File ▸ Export…, a list's "Export the N shown…", File ▸ Import table….

Each operation asks for what it needs, runs off the GUI thread as an
:class:`~ui.tasks.Op` and reports to the window through its :class:`~ui.shell.Shell`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from briefing_app.errors import TableProblems
from briefing_app.read_models import ExportResult, TableImportResult, TablePlan
from ui.dialogs.tables import ProblemsDialog, TablePreviewDialog, ask_export_path, label_of
from ui.tasks import Op, show_error

if TYPE_CHECKING:
    from ui.shell import Shell


def export_list(parent: QWidget, shell: Shell, kind: str, path: Path,
                ids: Sequence[int] | None = None,
                done: Callable[[ExportResult], None] | None = None) -> Op[ExportResult]:
    """Write a list (all of it, or the items ``ids`` in that order) off the GUI thread."""
    tables = shell.services.tables

    def finished(result: ExportResult) -> None:
        shell.show_message(
            f"Exported {result.rows} {label_of(kind).lower()} to {result.path}",
            8000)
        if done is not None:
            done(result)

    return Op(parent=parent, work=lambda: tables.export(kind, path, ids=ids),
              success=finished).run_in_background()


def choose_and_export(parent: QWidget, shell: Shell) -> None:
    """File ▸ Export…: pick a list, then a file."""
    exported = shell.services.tables.export_kinds()
    labels = [kind.label for kind in exported]
    label, ok = QInputDialog.getItem(parent, "Export", "Export which list?", labels, 0, False)
    if not ok:
        return
    kind = exported[labels.index(label)].name
    path = ask_export_path(parent, kind)
    if path is not None:
        export_list(parent, shell, kind, path)


def preview_table(parent: QWidget, shell: Shell, kind: str, path: Path,
                  on_preview: Callable[[TablePreviewDialog], None] | None = None,
                  on_problems: Callable[[ProblemsDialog], None] | None = None
                  ) -> Op[TablePlan]:
    """Check a table off the GUI thread, then show its changes for Apply."""
    tables = shell.services.tables

    def show(plan: TablePlan) -> None:
        dialog = TablePreviewDialog(plan, parent)
        dialog.accepted.connect(lambda: apply_table(shell, plan))
        if on_preview is not None:
            on_preview(dialog)
        else:
            dialog.exec()

    def refused(exc: BaseException) -> None:
        if isinstance(exc, TableProblems):
            dialog = ProblemsDialog(exc, parent)
            if on_problems is not None:
                on_problems(dialog)
            else:
                dialog.exec()
        else:
            show_error(parent, exc)

    return Op(parent=parent, work=lambda: tables.preview(kind, path), success=show).failure(
        refused).run_in_background()


def apply_table(shell: Shell, plan: TablePlan) -> None:
    tables = shell.services.tables

    def applied(result: TableImportResult) -> None:
        shell.show_message(
            f"{Path(result.file).name}: {len(result.changes)} item(s) changed", 8000)

    shell.run_write(lambda: tables.apply(plan), applied,
                   kinds=("action-points", "measures", "countries"))


def choose_and_import_table(parent: QWidget, shell: Shell) -> None:
    """File ▸ Import table…: pick what the table holds, then the file."""
    imported = shell.services.tables.import_kinds()
    labels = [kind.label for kind in imported]
    label, ok = QInputDialog.getItem(parent, "Import a table", "The table holds:", labels, 0,
                                     False)
    if not ok:
        return
    kind = imported[labels.index(label)].name
    name, _ = QFileDialog.getOpenFileName(parent, "Import a table", str(Path.home()),
                                          "Tables (*.xlsx *.csv)")
    if name:
        preview_table(parent, shell, kind, Path(name))
