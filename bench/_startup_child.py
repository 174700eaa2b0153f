"""The process bench/startup.py times: start the desktop app, report when it is on screen.

    python bench/_startup_child.py --db STORE

Starts the app as ``briefing-app gui`` does (its command line read, then
:class:`ui.app.Startup`): on an
existing store the main window; with no store at STORE, a first start (the
progress window, then the main window once the store is made). Prints on
stdout, as each happens:

* ``progress <rss_kb>``: the first-start window is on screen;
* ``ready <rows> <rss_kb>``: the main window's first view has its rows (the
  window's ``ready`` signal);
* ``shown <rows> <rss_kb>``: the main window is on screen showing those rows;
* ``failed <message>``: the first start failed (exit code 1).

"On screen" means: the widget that shows the content (the view's table once
its rows are in, or the progress window itself) has painted while its window
is exposed (under xcb: X has sent Expose, which it does only once the window
is mapped and viewable), and the X server has processed that paint (a
one-pixel grab of the window right after the paint is a round trip to the
server, answered only after every earlier request). The child quits after
``shown`` (once background work has finished, so the process exits cleanly).
``rows`` is the number of rows the view shows, ``rss_kb`` the resident memory
of this process (VmRSS; 0 where /proc is not available).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))


def rss_kb() -> int:
    """Resident memory of this process in KiB (Linux), or 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def say(line: str) -> None:
    print(line, flush=True)


def when_on_screen(content: QWidget, done: Callable[[], None]) -> Any:
    """Call ``done()`` once ``content`` has painted while its window is exposed, the
    paint has been flushed and the display server has answered a request made
    after it. Returns the watcher (keep a reference).

    It is installed only when there is something to see (the rows are in):
    a filter in Python costs the GUI thread the interpreter lock on every event
    it sees, so it watches one widget and only until done.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.fired = False
            content.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is content and not self.fired:
                handle = content.window().windowHandle()
                if handle is not None and handle.isExposed():
                    self.fired = True
                    QTimer.singleShot(0, self.finish)  # after the paint is flushed
            return False

        def finish(self) -> None:
            content.removeEventFilter(self)
            window = content.window()
            # a one-pixel grab is a round trip: the server has processed the paint
            window.screen().grabWindow(window.winId(), 0, 0, 1, 1)
            done()

    return Watcher()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--view", default="letters")
    parser.add_argument("--size", default="1400x900", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))

    # what `briefing-app gui` does before the window: read its command line
    from briefing_app.cli import build_parser

    build_parser(("gui",)).parse_args(["gui", "--db", str(args.db), "--view", args.view])
    from ui.app import Startup

    watchers: list[Any] = []
    state = {"ready": False, "shown": False, "failed": False}

    def progress_window(window: Any) -> None:
        watchers.append(when_on_screen(window, lambda: say(f"progress {rss_kb()}")))

    def main_window(window: Any) -> None:
        def ready() -> None:
            if state["ready"]:
                return
            state["ready"] = True
            say(f"ready {window.current_row_count()} {rss_kb()}")
            # the rows are in: the next paint of the table shows them
            watchers.append(when_on_screen(window.current_view().table.viewport(), shown))

        def shown() -> None:
            state["shown"] = True
            say(f"shown {window.current_row_count()} {rss_kb()}")
            quit_when_idle()

        window.ready.connect(ready)
        if window.ready_sent:
            ready()

    def failed(message: str) -> None:
        state["failed"] = True
        say("failed " + " ".join(message.split()))
        startup.app.quit()

    def quit_when_idle() -> None:
        from PySide6.QtCore import QTimer

        from ui.tasks import running_ops

        if running_ops() == 0:
            startup.app.quit()
        else:  # let background work (the ORM warm-up) finish: a clean exit
            QTimer.singleShot(20, quit_when_idle)

    startup = Startup(args.db, view=args.view, size=(width, height),
                      on_progress_window=progress_window, on_main_window=main_window,
                      on_failure=failed)
    startup.start()
    startup.app.exec()
    return 0 if state["shown"] and not state["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
