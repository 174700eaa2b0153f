"""From launch on a fresh store to a printed pack marked LIMITE, as a person does it.

The real app runs as its own process on a real X server (Xvfb, the xcb platform,
not offscreen) at 1280×720, and prints to a real CUPS queue (cups-pdf). It is
driven by real key events only, sent through the X server (tests/helpers/desktop.py),
and every user action (a key chord or a typed string) is counted.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.printing import safe_job_name
from tests.gui.test_packs_gui import page_difference
from tests.helpers.cups import QUEUE, CupsServer, pdf_folder, wait_until
from tests.helpers.desktop import Person, app_environment, running_app
from tests.helpers.xvfb import XServer, available, xvfb

SCREEN = (1280, 720)

pytestmark = pytest.mark.skipif(not available() or shutil.which("xdotool") is None,
                                reason="needs Xvfb and xdotool")


@pytest.fixture
def desktop() -> Iterator[XServer]:
    with xvfb(width=SCREEN[0], height=SCREEN[1]) as server:
        yield server


@pytest.fixture
def default_queue(cups_server: CupsServer) -> Iterator[CupsServer]:
    """The session's cups-pdf queue as the default printer, for this test only (CUPS
    cannot unset a default: the queue is made again without it afterwards)."""
    cups_server.ready(QUEUE)
    cups_server.run("lpadmin", "-d", QUEUE)  # the queue the print dialog offers first
    try:
        yield cups_server
    finally:
        cups_server.run("lpadmin", "-x", QUEUE, check=False)
        cups_server.ready(QUEUE)


def test_from_launch_to_a_printed_limite_pack_in_ten_actions(
        desktop: XServer, default_queue: CupsServer, tmp_path: Path) -> None:
    cups_server = default_queue
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    shots = tmp_path / "shots"
    shots.mkdir()
    env = app_environment(desktop, home, CUPS_SERVER=str(cups_server.socket))
    store = tmp_path / "store.sqlite3"
    person = Person(env, shots)
    started = time.time()
    with running_app(env, store, tmp_path / "app.log"):
        # a first start creates the store and loads the bundled letters, then shows
        # the main window
        person.main_window()
        time.sleep(1.0)
        person.screenshot("01-launched")

        person.key("ctrl+6")  # Meetings & packs (the seeded meeting is selected)
        person.key("ctrl+shift+p")  # Compose a pack for it
        person.key("alt+m")  # the Marking box
        person.key("ctrl+a")
        person.type("LIMITE")
        person.screenshot("02-composed")
        person.key("ctrl+b")  # Build the pack…
        person.window("^Build the pack as")
        person.screenshot("03-save-as")
        person.key("Return")  # the proposed name (with spaces) in Documents
        person.window("^Preview", timeout=180)
        person.screenshot("04-preview")
        person.key("ctrl+p")  # Print…
        person.window("^Print$")
        person.screenshot("05-print-dialog")
        person.key("Return")  # on the default queue, BriefingPDF

        [built] = sorted((home / "Documents").glob("*.pdf"))
        job_name = safe_job_name(built.name)
        folder = pdf_folder()

        def printed() -> list[Path]:
            return [p for p in folder.glob(f"{job_name}*.pdf")
                    if p.stat().st_mtime >= started - 1] if folder.exists() else []

        wait_until(printed, 120, f"cups-pdf to write {job_name}*.pdf in {folder}")
        [output] = printed()
        wait_until(lambda: subprocess.run(["pdfinfo", str(output)], capture_output=True)
                   .returncode == 0, 30, f"{output} to be complete")
        time.sleep(1.0)
        person.screenshot("06-printed")

    assert len(person.actions) <= 10, person.actions
    assert " " in built.name, built.name
    pages = len(PdfReader(built).pages)
    assert len(PdfReader(output).pages) == pages
    # the pack carries LIMITE on every page, exactly; the printed pages look the same
    # (cups-pdf turns text into outlines, so the printed file is compared as images)
    texts = subprocess.run(["pdftotext", "-layout", str(built), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    texts = [t for t in texts if t.strip()]
    assert len(texts) == pages
    assert all("LIMITE" in text.split() for text in texts)
    assert not any("LIMITED" in text for text in texts)
    for page in range(1, pages + 1):
        assert page_difference(built, output, page, tmp_path) < 6.0, page
    assert "Ambiguous shortcut" not in (tmp_path / "app.log").read_text()
