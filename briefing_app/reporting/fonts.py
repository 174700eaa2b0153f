"""The bundled DejaVu fonts, registered with ReportLab once per process.

ReportLab's standard Type 1 fonts (Helvetica…) silently drop letters such as
ė ă ń ć, so a pack uses only these embedded TrueType fonts (Latin Extended,
Greek, Cyrillic). Each family maps ``<b>``/``<i>`` to its bold and italic
files, so paragraph markup picks the right face.
"""

from __future__ import annotations

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
