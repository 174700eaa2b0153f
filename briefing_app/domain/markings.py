"""Security markings of a briefing pack, written exactly as the EU writes them.

A pack carries one marking on its cover and on every page. The standard
markings are the EU ones (:data:`EU_MARKINGS`); a ministry may add its own
national markings (kept in a settings file, see
:mod:`briefing_app.services.markings`). An unmarked pack carries
:data:`DEFAULT_CLASSIFICATION`.

What a person types is never rewritten: :func:`normalise` only collapses runs
of whitespace, and :func:`classify` compares the result exactly, so "limite"
or "LIMITED" are unknown markings (printed as typed, with a warning), never
silently turned into "LIMITE".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

#: The marking of a pack that carries no security classification.
DEFAULT_CLASSIFICATION = "UNCLASSIFIED"

#: The EU markings, lowest first, spelt exactly as the EU prints them.
EU_MARKINGS: tuple[str, ...] = (
    "LIMITE",
    "RESTREINT UE/EU RESTRICTED",
    "CONFIDENTIEL UE/EU CONFIDENTIAL",
    "SECRET UE/EU SECRET",
)

#: What a pack can be marked with out of the box: the default, then the EU markings.
STANDARD_MARKINGS: tuple[str, ...] = (DEFAULT_CLASSIFICATION, *EU_MARKINGS)

#: The longest marking a pack accepts (it must fit the top and bottom of a page).
MAX_CLASSIFICATION = 80


class MarkingKind(Enum):
    """Where a typed marking comes from."""

    DEFAULT = "default"  # the marking of an unmarked pack
    EU = "eu"  # a standard EU marking
    NATIONAL = "national"  # a national marking from the settings
    UNKNOWN = "unknown"  # anything else: allowed, but flagged


@dataclass(frozen=True)
class MarkingCheck:
    """A typed marking (whitespace collapsed, otherwise as typed) and its kind."""

    text: str
    kind: MarkingKind

    @property
    def known(self) -> bool:
        return self.kind is not MarkingKind.UNKNOWN

    @property
    def description(self) -> str:
        """A short phrase for messages: what kind of marking this is."""
        return {
            MarkingKind.DEFAULT: "the default marking of an unmarked pack",
            MarkingKind.EU: "a standard EU marking",
            MarkingKind.NATIONAL: "a national marking (from the settings)",
            MarkingKind.UNKNOWN: "not a standard EU or national marking",
        }[self.kind]


def normalise(text: str) -> str:
    """``text`` with runs of whitespace made one space and the ends trimmed; nothing else.

    Case, accents, dashes and slashes are kept exactly as typed.
    """
    return " ".join(text.split())


def classify(text: str, national: Iterable[str] = ()) -> MarkingCheck:
    """Which kind of marking ``text`` is, given the ``national`` markings of the settings.

    Matching is exact after collapsing whitespace: "LIMITE" is the EU marking,
    "limite", "LIMITED" and "RESTREINT UE" are unknown.
    """
    marking = normalise(text)
    if marking == DEFAULT_CLASSIFICATION:
        kind = MarkingKind.DEFAULT
    elif marking in EU_MARKINGS:
        kind = MarkingKind.EU
    elif marking and marking in {normalise(n) for n in national}:
        kind = MarkingKind.NATIONAL
    else:
        kind = MarkingKind.UNKNOWN
    return MarkingCheck(marking, kind)


def is_marked(text: str) -> bool:
    """True unless ``text`` is exactly the default marking of an unmarked pack."""
    return normalise(text) != DEFAULT_CLASSIFICATION


def check_national(entries: Iterable[object], *, noun: str = "entry",
                   numbers: Sequence[int] | None = None) -> tuple[str, ...]:
    """National markings as they will be kept: each text, whitespace collapsed.

    Raises :class:`ValueError` naming the first bad entry: not text, empty, too
    long, a standard marking, or listed twice. Entries are called ``noun N``,
    N counting from 1 unless ``numbers`` gives each entry's number (a line).
    """
    kept: list[str] = []
    for index, entry in enumerate(entries):
        where = f"{noun} {numbers[index] if numbers is not None else index + 1}"
        if not isinstance(entry, str):
            raise ValueError(f"{where}: {entry!r} is not text")
        marking = normalise(entry)
        if not marking:
            raise ValueError(f"{where}: empty")
        if len(marking) > MAX_CLASSIFICATION:
            raise ValueError(f"{where}: longer than {MAX_CLASSIFICATION} characters")
        if marking in STANDARD_MARKINGS:
            raise ValueError(f"{where}: {marking!r} is a standard marking already")
        if marking in kept:
            raise ValueError(f"{where}: {marking!r} is listed twice")
        kept.append(marking)
    return tuple(kept)


__all__ = [
    "DEFAULT_CLASSIFICATION",
    "EU_MARKINGS",
    "MAX_CLASSIFICATION",
    "STANDARD_MARKINGS",
    "MarkingCheck",
    "MarkingKind",
    "check_national",
    "classify",
    "is_marked",
    "normalise",
]
