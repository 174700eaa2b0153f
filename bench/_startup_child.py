"""The process bench/startup.py times: open the main window, report when it is ready.

    python bench/_startup_child.py --db STORE

Prints one line on stdout, ``ready <rows> <rss_kb>``, as soon as the main
window's first view shows its rows (the window's ``ready`` signal), then quits.
``rows`` is the number of rows the view shows, ``rss_kb`` the resident memory
of this process at that moment (VmRSS; 0 where /proc is not available).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--view", default="letters")
    parser.add_argument("--size", default="1400x900", help="WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))

    from ui.app import build_window

    app, window = build_window(args.db, view=args.view, size=(width, height))
    reported = False

    def on_ready() -> None:
        nonlocal reported
        if reported:
            return
        reported = True
        print(f"ready {window.current_row_count()} {rss_kb()}", flush=True)
        app.quit()

    window.ready.connect(on_ready)
    window.show()
    app.exec()
    return 0 if reported else 1


if __name__ == "__main__":
    sys.exit(main())
