"""File ▸ Synchronise in a briefcase, and a conflict chosen in its side-by-side view, with
keys only, against a real PostgreSQL team store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from briefing_app.identity import acting_as
from briefing_app.services import Services
from briefing_app.services.team import checkout, synchronise
from briefing_app.store.engine import Store
from tests.gui.conftest import _windows, open_window, settle
from tests.helpers.postgres import PostgresServer
from tests.integration.test_briefcase import TODAY, _team_store
from ui.dialogs.conflict import ConflictDialog
from ui.tasks import wait_for_writes


def synchronise_by_keys(window: QWidget, *, then: Callable[[], None]) -> None:
    """File > Synchronise by its shortcut (Ctrl+Shift+Y), with ``then`` run once the
    event loop turns (it waits for the dialog the sync opens)."""
    QTimer.singleShot(50, then)
    window.activateWindow()
    QApplication.processEvents()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Y,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def briefcase(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[Services]:
    """Ben's briefcase; Anna changed measure 12 elsewhere and synchronised first."""
    team = _team_store(postgres_server.new_database())
    anna_path, ben_path = tmp_path / "anna.sqlite3", tmp_path / "ben.sqlite3"
    checkout(team, anna_path)
    checkout(team, ben_path)
    anna = Services(Store(anna_path, backup_dir=None), today=TODAY)
    with acting_as("anna"):
        anna.tracking.set_status("measure", 12, "delayed", owner="Desk South")
    synchronise(anna.store, team)
    anna.close()
    team.close()
    ben = Services(Store(ben_path, backup_dir=None), today=TODAY)
    with acting_as("ben"):
        ben.tracking.set_status("measure", 12, "done", note="Reported by Tunisia")
    yield ben
    ben.close()


def test_synchronise_shows_the_conflict_side_by_side_and_keeps_the_choice(
        qtbot: QtBot, briefcase: Services) -> None:
    window = open_window(qtbot, briefcase, view="measures", size=(1280, 720))
    seen: dict[str, object] = {}

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            QTimer.singleShot(50, choose)
            return
        seen["title"] = dialog.windowTitle()
        seen["boxes"] = [box.title() for box in dialog.findChildren(QGroupBox)]
        seen["labels"] = [label.text() for label in dialog.findChildren(QLabel)]
        dialog.activateWindow()
        QApplication.processEvents()
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_T,
                       Qt.KeyboardModifier.AltModifier)
        QTimer.singleShot(3000, dialog.reject)  # never left open if the key went astray

    synchronise_by_keys(window, then=choose)
    qtbot.waitUntil(lambda: "title" in seen, timeout=20_000)
    settle(qtbot)
    wait_for_writes()
    settle(qtbot)
    assert seen["title"] == "Measure 12: in conflict"
    assert seen["boxes"] == ["This store (briefcase 2)", "The other version (team store)"]
    labels = seen["labels"]
    assert isinstance(labels, list)
    for value in ("done", "Reported by Tunisia", "ben", "delayed", "Desk South", "anna"):
        assert value in labels
    assert briefcase.team.conflicts() == []
    [measure] = [m for m in briefcase.tracking.measures() if m.number == 12]
    assert (measure.status, measure.owner) == ("done", None)
    assert window.statusBar().currentMessage() == (
        "Measure 12: kept done (the other version stays in the history)")
    _windows.clear()


def test_synchronise_asks_for_the_team_stores_password_in_a_dialog(
        qtbot: QtBot, team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    """A briefcase of alice's checked out over TCP, where the server wants her password:
    File ▸ Synchronise asks for it (the sync itself runs off the GUI thread) and syncs."""
    from briefing_app.store.postgres import TeamStore
    from tests.helpers.team import EDITOR, PASSWORDS

    url = team_server.tcp_url(team_database, EDITOR)
    team = TeamStore(url, ask_password=lambda _who, _attempt: PASSWORDS[EDITOR])
    path = tmp_path / "alice.sqlite3"
    checkout(team, path)
    team.close()
    services = Services(Store(path, backup_dir=None), today=TODAY)
    with acting_as("alice"):
        services.tracking.set_status("measure", 3, "done", note="Closed in Rabat")
    window = open_window(qtbot, services, view="measures", size=(1280, 720))
    asked: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or isinstance(dialog, ConflictDialog):
            QTimer.singleShot(50, answer)
            return
        asked["labels"] = [label.text() for label in dialog.findChildren(QLabel)]
        dialog.activateWindow()
        QApplication.processEvents()
        QTest.keyClicks(QApplication.focusWidget() or dialog, PASSWORDS[EDITOR])
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)

    synchronise_by_keys(window, then=answer)
    qtbot.waitUntil(lambda: "labels" in asked, timeout=20_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Synchronised"),
                    timeout=30_000)
    wait_for_writes()
    settle(qtbot)
    labels = asked["labels"]
    assert isinstance(labels, list)
    assert any(f"{EDITOR}@127.0.0.1" in text for text in labels), labels
    assert window.statusBar().currentMessage() == (
        "Synchronised with the team store: sent 2, received 2")
    services.close()
    team = TeamStore(url, ask_password=lambda _who, _attempt: PASSWORDS[EDITOR])
    try:
        assert Services(team).tracking.measure(3).status == "done"
    finally:
        team.close()
