"""The desktop window on a real seeded store, driven with qtbot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from briefing_app.services import Services
from tests.helpers.cli import cli
from ui.main_window import VIEWS, MainWindow


def visible_column(window: MainWindow, column: int = 0) -> list[str]:
    proxy = window.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_typing_a_filter_shrinks_the_measures(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show_view("measures")
    assert visible_column(window) == [str(n) for n in range(1, 16)]
    qtbot.keyClicks(window.filter_edit, "Frontex")
    assert visible_column(window) == ["1", "2", "5", "12"]
    window.filter_edit.clear()
    assert len(visible_column(window)) == 15


@pytest.mark.parametrize("view", list(VIEWS))
def test_screenshot_of_every_view(seeded_path: Path, tmp_path: Path, view: str) -> None:
    target = tmp_path / f"{view}.png"
    result = cli("--db", seeded_path, "gui", "--screenshot", target, "--view", view,
                 "--size", "1200x800")
    assert result.code == 0, result.err
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1200, 800)
