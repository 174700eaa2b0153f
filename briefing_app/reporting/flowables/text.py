"""Stored text made safe and laid out in pieces that ReportLab handles quickly.

Every piece of stored text goes through :func:`text` (or :func:`lines`) before
it reaches a :class:`Paragraph`, so ``<b>R&D</b> 5 < 7`` prints as typed and
no stored character can be read as markup.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.fonts import printable

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

