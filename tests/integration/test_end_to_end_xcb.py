"""From launch on a fresh store to a printed pack marked LIMITE, as a person does it.

The real app runs as its own process on a real X server (Xvfb, the xcb platform,
not offscreen) at 1280×720, and prints to a real CUPS queue (cups-pdf). It is
driven by real key events only, sent through the X server by xdotool (XTEST), and
every user action (a key chord or a typed string) is counted. Xvfb has no window
manager, so the test does the one thing a window manager would: it gives the
keyboard focus to the window that has just opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.printing import safe_job_name
from tests.gui.test_packs_gui import page_difference
from tests.helpers.cups import QUEUE, CupsServer, pdf_folder, wait_until
from tests.helpers.xvfb import XServer, available, xvfb

REPO = Path(__file__).resolve().parents[2]
SCREEN = (1280, 720)

pytestmark = pytest.mark.skipif(not available() or shutil.which("xdotool") is None,
                                reason="needs Xvfb and xdotool")


class Person:
    """Keys and typed text sent through the X server, each one counted."""

    def __init__(self, server: XServer, env: dict[str, str], shots: Path) -> None:
        self.server, self.env, self.shots = server, env, shots
        self.actions: list[str] = []

    def xdotool(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                                env=self.env, timeout=timeout)
        return result.stdout.strip()

    def window(self, title: str, timeout: float = 90) -> str:
        """The id of the visible window whose title matches (a regular expression),
        once it is there; it gets the keyboard focus (a window manager's job)."""
        found: list[str] = []

        def shown() -> bool:
            found[:] = self.xdotool("search", "--onlyvisible", "--name", title).split()
            return bool(found)

        wait_until(shown, timeout, f"a window titled {title!r}", interval=0.2)
        window = found[-1]
        self.xdotool("windowfocus", "--sync", window)
        return window

    def key(self, chord: str) -> None:
        self.actions.append(f"key {chord}")
        self.xdotool("key", "--clearmodifiers", chord)

    def type(self, text: str) -> None:
        self.actions.append(f"type {text!r}")
        self.xdotool("type", "--delay", "20", text)

    def screenshot(self, name: str) -> Path:
        target = self.shots / f"{len(self.actions):02d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(target)], env=self.env,
                       check=False, capture_output=True)
        return target


@pytest.fixture
def desktop() -> Iterator[XServer]:
    with xvfb(width=SCREEN[0], height=SCREEN[1]) as server:
        yield server


def test_from_launch_to_a_printed_limite_pack_in_ten_actions(
        desktop: XServer, cups_server: CupsServer, tmp_path: Path) -> None:
    cups_server.ready(QUEUE)
    cups_server.run("lpadmin", "-d", QUEUE)  # the queue the print dialog offers first
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    shots = tmp_path / "shots"
    shots.mkdir()
    env = {**os.environ, **desktop.env, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
           "CUPS_SERVER": str(cups_server.socket),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_STATE_HOME": str(home / ".local/state"), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("QT_QPA_PLATFORMTHEME", None)
    store = tmp_path / "store.sqlite3"
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen([sys.executable, "-m", "briefing_app", "gui", "--db", str(store)],
                           cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    person = Person(desktop, env, shots)
    started = time.monotonic()
    try:
        person.window("^Briefing App$", timeout=120)
        # a first start loads the bundled letters in the background: the store is ready
        # once the window shows its letters
        wait_until(lambda: store.exists(), 60, "the store to be created")
        time.sleep(1.0)
        person.screenshot("launched")

        person.key("ctrl+6")  # Meetings & packs (the seeded meeting is selected)
        person.key("ctrl+shift+p")  # Compose a pack for it
        person.key("alt+m")  # the Marking box
        person.key("ctrl+a")
        person.type("LIMITE")
        person.screenshot("composed")
        person.key("ctrl+b")  # Build the pack…
        person.window("^Build the pack as")
        person.screenshot("save-as")
        person.key("Return")  # the proposed name (with spaces) in Documents
        person.window("^Preview", timeout=180)
        person.screenshot("preview")
        person.key("ctrl+p")  # Print…
        person.window("^Print$")
        person.screenshot("print-dialog")
        person.key("Return")  # on the default queue, BriefingPDF

        [built] = sorted((home / "Documents").glob("*.pdf"))
        assert " " in built.name
        job_name = safe_job_name(built.name)
        folder = pdf_folder()

        def printed() -> list[Path]:
            return [p for p in folder.glob(f"{job_name}*.pdf")
                    if p.stat().st_mtime >= started - 1] if folder.exists() else []

        wait_until(printed, 120, f"cups-pdf to write {job_name}*.pdf in {folder}")
        [output] = printed()
        wait_until(lambda: subprocess.run(["pdfinfo", str(output)], capture_output=True)
                   .returncode == 0, 30, f"{output} to be complete")
        person.window("^Print", timeout=60)  # the app's report
        person.screenshot("printed")
    finally:
        person.xdotool("key", "ctrl+q")
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
        log.close()

    assert len(person.actions) <= 10, person.actions
    pages = len(PdfReader(built).pages)
    assert len(PdfReader(output).pages) == pages
    # the pack carries LIMITE on every page, exactly, and the printed pages look the same
    # (cups-pdf turns text into outlines, so the printed file is compared as images)
    texts = subprocess.run(["pdftotext", "-layout", str(built), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    texts = [t for t in texts if t.strip()]
    assert len(texts) == pages
    assert all("LIMITE" in text.split() for text in texts)
    assert not any("LIMITED" in text for text in texts)
    for page in range(1, pages + 1):
        assert page_difference(built, output, page, tmp_path) < 6.0, page
    app_log = (tmp_path / "app.log").read_text()
    assert "Ambiguous shortcut" not in app_log
