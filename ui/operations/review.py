"""Reviewing an imported letter's commitments: accept, reject, edit, merge, split.

Each review is one write in the window's queue and, once in the store, a
:class:`ReviewCommand` on the window's undo stack: undo reverts it through
``services.review.undo``; redo undoes that undo, which puts back exactly the
rows the review left (the same ids), as StatusChangeCommand does for a status.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from briefing_app.services.review import ReviewRead
from ui.shell import TRACKED_VIEWS

if TYPE_CHECKING:
    from ui.dialogs.review import EditChanges
    from ui.shell import Shell

#: What a review refreshes: the letter's Commitments tab and every tracked list.
REVIEW_VIEWS = ("letters", *TRACKED_VIEWS)


def _named(ids: Sequence[int]) -> str:
    return f"commitment {ids[0]}" if len(ids) == 1 else \
        f"commitments {', '.join(map(str, ids))}"


class ReviewCommand(QUndoCommand):
    """A recorded review: undo reverts it in the store, redo puts its result back."""

    def __init__(self, shell: Shell, label: str, review: ReviewRead) -> None:
        super().__init__(label)
        self.shell, self.review_id = shell, review.id
        self.undo_id: int | None = None
        self._applied = True  # the first redo() comes from push(): already in the store

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        service, command = self.shell.services.review, self

        def work() -> ReviewRead:
            assert command.undo_id is not None
            again = service.undo(command.undo_id, author=None)  # the undo of the undo
            command.review_id = again.id
            return again

        self.shell.run_write(work, kinds=REVIEW_VIEWS)

    def undo(self) -> None:
        service, command = self.shell.services.review, self

        def work() -> ReviewRead:
            undone = service.undo(command.review_id)
            command.undo_id = undone.id
            return undone

        self.shell.run_write(work, kinds=REVIEW_VIEWS)


def run_review(shell: Shell, label: str, work: Callable[[], ReviewRead],
               done: Callable[[ReviewRead], None] | None = None) -> None:
    """Run one review off the GUI thread; once it is in the store, it can be undone."""
    shell.show_message("Saving…", 0)

    def recorded(review: ReviewRead) -> None:
        shell.undo_stack.push(ReviewCommand(shell, label, review))
        shell.show_message(f"{label[0].upper()}{label[1:]} (Ctrl+Z to undo)", 6000)
        if done is not None:
            done(review)

    shell.run_write(work, recorded, kinds=REVIEW_VIEWS)


def accept(shell: Shell, ids: Sequence[int]) -> None:
    review = shell.services.review
    run_review(shell, f"accept {_named(ids)}", lambda: review.accept(list(ids)))


def reject(shell: Shell, ids: Sequence[int]) -> None:
    review = shell.services.review
    run_review(shell, f"reject {_named(ids)}", lambda: review.reject(list(ids)))


def edit(shell: Shell, commitment_id: int, changes: EditChanges) -> None:
    review = shell.services.review
    countries = None if changes.countries is None else list(changes.countries)
    run_review(shell, f"edit {_named([commitment_id])}", lambda: review.edit(
        commitment_id, title=changes.title, number=changes.number, deadline=changes.deadline,
        countries=countries))


def merge(shell: Shell, ids: Sequence[int]) -> None:
    review = shell.services.review
    run_review(shell, f"merge {_named(ids)}", lambda: review.merge(list(ids)))


def split(shell: Shell, commitment_id: int, offset: int) -> None:
    review = shell.services.review
    run_review(shell, f"split {_named([commitment_id])}",
               lambda: review.split(commitment_id, offset))
