"""The text of a letter received as a Word (.docx) or PDF file.

Both are turned into the markdown-ish plain text the parser reads from
``.txt`` letters, so one parser serves every format:

* paragraphs are separated by a blank line, soft line breaks are kept as line
  breaks, bold and italic runs become ``**…**`` and ``*…*``;
* Word headings become ``#`` headings (``Heading 3`` -> ``###``); Word lists
  become ``- item`` or ``1. item`` lines, a nested item indented by two spaces
  and kept in the paragraph it belongs to;
* a PDF's lines are put back together from the positions of its text:
  a line that had to wrap (its next word would not have fitted) is joined to
  the next one, a wider gap between lines ends a paragraph, larger type is a
  heading and the font's name tells bold and italic. A paragraph that goes on
  over a page break is joined again; no page-break marker is added, because
  one inside a wrapped paragraph would split it.

A PDF without a text layer (a scanned image) is refused with a clear message,
never imported as an empty letter. python-docx and pypdf are imported only
when such a file is read.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from briefing_app.corpus.limits import guard_docx, guard_pdf
from briefing_app.errors import InvalidInput

# --------------------------------------------------------------------------- emphasis


@dataclass(frozen=True)
class Segment:
    """A piece of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


_MARKERS = {(True, True): "***", (True, False): "**", (False, True): "*"}


def markdown_line(segments: Iterable[Segment]) -> str:
    """One line of styled segments as markdown-ish text (emphasis closed on the line).

    White space between two runs takes the style of the run before it, so
    "*a* *b*" reads "*a b*"; markers never enclose leading or trailing spaces.
    """
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        style = (segment.bold, segment.italic)
        if not segment.text.strip() and merged:
            style = (merged[-1].bold, merged[-1].italic)
        if merged and (merged[-1].bold, merged[-1].italic) == style:
            merged[-1] = Segment(merged[-1].text + segment.text, *style)
        else:
            merged.append(Segment(segment.text, *style))
    out: list[str] = []
    for segment in merged:
        marker = _MARKERS.get((segment.bold, segment.italic), "")
        core = segment.text.strip()
        if not marker or not core:
            out.append(segment.text)
            continue
        lead = segment.text[: len(segment.text) - len(segment.text.lstrip())]
        trail = segment.text[len(segment.text.rstrip()):]
        out.append(f"{lead}{marker}{core}{marker}{trail}")
    return "".join(out).rstrip()


def _split_lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments cut at their line breaks: one list per line."""
    lines: list[list[Segment]] = [[]]
    for segment in segments:
        parts = segment.text.split("\n")
        for number, part in enumerate(parts):
            if number:
                lines.append([])
            if part:
                lines[-1].append(Segment(part, segment.bold, segment.italic))
    return lines


# ------------------------------------------------------------------------------ Word

_LIST_STYLE = re.compile(r"^List(?: (?P<kind>Bullet|Number|Continue|Paragraph))?(?: (?P<n>\d))?$")
_HEADING_STYLE = re.compile(r"^Heading (?P<n>\d)$")


@dataclass
class _ListState:
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def number(self, num_id: str, level: int, start: int) -> int:
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]  # a shallower item restarts the deeper levels
        value = self.counters.get((num_id, level), start - 1) + 1
        self.counters[(num_id, level)] = value
        return value


def _style_chain(style: Any) -> Iterator[Any]:
    while style is not None:
        yield style
        style = style.base_style


def _num_pr(paragraph: Any) -> Any:
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    for style in _style_chain(paragraph.style):
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
    return None


def _numbering_level(document: Any, num_id: str, level: int) -> tuple[str | None, int]:
    """(numFmt, start) of one level of a Word numbering definition."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None, 1
    abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    if not abstract:
        return None, 1
    base = f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]'
    fmt = numbering.xpath(f"{base}/w:numFmt/@w:val")
    start = numbering.xpath(f"{base}/w:start/@w:val")
    return (str(fmt[0]) if fmt else None), (int(start[0]) if start else 1)


def _list_prefix(document: Any, paragraph: Any, state: _ListState) -> tuple[int, str] | None:
    """(level, "- " or "3. ") of a Word list paragraph, or None for other paragraphs."""
    style_name = paragraph.style.name if paragraph.style is not None else ""
    by_style = _LIST_STYLE.match(style_name or "")
    num_pr = _num_pr(paragraph)
    if num_pr is None and by_style is None:
        return None
    num_id = (str(num_pr.numId.val) if num_pr is not None and num_pr.numId is not None
              else None)
    if num_id == "0":
        return None  # numbering switched off for this paragraph
    if num_pr is not None and num_pr.ilvl is not None:
        level = int(num_pr.ilvl.val)
    elif by_style and by_style["n"]:
        level = int(by_style["n"]) - 1
    else:
        level = 0
    fmt, start = _numbering_level(document, num_id, level) if num_id else (None, 1)
    if fmt is None:
        kind = by_style["kind"] if by_style else None
        if kind in ("Continue", "Paragraph") or (num_id is None and kind is None):
            return None
        fmt = "decimal" if kind == "Number" else "bullet"
    if fmt in ("bullet", "none"):
        return level, "- "
    return level, f"{state.number(num_id or style_name, level, start)}. "


def _run_style(run: Any) -> tuple[bool, bool]:
    bold, italic = run.bold, run.italic
    style = getattr(run, "style", None)
    if style is not None and style.name != "Default Paragraph Font":
        for char_style in _style_chain(style):
            bold = char_style.font.bold if bold is None else bold
            italic = char_style.font.italic if italic is None else italic
    return bool(bold), bool(italic)


def _paragraph_segments(paragraph: Any) -> list[Segment]:
    segments: list[Segment] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]  # a hyperlink holds runs
        for run in runs:
            bold, italic = _run_style(run)
            segments.append(Segment(run.text, bold, italic))
    return segments


def _docx_blocks(document: Any) -> list[tuple[str, bool, int]]:
    """(text, is a list item, list level) of every paragraph, tables read cell by cell."""
    from docx.table import Table

    state = _ListState()
    found: list[tuple[str, bool, int]] = []

    def paragraphs(container: Any) -> Iterator[Any]:
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from paragraphs(cell)
            else:
                yield item

    for paragraph in paragraphs(document):
        lines = [markdown_line(line) for line in _split_lines(_paragraph_segments(paragraph))]
        if not any(line.strip() for line in lines):
            continue
        style_name = paragraph.style.name if paragraph.style is not None else ""
        heading = _HEADING_STYLE.match(style_name or "")
        if heading or style_name == "Title":
            level = min(int(heading["n"]), 6) if heading else 1
            text = " ".join(line.strip() for line in lines if line.strip())
            found.append((f"{'#' * level} {text}", False, 0))
            continue
        listed = _list_prefix(document, paragraph, state)
        if listed is not None:
            level, prefix = listed
            lines[0] = "  " * level + prefix + lines[0].lstrip()
            found.append(("\n".join(lines), True, level))
        else:
            found.append(("\n".join(lines), False, 0))
    return found


@guard_docx
def docx_text(data: bytes, name: str) -> str:
    """The text of a Word document as the parser reads it."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput(f"{name}: not a Word document that can be read "
                           f"(save it again as .docx; {exc})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and other damage inside the file
        raise InvalidInput(f"{name}: not a Word document that can be read "
                           f"(the file is damaged: {type(exc).__name__})") from exc
    out: list[str] = []
    previous_list = False
    for text, is_list, level in _docx_blocks(document):
        # list items follow each other line by line; a nested one stays in its paragraph
        if out:
            out.append("\n" if is_list and (previous_list or level > 0) else "\n\n")
        out.append(text)
        previous_list = is_list
    text = "".join(out).strip("\n")
    if not text.strip():
        raise InvalidInput(f"{name}: the Word document holds no text")
    return text + "\n"


# ------------------------------------------------------------------------------- PDF

NO_TEXT_LAYER = ("no text layer in this PDF (a scanned image?); import a text-based PDF "
                 "or the original Word file")

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_FONT = re.compile(r"italic|oblique|slanted", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:[-•◦▪]\s|\d{1,2}\.\s)")
_BULLET = re.compile(r"^\s*[-•◦▪*]\s")


@dataclass
class _Fragment:
    x: float
    y: float
    end: float  # x where the text ends
    size: float
    text: str
    bold: bool
    italic: bool
    first_word: float  # width of the text's first word
    space: float  # width of a space in this font and size


@dataclass
class _PdfLine:
    page: int
    y: float
    fragments: list[_Fragment]
    break_before: bool = False  # the first line of a column of a grid (signatures side by side)

    @property
    def x0(self) -> float:
        return self.fragments[0].x

    @property
    def x1(self) -> float:
        return max(f.end for f in self.fragments)

    @property
    def size(self) -> float:
        weights: Counter[float] = Counter()
        for fragment in self.fragments:
            weights[round(fragment.size * 2) / 2] += len(fragment.text.strip())
        return weights.most_common(1)[0][0]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments())

    def segments(self) -> list[Segment]:
        out: list[Segment] = []
        previous: _Fragment | None = None
        for fragment in self.fragments:
            if previous is not None and fragment.x - previous.end > 0.2 * fragment.size and \
                    not previous.text.endswith(" ") and not fragment.text.startswith(" "):
                out.append(Segment(" ", previous.bold, previous.italic))
            out.append(Segment(fragment.text, fragment.bold, fragment.italic))
            previous = fragment
        return out


class _FontWidths:
    """Text widths from the PDF's own font metrics (falls back to half an em a letter)."""

    def __init__(self) -> None:
        self._fonts: dict[int, Any] = {}

    def width(self, font_dict: Any, text: str, size: float) -> float:
        if not text:
            return 0.0
        key = id(font_dict)
        if key not in self._fonts:
            try:
                from pypdf.generic._font import Font

                self._fonts[key] = Font.from_font_resource(font_dict)
            except Exception:  # an unusual font, or another pypdf: estimate instead
                self._fonts[key] = None
        font = self._fonts[key]
        if font is None:
            return 0.5 * size * len(text)
        return float(font.get_text_width(text)) * size / 1000


def _matrix_product(tm: list[float], cm: list[float]) -> list[float]:
    a, b, c, d, e, f = tm
    return [a * cm[0] + b * cm[2], a * cm[1] + b * cm[3], c * cm[0] + d * cm[2],
            c * cm[1] + d * cm[3], e * cm[0] + f * cm[2] + cm[4], e * cm[1] + f * cm[3] + cm[5]]


def _page_fragments(page: Any, widths: _FontWidths) -> list[_Fragment]:
    found: list[_Fragment] = []
    # pypdf reports the text position where a run of text showing began: a
    # font change inside a line reports the line's start again, so such a
    # fragment is placed where the one before it ended
    origin: list[tuple[float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font_dict: Any, font_size: Any) -> None:
        text = text.replace("\n", "").replace("\r", "")
        if not text.strip() or font_dict is None:
            return
        m = _matrix_product([float(v) for v in tm], [float(v) for v in cm])
        if abs(m[1]) > 0.01 * abs(m[0]) or m[0] <= 0:
            return  # rotated or mirrored text: a watermark or a margin note
        scale_x, scale_y = m[0], (m[2] ** 2 + m[3] ** 2) ** 0.5
        size = float(font_size) * scale_y
        name = str(font_dict.get("/BaseFont", ""))
        raw_size = float(font_size) * scale_x
        first = text.lstrip().split(" ")[0]
        x = m[4]
        if found and origin and abs(origin[-1][0] - m[4]) < 0.01 and \
                abs(origin[-1][1] - m[5]) < 0.01:
            x = found[-1].end
        origin.append((m[4], m[5]))
        found.append(_Fragment(
            x=x, y=m[5], end=x + widths.width(font_dict, text, raw_size), size=size,
            text=text, bold=bool(_BOLD_FONT.search(name)), italic=bool(_ITALIC_FONT.search(name)),
            first_word=widths.width(font_dict, first, raw_size),
            space=widths.width(font_dict, " ", raw_size) or 0.25 * raw_size,
        ))

    page.extract_text(visitor_text=visit)
    return found


def _lines_of(page_number: int, fragments: list[_Fragment]) -> list[_PdfLine]:
    lines: list[_PdfLine] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if lines and abs(lines[-1].y - fragment.y) <= 0.3 * fragment.size:
            lines[-1].fragments.append(fragment)
        else:
            lines.append(_PdfLine(page_number, fragment.y, [fragment]))
    for line in lines:
        line.fragments.sort(key=lambda f: f.x)
    return lines


class _PdfLayout:
    """Measures of the whole document: body type size, line spacing, text column."""

    def __init__(self, lines: list[_PdfLine]) -> None:
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[line.size] += len(line.text)
        self.body = sizes.most_common(1)[0][0]
        body_lines = [ln for ln in lines if abs(ln.size - self.body) < 0.5]
        self.right = max(ln.x1 for ln in body_lines)
        gaps = [round(a.y - b.y, 1) for a, b in itertools.pairwise(body_lines)
                if a.page == b.page and 0 < a.y - b.y < 3 * self.body]
        self.leading = min(Counter(gaps).most_common(1)[0][0] if gaps else 1.2 * self.body,
                           2 * self.body)
        self.left = {page: min(ln.x0 for ln in body_lines if ln.page == page)
                     for page in {ln.page for ln in body_lines}}
        heading_sizes = sorted({ln.size for ln in lines if ln.size > self.body * 1.12},
                               reverse=True)
        self.heading_level = {size: min(n, 6) for n, size in enumerate(heading_sizes, start=1)}

    def wraps(self, previous: _PdfLine, line: _PdfLine) -> bool:
        """True if ``line`` goes on from ``previous`` (the first word did not fit)."""
        first = line.fragments[0]
        if _LIST_MARKER.match(line.text) or first.x > previous.x0 + 3 * first.size:
            return False
        return previous.x1 + first.space + first.first_word > self.right - 1

    def new_paragraph(self, previous: _PdfLine, line: _PdfLine) -> bool:
        if previous.page != line.page:
            return not self.wraps(previous, line)
        if self.level(previous) or self.level(line):
            return self.level(previous) != self.level(line) or not self.wraps(previous, line)
        return previous.y - line.y > self.leading * 1.3 + 0.5

    def level(self, line: _PdfLine) -> int:
        return self.heading_level.get(line.size, 0)

    def indent(self, line: _PdfLine) -> str:
        """Two spaces before a bullet set in from the text's left edge (a nested item)."""
        left = self.left.get(line.page, line.x0)
        return "  " if line.x0 > left + 0.8 * self.body and _BULLET.match(line.text) else ""


#: Typographic ligatures and invisible characters a PDF's text layer may hold.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": "",
                            "\u200b": "", "\ufeff": ""})


@guard_pdf
def pdf_text(data: bytes, name: str) -> str:
    """The text of a text-based PDF as the parser reads it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(f"{name}: the PDF is protected by a password")
        widths = _FontWidths()
        lines: list[_PdfLine] = []
        for number, page in enumerate(reader.pages):
            lines.extend(_lines_of(number, _page_fragments(page, widths)))
    except InvalidInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{name}: not a PDF that can be read ({exc})") from exc
    if not any(line.text.strip() for line in lines):
        raise InvalidInput(f"{name}: {NO_TEXT_LAYER}")
    lines = _columns_apart(_without_running_lines(lines))
    if not lines:
        raise InvalidInput(f"{name}: {NO_TEXT_LAYER}")
    layout = _PdfLayout(lines)

    paragraphs: list[list[list[Segment]]] = []  # paragraph -> lines -> segments
    previous: _PdfLine | None = None
    for line in lines:
        if previous is None or line.break_before or layout.new_paragraph(previous, line):
            paragraphs.append([[]])
            level = layout.level(line)
            if level:
                paragraphs[-1][-1].append(Segment("#" * level + " "))
        elif layout.wraps(previous, line):
            last = paragraphs[-1][-1][-1] if paragraphs[-1][-1] else None
            if last is not None and re.search(r"[^\W\d_]-$", last.text) and \
                    line.text.lstrip()[:1].islower():
                # a word hyphenated at the line's end: joined again
                paragraphs[-1][-1][-1] = Segment(last.text[:-1], last.bold, last.italic)
            else:
                paragraphs[-1][-1].append(Segment(" "))
        else:
            paragraphs[-1].append([])
        if not paragraphs[-1][-1]:
            paragraphs[-1][-1].append(Segment(layout.indent(line)))
        paragraphs[-1][-1].extend(line.segments())
        previous = line
    blocks = ["\n".join(markdown_line(_tidy(segments)) for segments in paragraph)
              for paragraph in paragraphs]
    text = "\n\n".join(block for block in blocks if block.strip()) + "\n"
    return text.translate(_LIGATURES)


_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,3}\s*[-–—]|(?:page|seite|pagina|página)\s+\d{1,3}"
    r"(?:\s*(?:of|/|von|sur|di|de)\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$",
    re.IGNORECASE,
)


def _without_running_lines(lines: list[_PdfLine]) -> list[_PdfLine]:
    """The lines without running headers, footers and page numbers.

    A running line is among the first or last two lines of its page and comes
    back, at the same height and with the same words (its digits aside), on
    another page. A page number is the first or last line of its page.
    """
    pages: dict[int, list[_PdfLine]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    edges: list[_PdfLine] = []
    extremes: set[int] = set()
    for page_lines in pages.values():
        ordered = sorted(page_lines, key=lambda ln: -ln.y)
        edges += ordered[:2] + ordered[-2:]
        extremes.update((id(ordered[0]), id(ordered[-1])))

    def key(line: _PdfLine) -> tuple[str, int]:
        return re.sub(r"\d+", "#", " ".join(line.text.split())), round(line.y / 2)

    counts: Counter[tuple[str, int]] = Counter(key(line) for line in {id(ln): ln
                                                                       for ln in edges}.values())
    dropped = {id(line) for line in edges
               if (id(line) in extremes and _PAGE_NUMBER_LINE.match(line.text))
               or (counts[key(line)] > 1 and len(line.text) < 120)}
    return [line for line in lines if id(line) not in dropped]


def _cells(line: _PdfLine) -> list[list[_Fragment]]:
    """The parts of a line set apart by a wide gutter (a table's or a grid's cells)."""
    cells: list[list[_Fragment]] = [[line.fragments[0]]]
    for previous, fragment in itertools.pairwise(line.fragments):
        if fragment.x - previous.end > 1.5 * fragment.size:
            cells.append([])
        cells[-1].append(fragment)
    return cells


def _columns_apart(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Text set side by side (signature blocks in a grid) read one column after the other.

    Consecutive lines of a page that have two cells or more form a grid; its
    cells are grouped by where they start, and each column comes out whole,
    left to right, so that "Name A    Name B" / "Title A    Title B" reads as
    two signature blocks, not as one line naming nobody.
    """
    out: list[_PdfLine] = []
    position = 0
    while position < len(lines):
        line = lines[position]
        if len(_cells(line)) < 2:
            out.append(line)
            position += 1
            continue
        grid = [line]
        while position + len(grid) < len(lines):
            following = lines[position + len(grid)]
            if following.page != line.page:
                break
            if len(_cells(following)) < 2:
                # a cell's text wrapped onto a line of its own, under one of the columns
                previous = grid[-1]
                near = previous.y - following.y <= 2.2 * following.size
                under = any(abs(cell[0].x - following.x0) < 2 for row in grid
                            for cell in _cells(row))
                if not (near and under):
                    break
            grid.append(following)
        position += len(grid)
        starts = sorted({round(cell[0].x) for row in grid for cell in _cells(row)})
        columns: list[float] = []
        for start in starts:
            if not columns or start - columns[-1] > 20:
                columns.append(start)
        for column, left in enumerate(columns):
            right = columns[column + 1] if column + 1 < len(columns) else float("inf")
            first = True
            for row in grid:
                for cell in _cells(row):
                    if left - 20 <= cell[0].x < right - 20:
                        out.append(_PdfLine(row.page, row.y, cell, break_before=first))
                        first = False
    return out


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Segments with runs of spaces folded (a join adds one where the PDF had one)."""
    out: list[Segment] = []
    for segment in segments:
        text = segment.text
        if out and out[-1].text.endswith(" "):
            text = text.lstrip(" ") if out[-1].text.strip() else text
        out.append(Segment(re.sub(r"(?<=\S) {2,}", " ", text), segment.bold, segment.italic))
    return out
