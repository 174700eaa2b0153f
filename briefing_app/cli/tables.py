"""``export`` a list to CSV/XLSX and ``import-table``: tracker tables back into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app.cli.common import PROG, add_command, cell, open_store, print_json
from briefing_app.domain import kinds
from briefing_app.errors import InvalidInput

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands


def cmd_export(args: argparse.Namespace) -> int:
    keys = None
    if args.only is not None:
        keys = [part.strip() for part in args.only.split(",") if part.strip()]
        if not keys:
            raise InvalidInput("only: give the items to export, e.g. --only 1,5,12")
    services = open_store(args)
    try:
        result = services.tables.export(args.kind, Path(args.out), keys=keys)
    finally:
        services.close()
    document = result.to_dict()
    if args.format == "json":
        print_json(document)
    else:
        noun = kinds.get(args.kind).words
        print(f"Exported {result.rows} {noun} ({len(result.columns)} columns) to {result.path}")
    return 0


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = cell(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def cmd_import_table(args: argparse.Namespace) -> int:
    from briefing_app.errors import TableProblems

    services = open_store(args, writes=not args.dry_run)
    try:
        try:
            plan = services.tables.preview(args.kind, Path(args.file))
            result = None if args.dry_run else services.tables.apply(plan, author=args.author)
        except TableProblems as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{PROG}: {exc.message}", file=sys.stderr)
            return 1
    finally:
        services.close()
    document = (result or plan).to_dict()
    document["dry_run"] = args.dry_run
    if args.format == "json":
        print_json(document)
        return 0
    for change in plan.changes:
        parts = ", ".join(f"{c.column} {_value_text(c.old)} → {_value_text(c.new)}"
                          for c in change.changes)
        print(f"{plan.file}:{change.row}: {change.label}: {parts}")
    kind = kinds.get(args.kind)
    count = len(plan.changes)
    changed = f"{count} {kind.noun if count == 1 else kind.plural}"
    unchanged = f"{plan.unchanged} {'row' if plan.unchanged == 1 else 'rows'} unchanged"
    if args.dry_run:
        print(f"Dry run of {plan.file}: {changed} would change, {unchanged}; "
              "nothing was written")
    elif result is not None and result.status_change_ids:
        ids = result.status_change_ids
        span = str(ids[0]) if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"
        print(f"Imported {plan.file}: {changed} changed, {unchanged}; recorded as status "
              f"{'change' if len(ids) == 1 else 'changes'} {span}")
    else:
        print(f"Imported {plan.file}: {changed} changed, {unchanged}")
    return 0


def add_commands(commands: Commands) -> None:
    exported = kinds.names(kinds.EXPORTED)
    exporter = add_command(commands, "export", "export a list to a CSV or XLSX file",
                           cmd_export, ("table", "json"))
    exporter.add_argument("kind", choices=exported, metavar="KIND",
                          help="one of: " + ", ".join(exported))
    exporter.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx",
                          help="the file to write (replaced if it exists)")
    exporter.add_argument("--only", metavar="KEYS",
                          help="comma list of the items to export, in this order: numbers, "
                               "ISO codes, indicator keys or ids (default: every item)")

    imported = kinds.names(kinds.IMPORTED)
    table_importer = add_command(
        commands, "import-table", "update action points, measures, countries or indicators "
        "from a CSV or XLSX table (every row is checked first; any bad row and nothing is "
        "written)", cmd_import_table, ("table", "json"))
    table_importer.add_argument("kind", choices=imported, metavar="KIND",
                                help="one of: " + ", ".join(imported))
    table_importer.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    table_importer.add_argument("--dry-run", action="store_true",
                                help="print what would change and write nothing")
    table_importer.add_argument("--author",
                                help="who made the changes (default: your account name)")
