"""Emit Qt signals from Python without losing references to ``True``.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a
reference to it, so every emit made from Python takes one reference from
``True`` for good (measured: 1,000 emits, 1,000 references gone). On CPython
3.11 ``True`` is an ordinary object: with its window up the app holds about
10,000 references to it, and once they are used up the interpreter aborts
with "Fatal Python error: bool_dealloc". Each search, selection, view switch
or background task emits a few signals, so a long working day could end in
that crash. :func:`emit` gives the reference back, when, and only when, the
running PySide6 is found to take it (checked once, on a probe signal, at
import).

Every signal the front end emits goes through :func:`emit`; a test fails on a
bare ``.emit(`` in ``ui/``.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBES = 16


class _Probe(QObject):
    ping = Signal()


def _references_taken_per_emit() -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    taken = before - sys.getrefcount(True)
    _give_back(max(taken, 0))
    return 1 if taken >= _PROBES else 0


def _c_incref() -> Callable[[object], None] | None:
    try:
        function = ctypes.pythonapi.Py_IncRef
    except (AttributeError, OSError):  # no C API through ctypes: hold the references here
        return None
    function.argtypes = [ctypes.py_object]
    function.restype = None
    return function


_incref = _c_incref()
_held: list[bool] = []


def _give_back(count: int) -> None:
    for _ in range(count):
        if _incref is not None:
            _incref(True)
        else:
            _held.append(True)


#: 1 when this PySide6 takes a reference to True at each emit (6.12.0 does), else 0.
TAKEN_PER_EMIT = _references_taken_per_emit()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, giving back what PySide6 takes from ``True``."""
    if signal.emit(*args) is True and TAKEN_PER_EMIT:
        _give_back(TAKEN_PER_EMIT)
