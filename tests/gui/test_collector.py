"""The garbage collector runs on the window's thread only (ui/collector.py)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from ui.app import application
from ui.collector import Collector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_and_the_window_thread_collects(qtbot: QtBot) -> None:
    app = application()
    assert not gc.isenabled()
    [collector] = app.findChildren(Collector)
    assert collector.timer.isActive()
    collected_on: list[str] = []

    class Tracked(_Cycle):
        def __del__(self) -> None:
            collected_on.append(threading.current_thread().name)

    def make_garbage() -> None:
        for _ in range(5_000):  # far past the youngest generation's threshold
            Tracked()

    worker = threading.Thread(target=make_garbage, name="worker")
    worker.start()
    worker.join()
    assert collected_on == []  # nothing collected in the worker, though it made cycles
    qtbot.waitUntil(lambda: len(collected_on) == 5_000, timeout=5_000)
    assert set(collected_on) == {threading.main_thread().name}
