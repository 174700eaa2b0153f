"""The ``briefing-app`` command line: a contract scripts rely on (the README lists it).

It parses arguments, calls the same services as the desktop app and prints.
``--format json`` prints one JSON document on stdout and nothing else.
Exit codes: 0 success, 1 a runtime failure (one line on stderr), 2 a usage
error. A user's mistake never shows a traceback; a bug is logged with its
traceback to the user log directory and reported in one line.

Each group of commands lives in its own module and adds its commands to the
parser (``add_commands``); this module assembles them, in the order ``--help``
lists them, and runs one.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from briefing_app import __version__, paths
from briefing_app.cli.common import PROG, Parser, UsageError
from briefing_app.errors import UserError

__all__ = ["PROG", "UsageError", "build_parser", "gui_main", "main"]

#: The command groups (modules of this package), in the order ``--help`` lists them.
GROUPS = ("letters", "tracking", "commitments", "follow_ups", "tables", "meetings", "packs",
          "maintenance", "team", "briefcase", "gui")
#: Options before the command that take a value.
_VALUED = ("--db", "--passphrase-fd")


def _command_in(arguments: Sequence[str]) -> str | None:
    """The command named in ``arguments`` (the first word after the global options)."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in _VALUED:
            skip = True
        elif argument != "--read-only" and not argument.startswith(tuple(f"{o}=" for o in
                                                                         _VALUED)):
            return argument
    return None


def _global_options_after_commands(parser: argparse.ArgumentParser) -> None:
    """Let --db, --read-only and --passphrase-fd also follow the command name
    (``briefing-app gui --db X``); given there, they win over the defaults."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in set(action.choices.values()):
            sub.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS,
                             help="the store file (as before the command)")
            sub.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                             help=argparse.SUPPRESS)
            sub.add_argument("--passphrase-fd", type=int, metavar="N",
                             default=argparse.SUPPRESS, help=argparse.SUPPRESS)
            _global_options_after_commands(sub)


def build_parser(groups: Sequence[str] = GROUPS) -> argparse.ArgumentParser:
    """The parser of the commands of ``groups`` (all of them unless told).

    Opening the window needs only the ``gui`` group: the others (packs, tables…)
    are then not imported, which keeps their modules off the app's start-up.
    """
    parser = Parser(prog=PROG, description="Briefing App: policy letters, action points, "
                    "measures and partner countries, and the briefing packs built from them.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="the store file, or a team store's address "
                             "postgresql://USER@HOST:PORT/DB (never with its password) "
                             f"(default: ${paths.DB_ENV_VAR} or the store in your user data "
                             "folder)")
    parser.add_argument("--read-only", action="store_true",
                        help="open the store read-only: reading works, changes are refused "
                             "(automatic on a write-protected location)")
    parser.add_argument("--passphrase-fd", type=int, metavar="N",
                        help="read the passphrase of an encrypted store from file descriptor "
                             "N (one line; otherwise it is asked on the terminal)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in groups:
        importlib.import_module(f"briefing_app.cli.{name}").add_commands(commands)
    _global_options_after_commands(parser)
    return parser


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
    if os.environ.get("BRIEFING_APP_DEBUG"):  # what the app does, on stderr
        import logging

        logging.basicConfig(stream=sys.stderr, format="%(name)s: %(message)s")
        logging.getLogger("briefing_app").setLevel(logging.DEBUG)
    try:
        opens_window = _command_in(arguments) in (None, "gui")
        parser = build_parser(("gui",) if opens_window else GROUPS)
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
