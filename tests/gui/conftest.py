"""A main window on a real seeded store, and a way to wait for its background work."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from ui.app import application
from ui.main_window import MainWindow
from ui.tasks import running_ops, wait_for_writes

_windows: list[MainWindow] = []


def settle(qtbot: QtBot, timeout: int = 15_000) -> None:
    """Wait until every background op has delivered its result to the GUI thread
    and every window has applied the refreshes that writes asked for."""
    qtbot.waitUntil(lambda: running_ops() == 0
                    and not any(shiboken6.isValid(w) and w.refresh_pending() for w in _windows),
                    timeout=timeout)


def open_window(qtbot: QtBot, services: Services, *, view: str = "letters",
                size: tuple[int, int] = (1400, 900)) -> MainWindow:
    """A main window on ``services``, shown on ``view`` once its first data is in."""
    application()  # our style and fonts, as the real app has them
    main = MainWindow(services, remember=False)
    qtbot.addWidget(main)
    _windows.append(main)
    main.resize(*size)
    with qtbot.waitSignal(main.ready, timeout=15_000):
        main.show_view(view)
        main.show()
    settle(qtbot)
    return main


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    main = open_window(qtbot, services)
    yield main
    settle(qtbot)
    wait_for_writes()
    _windows.clear()
