"""Opening the window builds only the ``gui`` command: the other commands' modules stay out."""

from __future__ import annotations

import subprocess
import sys

from briefing_app.cli import _command_in


def test_the_command_is_the_first_word_after_the_global_options() -> None:
    assert _command_in([]) is None
    assert _command_in(["--db", "x.sqlite3", "--read-only"]) is None
    assert _command_in(["--db=x.sqlite3", "gui", "--view", "measures"]) == "gui"
    assert _command_in(["--passphrase-fd", "3", "list", "measures"]) == "list"
    assert _command_in(["--help"]) == "--help"


def test_opening_the_window_leaves_the_other_commands_unimported() -> None:
    probe = (
        "import sys\n"
        "from briefing_app import cli\n"
        "parser = cli.build_parser(('gui',))\n"
        "args = parser.parse_args(['gui', '--db', 'x.sqlite3'])\n"
        "print(args.command, sorted(m for m in sys.modules if m.startswith(("
        "'briefing_app.cli.packs', 'briefing_app.cli.tables', 'briefing_app.reporting'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "gui []"


def test_every_other_command_still_gets_the_whole_parser() -> None:
    result = subprocess.run([sys.executable, "-m", "briefing_app", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("import", "list", "pack", "export", "gui"):
        assert f"    {command}" in result.stdout, command
