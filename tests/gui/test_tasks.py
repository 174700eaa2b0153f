"""ui/tasks.py and ui/signals.py: background work whose results reach the GUI thread,
and signals emitted from Python, in long sessions."""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from briefing_app.errors import UserError
from tests.gui.conftest import settle
from ui.main_window import MainWindow
from ui.signals import TAKEN_PER_EMIT, emit
from ui.tasks import Op, running_ops
from ui.views.list_view import ListView


def test_results_errors_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, object, bool]] = []
    on_gui = threading.main_thread

    def record(kind: str) -> Callable[[object], None]:
        return lambda value: seen.append((kind, value, threading.current_thread() is on_gui()))

    def counting(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> int:
        for step in range(3):
            progress(step, 3, f"step {step}")
        return 42

    def refusing() -> None:
        raise UserError("the file is empty")

    class Reporting(Op[int]):
        def _on_progress(self, done: int, total: int, label: str) -> None:
            seen.append(("progress", f"{done}/{total} {label}",
                         threading.current_thread() is on_gui()))

    Reporting(parent=parent, work=counting, success=record("result")).run_in_background()
    Op(parent=parent, work=refusing, success=record("result")).failure(
        record("error")).run_in_background()
    qtbot.waitUntil(lambda: running_ops() == 0 and len(seen) == 5, timeout=10_000)
    # each op's reports arrive in the order made, then its result
    assert [(kind, str(value), gui) for kind, value, gui in seen if kind != "error"] == [
        ("progress", "0/3 step 0", True), ("progress", "1/3 step 1", True),
        ("progress", "2/3 step 2", True), ("result", "42", True)]
    assert [(kind, str(value), gui) for kind, value, gui in seen if kind == "error"] == [
        ("error", "the file is empty", True)]


def test_no_op_is_ever_freed_on_a_worker_thread(qtbot: QtBot) -> None:
    """Freeing an Op on a worker froze the app: PySide then disconnects its slots
    holding Qt's connection lock while waiting for the GIL, which the GUI thread
    holds while waiting for that lock (QLabel.setText connects). Every Op must
    die on the GUI thread, however the threads interleave."""
    parent = QWidget()
    qtbot.addWidget(parent)
    label = QLabel(parent)
    freed_on: list[str] = []
    delivered: list[int] = []

    def show(value: int) -> None:
        label.setText(f"<b>{value}</b>")  # rich text: makes a text control, connects
        delivered.append(value)

    for number in range(200):
        op = Op(parent=parent, work=lambda n=number: n, success=show)
        weakref.finalize(op, lambda: freed_on.append(threading.current_thread().name))
        op.run_in_background()
        del op
    qtbot.waitUntil(lambda: running_ops() == 0 and len(delivered) == 200, timeout=30_000)
    qtbot.wait(200)  # let the pool's threads drop their runnables
    gc.collect()
    assert sorted(delivered) == list(range(200))
    assert len(freed_on) == 200
    assert set(freed_on) == {threading.main_thread().name}


def test_emitting_from_python_does_not_use_up_true() -> None:
    """PySide6 6.12 takes a reference to True at every emit; ui.signals.emit gives it
    back (without it, the app aborts once True's references are used up)."""

    class Sender(QObject):
        changed = Signal(int, object)

    sender = Sender()
    received: list[int] = []
    sender.changed.connect(lambda number, _: received.append(number))
    emit(sender.changed, -1, "warm-up")  # PySide caches what a first emit needs
    before = sys.getrefcount(True)
    for number in range(5000):
        emit(sender.changed, number, "payload")
    after = sys.getrefcount(True)  # outside the assert: its rewriting holds a True
    assert after == before
    assert received == list(range(-1, 5000))
    # what the helper compensates is what this PySide6 really takes
    raw = sys.getrefcount(True)
    for _ in range(100):
        sender.changed.emit(0, None)
    taken = raw - sys.getrefcount(True)
    for _ in range(taken):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    assert taken == 100 * TAKEN_PER_EMIT


def test_a_long_session_keeps_true_alive(qtbot: QtBot, window: MainWindow) -> None:
    """Hundreds of view switches, filters, selections and searches, as in a day's
    work: True keeps its references (used up, they abort the app: 'bool_dealloc')."""
    before = sys.getrefcount(True)
    for _ in range(15):
        for key in ("letters", "action-points", "measures", "countries", "people", "packs"):
            view = window.show_view(key)
            settle(qtbot)
            assert isinstance(view, ListView)
            if view.model.rowCount() > 1:
                view.select(1)
            qtbot.keyClicks(view.filter_edit, "a")
            view.filter_edit.clear()
            settle(qtbot)
    dialog = window.search_dialog
    dialog.open_search()
    for word in ("Rakusan", "Frontex", "Tunisia", "returns", "Schengen") * 4:
        dialog.edit.clear()
        with qtbot.waitSignal(dialog.results_shown, timeout=15_000):
            qtbot.keyClicks(dialog.edit, word)
    dialog.close()
    settle(qtbot)
    after = sys.getrefcount(True)
    assert after >= before
