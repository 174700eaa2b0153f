"""What the items of a section are: how they are typed, found in the store and offered.

A section that holds a choice of items (``measures:1-4+12``) names an
:class:`ItemKind` in the section table (:mod:`briefing_app.reporting.sections`).
The kind is all the command line, the composer's picker and the composer need
to know about them, so a new section over the same items needs no other code.

Neither Qt nor ReportLab is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing_app.errors import InvalidInput
from briefing_app.reporting.content import short_label

if TYPE_CHECKING:
    from briefing_app.reporting.content import PackSource


def number_items(key: str, text: str) -> list[str]:
    """``1-4+12`` → ``["1", "2", "3", "4", "12"]``: numbers and ranges, joined by ``+``."""
    found: list[str] = []
    for part in text.split("+"):
        part = part.strip()
        match = re.fullmatch(r"(\d{1,6})(?:\s*-\s*(\d{1,6}))?", part)
        if not match:
            raise InvalidInput(f"sections: {key}: {part!r} is not a number or a range "
                               f"like 1-4")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first or last - first > 10_000:
            raise InvalidInput(f"sections: {key}: {part!r} is not a valid range")
        found.extend(str(n) for n in range(first, last + 1))
    return found


def iso_items(key: str, text: str) -> list[str]:
    """``tn+LY`` → ``["TN", "LY"]``: two-letter country codes, joined by ``+``."""
    found: list[str] = []
    for part in text.split("+"):
        part = part.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", part):
            raise InvalidInput(f"sections: {key}: {part!r} is not an ISO country code "
                               "like TN")
        found.append(part)
    return found


@dataclass(frozen=True)
class ItemKind:
    """The items a section may hold, and how one of them is typed, found and listed."""

    noun: str  # how one item is named in messages: "measure"
    typed_as: str  # how items are written, for the help: "ISO country codes"
    example: str  # items as a user would type them: "TN+LY"
    #: (section key, text after the colon) -> item keys in order; raises InvalidInput
    parse: Callable[[str, str], list[str]]
    #: every item the store holds, in the store's order
    of: Callable[[PackSource], Sequence[Any]]
    #: an item's key, as typed (compared as text)
    key: Callable[[Any], object]
    #: how the composer's picker lists an item
    label: Callable[[Any], str]

    def listing(self, source: PackSource) -> list[tuple[str, str]]:
        """Every item as (item key, label), in the store's order."""
        return [(str(self.key(item)), self.label(item)) for item in self.of(source)]

    def select(self, section: str, items: tuple[str, ...] | None,
               source: PackSource) -> list[Any]:
        """The items a section holds, in the chosen order (``None``: all, as stored);
        an item the store does not hold is refused, naming it."""
        stored = self.of(source)
        if items is None:
            return list(stored)
        by_key: dict[str, list[Any]] = {}
        for item in stored:
            by_key.setdefault(str(self.key(item)), []).append(item)
        chosen: list[Any] = []
        for wanted in items:
            if wanted not in by_key:
                raise InvalidInput(f"sections: {section}: {self.noun} {wanted} is not in "
                                   "the store")
            chosen.extend(by_key[wanted])
        return chosen


NUMBERS = "numbers, or ranges like 1-4"

ACTION_POINTS = ItemKind(
    "action point", NUMBERS, "1-3+7", number_items, lambda s: s.action_points,
    lambda p: p.number, lambda p: f"{p.number}. {p.title}")
MEASURES = ItemKind(
    "measure", NUMBERS, "1-4+12", number_items, lambda s: s.measures,
    lambda m: m.number, lambda m: f"{m.number}. {short_label(m.text, 80)}")
COUNTRIES = ItemKind(
    "country", "ISO country codes", "TN+LY", iso_items, lambda s: s.countries,
    lambda c: c.iso, lambda c: f"{c.name} ({c.iso})")
LETTERS = ItemKind(
    "letter", "letter ids from 'list letters'", "1+5", number_items, lambda s: s.letters,
    lambda x: x.id, lambda x: x.title)

COMMITMENTS = ItemKind(
    "commitment", "commitment ids from 'list commitments'", "31+32", number_items,
    lambda s: s.commitments, lambda c: c.id,
    lambda c: f"{c.series} {c.marker or c.position} {short_label(c.title, 70)}")
