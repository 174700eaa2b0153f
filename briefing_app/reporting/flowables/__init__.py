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

from reportlab.platypus import Flowable, PageBreak

from briefing_app.reporting import sections as table
from briefing_app.reporting.content import PackContent
from briefing_app.reporting.flowables.base import Anchor, Context, OutlineMark
from briefing_app.reporting.flowables.text import clip, fit, lines, pieces, text

#: The section laid out on a page template of its own, which ends its own page.
COVER = "cover"


def story(content: PackContent, width: float, height: float) -> list[Flowable]:
    """Every section's flowables in order; each section after the cover starts a page."""
    ctx = Context(content, width, height)
    out: list[Flowable] = []
    for index, section in enumerate(content.sections):
        flowables = table.section(section.key).builder()(ctx, section)
        if index and section.key != COVER and content.sections[index - 1].key != COVER:
            out.append(PageBreak())
        out.extend(flowables)
    return out


def first_template(content: PackContent) -> str:
    return "cover" if content.sections and content.sections[0].key == COVER else "body"


__all__ = ["Anchor", "Context", "OutlineMark", "clip", "first_template", "fit", "lines",
           "pieces", "story", "text"]
