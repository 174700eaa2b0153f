"""Save a seed letter as a Word document and as a PDF, the way an office would send it.

The .txt letters are markdown-ish: each block of lines becomes one paragraph
(its lines kept apart by soft line breaks), ``#`` lines become headings,
``**bold**`` and ``*italic*`` become bold and italic type, and the indented
``  - `` lines under a numbered measure become a nested bulleted list. The PDF
is typeset by ReportLab: paragraphs wrap at the page width, headings are set
larger, bold and italic use the bold and italic faces.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

_HEADING = re.compile(r"^\s*(?P<hashes>#{1,6})\s+(?P<text>.*)$")
_NESTED_BULLET = re.compile(r"^\s+-\s+(?P<text>.*)$")


def markdown_runs(line: str) -> list[tuple[str, bool, bool]]:
    """``(text, bold, italic)`` runs of a line: ``***`` toggles both, ``**`` bold, ``*`` italic."""
    bold = italic = False
    runs: list[tuple[str, bool, bool]] = []
    for part in re.split(r"(\*+)", line):
        if part and not part.strip("*"):
            if len(part) >= 3:
                bold, italic = not bold, not italic
            elif len(part) == 2:
                bold = not bold
            else:
                italic = not italic
        elif part:
            runs.append((part, bold, italic))
    return runs


def blocks(text: str) -> list[list[str]]:
    """The letter's blocks of non-blank lines."""
    found: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            found[-1].append(line.rstrip())
        elif found[-1]:
            found.append([])
    return [block for block in found if block]


def seed_as_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for block in blocks(text):
        heading = _HEADING.match(block[0])
        if heading and len(block) == 1:
            paragraph = document.add_heading(level=len(heading["hashes"]))
            for run_text, bold, italic in markdown_runs(heading["text"]):
                run = paragraph.add_run(run_text)
                run.bold, run.italic = bold or None, italic or None
            continue
        paragraph = None
        for line in block:
            nested = _NESTED_BULLET.match(line)
            if nested:
                paragraph = None
                item = document.add_paragraph(style="List Bullet 2")
                for run_text, bold, italic in markdown_runs(nested["text"]):
                    run = item.add_run(run_text)
                    run.bold, run.italic = bold or None, italic or None
                continue
            if paragraph is None:
                paragraph = document.add_paragraph()
            else:
                paragraph.add_run().add_break()
            for run_text, bold, italic in markdown_runs(line.strip()):
                run = paragraph.add_run(run_text)
                run.bold, run.italic = bold or None, italic or None
    document.save(str(path))
    return path


def _markup(line: str) -> str:
    out = []
    for run_text, bold, italic in markdown_runs(line):
        piece = escape(run_text)
        if italic:
            piece = f"<i>{piece}</i>"
        if bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def seed_as_pdf(text: str, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from briefing_app.reporting.fonts import SERIF, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=10.5, leading=13.5, spaceAfter=9)
    nested = ParagraphStyle("nested", parent=body, leftIndent=9 * mm, bulletIndent=4 * mm,
                            spaceBefore=0, spaceAfter=0)
    headings = {level: ParagraphStyle(f"h{level}", parent=body, fontSize=size,
                                      leading=size * 1.25, spaceBefore=6, spaceAfter=8)
                for level, size in ((1, 18), (2, 16), (3, 14), (4, 12.5))}
    story = []
    for block in blocks(text):
        heading = _HEADING.match(block[0])
        if heading and len(block) == 1:
            story.append(Paragraph(_markup(heading["text"]), headings[len(heading["hashes"])]))
            continue
        # runs of plain lines (one paragraph each) and nested bullets, in order
        parts: list[tuple[str, list[str]]] = []
        for line in block:
            bullet = _NESTED_BULLET.match(line)
            if bullet:
                parts.append(("item", [_markup(bullet["text"])]))
            elif parts and parts[-1][0] == "lines":
                parts[-1][1].append(_markup(line.strip()))
            else:
                parts.append(("lines", [_markup(line.strip())]))
        for number, (kind, lines) in enumerate(parts):
            last = number == len(parts) - 1
            style = body if kind == "lines" else nested
            if not last:
                style = ParagraphStyle("tight", parent=style, spaceAfter=0)
            elif kind == "item":
                style = ParagraphStyle("last", parent=style, spaceAfter=body.spaceAfter)
            story.append(Paragraph("<br/>".join(lines), style,
                                   bulletText="-" if kind == "item" else None))
    SimpleDocTemplate(str(path), pagesize=A4, title="letter", author="",
                      leftMargin=25 * mm, rightMargin=25 * mm).build(story)
    return path
