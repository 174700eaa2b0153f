"""The steering note and the lines to take per agenda item, with related items."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from briefing_app.reporting.content import LinesToTakeSection
from briefing_app.reporting.flowables.base import (
    Context,
    data_table,
    facts_table,
    heading,
    link,
    note_flowables,
    quote_flowable,
    status_markup,
    status_tint,
    subheading,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.text import text


def lines_to_take(ctx: Context, section: LinesToTakeSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section)
    if section.facts:
        out.append(facts_table(ctx, [(label, Paragraph(text(value), s.cell))
                                     for label, value in section.facts]))
        out.append(Spacer(1, 3 * mm))
    if section.background:
        out.append(Paragraph("Background", s.h3))
        out.extend(quote_flowable(ctx, q) for q in section.background)
    for part in section.parts:
        title = part.title if part.number == 0 else f"Agenda item {part.number}: {part.title}"
        running = "Steering note" if part.number == 0 else f"Agenda item {part.number}"
        out += subheading(ctx, part.anchor, title, running=running)
        if part.blocks:
            out += note_flowables(ctx, part.blocks)
        else:
            out.append(Paragraph("No lines to take written yet.", s.muted))
        if part.items:
            rows = [[Paragraph(link(text(item.label), item.anchor), s.cell),
                     Paragraph(text(item.detail), s.cell_small),
                     Paragraph(status_markup(item.status, small=True), s.cell)
                     if item.status else ""]
                    for item in part.items]
            tints = [("BACKGROUND", (2, row), (2, row), status_tint(item.status))
                     for row, item in enumerate(part.items, start=1) if item.status]
            out.append(Spacer(1, 2 * mm))
            out.append(data_table(ctx, ["Related item", "Detail", "Status"], rows,
                                  ctx.cols(0.5, 0.28, 0.22), extra=tints))
    return out
