"""``commitment accept|reject|edit|merge|split|undo``: reviewing the commitments of a letter.

``list commitments`` and ``show commitments ID`` are in :mod:`briefing_app.cli.letters`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from briefing_app.cli.common import add_group, open_store, print_json

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands
    from briefing_app.services import Services
    from briefing_app.services.review import ReviewRead


def _run(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        review = _ACTIONS[args.commitment_command](services, args)
        rows = [c.to_dict() for c in services.commitments.list()
                if c.id in review.commitment_ids]
    finally:
        services.close()
    if args.format == "json":
        print_json({**review.to_dict(), "commitments": rows})
    else:
        done = ", ".join(str(i) for i in review.commitment_ids) or "none"
        removed = (f"; removed {', '.join(str(i) for i in review.removed_ids)}"
                   if review.removed_ids else "")
        print(f"{args.commitment_command}: commitments {done}{removed} "
              f"(recorded as review {review.id})")
    return 0


def _edit(services: Services, args: argparse.Namespace) -> ReviewRead:
    return services.review.edit(args.id, title=args.title, number=args.number,
                                deadline=args.deadline, countries=args.countries,
                                author=args.author)


def _split(services: Services, args: argparse.Namespace) -> ReviewRead:
    from briefing_app.errors import InvalidInput

    try:
        offset = int(args.offset)
    except ValueError:
        raise InvalidInput(f"offset: {args.offset!r} is not a whole number") from None
    return services.review.split(args.id, offset, author=args.author)


def _undo(services: Services, args: argparse.Namespace) -> ReviewRead:
    from briefing_app.errors import InvalidInput

    try:
        review_id = int(args.review)
    except ValueError:
        raise InvalidInput(f"review: {args.review!r} is not a review id") from None
    return services.review.undo(review_id, author=args.author)


_ACTIONS = {
    "accept": lambda s, a: s.review.accept(a.ids, author=a.author),
    "reject": lambda s, a: s.review.reject(a.ids, author=a.author),
    "edit": _edit,
    "merge": lambda s, a: s.review.merge(a.ids, author=a.author),
    "split": _split,
    "undo": _undo,
}


def add_commands(commands: Commands) -> None:
    actions = add_group(commands, "commitment", "review the commitments read from a letter",
                        "accept, reject, correct, merge or split the commitments read from "
                        "a letter; every review can be undone", "commitment_command")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.set_defaults(handler=_run)
        parser.add_argument("--author", help="who reviews (default: your account name)")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        return parser

    action("accept", "accept commitments: they are tracked from now on").add_argument(
        "ids", nargs="+", metavar="ID", help="ids printed by 'list commitments'")
    action("reject", "reject commitments: they stay untracked").add_argument(
        "ids", nargs="+", metavar="ID")
    edit = action("edit", "correct a commitment's title, number, deadline or countries")
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--number", metavar="N")
    edit.add_argument("--deadline", metavar="TEXT",
                      help="as written (e.g. 'by mid-2025'); '' clears it")
    edit.add_argument("--countries", metavar="CODES",
                      help="comma-separated ISO codes (e.g. TN,MA); '' clears them")
    action("merge", "merge commitments of one series into the first").add_argument(
        "ids", nargs="+", metavar="ID")
    split = action("split", "split a commitment in two at a character offset of its text")
    split.add_argument("id", metavar="ID")
    split.add_argument("offset", metavar="OFFSET")
    action("undo", "undo a review (an undo too)").add_argument("review", metavar="REVIEW")
