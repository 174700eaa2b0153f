"""``team init``: what the IT officer runs to create (and, after an upgrade, update) a
team store on PostgreSQL: the tables, and the editor and reader roles with their grants."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from briefing_app import paths
from briefing_app.cli.common import add_command, add_group, password_prompt, print_json
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands


def cmd_team_init(args: argparse.Namespace) -> int:
    from briefing_app.services.team_admin import initialise_team_store

    target = paths.store_path(args.db)
    if not isinstance(target, str):
        raise InvalidInput(f"{target}: 'team init' sets up a team store on PostgreSQL; give "
                           "its address (--db postgresql://USER@HOST:PORT/DB); a store file "
                           "is created with 'briefing-app init'")
    if args.read_only or args.passphrase_fd is not None:
        raise InvalidInput(f"{paths.shown_url(target)}: 'team init' changes the team store "
                           "(no --read-only) and takes no passphrase (its password comes from "
                           "~/.pgpass, the keyring or the terminal)")
    result = initialise_team_store(target, ask_password=password_prompt())
    if args.format == "json":
        print_json(result.to_dict())
        return 0
    made = ", ".join(result.created_roles) or "none (both were there)"
    print(f"Team store ready at {result.store} (revision {result.revision}); roles "
          f"{result.editor_role} and {result.reader_role} granted on {result.tables} tables "
          f"(made now: {made}). Add a person with: CREATE ROLE name LOGIN PASSWORD '…' "
          f"IN ROLE {result.editor_role} (or {result.reader_role})")
    return 0


def add_commands(commands: Commands) -> None:
    team = add_group(commands, "team", "set up a team store on PostgreSQL (for its IT officer)",
                     "Set up a team store on PostgreSQL: 'team init' makes its tables and the "
                     "editor and reader roles.", "action")
    add_command(team, "init", "migrate the team store (--db URL) and create the roles "
                "briefing_editor and briefing_reader with their grants; running it again "
                "changes nothing", cmd_team_init, ("table", "json"))
