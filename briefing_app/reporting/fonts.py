"""The bundled DejaVu fonts, registered with ReportLab once per process.

ReportLab's standard Type 1 fonts (Helvetica…) silently drop letters such as
ė ă ń ć, so a pack uses only these embedded TrueType fonts (Latin Extended,
Greek, Cyrillic). Each family maps ``<b>``/``<i>`` to its bold and italic
files, so paragraph markup picks the right face.
"""

from __future__ import annotations

import functools
import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing_app import paths

#: The text face (tables, headings, furniture) and the face of letters' text.
SANS = "DejaVuSans"
SERIF = "DejaVuSerif"

SANS_BOLD = f"{SANS}-Bold"
SANS_ITALIC = f"{SANS}-Oblique"
SANS_BOLD_ITALIC = f"{SANS}-BoldOblique"
SERIF_BOLD = f"{SERIF}-Bold"
SERIF_ITALIC = f"{SERIF}-Italic"
SERIF_BOLD_ITALIC = f"{SERIF}-BoldItalic"

#: family -> (regular, bold, italic, bold italic) font names; each is a file name too.
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    SANS: (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC),
    SERIF: (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC),
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the DejaVu faces and their bold/italic mapping (idempotent, thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        for family, faces in FAMILIES.items():
            for face in faces:
                path = paths.resource("fonts", f"{face}.ttf")
                if not path.is_file():
                    raise FileNotFoundError(f"bundled font missing: {path}")
                pdfmetrics.registerFont(TTFont(face, str(path)))
            regular, bold, italic, bold_italic = faces
            addMapping(family, 0, 0, regular)
            addMapping(family, 1, 0, bold)
            addMapping(family, 0, 1, italic)
            addMapping(family, 1, 1, bold_italic)
        _registered = True


#: Printed in place of a character no bundled face has a glyph for (CJK, emoji,
#: and right-to-left scripts, which ReportLab would set unshaped and in the wrong
#: order): the reader sees that something is there, instead of a silent gap.
MISSING_GLYPH = "\u25a1"  # □


@functools.cache
def printable_codepoints() -> frozenset[int]:
    """The characters every bundled face can draw."""
    register_fonts()
    covered: set[int] | None = None
    for faces in FAMILIES.values():
        for face in faces:
            font = pdfmetrics.getFont(face)
            keys = set(font.face.charToGlyph)
            covered = keys if covered is None else covered & keys
    assert covered is not None
    # right-to-left letters: drawn left to right and unjoined they would mislead
    return frozenset(c for c in covered if not 0x0590 <= c <= 0x08FF
                     and not 0xFB1D <= c <= 0xFEFC)


def printable(value: str) -> str:
    """``value`` with each character the fonts cannot draw shown as :data:`MISSING_GLYPH`."""
    if value.isascii():
        return value
    covered = printable_codepoints()
    return "".join(ch if ord(ch) in covered or ch in "\n\r\t" else MISSING_GLYPH
                   for ch in value)
