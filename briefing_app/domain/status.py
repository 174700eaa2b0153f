"""The one status vocabulary for every tracked item, and RAG colours.

An item's first status is its baseline; later changes are dated
StatusChange rows. *Stalled* is computed, never stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from briefing_app.errors import InvalidInput


class Status(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DELAYED = "delayed"
    DONE = "done"
    DROPPED = "dropped"
    NO_EVIDENCE = "no evidence"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"  # not known: never red for missing data


#: The RAG an item gets when only its status is set.
DEFAULT_RAG = {
    Status.NOT_STARTED: Rag.AMBER,
    Status.IN_PROGRESS: Rag.GREEN,
    Status.DELAYED: Rag.RED,
    Status.DONE: Rag.GREEN,
    Status.DROPPED: Rag.GREY,
    Status.NO_EVIDENCE: Rag.GREY,
}

#: Statuses after which an item no longer needs watching.
CLOSED = frozenset({Status.DONE, Status.DROPPED})

STALLED_AFTER = timedelta(days=274)  # about nine months


def _normalise(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def parse_status(text: str, *, field: str = "status") -> Status:
    """Read a status as a person types it ("In progress", " DONE ", "not_started")."""
    wanted = _normalise(text)
    for status in Status:
        if status.value == wanted:
            return status
    allowed = ", ".join(s.value for s in Status)
    raise InvalidInput(f"{field}: unknown status {text.strip()!r} (use one of: {allowed})")


def parse_rag(text: str, *, field: str = "rag") -> Rag:
    """Read a RAG colour; "gray" is accepted for grey."""
    wanted = _normalise(text)
    if wanted == "gray":
        wanted = "grey"
    for rag in Rag:
        if rag.value == wanted:
            return rag
    allowed = ", ".join(r.value for r in Rag)
    raise InvalidInput(f"{field}: unknown RAG colour {text.strip()!r} (use one of: {allowed})")


def is_stalled(status: Status | str, last_change: datetime | date | None, today: date) -> bool:
    """An open item whose status has not moved for about nine months is stalled."""
    if last_change is None or Status(status) in CLOSED:
        return False
    changed_on = last_change.date() if isinstance(last_change, datetime) else last_change
    return today - changed_on >= STALLED_AFTER
