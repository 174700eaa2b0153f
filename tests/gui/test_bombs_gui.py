"""Hostile attachments in the app: the import results and the table's error dialog show
the services' one-line refusals, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import settle
from tests.helpers import bombs
from tests.helpers.bombs import pages_pdf, stream
from ui.dialogs.import_results import ImportResultsDialog
from ui.main_window import MainWindow
from ui.operations.tables import preview_table


def test_refused_letters_are_listed_with_their_one_line_reasons(
        qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(bombs.repacked(bombs.word_document(), "word/document.xml", 2048))
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(pages_pdf([stream(bombs.zlib_zeros(1024), "/FlateDecode")]))
    locked = bombs.text_pdf(tmp_path / "locked.pdf", user_password="secret")
    before = len(services.letters.list())
    dialogs: list[ImportResultsDialog] = []
    window.import_files([bomb, pdf, locked], on_done=dialogs.append)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=60_000)
    settle(qtbot)
    assert dialogs[0].summary.text() == "3 failed"
    assert dialogs[0].rows() == [
        ("bomb.docx", "failed", f"{bomb}: refused: its content would inflate past 200 MB "
                                "(the limit for a letter)"),
        ("bomb.pdf", "failed", f"{pdf}: refused: a stream in it would inflate past 20 MB "
                               "(the limit for one stream of a letter)"),
        ("locked.pdf", "failed", f"{locked}: the PDF is protected by a password"),
    ]
    assert len(services.letters.list()) == before


def test_a_table_bomb_is_refused_in_the_warning_dialog(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "tracker.xlsx"
    table.write_bytes(bombs.repacked(bombs.workbook(), "xl/worksheets/sheet1.xml", 2048))
    warnings: list[str] = []

    def warning(parent: QWidget | None, title: str, text: str) -> None:
        warnings.append(text)

    monkeypatch.setattr(QMessageBox, "warning", warning)
    preview_table(window, window, "measures", table)
    qtbot.waitUntil(lambda: bool(warnings), timeout=60_000)
    settle(qtbot)
    assert warnings == [f"{table}: refused: its content would inflate past 100 MB "
                        "(the limit for a table)"]
