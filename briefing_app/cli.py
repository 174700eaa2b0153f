"""The ``briefing-app`` command line (DESIGN §5): a contract scripts rely on.

It parses arguments, calls the same services as the desktop app and prints.
``--format json`` prints one JSON document on stdout and nothing else.
Exit codes: 0 success, 1 a runtime failure (one line on stderr), 2 a usage
error. A user's mistake never shows a traceback; a bug is logged with its
traceback to the user log directory and reported in one line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefing_app import __version__, paths
from briefing_app.errors import InvalidInput, UserError

if TYPE_CHECKING:
    from briefing_app.services import Services

PROG = "briefing-app"
LIST_KINDS = ("letters", "action-points", "measures", "countries", "people", "indicators",
              "meetings", "packs", "status-history")
SHOW_KINDS = ("letters", "action-points", "measures", "countries", "people", "indicators",
              "meetings")
STATUS_KINDS = ("action-points", "measures", "countries")
EXPORT_KINDS = ("letters", "action-points", "measures", "countries", "people", "indicators",
                "status-history")
TABLE_IMPORT_KINDS = ("action-points", "measures", "countries", "indicators")
TABLE_NOUNS = {"action-points": ("action point", "action points"),
               "measures": ("measure", "measures"),
               "countries": ("partner country", "partner countries"),
               "indicators": ("indicator", "indicators")}
FORMATS = ("table", "json", "csv")


class UsageError(Exception):
    """Wrong words on the command line (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ------------------------------------------------------------------------------- output


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


Column = tuple[str, Callable[[dict[str, Any]], Any]]


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _roles_summary(row: dict[str, Any]) -> str:
    return "; ".join(f"{r['role']} (letter {r['letter_id']})" for r in row["roles"])


COLUMNS: dict[str, list[Column]] = {
    "letters": [("id", _field("id")), ("date", _field("date")), ("kind", _field("kind")),
                ("reference", _field("reference")), ("title", _field("title"))],
    "action-points": [("number", _field("number")), ("status", _field("status")),
                      ("rag", _field("rag")), ("owner", _field("owner")),
                      ("title", _field("title"))],
    "measures": [("number", _field("number")), ("section", _field("section")),
                 ("deadline", _field("deadline")), ("due_date", _field("due_date")),
                 ("overdue", _field("overdue")), ("status", _field("status")),
                 ("rag", _field("rag")), ("countries", _field("countries")),
                 ("text", _field("text"))],
    "countries": [("iso", _field("iso")), ("name", _field("name")),
                  ("routes", _field("routes")), ("status", _field("status")),
                  ("rag", _field("rag")),
                  ("instruments", lambda r: [i["kind"] for i in r["instruments"]])],
    "people": [("id", _field("id")), ("name", _field("name")),
               ("honorific", _field("honorific")), ("country", _field("country")),
               ("organisation", _field("organisation")), ("roles", _roles_summary)],
    "indicators": [("id", _field("id")), ("key", _field("key")),
                   ("display", _field("display")), ("as_of", _field("as_of")),
                   ("route", _field("route")), ("country", _field("country")),
                   ("label", _field("label"))],
    "meetings": [("id", _field("id")), ("date", _field("date")),
                 ("formation", _field("formation")), ("place", _field("place")),
                 ("title", _field("title"))],
    "packs": [("id", _field("id")), ("meeting_id", _field("meeting_id")),
              ("title", _field("title")), ("versions", _field("versions")),
              ("created_at", _field("created_at"))],
    "status-history": [("id", _field("id")), ("changed_at", _field("changed_at")),
                       ("item", _field("item_label")), ("old_status", _field("old_status")),
                       ("new_status", _field("new_status")), ("new_rag", _field("new_rag")),
                       ("author", _field("author")), ("note", _field("note"))],
    "search": [("letter_id", _field("letter_id")), ("paragraph", _field("paragraph")),
               ("score", _field("score")), ("snippet", _field("snippet"))],
    "import": [("file", _field("file")), ("outcome", _field("outcome")),
               ("letter_id", _field("letter_id")), ("message", _field("message"))],
}


def _print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _print_csv(kind: str, rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = COLUMNS[kind]
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow([_cell(get(row)) for _, get in columns])
    sys.stdout.write(buffer.getvalue())


def _print_table(kind: str, rows: list[dict[str, Any]]) -> None:
    columns = COLUMNS[kind]
    cells = [[_cell(get(row)).replace("\n", " ") for _, get in columns] for row in rows]
    headers = [name for name, _ in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    room = max(60, shutil.get_terminal_size((120, 24)).columns)
    # the last column takes what is left, long text is cut with an ellipsis
    fixed = sum(min(w, 40) for w in widths[:-1]) + 2 * (len(widths) - 1)
    widths = [min(w, 40) for w in widths[:-1]] + [max(20, min(widths[-1], room - fixed))]

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = ["  ".join(fit(h, w).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)))
    sys.stdout.write("\n".join(line.rstrip() for line in lines) + "\n")
    if not rows:
        sys.stdout.write(f"(no {kind.replace('-', ' ')})\n")


def _print_rows(kind: str, rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        _print_json(rows)
    elif fmt == "csv":
        _print_csv(kind, rows)
    else:
        _print_table(kind, rows)


def _print_record(record: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        _print_json(record)
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in record.items():
            writer.writerow([key, json.dumps(value, ensure_ascii=False)
                             if isinstance(value, list | dict) else _cell(value)])
        sys.stdout.write(buffer.getvalue())
        return
    width = min(100, shutil.get_terminal_size((100, 24)).columns)
    out: list[str] = []
    for key, value in record.items():
        if key in ("citations", "roles", "instruments", "annexes", "corrections") and value:
            out.append(f"{key}:")
            for entry in value:
                summary = ", ".join(f"{k}={_cell(v)}" for k, v in entry.items()
                                    if k not in ("quote", "citations"))
                out.append(textwrap.fill(summary, width, initial_indent="  - ",
                                         subsequent_indent="    "))
                if entry.get("quote"):
                    out.append(textwrap.fill(f"“{entry['quote']}”", width,
                                             initial_indent="    ", subsequent_indent="    "))
            continue
        if key == "text":
            out.append("text:")
            out.extend("  " + line for line in str(value).splitlines())
            continue
        out.append(textwrap.fill(f"{key}: {_cell(value)}", width, subsequent_indent="  "))
    sys.stdout.write("\n".join(out) + "\n")


# ----------------------------------------------------------------------------- commands


def _read_passphrase_fd(fd: int) -> str:
    """One line from file descriptor ``fd`` (for scripts; never argv or the environment)."""
    data = b""
    try:
        while not data.endswith(b"\n"):
            chunk = os.read(fd, 1)
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise InvalidInput(f"passphrase-fd: cannot read file descriptor {fd} "
                           f"({exc.strerror or exc})") from None
    return data.decode("utf-8").rstrip("\r\n")


def _passphrase(args: argparse.Namespace, store_path: Path, *, new: bool = False) -> str | None:
    """The passphrase of an encrypted store (or of a new one when ``new``), else None."""
    from getpass import getpass

    from briefing_app.store.engine import is_encrypted

    if getattr(args, "_passphrase", None) is not None:
        return str(args._passphrase)
    passphrase: str | None = None
    if args.passphrase_fd is not None:
        passphrase = _read_passphrase_fd(args.passphrase_fd)
    elif new:
        if not sys.stdin.isatty():
            raise InvalidInput(f"{store_path}: give the passphrase of the new encrypted store "
                               "(--passphrase-fd N)")
        passphrase = getpass(f"New passphrase for {store_path}: ")
        if getpass("The passphrase again: ") != passphrase:
            raise InvalidInput(f"{store_path}: the two passphrases differ; nothing was created")
    elif is_encrypted(store_path):
        if not sys.stdin.isatty():
            raise UserError(f"{store_path}: the store is encrypted: give the passphrase "
                            "(--passphrase-fd N)")
        passphrase = getpass(f"Passphrase for {store_path}: ")
    if new and not passphrase:
        raise InvalidInput(f"{store_path}: the passphrase is empty; nothing was created")
    args._passphrase = passphrase
    return passphrase


def _open(args: argparse.Namespace, *, create: bool = False, writes: bool = False,
          encrypt: bool = False) -> Services:
    """Open the store; ``writes``: refuse a read-only store before anything is done."""
    from briefing_app.services import open_services

    store_path = paths.store_path(args.db)
    services = open_services(store_path, create=create,
                             read_only=True if args.read_only else None,
                             passphrase=_passphrase(args, store_path, new=encrypt))
    if writes:
        try:
            services.store.check_writable()
        except UserError:
            services.close()
            raise
    return services


def cmd_init(args: argparse.Namespace) -> int:
    if args.encrypt:
        from briefing_app.store.engine import is_encrypted

        store_path = paths.store_path(args.db)
        if store_path.is_file() and store_path.stat().st_size > 0 \
                and not is_encrypted(store_path):
            raise UserError(f"{store_path}: a store that is not encrypted is already here; "
                            "choose another --db")
    services = _open(args, create=True, writes=True, encrypt=args.encrypt)
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
        _print_json(document)
    else:
        summary = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in counts.items())
        state = "seed loaded" if document["changed"] else "already up to date"
        if args.empty:
            state = "empty store"
        print(f"Store ready at {document['store']} ({state}): {summary}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    services = _open(args, writes=True)
    try:
        results = services.letters.import_files([Path(f) for f in args.files])
    finally:
        services.close()
    rows = [r.to_dict() for r in results]
    if args.format == "json":
        _print_json(rows)
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


def cmd_export(args: argparse.Namespace) -> int:
    keys = None
    if args.only is not None:
        keys = [part.strip() for part in args.only.split(",") if part.strip()]
        if not keys:
            raise InvalidInput("only: give the items to export, e.g. --only 1,5,12")
    services = _open(args)
    try:
        result = services.tables.export(args.kind, Path(args.out), keys=keys)
    finally:
        services.close()
    document = result.to_dict()
    if args.format == "json":
        _print_json(document)
    else:
        noun = args.kind.replace("-", " ")
        print(f"Exported {result.rows} {noun} ({len(result.columns)} columns) to {result.path}")
    return 0


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = _cell(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def cmd_import_table(args: argparse.Namespace) -> int:
    from briefing_app.errors import TableProblems

    services = _open(args, writes=not args.dry_run)
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
        _print_json(document)
        return 0
    for change in plan.changes:
        parts = ", ".join(f"{c.column} {_value_text(c.old)} → {_value_text(c.new)}"
                          for c in change.changes)
        print(f"{plan.file}:{change.row}: {change.label}: {parts}")
    singular, plural = TABLE_NOUNS[args.kind]
    count = len(plan.changes)
    changed = f"{count} {singular if count == 1 else plural}"
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

def _list_rows(services: Services, kind: str) -> list[dict[str, Any]]:
    if kind == "letters":
        return [x.to_dict() for x in services.letters.list()]
    if kind == "action-points":
        return [x.to_dict() for x in services.tracking.action_points()]
    if kind == "measures":
        return [x.to_dict() for x in services.tracking.measures()]
    if kind == "countries":
        return [x.to_dict() for x in services.tracking.countries()]
    if kind == "people":
        return [x.to_dict() for x in services.catalogue.people()]
    if kind == "indicators":
        return [x.to_dict() for x in services.catalogue.indicators()]
    if kind == "meetings":
        return [x.to_dict() for x in services.catalogue.meetings()]
    if kind == "packs":
        return [x.to_dict() for x in services.catalogue.packs()]
    if kind == "status-history":
        return [x.to_dict() for x in services.tracking.history()]
    raise InvalidInput(f"kind: unknown kind {kind!r}")  # pragma: no cover (argparse checks)


def cmd_list(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        rows = _list_rows(services, args.kind)
    finally:
        services.close()
    _print_rows(args.kind, rows, args.format)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        kind, key = args.kind, args.id
        record: Any
        if kind == "letters":
            try:
                record = services.letters.get(int(key))
            except ValueError:
                raise InvalidInput(
                    f"letter {key!r}: give the id printed by 'list letters'") from None
        elif kind == "action-points":
            record = services.tracking.action_point(key)
        elif kind == "measures":
            record = services.tracking.measure(key)
        elif kind == "countries":
            record = services.tracking.country(key)
        elif kind == "people":
            record = services.catalogue.person(key)
        elif kind == "indicators":
            record = services.catalogue.indicator(key)
        else:
            record = services.catalogue.meeting(key)
        document = record.to_dict()
        if kind in STATUS_KINDS:
            document["history"] = [c.to_dict() for c in services.tracking.history(kind, key)]
    finally:
        services.close()
    _print_record(document, args.format)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    services = _open(args)
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
        _print_rows("search", rows, args.format)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    services = _open(args, writes=args.status_command == "set")
    try:
        if args.status_command == "set":
            change = services.tracking.set_status(
                args.kind, args.id, args.status, rag=args.rag, owner=args.owner,
                note=args.note, author=args.author, source="briefing-app status set",
            )
            document: Any = change.to_dict()
        else:
            document = [c.to_dict() for c in services.tracking.history(args.kind, args.id)]
    finally:
        services.close()
    if args.format == "json":
        _print_json(document)
    elif args.status_command == "set":
        print(f"{document['item_label']}: {document['old_status']} → {document['new_status']} "
              f"(RAG {document['new_rag']}), recorded as change {document['id']}")
    else:
        _print_rows("status-history", document, args.format)
    return 0


def _iso_date(value: str | None, field: str) -> date | None:
    """A date typed as YYYY-MM-DD; '' gives None (it clears the date)."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def _text_or_file(value: str, field: str) -> str:
    """A text given on the command line, or read from a file when written @FILE."""
    if not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{field}: cannot read {path} ({exc})") from None


def _print_meeting(document: dict[str, Any], fmt: str, verb: str) -> None:
    if fmt == "json":
        _print_json(document)
        return
    print(f"Meeting {document['id']} {verb}: {document['title']} "
          f"({document['formation']}, {document['date'] or 'no date'})")
    for number, item in enumerate(document["agenda"], start=1):
        print(f"  {number}. {item}")


def cmd_meeting(args: argparse.Namespace) -> int:
    services = _open(args, writes=True)
    try:
        if args.meeting_command == "add":
            meeting = services.packs.create_meeting(
                formation=args.formation, title=args.title,
                date=_iso_date(args.date, "date"), place=args.place,
                agenda=args.agenda or ())
            verb = "added"
        else:
            from briefing_app.services.packs import KEEP

            if args.no_agenda and args.agenda:
                raise InvalidInput("agenda: give --agenda items or --no-agenda, not both")
            agenda: Any = [] if args.no_agenda else (args.agenda if args.agenda else KEEP)
            meeting = services.packs.update_meeting(
                _meeting_id(args.id),
                formation=KEEP if args.formation is None else args.formation,
                title=KEEP if args.title is None else args.title,
                date=KEEP if args.date is None else _iso_date(args.date, "date"),
                place=KEEP if args.place is None else args.place,
                agenda=agenda)
            verb = "changed"
        document = meeting.to_dict()
    finally:
        services.close()
    _print_meeting(document, args.format, verb)
    return 0


def _meeting_id(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(f"meeting {value!r}: give the id printed by 'list meetings'") from None


def _pack_notes(args: argparse.Namespace) -> list[Any]:
    from briefing_app.reporting.compose import AgendaNote

    texts: dict[int, str] = {}
    related: dict[int, tuple[str, ...]] = {}
    if args.note is not None:
        texts[0] = _text_or_file(args.note, "note")
    for number, value in args.agenda_note or ():
        texts[_agenda_number(number, "agenda-note")] = _text_or_file(value, "agenda-note")
    for number, value in args.related or ():
        related[_agenda_number(number, "related")] = tuple(
            part.strip() for part in value.split(",") if part.strip())
    return [AgendaNote(n, texts.get(n), related.get(n)) for n in sorted({*texts, *related})]


def _agenda_number(value: str, field: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(f"{field}: {value!r} is not an agenda item number "
                           "(0 is the steering note)") from None
    if number < 0:
        raise InvalidInput(f"{field}: agenda item numbers start at 0 (the steering note)")
    return number


def cmd_pack(args: argparse.Namespace) -> int:
    from briefing_app.reporting.compose import (
        ALL_SECTIONS,
        DEFAULT_CLASSIFICATION,
        PackSpec,
        parse_sections,
    )

    sections = parse_sections(args.sections) if args.sections is not None else ALL_SECTIONS
    password = _pdf_password(args.password_file) if args.password_file is not None else None
    services = _open(args, writes=True)
    try:
        spec = PackSpec(
            meeting_id=_meeting_id(args.meeting) if args.meeting is not None else None,
            title=args.title,
            pack_id=_pack_id(args.pack) if args.pack is not None else None,
            sections=sections, notes=tuple(_pack_notes(args)),
            classification=(args.classification if args.classification is not None
                            else DEFAULT_CLASSIFICATION),
            draft=args.draft, paper=args.paper, since=_iso_date(args.since, "since"),
        )
        build = services.packs.build(spec, Path(args.out), password=password)
    finally:
        services.close()
    document = build.to_dict()
    if args.format == "json":
        _print_json(document)
    else:
        print(f"Built {document['pack_code']} version {document['version']} "
              f"({document['options']['classification']}, "
              f"{'DRAFT' if document['options']['draft'] else 'FINAL'}): "
              f"{document['page_count']} pages, {document['path']}")
        print(f"SHA-256 {document['sha256']}")
    return 0


def _pdf_password(value: str) -> str:
    """The first line of the password file (the password needed to open the PDF)."""
    path = Path(value).expanduser()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the password file ({exc})") from None
    if not lines or not lines[0]:
        raise InvalidInput(f"{path}: the first line (the PDF password) is empty")
    return lines[0]


def _pack_id(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(f"pack {value!r}: give the id printed by 'list packs'") from None


def _pack_to_print(args: argparse.Namespace) -> tuple[Path, int | None, dict[str, Any]]:
    """The file of the pack's latest build (or of ``--version N``), checked against the
    build's record: its page count, and what to report about it."""
    import hashlib

    from briefing_app.errors import NotFound

    services = _open(args)
    try:
        pack = services.packs.pack(_pack_id(args.pack))
    finally:
        services.close()
    if not pack.builds:
        raise NotFound(f"pack {pack.id}: it has never been built (build it with "
                       f"'pack build --pack {pack.id} --out FILE.pdf')")
    if args.version is None:
        build = max(pack.builds, key=lambda b: b.version)
    else:
        chosen = [b for b in pack.builds if b.version == args.version]
        if not chosen:
            versions = ", ".join(str(b.version) for b in pack.builds)
            raise NotFound(f"{pack.builds[0].pack_code}: no version {args.version} "
                           f"(built versions: {versions})")
        build = chosen[0]
    label = f"{build.pack_code} version {build.version}"
    path = Path(build.path)
    if not path.is_file():
        raise InvalidInput(f"{label}: {path}: no such file (moved or deleted since it was "
                           "built)")
    if build.options.get("encrypted"):
        raise InvalidInput(f"{label}: {path}: the PDF needs a password to open, so CUPS "
                           "cannot print it; open it in a PDF viewer and print from there")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InvalidInput(f"{label}: {path}: cannot be read ({exc.strerror or exc})") from None
    if digest != build.sha256:
        raise InvalidInput(f"{label}: {path} has changed since it was built (its SHA-256 "
                           "differs); build the pack again")
    return path, build.page_count, {"pack_id": build.pack_id, "pack_code": build.pack_code,
                                    "version": build.version}


def cmd_pack_print(args: argparse.Namespace) -> int:
    from briefing_app import printing

    if args.version is not None and args.pack is None:
        raise UsageError("--version goes with --pack ID (see 'briefing-app pack print --help')")
    if not 1 <= args.copies <= 999:
        raise InvalidInput(f"copies: {args.copies} is not between 1 and 999")
    if args.wait <= 0:
        raise InvalidInput(f"wait: {args.wait:g} is not a number of seconds above 0")
    if args.pack is not None:
        path, pages, about = _pack_to_print(args)
    else:
        path = Path(args.file).expanduser()
        pages, about = printing.inspect_pdf(path), {}
    outcome = printing.print_pdf(path, args.printer, title=path.name, copies=args.copies,
                                 pages=pages, timeout=args.wait)
    document = {**about, "file": str(path), "job_name": printing.safe_job_name(path.name),
                **outcome.to_dict()}
    if args.format == "json":
        _print_json(document)
    elif outcome.completed:
        print(outcome.message())
        print(f"{about['pack_code']} version {about['version']}: {path}" if about else path)
    if not outcome.completed:
        raise UserError(outcome.message())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        result = services.maintenance.backup(Path(args.out))
    finally:
        services.close()
    if args.format == "json":
        _print_json(result.to_dict())
    else:
        print(f"Backed up {result.store} to {result.path} ({result.size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    # the store is not opened first: restoring must work when it no longer opens
    from briefing_app.services.maintenance import restore_store
    from briefing_app.store.engine import Store, detect_read_only, is_encrypted

    store_path = paths.store_path(args.db)
    if not store_path.is_file():
        raise UserError(f"{store_path}: no store here (run 'briefing-app init' to create one)")
    if args.read_only or detect_read_only(store_path):
        raise UserError(f"{store_path}: the store is read-only (write-protected location); "
                        "changes are disabled")
    if is_encrypted(store_path):
        raise UserError(f"{store_path}: the store is encrypted; restore is not supported yet "
                        "(copy the backup file over it)")
    result = restore_store(store_path, Path(args.file), paths.backups_dir())
    Store(store_path, create=False).close()  # migrates an older backup to the newest schema
    if args.format == "json":
        _print_json(result.to_dict())
    else:
        kept = (f"; the replaced store is kept as {result.previous_store_backup}"
                if result.previous_store_backup else "")
        print(f"Restored {result.store} from {result.restored_from}{kept}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        report = services.maintenance.check()
    finally:
        services.close()
    if args.format == "json":
        _print_json(report.to_dict())
        return 0 if report.ok else 1
    for check in report.checks:
        print(f"{check.name}: {'ok' if check.ok else 'PROBLEMS'} ({check.checked})")
        for problem in check.problems:
            print(f"  {problem}")
    if not report.ok:
        failed = ", ".join(c.name for c in report.checks if not c.ok)
        print(f"{PROG}: {report.store}: the check found problems ({failed}); restore a backup "
              "('briefing-app restore FILE')", file=sys.stderr)
        return 1
    print(f"{report.store}: no problems found")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    # The one place the core reaches into the front end (DESIGN §3), lazily.
    from ui.app import run

    store_path = paths.store_path(args.db)
    from briefing_app.store.engine import is_encrypted

    passphrase = _passphrase(args, store_path) if (
        args.passphrase_fd is not None or (args.screenshot and is_encrypted(store_path))) \
        else None
    return run(
        store_path=store_path,
        screenshot=Path(args.screenshot) if args.screenshot else None,
        view=args.view,
        size=args.size,
        read_only=True if args.read_only else None,
        passphrase=passphrase,
    )


# ------------------------------------------------------------------------------ parser


def _global_options_after_commands(parser: argparse.ArgumentParser) -> None:
    """Let --db, --read-only and --passphrase-fd also follow the command name
    (``briefing-app gui --db X``); given there, they win over the defaults."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in set(action.choices.values()):
            sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                             help="the store file (as before the command)")
            sub.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                             help=argparse.SUPPRESS)
            sub.add_argument("--passphrase-fd", type=int, metavar="N",
                             default=argparse.SUPPRESS, help=argparse.SUPPRESS)
            _global_options_after_commands(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Briefing App: policy letters, action points, "
                     "measures and partner countries, and the briefing packs built from them.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help=f"the store file (default: ${paths.DB_ENV_VAR} or "
                             "the store in your user data folder)")
    parser.add_argument("--read-only", action="store_true",
                        help="open the store read-only: reading works, changes are refused "
                             "(automatic on a write-protected location)")
    parser.add_argument("--passphrase-fd", type=int, metavar="N",
                        help="read the passphrase of an encrypted store from file descriptor "
                             "N (one line; otherwise it is asked on the terminal)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], int],
            formats: Sequence[str] = FORMATS) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if formats:
            sub.add_argument("--format", choices=formats, default="table",
                             help="output format (default: table)")
        return sub

    init = add("init", "create the store, migrate it and load the bundled letters", cmd_init,
               ("table", "json"))
    init.add_argument("--empty", action="store_true", help="do not load the bundled seed")
    init.add_argument("--encrypt", action="store_true",
                      help="create an encrypted store (SQLCipher); the passphrase is asked "
                           "twice, or read from --passphrase-fd")

    importer = add("import", "import letters (.txt, .md, .docx, or a PDF with a text layer)",
                   cmd_import, ("table", "json"))
    importer.add_argument("files", nargs="+", metavar="FILE")

    lister = add("list", "list the items of one kind", cmd_list)
    lister.add_argument("kind", choices=LIST_KINDS, metavar="KIND",
                        help="one of: " + ", ".join(LIST_KINDS))

    show = add("show", "show one item with its citations", cmd_show)
    show.add_argument("kind", choices=SHOW_KINDS, metavar="KIND",
                      help="one of: " + ", ".join(SHOW_KINDS))
    show.add_argument("id", metavar="ID", help="number (action points, measures), ISO code "
                      "(countries), key or id (indicators), or the id printed by list")

    search = add("search", "search the letters (every word must match)", cmd_search)
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N")

    status = commands.add_parser("status", help="change or review the status of an item",
                                 description="change or review the status of an item")
    status_commands = status.add_subparsers(dest="status_command", metavar="ACTION",
                                            parser_class=_Parser, required=True)
    setter = status_commands.add_parser("set", help="set the status of an item")
    setter.set_defaults(handler=cmd_status)
    setter.add_argument("kind", choices=STATUS_KINDS, metavar="KIND",
                        help="one of: " + ", ".join(STATUS_KINDS))
    setter.add_argument("id", metavar="ID")
    setter.add_argument("status", metavar="STATUS", nargs="?",
                        help="not started | in progress | delayed | done | dropped | no evidence")
    setter.add_argument("--rag", help="green | amber | red | grey (default: from the status)")
    setter.add_argument("--owner", help="who follows the item ('' clears it)")
    setter.add_argument("--note", help="why the status changed")
    setter.add_argument("--author", help="who made the change (default: your account name)")
    setter.add_argument("--format", choices=("table", "json"), default="table")
    history = status_commands.add_parser("history", help="the status history of items")
    history.set_defaults(handler=cmd_status)
    history.add_argument("kind", choices=STATUS_KINDS, metavar="KIND")
    history.add_argument("id", metavar="ID", nargs="?")
    history.add_argument("--format", choices=FORMATS, default="table")

    exporter = add("export", "export a list to a CSV or XLSX file", cmd_export,
                   ("table", "json"))
    exporter.add_argument("kind", choices=EXPORT_KINDS, metavar="KIND",
                          help="one of: " + ", ".join(EXPORT_KINDS))
    exporter.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx",
                          help="the file to write (replaced if it exists)")
    exporter.add_argument("--only", metavar="KEYS",
                          help="comma list of the items to export, in this order: numbers, "
                               "ISO codes, indicator keys or ids (default: every item)")

    table_importer = add(
        "import-table", "update action points, measures, countries or indicators from a CSV "
        "or XLSX table (every row is checked first; any bad row and nothing is written)",
        cmd_import_table, ("table", "json"))
    table_importer.add_argument("kind", choices=TABLE_IMPORT_KINDS, metavar="KIND",
                                help="one of: " + ", ".join(TABLE_IMPORT_KINDS))
    table_importer.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    table_importer.add_argument("--dry-run", action="store_true",
                                help="print what would change and write nothing")
    table_importer.add_argument("--author",
                                help="who made the changes (default: your account name)")

    meeting = commands.add_parser("meeting", help="add or change a meeting",
                                  description="add or change a meeting a pack is prepared for")
    meeting_commands = meeting.add_subparsers(dest="meeting_command", metavar="ACTION",
                                              parser_class=_Parser, required=True)
    formations = "European Council | Justice and Home Affairs Council | " \
                 "Ministerial conference | other"
    adder = meeting_commands.add_parser("add", help="add a meeting")
    adder.set_defaults(handler=cmd_meeting)
    adder.add_argument("--formation", required=True, help=formations)
    adder.add_argument("--title", required=True)
    adder.add_argument("--date", metavar="YYYY-MM-DD")
    adder.add_argument("--place")
    adder.add_argument("--agenda", action="append", metavar="ITEM",
                       help="an agenda item (repeat for each, in order)")
    adder.add_argument("--format", choices=("table", "json"), default="table")
    editor = meeting_commands.add_parser("edit", help="change a meeting (only what is given)")
    editor.set_defaults(handler=cmd_meeting)
    editor.add_argument("id", metavar="ID", help="the id printed by 'list meetings'")
    editor.add_argument("--formation", help=formations)
    editor.add_argument("--title")
    editor.add_argument("--date", metavar="YYYY-MM-DD", help="'' clears it")
    editor.add_argument("--place", help="'' clears it")
    editor.add_argument("--agenda", action="append", metavar="ITEM",
                        help="replaces the whole agenda (repeat for each item, in order)")
    editor.add_argument("--no-agenda", action="store_true", help="remove every agenda item")
    editor.add_argument("--format", choices=("table", "json"), default="table")

    pack = commands.add_parser("pack", help="build or print briefing packs",
                               description="build or print briefing packs")
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="ACTION",
                                        parser_class=_Parser, required=True)
    builder = pack_commands.add_parser(
        "build", help="build a new version of a pack as a PDF",
        description="Build a new version of a pack as a PDF. Sections (in order): "
                    "cover, contents, lines-to-take, action-points, measures, matrix, "
                    "countries, signatories, changes, annexes, sources. Items: "
                    "measures:1-4+12, countries:TN+LY, annexes:1+5 (letter ids).")
    builder.set_defaults(handler=cmd_pack)
    which = builder.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help="the meeting's pack (its latest)")
    which.add_argument("--title", metavar="TEXT", help="a pack with no meeting, by title")
    which.add_argument("--pack", metavar="ID", help="an existing pack, by the id of 'list packs'")
    builder.add_argument("--sections", metavar="LIST",
                         help="comma list of section keys, optionally with items "
                              "(default: every section, every letter annexed)")
    from briefing_app.domain.markings import DEFAULT_CLASSIFICATION, EU_MARKINGS

    builder.add_argument("--classification", metavar="TEXT",
                         help="the marking on the cover and every page, printed exactly as "
                              f"typed (default: {DEFAULT_CLASSIFICATION}); the EU markings: "
                              + ", ".join(EU_MARKINGS) + "; national ones come from the "
                              "settings (markings.json in the user config folder); any "
                              "other marking is used as typed, with a warning")
    builder.add_argument("--draft", action="store_true",
                         help="mark the pack DRAFT (diagonal watermark); default FINAL")
    builder.add_argument("--paper", choices=("a4", "letter"), default="a4")
    builder.add_argument("--since", metavar="YYYY-MM-DD",
                         help="'what has changed' counts from this date (default: the "
                              "previous version of the pack)")
    builder.add_argument("--note", metavar="TEXT",
                         help="the steering note (simple formatting; @FILE reads a file)")
    builder.add_argument("--agenda-note", nargs=2, action="append", metavar=("N", "TEXT"),
                         help="lines to take for agenda item N (@FILE reads a file)")
    builder.add_argument("--related", nargs=2, action="append", metavar=("N", "ITEMS"),
                         help="items listed under agenda item N, e.g. "
                              "measures:12,countries:TN,action-points:3")
    builder.add_argument("--out", required=True, metavar="FILE.pdf")
    builder.add_argument("--password-file", metavar="FILE",
                         help="encrypt the PDF: its first line is the password needed to "
                              "open it (printing allowed, copying and changes not)")
    builder.add_argument("--format", choices=("table", "json"), default="table")
    printer = pack_commands.add_parser(
        "print", help="print a built pack (or a PDF) on a CUPS printer and wait for CUPS "
                      "to report the job completed",
        description="Print a built pack (its latest version, or --version N) or a PDF file "
                    "on a CUPS printer, then follow the job: exit 0 only when CUPS reports "
                    "it completed; exit 1 with CUPS's reason when it was refused, aborted, "
                    "cancelled, or is still queued (a stopped queue, a held job).")
    printer.set_defaults(handler=cmd_pack_print)
    what = printer.add_mutually_exclusive_group(required=True)
    what.add_argument("--pack", metavar="ID", help="a built pack, by the id of 'list packs'")
    what.add_argument("file", metavar="FILE.pdf", nargs="?", help="a PDF file to print")
    printer.add_argument("--version", type=int, metavar="N",
                         help="with --pack: this version (default: the latest build)")
    printer.add_argument("--printer", metavar="NAME",
                         help="the CUPS queue (default: your default printer, lpstat -d)")
    printer.add_argument("--copies", type=int, default=1, metavar="N",
                         help="how many copies (default: 1)")
    printer.add_argument("--wait", type=float, default=120.0, metavar="SECONDS",
                         help="how long to wait for the job to complete before reporting it "
                              "still queued (default: 120; a stopped queue or a held job "
                              "is reported after 10)")
    printer.add_argument("--format", choices=("table", "json"), default="table")

    backup = add("backup", "write a consistent copy of the store to a file", cmd_backup,
                 ("table", "json"))
    backup.add_argument("--out", required=True, metavar="FILE",
                        help="the backup file to write (replaced if it exists)")
    restore = add("restore", "replace the store with a backup (checked first; the replaced "
                  "store is kept in the backups folder)", cmd_restore, ("table", "json"))
    restore.add_argument("file", metavar="FILE")
    add("check", "check the store: integrity, references, search index, citations",
        cmd_check, ("table", "json"))

    gui = add("gui", "open the desktop app", cmd_gui, formats=())
    gui.add_argument("--screenshot", metavar="FILE.png",
                     help="load the window offscreen, save a PNG of it and exit")
    gui.add_argument("--view", default=None,
                     help="the view to open (default: the last one used; letters for "
                          "screenshots)",
                     choices=("letters", "action-points", "measures", "countries", "people",
                              "packs"))
    gui.add_argument("--size", default="1400x900", metavar="WxH")
    _global_options_after_commands(parser)
    return parser


# -------------------------------------------------------------------------------- main


def _log_bug(exc: BaseException) -> Path | None:
    try:
        folder = paths.user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "errors.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')} "
                         f"{PROG} {__version__}\n")
            handle.write("".join(traceback.format_exception(exc)))
        return log
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(arguments)
        if args.command is None:
            args = parser.parse_args([*arguments, "gui"])
        return int(args.handler(args))
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if os.environ.get("BRIEFING_APP_DEBUG"):
            raise
        log = _log_bug(exc)
        where = f"; details in {log}" if log else ""
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 1


def gui_main() -> int:
    """Entry point of the GUI launcher (no console on Windows): no command opens the app."""
    return main()
