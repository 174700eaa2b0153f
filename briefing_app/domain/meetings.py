"""Meetings a pack is prepared for: the formations and how people type them."""

from __future__ import annotations

from briefing_app.errors import InvalidInput

#: The formations a meeting can have, as they are printed.
FORMATIONS = (
    "European Council",
    "Justice and Home Affairs Council",
    "Ministerial conference",
    "other",
)

_SHORT = {"euco": "European Council", "jha": "Justice and Home Affairs Council",
          "jha council": "Justice and Home Affairs Council"}


def parse_formation(text: str, *, field: str = "formation") -> str:
    """A formation as typed ("jha", "ministerial Conference") in its printed form."""
    wanted = " ".join(text.split()).casefold()
    for formation in FORMATIONS:
        if formation.casefold() == wanted:
            return formation
    if wanted in _SHORT:
        return _SHORT[wanted]
    allowed = ", ".join(FORMATIONS)
    raise InvalidInput(f"{field}: unknown formation {text.strip()!r} (use one of: {allowed})")
