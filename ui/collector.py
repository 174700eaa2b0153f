"""Python's garbage collector, run on the window's thread only.

The collector runs in whichever thread happens to allocate when its
thresholds are crossed: a background operation (:mod:`ui.tasks`) can then
collect a cycle holding Qt widgets made on the window's thread, and a widget
destroyed from another thread crashes the process. So automatic collection is
switched off and the window's thread collects instead, on a timer, whenever
the counts say automatic collection would have (the approach Anki's desktop
app takes for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the window's thread looks at the collector's counts.
INTERVAL_MS = 1_000


class Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()

    def collect_if_due(self) -> int:
        """Collect the generations whose counts passed their thresholds, oldest first;
        returns how many objects were freed."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                return gc.collect(generation)
        return 0


def install(app: QObject) -> Collector:
    """Collect on ``app``'s thread from now on (once per application)."""
    existing = app.findChild(Collector)
    return existing if isinstance(existing, Collector) else Collector(app)
