"""The front of a pack: the cover page and the contents."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from briefing_app.reporting.content import ContentsSection, CoverSection
from briefing_app.reporting.flowables.base import (
    Anchor,
    Context,
    OutlineMark,
    facts_table,
    heading,
    is_front,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.style import DRAFT_RED, MUTED, NAVY, hexcolour
from briefing_app.reporting.flowables.text import text
from briefing_app.reporting.fonts import SANS


def cover(ctx: Context, section: CoverSection) -> list[Flowable]:
    s = ctx.styles
    content = ctx.content
    mark = OutlineMark(section.anchor, "Cover", 0, toc=False, running="Cover")
    band = Table(
        [[Paragraph("BRIEFING PACK", s.cover_band)],
         [Paragraph(text(section.subheading), s.cover_band_sub)]],
        colWidths=[ctx.width],
        style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), NAVY),
                          ("FONT", (0, 0), (-1, -1), SANS, 10),
                          ("LEFTPADDING", (0, 0), (-1, -1), 12),
                          ("TOPPADDING", (0, 0), (0, 0), 12),
                          ("BOTTOMPADDING", (0, -1), (-1, -1), 12)]))
    title_style = s.cover_title
    if len(section.heading) > 110:
        title_style = ParagraphStyle("cover_title_long", parent=s.cover_title, fontSize=16,
                                     leading=20)
    out: list[Flowable] = [Anchor(mark), band, Spacer(1, 12 * mm),
                           Paragraph(text(section.heading), title_style)]
    if content.meeting is not None and content.title != content.meeting.title:
        out.append(Paragraph(text(content.title), s.cover_subtitle))
    out.append(Spacer(1, 8 * mm))
    facts = [(label, Paragraph(text(value), s.cover_fact)) for label, value in section.facts]
    out.append(facts_table(ctx, facts, 38 * mm))
    if section.agenda:
        out.append(Spacer(1, 6 * mm))
        out.append(Paragraph("Agenda", s.h3))
        for number, item in enumerate(section.agenda, start=1):
            out.append(Paragraph(text(item), s.bullet, bulletText=f"{number}."))
    out.append(Spacer(1, 10 * mm))
    state_colour = DRAFT_RED if content.draft else NAVY
    state = Table(
        [[Paragraph(f'<font color="{hexcolour(state_colour)}">{content.state}</font>', s.state),
          Paragraph(f"<b>{text(content.classification)}</b><br/>"
                    f'<font size="8" color="{hexcolour(MUTED)}">'
                    + ("Draft for review: not for circulation" if content.draft
                       else "Final version") + "</font>", s.cover_fact)]],
        colWidths=[45 * mm, ctx.width - 45 * mm],
        style=TableStyle([("BOX", (0, 0), (-1, -1), 1.2, state_colour),
                          ("LINEAFTER", (0, 0), (0, 0), 0.6, state_colour),
                          ("FONT", (0, 0), (-1, -1), SANS, 10),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                          ("TOPPADDING", (0, 0), (-1, -1), 8),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
                          ("LEFTPADDING", (0, 0), (-1, -1), 10)]))
    out.append(state)
    out.append(Spacer(1, 8 * mm))
    months = section.stale_after_months
    stale = (f"more than {months} months old" if months is not None
             else "older than the stale threshold")
    out.append(Paragraph(
        "Statuses are printed in words and colour: green, amber, red, and grey for "
        "“not known” (never red for missing data). Each status is dated “as of” its newest "
        "accepted follow-up or the newest change a person made (else the item's own "
        "letter) and names the passage it was set from; <b>no source</b>: a status set "
        f"without one; <b>stale</b>: its as-of date is {stale}. The newest evidence is the "
        "latest letter the pack's items rest on. Figures in square brackets refer to the "
        "numbered sources at the end of the pack; the source letters are reproduced in "
        "full in the annexes.", s.muted))
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def contents(ctx: Context, section: ContentsSection) -> list[Flowable]:
    if all(is_front(s.key) for s in ctx.content.sections):
        return [*heading(ctx, section),
                Paragraph("This pack holds no other section.", ctx.styles.muted)]
    toc = TableOfContents(
        levelStyles=[ctx.styles.toc0, ctx.styles.toc1], dotsMinLevel=0,
        tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [*heading(ctx, section), toc]
