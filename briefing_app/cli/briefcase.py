"""``briefcase checkout`` and ``briefcase sync``: a copy of the team store for working
offline, and bringing its changes home."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app.cli.common import add_group, passphrase, print_json, team_store
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands
    from briefing_app.store.postgres import TeamStore


def _team_store(args: argparse.Namespace, url: str) -> TeamStore:
    """The team store at ``url``, its password asked on the terminal when ~/.pgpass and
    the keyring have none."""
    from briefing_app.store.postgres import is_url

    if not is_url(url):
        raise InvalidInput(f"--from: {url!r} is not a team store's URL "
                           "(postgresql://user@host:port/dbname)")
    return team_store(args, url)


def cmd_checkout(args: argparse.Namespace) -> int:
    from briefing_app.services.team import checkout

    out = Path(args.out)
    if out.exists():
        raise InvalidInput(f"{out}: already exists; a briefcase is checked out into a new file")
    secret = passphrase(args, out, new=True) if args.encrypt else None
    team = _team_store(args, args.source)
    try:
        number = checkout(team, out, passphrase=secret)
    finally:
        team.close()
    encrypted = " (encrypted)" if secret else ""
    print(f"Checked out briefcase {number} of {team.path} into {out}{encrypted}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from briefing_app.services.team import synchronise, team_url
    from briefing_app.store.engine import Store

    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"{path}: no briefcase here")
    store = Store(path, create=False, backup_dir=None, passphrase=passphrase(args, path))
    try:
        team = _team_store(args, team_url(store))
        try:
            report = synchronise(store, team)
        finally:
            team.close()
    finally:
        store.close()
    if args.format == "json":
        print_json(report.to_dict())
        return 0
    print(f"Synchronised briefcase {report.briefcase} with {report.team}: sent {report.sent} "
          f"rows, received {report.received} ({report.seconds:.1f} s)"
          + (", resuming an interrupted sync" if report.resumed else ""))
    for label in report.conflicts:
        print(f"In conflict: {label} changed both here and at the team store; "
              "choose with 'status resolve'")
    for dropped in report.dropped:
        print(f"Not sent: {dropped}")
    return 0


def add_commands(commands: Commands) -> None:
    actions = add_group(commands, "briefcase", "a copy of the team store for working offline",
                        "check a briefcase out of the team store, and synchronise it",
                        "briefcase_command")
    out = actions.add_parser("checkout", help="copy the team store into a new briefcase file")
    out.set_defaults(handler=cmd_checkout)
    out.add_argument("--from", dest="source", required=True, metavar="URL",
                     help="the team store (postgresql://user@host:port/dbname)")
    out.add_argument("--out", required=True, metavar="FILE.sqlite3",
                     help="the new briefcase file")
    out.add_argument("--encrypt", action="store_true",
                     help="encrypt the briefcase (a passphrase is asked, or --passphrase-fd)")
    sync = actions.add_parser("sync", help="send the briefcase's changes and receive the "
                                           "team store's")
    sync.set_defaults(handler=cmd_sync)
    sync.add_argument("file", metavar="FILE", help="the briefcase file")
    sync.add_argument("--format", choices=("table", "json"), default="table")
