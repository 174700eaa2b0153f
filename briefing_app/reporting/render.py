"""The last stage of the pipeline: page templates, furniture, contents and outline.

:func:`render_pack` lays a :class:`~briefing_app.reporting.content.PackContent`
out with ReportLab platypus:

* A4 or US Letter; a cover template and a body template;
* on every page, drawn when the page is complete: the classification marking
  exactly as chosen (top and bottom, whole: a long one takes a slightly
  smaller size or two lines, never an ellipsis), the running header with the
  section name, the footer "Page N of M", the pack ID and version, and the
  generation date; a DRAFT pack gets a diagonal watermark;
* the contents (``TableOfContents``) and the PDF outline are fed from the
  section anchors in :meth:`PackDocTemplate.afterFlowable`; ``multiBuild``
  repeats the layout until page numbers and the page total settle;
* invariant mode: the same content gives a byte-identical file (fixed dates
  and document ID, no random names).

``progress(done, total, label)`` is called as the layout advances and
``cancelled()`` is polled before each flowable; a cancelled build raises
:class:`~briefing_app.errors.BuildCancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable, IndexingFlowable

from briefing_app.domain.markings import is_marked
from briefing_app.errors import BuildCancelled
from briefing_app.reporting.content import PackContent, long_date
from briefing_app.reporting.flowables import Anchor, first_template, fit, story, text
from briefing_app.reporting.flowables.style import DRAFT_RED, MUTED, NAVY, RULE
from briefing_app.reporting.fonts import SANS, SANS_BOLD, printable, register_fonts

PAGE_SIZES = {"a4": A4, "letter": LETTER}

MARGIN_X = 20 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class RenderResult:
    page_count: int
    passes: int


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


class PackDocTemplate(BaseDocTemplate):
    """A pack's document: two page templates, furniture, outline and contents."""

    def __init__(self, target: str | IO[bytes], content: PackContent, *,
                 progress: Progress | None = None, cancelled: Cancelled | None = None,
                 password: str | None = None) -> None:
        register_fonts()
        self.content = content
        self.total = PageTotal()
        self._progress = progress
        self._cancelled = cancelled
        self._story_size = 1
        self._done = 0
        self._reported = -1
        self.passes = 0
        self.section_name = ""
        self.sub_name: str | None = None
        self.page_section = ""
        self.page_sub: str | None = None
        self._drawn_on_page = 0
        super().__init__(
            target, pagesize=PAGE_SIZES[content.paper], leftMargin=MARGIN_X,
            rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=content.title, author="Briefing App",
            subject=f"Briefing pack {content.label} ({content.state}, "
                    f"{content.classification})",
            creator="Briefing App", keywords=["briefing pack", content.classification],
            invariant=1, initialFontName=SANS, initialFontSize=10, lang="en",
            displayDocTitle=1, encrypt=pdf_encryption(password) if password else None,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                            id="cover", leftPadding=0, rightPadding=0, topPadding=6 * mm,
                            bottomPadding=0)
        templates = {
            "cover": PageTemplate("cover", [cover_frame], onPageEnd=self._furniture),
            "body": PageTemplate("body", [frame], onPageEnd=self._furniture),
        }
        self.setProgressCallBack(self._on_progress)
        first = first_template(content)
        self.addPageTemplates([templates[first]] +
                              [t for name, t in templates.items() if name != first])

    # -- progress and cancelling ---------------------------------------------------------

    def beforeDocument(self) -> None:
        self.passes += 1
        self.section_name = ""
        self.sub_name = None
        self.canv.showOutline()

    def beforePage(self) -> None:
        # the header names what is in effect at the top of the page
        self.page_section, self.page_sub = self.section_name, self.sub_name
        self._drawn_on_page = 0

    def _label(self) -> str:
        where = self.section_name or "Cover"
        return f"Laying out pages (pass {self.passes}): {where}"

    def handle_flowable(self, flowables: list[Any]) -> None:
        if self._cancelled is not None and self._cancelled():
            raise BuildCancelled("pack build cancelled: nothing was written")
        super().handle_flowable(flowables)

    def _on_progress(self, kind: str, value: int) -> None:
        """ReportLab's progress hook: 'SIZE_EST' (flowables in the story), 'PROGRESS' (handled)."""
        if kind == "SIZE_EST":
            self._story_size = max(1, value)
        elif kind == "PROGRESS" and self._progress is not None:
            total = max(3, self.passes) * self._story_size
            done = max(self._done, (self.passes - 1) * self._story_size + value)
            self._done = done
            if done - self._reported >= max(1, total // 200):
                self._reported = done
                self._progress(min(done, total), total, self._label())

    # -- outline, contents, running header -----------------------------------------------------

    def afterFlowable(self, flowable: Any) -> None:
        at_top = self._drawn_on_page == 0
        if not isinstance(flowable, Anchor):
            if not isinstance(flowable, ActionFlowable | Spacer):  # page breaks, gaps
                self._drawn_on_page += 1
            return
        mark = flowable.mark
        canv = self.canv
        canv.bookmarkHorizontalAbsolute(mark.key, flowable.top + 24)
        canv.addOutlineEntry(mark.title, mark.key, level=mark.level, closed=mark.level > 0)
        if mark.toc:
            self.notify("TOCEntry", (mark.level, text(mark.title), self.page, mark.key))
        if mark.level == 0:
            self.section_name = mark.running or mark.title
            self.sub_name = None
        elif mark.running:
            self.sub_name = mark.running
        if at_top:  # a (sub-)section that opens the page names it
            self.page_section, self.page_sub = self.section_name, self.sub_name

    def _furniture(self, canv: Any, doc: BaseDocTemplate) -> None:
        """Marking, running header, footer and watermark, drawn over the finished page."""
        content = self.content
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        usable = right - left
        canv.saveState()
        if content.draft:
            canv.saveState()
            canv.setFillColor(colors.Color(DRAFT_RED.red, DRAFT_RED.green, DRAFT_RED.blue,
                                           alpha=0.10))
            canv.setFont(SANS_BOLD, 120)
            canv.translate(width / 2, height / 2)
            canv.rotate(55)
            canv.drawCentredString(0, -42, "DRAFT")
            canv.restoreState()
        # the marking, exactly as chosen, alone on its line at the top and the bottom
        size, marking = marking_lines(content.classification, usable)
        canv.setFillColor(DRAFT_RED if is_marked(content.classification) else NAVY)
        canv.setFont(SANS_BOLD, size)
        leading = size * 1.2
        top, bottom = ((height - 10 * mm, 7 * mm) if len(marking) == 1
                       else (height - 8.5 * mm, 8 * mm))
        for number, line in enumerate(marking):
            canv.drawCentredString(width / 2, top - number * leading, line)
            canv.drawCentredString(width / 2, bottom - number * leading, line)
        # running header: the section (and sub-section) on the left, the meeting on the right
        section = self.page_section or "Cover"
        if self.page_sub:
            section = f"{section} · {self.page_sub}"
        canv.setFillColor(MUTED)
        canv.setFont(SANS, 7.5)
        canv.drawString(left, height - 17 * mm, fit(section, SANS, 7.5, usable * 0.55))
        meeting = content.meeting
        context = (f"{meeting.formation}, {long_date(meeting.date, 'date not set')}"
                   if meeting else content.title)
        canv.drawRightString(right, height - 17 * mm, fit(context, SANS, 7.5, usable * 0.43))
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, height - 18.5 * mm, right, height - 18.5 * mm)
        # footer: pack and version, generation date, page N of M
        canv.line(left, 15.5 * mm, right, 15.5 * mm)
        canv.setFont(SANS, 7.5)
        canv.drawString(left, 11.5 * mm, f"{content.label} · {content.state}")
        canv.drawCentredString(width / 2, 11.5 * mm,
                               f"Generated {long_date(content.generated_on)}")
        total = self.total.previous or self.total.pages
        canv.setFillColor(colors.black)
        canv.drawRightString(right, 11.5 * mm, f"Page {canv.getPageNumber()} of {total}")
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


def render_pack(content: PackContent, target: str | Path | IO[bytes], *,
                progress: Progress | None = None,
                cancelled: Cancelled | None = None,
                password: str | None = None) -> RenderResult:
    """Lay out and write the pack to ``target`` (a path or a binary file).

    With ``password`` the PDF is encrypted (see :func:`pdf_encryption`).
    """
    destination: str | IO[bytes] = str(target) if isinstance(target, Path) else target
    doc = PackDocTemplate(destination, content, progress=progress, cancelled=cancelled,
                          password=password)
    flowables = story(content, doc.width, doc.height)
    flowables.append(doc.total)
    if cancelled is not None and cancelled():
        raise BuildCancelled("pack build cancelled: nothing was written")
    doc.multiBuild(flowables, maxPasses=12)
    if progress is not None:
        progress(doc.passes * doc._story_size, doc.passes * doc._story_size,
                 "Pages laid out")
    return RenderResult(doc.total.pages, doc.passes)
