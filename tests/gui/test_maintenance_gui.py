"""Back up, restore and check the store from the app's menus."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from briefing_app.services import Services, open_services
from tests.gui.conftest import settle
from ui.main_window import MainWindow
from ui.operations.maintenance import backup_store, check_store, restore_store


def test_back_up_change_restore_and_check(qtbot: QtBot, window: MainWindow, services: Services,
                                          tmp_path: Path) -> None:
    target = tmp_path / "before-the-trip.sqlite3"
    backups: list[object] = []
    backup_store(window, window, target, done=backups.append)
    qtbot.waitUntil(lambda: bool(backups), timeout=30_000)
    copy = open_services(target, create=False)
    assert [x.source_name for x in copy.letters.list()][:2] == [
        "004_cf1bbf6e59ff8afe.txt", "000_cda2641d4a6d3011.txt"]
    copy.close()

    services.tracking.set_status("measures", 5, "done", note="after the backup")
    assert services.tracking.measure(5).status == "done"
    restored: list[object] = []
    restore_store(window, window, target, done=restored.append)
    qtbot.waitUntil(lambda: bool(restored), timeout=30_000)
    settle(qtbot)
    assert services.tracking.measure(5).status == "no evidence"
    assert [c.note for c in services.tracking.history("measures", 5)] == ["baseline"]
    measures = window.show_view("measures")
    settle(qtbot)
    assert next(r for r in measures.model.records() if r.number == 5).status == "no evidence"

    checks: list[object] = []
    check_store(window, window, done=checks.append)
    qtbot.waitUntil(lambda: bool(checks), timeout=30_000)
    result = checks[0]
    assert result.ok is True  # type: ignore[attr-defined]
    assert [c.name for c in result.checks] == [  # type: ignore[attr-defined]
        "integrity", "foreign-keys", "search-index", "citations"]
