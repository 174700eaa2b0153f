"""Status changes: record one, undo it, redo it, each as a write in the window's queue.

A recorded change is a :class:`StatusChangeCommand` on the window's undo stack:
undo reverts it in the store (an undo is itself a recorded change), redo records
it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack

from briefing_app.read_models import StatusChangeRead
from ui.shell import TRACKED_VIEWS

if TYPE_CHECKING:
    from ui.shell import Shell
    from ui.widgets.detail import StatusEdit


def _set_status(shell: Shell, edit: StatusEdit, source: str) -> StatusChangeRead:
    return shell.services.tracking.set_status(edit.kind, edit.key, edit.status, rag=edit.rag,
                                              owner=edit.owner, note=edit.note, source=source)


class StatusChangeCommand(QUndoCommand):
    """A recorded status change: undo reverts it in the store, redo records it again."""

    def __init__(self, shell: Shell, edit: StatusEdit, change: StatusChangeRead,
                 kinds: Iterable[str] = TRACKED_VIEWS) -> None:
        super().__init__(f"status of {change.item_label}")
        self.shell, self.edit, self.change_id = shell, edit, change.id
        self.kinds = tuple(kinds)
        self._applied = True  # the first redo() comes from push(): already in the store

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        shell, edit, command = self.shell, self.edit, self

        def work() -> StatusChangeRead:
            change = _set_status(shell, edit, "briefing-app (redo)")
            command.change_id = change.id  # read by a later undo, in the same writer thread
            return change

        shell.run_write(work, kinds=self.kinds)

    def undo(self) -> None:
        tracking, command = self.shell.services.tracking, self
        self.shell.run_write(lambda: tracking.revert(command.change_id,
                                                     source="briefing-app (undo)"),
                            kinds=self.kinds)


def change_status(shell: Shell, undo_stack: QUndoStack, edit: StatusEdit,
                  kinds: Iterable[str] = TRACKED_VIEWS) -> None:
    """Record ``edit`` off the GUI thread; once it is in the store, it can be undone;
    ``kinds``: the views the change (and its undo and redo) refreshes."""
    shell.show_message("Saving…", 0)

    def recorded(change: StatusChangeRead) -> None:
        undo_stack.push(StatusChangeCommand(shell, edit, change, kinds))
        shell.show_message(f"{change.item_label}: {change.old_status} → {change.new_status} "
                           "(Ctrl+Z to undo)", 6000)

    shell.run_write(lambda: _set_status(shell, edit, "briefing-app"), recorded, kinds=kinds)
