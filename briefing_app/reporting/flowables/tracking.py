"""What the store tracks: action points, operational measures, the country ×
measure matrix and the status changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from briefing_app.reporting.content import (
    ActionPointsSection,
    ChangesSection,
    CommitmentsSection,
    MatrixSection,
    MeasuresSection,
    long_date,
    short_date,
)
from briefing_app.reporting.flowables.base import (
    Context,
    data_table,
    heading,
    link,
    refs,
    since_markup,
    status_markup,
    status_tint,
    subheading,
    when,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.style import MUTED, NAVY, RAG_COLOURS, RULE, ZEBRA, hexcolour
from briefing_app.reporting.flowables.text import clip, item_paragraphs, lines, pieces, text
from briefing_app.reporting.fonts import SANS


def action_points(ctx: Context, section: ActionPointsSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, f"{len(section.points)} action points, each with its status, "
                                "the date it is as of and the source it rests on. The full "
                                "text of each follows the summary, with its newest evidence.")
    if not section.points:
        return [*out, Paragraph("No action points in the store.", s.body)]
    rows = []
    extra: list[tuple[Any, ...]] = []
    for row, point in enumerate(section.points, start=1):
        rows.append([
            Paragraph(f"<b>{point.number}</b>", s.cell),
            Paragraph(link(text(point.title), point.anchor) + refs(point.refs), s.cell),
            Paragraph(status_markup(point.status), s.cell),
            Paragraph(text(point.owner or "—"), s.cell),
        ])
        extra.append(("BACKGROUND", (2, row), (2, row), status_tint(point.status)))
    out.append(data_table(ctx, ["No.", "Action point", "Status", "Owner"], rows,
                          ctx.cols(0.07, 0.51, 0.27, 0.15), extra=extra))
    out.append(Spacer(1, 6 * mm))
    out.append(Paragraph("The action points in full", s.h2))
    for point in section.points:
        out.append(CondPageBreak(40 * mm))
        out.append(Spacer(1, 2 * mm))
        head = Paragraph(f'<a name="{point.anchor}"/>{point.number}. {text(point.title)}',
                         s.h3)
        badge = Paragraph(status_markup(point.status, small=True), s.cell)
        meta = Table([[head, badge]], colWidths=ctx.cols(0.7, 0.3), hAlign="LEFT",
                     style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("FONT", (0, 0), (-1, -1), SANS, 8),
                                       ("BACKGROUND", (1, 0), (1, 0), status_tint(point.status)),
                                       ("LEFTPADDING", (0, 0), (0, 0), 0),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2)]))
        meta.keepWithNext = True
        out.append(meta)
        out += item_paragraphs(point.text, s.detail)
        if point.owner or point.notes:
            owner = f"<b>Owner:</b> {text(point.owner)}  " if point.owner else ""
            notes = f"<b>Notes:</b> {lines(point.notes)}" if point.notes else ""
            out.append(Paragraph(owner + notes, s.small))
        if point.since is not None:
            out.append(Paragraph(since_markup(point.since), s.small))
        if point.refs:
            out.append(Paragraph("Source:" + refs(point.refs), s.cell_small))
    return out


def measures(ctx: Context, section: MeasuresSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section,
                  "Deadlines are quoted as the letter words them, with the date they are read "
                  "as. <b>OVERDUE</b>: the date has passed on "
                  f"{text(long_date(section.as_of))} and the measure is neither done nor "
                  "dropped. Each status says the date it is as of and the source it rests "
                  "on; <b>Since</b> quotes the newest evidence.")
    if not section.groups:
        return [*out, Paragraph("No operational measures in the store.", s.body)]
    strong_red = RAG_COLOURS["red"][0]
    for number, group in enumerate(section.groups, start=1):
        title = f"{group.section}. {group.title}"
        out += subheading(ctx, f"measures-group-{number}", title,
                          running=f"Section {group.section}")
        rows = []
        extra: list[tuple[Any, ...]] = []
        for row, m in enumerate(group.measures, start=1):
            body: list[Flowable] = [Paragraph(f'<a name="{m.anchor}"/>{lines(m.text)}'
                                              + refs(m.refs), s.cell)]
            details = []
            if m.lead_actors:
                details.append(f"<b>Lead:</b> {text(', '.join(m.lead_actors))}")
            if m.countries:
                details.append(f"<b>Countries named:</b> {text(', '.join(m.countries))}")
            if m.owner:
                details.append(f"<b>Owner:</b> {text(m.owner)}")
            if details:
                body.append(Paragraph(" · ".join(details), s.cell_small))
            if m.since is not None:
                body.append(Paragraph(since_markup(m.since), s.cell_since))
            if m.notes:
                body += [Paragraph(("<b>Notes:</b> " if i == 0 else "") + lines(chunk),
                                   s.cell_small)
                         for i, chunk in enumerate(_chunks(m.notes))]
            deadline = deadline_markup(m.deadline, m.due_date, m.overdue, strong_red)
            rows.append([Paragraph(f"<b>{m.number}</b>", s.cell), body,
                         Paragraph(deadline, s.cell), Paragraph(status_markup(m.status), s.cell)])
            extra.append(("BACKGROUND", (3, row), (3, row), status_tint(m.status)))
            if m.overdue:
                extra.append(("BACKGROUND", (2, row), (2, row), RAG_COLOURS["red"][1]))
        out.append(data_table(ctx, ["No.", "Measure", "Deadline", "Status"], rows,
                              ctx.cols(0.06, 0.52, 0.17, 0.25), extra=extra))
    return out


def commitments(ctx: Context, section: CommitmentsSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "The accepted commitments of the letters' other series, "
                                "each with its status, the date it is as of and the source "
                                "it rests on.")
    strong_red = RAG_COLOURS["red"][0]
    for number, group in enumerate(section.groups, start=1):
        out += subheading(ctx, f"commitments-group-{number}", group.title)
        rows = []
        extra: list[tuple[Any, ...]] = []
        for row, c in enumerate(group.commitments, start=1):
            body: list[Flowable] = [Paragraph(f'<a name="{c.anchor}"/>{lines(c.text)}', s.cell)]
            details = []
            if c.countries:
                details.append(f"<b>Countries named:</b> {text(', '.join(c.countries))}")
            if c.owner:
                details.append(f"<b>Owner:</b> {text(c.owner)}")
            if details:
                body.append(Paragraph(" · ".join(details), s.cell_small))
            if c.since is not None:
                body.append(Paragraph(since_markup(c.since), s.cell_since))
            deadline = deadline_markup(c.deadline, c.due_date, c.overdue, strong_red)
            rows.append([Paragraph(f"<b>{text(c.label)}</b>", s.cell), body,
                         Paragraph(deadline, s.cell), Paragraph(status_markup(c.status), s.cell)])
            extra.append(("BACKGROUND", (3, row), (3, row), status_tint(c.status)))
        out.append(data_table(ctx, ["No.", "Commitment", "Deadline", "Status"], rows,
                              ctx.cols(0.08, 0.50, 0.17, 0.25), extra=extra))
    return out


def deadline_markup(deadline: str | None, due: date | None, overdue: bool,
                    alarm: Any) -> str:
    """A commitment's deadline cell: as written, how it was read, and OVERDUE."""
    if not deadline:
        return f'<font color="{hexcolour(MUTED)}">none stated</font>'
    markup = text(deadline)
    if due:
        markup += f'<br/><font size="7.5">read as {short_date(due)}</font>'
    if overdue:
        markup += f'<br/><font color="{hexcolour(alarm)}"><b>OVERDUE</b></font>'
    return markup


def _chunks(value: str) -> list[str]:
    """Long notes in pieces, so a table row can split between them."""
    return [piece for piece, _ in pieces(value)] or [value]


def matrix(ctx: Context, section: MatrixSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section,
                  "Which partner countries each operational measure names. "
                  "<b>●</b>: the measure names the country. Each column shows its measure's "
                  "RAG as a letter and colour (G green, A amber, R red, ? grey: not known); "
                  "each row shows the country's overall status.")
    if not section.rows or not section.columns:
        out.append(Paragraph("No measure names a partner country in the store.", s.body))
    per_table = 15
    for start in range(0, max(len(section.columns), 1), per_table):
        columns = section.columns[start:start + per_table]
        if not columns:
            break
        name_w, status_w = 0.24 * ctx.width, 0.17 * ctx.width
        cell_w = (ctx.width - name_w - status_w) / per_table
        header = ["Country", "Status"] + [str(c.number) for c in columns]
        head_cells: list[Any] = [Paragraph(text(h), s.cell_head) for h in header[:2]]
        head_cells += [Paragraph(link(f'<font color="white"><b>{c.number}</b></font>', c.anchor),
                                 ParagraphStyle("mh", parent=s.cell_head, alignment=TA_CENTER))
                       for c in columns]
        rag_row: list[Any] = [Paragraph("measure RAG", s.cell_small), ""]
        extra: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), SANS, 8),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.3, RULE),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("ROWBACKGROUNDS", (0, 2), (1, -1), [colors.white, ZEBRA]),
        ]
        for i, column in enumerate(columns, start=2):
            strong, tint = RAG_COLOURS.get(column.status.rag, RAG_COLOURS["grey"])
            letter = {"green": "G", "amber": "A", "red": "R"}.get(column.status.rag, "?")
            rag_row.append(Paragraph(f'<font color="{hexcolour(strong)}"><b>{letter}</b></font>',
                                     s.cell_centre))
            extra.append(("BACKGROUND", (i, 1), (i, 1), tint))
        rows: list[list[Any]] = [head_cells, rag_row]
        for r, row in enumerate(section.rows, start=2):
            cells: list[Any] = [
                Paragraph(link(f"{text(row.name)} ({row.iso})", row.anchor), s.cell),
                Paragraph(status_markup(row.status, small=True), s.cell_small),
            ]
            cells += [Paragraph(f'<font color="{hexcolour(NAVY)}">●</font>' if mark else "",
                                s.cell_centre) for mark in row.cells[start:start + per_table]]
            rows.append(cells)
            extra.append(("BACKGROUND", (1, r), (1, r), status_tint(row.status)))
        widths = [name_w, status_w] + [cell_w] * len(columns)
        table = Table(rows, colWidths=widths, repeatRows=2, splitInRow=1, hAlign="LEFT",
                      style=TableStyle(extra))
        if start:
            out.append(Spacer(1, 5 * mm))
        out.append(table)
    if section.not_named:
        out.append(Spacer(1, 3 * mm))
        out.append(Paragraph("<b>Named by no measure:</b> " + text(", ".join(section.not_named)),
                             s.muted))
    return out

def changes(ctx: Context, section: ChangesSection) -> list[Flowable]:
    s = ctx.styles
    since = text(section.since_text)
    out = heading(ctx, section, "The follow-ups accepted as evidence and the status changes "
                                f"recorded in the store {since}, oldest first. The first "
                                "status of each item is its baseline.")
    out += subheading(ctx, f"{section.anchor}-evidence", "New evidence", room=30 * mm)
    if not section.evidence:
        out.append(Paragraph(f"No follow-up has been accepted as evidence {since}.", s.body))
    else:
        rows: list[list[Any]] = []
        for e in section.evidence:
            letter = (f"<b>{text(short_date(e.letter_date, 'undated'))}</b><br/>"
                      f'<font size="7.5" color="{hexcolour(MUTED)}">'
                      f"{text(clip(e.letter_title, 110))}</font>")
            rows.append([Paragraph(when(e.accepted_at), s.cell),
                         Paragraph(text(e.item_label), s.cell), Paragraph(letter, s.cell),
                         Paragraph(f"“{text(e.passage)}”{refs(e.refs)}", s.cell),
                         Paragraph(text(e.author or "—"), s.cell)])
        out.append(data_table(ctx, ["Accepted", "Item", "Letter", "Passage", "By"], rows,
                              ctx.cols(0.13, 0.14, 0.22, 0.41, 0.1)))
    out += subheading(ctx, f"{section.anchor}-statuses", "Status changes", room=30 * mm)
    if not section.changes:
        out.append(Paragraph(f"No status has changed {since}.", s.body))
    else:
        rows = []
        for c in section.changes:
            old = "first recorded" if c.old_status is None else \
                f"{text(c.old_status)} ({text(c.old_rag or '—')})"
            change = f"{old} → <b>{text(c.new_status)}</b> ({text(c.new_rag)})"
            if c.from_evidence:
                dated = short_date(c.evidence_date, "undated").replace(" ", "\u00a0")
                change += (f'<br/><font size="7.5" color="{hexcolour(MUTED)}">on the letter '
                           f"of {dated}</font>{refs(c.refs)}")
            if c.owner_change:
                change += f"<br/>owner: {text(c.owner_change)}"
            rows.append([Paragraph(short_date(c.changed_at), s.cell),
                         Paragraph(text(c.item_label), s.cell), Paragraph(change, s.cell),
                         Paragraph(text(c.author), s.cell),
                         [Paragraph(lines(chunk), s.cell) for chunk in _chunks(c.note or "—")]])
        out.append(data_table(ctx, ["Recorded", "Item", "Change", "By", "Note"], rows,
                              ctx.cols(0.13, 0.14, 0.3, 0.1, 0.33)))
    if section.baselines_left_out:
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(f"{section.baselines_left_out} items have not changed since "
                             "their baseline and are not listed.", s.muted))
    return out
