"""Laying out one section of a pack on its own: its pages recorded, not written.

A pack is laid out in *parts*. Each section starts on a new page, and so does
each run of a section's flowables that a page break of its own starts (an
annexed letter). A part can therefore be laid out alone, in another process or
long before, and give the very pages it would have in a layout of the whole
pack. What differs from page to page across the pack (the page number, "of M",
the running header) is page furniture, drawn when the pages are assembled
(:mod:`briefing_app.reporting.render`).

Layout happens on a :class:`RecordingCanvas`: it draws nothing to a file. For
each page it keeps the drawing operators, the links, the named destinations and
the outline entries, which the assembly replays on the one real canvas of the
pack. Drawing operators name fonts by internal name and character codes, so
every canvas of a pack, recording or real, is given the same fonts with the
same codes before anything is drawn (:func:`seed_fonts`): the pack's characters,
sorted, each face under a fixed name. A part that meets a character the seed
did not hold says so (:attr:`SectionPages.unseeded`), and the pack is laid out
again with it.

A section's build function sees only its own content and the pack's fields
that are the same from one build to the next (:func:`neutral_content`): what a
section prints depends on nothing else, so its pages can be cached under a hash
of exactly that (:func:`section_key`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from briefing_app.errors import BuildCancelled
from briefing_app.reporting import sections as table
from briefing_app.reporting.content import PackContent, Section
from briefing_app.reporting.flowables import COVER, Anchor, Context, text
from briefing_app.reporting.fonts import FAMILIES, SANS, register_fonts

#: Bump when the layout changes in a way the cache key would not see.
LAYOUT_VERSION = 1

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN_X = 20 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm

#: Every face a pack may use, in the order of their fixed internal names F1, F2, …
FACES: tuple[str, ...] = tuple(face for faces in FAMILIES.values() for face in faces)

#: Characters the layout itself prints (bullets, quotes, rules, ellipses, the "no glyph"
#: box): seeded in every pack, whatever its text.
LAYOUT_CHARACTERS = "•■●□·–—“”‘’…→×✓‹›«»°§€\u00a0"


def page_size(paper: str) -> tuple[float, float]:
    return PAGE_SIZES[paper]


# ----------------------------------------------------------------------- what is recorded


@dataclass(frozen=True)
class Call:
    """A canvas call that makes no drawing operator: a link, a destination, an outline
    entry. Replayed as ``getattr(canvas, name)(*args, **kwargs)``."""

    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class RecordedPage:
    code: str  # the page's drawing operators, as the canvas would have written them
    calls: tuple[Call, ...]
    header: tuple[str, str | None]  # (section, sub-section) the running header names


@dataclass(frozen=True)
class TocEntry:
    level: int
    title: str  # as the contents prints it (markup: escaped)
    page: int  # the page within the section, from 0
    key: str


@dataclass(frozen=True)
class SectionPages:
    """A section laid out: its pages, its contents entries, the faces it used."""

    key: str
    pages: tuple[RecordedPage, ...]
    toc: tuple[TocEntry, ...]
    faces: frozenset[str]
    unseeded: frozenset[str] = frozenset()  # characters the seed lacked (laid out again)


# ------------------------------------------------------------------------------- fonts


def pack_characters(printed: Iterable[str]) -> str:
    """The characters to seed for a pack, sorted: every non-ASCII character of
    ``printed`` (the reprs of its content: a repr keeps printable characters as they
    are) and :data:`LAYOUT_CHARACTERS`. A character missed here (one a repr escapes) is
    found at layout and seeded on a second attempt."""
    found: set[str] = set(LAYOUT_CHARACTERS)
    for value in printed:
        if not value.isascii():
            found.update(value)
    return "".join(sorted(c for c in found if not c.isascii() and c.isprintable()))


def seed_fonts(canvas: Canvas, characters: str, faces: Iterable[str] = FACES) -> None:
    """Give ``canvas``'s document each of ``faces`` under its fixed internal name, with
    ``characters`` (sorted) coded in that order: every canvas seeded alike codes text
    alike."""
    register_fonts()
    doc = canvas._doc
    wanted = set(faces)
    for number, face in enumerate(FACES, start=1):
        if face not in wanted:
            continue
        font = pdfmetrics.getFont(face)
        state = font._assignState(doc)
        if state.internalName is None:
            state.internalName = f"F{number}"
            doc.fontMapping[face] = f"/F{number}"
            doc.delayedFonts.append(font)
        font.splitString(characters, doc)


def _coded(canvas: Canvas) -> dict[str, set[int]]:
    """Each face's coded characters in ``canvas``'s document."""
    doc = canvas._doc
    return {face: set(pdfmetrics.getFont(face).state[doc].assignments) for face in FACES}


# ------------------------------------------------------------------------ the recording


class RecordingCanvas(Canvas):
    """A canvas that keeps each finished page instead of writing a PDF."""

    def __init__(self, *args: Any, characters: str = "", **kwargs: Any) -> None:
        super().__init__(io.BytesIO(), *args[1:], **kwargs)
        seed_fonts(self, characters)
        self.seeded = _coded(self)
        self.recorded: list[RecordedPage] = []
        self.header: tuple[str, str | None] = ("", None)
        self._calls: list[Call] = []

    def showPage(self) -> None:
        if self._formsinuse or self._extgstate._c or self._shadingUsed:
            raise RuntimeError("a pack page uses images, transparency or shading, which the "
                               "page assembly does not carry")
        self.recorded.append(RecordedPage("\n".join(self._code), tuple(self._calls),
                                          self.header))
        self._calls = []
        self._startPage()

    def linkRect(self, contents: str, destinationname: str, Rect: Any = None,
                 addtopage: int = 1, name: str | None = None, relative: int = 1,
                 thickness: float = 0, color: Any = None, dashArray: Any = None,
                 **kw: Any) -> None:
        rect = tuple(self._absRect(Rect, relative))
        self._calls.append(Call("linkRect", (contents, destinationname, rect, addtopage, name),
                                (("relative", 0), ("thickness", thickness),
                                 ("color", color), ("dashArray", dashArray),
                                 *sorted(kw.items()))))

    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: float = 0,
                color: Any = None, dashArray: Any = None, kind: str = "URI",
                **kw: Any) -> None:
        self._calls.append(Call("linkURL", (url, tuple(self._absRect(rect, relative))),
                                (("relative", 0), ("thickness", thickness), ("color", color),
                                 ("dashArray", dashArray), ("kind", kind),
                                 *sorted(kw.items()))))

    def bookmarkPage(self, key: str, fit: str = "Fit", left: Any = None, top: Any = None,
                     bottom: Any = None, right: Any = None, zoom: Any = None) -> None:
        self._calls.append(Call("bookmarkPage", (key,),
                                (("fit", fit), ("left", left), ("top", top),
                                 ("bottom", bottom), ("right", right), ("zoom", zoom))))

    def addOutlineEntry(self, title: str, key: str, level: int = 0,
                        closed: Any = None) -> None:
        self._calls.append(Call("addOutlineEntry", (title, key, level, closed)))

    def save(self) -> None:  # nothing is written
        pass


def page_templates(doc: BaseDocTemplate, on_page_end: Callable[..., None],
                   first: str) -> list[PageTemplate]:
    """The cover and body templates, ``first`` first (the one a layout starts on)."""
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    cover_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height,
                        id="cover", leftPadding=0, rightPadding=0, topPadding=6 * mm,
                        bottomPadding=0)
    templates = {
        "cover": PageTemplate("cover", [cover_frame], onPageEnd=on_page_end),
        "body": PageTemplate("body", [frame], onPageEnd=on_page_end),
    }
    return [templates[first]] + [t for name, t in templates.items() if name != first]


class PartDocTemplate(BaseDocTemplate):
    """Lays out one part on a :class:`RecordingCanvas`; one pass, nothing written."""

    def __init__(self, paper: str, first: str, header: tuple[str, str | None],
                 cancelled: Callable[[], bool] | None = None) -> None:
        register_fonts()
        self._cancelled = cancelled
        self.section_name, self.sub_name = header
        self.page_section, self.page_sub = header
        self._drawn_on_page = 0
        self.toc: list[TocEntry] = []
        super().__init__(io.BytesIO(), pagesize=page_size(paper), leftMargin=MARGIN_X,
                         rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, invariant=1, initialFontName=SANS,
                         initialFontSize=10, lang="en")
        self._doSave = 0
        self.addPageTemplates(page_templates(self, self._page_end, first))

    def beforePage(self) -> None:
        self.page_section, self.page_sub = self.section_name, self.sub_name
        self._drawn_on_page = 0

    def _page_end(self, canv: RecordingCanvas, doc: BaseDocTemplate) -> None:
        canv.header = (self.page_section, self.page_sub)

    def handle_flowable(self, flowables: list[Any]) -> None:
        if self._cancelled is not None and self._cancelled():
            raise BuildCancelled("pack build cancelled: nothing was written")
        super().handle_flowable(flowables)

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
            self.toc.append(TocEntry(mark.level, text(mark.title), self.page - 1, mark.key))
        if mark.level == 0:
            self.section_name = mark.running or mark.title
            self.sub_name = None
        elif mark.running:
            self.sub_name = mark.running
        if at_top:  # a (sub-)section that opens the page names it
            self.page_section, self.page_sub = self.section_name, self.sub_name


# ------------------------------------------------------------------------ a section's parts


def parts(flowables: Sequence[Any]) -> list[list[Any]]:
    """The flowables cut where a page break of the section's own starts a new part
    (never after a flowable kept with the next)."""
    out: list[list[Any]] = [[]]
    for flowable in flowables:
        if type(flowable) is PageBreak:
            if not out[-1]:
                continue  # a part starts on a new page anyway
            if not getattr(out[-1][-1], "keepWithNext", False):
                out.append([])
                continue
        out[-1].append(flowable)
    return [part for part in out if part]


def _header_after(part: Sequence[Any], header: tuple[str, str | None]
                  ) -> tuple[str, str | None]:
    """The running header's (section, sub-section) once ``part``'s anchors are passed."""
    section, sub = header
    for flowable in part:
        if isinstance(flowable, Anchor):
            mark = flowable.mark
            if mark.level == 0:
                section, sub = mark.running or mark.title, None
            elif mark.running:
                sub = mark.running
    return section, sub


def neutral_content(content: PackContent) -> PackContent:
    """``content`` as a section's build function sees it: no per-build fields (version,
    dates), every section reduced to its key (its title may name the previous version)."""
    return dataclasses.replace(
        content, version=0, generated_on=date(2000, 1, 1), data_as_of=None,
        sections=tuple(Section(s.key, "") for s in content.sections))


def section_key(neutral: str, section: str, characters: str,
                header: tuple[str, str | None], toc: Sequence[Any] | None = None) -> str:
    """The hash of exactly what a section's pages depend on: the reprs of the pack's
    neutral content and of the section, the characters seeded, the running header it
    starts under, the contents' entries (for the contents), the fonts and the versions."""
    import reportlab

    from briefing_app import __version__

    digest = hashlib.sha256()
    for piece in (f"layout {LAYOUT_VERSION} app {__version__} reportlab {reportlab.Version}",
                  _font_identity(), characters, neutral, section, repr(header),
                  repr(tuple(toc)) if toc is not None else ""):
        digest.update(piece.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


@functools.cache
def _font_identity() -> str:
    from briefing_app import paths

    out = []
    for face in FACES:
        path = paths.resource("fonts", f"{face}.ttf")
        out.append(f"{face}:{path.stat().st_size}")
    return " ".join(out)


@dataclass(frozen=True)
class SectionJob:
    """What a worker needs to lay out one section (or one piece of a section)."""

    neutral: PackContent
    section: Section
    characters: str
    toc: tuple[tuple[int, str, int, str], ...] | None = None  # the contents' entries
    #: the running header in effect where it starts: a piece after the first starts
    #: under its section's running title
    header: tuple[str, str | None] = ("", None)
    #: the section's build function (or its "module:function" name): a worker knows the
    #: built-in sections, not one registered in this process since it started
    build: Any = None


def lay_out(job: SectionJob, cancelled: Callable[[], bool] | None = None
            ) -> list[SectionPages]:
    """Lay out the job's section: its parts, in order."""
    register_fonts()
    section = job.section
    paper = job.neutral.paper
    width, height = page_size(paper)
    ctx = Context(job.neutral, width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM)
    if job.build is not None:
        builder = job.build if callable(job.build) else table.resolve(job.build)
    else:
        builder = table.section(section.key).builder()
    flowables = builder(ctx, section)
    if job.toc is not None:
        for flowable in flowables:
            if isinstance(flowable, TableOfContents):
                flowable._lastEntries = list(job.toc)
    cut = parts(flowables)
    del flowables
    header = job.header
    done: list[SectionPages] = []
    for number in range(len(cut)):
        part, cut[number] = cut[number], []  # let each part go once laid out
        first = "cover" if section.key == COVER and number == 0 else "body"
        done.append(_lay_out_part(section.key, part, paper, first, header, job.characters,
                                  cancelled))
        header = _header_after(part, header)
    return done


_FONT_NAME = re.compile(r"/F(\d+)\+")


def _lay_out_part(key: str, part: list[Any], paper: str, first: str,
                  header: tuple[str, str | None], characters: str,
                  cancelled: Callable[[], bool] | None) -> SectionPages:
    doc = PartDocTemplate(paper, first, header, cancelled)

    def canvasmaker(*args: Any, **kwargs: Any) -> RecordingCanvas:
        return RecordingCanvas(*args, characters=characters, **kwargs)

    doc.build(part, canvasmaker=canvasmaker)
    canv: RecordingCanvas = doc.canv
    coded = _coded(canv)
    named = {int(n) for page in canv.recorded for n in _FONT_NAME.findall(page.code)}
    faces = frozenset(face for number, face in enumerate(FACES, start=1) if number in named)
    unseeded = frozenset(chr(c) for face in FACES for c in coded[face] - canv.seeded[face])
    return SectionPages(key, tuple(canv.recorded), tuple(doc.toc), faces, unseeded)
