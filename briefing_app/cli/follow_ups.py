"""``follow-up accept|dismiss|undo|find``: the passages of later letters that report on a
commitment, reviewed as evidence.

``list follow-ups [--item KIND:ID] [--state S]`` and ``show follow-ups ID`` are in
:mod:`briefing_app.cli.letters`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing_app.cli.common import add_group, open_store, print_json
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError:
        raise InvalidInput("follow-up: give the ids printed by 'list follow-ups'") from None


def _review(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        if args.follow_up_command == "accept":
            reviews = services.follow_ups.accept(_ids(args.ids), status=args.status,
                                                 rag=args.rag, note=args.note,
                                                 author=args.author)
        elif args.follow_up_command == "dismiss":
            reviews = services.follow_ups.dismiss(_ids(args.ids), author=args.author)
        else:
            reviews = [services.follow_ups.undo(_ids([args.review])[0], author=args.author)]
        follow_ups = [services.follow_ups.get(r.follow_up_id) for r in reviews]
    finally:
        services.close()
    if args.format == "json":
        print_json({"reviews": [r.to_dict() for r in reviews],
                    "follow_ups": [f.to_dict() for f in follow_ups]})
        return 0
    for review, follow_up in zip(reviews, follow_ups, strict=True):
        status = (f"; status change {review.status_change_id}"
                  if review.status_change_id is not None else "")
        print(f"follow-up {follow_up.id} ({follow_up.item_label}, letter "
              f"{follow_up.letter_id}): {review.old_state} → {review.new_state}"
              f"{status} (recorded as review {review.id})")
    return 0


def _find(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        ids = [services.tracking.commitment_id(args.item)] if args.item else None
        letter_id = int(args.letter) if args.letter else None
        report = services.follow_ups.find(letter_id=letter_id, commitment_ids=ids)
    except ValueError:
        raise InvalidInput(f"--letter: {args.letter!r} is not a letter id") from None
    finally:
        services.close()
    if args.format == "json":
        print_json({"commitments": report.commitments, "suggested": report.suggested})
    else:
        print(f"Looked for follow-ups of {report.commitments} commitments: "
              f"{report.suggested} new suggestions.")
    return 0


def add_commands(commands: Commands) -> None:
    actions = add_group(commands, "follow-up",
                        "review what later letters say about each commitment",
                        "accept a passage of a later letter as evidence (optionally with the "
                        "status it supports), dismiss it, or undo either", "follow_up_command")

    def action(name: str, help_text: str,
               handler: Callable[[argparse.Namespace], int] = _review
               ) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.set_defaults(handler=handler)
        parser.add_argument("--author", help="who reviews (default: your account name)")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        return parser

    accept = action("accept", "accept follow-ups as evidence")
    accept.add_argument("ids", nargs="+", metavar="ID", help="ids printed by 'list follow-ups'")
    accept.add_argument("--status", metavar="STATUS",
                        help="also set the commitment's status, with the passage as its source")
    accept.add_argument("--rag", metavar="RAG", help="also set its RAG colour")
    accept.add_argument("--note", metavar="TEXT", help="a note for the status history")
    action("dismiss", "dismiss follow-ups: they are not suggested again").add_argument(
        "ids", nargs="+", metavar="ID")
    action("undo", "undo an accept or a dismiss (its status change too)").add_argument(
        "review", metavar="REVIEW", help="the review id printed by accept or dismiss")
    find = action("find", "look for follow-ups now (all commitments unless told)", _find)
    find.add_argument("--item", metavar="KIND:ID", help="one commitment: measures:12")
    find.add_argument("--letter", metavar="ID", help="a letter, as when it was imported")
