"""``gui``: open the desktop app (also what ``briefing-app`` with no command does)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app import paths
from briefing_app.cli.common import add_command, passphrase
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands

#: The views ``--view`` opens.
VIEWS = ("letters", "action-points", "measures", "countries", "people", "packs")


def cmd_gui(args: argparse.Namespace) -> int:
    # The one place the core reaches into the front end, lazily (the core never
    # imports Qt or ui/ otherwise: tests/unit/test_architecture.py checks it).
    from ui.app import run

    store_path = paths.store_path(args.db)
    from briefing_app.store.engine import is_encrypted

    secret: str | None = None
    if isinstance(store_path, str):  # a team store: its password is asked by the window
        if args.passphrase_fd is not None:
            raise InvalidInput(f"{paths.shown_url(store_path)}: --passphrase-fd is for an "
                               "encrypted store file; a team store's password comes from "
                               "~/.pgpass, the system keyring or the window's prompt")
    elif args.passphrase_fd is not None or (args.screenshot and is_encrypted(store_path)):
        secret = passphrase(args, store_path)
    return run(
        store_path=store_path,
        screenshot=Path(args.screenshot) if args.screenshot else None,
        view=args.view,
        size=args.size,
        read_only=True if args.read_only else None,
        passphrase=secret,
    )


def add_commands(commands: Commands) -> None:
    gui = add_command(commands, "gui", "open the desktop app", cmd_gui, formats=())
    gui.add_argument("--screenshot", metavar="FILE.png",
                     help="load the window offscreen, save a PNG of it and exit")
    gui.add_argument("--view", default=None,
                     help="the view to open (default: the last one used; letters for "
                          "screenshots)",
                     choices=VIEWS)
    gui.add_argument("--size", default="1400x900", metavar="WxH")
