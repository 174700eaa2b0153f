"""What every section's layout shares: its context, marks, tables and headings.

Long text never breaks the layout: table rows may split inside a cell
(``splitInRow``), header rows repeat on every page, and long words are split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from briefing_app.reporting import sections as table
from briefing_app.reporting.content import (
    Basis,
    Contest,
    PackContent,
    Quote,
    Refs,
    Section,
    Since,
    StatusMark,
    short_date,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.style import (
    ACCENT,
    DRAFT_RED,
    MUTED,
    NAVY,
    RAG_COLOURS,
    RAG_WORDS,
    RULE,
    ZEBRA,
    Styles,
    hexcolour,
    make_styles,
)
from briefing_app.reporting.flowables.text import clip, lines, text
from briefing_app.reporting.fonts import SANS
from briefing_app.reporting.markup import NoteBlock, Run

# --------------------------------------------------------------------- marks & helpers


@dataclass(frozen=True)
class OutlineMark:
    """Where a section or sub-section starts: for the outline, the contents and the header."""

    key: str  # the named destination (also the target of links)
    title: str  # plain text
    level: int  # 0: section, 1: sub-section
    toc: bool = True
    running: str | None = None  # the name the running header shows from here on


class Anchor(Flowable):
    """A zero-size marker the document template turns into a bookmark and a TOC entry."""

    def __init__(self, mark: OutlineMark) -> None:
        super().__init__()
        self.mark = mark
        self.top = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.top = y
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        pass


def is_front(key: str) -> bool:
    """Whether a section is front matter (cover, contents): never listed in the contents."""
    entry = table.find(key)
    return entry is not None and entry.front


class Context:
    """What every section function needs: styles, the frame width, the pack."""

    def __init__(self, content: PackContent, width: float, height: float) -> None:
        self.content = content
        self.width = width
        self.height = height
        self.styles: Styles = make_styles()

    def cols(self, *fractions: float) -> list[float]:
        """Column widths as fractions of the frame width (the last takes the rest)."""
        widths = [self.width * f for f in fractions[:-1]]
        return [*widths, self.width - sum(widths)]


def refs(numbers: Refs) -> str:
    """``[3, 7]`` in small accent type, each number linked to its source."""
    if not numbers:
        return ""
    links = ", ".join(f'<a href="#source-{n}" color="{hexcolour(ACCENT)}">{n}</a>'
                      for n in numbers)
    return f' <font size="7" color="{hexcolour(ACCENT)}">[{links}]</font>'


def link(label_markup: str, anchor: str | None) -> str:
    if anchor is None:
        return label_markup
    return f'<a href="#{anchor}" color="{hexcolour(ACCENT)}">{label_markup}</a>'


def status_markup(mark: StatusMark, *, small: bool = False) -> str:
    """A status in words and colour: a coloured square, the status, its RAG in words; on a
    tracked item's own line also what it rests on (:func:`basis_markup`) and "stale"."""
    strong, _ = RAG_COLOURS.get(mark.rag, RAG_COLOURS["grey"])
    size = 7 if small else 7.5
    flags = [f"RAG {text(RAG_WORDS.get(mark.rag, mark.rag))}"]
    if mark.basis is not None and mark.basis.stale:
        flags.append("<b>stale</b>")
    if mark.stalled:
        flags.append("stalled")
    head = f'<font color="{hexcolour(strong)}">■</font> <b>{text(mark.status)}</b>'
    if mark.basis is not None:
        head += " · " + basis_markup(mark.basis)
    markup = (f'{head}<br/><font size="{size}" color="{hexcolour(strong)}">'
              f'{" · ".join(flags)}</font>')
    if mark.conflict:
        markup += "<br/>" + conflict_markup(mark.conflict, size)
    return markup


def conflict_markup(values: Sequence[Contest], size: float) -> str:
    """Both values of an item in sync conflict, neither chosen: "In conflict, not
    resolved: team store: delayed (RAG red), by anna, 2 Dec 2026 / briefcase 2: …"."""
    shown = []
    for value in values:
        owner = f", owner {text(value.owner)}" if value.owner else ""
        shown.append(f"{text(value.place)}: <b>{text(value.status)}</b> "
                     f"(RAG {text(RAG_WORDS.get(value.rag, value.rag))}{owner}), by "
                     f"{text(value.author)}, {short_date(value.on)}")
    return (f'<font size="{size}" color="{hexcolour(DRAFT_RED)}"><b>In conflict, not '
            f'resolved:</b> {" / ".join(shown)}</font>')


def basis_markup(basis: Basis) -> str:
    """``as of 14 Oct 2024 [12]``, ``… · no source``: each kept on one line (no-break
    spaces, printed as spaces: a search for "as of" finds them)."""
    dated = (f"as of {short_date(basis.as_of)}" if basis.as_of is not None
             else "no date").replace(" ", "\u00a0")
    markup = dated + refs(basis.refs)
    if basis.no_source:
        markup += f' · <font color="{hexcolour(DRAFT_RED)}"><b>no\u00a0source</b></font>'
    return markup


def status_tint(mark: StatusMark) -> colors.Color:
    return RAG_COLOURS.get(mark.rag, RAG_COLOURS["grey"])[1]


def data_table(ctx: Context, header: Sequence[str], rows: list[list[Any]],
               widths: Sequence[float], *, extra: Sequence[tuple[Any, ...]] = (),
               zebra: bool = True) -> Table:
    """A table that splits across pages (inside rows too) and repeats its header row."""
    head = [Paragraph(text(h), ctx.styles.cell_head) for h in header]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), SANS, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if zebra:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    style.extend(extra)
    # a row longer than about a page splits where the page ends, not first before it
    # (which would leave a repeated header and a gap on the page)
    huge = any(_markup_size(cell) > HUGE_ROW for row in rows for cell in row)
    return Table([head, *rows], colWidths=list(widths), repeatRows=1, splitInRow=1,
                 splitByRow=0 if huge else 1, hAlign="LEFT", style=TableStyle(style))


#: Characters of text in one cell beyond which a row is laid out as "longer than a page".
HUGE_ROW = 6000


def _markup_size(cell: Any) -> int:
    if isinstance(cell, Paragraph):
        return len(cell.text)
    if isinstance(cell, list | tuple):
        return sum(_markup_size(c) for c in cell)
    return 0


def facts_table(ctx: Context, facts: Sequence[tuple[str, Any]],
                label_width: float = 32 * mm, *, extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """Label/value pairs, one per row; values are markup or flowables already."""
    rows = [[Paragraph(text(label).upper(), ctx.styles.label), value] for label, value in facts]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), SANS, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (0, -1), 4.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]
    return Table(rows, colWidths=[label_width, ctx.width - label_width], splitInRow=1,
                 hAlign="LEFT", style=TableStyle(style))


def heading(ctx: Context, section: Section, intro: str | None = None) -> list[Flowable]:
    """A section's start: a new page (unless it is the first), its bookmark and title."""
    mark = OutlineMark(section.anchor, clip(section.title), 0,
                       toc=not is_front(section.key),
                       running=clip(section.title, 90))
    rule = Table([[""]], colWidths=[ctx.width], rowHeights=[2.2],
                 style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), NAVY),
                                   ("FONT", (0, 0), (-1, -1), SANS, 1)]))
    out: list[Flowable] = [Anchor(mark), Paragraph(text(section.title), ctx.styles.h1), rule]
    for flowable in out[:-1]:
        flowable.keepWithNext = True
    out.append(Spacer(1, 4 * mm))
    if intro:
        out.append(Paragraph(intro, ctx.styles.muted))
        out.append(Spacer(1, 3 * mm))
    return out


def subheading(ctx: Context, key: str, title: str, *, running: str | None = None,
               toc: bool = True, style: ParagraphStyle | None = None,
               markup: str | None = None, room: float = 45 * mm) -> list[Flowable]:
    """A sub-section's start; a new page first unless ``room`` is left for what follows.

    (Not ``keepWithNext``: kept with a long table, a heading would push it whole to
    the next page.)
    """
    anchor = Anchor(OutlineMark(key, clip(title), 1, toc=toc, running=running))
    para = Paragraph(markup if markup is not None else text(title), style or ctx.styles.h2)
    anchor.keepWithNext = True
    return [CondPageBreak(room), anchor, para]


def _runs(runs: Sequence[Run]) -> str:
    out = []
    for run in runs:
        piece = lines(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        out.append(piece)
    return "".join(out)


def note_flowables(ctx: Context, blocks: Sequence[NoteBlock]) -> list[Flowable]:
    """An adviser's note with its simple formatting (bold, italic, bullets, headings)."""
    out: list[Flowable] = []
    for block in blocks:
        markup = _runs(block.runs)
        if block.kind == "heading":
            out.append(Paragraph(markup, ctx.styles.h3))
        elif block.kind == "bullet":
            out.append(Paragraph(markup, ctx.styles.bullet, bulletText="•"))
        elif block.kind == "numbered":
            out.append(Paragraph(markup, ctx.styles.bullet, bulletText=f"{block.number}."))
        else:
            out.append(Paragraph(markup, ctx.styles.body))
            out.append(Spacer(1, 2 * mm))
    return out


def quote_flowable(ctx: Context, quote: Quote) -> Paragraph:
    return Paragraph(f"“{text(quote.text)}”{refs(quote.refs)}", ctx.styles.quote)


def when(value: date | datetime | None) -> str:
    return short_date(value, "—")


def since_markup(line: Since) -> str:
    """``Since: “…passage…” [7] (14 Oct 2024)``: the newest evidence under a commitment."""
    dated = short_date(line.letter_date, "undated letter").replace(" ", "\u00a0")
    return (f"<b>Since:</b> “{text(line.passage)}”{refs(line.refs)} "
            f'<font color="{hexcolour(MUTED)}">({dated})</font>')

