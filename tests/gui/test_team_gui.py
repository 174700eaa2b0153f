"""The desktop app on a team store (a real PostgreSQL server, real roles): a reader sees
the read-only banner saying why and cannot start a change; a password the server wants
is asked in a dialog, again after a wrong one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefing_app.errors import StoreError
from tests.gui.conftest import settle
from tests.helpers.postgres import PostgresServer
from tests.helpers.team import EDITOR, PASSWORDS, READER
from ui.app import build_window, open_store
from ui.views.tracked import MeasuresView


def test_a_reader_sees_why_the_team_store_takes_no_changes(
        qtbot: QtBot, team_server: PostgresServer, team_database: str) -> None:
    url = team_server.socket_url(team_database, READER)
    _app, window = build_window(url, view="measures", remember=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.show()
    settle(qtbot)
    assert window.banner.isVisible()
    assert window.banner.text() == (f"Read-only: {url}: bob is a reader of the team store; "
                                    "changes are refused. You can read, search and export.")
    assert [(a.text(), a.isEnabled()) for a in window.write_actions] == [
        ("&Import letters…", False), ("Import &table…", False), ("&Restore…", False),
        ("&Build the pack…", False)]
    measures = window.show_view("measures")
    assert isinstance(measures, MeasuresView)
    settle(qtbot)
    assert measures.model.rowCount() == 15
    measures.select_number(12)
    settle(qtbot)
    assert measures.editor is not None and not measures.editor.isEnabled()
    assert not window.views["packs"].composer.build_button.isEnabled()
    window.close()
    window.services.close()


def test_an_editor_gets_no_banner(qtbot: QtBot, team_server: PostgresServer,
                                  team_database: str) -> None:
    _app, window = build_window(team_server.socket_url(team_database, EDITOR),
                               view="measures", remember=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.show()
    settle(qtbot)
    assert not window.banner.isVisible()
    assert all(action.isEnabled() for action in window.write_actions)
    window.close()
    window.services.close()


def test_the_password_is_asked_in_a_dialog_when_the_server_wants_it(
        team_server: PostgresServer, team_database: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.setitem(sys.modules, "keyring", None)  # no keyring on this machine
    url = team_server.tcp_url(team_database, EDITOR)
    asked: list[tuple[str, int]] = []

    def answer(who: str, attempt: int) -> str:
        asked.append((who, attempt))
        return "wrong" if attempt == 0 else PASSWORDS[EDITOR]

    services = open_store(url, ask_password=answer)
    try:
        assert (services.store.author, services.read_only) == ("alice", False)
        assert len(services.tracking.measures()) == 15
    finally:
        services.close()
    who = f"alice@127.0.0.1:{team_server.port}/{team_database}"
    assert asked == [(who, 0), (who, 1)]
    with pytest.raises(StoreError) as cancelled:
        open_store(url, ask_password=lambda who, attempt: None)
    assert str(cancelled.value) == f"{url}: no password was given for alice"


def test_the_window_opens_on_a_team_store_named_on_the_command_line(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    from tests.helpers.cli import cli_process

    shot = tmp_path / "measures.png"
    url = team_server.socket_url(team_database, READER)
    result = cli_process("gui", "--db", url, "--screenshot", shot, "--view", "measures",
                         "--size", "1280x720")
    # (Qt's offscreen platform says on stderr what it cannot do; nothing else may be there)
    said = [line for line in result.err.splitlines() if "propagateSizeHints" not in line]
    assert (result.code, said) == (0, [])
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
