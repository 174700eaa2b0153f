"""Entry script of the frozen app (PyInstaller), shared by its executables.

``briefing-app`` is the command line (``--version``, ``init``, ``pack build``…)
and, with no arguments, opens the desktop app, exactly as
``briefing_app.cli:main``. On Windows the bundle also has ``BriefingApp.exe``,
built without a console: it runs ``briefing_app.cli:gui_main``. The same
executables are the worker processes that lay packs out
(:mod:`briefing_app.reporting.workers`), through ``freeze_support``.
"""

import multiprocessing
import os
import sys
from pathlib import Path


def _run() -> int:
    # A windowed executable (no console) has no stdout/stderr: send anything
    # printed (argparse's help, a one-line error) nowhere instead of failing.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    from briefing_app.cli import gui_main, main

    if Path(sys.executable).stem == "BriefingApp":
        return gui_main()
    return main()


if __name__ == "__main__":
    # a worker process of the pack layout (spawned, running this same executable)
    # starts here and never reaches the app
    multiprocessing.freeze_support()
    sys.exit(_run())
