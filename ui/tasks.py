"""The one background-task helper: work off the GUI thread, results back on it.

After Anki's ``QueryOp``/``CollectionOp``::

    Op(parent=self, work=lambda: services.letters.list(),
       success=self._show_letters).run_in_background()

    Op(parent=self, work=lambda progress, cancelled: services.letters.import_files(
           paths, progress=progress, cancelled=cancelled),
       success=self._show_results).with_progress("Importing letters…").run_in_background()

``work`` runs in ``QThreadPool.globalInstance()`` (writes, with ``writes=True``,
in a one-thread pool so they reach the store in order) and must not touch widgets.
If it takes two parameters it is given a ``progress(done, total, label)``
callback and a ``cancelled()`` predicate. ``success`` runs on the GUI thread;
a :class:`~briefing_app.errors.UserError` goes to ``failure`` (default: a
message box with its one-line message), any other exception is a bug: it is
logged with its traceback and shown as "internal error".
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from briefing_app.errors import UserError
from ui.signals import emit

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Ops still running, by id, kept alive (on the GUI thread) until their result
#: is delivered.
_running: dict[int, Op[Any]] = {}
_ids = itertools.count(1)


class _Relay(QObject):
    """The one sender of every result, error and progress report, by Op id.

    Created on the GUI thread and never deleted. Workers hold no reference to
    an Op or to any per-Op QObject, so nothing of an Op is ever freed on a
    worker thread: freeing there an object that PySide has connected (an Op's
    bound method) makes PySide disconnect while holding Qt's connection lock,
    and then wait for the GIL that the GUI thread holds while it waits for
    that lock: the app freezes (seen as a hang in the GUI tests)."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        _relay.finished.connect(_deliver_finished, Qt.ConnectionType.QueuedConnection)
        _relay.failed.connect(_deliver_failed, Qt.ConnectionType.QueuedConnection)
        _relay.progressed.connect(_deliver_progress, Qt.ConnectionType.QueuedConnection)
    return _relay


def _deliver_finished(op_id: int, result: object) -> None:
    op = _running.pop(op_id, None)
    if op is not None:
        op._on_finished(result)


def _deliver_failed(op_id: int, exc: BaseException) -> None:
    op = _running.pop(op_id, None)
    if op is not None:
        op._on_failed(exc)


def _deliver_progress(op_id: int, done: int, total: int, label: str) -> None:
    op = _running.get(op_id)
    if op is not None:
        op._on_progress(done, total, label)


class _Runnable(QRunnable):
    def __init__(self, op_id: int, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._id = op_id
        self._call: Callable[[], Any] | None = call
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        # Drop the work before reporting: the Op (on the GUI thread) still holds
        # what the work refers to, so nothing but plain data is freed here.
        call, self._call = self._call, None
        assert call is not None
        try:
            result = call()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            del call
            self._deliver(self._relay.failed, exc)
        else:
            del call
            self._deliver(self._relay.finished, result)

    def _deliver(self, signal: Any, value: object) -> None:
        try:
            emit(signal, self._id, value)
        except RuntimeError:
            # the app is quitting and the receiver is gone: nobody is left to tell
            log.info("result of a background op dropped at shutdown")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The standard error dialog: a person's problem in one line, or a bug report."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "Briefing App", exc.message)
        return
    log.error("internal error:\n%s", "".join(traceback.format_exception(exc)))
    QMessageBox.critical(
        parent, "Briefing App",
        f"Something went wrong inside Briefing App ({type(exc).__name__}: {exc}).\n"
        "Nothing was saved by the action that failed. The details were written to the log.",
    )


class Op(Generic[T]):
    """Run ``work`` off the GUI thread, then ``success(result)`` on it."""

    def __init__(self, *, parent: QWidget, work: Callable[..., T],
                 success: Callable[[T], None], writes: bool = False) -> None:
        self._parent = parent
        self._writes = writes
        self._work = work
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancel = threading.Event()
        self._dialog: QProgressDialog | None = None
        self._id = next(_ids)

    def with_progress(self, label: str) -> Op[T]:
        """Show a progress dialog with Cancel while the work runs (after a short delay)."""
        self._label = label
        return self

    def failure(self, handler: Callable[[BaseException], None]) -> Op[T]:
        self._failure = handler
        return self

    def finally_(self, handler: Callable[[], None]) -> Op[T]:
        """Run on the GUI thread after success or failure."""
        self._finally = handler
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run_in_background(self) -> Op[T]:
        wants_callbacks = len(inspect.signature(self._work).parameters) >= 2
        relay = _the_relay()
        op_id = self._id
        work = self._work
        cancelled = self._cancel.is_set

        def progress(done: int, total: int, label: str) -> None:
            emit(relay.progressed, op_id, done, total, label)

        def call() -> T:  # refers to no Op and no widget of its own (see _Relay)
            return work(progress, cancelled) if wants_callbacks else work()

        if self._label:
            self._dialog = QProgressDialog(self._label, "Cancel", 0, 0, self._parent)
            self._dialog.setWindowTitle("Briefing App")
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(400)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.canceled.connect(self.cancel)
        _running[op_id] = self
        pool = write_pool() if self._writes else QThreadPool.globalInstance()
        pool.start(_Runnable(op_id, call, relay))
        return self

    def _on_progress(self, done: int, total: int, label: str) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        # a modal progress dialog processes events in setValue(): the op's result
        # may arrive there and close the dialog, so look again before going on
        dialog.setValue(done)
        if label and self._dialog is dialog:
            dialog.setLabelText(f"{self._label}\n{label}")

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None

    def _parent_alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _on_finished(self, result: T) -> None:
        self._close()
        if not self._parent_alive():
            return  # the window that asked is gone; nothing to show the result in
        try:
            self._success(result)
        finally:
            if self._finally:
                self._finally()

    def _on_failed(self, exc: BaseException) -> None:
        self._close()
        if not self._parent_alive():
            log.error("failure after its window closed: %r", exc)
            return
        try:
            if self._failure is not None:
                self._failure(exc)
            else:
                show_error(self._parent, exc)
        finally:
            if self._finally:
                self._finally()


_write_pool: QThreadPool | None = None


def write_pool() -> QThreadPool:
    """One thread for every write: user actions reach the store in the order made."""
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


def wait_for_writes(msecs: int = 30_000) -> bool:
    """Block until queued writes are done (on quit, so no confirmed action is lost)."""
    return write_pool().waitForDone(msecs) if _write_pool is not None else True


def running_ops() -> int:
    """How many Ops have not delivered their result yet (tests wait on this)."""
    return len(_running)


def running_writes() -> int:
    """How many Ops of the write queue have not delivered their result yet."""
    return sum(1 for op in _running.values() if op._writes)
