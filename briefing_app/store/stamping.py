"""What every write-side session does before it writes: the machine on each audit row.

The services record who made a change (``author``); the machine it was made
on is the same for every change of a process, so it is stamped here on the
new rows of the audit trails and on imported letters, wherever they were made
(:func:`prepare_session`, called by every store's ``session()``).
"""

from __future__ import annotations

from typing import Any

from briefing_app.identity import current_author, current_origin

#: The tables whose new rows carry the machine they were made on.
_STAMPED = frozenset({"statuschange", "reviewchange", "followupreview", "letter",
                      "syncconflict"})


def _stamp(session: Any, _context: Any, _instances: Any) -> None:
    origin: str | None = None
    for instance in session.new:
        table = getattr(instance, "__tablename__", None)
        if table not in _STAMPED:
            continue
        origin = origin or current_origin()
        if table == "letter":
            if instance.imported_by is None:
                instance.imported_by = current_author()
            if instance.origin is None:
                instance.origin = origin
        elif table != "syncconflict" and getattr(instance, "origin", None) is None:
            instance.origin = origin


def prepare_session(session: Any) -> Any:
    """``session`` with the stamping above; returns it."""
    from sqlalchemy import event

    event.listen(session, "before_flush", _stamp)
    return session
