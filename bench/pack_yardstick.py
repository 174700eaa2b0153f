"""The yardstick of pack builds: a plain single-process ReportLab platypus document.

    .venv/bin/python bench/pack_yardstick.py [--pages 300] [--out FILE.pdf]

What a pack build is measured against (issue "Packs in a blink"): a document of
about the same page count as the pack, made the plain way: one ``BaseDocTemplate``
in one process, ``multiBuild`` until the contents settle, prose with a table of
Paragraph cells every few pages, a two-level table of contents, a PDF outline,
"Page X of Y" on every page and the DejaVu fonts embedded. Its text is made up
(deterministic: the same run of words every time), so only its size is like a
pack's.

:func:`build` makes one of a given number of units (a unit is a heading, prose
and, every fifth unit, a table); :func:`build_pages` finds the number of units
that gives the pages asked for (one trial build, then the real one, timed).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import IndexingFlowable  # noqa: E402
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

from briefing_app.reporting.fonts import SANS, SANS_BOLD, register_fonts  # noqa: E402

WORDS = ("migration partnership return readmission border Frontex Europol smuggling "
         "Tunisia Mauritania Lebanon Türkiye asylum solidarity Council Commission measure "
         "implementation cooperation funding visa talent protection pact route Mediterranean "
         "Balkans legal pathways operational deadline evidence status").split()


def _prose(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + index * 13) % len(WORDS)] for index in range(words)) + "."


class PageTotal(IndexingFlowable):
    """The number of pages, learnt on one pass and printed on the next ("Page N of M")."""

    def __init__(self) -> None:
        super().__init__()
        self.pages = 0
        self.previous = 0

    def beforeBuild(self) -> None:
        self.previous = self.pages

    def isSatisfied(self) -> bool:
        return self.pages == self.previous and self.pages > 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.pages = self.canv.getPageNumber()


@dataclass(frozen=True)
class Yardstick:
    pages: int
    seconds: float
    units: int


class _Document(BaseDocTemplate):
    def __init__(self, target: str) -> None:
        register_fonts()
        super().__init__(target, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                         topMargin=25 * mm, bottomMargin=22 * mm, invariant=1,
                         title="Yardstick", initialFontName=SANS)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("body", [frame], onPageEnd=self._footer)])
        self.total = PageTotal()  # learnt on one pass, printed on the next

    def beforeDocument(self) -> None:
        self.canv.showOutline()

    def afterFlowable(self, flowable: Any) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
        self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def _footer(self, canv: Any, doc: Any) -> None:
        canv.saveState()
        canv.setFont(SANS, 7.5)
        canv.drawRightString(self.pagesize[0] - 20 * mm, 11.5 * mm,
                             f"Page {canv.getPageNumber()} of "
                             f"{self.total.previous or self.total.pages}")
        canv.restoreState()


def _story(units: int) -> list[Any]:
    heading = ParagraphStyle("h1", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=6)
    sub = ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=11.5, leading=15, spaceAfter=4)
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName=SANS, fontSize=8, leading=10)
    contents = TableOfContents()
    contents.levelStyles = [
        ParagraphStyle("toc1", fontName=SANS_BOLD, fontSize=10, leading=13),
        ParagraphStyle("toc2", fontName=SANS, fontSize=9, leading=11, leftIndent=12)]
    flowables: list[Any] = [Paragraph("Contents", heading), contents, PageBreak()]
    for unit in range(units):
        if unit % 10 == 0:
            title = Paragraph(f"Section {unit // 10 + 1}", heading)
            title.toc_level = 0  # type: ignore[attr-defined]
            flowables.append(title)
        title = Paragraph(f"Item {unit + 1}: {_prose(unit, 6)}", sub)
        title.toc_level = 1  # type: ignore[attr-defined]
        flowables.append(title)
        for paragraph in range(4):
            flowables.append(Paragraph(_prose(unit * 5 + paragraph, 70), body))
        if unit % 5 == 0:  # a table every four pages or so
            rows = [[Paragraph(f"<b>{name}</b>", cell) for name in
                     ("No.", "Measure", "Status", "Source")]]
            rows += [[Paragraph(str(row + 1), cell), Paragraph(_prose(unit + row, 18), cell),
                      Paragraph("in progress", cell), Paragraph(f"[{row + 1}]", cell)]
                     for row in range(10)]
            table = Table(rows, colWidths=[12 * mm, 95 * mm, 30 * mm, 23 * mm], repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            flowables.append(table)
    return flowables


def build(units: int, out: Path) -> Yardstick:
    """The yardstick of ``units`` units written to ``out``: its pages and build time.

    Built with ReportLab's default settings, whatever this process set before (the
    pack renderer writes its streams without ASCII85; the yardstick stays plain).
    """
    from reportlab import rl_config

    was = rl_config.useA85
    rl_config.useA85 = 1  # ReportLab's default
    try:
        started = time.perf_counter()
        document = _Document(str(out))
        document.multiBuild([*_story(units), document.total], maxPasses=12)
        return Yardstick(document.page, time.perf_counter() - started, units)
    finally:
        rl_config.useA85 = was


def build_pages(pages: int, out: Path) -> Yardstick:
    """A yardstick of about ``pages`` pages (within a page or two), the timed build."""
    trial = build(max(1, pages // 2), out)
    units = max(1, round(trial.units * (pages - 2) / max(1, trial.pages - 2)))
    return build(units, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("yardstick.pdf"))
    args = parser.parse_args(argv)
    result = build_pages(args.pages, args.out)
    print(f"yardstick: {result.pages} pages in {result.seconds:.2f} s "
          f"({result.pages / result.seconds:.1f} pages/s), {result.units} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
