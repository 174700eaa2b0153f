"""A write-protected store shows a banner and takes no edits; an encrypted one asks first."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefing_app.errors import UserError
from briefing_app.services import open_services
from tests.gui.conftest import settle
from ui.app import application, open_store
from ui.main_window import MainWindow
from ui.views.tracked import MeasuresView


def test_a_read_only_store_shows_a_banner_and_disables_edits(qtbot: QtBot,
                                                             seeded_path: Path) -> None:
    application()
    services = open_services(seeded_path, create=False, read_only=True)
    window = MainWindow(services, remember=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.show_view("letters")
        window.show()
    assert window.banner.isVisible()
    assert str(seeded_path) in window.banner.text()
    assert [(a.text(), a.isEnabled()) for a in window.write_actions] == [
        ("&Import letters…", False), ("Import &table…", False), ("&Restore…", False),
        ("&Build the pack…", False)]
    measures = window.show_view("measures")
    settle(qtbot)
    assert isinstance(measures, MeasuresView)
    measures.select_number(12)
    settle(qtbot)
    assert measures.editor is not None and not measures.editor.isEnabled()
    assert not window.views["packs"].composer.build_button.isEnabled()
    window.close()
    services.close()


def test_an_encrypted_store_asks_for_its_passphrase(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    store = tmp_path / "travel.sqlite3"
    created = open_services(store, create=True, passphrase="correct horse")
    created.seed.load()
    created.close()
    asked: list[int] = []

    def answer(path: Path, attempt: int) -> str:
        asked.append(attempt)
        return "wrong" if attempt == 0 else "correct horse"

    services = open_store(store, ask=answer)
    assert asked == [0, 1]  # a wrong passphrase is asked again
    assert len(services.letters.list()) == 5
    services.close()
    with pytest.raises(UserError, match="the store is encrypted and no passphrase was given"):
        open_store(store, ask=lambda path, attempt: None)
