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
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from briefing_app.errors import UserError

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Ops still running, kept alive until their result is delivered.
_running: set[Op[Any]] = set()


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, call: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._call = call
        self._signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._deliver(self._signals.failed, exc)
        else:
            self._deliver(self._signals.finished, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
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
        self._signals = _Signals()

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
        signals = self._signals
        cancelled = self._cancel.is_set

        def progress(done: int, total: int, label: str) -> None:
            signals.progressed.emit(done, total, label)

        def call() -> T:
            return self._work(progress, cancelled) if wants_callbacks else self._work()

        signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        if self._label:
            self._dialog = QProgressDialog(self._label, "Cancel", 0, 0, self._parent)
            self._dialog.setWindowTitle("Briefing App")
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(400)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.canceled.connect(self.cancel)
        _running.add(self)
        pool = write_pool() if self._writes else QThreadPool.globalInstance()
        pool.start(_Runnable(call, signals))
        return self

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 1))
            self._dialog.setValue(done)
            if label:
                self._dialog.setLabelText(f"{self._label}\n{label}")

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
        # let queued signals drain before the Op can be collected
        QTimer.singleShot(0, lambda: _running.discard(self))

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
