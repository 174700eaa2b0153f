"""The second stage of the pipeline: each section's content becomes flowables.

The section table (:mod:`briefing_app.reporting.sections`) names the build
function of every section; the built-in ones live here by family: the front of
the pack (:mod:`.cover`), the lines to take (:mod:`.notes`), what the store
tracks (:mod:`.tracking`), the partner countries (:mod:`.countries`) and the
letters (:mod:`.letters`). What they share is in :mod:`.base`, :mod:`.style`
and :mod:`.text`.

Fonts are the bundled DejaVu faces only (see :mod:`briefing_app.reporting.fonts`);
every style and table names them, so no standard Type 1 font reaches the PDF.
"""

from __future__ import annotations

from briefing_app.reporting.flowables.base import Anchor, Context, OutlineMark
from briefing_app.reporting.flowables.text import clip, fit, lines, pieces, text

#: The section laid out on a page template of its own (see ``reporting.pages``).
COVER = "cover"

__all__ = ["COVER", "Anchor", "Context", "OutlineMark", "clip", "fit", "lines", "pieces",
           "text"]
