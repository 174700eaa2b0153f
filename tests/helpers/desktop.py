"""A person at a desktop: the real app on a real X server, keys and clicks through it.

Events go through the X server as a keyboard and a mouse would send them
(xdotool's XTEST), and every user action (a key chord, a typed string, a click)
is counted. Xvfb has no window manager, so :meth:`Person.window` does what one
would do for a window that has just opened: the pointer rests over it and it
gets the keyboard focus (no click: nothing is acted on).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.cups import wait_until
from tests.helpers.xvfb import XServer

REPO = Path(__file__).resolve().parents[2]

#: The main window is the app's only window this wide (the first-start window
#: and dialogs are narrower).
MAIN_WINDOW_MIN_WIDTH = 900


def app_environment(server: XServer, home: Path, **extra: str) -> dict[str, str]:
    """The environment of the app on ``server``, with a home and user folders of its own."""
    env = {**os.environ, **server.env, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_STATE_HOME": str(home / ".local/state"), "XDG_CACHE_HOME": str(home / ".cache"),
           **extra}
    env.pop("QT_QPA_PLATFORMTHEME", None)
    return env


@contextmanager
def running_app(env: dict[str, str], store: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``briefing-app gui --db STORE`` as its own process; quit (Ctrl+Q) or killed at the end."""
    with log.open("wb") as output:
        app = subprocess.Popen([sys.executable, "-m", "briefing_app", "gui", "--db", str(store)],
                               cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield app
        finally:
            if app.poll() is None:
                subprocess.run(["xdotool", "key", "ctrl+q"], env=env, capture_output=True)
                try:
                    app.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    app.kill()
                    app.wait()


class Person:
    """Keys, typed text and clicks sent through the X server, each one counted."""

    def __init__(self, env: dict[str, str], shots: Path | None = None) -> None:
        self.env, self.shots = env, shots
        self.actions: list[str] = []

    def xdotool(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                                env=self.env, timeout=timeout)
        return result.stdout.strip()

    def width_of(self, window: str) -> int:
        for line in self.xdotool("getwindowgeometry", window).splitlines():
            if "Geometry:" in line:
                return int(line.split(":")[1].strip().split("x")[0])
        return 0

    def window(self, title: str, timeout: float = 90, *, min_width: int = 0) -> str:
        """The id of the visible window whose title matches (a regular expression),
        once it is there; the pointer rests over it and it has the keyboard focus."""
        found: list[str] = []

        def shown() -> bool:
            found[:] = [w for w in self.xdotool("search", "--onlyvisible", "--name",
                                                title).split()
                        if self.width_of(w) >= min_width]
            return bool(found)

        wait_until(shown, timeout, f"a window titled {title!r}", interval=0.2)
        window = found[-1]
        self.xdotool("mousemove", "--window", window, "--sync", "40", "40")
        self.xdotool("windowfocus", "--sync", window)
        return window

    def main_window(self, timeout: float = 120) -> str:
        return self.window("^Briefing App$", timeout, min_width=MAIN_WINDOW_MIN_WIDTH)

    def key(self, chord: str) -> None:
        self.actions.append(f"key {chord}")
        self.xdotool("key", "--clearmodifiers", chord)

    def type(self, text: str) -> None:
        self.actions.append(f"type {text!r}")
        self.xdotool("type", "--delay", "20", text)

    def screenshot(self, name: str) -> Path | None:
        """A PNG of the whole screen (ImageMagick's ``import``), for a person to look at;
        None where ImageMagick is not installed."""
        if self.shots is None or shutil.which("import") is None:
            return None
        target = self.shots / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(target)], env=self.env,
                       check=True, capture_output=True)
        return target
