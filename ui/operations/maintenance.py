"""Operations on the store as a whole: File ▸ Back up…, File ▸ Restore…, Help ▸ Check store.

Each asks what it needs (a file), then runs off the GUI thread as an :class:`~ui.tasks.Op`
and returns it; the window is told through its :class:`~ui.shell.Shell`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.tasks import Op

if TYPE_CHECKING:
    from briefing_app.services.maintenance import BackupRead, RestoreRead, StoreCheckRead
    from ui.shell import Shell


def backup_store(parent: QWidget, shell: Shell, target: Path | None = None,
                 done: Callable[[BackupRead], None] | None = None) -> Op[BackupRead] | None:
    """Write a consistent copy of the open store (the online backup API)."""
    if target is None:
        folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        name, _ = QFileDialog.getSaveFileName(
            parent, "Back up the store", str(folder / f"briefing-backup-{date.today()}.sqlite3"),
            "Briefing App store (*.sqlite3)")
        if not name:
            return None
        target = Path(name)
    maintenance = shell.services.maintenance

    def finished(result: BackupRead) -> None:
        shell.show_message(f"Backed up to {result.path} "
                           f"({result.size / 1_048_576:.1f} MB)", 8000)
        if done is not None:
            done(result)

    return Op(parent=parent, work=lambda: maintenance.backup(target), success=finished,
              writes=True).with_progress("Backing up…").run_in_background()


def restore_store(parent: QWidget, shell: Shell, source: Path | None = None,
                  done: Callable[[RestoreRead], None] | None = None) -> Op[RestoreRead] | None:
    """Replace the store with a backup, after checking it; the replaced store is kept."""
    if source is None:
        name, _ = QFileDialog.getOpenFileName(parent, "Restore the store from a backup",
                                              str(Path.home()), "Briefing App store (*.sqlite3)")
        if not name:
            return None
        answer = QMessageBox.question(
            parent, "Restore",
            f"Replace the store with {Path(name).name}?\n\nThe current store is kept as an "
            "automatic backup first.")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        source = Path(name)
    maintenance = shell.services.maintenance

    def finished(result: RestoreRead) -> None:
        shell.store_replaced()
        kept = (f" The replaced store is kept as {result.previous_store_backup}."
                if result.previous_store_backup else "")
        shell.show_message(f"Restored from {result.restored_from}.{kept}", 10000)
        if done is not None:
            done(result)

    return Op(parent=parent, work=lambda: maintenance.restore(source), success=finished,
              writes=True).with_progress("Restoring…").run_in_background()


def check_store(parent: QWidget, shell: Shell,
                done: Callable[[StoreCheckRead], None] | None = None) -> Op[StoreCheckRead]:
    """Integrity, foreign keys, search index and citations, reported in one dialog."""
    maintenance = shell.services.maintenance

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
        box(parent, "Check store", ("The store is sound." if result.ok else
                                  "The store has problems.") + "\n\n" + "\n".join(lines))

    return Op(parent=parent, work=maintenance.check, success=finished).with_progress(
        "Checking the store…").run_in_background()
