"""``status set`` and ``status history``: the tracked items' status, RAG colour and owner."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from briefing_app.cli.common import FORMATS, add_group, open_store, print_json, print_rows
from briefing_app.domain import kinds

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands


def cmd_status_set(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        change = services.tracking.set_status(
            args.kind, args.id, args.status, rag=args.rag, owner=args.owner,
            note=args.note, author=args.author, source="briefing-app status set",
        )
    finally:
        services.close()
    _print_change(change.to_dict(), args.format,
                  "{item_label}: {old_status} → {new_status}")
    return 0


def _print_change(document: dict[str, Any], fmt: str, head: str) -> None:
    if fmt == "json":
        print_json(document)
    else:
        print(head.format(**document) + f" (RAG {document['new_rag']}), recorded as change "
              f"{document['id']}")


def cmd_status_history(args: argparse.Namespace) -> int:
    services = open_store(args)
    try:
        document = [c.to_dict() for c in services.tracking.history(args.kind, args.id)]
    finally:
        services.close()
    if args.format == "json":
        print_json(document)
    else:
        print_rows(kinds.STATUS_HISTORY.name, document, args.format)
    return 0


def cmd_status_resolve(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        change = services.team.resolve(args.kind, args.id, " ".join(args.keep),
                                       author=args.author)
    finally:
        services.close()
    _print_change(change.to_dict(), args.format, "{item_label}: conflict resolved, {new_status}")
    return 0


def add_commands(commands: Commands) -> None:
    tracked = kinds.names(kinds.TRACKED)
    actions = add_group(commands, "status", "change or review the status of an item",
                        "change or review the status of an item", "status_command")
    setter = actions.add_parser("set", help="set the status of an item")
    setter.set_defaults(handler=cmd_status_set)
    setter.add_argument("kind", choices=tracked, metavar="KIND",
                        help="one of: " + ", ".join(tracked))
    setter.add_argument("id", metavar="ID")
    setter.add_argument("status", metavar="STATUS", nargs="?",
                        help="not started | in progress | delayed | done | dropped | no evidence")
    setter.add_argument("--rag", help="green | amber | red | grey (default: from the status)")
    setter.add_argument("--owner", help="who follows the item ('' clears it)")
    setter.add_argument("--note", help="why the status changed")
    setter.add_argument("--author", help="who made the change (default: your account name)")
    setter.add_argument("--format", choices=("table", "json"), default="table")
    resolve = actions.add_parser("resolve", help="end a sync conflict: keep one value")
    resolve.set_defaults(handler=cmd_status_resolve)
    resolve.add_argument("kind", choices=tracked, metavar="KIND")
    resolve.add_argument("id", metavar="ID")
    resolve.add_argument("--keep", nargs="+", required=True, metavar="local|remote|VALUE",
                         help="this store's value, the other place's, or a status")
    resolve.add_argument("--author", help="who chose (default: your name)")
    resolve.add_argument("--format", choices=("table", "json"), default="table")
    history = actions.add_parser("history", help="the status history of items")
    history.set_defaults(handler=cmd_status_history)
    history.add_argument("kind", choices=tracked, metavar="KIND")
    history.add_argument("id", metavar="ID", nargs="?")
    history.add_argument("--format", choices=FORMATS, default="table")
