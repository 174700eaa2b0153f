"""A first start shows a progress window at once, creates the store off the GUI thread,
then shows the main window; a failure is a message and leaves no store behind."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

import briefing_app.services.new_store as new_store
from briefing_app import paths
from briefing_app.services import Services, open_services
from tests.gui.conftest import settle
from ui.app import Startup, build_window
from ui.tasks import wait_for_writes


@pytest.fixture
def startups() -> Iterator[list[Startup]]:
    """Startups made by a test; their windows and services are closed afterwards."""
    made: list[Startup] = []
    yield made
    for startup in made:
        if startup.window is not None:
            startup.window.close()
            startup.window.services.close()
            startup.window.deleteLater()
        if startup.progress_window is not None:
            startup.progress_window.close()
            startup.progress_window.deleteLater()
    wait_for_writes()


def _start(startups: list[Startup], path: Path) -> Startup:
    startup = Startup(path, view="letters", remember=False)
    startups.append(startup)
    startup.start()
    return startup


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_progress_window_comes_first_then_the_seeded_main_window(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        startups: list[Startup]) -> None:
    store = tmp_path / "data" / "briefing.sqlite3"
    release = threading.Event()
    entered = threading.Event()
    real = new_store.create_seeded_store

    def held_back(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(30)  # the seed does not load until the test says so
        return real(*args, **kwargs)

    monkeypatch.setattr(new_store, "create_seeded_store", held_back)
    try:
        startup = _start(startups, store)
        progress = startup.progress_window
        assert progress is not None
        qtbot.waitExposed(progress)
        qtbot.waitUntil(entered.is_set, timeout=5_000)  # the work runs off the GUI thread
        assert progress.isVisible() and progress.bar.isVisible()
        assert "Setting up Briefing App" in progress.heading.text()
        assert startup.window is None
        assert not store.exists()  # the seed has not loaded: no store yet
    finally:
        release.set()
    qtbot.waitUntil(lambda: startup.window is not None and startup.window.ready_sent,
                    timeout=60_000)
    window = startup.window
    assert window is not None
    assert window.isVisible()
    assert window.current_row_count() == 5
    titles = {letter.source_name for letter in window.services.letters.list()}
    assert "003_690175d95a8f5997.txt" in titles and len(titles) == 5
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=5_000)  # replaced
    assert "3 of 3" in progress.step_label.text()  # every step was reported
    assert startup.failure is None
    assert store.is_file()
    assert _leftovers(store.parent) == []  # nothing half-made beside the store
    settle(qtbot)


def _broken_seed(tmp_path: Path) -> Path:
    """The bundled seed with one indicator quoting words that are in no letter."""
    folder = tmp_path / "seed"
    shutil.copytree(paths.seed_dir(), folder)
    indicators = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
    indicators[-1]["quote"] = "words that no letter contains"
    (folder / "indicators.json").write_text(json.dumps(indicators), encoding="utf-8")
    return folder


def test_a_failing_first_start_shows_why_and_leaves_no_store(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        startups: list[Startup]) -> None:
    broken = _broken_seed(tmp_path)
    store = tmp_path / "data" / "briefing.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr(paths, "seed_dir", lambda: broken)
        startup = _start(startups, store)
        qtbot.waitUntil(lambda: startup.failure is not None, timeout=60_000)
    progress = startup.progress_window
    assert progress is not None and progress.isVisible()
    assert startup.window is None
    assert "could not start" in progress.heading.text()
    assert "quote not found" in progress.message.text()
    assert "words that no letter contains" in progress.message.text()
    assert "next start will try again" in progress.step_label.text()
    assert not progress.bar.isVisible() and progress.buttons.isVisible()
    # the letters were in the transaction when it failed: none of it is kept
    assert not store.exists()
    assert _leftovers(store.parent) == []

    quit_button = progress.buttons.buttons()[0]
    assert quit_button.text() == "&Quit"
    quit_button.click()
    assert not progress.isVisible()

    # the next start is a first start again, and with a sound seed it succeeds
    services = new_store.create_seeded_store(store)
    try:
        assert len(services.letters.list()) == 5
    finally:
        services.close()
    reopened = open_services(store, create=False)
    try:
        assert len(reopened.tracking.measures()) == 15
    finally:
        reopened.close()


def test_the_orm_warm_up_waits_for_the_first_frame(qtbot: QtBot, seeded_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the ORM in the background while the rows are painted would slow the
    first frame down (both need the interpreter lock): it starts after that frame."""
    events: list[str] = []
    monkeypatch.setattr(Services, "warm_up", lambda self: events.append("warm-up"))
    _app, window = build_window(seeded_path, view="letters", remember=False)
    qtbot.addWidget(window)
    viewport = window.current_view().table.viewport()

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.ready_sent:
                events.append("paint")
            return False

    paints = Paints()
    viewport.installEventFilter(paints)
    window.show()
    qtbot.waitUntil(lambda: "warm-up" in events, timeout=15_000)
    viewport.removeEventFilter(paints)
    assert "paint" in events and events.index("paint") < events.index("warm-up")
    assert events.count("warm-up") == 1
    settle(qtbot)
    window.close()
    window.services.close()
