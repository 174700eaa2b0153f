"""No network, ever: init, import, search, pack build and the window open no socket.

Each command runs in a fresh process with an audit hook installed before the
app is imported; any socket the Python side opens, binds, connects or resolves a
name for ends the process at once with exit code 99 (an exception could be
swallowed by a library's ``except``). Qt's own C++ code is not seen by Python's
audit hooks; the window is opened offscreen, where Qt needs no connection.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app import paths
from tests.helpers.cli import REPO

GUARD = """
import os, sys
EVENTS = {"socket.__new__", "socket.bind", "socket.connect", "socket.getaddrinfo",
          "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto", "urllib.Request"}
def hook(event, args):
    if event in EVENTS:
        sys.stderr.write(f"NETWORK: {event} {args!r}\\n")
        sys.stderr.flush()
        os._exit(99)
sys.addaudithook(hook)
from briefing_app.cli import main
sys.exit(main(sys.argv[1:]))
"""


def guarded(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", GUARD, *[str(a) for a in args]],
                          capture_output=True, text=True, cwd=REPO, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_the_guard_catches_a_socket() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", GUARD.replace("from briefing_app.cli import main\n",
                                             "import socket; socket.socket()\n"), "--version"],
        capture_output=True, text=True, cwd=REPO, timeout=60)
    assert probe.returncode == 99
    assert probe.stderr.startswith("NETWORK: socket.__new__")


@pytest.mark.slow
def test_init_import_search_pack_and_gui_open_no_socket(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    letter = tmp_path / "letter.txt"
    letter.write_text((paths.seed_dir() / "000_cda2641d4a6d3011.txt")
                      .read_text(encoding="utf-8") + "\nA line of our own.\n", encoding="utf-8")
    steps: list[tuple[str | Path, ...]] = [
        ("--db", store, "init"),
        ("--db", store, "import", letter),
        ("--db", store, "search", "Rakusan"),
        ("--db", store, "pack", "build", "--title", "Offline", "--out", tmp_path / "p.pdf"),
        ("--db", store, "backup", "--out", tmp_path / "b.sqlite3"),
        ("--db", store, "check"),
        ("--db", store, "gui", "--screenshot", tmp_path / "shot.png"),
    ]
    for step in steps:
        run = guarded(*step)
        assert (run.returncode, "NETWORK" in run.stderr) == (0, False), (step, run.stderr)
    assert (tmp_path / "p.pdf").stat().st_size > 0
    assert (tmp_path / "shot.png").stat().st_size > 0
