"""The look of a pack: the palette and the paragraph styles, all in the bundled fonts.

Every style names a DejaVu face (see :mod:`briefing_app.reporting.fonts`), so no
standard Type 1 font reaches the PDF.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from briefing_app.reporting.fonts import SANS, SANS_BOLD, SANS_ITALIC, SERIF

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


def hexcolour(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


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
    cell_since: ParagraphStyle  # the "Since:" line under a commitment
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


@functools.cache
def make_styles() -> Styles:
    """The pack's styles: one set per process (never changed once made), so a paragraph
    laid out before is known again by its text and style (see ``paragraph.py``)."""
    return Styles(
        body=_style("body"),
        small=_style("small", fontSize=8, leading=10.5),
        detail=_style("detail", fontSize=8.5, leading=11.5, spaceAfter=4),
        muted=_style("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        cell=_style("cell", fontSize=8.5, leading=11),
        cell_small=_style("cell_small", fontSize=7.5, leading=9.5, textColor=MUTED),
        cell_since=_style("cell_since", fontSize=7.5, leading=9.5, spaceBefore=2),
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

