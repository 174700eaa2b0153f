"""The national security markings a ministry adds, kept in the user's settings.

The standard markings (:mod:`briefing_app.domain.markings`) are always
offered; the national ones (e.g. "VS – NUR FÜR DEN DIENSTGEBRAUCH",
"DIFFUSION RESTREINTE") are kept in ``markings.json`` in the user config
folder (``~/.config/briefing-app/`` on Linux)::

    {"national_markings": ["VS – NUR FÜR DEN DIENSTGEBRAUCH", "DIFFUSION RESTREINTE"]}

A missing file means no national markings. A file that cannot be used is
never fatal: :func:`load_settings` reports what is wrong (the file's path and
the problem, as a logged warning and in :attr:`MarkingSettings.problem`) and
goes on without it. :func:`save_settings` checks the list first and replaces
the file in one step, so a failed save leaves the old file as it was.

The command line has no logging set up, so the warnings logged here print as
one line each on stderr; the desktop app writes them to its log file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing_app import paths
from briefing_app.domain.markings import (
    STANDARD_MARKINGS,
    MarkingCheck,
    check_national,
    classify,
)
from briefing_app.errors import InvalidInput, UserError

log = logging.getLogger(__name__)

SETTINGS_FILE_NAME = "markings.json"
#: The key of the list in the settings file.
NATIONAL_KEY = "national_markings"
#: At most this many national markings (and a settings file of at most MAX_BYTES).
MAX_NATIONAL = 100
MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class MarkingSettings:
    """The national markings in force, and why the settings file was ignored (if it was)."""

    path: Path
    national: tuple[str, ...] = ()
    problem: str | None = None  # "PATH: what is wrong"; the file was ignored

    @property
    def markings(self) -> tuple[str, ...]:
        """Every marking to offer: the standard ones, then the national ones."""
        return STANDARD_MARKINGS + self.national

    def classify(self, text: str) -> MarkingCheck:
        """Whether ``text`` is the default, an EU, a national or an unknown marking."""
        return classify(text, self.national)


def settings_path() -> Path:
    """The national markings' settings file in the user config folder."""
    return paths.user_config_dir() / SETTINGS_FILE_NAME


def read_settings(path: Path | None = None) -> tuple[str, ...]:
    """The national markings of the settings file (none when it does not exist).

    Raises :class:`~briefing_app.errors.InvalidInput` ("PATH: what is wrong")
    when the file cannot be read or is not a list of markings.
    """
    path = path or settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_BYTES // 1024} KB; not a "
                               "markings file")
        raw = path.read_bytes()
    except FileNotFoundError:
        return ()
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a settings file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    if not isinstance(document, dict) or not isinstance(document.get(NATIONAL_KEY), list):
        raise InvalidInput(f'{path}: expected {{"{NATIONAL_KEY}": [a list of markings]}}')
    entries = document[NATIONAL_KEY]
    if len(entries) > MAX_NATIONAL:
        raise InvalidInput(f"{path}: {NATIONAL_KEY}: at most {MAX_NATIONAL} markings")
    try:
        return check_national(entries, noun=f"{NATIONAL_KEY} entry")
    except ValueError as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def load_settings(path: Path | None = None, *, report: bool = True) -> MarkingSettings:
    """The national markings in force; never raises.

    A file that cannot be used is ignored: its problem is logged (unless
    ``report`` is false) and kept in :attr:`MarkingSettings.problem`.
    """
    path = path or settings_path()
    try:
        return MarkingSettings(path, read_settings(path))
    except InvalidInput as exc:
        if report:
            log.warning("%s: warning: national markings ignored: %s", paths.APP_NAME,
                        exc.message)
        return MarkingSettings(path, (), exc.message)


def save_settings(national: Iterable[str], path: Path | None = None) -> MarkingSettings:
    """Check ``national`` (whitespace collapsed, nothing else changed) and write the file.

    Raises :class:`~briefing_app.errors.InvalidInput` naming the bad entry, or
    :class:`~briefing_app.errors.UserError` when the file cannot be written
    (then the old file is left as it was).
    """
    path = path or settings_path()
    entries = list(national)
    try:
        kept = check_national(entries)
    except ValueError as exc:
        raise InvalidInput(f"national markings: {exc}") from None
    if len(kept) > MAX_NATIONAL:
        raise InvalidInput(f"national markings: at most {MAX_NATIONAL}")
    text = json.dumps({NATIONAL_KEY: list(kept)}, ensure_ascii=False, indent=2) + "\n"
    temp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                        dir=path.parent)
        temp = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    return MarkingSettings(path, kept)


def check_marking(text: str, settings: MarkingSettings | None = None) -> MarkingCheck:
    """Classify a pack's marking; an unknown one is logged as a one-line warning.

    The marking is allowed whatever it is: the pack prints it as typed.
    """
    check = (settings or load_settings()).classify(text)
    if not check.known:
        log.warning("%s: warning: classification %r is %s; the pack is marked with it "
                    "as typed", paths.APP_NAME, check.text, check.description)
    return check


__all__ = [
    "MAX_NATIONAL",
    "NATIONAL_KEY",
    "SETTINGS_FILE_NAME",
    "MarkingSettings",
    "check_marking",
    "load_settings",
    "read_settings",
    "save_settings",
    "settings_path",
]
