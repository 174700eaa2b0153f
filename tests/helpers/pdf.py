"""Read a PDF back the way a person (and a printer) would: text, fonts, outline, links."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def pdftotext(path: Path, first: int | None = None, last: int | None = None, *,
              layout: bool = False) -> str:
    """The text of a PDF (or of pages ``first``–``last``) as poppler's pdftotext sees it."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True,
                            timeout=120)
    return result.stdout.decode("utf-8")


def page_texts(path: Path) -> list[str]:
    """The text of every page; pdftotext separates pages with a form feed."""
    pages = pdftotext(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool


def pdffonts(path: Path) -> list[FontRow]:
    """Every font of the file as poppler's pdffonts lists it."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True,
                         timeout=120).stdout.splitlines()
    header, rule = out[0], out[1]
    # columns are fixed-width: cut them where the rule's dashes are
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    assert header.startswith("name")
    rows = []
    for line in out[2:]:
        cells = [line[a:b if i + 1 < len(spans) else None].strip()
                 for i, (a, b) in enumerate(spans)]
        rows.append(FontRow(cells[0], cells[1], cells[3] == "yes"))
    return rows


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # 1-based
    level: int


def outline(reader: PdfReader) -> list[OutlineEntry]:
    """The bookmarks in document order, with their level and 1-based page."""
    found: list[OutlineEntry] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append(OutlineEntry(str(item.title),
                                          reader.get_destination_page_number(item) + 1, level))

    walk(reader.outline, 0)
    return found


def contents_entries(text: str) -> dict[str, int]:
    """Title -> page of the one-line entries of a contents page (``Title . . . 12``)."""
    entries: dict[str, int] = {}
    for line in text.splitlines():
        match = re.match(r"^\s*(?P<title>\S.*?)\s*(?:\.\s*){3,}(?P<page>\d+)\s*$", line)
        if match:
            entries[match["title"]] = int(match["page"])
    return entries


@dataclass(frozen=True)
class Link:
    page: int  # 0-based, where the link is
    rect: tuple[float, float, float, float]
    target: int  # 0-based page it goes to
    top: float  # the height on that page it shows at the top


def links(reader: PdfReader) -> list[Link]:
    """Every internal link (a rectangle that goes to a place in the document)."""
    found: list[Link] = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if destination is None:
                continue
            destination = destination.get_object()
            target = reader.get_page_number(destination[0].get_object())
            top = float(destination[3]) if len(destination) > 3 else 0.0
            x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
            found.append(Link(number, (x0, y0, x1, y1), target, top))
    return found


def words(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes ``(x0, y0, x1, y1, word)`` in PDF coordinates
    (from the bottom left), as poppler's ``pdftotext -bbox`` finds them."""
    import html

    result = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, check=True, timeout=120)
    pages: list[list[tuple[float, float, float, float, str]]] = []
    height = 0.0
    for line in result.stdout.decode("utf-8").splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            height = float(page[2])
            pages.append([])
            continue
        word = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">(.*)</word>', line)
        if word:
            x0, top, x1, bottom = (float(word[n]) for n in range(1, 5))
            pages[-1].append((x0, height - bottom, x1, height - top, html.unescape(word[5])))
    return pages


def words_in(page: list[tuple[float, float, float, float, str]], x0: float, y0: float,
             x1: float, y1: float) -> list[str]:
    """The words whose centre lies in the box, top to bottom and left to right."""
    inside = [(-round((b + t) / 2), a, w) for a, b, c, t, w in page
              if x0 - 1 <= (a + c) / 2 <= x1 + 1 and y0 - 1 <= (b + t) / 2 <= y1 + 1]
    return [w for _, _, w in sorted(inside)]
