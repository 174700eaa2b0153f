"""``pack build`` (a new version of a briefing pack as a PDF) and ``pack print`` (on CUPS)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app.cli.common import (
    UsageError,
    add_group,
    iso_date,
    open_store,
    print_json,
    text_or_file,
)
from briefing_app.domain.kinds import MEETINGS, PACKS
from briefing_app.errors import InvalidInput, UserError
from briefing_app.reporting.sections import sections_help

if TYPE_CHECKING:
    from briefing_app.cli.common import Commands

# ------------------------------------------------------------------------------- build


def _pack_notes(args: argparse.Namespace) -> list[Any]:
    from briefing_app.reporting.spec import AgendaNote

    texts: dict[int, str] = {}
    related: dict[int, tuple[str, ...]] = {}
    if args.note is not None:
        texts[0] = text_or_file(args.note, "note")
    for number, value in args.agenda_note or ():
        texts[_agenda_number(number, "agenda-note")] = text_or_file(value, "agenda-note")
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


def cmd_pack_build(args: argparse.Namespace) -> int:
    from briefing_app.reporting.spec import (
        DEFAULT_CLASSIFICATION,
        PackSpec,
        default_sections,
        parse_sections,
    )

    sections = parse_sections(args.sections) if args.sections is not None \
        else default_sections()
    password = _pdf_password(args.password_file) if args.password_file is not None else None
    services = open_store(args, writes=True)
    try:
        spec = PackSpec(
            meeting_id=MEETINGS.parse_id(args.meeting) if args.meeting is not None else None,
            title=args.title,
            pack_id=PACKS.parse_id(args.pack) if args.pack is not None else None,
            sections=sections, notes=tuple(_pack_notes(args)),
            classification=(args.classification if args.classification is not None
                            else DEFAULT_CLASSIFICATION),
            draft=args.draft, paper=args.paper, since=iso_date(args.since, "since"),
        )
        build = services.packs.build(spec, Path(args.out), password=password)
    finally:
        services.close()
    document = build.to_dict()
    if args.format == "json":
        print_json(document)
    else:
        print(f"Built {document['pack_code']} version {document['version']} "
              f"({document['options']['classification']}, "
              f"{'DRAFT' if document['options']['draft'] else 'FINAL'}): "
              f"{document['page_count']} pages, {document['path']}")
        print(f"SHA-256 {document['sha256']}")
    return 0


# ------------------------------------------------------------------------------- print


def _pack_to_print(args: argparse.Namespace) -> tuple[Path, int | None, dict[str, Any]]:
    """The file of the pack's latest build (or of ``--version N``), checked against the
    build's record: its page count, and what to report about it."""
    import hashlib

    from briefing_app.errors import NotFound

    services = open_store(args)
    try:
        pack = services.packs.pack(PACKS.parse_id(args.pack))
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
        print_json(document)
    elif outcome.completed:
        print(outcome.message())
        print(f"{about['pack_code']} version {about['version']}: {path}" if about else path)
    if not outcome.completed:
        raise UserError(outcome.message())
    return 0


# ------------------------------------------------------------------------------ parser


def add_commands(commands: Commands) -> None:
    actions = add_group(commands, "pack", "build or print briefing packs",
                        "build or print briefing packs", "pack_command")
    builder = actions.add_parser(
        "build", help="build a new version of a pack as a PDF",
        description="Build a new version of a pack as a PDF. " + sections_help())
    builder.set_defaults(handler=cmd_pack_build)
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

    printer = actions.add_parser(
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
