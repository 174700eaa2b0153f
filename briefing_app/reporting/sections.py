"""The sections a briefing pack can hold: one table, and everything read from it.

Each :class:`PackSection` says what a section is (its key and title), what
items it may hold (an :class:`~briefing_app.reporting.items.ItemKind`, or None),
how its content is composed from the store and how that content is laid out.
The default order of a pack, the ``--sections`` grammar
(:func:`briefing_app.reporting.spec.parse_sections`), the composer's list of
sections, the stored choices, the command line's help (:func:`sections_help`)
and the README's table (:func:`sections_markdown`) all come from this table.

Adding a section is one entry in :data:`BUILT_IN` (or one :func:`register`
call) plus its compose and build functions. Section keys are stable: they are
typed on the command line and stored with every pack.

The compose and build functions may be named as ``"module:function"`` rather
than given: the table is read at start-up by the command line and the GUI,
which must not import ReportLab (the builders) or the composer for it. Named
functions are imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from briefing_app.reporting.items import (
    ACTION_POINTS,
    COMMITMENTS,
    COUNTRIES,
    LETTERS,
    MEASURES,
    ItemKind,
)

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from briefing_app.reporting.composer import Composer
    from briefing_app.reporting.content import Section
    from briefing_app.reporting.flowables.base import Context
    from briefing_app.reporting.spec import SectionChoice

    #: (the composer's state, the section as chosen) -> the section's content
    ComposeFunction = Callable[[Composer, SectionChoice], Section]
    #: (the layout's context, the section's content) -> its flowables, in order
    BuildFunction = Callable[[Context, Any], list[Flowable]]
    #: the section's content -> its pieces
    SplitFunction = Callable[[Any], tuple[Section, ...]]


@dataclass(frozen=True)
class PackSection:
    """One section a pack can hold."""

    key: str  # stable: typed on the command line, stored with the pack
    title: str  # as the pack, its contents and the composer show it
    items: ItemKind | None  # what may be chosen in it; None: it holds no items
    compose: ComposeFunction | str  # the function, or "module:function"
    build: BuildFunction | str  # the function, or "module:function"
    summary: str = ""  # what it holds, in Markdown, for the README's table
    #: always opens the pack when chosen (in the table's order) and is not itself listed
    #: in the contents
    front: bool = False
    #: other sections link to its items, so they are chosen before any section is composed
    linked: bool = False
    #: lists the passages the other sections cite: when the pack holds it, statements carry
    #: their source numbers, and it is composed after every other section
    lists_sources: bool = False
    #: left out of the pack (and its contents) when its content is ``empty``
    omitted_when_empty: bool = False
    #: lists the other sections with their page numbers: laid out once every other
    #: section's pages are known
    contents: bool = False
    #: (its content) -> its pieces, each laid out alone (in parallel, cached apart): the
    #: first opens the section; each other starts on a new page, under the section's
    #: running title, and the pieces' pages in order are the section's
    split: SplitFunction | str | None = None

    def composer(self) -> ComposeFunction:
        """The compose function (imported on first use when named)."""
        return cast("ComposeFunction", _resolve(self.compose))

    def builder(self) -> BuildFunction:
        """The build function (imported on first use when named)."""
        return cast("BuildFunction", _resolve(self.build))

    def pieces(self, content: Section) -> tuple[Section, ...]:
        """The section's content in the pieces it is laid out in (one, unless it splits)."""
        if self.split is None:
            return (content,)
        return cast("SplitFunction", _resolve(self.split))(content)


def _resolve(function: Any) -> Any:
    return _import(function) if isinstance(function, str) else function


def resolve(name: str) -> Any:
    """The function named ``"module:function"`` (imported on first use)."""
    return _import(name)


@cache
def _import(name: str) -> Any:
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


_COMPOSE = "briefing_app.reporting.compose_sections:"
_FLOWABLES = "briefing_app.reporting.flowables."

#: The built-in sections, in the default order of a pack.
BUILT_IN: tuple[PackSection, ...] = (
    PackSection("cover", "Cover", None, _COMPOSE + "cover", _FLOWABLES + "cover:cover",
                "meeting, date, place, agenda, pack version, DRAFT/FINAL, classification, "
                "the newest evidence the pack's items rest on",
                front=True),
    PackSection("contents", "Contents", None, _COMPOSE + "contents",
                _FLOWABLES + "cover:contents",
                "the sections and sub-sections with their page numbers (also the PDF "
                "outline)", front=True, contents=True),
    PackSection("lines-to-take", "Steering note and lines to take", None,
                _COMPOSE + "lines_to_take", _FLOWABLES + "notes:lines_to_take",
                "the steering note (`--note`) and the lines to take per agenda item "
                "(`--agenda-note N TEXT`, with the items listed under it by "
                "`--related N measures:12,countries:TN,action-points:3`)"),
    PackSection("action-points", "Action points", ACTION_POINTS, _COMPOSE + "action_points",
                _FLOWABLES + "tracking:action_points",
                "the action points with status (as of, source), owner and full text",
                linked=True),
    PackSection("measures", "Operational measures", MEASURES, _COMPOSE + "measures",
                _FLOWABLES + "tracking:measures",
                "the operational measures by section, with deadlines as written, the date "
                "read and OVERDUE flags, each status as of its evidence with its source, "
                "and \"Since:\" the newest follow-up", linked=True),
    PackSection("commitments", "Other commitments", COMMITMENTS, _COMPOSE + "commitments",
                _FLOWABLES + "tracking:commitments",
                "the accepted commitments of every other series (a letter's proposals, "
                "its list of undertakings…), by series; left out when there are none",
                omitted_when_empty=True),
    PackSection("matrix", "Partner countries and measures", COUNTRIES, _COMPOSE + "matrix",
                _FLOWABLES + "tracking:matrix", "partner countries × measures"),
    PackSection("countries", "Partner-country fiches", COUNTRIES, _COMPOSE + "countries",
                _FLOWABLES + "countries:countries",
                "a fiche per partner country: status, routes, instruments, figures (with a "
                "chart), key passages", linked=True),
    PackSection("signatories", "Signatories", LETTERS, _COMPOSE + "signatories",
                _FLOWABLES + "letters:signatories", "who signed which letter, by country"),
    PackSection("changes", "What has changed", None, _COMPOSE + "changes",
                _FLOWABLES + "tracking:changes",
                "the follow-ups accepted as evidence and the status changes since `--since`, "
                "else since the pack's previous version"),
    PackSection("annexes", "Annexes: source letters", LETTERS, _COMPOSE + "annexes",
                _FLOWABLES + "letters:annexes", "the source letters, in full, as received",
                linked=True, split="briefing_app.reporting.content:annex_pieces"),
    PackSection("sources", "Sources", None, _COMPOSE + "sources",
                _FLOWABLES + "letters:sources",
                "every cited passage, numbered in order of use; statements refer to them "
                "as [n]", lists_sources=True),
)

_registry: dict[str, PackSection] = {section.key: section for section in BUILT_IN}


# ------------------------------------------------------------------------- the table


def register(section: PackSection, *, before: str | None = None) -> PackSection:
    """Add a section to the table: last in the default order, or just ``before`` another."""
    if section.key in _registry:
        raise ValueError(f"section {section.key!r} is already registered")
    if not section.key or section.key != section.key.strip().lower() or any(
            c in section.key for c in ",:+ "):
        raise ValueError(f"section key {section.key!r}: lower case, without , : + or spaces")
    if before is not None and before not in _registry:
        raise ValueError(f"section {before!r} is not registered")
    entries = list(_registry.values())
    at = len(entries) if before is None else list(_registry).index(before)
    entries.insert(at, section)
    _registry.clear()
    _registry.update((entry.key, entry) for entry in entries)
    return section


def unregister(key: str) -> PackSection:
    """Take a section out of the table (packs that hold it no longer open)."""
    return _registry.pop(key)


def registered() -> tuple[PackSection, ...]:
    """Every section, in the default order of a pack."""
    return tuple(_registry.values())


def section_keys() -> tuple[str, ...]:
    """Every section key, in the default order of a pack."""
    return tuple(_registry)


def find(key: str) -> PackSection | None:
    """The section with ``key``, or None."""
    return _registry.get(key)


def section(key: str) -> PackSection:
    """The section with ``key`` (the key is known to be registered)."""
    return _registry[key]


# -------------------------------------------------------------------------- the docs


def _item_groups() -> list[tuple[str, list[str]]]:
    """(how items are typed, ["measures:1-4+12", …]) in the table's order."""
    groups: dict[str, list[str]] = {}
    for entry in _registry.values():
        if entry.items is not None:
            groups.setdefault(entry.items.typed_as, []).append(
                f"{entry.key}:{entry.items.example}")
    return list(groups.items())


def sections_help() -> str:
    """The sections and the item grammar, for ``pack build --help`` (one paragraph)."""
    front = [entry.key for entry in _registry.values() if entry.front]
    text = f"Sections (in order): {', '.join(_registry)}"
    if front:
        text += f"; {' and '.join(front)}, when listed, always come first"
    groups = "; ".join(f"{', '.join(examples)} ({typed_as})"
                       for typed_as, examples in _item_groups())
    if groups:
        text += f". Items, kept in the order given: {groups}"
    return text + "."


def sections_markdown() -> str:
    """The README's table of sections: each key and what its section holds."""
    rows = ["| key | section |", "| --- | --- |"]
    rows += [f"| `{entry.key}` | {entry.summary or entry.title} |"
             for entry in _registry.values()]
    return "\n".join(rows) + "\n"


__all__ = [
    "BUILT_IN", "PackSection", "find", "register", "registered", "section", "section_keys",
    "sections_help", "sections_markdown", "unregister",
]
