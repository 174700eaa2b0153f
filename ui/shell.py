"""What a view or an operation may ask of the window around it.

Views and operations receive the services and a :class:`Shell`; only the
composition root (ui/app.py) knows the main window, which is one Shell. This
keeps every view testable with any window that offers these few things, and
keeps the arrows pointing down (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from briefing_app.services import Services
    from ui.widgets.detail import StatusEdit

from briefing_app.domain import kinds

#: What a write refreshes when it does not say: the tracked lists.
TRACKED_VIEWS = kinds.names(kinds.TRACKED)


class Shell(Protocol):
    """The window's side of a view: navigation, the write queue, messages."""

    services: Services
    undo_stack: QUndoStack  # the window's: every undoable write is pushed on it

    # -- navigation ---------------------------------------------------------------------

    def open_letter_at(self, letter_id: int, start: int, end: int) -> None:
        """Show the letter in the reader, scrolled to and marking ``start``–``end``."""

    def open_item(self, kind: str, key: str) -> None:
        """Open an item named by a passage (kind: action_point, measure, country, …)."""

    def show_preview(self, path: Path) -> Any:
        """Show a built pack in the preview window."""

    # -- writes -------------------------------------------------------------------------

    def run_write(self, work: Callable[[], Any], success: Callable[[Any], None] | None = None,
                  kinds: Iterable[str] = TRACKED_VIEWS) -> None:
        """Run a write off the GUI thread, in order; then refresh the views of ``kinds``."""

    def request_status_change(self, edit: StatusEdit) -> None:
        """Record a status change (undoable)."""

    def notify_changed(self, kinds: Iterable[str]) -> None:
        """The store changed: the views of these kinds reload."""

    def store_replaced(self) -> None:
        """The whole store was replaced (a restore): forget the undo history, reload all."""

    # -- messages -----------------------------------------------------------------------

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        """A passing message in the status bar."""
