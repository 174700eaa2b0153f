"""Operations on the store as a whole: File ▸ Back up…, File ▸ Restore…, Help ▸ Check store,
and the day's first backup (:class:`DailyBackup`).

Each asks what it needs (a file), then runs off the GUI thread as an :class:`~ui.tasks.Op`
and returns it; the window is told through its :class:`~ui.shell.Shell`."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.tasks import Op, running_writes

if TYPE_CHECKING:
    from briefing_app.services import Services
    from briefing_app.services.maintenance import BackupRead, RestoreRead, StoreCheckRead
    from ui.shell import Shell

log = logging.getLogger(__name__)

#: How long quitting waits for the day's backup to stop (it stops within a step).
QUIT_WAIT_S = 30.0


class DailyBackup(QObject):
    """The backup of the day's first open, made once the window is on screen.

    The store is opened without it (``open_services(..., daily_backup_on_open=False)``:
    0.6 s at 10,000 letters) and ui/app.py starts this after the first frame.
    It runs in the write queue, so that a change made meanwhile reaches the
    store after the backup, and a restore never replaces the file under it.
    A failure is logged, never shown: it is not the user's action.

    Closing the window (or quitting) with no change queued behind it stops the
    copy within one step (no file is left; the next open makes the backup);
    with changes queued, the window's close waits for the queue as always.
    Quitting waits until the copy has stopped or finished.
    """

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self._window = window
        #: Set by the worker when the backup has finished, failed or stopped.
        self.finished = threading.Event()
        #: The backup made (None: none was due, or it stopped); set when delivered.
        self.made: Path | None = None
        self.delivered = False
        daily_backup, finished = services.daily_backup, self.finished

        def work(_progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> Path | None:
            try:
                return daily_backup(cancelled)
            finally:
                finished.set()

        self.op: Op[Path | None] = Op(parent=window, work=work, success=self._done,
                                      writes=True).failure(self._failed)
        window.installEventFilter(self)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self._quitting)
        self.op.run_in_background()

    def stop_unless_writes_follow(self) -> bool:
        """Stop the copy if no change waits behind it in the queue; True if asked to stop."""
        if self.finished.is_set() or running_writes() > 1:
            return False
        self.op.cancel()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop_unless_writes_follow()
        return False

    def _quitting(self) -> None:
        self.stop_unless_writes_follow()
        if not self.finished.wait(QUIT_WAIT_S):
            log.warning("the daily backup was still running when the app quit")

    def _done(self, made: Path | None) -> None:
        self.made, self.delivered = made, True
        self._stop_watching()
        if made is not None:
            log.info("daily backup written to %s", made)

    def _failed(self, exc: BaseException) -> None:
        self.delivered = True
        self._stop_watching()
        log.error("daily backup failed:\n%s", "".join(traceback.format_exception(exc)))

    def _stop_watching(self) -> None:
        self._window.removeEventFilter(self)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.disconnect(self._quitting)


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
