"""Read one cell of a table as a person or a spreadsheet program wrote it.

Each reader returns the value or raises :class:`CellError` with what is
wrong, in words fit for the ``FILE:ROW:COLUMN: …`` line. Cells arrive as
text (CSV) or as the types a spreadsheet stores (numbers, real dates,
booleans from XLSX).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from briefing_app.domain.status import Rag, Status, parse_rag, parse_status
from briefing_app.errors import InvalidInput

CellValue = str | int | float | bool | date | datetime | time | None


class CellError(Exception):
    """A cell that cannot be read; the message says why."""


def is_blank(value: CellValue) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _shown(value: CellValue) -> str:
    return repr(value.strip()) if isinstance(value, str) else str(value)


def text(value: CellValue) -> str | None:
    """Free text (owner, notes): anything a cell holds, as text; blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    cleaned = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return cleaned or None


def status(value: CellValue) -> Status:
    """A status in any case and spacing ("  In Progress " -> in progress)."""
    if not isinstance(value, str):
        value = text(value) or ""
    try:
        return parse_status(value)
    except InvalidInput as exc:
        raise CellError(exc.message.split(": ", 1)[1]) from None


def rag(value: CellValue) -> Rag:
    if not isinstance(value, str):
        value = text(value) or ""
    try:
        return parse_rag(value)
    except InvalidInput as exc:
        raise CellError(exc.message.split(": ", 1)[1]) from None


def whole_number(value: CellValue) -> int:
    """A whole number: 12, 12.0 (as spreadsheets store numbers) or the text "12"."""
    if isinstance(value, bool | date | time):
        raise CellError(f"{_shown(value)} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"{value} is not a whole number")
    cleaned = str(value).strip()
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError(f"{_shown(value)} is not a whole number") from None
    if not number.is_integer():
        raise CellError(f"{_shown(value)} is not a whole number")
    return int(number)


_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def number(value: CellValue) -> float:
    """A figure: a number cell, or text such as "17700", "-79", "0.2" (no thousands marks)."""
    if isinstance(value, bool | date | time):
        raise CellError(f"{_shown(value)} is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(f"{value} is not a number")
        return float(value)
    cleaned = str(value).strip().replace("\u2212", "-")
    if not _NUMBER_TEXT.match(cleaned):
        raise CellError(f"{_shown(value)} is not a number (write it with digits and a "
                        "decimal point, e.g. 17700 or 0.2)")
    return float(cleaned)


_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}


def flag(value: CellValue) -> bool:
    """yes/no (also true/false, 1/0 and real spreadsheet booleans)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    cleaned = str(value).strip().casefold()
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise CellError(f"{_shown(value)} is not yes or no")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MIDNIGHT = re.compile(r"^(?P<d>\d{4}-\d{2}-\d{2})[T ]00:00(?::00(?:\.0+)?)?$")


def day(value: CellValue) -> date:
    """A date: a real spreadsheet date, or ISO text "2025-01-15"."""
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise CellError(f"{value.isoformat(sep=' ')} has a time of day; give a date only")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise CellError(f"{_shown(value)} is a number, not a date; write it as YYYY-MM-DD "
                        "or use a date cell")
    cleaned = str(value).strip()
    midnight = _ISO_MIDNIGHT.match(cleaned)
    if midnight:
        cleaned = midnight["d"]
    if _ISO_DATE.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            raise CellError(f"{_shown(value)} is not a calendar date") from None
    raise CellError(f"{_shown(value)} is not a date; write it as YYYY-MM-DD or use a date cell")
