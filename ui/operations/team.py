"""Working from a briefcase: File ▸ Synchronise, and the conflicts it brings.

The sync runs in the window's write queue (a worker thread): the team store
is reached over the network. When it brings conflicts, each is shown side by
side (:class:`~ui.dialogs.conflict.ConflictDialog`) and the version chosen
is recorded in the same queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from briefing_app.services.team import ConflictRead, SyncRead
from ui.dialogs.conflict import ConflictDialog
from ui.signals import emit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.shell import Shell

#: A sync may bring anything: every view reloads.
EVERY_VIEW = ("letters", "action-points", "measures", "countries", "people", "packs")


def sync_summary(report: SyncRead) -> str:
    # short enough for the status bar beside its newest-evidence label at 1280 pixels
    # (the command line's report names the team store's address)
    text = f"Synchronised with the team store: sent {report.sent}, received {report.received}"
    if report.conflicts:
        text += f"; in conflict: {', '.join(report.conflicts)}"
    return text


class PasswordAsker(QObject):
    """Asks for the team store's password on the GUI thread for a sync running in the
    worker: the worker waits for the answer (a blocking queued call), the window stays
    responsive while the dialog is open."""

    _asked = Signal(str, int)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._answer: str | None = None
        self._asked.connect(self._ask, Qt.ConnectionType.BlockingQueuedConnection)

    @Slot(str, int)
    def _ask(self, who: str, attempt: int) -> None:
        from ui.app import ask_team_password

        self._answer = ask_team_password(who, attempt)

    def __call__(self, who: str, attempt: int) -> str | None:
        if QThread.currentThread() == self.thread():
            self._ask(who, attempt)
        else:
            emit(self._asked, who, attempt)
        answer, self._answer = self._answer, None
        return answer


def synchronise(shell: Shell, parent: QWidget) -> None:
    """Send this briefcase's changes, receive the team store's, then show any conflict."""
    if not getattr(shell.services.store, "is_briefcase", False):
        shell.show_message("This store is not a briefcase: there is nothing to synchronise "
                           "(check one out with 'briefing-app briefcase checkout')", 8000)
        return
    shell.show_message("Synchronising with the team store…", 0)

    def done(report: SyncRead) -> None:
        shell.show_message(sync_summary(report), 10000)
        if report.conflicts:
            resolve_conflicts(shell, parent)

    asker = PasswordAsker(parent)
    shell.run_write(lambda: shell.services.team.synchronise(ask_password=asker), done,
                    kinds=EVERY_VIEW)


def resolve_conflicts(shell: Shell, parent: QWidget) -> None:
    """Each open conflict side by side, until the person chooses or decides later."""
    conflicts = shell.services.team.conflicts()
    if not conflicts:
        shell.show_message("No item is in conflict.", 6000)
        return
    for conflict in conflicts:
        dialog = ConflictDialog(conflict, parent)
        if dialog.exec() != ConflictDialog.DialogCode.Accepted or dialog.choice is None:
            return
        keep(shell, conflict, dialog.choice)


def keep(shell: Shell, conflict: ConflictRead, choice: str) -> None:
    team = shell.services.team
    shell.run_write(lambda: team.resolve_conflict(conflict, choice),
                    lambda change: shell.show_message(
                        f"{conflict.item_label}: kept {change.new_status} "
                        "(the other version stays in the history)", 8000))
