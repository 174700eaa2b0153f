"""The last stage of the pipeline: sections laid out, then assembled into the pack's PDF.

:func:`render_pack` turns a :class:`~briefing_app.reporting.content.PackContent`
into a PDF in three steps:

1. **Layout, section by section** (:mod:`briefing_app.reporting.pages`). Each
   section starts on a new page, so each is laid out on its own, once, with no
   page furniture: in a pool of worker processes when there is enough to do
   (:mod:`briefing_app.reporting.workers`; a large section is shared out by its
   parts), else in this process. A section whose hash (exactly what it prints)
   is in the page cache (:mod:`briefing_app.reporting.page_cache`) is not laid
   out again.
2. **The contents**, once every other section's page count is known; laid out
   again (rarely) if its own length moves the page numbers it lists.
3. **Assembly** on one real canvas: each recorded page's drawing, links,
   destinations and outline entries replayed in order, and the page furniture
   (:mod:`briefing_app.reporting.furniture`: the marking, the running header,
   "Page N of M", the DRAFT watermark) drawn over it.

The result does not depend on what came from the cache: a rebuild is byte for
byte the full build of the same content (invariant mode: fixed dates and
document ID, fonts coded alike on every canvas).

``progress(done, total, label)`` is called as the layout advances and
``cancelled()`` is polled throughout; a cancelled build raises
:class:`~briefing_app.errors.BuildCancelled`, writes nothing and leaves the
cache as it was (an entry is written whole or not at all).
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from briefing_app.errors import BuildCancelled
from briefing_app.reporting import sections as table
from briefing_app.reporting import workers
from briefing_app.reporting.content import PackContent, Section
from briefing_app.reporting.flowables import clip
from briefing_app.reporting.fonts import SANS, SANS_BOLD, register_fonts
from briefing_app.reporting.furniture import Furniture, pdf_encryption
from briefing_app.reporting.page_cache import PageCache
from briefing_app.reporting.pages import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    Call,
    RecordedPage,
    SectionJob,
    SectionPages,
    lay_out,
    neutral_content,
    pack_characters,
    page_size,
    section_key,
    seed_fonts,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

#: A pack's streams are written binary (compressed), not also ASCII85-encoded: a smaller
#: file, and ReportLab's pure-Python ASCII85 took half the time of an assembly. ReportLab
#: reads the switch from its global settings when it writes a file, so a pack's writing
#: holds this lock and sets it for that time only (other documents keep the default).
_BINARY_STREAMS = threading.Lock()

#: Below this much content (characters of its repr) to lay out, a build stays in this
#: process: starting work in the pool costs more than it saves.
POOL_THRESHOLD = 60_000


@dataclass(frozen=True)
class RenderResult:
    page_count: int
    laid_out: int  # sections laid out by this build
    reused: int  # sections taken from the page cache
    passes: int = 1  # layouts of the contents (1 unless its length moved page numbers)


def render_pack(content: PackContent, target: str | Path | IO[bytes], *,
                progress: Progress | None = None,
                cancelled: Cancelled | None = None,
                password: str | None = None,
                cache: PageCache | None = None) -> RenderResult:
    """Lay out and write the pack to ``target`` (a path or a binary file).

    With ``password`` the PDF is encrypted (see :func:`pdf_encryption`). With
    ``cache``, sections laid out before are reused and new ones kept.
    """
    register_fonts()
    started = time.perf_counter()
    stop = cancelled or (lambda: False)
    report = _Progress(progress)
    neutral = neutral_content(content)
    units = _units(content)
    neutral_repr = repr(neutral)
    characters = pack_characters([neutral_repr, *(unit.printed for unit in units)])
    contents_at = [i for i, s in enumerate(content.sections) if _lists_contents(s)]
    for _attempt in range(4):
        laid, fresh, by_workers = _lay_out_units(units, neutral, neutral_repr, characters,
                                                 cache, report, stop)
        unseeded = {c for parts in laid.values() for part in parts for c in part.unseeded}
        if not unseeded:
            break
        characters = "".join(sorted(set(characters) | unseeded))
    else:  # pragma: no cover - every character met is seeded on the next attempt
        raise RuntimeError("pack layout: characters kept appearing unseeded")
    by_section: dict[int, list[SectionPages]] = {}
    for unit in units:
        by_section.setdefault(unit.index, []).extend(laid[unit.number])
    passes = 0
    for index in contents_at:
        passes = _lay_out_contents(content.sections, index, by_section, neutral,
                                   neutral_repr, characters, cache, stop)
    if stop():
        raise BuildCancelled("pack build cancelled: nothing was written")
    laid_at = time.perf_counter()
    report.step("Assembling the pages")
    destination: str | IO[bytes] = str(target) if isinstance(target, Path) else target
    pages = [page for index in range(len(content.sections))
             for part in by_section[index] for page in part.pages]
    faces = {face for parts in by_section.values() for part in parts for face in part.faces}
    _assemble(content, destination, pages, characters, faces, password, stop)
    log.debug("pack %s: %d pages; %d pieces laid out (%d by the workers), %d from the cache, "
              "contents laid out %d time(s); layout %.3f s, assembly %.3f s", content.label,
              len(pages), fresh, by_workers, len(units) - fresh, passes,
              laid_at - started, time.perf_counter() - laid_at)
    return RenderResult(len(pages), fresh, len(units) - fresh, max(1, passes))


def _build_of(section: Section) -> Any:
    """The section's build function as its registry entry names it."""
    entry = table.find(section.key)
    return entry.build if entry is not None else None


def _lists_contents(section: Section) -> bool:
    entry = table.find(section.key)
    return entry is not None and entry.contents


@dataclass(frozen=True)
class _Unit:
    """One piece of one section, laid out alone."""

    number: int  # in the pack's order of pieces
    index: int  # the section's place in the pack
    section: Section  # the piece's content
    printed: str  # its repr: what its pages depend on
    header: tuple[str, str | None]  # the running header it starts under


def _units(content: PackContent) -> list[_Unit]:
    """Every section but the contents, in its pieces."""
    units: list[_Unit] = []
    for index, section in enumerate(content.sections):
        if _lists_contents(section):
            continue
        entry = table.find(section.key)
        pieces = entry.pieces(section) if entry is not None else (section,)
        for number, piece in enumerate(pieces):
            header = ("", None) if number == 0 else (clip(section.title, 90), None)
            units.append(_Unit(len(units), index, piece, repr(piece), header))
    return units


class _Progress:
    """Progress in units of content laid out, counting up to a total fixed once known."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self.total = 1
        self.done = 0
        self._reported = -1

    def start(self, total: int) -> None:
        self.total = max(1, total + total // 20)  # the last twentieth: contents, assembly

    def advance(self, amount: int, label: str) -> None:
        self.done = min(self.total, self.done + amount)
        self._tell(label)

    def step(self, label: str) -> None:
        self.done = max(self.done, self.total - max(1, self.total // 40))
        self._tell(label)

    def _tell(self, label: str) -> None:
        if self._progress is not None and self.done != self._reported:
            self._reported = self.done
            self._progress(self.done, self.total, label)


# ---------------------------------------------------------------------------- layout


def _lay_out_units(units: Sequence[_Unit], neutral: PackContent, neutral_repr: str,
                   characters: str, cache: PageCache | None, report: _Progress,
                   stop: Cancelled) -> tuple[dict[int, list[SectionPages]], int, int]:
    """Every unit laid out or taken from the cache; how many were laid out, and how many
    of those by the workers."""
    laid: dict[int, list[SectionPages]] = {}
    todo: list[tuple[_Unit, str]] = []
    for unit in units:
        key = section_key(neutral_repr, unit.printed, characters, unit.header)
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            laid[unit.number] = cached
        else:
            todo.append((unit, key))
    report.start(sum(len(unit.printed) for unit, _ in todo))
    by_workers = 0
    if todo:
        jobs = {unit.number: SectionJob(neutral, unit.section, characters,
                                        header=unit.header, build=_build_of(unit.section))
                for unit, _ in todo}
        log.debug("laying out: %s", ", ".join(f"{unit.section.key}#{unit.number}"
                                              for unit, _ in todo))
        keys = {unit.number: key for unit, key in todo}

        def keep(unit: _Unit, parts: list[SectionPages]) -> None:
            # as soon as laid out (a cancelled build keeps what it finished), with what it
            # found unseeded (the next build seeds it first)
            laid[unit.number] = parts
            if cache is not None:
                cache.put(keys[unit.number], parts)

        by_workers = _schedule([unit for unit, _ in todo], jobs, keep, report, stop)
    return laid, len(todo), by_workers


def _schedule(units: list[_Unit], jobs: dict[int, SectionJob],
              keep: Callable[[_Unit, list[SectionPages]], None], report: _Progress,
              stop: Cancelled) -> int:
    """Lay the units out, each given to ``keep`` when done: the workers take the largest
    first, this process the smallest, until none is left (so both finish at about the
    same time). Returns how many the workers did."""
    queue = sorted(units, key=lambda unit: -len(unit.printed))
    size = sum(len(unit.printed) for unit in units)
    lanes = workers.count()
    use_pool = lanes > 1 and len(units) > 1 and (size >= POOL_THRESHOLD or workers.warm())
    pool = None
    if use_pool:
        try:
            pool = workers.executor()
        except workers.POOL_ERRORS:
            pool = None
    running: dict[concurrent.futures.Future[list[SectionPages]], _Unit] = {}
    by_workers = [0]
    local_only: set[int] = set()  # units a worker could not lay out

    def label(unit: _Unit) -> str:
        return f"Laying out pages: {unit.section.title}"

    def collect(timeout: float) -> None:
        nonlocal pool
        if not running:
            return
        finished, _ = concurrent.futures.wait(
            list(running), timeout=timeout, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in finished:
            unit = running.pop(future)
            try:
                parts = future.result()
            except workers.POOL_ERRORS:  # a worker died: this process takes its units
                queue.append(unit)
                pool = None
                continue
            except Exception:  # laid out here, where an error is reported
                queue.append(unit)
                local_only.add(unit.number)
                continue
            by_workers[0] += 1
            keep(unit, parts)
            report.advance(len(unit.printed), label(unit))

    try:
        while queue or running:
            if stop():
                raise BuildCancelled("pack build cancelled: nothing was written")
            while (pool is not None and queue and len(running) < 2 * (lanes - 1)
                   and queue[0].number not in local_only):
                unit = queue.pop(0)
                try:
                    running[pool.submit(workers.lay_out_in_worker, jobs[unit.number])] = unit
                except workers.POOL_ERRORS:
                    queue.insert(0, unit)
                    pool = None
                except Exception:  # its job cannot travel: laid out here
                    queue.insert(0, unit)
                    local_only.add(unit.number)
                    break
            if queue and queue[0].number in local_only:
                unit = queue.pop(0)
                keep(unit, lay_out(jobs[unit.number], stop))
                report.advance(len(unit.printed), label(unit))
                continue
            if queue and (pool is None or len(running) >= 2 * (lanes - 1)):
                unit = queue.pop()  # the smallest left
                keep(unit, lay_out(jobs[unit.number], stop))
                report.advance(len(unit.printed), label(unit))
                collect(0)
            else:
                collect(0.02)
    except BaseException:
        if running:
            for future in running:
                future.cancel()
            workers.discard()  # a worker cannot be interrupted mid-section
        raise
    if pool is None and use_pool:
        workers.discard()
    return by_workers[0]


def _lay_out_contents(sections: Sequence[Section], index: int,
                      laid: dict[int, list[SectionPages]], neutral: PackContent,
                      neutral_repr: str, characters: str, cache: PageCache | None,
                      stop: Cancelled) -> int:
    """The contents, laid out once the pages of every other section are known: at the
    length that lists the page numbers that length gives. Returns the layouts made."""
    section = sections[index]
    printed = repr(section)
    lengths: dict[int, list[SectionPages]] = {}

    def entries(length: int) -> tuple[tuple[int, str, int, str], ...]:
        first: dict[int, int] = {}  # section -> its first page number
        number = 1
        for at in range(len(sections)):
            first[at] = number
            number += length if at == index else sum(len(p.pages) for p in laid[at])
        return tuple((entry.level, entry.title, first[at] + entry.page, entry.key)
                     for at in range(len(sections)) if at != index
                     for entry in _toc(laid[at]))

    def key(length: int) -> str:
        return section_key(neutral_repr, printed, characters, ("", None), entries(length))

    # a length laid out before whose pages are that many: nothing to lay out
    if cache is not None:
        for length in range(1, 5):
            parts = cache.get(key(length))
            if parts is not None and sum(len(p.pages) for p in parts) == length:
                laid[index] = parts
                return 0
    listed = len(entries(1))
    length = _CONTENTS_LENGTHS.get(listed, 1)  # as many pages as a contents this long took
    layouts = 0
    for _attempt in range(6):
        if stop():
            raise BuildCancelled("pack build cancelled: nothing was written")
        parts = lengths.get(length)
        if parts is None:
            layouts += 1
            parts = lay_out(SectionJob(neutral, section, characters, entries(length)), stop)
            lengths[length] = parts
            if cache is not None:
                cache.put(key(length), parts)
        laid[index] = parts
        pages = sum(len(p.pages) for p in parts)
        if pages == length:
            break
        length = pages
    _CONTENTS_LENGTHS[listed] = length
    return layouts


def forget() -> None:
    """Forget what this process remembers between builds (the paragraphs laid out, the
    contents' lengths): the next build is laid out as the first one was."""
    from briefing_app.reporting.flowables import paragraph

    paragraph.forget()
    _CONTENTS_LENGTHS.clear()


#: entries listed -> the pages a contents of that many entries took, last time in this
#: process: the first guess of the next contents' length (right, it is laid out once)
_CONTENTS_LENGTHS: dict[int, int] = {}


def _toc(parts: list[SectionPages]) -> list[Any]:
    """A section's contents entries, each with its page counted from the section's start."""
    out = []
    offset = 0
    for part in parts:
        out += [type(entry)(entry.level, entry.title, entry.page + offset, entry.key)
                for entry in part.toc]
        offset += len(part.pages)
    return out


# -------------------------------------------------------------------------- assembly


def _assemble(content: PackContent, target: str | IO[bytes], pages: Sequence[RecordedPage],
              characters: str, faces: set[str], password: str | None,
              stop: Cancelled) -> None:
    """Write the pack: every recorded page replayed on one canvas, under its furniture."""
    doc = BaseDocTemplate(
        target, pagesize=page_size(content.paper), leftMargin=MARGIN_X,
        rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=content.title, author="Briefing App",
        subject=f"Briefing pack {content.label} ({content.state}, {content.classification})",
        creator="Briefing App", keywords=["briefing pack", content.classification],
        invariant=1, initialFontName=SANS, initialFontSize=10, lang="en",
        displayDocTitle=1, encrypt=pdf_encryption(password) if password else None)
    canv = doc._makeCanvas(filename=target, canvasmaker=Canvas)
    seed_fonts(canv, characters, faces | {SANS, SANS_BOLD})
    canv.showOutline()
    furniture = Furniture(content)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        if stop():
            raise BuildCancelled("pack build cancelled: nothing was written")
        code = canv._code
        code.append("q")
        code.append(page.code)
        code.append("Q")
        for call in page.calls:
            _replay(canv, call)
        furniture.draw(canv, number, total, page.header)
        canv.showPage()
    with _BINARY_STREAMS:
        was = rl_config.useA85
        rl_config.useA85 = 0
        try:
            canv.save()
        finally:
            rl_config.useA85 = was


def _replay(canv: Canvas, call: Call) -> None:
    """A recorded call made again on the pack's canvas; a plain link (no border, no colour:
    every link a paragraph makes) as a :class:`_Link`."""
    if call.name == "linkRect" and call.kwargs == _PLAIN_LINK:
        contents, name, rect, addtopage, label = call.args
        canv._addAnnotation(_Link(rect, contents, canv._bookmarkReference(name)), label,
                            addtopage)
    else:
        getattr(canv, call.name)(*call.args, **dict(call.kwargs))


_PLAIN_LINK = (("relative", 0), ("thickness", 0), ("color", None), ("dashArray", None))


class _Link(pdfdoc.PDFObject):
    """A link annotation written as ReportLab's ``LinkAnnotation`` is (no border), by hand:
    its general dictionary formatting took half of a 300-page pack's assembly."""

    def __init__(self, rect: tuple[float, ...], contents: str, destination: Any) -> None:
        self.rect = rect
        self.contents = contents
        self.destination = destination

    def format(self, document: Any) -> bytes:
        destination = self.destination
        place, page = destination.fmt, destination.page
        if isinstance(place, pdfdoc.PDFDestinationXYZ) and page is not None:
            target = b"[ %s /XYZ %s %s %s ]" % (
                document.Reference(page).format(document),
                *(pdfdoc.format(value, document) for value in
                  (place.left, place.top, place.zoom)))
        else:  # another kind of place, or none (ReportLab's message names the target)
            target = destination.format(document)
        rect = " ".join(fp_str(value) for value in self.rect).encode("ascii")
        return (b"<< /Border [ 0 0 0 ] /Contents %s /Dest %s /Rect [ %s ] /Subtype /Link "
                b"/Type /Annot >>" % (pdfdoc.PDFString(self.contents).format(document),
                                      target, rect))
