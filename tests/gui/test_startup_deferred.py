"""What the desktop app leaves until its window is on screen: the pack composer (made
when its view is first shown), the first letter's typesetting, and the day's backup
(made in the background after the first frame, stopped safely when the window closes)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from briefing_app import paths
from briefing_app.services import Services
from briefing_app.store.backup import automatic_backups
from tests.gui.conftest import settle
from tests.helpers.cli import REPO
from tests.helpers.store import sql_dump
from ui.app import build_window
from ui.main_window import MainWindow
from ui.operations.maintenance import DailyBackup
from ui.tasks import wait_for_writes
from ui.views.composer import PackComposer
from ui.views.meetings import MeetingsView


class PaintLog(QObject):
    """Calls ``note()`` at every paint of ``widget`` once the window's rows are in."""

    def __init__(self, window: MainWindow, widget: QWidget, note: Callable[[], None]) -> None:
        super().__init__()
        self._window, self._widget, self._note = window, widget, note
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._widget \
                and self._window.ready_sent:
            self._note()
        return False

    def stop(self) -> None:
        self._widget.removeEventFilter(self)


@pytest.fixture
def app_window(qtbot: QtBot, seeded_path: Path) -> Iterator[MainWindow]:
    """The main window as the desktop app builds it (ui/app.py), on the letters, not shown."""
    _app, window = build_window(seeded_path, view="letters", remember=False)
    qtbot.addWidget(window)
    yield window
    settle(qtbot)
    window.close()
    wait_for_writes()
    window.services.close()


def daily_backup_of(window: MainWindow) -> DailyBackup | None:
    return window.findChild(DailyBackup)


# -- the pack composer ------------------------------------------------------------------


def test_the_window_does_not_import_the_pack_composer() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, ui.main_window; print(sorted(m for m in "
         "sys.modules if m == 'ui.views.composer' or m.startswith('briefing_app.reporting')))"],
        capture_output=True, text=True, cwd=REPO, check=True, timeout=120)
    assert loaded.stdout == "[]\n"


def test_the_composer_is_made_when_the_packs_view_is_first_shown(qtbot: QtBot,
                                                                 window: MainWindow) -> None:
    view = window.views["packs"]
    assert isinstance(view, MeetingsView)
    assert not isinstance(view.tabs.widget(1), PackComposer)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Meetings", "Compose a pack"]
    assert window.show_view("packs") is view
    settle(qtbot)
    composer = view.tabs.widget(1)
    assert isinstance(composer, PackComposer)
    assert view.composer is composer
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Meetings", "Compose a pack"]
    assert view.tabs.currentIndex() == 0
    assert view.current_record().id == 1
    assert composer.meeting is not None and composer.meeting.id == 1
    assert composer.note_for.count() == 1 + len(composer.meeting.agenda)


def test_the_composer_asked_for_first_takes_its_tab_and_the_meeting(qtbot: QtBot,
                                                                   window: MainWindow) -> None:
    view = window.views["packs"]
    assert isinstance(view, MeetingsView)
    composer = view.composer  # before the view was ever shown (File ▸ Build the pack…)
    assert view.tabs.widget(1) is composer and view.tabs.count() == 2
    assert composer.meeting is None
    window.compose_pack()  # Ctrl+Shift+P
    settle(qtbot)
    assert view.composer is composer
    assert view.tabs.currentWidget() is composer
    assert composer.meeting is not None and composer.meeting.id == 1


# -- the first letter -------------------------------------------------------------------


def test_the_first_letter_is_typeset_after_the_first_frame(qtbot: QtBot,
                                                          app_window: MainWindow) -> None:
    window = app_window
    letters = window.letters_view
    assert letters.reader_held
    events: list[str] = []
    rows = PaintLog(window, letters.table.viewport(), lambda: events.append("rows painted"))
    letters.reader_ready.connect(lambda letter_id: events.append(f"letter {letter_id}"))
    window.show()
    qtbot.waitUntil(lambda: letters.reader.content is not None, timeout=15_000)
    rows.stop()
    first = letters.current_record()
    assert first is not None
    assert f"letter {first.id}" in events
    assert events.index("rows painted") < events.index(f"letter {first.id}")
    assert not letters.reader_held
    detail = window.services.letters.get(first.id)
    assert letters.reader.title.text() == detail.title
    assert letters.reader.content.letter.id == first.id


def test_a_window_made_by_hand_shows_its_letter_at_once(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    # MainWindow without the composition root holds nothing back (the tests' window)
    letters = window.letters_view
    assert not letters.reader_held
    qtbot.waitUntil(lambda: letters.reader.content is not None, timeout=15_000)
    assert letters.reader.content.letter.id == letters.current_record().id


# -- the day's backup -------------------------------------------------------------------


def test_the_days_backup_is_made_after_the_first_frame(qtbot: QtBot, seeded_path: Path,
                                                      app_window: MainWindow) -> None:
    window = app_window
    folder = paths.backups_dir()
    assert automatic_backups(folder, seeded_path) == []  # not while the store opened
    assert window.services.store.daily_backup_due
    assert daily_backup_of(window) is None
    at_first_paint: list[int] = []
    rows = PaintLog(window, window.letters_view.table.viewport(),
                    lambda: at_first_paint.append(len(automatic_backups(folder, seeded_path))))
    window.show()
    qtbot.waitUntil(lambda: daily_backup_of(window) is not None, timeout=15_000)
    backup = daily_backup_of(window)
    assert backup is not None
    qtbot.waitUntil(lambda: backup.delivered, timeout=30_000)
    rows.stop()
    assert at_first_paint[0] == 0
    made = automatic_backups(folder, seeded_path)
    assert made == [backup.made]
    assert made[0].name.endswith("-daily.sqlite3")
    assert sql_dump(made[0]) == sql_dump(seeded_path)
    assert not window.services.store.daily_backup_due


def _held_backup(monkeypatch: pytest.MonkeyPatch,
                 until: Callable[[Callable[[], bool]], bool]) -> threading.Event:
    """Make the day's backup wait in its worker until ``until(cancelled)`` (or 20 s),
    then run for real; returns the event set once the worker is in it."""
    real = Services.daily_backup
    entered = threading.Event()

    def held(self: Services, cancelled: Callable[[], bool] | None = None) -> Path | None:
        assert cancelled is not None
        entered.set()
        deadline = time.monotonic() + 20
        while not until(cancelled) and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(self, cancelled)

    monkeypatch.setattr(Services, "daily_backup", held)
    return entered


def test_closing_the_window_stops_the_backup_and_leaves_no_file(
        qtbot: QtBot, seeded_path: Path, app_window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    entered = _held_backup(monkeypatch, until=lambda cancelled: cancelled())
    window = app_window
    window.show()
    qtbot.waitUntil(entered.is_set, timeout=15_000)
    backup = daily_backup_of(window)
    assert backup is not None and not backup.finished.is_set()
    window.close()  # no change queued behind the backup: it stops, and the close waits
    assert not window.isVisible()
    assert backup.finished.is_set()
    folder = paths.backups_dir()
    assert automatic_backups(folder, seeded_path) == []
    assert sorted(p.name for p in folder.iterdir()) == []  # no partial file
    assert window.services.store.daily_backup_due  # the next open makes it
    settle(qtbot)
    assert backup.delivered and backup.made is None


def test_a_change_queued_behind_the_backup_lets_it_finish(
        qtbot: QtBot, seeded_path: Path, app_window: MainWindow,
        monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    entered = _held_backup(monkeypatch, until=lambda _cancelled: release.is_set())
    window = app_window
    window.show()
    qtbot.waitUntil(entered.is_set, timeout=15_000)
    backup = daily_backup_of(window)
    assert backup is not None
    written: list[str] = []
    window.run_write(lambda: "written", success=written.append, kinds=())
    # the change reaches the store after the day's backup, never without it
    assert not backup.stop_unless_writes_follow()
    release.set()
    qtbot.waitUntil(lambda: written == ["written"] and backup.delivered, timeout=30_000)
    made = automatic_backups(paths.backups_dir(), seeded_path)
    assert made == [backup.made]
    assert made[0].name.endswith("-daily.sqlite3")


def test_a_backup_that_breaks_is_logged_not_shown(
        qtbot: QtBot, seeded_path: Path, app_window: MainWindow,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: Services, cancelled: Callable[[], bool] | None = None) -> Path | None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(Services, "daily_backup", broken)
    window = app_window
    with caplog.at_level("ERROR", logger="ui.operations.maintenance"):
        window.show()
        qtbot.waitUntil(lambda: daily_backup_of(window) is not None, timeout=15_000)
        backup = daily_backup_of(window)
        assert backup is not None
        qtbot.waitUntil(lambda: backup.delivered, timeout=15_000)
    assert [r.getMessage().splitlines()[0] for r in caplog.records] == ["daily backup failed:"]
    assert "RuntimeError: the disk went away" in caplog.records[0].getMessage()
    assert backup.made is None
    assert automatic_backups(paths.backups_dir(), seeded_path) == []
