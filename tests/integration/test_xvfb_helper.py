"""The private X server helper: it answers, every server gets its own display, and it
is always stopped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import xvfb as xvfb_helper
from tests.helpers.cli import REPO

pytestmark = pytest.mark.skipif(not xvfb_helper.available(), reason="Xvfb is not installed")


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_the_server_answers_then_is_stopped() -> None:
    with xvfb_helper.xvfb(width=800, height=600) as server:
        assert xvfb_helper.answers(server.number)
        assert server.env == {"DISPLAY": f":{server.number}"}
        pid = server.pid
    assert _gone(pid)
    assert not xvfb_helper.answers(server.number)


def test_two_servers_at_once_have_their_own_displays() -> None:
    with xvfb_helper.xvfb() as first, xvfb_helper.xvfb() as second:
        assert first.number != second.number
        assert xvfb_helper.answers(first.number) and xvfb_helper.answers(second.number)
    assert _gone(first.pid) and _gone(second.pid)


def test_the_server_is_stopped_when_the_block_fails() -> None:
    pid = 0
    with pytest.raises(RuntimeError, match="inside"), xvfb_helper.xvfb() as server:
        pid = server.pid
        raise RuntimeError("inside")
    assert pid and _gone(pid)


def _without_display() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def test_a_qt_client_runs_on_it() -> None:
    script = ("from PySide6.QtWidgets import QApplication\n"
              "app = QApplication([])\n"
              "print(app.platformName(), app.primaryScreen().size().width())\n")
    with xvfb_helper.xvfb(width=1024, height=768) as server:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
            timeout=60, env={**_without_display(), **server.env, "QT_QPA_PLATFORM": "xcb"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["xcb", "1024"]
