"""Letters in: File ▸ Import letters… and files dropped on the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from briefing_app.corpus.decode import LETTER_SUFFIXES
from briefing_app.read_models import ImportResult
from ui.tasks import Op

if TYPE_CHECKING:
    from ui.shell import Shell


def ask_letter_files(parent: QWidget) -> list[Path]:
    """The files the user picks to import (none when cancelled)."""
    patterns = " ".join(f"*{s}" for s in LETTER_SUFFIXES)
    files, _ = QFileDialog.getOpenFileNames(parent, "Import letters", str(Path.home()),
                                            f"Letters ({patterns});;All files (*)")
    return [Path(f) for f in files]


def import_letters(parent: QWidget, shell: Shell, paths: list[Path],
                   done: Callable[[list[ImportResult]], None]) -> Op[list[ImportResult]]:
    """Import off the GUI thread, one file after another, with progress and Cancel."""
    letters = shell.services.letters

    def work(progress: Callable[[int, int, str], None],
             cancelled: Callable[[], bool]) -> list[ImportResult]:
        return letters.import_files(paths, progress=progress, cancelled=cancelled)

    return Op(parent=parent, work=work, success=done, writes=True).with_progress(
        "Importing letters…").run_in_background()
