"""Pieces the services share: citations, status history, item lookup by kind."""

from __future__ import annotations

import getpass
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from briefing_app.corpus.text import one_line, plain
from briefing_app.errors import InvalidInput
from briefing_app.services.read_models import CitationRead
from briefing_app.store.models import Citation, Letter, StatusChange


def now() -> datetime:
    """The time stamped on rows: UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def current_author() -> str:
    """Who is making a change: the operating-system account name."""
    try:
        return getpass.getuser()
    except Exception:  # no user name available (rare sandboxes)
        return "unknown"


def load_json_list(value: str | None) -> tuple[Any, ...]:
    return tuple(json.loads(value)) if value else ()


def letter_titles(session: Session) -> dict[int, str]:
    rows = session.exec(select(Letter.id, Letter.title)).all()
    return {letter_id: title for letter_id, title in rows if letter_id is not None}


def citations_for(
    session: Session, item_kind: str, item_ids: Iterable[int]
) -> dict[int, tuple[CitationRead, ...]]:
    """Citations of many items of one kind at once, in reading order."""
    ids = list(item_ids)
    if not ids:
        return {}
    titles = letter_titles(session)
    found: dict[int, list[CitationRead]] = defaultdict(list)
    rows = session.exec(
        select(Citation)
        .where(Citation.item_kind == item_kind, col(Citation.item_id).in_(ids))
        .order_by(col(Citation.id))
    ).all()
    for row in rows:
        found[row.item_id].append(
            CitationRead(
                letter_id=row.letter_id,
                letter_title=titles.get(row.letter_id, ""),
                start=row.start,
                end=row.end,
                quote=one_line(plain(row.quote)),
            )
        )
    return {item_id: tuple(cits) for item_id, cits in found.items()}


def last_changes(session: Session, item_kind: str) -> dict[int, datetime]:
    """When each item of a kind last had its status changed."""
    rows = session.exec(
        select(StatusChange.item_id, StatusChange.changed_at).where(
            StatusChange.item_kind == item_kind
        )
    ).all()
    latest: dict[int, datetime] = {}
    for item_id, changed_at in rows:
        if item_id not in latest or changed_at > latest[item_id]:
            latest[item_id] = changed_at
    return latest


def add_citation(session: Session, letter: Letter, item_kind: str, item_id: int, start: int,
                 end: int) -> Citation:
    """Cite ``letter.original_text[start:end]`` for an item."""
    if not 0 <= start < end <= len(letter.original_text):
        raise InvalidInput(f"citation {start}-{end} lies outside letter {letter.id}")
    citation = Citation(letter_id=letter.id or 0, item_kind=item_kind, item_id=item_id,
                        start=start, end=end, quote=letter.original_text[start:end])
    session.add(citation)
    return citation


def add_quote_citation(session: Session, letter: Letter, item_kind: str, item_id: int,
                       quote: str, *, where: str) -> Citation:
    """Cite a passage given by its words; it must appear verbatim in the letter."""
    start = letter.original_text.find(quote)
    if start < 0:
        raise InvalidInput(f"{where}: quote not found in {letter.source_name}: {quote[:60]!r}")
    return add_citation(session, letter, item_kind, item_id, start, start + len(quote))
