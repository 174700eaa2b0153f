"""The README's screenshots, taken as a person sees the app: under a real X server
(Xvfb, the xcb platform) at 1280×720, moved from view to view with keys only.

    .venv/bin/python -m tests.helpers.screenshots resources/docs/screenshots

It runs the app on a fresh store in a temporary folder (a first start loads the
bundled letters), so the pictures show exactly what a new user gets.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.desktop import Person, app_environment, running_app
from tests.helpers.xvfb import stop_on_sigterm, xvfb

#: (file name, the keys that lead there from the previous picture)
TOUR: list[tuple[str, list[str]]] = [
    ("letters", ["ctrl+1"]),
    ("action-points", ["ctrl+2"]),
    ("measures", ["ctrl+3"]),
    ("timeline", ["ctrl+f", "ctrl+Tab"]),
    ("countries", ["ctrl+4"]),
    ("matrix", ["ctrl+f", "ctrl+Tab", "ctrl+Tab"]),
    ("people", ["ctrl+5"]),
    ("packs", ["ctrl+6"]),
    ("composer", ["ctrl+shift+p"]),
]


def take(out: Path, width: int = 1280, height: int = 720) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with stop_on_sigterm(), xvfb(width=width, height=height) as server, \
            tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        env = app_environment(server, home)
        person = Person(env, out)
        taken: list[Path] = []
        with running_app(env, home / "store.sqlite3", home / "app.log"):
            person.main_window()
            time.sleep(2.0)
            for name, keys in TOUR:
                person.main_window()
                for chord in keys:
                    person.key(chord)
                    time.sleep(0.4)
                time.sleep(1.5)  # let the view load and paint
                shot = person.screenshot(name)
                if shot is not None:
                    taken.append(shot)
    return taken


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
