"""How long the GUI thread is ever blocked while the app imports, searches and writes.

A 5 ms heartbeat timer runs on the GUI thread; the longest gap between two
beats is the longest time the window could not repaint or take a key press.
Three workloads run through the real window, as a person would trigger them:

* search as you type: 30 queries typed into the Ctrl+K dialog;
* import: 40 letter files through File > Import (the background worker);
* status changes: 20 changes recorded from a detail pane, each undone.

Usage::

    .venv/bin/python bench/gui_responsiveness.py --db /tmp/bench/seed.sqlite3

Target: no gap over ~100 ms. The store is copied first; the original is untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

from ui.app import build_window
from ui.tasks import running_ops
from ui.widgets.detail import StatusEdit

SEED = Path(__file__).resolve().parents[1] / "db" / "seed"
QUERIES = ["migration", "Rakusan", "return hubs", "Tunisia", "Frontex", "Schengen",
           "visa", "smuggling", "Türkiye", "Western Balkans", "solidarity", "Pact",
           "readmission", "Lebanon", "asylum", "border", "Mauritania", "Europol",
           "hybrid", "Ukraine", "\"unbalanced", "AND OR *", "registration", "Dublin",
           "talent", "EUR", "Karner", "Bilotaite", "operational", "Libya"]


class Heartbeat:
    """Records the gaps between beats of a timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self.timer.start()

    def _beat(self) -> None:
        self.gaps.append(self.clock.restart())

    def stop(self) -> tuple[float, float]:
        self.timer.stop()
        return max(self.gaps, default=0.0), statistics.median(self.gaps or [0.0])


def wait_until(predicate: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the workload did not finish")
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-responsiveness-"))
    store = work / "store.sqlite3"
    shutil.copyfile(args.db, store)
    app, window = build_window(store, view="letters", remember=False)
    window.show()
    wait_until(lambda: window.ready_sent and running_ops() == 0)
    beat = Heartbeat()
    results: list[tuple[str, float, float]] = []

    # search as you type
    dialog = window.search_dialog
    dialog.open_search()
    beat.start()
    for query in QUERIES:
        dialog.edit.setText(query)
        wait_until(lambda: running_ops() == 0 and not dialog._timer.isActive())
    results.append(("search as you type (30 queries)", *beat.stop()))
    dialog.hide()

    # import through the background worker
    letters = []
    for number in range(40):
        source = sorted(SEED.glob("*.txt"))[number % 5]
        target = work / f"letter-{number:02d}.txt"
        target.write_text(source.read_text(encoding="utf-8") + f"\n\nCopy {number}.\n",
                          encoding="utf-8")
        letters.append(target)
    done: list[object] = []
    beat.start()
    window.import_files(letters, on_done=done.append)
    wait_until(lambda: bool(done) and running_ops() == 0)
    results.append(("import of 40 letters", *beat.stop()))

    # status changes and undo
    window.show_view("measures")
    wait_until(lambda: running_ops() == 0)
    beat.start()
    writes: list[int] = []
    window.write_done.connect(lambda: writes.append(1))
    for number in range(20):
        status = "in progress" if number % 2 == 0 else "delayed"
        window.request_status_change(StatusEdit("measures", str(1 + number % 15), status,
                                                None, None, f"bench {number}"))
        wait_until(lambda wanted=number + 1: len(writes) >= wanted and running_ops() == 0)
    for _ in range(20):
        window.undo_stack.undo()
    wait_until(lambda: running_ops() == 0)
    results.append(("20 status changes + 20 undos", *beat.stop()))

    print(f"GUI thread responsiveness ({sys.platform}, store: {args.db})")
    for label, longest, median in results:
        verdict = "ok" if longest <= 100 else "OVER 100 ms"
        print(f"  {label:34} longest gap {longest:6.0f} ms   median {median:4.0f} ms   "
              f"{verdict}")
    window.close()
    app.quit()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
