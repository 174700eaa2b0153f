"""The pack composer lists the sections of the section table, one registered by a test too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from briefing_app.reporting.sections import section_keys
from briefing_app.reporting.spec import SectionChoice
from tests.gui.conftest import settle
from tests.helpers.sections import hello_registered
from ui.main_window import MainWindow
from ui.views.composer import KEY_ROLE, PackComposer


def _rows(composer: PackComposer) -> list[tuple[str, str]]:
    return [(composer.sections.item(r).data(KEY_ROLE), composer.sections.item(r).text())
            for r in range(composer.sections.count())]


def test_the_composer_lists_a_registered_section(qtbot: QtBot, window: MainWindow) -> None:
    with hello_registered(before="sources"):
        composer = PackComposer(window)
        qtbot.addWidget(composer)
        composer.set_meeting(window.services.catalogue.meeting(1))
        rows = _rows(composer)
        assert [key for key, _ in rows] == list(section_keys())
        assert rows[-2:] == [("hello", "Hello"), ("sources", "Sources")]
        composer.sections.setCurrentRow(len(rows) - 2)
        assert not composer.items_button.isEnabled()  # it holds no items
        composer.sections.setCurrentRow(4)  # measures
        assert composer.items_button.isEnabled()
        assert SectionChoice("hello") in composer.spec().sections
        composer.sections.item(len(rows) - 2).setCheckState(Qt.CheckState.Unchecked)
        assert SectionChoice("hello") not in composer.spec().sections
        composer.deleteLater()
        settle(qtbot)
    again = PackComposer(window)
    qtbot.addWidget(again)
    assert "hello" not in [key for key, _ in _rows(again)]
