"""`briefing-app gui --screenshot` renders every view offscreen and exits 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.cli import cli
from ui.main_window import VIEWS


@pytest.mark.parametrize("view", list(VIEWS))
def test_screenshot_of_every_view(seeded_path: Path, tmp_path: Path, view: str) -> None:
    target = tmp_path / f"{view}.png"
    result = cli("--db", seeded_path, "gui", "--screenshot", target, "--view", view,
                 "--size", "1200x800")
    assert (result.code, result.err) == (0, "")
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1200, 800)
    # a real picture, not a blank window: many distinct colours
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 800, 7)}
    assert len(colours) > 20


def test_screenshot_refuses_a_bad_size_and_a_bad_target(seeded_path: Path,
                                                        tmp_path: Path) -> None:
    result = cli("--db", seeded_path, "gui", "--screenshot", tmp_path / "x.png",
                 "--size", "big")
    assert (result.code, result.err) == (
        1, "briefing-app: --size: expected WIDTHxHEIGHT such as 1400x900, not 'big'\n")
    result = cli("--db", seeded_path, "gui", "--screenshot", tmp_path / "x.jpg")
    assert result.code == 1 and "must be a .png file" in result.err
