"""A fiche per partner country, with a bar chart of its figures."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from briefing_app.reporting.content import Chart, CountriesSection, CountryFiche
from briefing_app.reporting.flowables.base import (
    Context,
    data_table,
    facts_table,
    heading,
    link,
    quote_flowable,
    refs,
    status_markup,
    status_tint,
    subheading,
    when,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.style import ACCENT, INK, MUTED, NAVY, hexcolour
from briefing_app.reporting.flowables.text import fit, lines, text
from briefing_app.reporting.fonts import SANS, SANS_BOLD


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """A small horizontal bar chart of one country's figures (DejaVu text only)."""
    bar_h, gap, top = 10.0, 6.0, 16.0
    label_w = width * 0.5
    value_w = min(width * 0.22, 8 + max(stringWidth(b.display, SANS, 7) for b in chart.bars))
    plot_w = max(40.0, width - label_w - value_w)
    height = top + len(chart.bars) * (bar_h + gap) + 2
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS  # the renderer's first setFont: never Helvetica
    drawing.initialFontSize = 7
    drawing.add(String(0, height - 10, fit(chart.title, SANS_BOLD, 8, width),
                       fontName=SANS_BOLD, fontSize=8, fillColor=NAVY))
    values = [b.value for b in chart.bars]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    zero = label_w + plot_w * (-low / span)
    for i, bar in enumerate(chart.bars):
        y = height - top - (i + 1) * (bar_h + gap) + gap
        drawing.add(String(0, y + 2.5, fit(bar.label, SANS, 7, label_w - 6), fontName=SANS,
                           fontSize=7, fillColor=INK))
        length = plot_w * abs(bar.value) / span
        x = zero if bar.value >= 0 else zero - length
        drawing.add(Rect(x, y, max(length, 0.8), bar_h, fillColor=ACCENT, strokeColor=None))
        end = max(x + length, zero)
        drawing.add(String(end + 3, y + 2.5, fit(bar.display, SANS, 7, value_w - 4),
                           fontName=SANS, fontSize=7, fillColor=INK))
    drawing.add(Line(zero, 0, zero, height - top + 2, strokeColor=MUTED, strokeWidth=0.5))
    return drawing


def _fiche(ctx: Context, fiche: CountryFiche) -> list[Flowable]:
    s = ctx.styles
    out = subheading(ctx, fiche.anchor, f"{fiche.name} ({fiche.iso})", running=fiche.name,
                     room=0.3 * ctx.height)
    measures_markup = ", ".join(link(str(n), anchor) for n, anchor in fiche.measures) or "none"
    facts: list[tuple[str, Any]] = [
        ("Status", Paragraph(status_markup(fiche.status), s.cell)),
        ("Routes", Paragraph(text(", ".join(fiche.routes) or "—"), s.cell)),
        ("In measures", Paragraph(measures_markup, s.cell)),
        ("Owner", Paragraph(text(fiche.owner or "—"), s.cell)),
    ]
    if fiche.last_note:  # why the status last changed (its date is the status's as of)
        facts.append(("Last change", Paragraph(text(fiche.last_note), s.cell)))
    table = facts_table(ctx, facts, 34 * mm,
                        extra=[("BACKGROUND", (1, 0), (1, 0), status_tint(fiche.status))])
    out.append(table)
    if fiche.status_note:
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(f"<b>Assessment.</b> {text(fiche.status_note)}", s.body))
    if fiche.notes:
        out.append(Paragraph(f"<b>Notes.</b> {lines(fiche.notes)}", s.body))
    if fiche.instruments:
        out.append(Paragraph("Cooperation instruments", s.h3))
        rows = [[Paragraph(text(i.name) + refs(i.refs), s.cell), Paragraph(text(i.kind), s.cell),
                 Paragraph(text(i.state), s.cell)] for i in fiche.instruments]
        out.append(data_table(ctx, ["Instrument", "Kind", "State"], rows,
                              ctx.cols(0.6, 0.24, 0.16)))
    if fiche.indicators:
        out.append(Paragraph("Figures", s.h3))
        rows = []
        for i in fiche.indicators:
            what = text(i.label) + refs(i.refs)
            if i.route:
                what += f'<br/><font size="7" color="{hexcolour(MUTED)}">route figure: ' \
                        f"{text(i.route)}</font>"
            rows.append([Paragraph(f"<b>{text(i.display)}</b>", s.cell), Paragraph(what, s.cell),
                         Paragraph(when(i.as_of), s.cell)])
        out.append(data_table(ctx, ["Figure", "What it measures", "As of"], rows,
                              ctx.cols(0.2, 0.64, 0.16)))
        if fiche.chart is not None:
            out.append(Spacer(1, 3 * mm))
            out.append(chart_drawing(fiche.chart, ctx.width))
    if fiche.quotes:
        out.append(Paragraph("Key passages", s.h3))
        out.extend(quote_flowable(ctx, q) for q in fiche.quotes)
    out.append(Spacer(1, 4 * mm))
    return out


def countries(ctx: Context, section: CountriesSection) -> list[Flowable]:
    out = heading(ctx, section, f"{len(section.fiches)} partner countries: overall status, "
                                "routes, cooperation instruments, figures and the passages "
                                "they rest on.")
    if not section.fiches:
        out.append(Paragraph("No partner countries in the store.", ctx.styles.body))
    for fiche in section.fiches:
        out += _fiche(ctx, fiche)
    return out
