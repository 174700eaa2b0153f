"""Page furniture: what every page of a pack carries, drawn over its finished page.

The classification marking exactly as chosen (top and bottom, whole: a long
one takes a slightly smaller size or two lines, never an ellipsis), the running
header with the section name and the meeting, the footer "Page N of M" with the
pack ID and version and the generation date; a DRAFT pack gets a diagonal
watermark. Also the PDF encryption of a pack with a password.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from briefing_app.domain.markings import is_marked
from briefing_app.reporting.content import PackContent, long_date
from briefing_app.reporting.flowables import fit
from briefing_app.reporting.flowables.style import DRAFT_RED, MUTED, NAVY, RULE
from briefing_app.reporting.fonts import SANS, SANS_BOLD, printable
from briefing_app.reporting.pages import MARGIN_X, page_size


class Furniture:
    """What every page carries, drawn over the finished page."""

    def __init__(self, content: PackContent) -> None:
        self.content = content
        self.width, self.height = page_size(content.paper)
        self.left, self.right = MARGIN_X, self.width - MARGIN_X
        usable = self.right - self.left
        self.usable = usable
        self.marking_size, self.marking = marking_lines(content.classification, usable)
        meeting = content.meeting
        context = (f"{meeting.formation}, {long_date(meeting.date, 'date not set')}"
                   if meeting else content.title)
        self.context = fit(context, SANS, 7.5, usable * 0.43)
        self.generated = f"Generated {long_date(content.generated_on)}"
        self._headers: dict[tuple[str, str | None], str] = {}
        self._same: list[str] | None = None  # the operators every page has in common

    def _header(self, header: tuple[str, str | None]) -> str:
        shown = self._headers.get(header)
        if shown is None:
            section, sub = header
            section = section or "Cover"
            if sub:
                section = f"{section} · {sub}"
            shown = self._headers[header] = fit(section, SANS, 7.5, self.usable * 0.55)
        return shown

    def draw(self, canv: Canvas, number: int, total: int,
             header: tuple[str, str | None]) -> None:
        """The furniture of page ``number``: what every page has in common is drawn once
        and its drawing operators given to each page again."""
        if self.content.draft:
            self._watermark(canv)
        code = canv._code
        if self._same is None:
            start = len(code)
            self._common(canv)
            self._same = code[start:]
        else:
            code.extend(self._same)
        canv.saveState()
        canv.setFillColor(MUTED)
        canv.setFont(SANS, 7.5)
        canv.drawString(self.left, self.height - 17 * mm, self._header(header))
        canv.setFillColor(colors.black)
        canv.drawRightString(self.right, 11.5 * mm, f"Page {number} of {total}")
        canv.restoreState()

    def _watermark(self, canv: Canvas) -> None:
        """DRAFT across the page (drawn on each page: its transparency is a resource the
        page must name)."""
        canv.saveState()
        canv.setFillColor(colors.Color(DRAFT_RED.red, DRAFT_RED.green, DRAFT_RED.blue,
                                       alpha=0.10))
        canv.setFont(SANS_BOLD, 120)
        canv.translate(self.width / 2, self.height / 2)
        canv.rotate(55)
        canv.drawCentredString(0, -42, "DRAFT")
        canv.restoreState()

    def _common(self, canv: Canvas) -> None:
        """The marking (top and bottom), the meeting, the rules, the pack and the date."""
        content = self.content
        width, height = self.width, self.height
        left, right = self.left, self.right
        canv.saveState()
        # the marking, exactly as chosen, alone on its line at the top and the bottom
        size, marking = self.marking_size, self.marking
        canv.setFillColor(DRAFT_RED if is_marked(content.classification) else NAVY)
        canv.setFont(SANS_BOLD, size)
        leading = size * 1.2
        top, bottom = ((height - 10 * mm, 7 * mm) if len(marking) == 1
                       else (height - 8.5 * mm, 8 * mm))
        for line_number, line in enumerate(marking):
            canv.drawCentredString(width / 2, top - line_number * leading, line)
            canv.drawCentredString(width / 2, bottom - line_number * leading, line)
        # the running header's right side: the meeting; its left (the section) is per page
        canv.setFillColor(MUTED)
        canv.setFont(SANS, 7.5)
        canv.drawRightString(right, height - 17 * mm, self.context)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, height - 18.5 * mm, right, height - 18.5 * mm)
        # footer: pack and version, generation date (page N of M is per page)
        canv.line(left, 15.5 * mm, right, 15.5 * mm)
        canv.drawString(left, 11.5 * mm, f"{content.label} · {content.state}")
        canv.drawCentredString(width / 2, 11.5 * mm, self.generated)
        canv.restoreState()


#: The marking's type size on the pages: the largest that fits, never below the smallest.
MARKING_SIZES = (8.5, 8.0, 7.5, 7.0)
MARKING_SIZES_TWO_LINES = (8.5, 8.0, 7.5, 7.0, 6.5)


def marking_lines(marking: str, width: float) -> tuple[float, list[str]]:
    """The type size and line(s) that print ``marking`` whole within ``width`` points.

    One line at the largest of :data:`MARKING_SIZES` that fits; else two lines
    broken between words; else (one very long run of wide letters) two lines
    broken where the first is full. Never cut: at most
    :data:`~briefing_app.domain.markings.MAX_CLASSIFICATION` characters always
    fit in two lines.
    """
    value = printable(" ".join(marking.split()))
    for size in MARKING_SIZES:
        if stringWidth(value, SANS_BOLD, size) <= width:
            return size, [value]
    for size in MARKING_SIZES_TWO_LINES:
        lines = simpleSplit(value, SANS_BOLD, size, width)
        if len(lines) <= 2 and all(stringWidth(line, SANS_BOLD, size) <= width
                                   for line in lines):
            return size, lines
    size = MARKING_SIZES_TWO_LINES[-1]
    cut = len(value)
    while cut > 1 and stringWidth(value[:cut], SANS_BOLD, size) > width:
        cut -= 1
    return size, [value[:cut].rstrip(), value[cut:].lstrip()]


def pdf_encryption(password: str) -> Any:
    """PDF encryption with ``password`` to open the file: printing allowed, no changes, no copying.

    Always 128-bit. ReportLab's 256-bit (AES, with ``pyaes`` installed) writes
    a revision-5 handler that neither poppler (``pdftotext``, most Linux
    viewers) nor pypdf can open: measured, "Invalid encryption key length". So
    the strength is fixed rather than left to whichever packages are present.
    The owner password is random and never kept, so nobody can lift the
    restrictions.
    """
    import secrets

    from reportlab.lib import pdfencrypt

    return pdfencrypt.StandardEncryption(password, ownerPassword=secrets.token_urlsafe(24),
                                         canPrint=1, canModify=0, canCopy=0, canAnnotate=0,
                                         strength=128)


