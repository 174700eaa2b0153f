"""The store's contents: ``init``, ``import``, ``list``, ``show`` and ``search``."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app import paths
from briefing_app.cli.common import (
    PROG,
    add_command,
    open_store,
    print_json,
    print_record,
    print_rows,
)
from briefing_app.domain import kinds
from briefing_app.errors import UserError

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands
    from briefing_app.services import Services


def cmd_init(args: argparse.Namespace) -> int:
    store_path = paths.store_file(args.db, "init")
    if args.encrypt:
        from briefing_app.store.engine import is_encrypted

        if store_path.is_file() and store_path.stat().st_size > 0 \
                and not is_encrypted(store_path):
            raise UserError(f"{store_path}: a store that is not encrypted is already here; "
                            "choose another --db")
    services = open_store(args, create=True, writes=True, encrypt=args.encrypt)
    try:
        report = None if args.empty else services.seed.load()
        counts = {
            "letters": len(services.letters.list()),
            "action_points": len(services.tracking.action_points()),
            "measures": len(services.tracking.measures()),
            "people": len(services.catalogue.people()),
            "countries": len(services.tracking.countries()),
            "indicators": len(services.catalogue.indicators()),
            "meetings": len(services.catalogue.meetings()),
        }
        document = {"store": str(services.store.path), "seed_loaded": not args.empty,
                    "changed": bool(report and report.changed), "counts": counts}
    finally:
        services.close()
    if args.format == "json":
        print_json(document)
    else:
        summary = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in counts.items())
        state = "seed loaded" if document["changed"] else "already up to date"
        if args.empty:
            state = "empty store"
        print(f"Store ready at {document['store']} ({state}): {summary}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    services = open_store(args, writes=True)
    try:
        results = services.letters.import_files([Path(f) for f in args.files])
    finally:
        services.close()
    rows = [r.to_dict() for r in results]
    if args.format == "json":
        print_json(rows)
    else:
        for result in results:
            if result.outcome == "failed":
                print(f"{PROG}: {result.message}", file=sys.stderr)
            elif result.outcome == "imported":
                print(f"{result.file}: imported as letter {result.letter_id} "
                      f"“{result.title}” ({result.message})")
            else:
                print(f"{result.file}: unchanged ({result.message})")
    return 1 if any(r.outcome == "failed" for r in results) else 0


#: What ``list KIND`` reads, per kind.
_LISTS: dict[str, Callable[[Services], list[Any]]] = {
    kinds.LETTERS.name: lambda s: s.letters.list(),
    kinds.ACTION_POINTS.name: lambda s: s.tracking.action_points(),
    kinds.MEASURES.name: lambda s: s.tracking.measures(),
    kinds.COMMITMENTS.name: lambda s: s.commitments.list(),
    kinds.FOLLOW_UPS.name: lambda s: s.follow_ups.list(),
    kinds.COUNTRIES.name: lambda s: s.tracking.countries(),
    kinds.PEOPLE.name: lambda s: s.catalogue.people(),
    kinds.INDICATORS.name: lambda s: s.catalogue.indicators(),
    kinds.MEETINGS.name: lambda s: s.catalogue.meetings(),
    kinds.PACKS.name: lambda s: s.catalogue.packs(),
    kinds.STATUS_HISTORY.name: lambda s: s.tracking.history(),
}

#: What ``show KIND ID`` reads, per kind (ID as typed).
_RECORDS: dict[str, Callable[[Services, str], Any]] = {
    kinds.LETTERS.name: lambda s, key: s.letters.get(kinds.LETTERS.parse_id(key)),
    kinds.ACTION_POINTS.name: lambda s, key: s.tracking.action_point(key),
    kinds.MEASURES.name: lambda s, key: s.tracking.measure(key),
    kinds.COMMITMENTS.name: lambda s, key: s.commitments.get(key),
    kinds.FOLLOW_UPS.name: lambda s, key: s.follow_ups.get(kinds.FOLLOW_UPS.parse_id(key)),
    kinds.COUNTRIES.name: lambda s, key: s.tracking.country(key),
    kinds.PEOPLE.name: lambda s, key: s.catalogue.person(key),
    kinds.INDICATORS.name: lambda s, key: s.catalogue.indicator(key),
    kinds.MEETINGS.name: lambda s, key: s.catalogue.meeting(key),
}


#: Which kinds each filter of ``list`` applies to.
_FILTERS = {"--letter": (kinds.COMMITMENTS,), "--series": (kinds.COMMITMENTS,),
            "--state": (kinds.COMMITMENTS, kinds.FOLLOW_UPS), "--item": (kinds.FOLLOW_UPS,)}


def cmd_list(args: argparse.Namespace) -> int:
    kind = kinds.get(args.kind)
    given = {"--letter": args.letter, "--series": args.series, "--state": args.state,
             "--item": args.item}
    for option, value in given.items():
        if value is not None and kind not in _FILTERS[option]:
            takers = " and ".join(f"'list {k.name}'" for k in _FILTERS[option])
            verb = "takes" if len(_FILTERS[option]) == 1 else "take"
            raise UserError(f"{option}: only {takers} {verb} it")
    services = open_store(args)
    try:
        if kind is kinds.COMMITMENTS:
            letter_id = None if args.letter is None else kinds.LETTERS.parse_id(args.letter)
            rows = [x.to_dict() for x in services.commitments.list(
                letter_id=letter_id, series=args.series, state=args.state)]
        elif kind is kinds.FOLLOW_UPS:
            commitment_id = None if args.item is None else services.tracking.commitment_id(
                args.item)
            rows = [x.to_dict() for x in services.follow_ups.list(
                commitment_id=commitment_id, state=args.state)]
        else:
            rows = [x.to_dict() for x in _LISTS[args.kind](services)]
    finally:
        services.close()
    print_rows(args.kind, rows, args.format)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    services = open_store(args)
    try:
        kind, key = kinds.get(args.kind), args.id
        document = _RECORDS[kind.name](services, key).to_dict()
        if kind.tracked:
            document["history"] = [c.to_dict()
                                   for c in services.tracking.history(kind.name, key)]
            conflicts = services.team.conflicts(kind.name, key)
            document["conflict"] = conflicts[0].to_dict() if conflicts else None
    finally:
        services.close()
    print_record(document, args.format)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    services = open_store(args)
    try:
        hits = services.search.search(args.query, limit=args.limit)
    finally:
        services.close()
    rows = [h.to_dict() for h in hits]
    if args.format == "table":
        if not rows:
            print(f"No passage matches {args.query!r}.")
        for hit in hits:
            print(f"letter {hit.letter_id}, paragraph {hit.paragraph} — {hit.letter_title}")
            print(textwrap.fill(hit.snippet, 100, initial_indent="    ",
                                subsequent_indent="    "))
    else:
        print_rows("search", rows, args.format)
    return 0


def add_commands(commands: Commands) -> None:
    init = add_command(commands, "init",
                       "create the store, migrate it and load the bundled letters", cmd_init,
                       ("table", "json"))
    init.add_argument("--empty", action="store_true", help="do not load the bundled seed")
    init.add_argument("--encrypt", action="store_true",
                      help="create an encrypted store (SQLCipher); the passphrase is asked "
                           "twice, or read from --passphrase-fd")

    importer = add_command(commands, "import",
                           "import letters (.txt, .md, .docx, or a PDF with a text layer)",
                           cmd_import, ("table", "json"))
    importer.add_argument("files", nargs="+", metavar="FILE")

    listed = kinds.names(kinds.LISTED)
    lister = add_command(commands, "list", "list the items of one kind", cmd_list)
    lister.add_argument("kind", choices=listed, metavar="KIND",
                        help="one of: " + ", ".join(listed))
    lister.add_argument("--letter", metavar="ID",
                        help="commitments: only those of this letter")
    lister.add_argument("--series", metavar="KEY",
                        help="commitments: only those of this series (e.g. measures)")
    lister.add_argument("--state", metavar="STATE",
                        help="commitments: proposed | accepted | rejected; "
                             "follow-ups: suggested | accepted | dismissed")
    lister.add_argument("--item", metavar="KIND:ID",
                        help="follow-ups: only those of one commitment (measures:12, "
                             "action-points:3, commitments:41)")

    shown = kinds.names(kinds.SHOWN)
    show = add_command(commands, "show", "show one item with its citations", cmd_show)
    show.add_argument("kind", choices=shown, metavar="KIND", help="one of: " + ", ".join(shown))
    show.add_argument("id", metavar="ID", help="number (action points, measures), ISO code "
                      "(countries), key or id (indicators), or the id printed by list")

    search = add_command(commands, "search", "search the letters (every word must match)",
                         cmd_search)
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N")
