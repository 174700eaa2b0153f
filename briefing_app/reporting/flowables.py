"""The second stage of the pipeline: one function per section, content → flowables.

Every piece of stored text goes through :func:`text` (or :func:`lines`) before
it reaches a :class:`Paragraph`, so ``<b>R&D</b> 5 < 7`` prints as typed and
no stored character can be read as markup. Long text never breaks the
layout: table rows may split inside a cell (``splitInRow``), header rows
repeat on every page, and long words are split.

Fonts are the bundled DejaVu faces only (see :mod:`briefing_app.reporting.fonts`);
every style and table names them, so no standard Type 1 font reaches the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from briefing_app.reporting.compose import (
    ActionPointsSection,
    AnnexesSection,
    ChangesSection,
    Chart,
    ContentsSection,
    CountriesSection,
    CountryFiche,
    CoverSection,
    LinesToTakeSection,
    MatrixSection,
    MeasuresSection,
    PackContent,
    Quote,
    Refs,
    Section,
    SignatoriesSection,
    SourcesSection,
    StatusMark,
    long_date,
    short_date,
)
from briefing_app.reporting.fonts import SANS, SANS_BOLD, SANS_ITALIC, SERIF, printable
from briefing_app.reporting.markup import NoteBlock, Run

# ----------------------------------------------------------------------------- palette

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2C6E9B")
MUTED = colors.HexColor("#5A6472")
RULE = colors.HexColor("#B8C4D0")
ZEBRA = colors.HexColor("#F3F6F9")
PALE = colors.HexColor("#E8EEF4")
DRAFT_RED = colors.HexColor("#B3261E")

#: RAG colour -> (strong colour for marks and words, pale tint for cell backgrounds)
RAG_COLOURS: dict[str, tuple[colors.Color, colors.Color]] = {
    "green": (colors.HexColor("#2E7D32"), colors.HexColor("#E3F1E4")),
    "amber": (colors.HexColor("#A85F00"), colors.HexColor("#FFF1D0")),
    "red": (colors.HexColor("#C62828"), colors.HexColor("#FBE1E1")),
    "grey": (colors.HexColor("#616161"), colors.HexColor("#ECECEC")),
}
RAG_WORDS = {"green": "green", "amber": "amber", "red": "red", "grey": "grey: not known"}

# ------------------------------------------------------------------------------ text

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text(value: object) -> str:
    """Stored text made safe for a Paragraph: printed as typed, never read as markup."""
    cleaned = _UNPRINTABLE.sub(" ", str(value).replace("\t", " ").replace("\r\n", "\n"))
    return escape(printable(cleaned.replace("\r", "\n"))).replace("\n", " ")


def lines(value: object) -> str:
    """Like :func:`text`, keeping line breaks."""
    cleaned = _UNPRINTABLE.sub(" ", str(value).replace("\t", " ").replace("\r\n", "\n"))
    return "<br/>".join(escape(printable(line))
                        for line in cleaned.replace("\r", "\n").split("\n"))


def hexcolour(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


def fit(value: str, font: str, size: float, width: float) -> str:
    """``value`` cut with an ellipsis to fit ``width`` points (for one-line furniture)."""
    value = " ".join(value.split())
    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def clip(value: str, limit: int = 160) -> str:
    """Plain text for the outline and contents: one line, at most ``limit`` characters."""
    value = " ".join(_UNPRINTABLE.sub(" ", value).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------- styles


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": SANS, "fontSize": 9.5, "leading": 13,
                            "textColor": INK, "splitLongWords": 1, "bulletFontName": SANS}
    base.update(kw)
    return ParagraphStyle(name, **base)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    detail: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_small: ParagraphStyle
    cell_head: ParagraphStyle
    cell_centre: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    quote: ParagraphStyle
    letter: ParagraphStyle
    bullet: ParagraphStyle
    label: ParagraphStyle
    cover_band: ParagraphStyle
    cover_band_sub: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_fact: ParagraphStyle
    state: ParagraphStyle
    toc0: ParagraphStyle
    toc1: ParagraphStyle


def make_styles() -> Styles:
    return Styles(
        body=_style("body"),
        small=_style("small", fontSize=8, leading=10.5),
        detail=_style("detail", fontSize=8.5, leading=11.5, spaceAfter=4),
        muted=_style("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        cell=_style("cell", fontSize=8.5, leading=11),
        cell_small=_style("cell_small", fontSize=7.5, leading=9.5, textColor=MUTED),
        cell_head=_style("cell_head", fontName=SANS_BOLD, fontSize=8, leading=10,
                         textColor=colors.white),
        cell_centre=_style("cell_centre", fontSize=8, leading=10, alignment=TA_CENTER),
        h1=_style("h1", fontName=SANS_BOLD, fontSize=17, leading=21, textColor=NAVY,
                  spaceAfter=2),
        h2=_style("h2", fontName=SANS_BOLD, fontSize=12, leading=15, textColor=NAVY,
                  spaceBefore=10, spaceAfter=5),
        h3=_style("h3", fontName=SANS_BOLD, fontSize=10, leading=13, textColor=INK,
                  spaceBefore=8, spaceAfter=3),
        quote=_style("quote", fontName=SANS_ITALIC, fontSize=8.5, leading=11.5,
                     leftIndent=10, textColor=colors.HexColor("#333333"), spaceAfter=4),
        letter=_style("letter", fontName=SERIF, fontSize=9.5, leading=13.5, spaceAfter=6),
        bullet=_style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=2),
        label=_style("label", fontName=SANS_BOLD, fontSize=7.5, leading=10, textColor=MUTED),
        cover_band=_style("cover_band", fontName=SANS_BOLD, fontSize=11, leading=14,
                          textColor=colors.white),
        cover_band_sub=_style("cover_band_sub", fontSize=10, leading=13,
                              textColor=colors.HexColor("#DCE6F0")),
        cover_title=_style("cover_title", fontName=SANS_BOLD, fontSize=22, leading=27,
                           textColor=NAVY, spaceAfter=6),
        cover_subtitle=_style("cover_subtitle", fontSize=12, leading=16, textColor=MUTED),
        cover_fact=_style("cover_fact", fontSize=10, leading=13),
        state=_style("state", fontName=SANS_BOLD, fontSize=20, leading=24,
                     alignment=TA_CENTER),
        toc0=_style("toc0", fontName=SANS_BOLD, fontSize=10.5, leading=15, spaceBefore=5,
                    textColor=NAVY),
        toc1=_style("toc1", fontSize=9, leading=12.5, leftIndent=14),
    )


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


class Context:
    """What every section function needs: styles, the frame width, the pack."""

    def __init__(self, content: PackContent, width: float, height: float) -> None:
        self.content = content
        self.width = width
        self.height = height
        self.styles = make_styles()

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
    """A status in words and colour: a coloured square, the status, its RAG in words."""
    strong, _ = RAG_COLOURS.get(mark.rag, RAG_COLOURS["grey"])
    size = 7 if small else 7.5
    stalled = " · stalled" if mark.stalled else ""
    rag = text(RAG_WORDS.get(mark.rag, mark.rag))
    return (f'<font color="{hexcolour(strong)}">■</font> <b>{text(mark.status)}</b><br/>'
            f'<font size="{size}" color="{hexcolour(strong)}">RAG {rag}{stalled}</font>')


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
                       toc=section.key not in ("cover", "contents"),
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


#: The longest text laid out as one Paragraph: ReportLab breaks a paragraph's lines in
#: time that grows with the square of its length, so longer text goes in pieces.
PIECE = 2500


def pieces(value: str, size: int = PIECE) -> list[tuple[str, bool]]:
    """``(piece, ends_paragraph)`` of at most ``size`` characters: cut at blank lines,
    then at line breaks, then at a space (or anywhere, in a word longer than a piece)."""
    out: list[tuple[str, bool]] = []
    normalised = value.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n[ \t]*\n", normalised):
        block = block.strip("\n")
        if not block.strip():
            continue
        current = ""
        for line in block.split("\n"):
            while len(line) > size:
                cut = line.rfind(" ", 0, size)
                cut = cut if cut > size // 2 else size
                if current:
                    out.append((current, False))
                    current = ""
                out.append((line[:cut], False))
                line = line[cut:].lstrip()
            if current and len(current) + 1 + len(line) > size:
                out.append((current, False))
                current = line
            else:
                current = f"{current}\n{line}" if current else line
        if current.strip():
            out.append((current, True))
        elif out:
            out[-1] = (out[-1][0], True)
    return out


def paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Text as typed: paragraphs at blank lines, every line break kept."""
    joined = ParagraphStyle(f"{style.name}-joined", parent=style, spaceAfter=0)
    return [Paragraph(lines(piece), style if ends else joined)
            for piece, ends in pieces(value)]


def item_paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """An item's text (an action point, a note): every line a paragraph of its own."""
    return [Paragraph(text(piece), style)
            for line in value.replace("\r", "\n").split("\n") if line.strip()
            for piece, _ in pieces(line)]


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


def _when(value: date | datetime | None) -> str:
    return short_date(value, "—")


# -------------------------------------------------------------------------- sections


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
    out.append(Paragraph(
        "Statuses are printed in words and colour: green, amber, red, and grey for "
        "“not known” (never red for missing data). Figures in square brackets refer to "
        "the numbered sources at the end of the pack; the source letters are reproduced "
        "in full in the annexes.", s.muted))
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def contents(ctx: Context, section: ContentsSection) -> list[Flowable]:
    if all(s.key in ("cover", "contents") for s in ctx.content.sections):
        return [*heading(ctx, section),
                Paragraph("This pack holds no other section.", ctx.styles.muted)]
    toc = TableOfContents(
        levelStyles=[ctx.styles.toc0, ctx.styles.toc1], dotsMinLevel=0,
        tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [*heading(ctx, section), toc]


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


def action_points(ctx: Context, section: ActionPointsSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, f"{len(section.points)} action points, with their status "
                                "as recorded in the store. The full text of each follows "
                                "the summary.")
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
            Paragraph(_when(point.last_changed), s.cell),
        ])
        extra.append(("BACKGROUND", (2, row), (2, row), status_tint(point.status)))
    out.append(data_table(ctx, ["No.", "Action point", "Status", "Owner", "Last change"], rows,
                          ctx.cols(0.07, 0.47, 0.19, 0.14, 0.13), extra=extra))
    out.append(Spacer(1, 6 * mm))
    out.append(Paragraph("The action points in full", s.h2))
    for point in section.points:
        out.append(CondPageBreak(40 * mm))
        out.append(Spacer(1, 2 * mm))
        head = Paragraph(f'<a name="{point.anchor}"/>{point.number}. {text(point.title)}',
                         s.h3)
        badge = Paragraph(status_markup(point.status, small=True), s.cell)
        meta = Table([[head, badge]], colWidths=ctx.cols(0.78, 0.22), hAlign="LEFT",
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
        if point.refs:
            out.append(Paragraph("Source:" + refs(point.refs), s.cell_small))
    return out


def measures(ctx: Context, section: MeasuresSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section,
                  "Deadlines are quoted as the letter words them, with the date they are read "
                  "as. <b>OVERDUE</b>: the date has passed on "
                  f"{text(long_date(section.as_of))} and the measure is neither done nor "
                  "dropped.")
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
            if m.notes:
                body += [Paragraph(("<b>Notes:</b> " if i == 0 else "") + lines(chunk),
                                   s.cell_small)
                         for i, chunk in enumerate(_chunks(m.notes))]
            if m.deadline:
                deadline = f"{text(m.deadline)}"
                if m.due_date:
                    deadline += f'<br/><font size="7.5">read as {short_date(m.due_date)}</font>'
                if m.overdue:
                    deadline += (f'<br/><font color="{hexcolour(strong_red)}"><b>OVERDUE</b>'
                                 "</font>")
            else:
                deadline = f'<font color="{hexcolour(MUTED)}">none stated</font>'
            rows.append([Paragraph(f"<b>{m.number}</b>", s.cell), body,
                         Paragraph(deadline, s.cell), Paragraph(status_markup(m.status), s.cell)])
            extra.append(("BACKGROUND", (3, row), (3, row), status_tint(m.status)))
            if m.overdue:
                extra.append(("BACKGROUND", (2, row), (2, row), RAG_COLOURS["red"][1]))
        out.append(data_table(ctx, ["No.", "Measure", "Deadline", "Status"], rows,
                              ctx.cols(0.06, 0.56, 0.19, 0.19), extra=extra))
    return out


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
        ("Last change", Paragraph(_when(fiche.last_changed) + (
            f' <font color="{hexcolour(MUTED)}">· {text(fiche.last_note)}</font>'
            if fiche.last_note else ""), s.cell)),
    ]
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
                         Paragraph(_when(i.as_of), s.cell)])
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


def signatories(ctx: Context, section: SignatoriesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "Who signed each letter, by country (people of the EU "
                                "institutions under their organisation). For a letter that "
                                "names no signatory, its sender.")
    if not section.groups:
        return [*out, Paragraph("No signatures recorded.", s.body)]
    letters: dict[int, tuple[str, int]] = {}  # letter id -> (label, signatures)
    for group in section.groups:
        for sig in group.signatures:
            label = f"Annex {sig.letter_annex}" if sig.letter_annex else f"Letter {sig.letter_id}"
            count = letters.get(sig.letter_id, (label, 0))[1]
            letters[sig.letter_id] = (label, count + 1)
    titles = {sig.letter_id: sig for g in section.groups for sig in g.signatures}
    key_rows = [[Paragraph(link(f"<b>{label}</b>", titles[letter_id].letter_anchor), s.cell),
                 Paragraph(text(titles[letter_id].letter_title), s.cell),
                 Paragraph(short_date(titles[letter_id].letter_date, "undated"), s.cell),
                 Paragraph(str(count), s.cell)]
                for letter_id, (label, count) in sorted(
                    letters.items(), key=lambda item: (len(item[1][0]), item[1][0], item[0]))]
    out.append(data_table(ctx, ["Letter", "Title", "Date", "Signed by"], key_rows,
                          ctx.cols(0.11, 0.63, 0.14, 0.12)))
    out.append(Spacer(1, 5 * mm))
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for group in section.groups:
        first = len(rows) + 1
        for i, sig in enumerate(group.signatures):
            label, _ = letters[sig.letter_id]
            name = (f"<b>{text(group.name)}</b>" if i == 0 else
                    f'<font color="{hexcolour(MUTED)}">{text(group.name)}</font>')
            rows.append([Paragraph(name, s.cell),
                         Paragraph(f"<b>{text(sig.name)}</b>", s.cell),
                         Paragraph(text(sig.title or "—"), s.cell),
                         Paragraph(link(label, sig.letter_anchor), s.cell)])
        if first > 1:
            extra.append(("LINEABOVE", (0, first), (-1, first), 0.7, MUTED))
    out.append(data_table(ctx, ["Country", "Name", "Title as written", "Letter"], rows,
                          ctx.cols(0.19, 0.27, 0.41, 0.13), extra=extra, zebra=False))
    return out


def changes(ctx: Context, section: ChangesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "Every status change recorded in the store "
                                f"{text(section.since_text)}, oldest first. The first "
                                "status of each item is its baseline.")
    if not section.changes:
        out.append(Paragraph(f"No status has changed {text(section.since_text)}.", s.body))
    else:
        rows = []
        for c in section.changes:
            old = "first recorded" if c.old_status is None else \
                f"{text(c.old_status)} ({text(c.old_rag or '—')})"
            change = f"{old} → <b>{text(c.new_status)}</b> ({text(c.new_rag)})"
            if c.owner_change:
                change += f"<br/>owner: {text(c.owner_change)}"
            rows.append([Paragraph(short_date(c.changed_at), s.cell),
                         Paragraph(text(c.item_label), s.cell), Paragraph(change, s.cell),
                         Paragraph(text(c.author), s.cell),
                         [Paragraph(lines(chunk), s.cell) for chunk in _chunks(c.note or "—")]])
        out.append(data_table(ctx, ["Date", "Item", "Change", "By", "Note"], rows,
                              ctx.cols(0.13, 0.24, 0.26, 0.1, 0.27)))
    if section.baselines_left_out:
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(f"{section.baselines_left_out} items have not changed since "
                             "their baseline and are not listed.", s.muted))
    return out


def annexes(ctx: Context, section: AnnexesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "The source letters, each reproduced in full as it was "
                                "received; corrections are listed beside the text, never "
                                "made in it.")
    for letter in section.letters:
        title = link(text(letter.title), letter.anchor)
        out.append(Paragraph(f"<b>Annex {letter.label}</b>  {title}", s.body))
    for letter in section.letters:
        out.append(PageBreak())
        out += subheading(ctx, letter.anchor, f"Annex {letter.label}: {letter.title}",
                          running=f"Annex {letter.label}")
        facts: list[tuple[str, Any]] = [
            ("Date", Paragraph(text(long_date(letter.date, "not stated in the letter")),
                               s.cell)),
            ("Place", Paragraph(text(letter.place or "not stated"), s.cell)),
            ("Kind", Paragraph(text(letter.kind), s.cell)),
        ]
        if letter.reference:
            facts.append(("Reference", Paragraph(text(letter.reference), s.cell)))
        facts += [("Source file", Paragraph(text(letter.source_name), s.cell)),
                  ("SHA-256", Paragraph(text(letter.sha256), s.cell_small))]
        out.append(facts_table(ctx, facts, 28 * mm))
        for original, corrected, note in letter.corrections:
            extra = f" ({text(note)})" if note else ""
            out.append(Paragraph(f"<b>Correction recorded:</b> “{text(original)}” should read "
                                 f"“{text(corrected)}”{extra}.", s.muted))
        out.append(Spacer(1, 5 * mm))
        out += paragraphs(letter.text, s.letter)
    return out


def sources(ctx: Context, section: SourcesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "Every passage of the letters this pack cites, numbered in "
                                "order of first use. Character positions count from the "
                                "start of the letter's original text.")
    if not section.sources:
        return [*out, Paragraph("This pack cites no passages.", s.body)]
    rows = []
    for line in section.sources:
        where = text(clip(line.letter_title, 90))
        if line.annex_label:
            where = link(f"Annex {line.annex_label}", line.annex_anchor) + ": " + where
        where += f'<br/><font size="7" color="{hexcolour(MUTED)}">characters ' \
                 f"{line.start}–{line.end}</font>"
        used = f'<font size="7" color="{hexcolour(MUTED)}">Used by: ' \
               f"{text('; '.join(line.used_by))}</font>"
        quote = f"“{text(line.quote)}”"
        if len(line.quote) > QUOTE_LIMIT:
            cut = line.quote.rfind(" ", 0, QUOTE_LIMIT)
            quote = (f"“{text(line.quote[:cut if cut > 0 else QUOTE_LIMIT])} …” "
                     f'<font size="7" color="{hexcolour(MUTED)}">(beginning of a passage of '
                     f"{len(line.quote)} characters: see the letter)</font>")
        rows.append([Paragraph(f'<a name="{line.anchor}"/><b>{line.number}</b>', s.cell),
                     Paragraph(f"{quote}<br/>{used}", s.cell),
                     Paragraph(where, s.cell)])
    out.append(data_table(ctx, ["No.", "Passage", "Letter"], rows, ctx.cols(0.06, 0.62, 0.32)))
    return out


#: Longer passages are shown by their beginning in the sources list (the letter is annexed).
QUOTE_LIMIT = 240

SectionBuilder = Callable[[Context, Any], list[Flowable]]

#: One function per section key.
BUILDERS: dict[str, SectionBuilder] = {
    "cover": cover,
    "contents": contents,
    "lines-to-take": lines_to_take,
    "action-points": action_points,
    "measures": measures,
    "matrix": matrix,
    "countries": countries,
    "signatories": signatories,
    "changes": changes,
    "annexes": annexes,
    "sources": sources,
}


def story(content: PackContent, width: float, height: float) -> list[Flowable]:
    """Every section's flowables in order; each section after the cover starts a page."""
    ctx = Context(content, width, height)
    out: list[Flowable] = []
    for index, section in enumerate(content.sections):
        flowables = BUILDERS[section.key](ctx, section)
        if index and section.key != "cover" and content.sections[index - 1].key != "cover":
            out.append(PageBreak())
        out.extend(flowables)
    return out


def first_template(content: PackContent) -> str:
    return "cover" if content.sections and content.sections[0].key == "cover" else "body"


__all__ = ["BUILDERS", "Anchor", "OutlineMark", "story", "text"]
