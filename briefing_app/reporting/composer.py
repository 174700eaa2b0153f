"""The first stage of the pipeline (compose → flowables → render): a spec becomes content.

:func:`compose` turns a :class:`~briefing_app.reporting.spec.PackSpec` and the
services' read models (:class:`~briefing_app.reporting.content.PackSource`)
into a :class:`~briefing_app.reporting.content.PackContent`: every section
with its items resolved, statuses, dates, and every citation numbered in order
of first use, so statements can point at the numbered sources.

Each section's content comes from the compose function the section table
names (:mod:`briefing_app.reporting.sections`); this module only runs them, in
the order that lets links know their targets. It imports neither Qt nor
ReportLab, so it can be tested on its own and used by the GUI's composer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from briefing_app.domain.markings import MAX_CLASSIFICATION
from briefing_app.errors import InvalidInput
from briefing_app.read_models import CitationRead
from briefing_app.reporting import sections as table
from briefing_app.reporting.content import (
    MeetingInfo,
    PackContent,
    PackSource,
    Refs,
    Section,
)
from briefing_app.reporting.spec import (
    PAPERS,
    PackSpec,
    normalise_sections,
    parse_item_ref,
)


@dataclass
class SourceEntry:
    number: int
    citation: CitationRead
    used_by: list[str] = field(default_factory=list)


class Sources:
    """Numbers citations in order of first use; empty refs when no sources section."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._entries: dict[tuple[int, int, int], SourceEntry] = {}

    def refs(self, citations: Iterable[CitationRead], used_by: str) -> Refs:
        if not self.enabled:
            return ()
        numbers: list[int] = []
        for citation in citations:
            key = (citation.letter_id, citation.start, citation.end)
            entry = self._entries.get(key)
            if entry is None:
                entry = SourceEntry(len(self._entries) + 1, citation)
                self._entries[key] = entry
            if used_by not in entry.used_by:
                entry.used_by.append(used_by)
            if entry.number not in numbers:
                numbers.append(entry.number)
        return tuple(numbers)

    def entries(self) -> list[SourceEntry]:
        return sorted(self._entries.values(), key=lambda e: e.number)


class Composer:
    """What every section's compose function reads: the spec, the store's read models,
    the items each section holds and the numbered sources."""

    def __init__(self, spec: PackSpec, source: PackSource, pack_id: int, version: int,
                 title: str, generated_on: date) -> None:
        self.spec = spec
        self.source = source
        self.pack_id = pack_id
        self.version = version
        self.title = title
        self.generated_on = generated_on
        self.choices = {choice.key: choice for choice in spec.sections}
        self.sources = Sources(any(table.section(key).lists_sources for key in self.choices))
        #: what compose functions work out once and share (e.g. where items are linked)
        self.shared: dict[str, Any] = {}
        self._chosen: dict[str, list[Any]] = {}
        # what the linked sections hold, chosen first so that links know their targets
        for entry in table.registered():
            if entry.linked and entry.key in self.choices:
                self.chosen(entry.key)

    def chosen(self, key: str) -> list[Any]:
        """The items section ``key`` holds, in order ([] when the pack does not hold it);
        an item the store does not hold is refused."""
        if key not in self._chosen:
            choice = self.choices.get(key)
            kind = table.section(key).items if choice is not None else None
            self._chosen[key] = ([] if choice is None or kind is None
                                 else kind.select(key, choice.items, self.source))
        return self._chosen[key]

    def content(self) -> PackContent:
        meeting = self.source.meeting
        info = (MeetingInfo(meeting.formation, meeting.title, meeting.date, meeting.place,
                            tuple(meeting.agenda)) if meeting else None)
        built: dict[str, Section] = {}
        chosen = [(choice, table.section(choice.key)) for choice in self.spec.sections]
        # in the pack's order, but a section listing the sources last: it lists what the
        # others cite (sorted() keeps the order of the rest)
        for choice, entry in sorted(chosen, key=lambda pair: pair[1].lists_sources):
            built[choice.key] = entry.composer()(self, choice)
        return PackContent(
            pack_id=self.pack_id, version=self.version, title=self.title, meeting=info,
            classification=self.spec.classification, draft=self.spec.draft,
            paper=self.spec.paper, generated_on=self.generated_on,
            data_as_of=self.source.data_as_of,
            sections=tuple(built[choice.key] for choice in self.spec.sections
                           if not (table.section(choice.key).omitted_when_empty
                                   and getattr(built[choice.key], "empty", False))),
            sources_shown=self.sources.enabled,
        )


def compose(spec: PackSpec, source: PackSource, *, pack_id: int, version: int, title: str,
            generated_on: date) -> PackContent:
    """Resolve a spec against the store's read models into a pack's content.

    Raises :class:`~briefing_app.errors.InvalidInput` naming the field when a
    chosen item, agenda item, paper or classification cannot be used.
    """
    if spec.paper not in PAPERS:
        raise InvalidInput(f"paper: unknown paper size {spec.paper!r} (use a4 or letter)")
    marking = " ".join(spec.classification.split())
    if not marking:
        raise InvalidInput("classification: give a marking, e.g. UNCLASSIFIED")
    if len(marking) > MAX_CLASSIFICATION:
        raise InvalidInput(f"classification: at most {MAX_CLASSIFICATION} characters")
    if not title.strip():
        raise InvalidInput("title: the pack needs a title")
    sections = normalise_sections(spec.sections)
    for note in spec.notes:
        for ref in note.items or ():
            parse_item_ref(ref)
    spec = replace(spec, sections=sections, classification=marking)
    return Composer(spec, source, pack_id, version, " ".join(title.split()),
                    generated_on).content()


def section_items(key: str, source: PackSource) -> list[tuple[str, str]]:
    """The items a section can hold, as (item key, label), for a composer's picker."""
    kind = table.section(key).items
    return [] if kind is None else kind.listing(source)


__all__ = ["Composer", "Sources", "compose", "section_items"]
