"""What the adviser asks a pack to hold: the spec, its parts, and how they are written.

These are the command objects the command line and the GUI's pack composer
hand to :class:`~briefing_app.services.packs.PackService`:

* :class:`SectionChoice`: one section and, optionally, the items it holds in
  order. It is stored as JSON (:meth:`SectionChoice.to_json`), typed and shown
  as ``measures:1-4+12`` (:func:`parse_sections`, ``str()``);
* :class:`AgendaNote`: the steering note and the lines to take per agenda item;
* :class:`PackSpec`: the meeting, the sections in order, the notes and the
  rendering options.

The sections and what their items are come from the section table
(:mod:`briefing_app.reporting.sections`). ``cover`` and ``contents``, when
chosen, always come first whatever their place in the list; the other
sections keep the order given.

Neither Qt nor ReportLab is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from briefing_app.domain.markings import DEFAULT_CLASSIFICATION
from briefing_app.errors import InvalidInput
from briefing_app.reporting import sections as table

#: Sections an agenda item's "related items" may point into.
REFERABLE = ("action-points", "measures", "countries")

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class SectionChoice:
    """One chosen section and, optionally, the items it holds in order (None: all)."""

    key: str
    items: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored with the pack and with each build."""
        return {"key": self.key, "items": list(self.items) if self.items is not None else None}

    @classmethod
    def from_json(cls, value: Any) -> SectionChoice:
        """A choice as stored: ``{"key": …, "items": […] or null}``.

        Builds recorded before choices were stored this way hold the choice as
        typed, ``"measures:12+1"``; they are read the same.
        """
        if isinstance(value, str):
            key, _, items = value.partition(":")
            return cls(key, tuple(items.split("+")) if items else None)
        items = value.get("items")
        return cls(str(value["key"]), tuple(str(i) for i in items) if items is not None
                   else None)

    def __str__(self) -> str:
        """As typed on the command line: ``measures:12+1`` (:func:`parse_sections` reads it)."""
        return self.key if self.items is None else f"{self.key}:{'+'.join(self.items)}"


def default_sections() -> tuple[SectionChoice, ...]:
    """Every registered section with all its items, in the table's order."""
    return tuple(SectionChoice(key) for key in table.section_keys())


@dataclass(frozen=True)
class AgendaNote:
    """The adviser's text for one agenda item (0: the steering note for the whole meeting).

    ``text`` may use the simple formatting of :mod:`briefing_app.reporting.markup`;
    ``items`` are related items such as ``"measures:12"``, ``"action-points:3"``
    or ``"countries:TN"``, listed under the note with their status. ``None``
    keeps what the pack has stored (when a note is merged into a saved pack).
    """

    agenda_item: int = 0
    text: str | None = ""
    items: tuple[str, ...] | None = ()

    def to_json(self) -> dict[str, Any]:
        return {"agenda_item": self.agenda_item, "text": self.text or "",
                "items": list(self.items or ())}


@dataclass(frozen=True)
class PackSpec:
    """What the adviser asks for. Which pack it belongs to: ``pack_id``, else the
    meeting's latest pack, else the latest pack with ``title`` and no meeting, else
    a new pack."""

    meeting_id: int | None = None
    title: str | None = None
    pack_id: int | None = None
    sections: tuple[SectionChoice, ...] = field(default_factory=default_sections)
    notes: tuple[AgendaNote, ...] = ()
    classification: str = DEFAULT_CLASSIFICATION
    draft: bool = False
    paper: str = "a4"
    since: date | None = None

    def options(self) -> dict[str, Any]:
        """The rendering options as stored with the pack and each build."""
        return {"classification": self.classification, "draft": self.draft,
                "paper": self.paper, "since": self.since.isoformat() if self.since else None}


# --------------------------------------------------------------------------- grammar


def parse_items(key: str, text: str) -> tuple[str, ...]:
    """The items of ``key:ITEMS`` as typed: ``1-4+12``, ``TN+LY``, letter ids ``1+5``."""
    kind = table.section(key).items
    if kind is None:
        raise InvalidInput(f"sections: {key!r} has no items to choose")
    if not text.strip():
        raise InvalidInput(f"sections: {key}: no items after ':'")
    return tuple(dict.fromkeys(kind.parse(key, text)))


def _unknown(key: str) -> InvalidInput:
    return InvalidInput(f"sections: unknown section {key!r} "
                        f"(use: {', '.join(table.section_keys())})")


def normalise_sections(choices: Iterable[SectionChoice]) -> tuple[SectionChoice, ...]:
    """Check the keys, refuse duplicates, and put the front matter (cover, contents) first."""
    seen: set[str] = set()
    ordered: list[SectionChoice] = []
    for choice in choices:
        entry = table.find(choice.key)
        if entry is None:
            raise _unknown(choice.key)
        if choice.key in seen:
            raise InvalidInput(f"sections: {choice.key!r} is listed twice")
        if choice.items is not None and entry.items is None:
            raise InvalidInput(f"sections: {choice.key!r} has no items to choose")
        if choice.items is not None and not choice.items:
            raise InvalidInput(f"sections: {choice.key}: the list of items is empty")
        seen.add(choice.key)
        ordered.append(choice)
    if not ordered:
        raise InvalidInput("sections: give at least one section")
    front = [c for entry in table.registered() if entry.front
             for c in ordered if c.key == entry.key]
    return tuple(front + [c for c in ordered if not table.section(c.key).front])


def parse_sections(text: str) -> tuple[SectionChoice, ...]:
    """``--sections`` as typed: ``cover,contents,measures:1-4+12,countries:TN+LY``."""
    choices: list[SectionChoice] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, colon, items = part.partition(":")
        key = key.strip().lower()
        if table.find(key) is None:
            raise _unknown(key)
        choices.append(SectionChoice(key, parse_items(key, items) if colon else None))
    return normalise_sections(choices)


def sections_to_json(choices: Iterable[SectionChoice]) -> list[dict[str, Any]]:
    """Sections as stored with the pack (``BriefingPack.sections``) and each build."""
    return [choice.to_json() for choice in choices]


def sections_from_json(value: Any) -> tuple[SectionChoice, ...]:
    """Sections as stored with the pack, checked (None or empty: every section)."""
    if not value:
        return default_sections()
    return normalise_sections(SectionChoice.from_json(entry) for entry in value)


def notes_from_json(value: Any) -> tuple[AgendaNote, ...]:
    """Notes as stored in a pack's options."""
    return tuple(AgendaNote(int(entry.get("agenda_item", 0)), str(entry.get("text", "")),
                            tuple(str(i) for i in entry.get("items", ())))
                 for entry in value or ())


def merge_notes(stored: Iterable[AgendaNote],
                given: Iterable[AgendaNote]) -> tuple[AgendaNote, ...]:
    """Given notes replace the text and/or items of the stored note of their agenda item
    (a ``None`` field keeps the stored one); a note left empty is dropped."""
    by_item = {note.agenda_item: note for note in stored}
    for note in given:
        old = by_item.get(note.agenda_item, AgendaNote(note.agenda_item))
        by_item[note.agenda_item] = AgendaNote(
            note.agenda_item, old.text if note.text is None else note.text,
            old.items if note.items is None else note.items)
    return tuple(note for _, note in sorted(by_item.items())
                 if (note.text or "").strip() or note.items)


def parse_item_ref(ref: str) -> tuple[str, str]:
    """``"measures:12"`` -> ("measures", "12"); the section must be one items live in."""
    key, colon, item = ref.strip().partition(":")
    key = key.strip().lower()
    if not colon or key not in REFERABLE or not item.strip():
        raise InvalidInput(f"notes: related item {ref!r}: write it as measures:12, "
                           "action-points:3 or countries:TN")
    item = item.strip().upper() if key == "countries" else item.strip()
    return key, item


__all__ = [
    "DEFAULT_CLASSIFICATION", "PAPERS", "REFERABLE", "AgendaNote", "PackSpec", "SectionChoice",
    "default_sections", "merge_notes", "normalise_sections", "notes_from_json",
    "parse_item_ref", "parse_items", "parse_sections", "sections_from_json",
    "sections_to_json",
]
