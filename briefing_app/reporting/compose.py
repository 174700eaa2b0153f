"""Where the pack's command objects used to be imported from; kept for existing importers.

New code imports from the modules that hold them: the spec and its grammar from
:mod:`briefing_app.reporting.spec`, the sections from
:mod:`briefing_app.reporting.sections`, the content types from
:mod:`briefing_app.reporting.content` and :func:`compose` from
:mod:`briefing_app.reporting.composer`.
"""

from __future__ import annotations

from briefing_app.reporting.spec import (
    DEFAULT_CLASSIFICATION,
    AgendaNote,
    PackSpec,
    SectionChoice,
    default_sections,
    parse_sections,
)

#: The built-in sections with all their items; :func:`default_sections` also has the
#: sections registered since.
ALL_SECTIONS = default_sections()

__all__ = ["ALL_SECTIONS", "DEFAULT_CLASSIFICATION", "AgendaNote", "PackSpec", "SectionChoice",
           "parse_sections"]
