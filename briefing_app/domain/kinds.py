"""Every kind of item the app lists, shows, tracks, exports or imports, defined once.

A :class:`Kind` says how the command line spells the kind (``measures``) and
what other spellings mean the same kind (``measure``, the stored name), how
people name it (the label "Operational measures", the noun "measure"), what
the store calls it (``item_kind`` "measure", table ``operationalmeasure``) and
how one item's key is read from what a person types and shown back.

The command line takes its choices from here, the services resolve the kind
names they are given here, and the desktop app asks the services (or this
module) which kinds can be exported or imported and how to label them.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from briefing_app.errors import InvalidInput, NotFound

#: How an item's key is typed: a number (action points, measures), an ISO code
#: (countries), a text key (indicators) or the id printed by ``list``.
KeyStyle = Literal["number", "iso", "key", "id"]


@dataclass(frozen=True)
class Kind:
    """One kind of item and every way it is named."""

    name: str  # the command line's spelling, also the desktop app's key: "action-points"
    label: str  # a list's heading: "Operational measures"
    noun: str  # one item in prose: "partner country"
    plural: str  # several items in prose: "partner countries"
    short: str  # one item named before its key in a message: "country TN: …"
    stored: str  # the item_kind a change or passage shows: "country", "measure" ('' if none)
    table: str  # the store's table: "partnercountry"
    key: str  # the field people name an item by: "number", "iso", "key", "id"
    key_style: KeyStyle
    aliases: tuple[str, ...] = ()  # other spellings of the kind: "country"
    item_format: str | None = None  # one item's label from its fields: "{name} ({iso})"
    listed: bool = True  # ``list KIND``
    shown: bool = False  # ``show KIND ID``
    tracked: bool = False  # has a status, a RAG colour, an owner and a history
    exported: bool = False  # ``export KIND``
    imported: bool = False  # ``import-table KIND``
    series: str | None = None  # the commitment series it is: "measures" (None: not one)

    @property
    def row_kind(self) -> str:
        """The item_kind of its StatusChange and Citation rows: "commitment", "country"."""
        return COMMITMENT_ROW_KIND if self.table == "commitment" else self.stored

    @property
    def words(self) -> str:
        """The name as words: "action points", "status history"."""
        return self.name.replace("-", " ")

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name that means this kind: the command line's first."""
        return (self.name, *self.aliases)

    def parse_key(self, value: str | int) -> int | str:
        """The key of one item from what a person typed: 12, "TN", "return-rate-2024".

        A number or an id that is not a whole number is an :class:`InvalidInput`
        naming the item as typed ("measure 'x': give its number, e.g. 12").
        """
        text = str(value).strip()
        if self.key_style == "iso":
            return text.upper()
        if self.key_style == "key":
            return text
        try:
            return int(text)
        except ValueError:
            if self.key_style == "number":
                raise InvalidInput(f"{self.short} {value!r}: give its number, e.g. 12") from None
            raise InvalidInput(f"{self.short} {value!r}: give the id printed by "
                               f"'list {self.name}'") from None

    def parse_id(self, value: str | int) -> int:
        """The number or id typed for one item of a kind whose key is a whole number."""
        key = self.parse_key(value)
        if not isinstance(key, int):
            raise TypeError(f"{self.name}: items are not named by a number")
        return key

    def key_text(self, value: object) -> str:
        """A key as text, the way :meth:`show_key` shows it ("tn " reads "TN"); unchecked."""
        text = str(value).strip()
        return text.upper() if self.key_style == "iso" else text

    def show_key(self, item: Mapping[str, Any] | object) -> str:
        """How an item's key is shown: "12", "TN" (from a row or a read model)."""
        return str(_field(item, self.key))

    def missing(self, value: str | int) -> NotFound:
        """The error for a key that names no item of this kind ("measure 99: not in the store")."""
        if self.key_style == "iso":
            return NotFound(f"{self.short} {value}: no {self.noun} with this ISO code")
        return NotFound(f"{self.short} {self.parse_key(value)}: not in the store")

    def item_label(self, item: Mapping[str, Any] | object) -> str:
        """How a person names one item: "Measure 12", "Tunisia (TN)", "Action point 3: …".

        ``item`` is a database row, a read model or a stored object: anything with
        the item's fields as keys or attributes.
        """
        if self.item_format is None:
            raise ValueError(f"{self.name}: items of this kind have no label")
        return self.item_format.format(
            **{name: _field(item, name) for name in _format_fields(self.item_format)})


#: How StatusChange and Citation rows name a commitment (an action point, a measure…).
COMMITMENT_ROW_KIND = "commitment"


def _field(item: Mapping[str, Any] | object, name: str) -> Any:
    # a database row (sqlite3's or sqlcipher3's Row has keys()), a dict, or an object
    if hasattr(item, "keys"):
        return item[name]  # type: ignore[index]
    return getattr(item, name)


def _format_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


LETTERS = Kind(
    name="letters", label="Letters", noun="letter", plural="letters", short="letter",
    stored="letter", table="letter", key="id", key_style="id", aliases=("letter",),
    shown=True, exported=True)
ACTION_POINTS = Kind(
    name="action-points", label="Action points", noun="action point", plural="action points",
    short="action point", stored="action_point", table="commitment", key="number",
    key_style="number", aliases=("action-point", "action_point"),
    item_format="Action point {number}: {title}", shown=True, tracked=True, exported=True,
    imported=True, series="action-points")
MEASURES = Kind(
    name="measures", label="Operational measures", noun="measure", plural="measures",
    short="measure", stored="measure", table="commitment", key="number",
    key_style="number", aliases=("measure",), item_format="Measure {number}", shown=True,
    tracked=True, exported=True, imported=True, series="measures")
COMMITMENTS = Kind(
    name="commitments", label="Commitments", noun="commitment", plural="commitments",
    short="commitment", stored=COMMITMENT_ROW_KIND, table="commitment", key="id",
    key_style="id", aliases=("commitment",), item_format="Commitment {id}",
    shown=True, tracked=True, exported=True)
FOLLOW_UPS = Kind(
    name="follow-ups", label="Follow-ups", noun="follow-up", plural="follow-ups",
    short="follow-up", stored="", table="followup", key="id", key_style="id",
    aliases=("follow-up", "follow_ups", "followups"), shown=True)
COUNTRIES = Kind(
    name="countries", label="Partner countries", noun="partner country",
    plural="partner countries", short="country", stored="country", table="partnercountry",
    key="iso", key_style="iso", aliases=("country",), item_format="{name} ({iso})",
    shown=True, tracked=True, exported=True, imported=True)
PEOPLE = Kind(
    name="people", label="People", noun="person", plural="people", short="person",
    stored="person", table="person", key="id", key_style="id", aliases=("person",),
    shown=True, exported=True)
INDICATORS = Kind(
    name="indicators", label="Indicators", noun="indicator", plural="indicators",
    short="indicator", stored="indicator", table="indicator", key="key", key_style="key",
    aliases=("indicator",), item_format="Indicator {key}", shown=True, exported=True,
    imported=True)
MEETINGS = Kind(
    name="meetings", label="Meetings", noun="meeting", plural="meetings", short="meeting",
    stored="meeting", table="meeting", key="id", key_style="id", aliases=("meeting",),
    shown=True)
PACKS = Kind(
    name="packs", label="Briefing packs", noun="briefing pack", plural="briefing packs",
    short="pack", stored="", table="briefingpack", key="id", key_style="id",
    aliases=("pack",))
STATUS_HISTORY = Kind(
    name="status-history", label="Status history", noun="status change",
    plural="status changes", short="status change", stored="", table="statuschange",
    key="id", key_style="id", exported=True)

#: Every kind, in the order the command line lists them.
KINDS: tuple[Kind, ...] = (LETTERS, ACTION_POINTS, MEASURES, COMMITMENTS, FOLLOW_UPS,
                           COUNTRIES, PEOPLE, INDICATORS, MEETINGS, PACKS, STATUS_HISTORY)
LISTED = tuple(k for k in KINDS if k.listed)
SHOWN = tuple(k for k in KINDS if k.shown)
TRACKED = tuple(k for k in KINDS if k.tracked)
EXPORTED = tuple(k for k in KINDS if k.exported)
IMPORTED = tuple(k for k in KINDS if k.imported)

_BY_SPELLING = {spelling: kind for kind in KINDS for spelling in kind.spellings}
_BY_STORED = {kind.stored: kind for kind in KINDS if kind.stored}


def names(kinds: Iterable[Kind]) -> tuple[str, ...]:
    """The command line's spellings of ``kinds``, in order."""
    return tuple(kind.name for kind in kinds)


def find(name: str) -> Kind | None:
    """The kind spelled ``name`` (its name or an alias), or None."""
    return _BY_SPELLING.get(name)


def get(name: str) -> Kind:
    """The kind spelled ``name``; an unknown name is an :class:`InvalidInput`."""
    kind = find(name)
    if kind is None:
        raise InvalidInput(f"kind: unknown kind {name!r} (use one of: {', '.join(names(KINDS))})")
    return kind


def by_stored(stored: str) -> Kind:
    """The kind whose rows carry ``item_kind`` ``stored`` ("measure", "action_point")."""
    try:
        return _BY_STORED[stored]
    except KeyError:
        raise InvalidInput(f"kind: no kind of item is stored as {stored!r}") from None


#: The kinds that are one commitment series, by the series' key.
_BY_SERIES = {kind.series: kind for kind in KINDS if kind.series}


def of_series(key: str) -> Kind:
    """The kind a commitment of series ``key`` is shown as: measures for "measures",
    action points for "action-points", commitments for any other series."""
    return _BY_SERIES.get(key, COMMITMENTS)


def tracked_kind(name: str) -> Kind:
    """The tracked kind spelled ``name`` (action points, measures, countries)."""
    kind = find(name)
    if kind is None or not kind.tracked:
        allowed = ", ".join(names(TRACKED))
        raise InvalidInput(f"kind: {name!r} has no status (use one of: {allowed})")
    return kind


def exported_kind(name: str) -> Kind:
    """The kind spelled ``name`` if its list can be exported to a table."""
    return _one_of(name, EXPORTED, "exported")


def imported_kind(name: str) -> Kind:
    """The kind spelled ``name`` if it can be updated from a table."""
    return _one_of(name, IMPORTED, "imported")


def _one_of(name: str, allowed: tuple[Kind, ...], what: str) -> Kind:
    kind = find(name)
    if kind is None or kind not in allowed:
        raise InvalidInput(f"kind: {name!r} cannot be {what} (use one of: "
                           f"{', '.join(names(allowed))})")
    return kind
