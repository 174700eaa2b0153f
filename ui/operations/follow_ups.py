"""Reviewing follow-ups: accept (with the status the passage supports) or dismiss.

Each review is one write in the window's queue and, once in the store, a
:class:`FollowUpCommand` on the window's undo stack: undo takes it back
through ``services.follow_ups.undo`` (which restores the follow-up's state
and reverts the status change made with it); redo reviews the follow-up
again the same way, as StatusChangeCommand records its change again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from briefing_app.read_models import FollowUpRead, FollowUpReviewRead
from ui.shell import TRACKED_VIEWS

if TYPE_CHECKING:
    from ui.dialogs.follow_up import AcceptChoice, AcceptDialog
    from ui.shell import Shell

#: What a follow-up's review refreshes: the tracked lists, the letters (the reader's
#: marks, the Commitments tab) and, through them, the status bar.
FOLLOW_UP_VIEWS = ("letters", *TRACKED_VIEWS)

Review = Callable[[], list[FollowUpReviewRead]]


class FollowUpCommand(QUndoCommand):
    """A recorded review: undo takes it back in the store, redo reviews again."""

    def __init__(self, shell: Shell, label: str, review: Review,
                 reviews: list[FollowUpReviewRead]) -> None:
        super().__init__(label)
        self.shell, self.review = shell, review
        self.review_ids = [r.id for r in reviews]
        self._applied = True  # the first redo() comes from push(): already in the store

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        command = self

        def work() -> list[FollowUpReviewRead]:
            again = command.review()
            command.review_ids = [r.id for r in again]  # read by a later undo, same thread
            return again

        self.shell.run_write(work, kinds=FOLLOW_UP_VIEWS)

    def undo(self) -> None:
        service, command = self.shell.services.follow_ups, self

        def work() -> list[FollowUpReviewRead]:
            return [service.undo(review_id) for review_id in reversed(command.review_ids)]

        self.shell.run_write(work, kinds=FOLLOW_UP_VIEWS)


def run_review(shell: Shell, label: str, message: str, review: Review,
               done: Callable[[list[FollowUpReviewRead]], None] | None = None) -> None:
    """Run one review off the GUI thread; once it is in the store, it can be undone."""
    shell.show_message("Saving…", 0)

    def recorded(reviews: list[FollowUpReviewRead]) -> None:
        shell.undo_stack.push(FollowUpCommand(shell, label, review, reviews))
        shell.show_message(f"{message} (Ctrl+Z to undo)", 6000)
        if done is not None:
            done(reviews)

    shell.run_write(review, recorded, kinds=FOLLOW_UP_VIEWS)


def record_accept(shell: Shell, follow_up: FollowUpRead, choice: AcceptChoice,
                  current_status: str | None = None) -> None:
    service = shell.services.follow_ups
    message = f"{follow_up.item_label}: follow-up accepted"
    if choice.status is not None and current_status is not None:
        message += f", status {current_status} → {choice.status}"
    elif choice.status is not None or choice.rag is not None:
        message += f", status {choice.status or 'kept'}, RAG {choice.rag or 'usual'}"
    run_review(shell, f"accept a follow-up of {follow_up.item_label}", message,
               lambda: service.accept([follow_up.id], status=choice.status, rag=choice.rag,
                                      note=choice.note))


def accept(shell: Shell, follow_up: FollowUpRead, status: str, rag: str, *,
           trackable: bool = True, parent: QWidget | None = None) -> AcceptDialog:
    """Ask what the follow-up supports (a window-modal dialog), then record the accept."""
    from ui.dialogs.follow_up import AcceptDialog

    dialog = AcceptDialog(follow_up, status, rag, trackable=trackable, parent=parent)
    dialog.accepted.connect(lambda: record_accept(shell, follow_up, dialog.choice(), status))
    dialog.open()
    return dialog


def dismiss(shell: Shell, follow_up: FollowUpRead) -> None:
    service = shell.services.follow_ups
    run_review(shell, f"dismiss a follow-up of {follow_up.item_label}",
               f"{follow_up.item_label}: follow-up dismissed",
               lambda: service.dismiss([follow_up.id]))
