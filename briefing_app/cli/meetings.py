"""``meeting add`` and ``meeting edit``: the meetings a pack is prepared for."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from briefing_app.cli.common import add_group, iso_date, open_store, print_json
from briefing_app.domain.kinds import MEETINGS
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands

FORMATIONS_HELP = "European Council | Justice and Home Affairs Council | " \
                  "Ministerial conference | other"


def _print_meeting(document: dict[str, Any], fmt: str, verb: str) -> None:
    if fmt == "json":
        print_json(document)
        return
    print(f"Meeting {document['id']} {verb}: {document['title']} "
          f"({document['formation']}, {document['date'] or 'no date'})")
    for number, item in enumerate(document["agenda"], start=1):
        print(f"  {number}. {item}")


def cmd_meeting_add(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        meeting = services.packs.create_meeting(
            formation=args.formation, title=args.title,
            date=iso_date(args.date, "date"), place=args.place,
            agenda=args.agenda or ())
        document = meeting.to_dict()
    finally:
        services.close()
    _print_meeting(document, args.format, "added")
    return 0


def cmd_meeting_edit(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        from briefing_app.services.packs import KEEP

        if args.no_agenda and args.agenda:
            raise InvalidInput("agenda: give --agenda items or --no-agenda, not both")
        agenda: Any = [] if args.no_agenda else (args.agenda if args.agenda else KEEP)
        meeting = services.packs.update_meeting(
            MEETINGS.parse_id(args.id),
            formation=KEEP if args.formation is None else args.formation,
            title=KEEP if args.title is None else args.title,
            date=KEEP if args.date is None else iso_date(args.date, "date"),
            place=KEEP if args.place is None else args.place,
            agenda=agenda)
        document = meeting.to_dict()
    finally:
        services.close()
    _print_meeting(document, args.format, "changed")
    return 0


def add_commands(commands: Commands) -> None:
    actions = add_group(commands, "meeting", "add or change a meeting",
                        "add or change a meeting a pack is prepared for", "meeting_command")
    adder = actions.add_parser("add", help="add a meeting")
    adder.set_defaults(handler=cmd_meeting_add)
    adder.add_argument("--formation", required=True, help=FORMATIONS_HELP)
    adder.add_argument("--title", required=True)
    adder.add_argument("--date", metavar="YYYY-MM-DD")
    adder.add_argument("--place")
    adder.add_argument("--agenda", action="append", metavar="ITEM",
                       help="an agenda item (repeat for each, in order)")
    adder.add_argument("--format", choices=("table", "json"), default="table")
    editor = actions.add_parser("edit", help="change a meeting (only what is given)")
    editor.set_defaults(handler=cmd_meeting_edit)
    editor.add_argument("id", metavar="ID", help="the id printed by 'list meetings'")
    editor.add_argument("--formation", help=FORMATIONS_HELP)
    editor.add_argument("--title")
    editor.add_argument("--date", metavar="YYYY-MM-DD", help="'' clears it")
    editor.add_argument("--place", help="'' clears it")
    editor.add_argument("--agenda", action="append", metavar="ITEM",
                        help="replaces the whole agenda (repeat for each item, in order)")
    editor.add_argument("--no-agenda", action="store_true", help="remove every agenda item")
    editor.add_argument("--format", choices=("table", "json"), default="table")
