"""Small pieces the services share (read side: no ORM here)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

from briefing_app.errors import InvalidInput
from briefing_app.identity import current_author as current_author
from briefing_app.read_models import CitationRead
from briefing_app.store import queries
from briefing_app.text import one_line, plain

#: A fixed time for the rows stamped in this context (see :func:`fixed_clock`).
_fixed_now: ContextVar[datetime | None] = ContextVar("fixed_now", default=None)


def now() -> datetime:
    """The time stamped on rows: UTC, whole seconds."""
    fixed = _fixed_now.get()
    return fixed if fixed is not None else datetime.now(UTC).replace(microsecond=0)


@contextmanager
def fixed_clock(moment: datetime) -> Iterator[None]:
    """Stamp every row written in this block with ``moment`` (UTC).

    For reproducible output: a pack built twice from the same letters on
    different days is then the same file.
    """
    token = _fixed_now.set(moment.astimezone(UTC).replace(microsecond=0))
    try:
        yield
    finally:
        _fixed_now.reset(token)


class Dated:
    """A service that reads the date: ``today`` is fixed when given (tests, reproducible
    packs), else the calendar's."""

    _today: date | None = None

    @property
    def today(self) -> date:
        return self._today or date.today()


def parse_choice(value: str | None, choices: tuple[str, ...], noun: str) -> str | None:
    """One of ``choices`` as typed ("Accepted" reads "accepted"); None stays None. Anything
    else is an :class:`InvalidInput` naming the choices ("state: 'x' is not a review
    state (use one of: …)")."""
    if value is None:
        return None
    choice = value.strip().lower()
    if choice not in choices:
        raise InvalidInput(f"state: {value!r} is not a {noun} (use one of: "
                           f"{', '.join(choices)})")
    return choice


def load_json_list(value: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(value)) if value else ()


def named_countries(linked: Iterable[str], codes: str | None) -> tuple[str, ...]:
    """A commitment's countries: those linked to a partner-country record first, then the
    others its text names (their ISO codes, as the parser read them)."""
    found = list(linked)
    found += [code for code in load_json_list(codes) if code not in found]
    return tuple(found)


def citation_read(row: sqlite3.Row) -> CitationRead:
    return CitationRead(
        letter_id=row["letter_id"], letter_title=row["letter_title"], start=row["start"],
        end=row["end"], quote=one_line(plain(row["quote"])),
    )


def citations_for(db: sqlite3.Connection, item_kind: str,
                  item_ids: Iterable[int]) -> dict[int, tuple[CitationRead, ...]]:
    """Citations of many items of one kind at once, in the order they were recorded."""
    found: dict[int, list[CitationRead]] = defaultdict(list)
    for row in queries.citations(db, item_kind, item_ids):
        found[row["item_id"]].append(citation_read(row))
    return {item_id: tuple(cites) for item_id, cites in found.items()}
