"""The window on a store file and on a team store (the session's PostgreSQL server): every
view, its first rows selected with the keyboard (a letter's passages, an item's detail
and history), and the search, without an error dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import open_window, settle
from ui.main_window import VIEWS


@pytest.fixture
def dialogs(qtbot: QtBot) -> list[str]:
    """The text of every message box the window opens (each closed at once)."""
    seen: list[str] = []

    def close_boxes() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.done(0)

    timer = QTimer()
    timer.timeout.connect(close_boxes)
    timer.start(100)
    yield seen
    timer.stop()


def test_every_view_reads_its_rows_on_either_store(qtbot: QtBot, any_services: Services,
                                                   dialogs: list[str]) -> None:
    window = open_window(qtbot, any_services, view="letters", size=(1280, 720))
    for view in VIEWS:
        window.show_view(view)
        settle(qtbot)
        focused = QApplication.focusWidget() or window
        for _ in range(3):
            QTest.keyClick(focused, Qt.Key.Key_Down)
            settle(qtbot)
    assert dialogs == []
    assert window.statusBar().currentMessage() == ""


def test_the_search_finds_a_name_without_its_diacritics_on_either_store(
        qtbot: QtBot, any_services: Services, dialogs: list[str]) -> None:
    from ui.dialogs.search import SearchDialog

    window = open_window(qtbot, any_services, view="letters", size=(1280, 720))
    window.activateWindow()
    QApplication.processEvents()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, SearchDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    search = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, SearchDialog) and w.isVisible())
    search.activateWindow()
    search.edit.setFocus()
    QTest.keyClicks(search.edit, "Rakusan")
    qtbot.waitUntil(lambda: search.hits != [], timeout=10_000)
    # the dialog marks matched words with \x02 and \x03 (made bold when shown)
    assert [(hit.letter_id, hit.paragraph, hit.snippet, hit.match) for hit in search.hits] == [
        (4, 23, "Mr Vít \x02Rakušan\x03 1st Deputy Prime Minister and Minister of the Interior of "
         "the Czech Republic", "exact")]
    assert search.status.text() == "1 passage(s)"
    search.reject()
    assert dialogs == []
