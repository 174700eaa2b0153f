"""File ▸ Back up…, File ▸ Restore… and Help ▸ Check store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.tasks import Op

if TYPE_CHECKING:
    from briefing_app.services.maintenance import BackupRead, RestoreRead, StoreCheckRead
    from ui.main_window import MainWindow


def backup_store(main: MainWindow, target: Path | None = None,
                 done: Callable[[BackupRead], None] | None = None) -> None:
    """Write a consistent copy of the open store (the online backup API)."""
    if target is None:
        folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        name, _ = QFileDialog.getSaveFileName(
            main, "Back up the store", str(folder / f"briefing-backup-{date.today()}.sqlite3"),
            "Briefing App store (*.sqlite3)")
        if not name:
            return
        target = Path(name)
    maintenance = main.services.maintenance

    def finished(result: BackupRead) -> None:
        main.statusBar().showMessage(f"Backed up to {result.path} "
                                     f"({result.size / 1_048_576:.1f} MB)", 8000)
        if done is not None:
            done(result)

    Op(parent=main, work=lambda: maintenance.backup(target), success=finished,
       writes=True).with_progress("Backing up…").run_in_background()


def restore_store(main: MainWindow, source: Path | None = None,
                  done: Callable[[RestoreRead], None] | None = None) -> None:
    """Replace the store with a backup, after checking it; the replaced store is kept."""
    if source is None:
        name, _ = QFileDialog.getOpenFileName(main, "Restore the store from a backup",
                                              str(Path.home()), "Briefing App store (*.sqlite3)")
        if not name:
            return
        answer = QMessageBox.question(
            main, "Restore",
            f"Replace the store with {Path(name).name}?\n\nThe current store is kept as an "
            "automatic backup first.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        source = Path(name)
    maintenance = main.services.maintenance

    def finished(result: RestoreRead) -> None:
        main.undo_stack.clear()  # the changes it could undo belong to the replaced store
        main.refresh()
        kept = (f" The replaced store is kept as {result.previous_store_backup}."
                if result.previous_store_backup else "")
        main.statusBar().showMessage(f"Restored from {result.restored_from}.{kept}", 10000)
        if done is not None:
            done(result)

    Op(parent=main, work=lambda: maintenance.restore(source), success=finished,
       writes=True).with_progress("Restoring…").run_in_background()


def check_store(main: MainWindow, done: Callable[[StoreCheckRead], None] | None = None) -> None:
    """Integrity, foreign keys, search index and citations, reported in one dialog."""
    maintenance = main.services.maintenance

    def finished(result: StoreCheckRead) -> None:
        if done is not None:
            done(result)
            return
        lines: list[Any] = []
        for check in result.checks:
            mark = "OK" if check.ok else f"{len(check.problems)} problem(s)"
            lines.append(f"{check.name}: {mark} — {check.checked}")
            lines.extend(f"    {problem}" for problem in check.problems[:20])
        box = QMessageBox.information if result.ok else QMessageBox.warning
        box(main, "Check store", ("The store is sound." if result.ok else
                                  "The store has problems.") + "\n\n" + "\n".join(lines))

    Op(parent=main, work=maintenance.check, success=finished).with_progress(
        "Checking the store…").run_in_background()
