"""What every command group shares: the parser class, opening the store, printing.

Printing follows the command line's contract: ``--format json`` prints one
JSON document on stdout and nothing else; ``csv`` has a header row; ``table``
fits the terminal.
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
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from briefing_app import paths
from briefing_app.errors import InvalidInput, UserError

if TYPE_CHECKING:
    from briefing_app.services import Services
    from briefing_app.store.postgres import TeamStore
    from briefing_app.store.team_access import Ask

    #: What ``add_subparsers()`` returns: each group adds its commands to it.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

PROG = "briefing-app"
FORMATS = ("table", "json", "csv")

#: A command's handler: the parsed arguments in, the exit code out.
Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Wrong words on the command line (exit 2)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def add_command(commands: Commands, name: str, help_text: str, handler: Handler,
                formats: Sequence[str] = FORMATS) -> argparse.ArgumentParser:
    """A command with its handler and, unless ``formats`` is empty, ``--format``."""
    sub: argparse.ArgumentParser = commands.add_parser(name, help=help_text,
                                                       description=help_text)
    sub.set_defaults(handler=handler)
    if formats:
        sub.add_argument("--format", choices=formats, default="table",
                         help="output format (default: table)")
    return sub


def add_group(commands: Commands, name: str, help_text: str, description: str,
              dest: str) -> Commands:
    """A command with actions of its own (``status set``, ``pack build``…)."""
    group = commands.add_parser(name, help=help_text, description=description)
    return group.add_subparsers(dest=dest, metavar="ACTION", parser_class=Parser,
                                required=True)


# ------------------------------------------------------------------------------- output


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


Column = tuple[str, Callable[[dict[str, Any]], Any]]


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _roles_summary(row: dict[str, Any]) -> str:
    return "; ".join(f"{r['role']} (letter {r['letter_id']})" for r in row["roles"])


#: The columns of the table and CSV outputs, per list.
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
    "commitments": [("id", _field("id")), ("series", _field("series")),
                    ("number", _field("number")), ("section", _field("section")),
                    ("letter_id", _field("letter_id")), ("state", _field("state")),
                    ("status", _field("status")), ("due_date", _field("due_date")),
                    ("countries", _field("countries")), ("title", _field("title"))],
    "follow-ups": [("id", _field("id")), ("item", _field("item_label")),
                   ("state", _field("state")), ("score", _field("score")),
                   ("letter_id", _field("letter_id")), ("letter_date", _field("letter_date")),
                   ("span", lambda r: f"{r['start']}-{r['end']}"), ("text", _field("text"))],
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


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _print_csv(kind: str, rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = COLUMNS[kind]
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow([cell(get(row)) for _, get in columns])
    sys.stdout.write(buffer.getvalue())


def _print_table(kind: str, rows: list[dict[str, Any]]) -> None:
    columns = COLUMNS[kind]
    cells = [[cell(get(row)).replace("\n", " ") for _, get in columns] for row in rows]
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


def print_rows(kind: str, rows: list[dict[str, Any]], fmt: str) -> None:
    """A list in the format asked for, with the columns of :data:`COLUMNS` ``[kind]``."""
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        _print_csv(kind, rows)
    else:
        _print_table(kind, rows)


def print_record(record: dict[str, Any], fmt: str) -> None:
    """One item, field by field (its citations and roles as indented entries)."""
    if fmt == "json":
        print_json(record)
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in record.items():
            writer.writerow([key, json.dumps(value, ensure_ascii=False)
                             if isinstance(value, list | dict) else cell(value)])
        sys.stdout.write(buffer.getvalue())
        return
    width = min(100, shutil.get_terminal_size((100, 24)).columns)
    out: list[str] = []
    for key, value in record.items():
        if key == "commitments" and isinstance(value, list):
            out.append(f"{key}:" if value else f"{key}: none")
            out.extend(textwrap.fill(
                f"{c['id']} {c['series']} {c['marker'] or c['position']} ({c['state']}): "
                f"{c['title']}", width, initial_indent="  - ", subsequent_indent="    ")
                for c in value)
            continue
        if key in ("citations", "roles", "instruments", "annexes", "corrections") and value:
            out.append(f"{key}:")
            for entry in value:
                summary = ", ".join(f"{k}={cell(v)}" for k, v in entry.items()
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
        if key == "evidence" and isinstance(value, dict):
            out.extend(_evidence_lines(value, width))
            continue
        if key == "follow_ups" and isinstance(value, list):
            out.append(f"{key}:" if value else f"{key}: none")
            for f in value:
                out.append(textwrap.fill(
                    f"{f['id']} {f['state']} · letter {f['letter_id']} "
                    f"({f['letter_date'] or 'undated'}) · {f['start']}-{f['end']} · score "
                    f"{cell(f['score'])}", width, initial_indent="  - ",
                    subsequent_indent="    "))
                out.append(textwrap.fill(f"“{f['text']}”", width, initial_indent="    ",
                                         subsequent_indent="    ", max_lines=3,
                                         placeholder=" …”"))
            continue
        if key in ("as_of", "stale", "no_source") and "evidence" in record:
            continue  # said on the evidence line
        out.append(textwrap.fill(f"{key}: {cell(value)}", width, subsequent_indent="  "))
    sys.stdout.write("\n".join(out) + "\n")


def _evidence_lines(evidence: dict[str, Any], width: int) -> list[str]:
    """A tracked item's date and source, in words: "as of: 2024-10-14 (stale)" and
    "source: follow-up 4, letter 5 (2024-10-14): “…”" or "source: none (no source)"."""
    stale = " (stale)" if evidence["stale"] else ""
    lines = [f"as of: {evidence['as_of'] or 'no date'}{stale}"]
    source = evidence.get("source")
    if source:
        lines.append(textwrap.fill(
            f"source: follow-up {source['id']}, letter {source['letter_id']} "
            f"({source['letter_date'] or 'undated'}): “{source['text']}”", width,
            subsequent_indent="  ", max_lines=4, placeholder=" …”"))
    else:
        lines.append("source: no source (the status rests on no passage)"
                     if evidence["no_source"] else "source: none")
    return lines


# ------------------------------------------------------------------------------- store


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


def passphrase(args: argparse.Namespace, store_path: Path, *, new: bool = False) -> str | None:
    """The passphrase of an encrypted store (or of a new one when ``new``), else None."""
    from getpass import getpass

    from briefing_app.store.engine import is_encrypted

    if getattr(args, "_passphrase", None) is not None:
        return str(args._passphrase)
    secret: str | None = None
    if args.passphrase_fd is not None:
        secret = _read_passphrase_fd(args.passphrase_fd)
    elif new:
        if not sys.stdin.isatty():
            raise InvalidInput(f"{store_path}: give the passphrase of the new encrypted store "
                               "(--passphrase-fd N)")
        secret = getpass(f"New passphrase for {store_path}: ")
        if getpass("The passphrase again: ") != secret:
            raise InvalidInput(f"{store_path}: the two passphrases differ; nothing was created")
    elif is_encrypted(store_path):
        if not sys.stdin.isatty():
            raise UserError(f"{store_path}: the store is encrypted: give the passphrase "
                            "(--passphrase-fd N)")
        secret = getpass(f"Passphrase for {store_path}: ")
    if new and not secret:
        raise InvalidInput(f"{store_path}: the passphrase is empty; nothing was created")
    args._passphrase = secret
    return secret


def _password_on_terminal(who: str, attempt: int) -> str | None:
    """A team store's password typed on the terminal (not echoed); None: nothing typed."""
    from getpass import getpass

    again = "Wrong password. " if attempt else ""
    try:
        typed = getpass(f"{again}Password for {who}: ")
    except EOFError:
        return None
    return typed or None


def password_prompt() -> Ask | None:
    """How a command asks for a team store's password: on the terminal when there is
    one, else not at all (the open then says where to put the password)."""
    return _password_on_terminal if sys.stdin.isatty() else None


def _no_passphrase_for_team(args: argparse.Namespace, url: str, *, encrypt: bool) -> None:
    if args.passphrase_fd is not None or encrypt:
        raise InvalidInput(f"{paths.shown_url(url)}: --passphrase-fd and --encrypt are for an "
                           "encrypted store file; a team store's password comes from "
                           "~/.pgpass, the system keyring or the terminal")


def team_store(args: argparse.Namespace, url: str, *, read_only: bool = False) -> TeamStore:
    """Open the team store at ``url`` as a command does (the password asked on the
    terminal when ~/.pgpass and the keyring have none): for commands that name a team
    store of their own, such as a briefcase's ``--from URL``."""
    from briefing_app.store.postgres import TeamStore

    return TeamStore(url, read_only=read_only or bool(args.read_only),
                     ask_password=password_prompt())


def open_store(args: argparse.Namespace, *, create: bool = False, writes: bool = False,
               encrypt: bool = False) -> Services:
    """Open the store (a file, or a team store's URL); ``writes``: refuse a read-only
    store (or a team store's reader) before anything is done."""
    from briefing_app.services import open_services

    target = paths.store_path(args.db)
    if isinstance(target, str):
        _no_passphrase_for_team(args, target, encrypt=encrypt)
        services = open_services(target, read_only=True if args.read_only else None,
                                 ask_password=password_prompt())
    else:
        services = open_services(target, create=create,
                                 read_only=True if args.read_only else None,
                                 passphrase=passphrase(args, target, new=encrypt))
    if writes:
        try:
            services.store.check_writable()
        except UserError:
            services.close()
            raise
    return services


# ---------------------------------------------------------------------------- arguments


def iso_date(value: str | None, field: str) -> date | None:
    """A date typed as YYYY-MM-DD; '' gives None (it clears the date)."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field}: {value!r} is not a date; write it as YYYY-MM-DD") from None


def text_or_file(value: str, field: str) -> str:
    """A text given on the command line, or read from a file when written @FILE."""
    if not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{field}: cannot read {path} ({exc})") from None
