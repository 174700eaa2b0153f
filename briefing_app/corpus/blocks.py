"""The document model every letter becomes: lines and blocks, each with its span.

A letter arrives as plain hard-wrapped text, as markdown-ish text (the
bundled letters), or as the text the Word and PDF readers give
(:mod:`briefing_app.corpus.documents`). Whatever the format, the parser reads
the same two things from it:

* :class:`Line` — one physical line of the stored text, its emphasis and
  heading markers read and removed (``text``), whether it is wholly bold, a
  heading, a page break or a page number;
* :class:`Block` — a paragraph, a heading or a list item: lines that belong
  together, the hard wraps joined back (hyphenation at line ends undone),
  the list marker exactly as written ("12.", "(a)", "iv)", "•") and whether it
  opens with bold words (a "bold-led" point).

Markdown is optional everywhere: a paragraph ends at a blank line, or — in text
without blank lines — after a sentence that stops well short of the text's
usual line length. The stored text itself is never changed: every line and
block carries the span (``start``, ``end``) of the passage it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_LINE = re.compile(r"[^\r\n]*")
_MD_HEADING = re.compile(r"^\s{0,3}(?P<h>#{1,6})\s+")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_STARS = re.compile(r"(?<!\\)\*+")
#: "..../...", "../...", "- 2 -", "Page 2 of 5", "2/5", a number alone: not text.
_PAGE_BREAK = re.compile(r"^\*?\s*\.{2,}\s*/\s*\.{2,}\s*\*?$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,3}\s*[-–—]|(?:page|seite|pagina|página)\s+\d{1,3}(?:\s*(?:of|/|von|sur|di|de)"
    r"\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})$",
    re.IGNORECASE,
)
#: List markers as letters write them, the marker's kind named by its group.
_MARKER = re.compile(
    r"^(?P<indent>\s*)(?P<marker>"
    r"(?P<num>\d{1,3})[.)](?!\d)"
    r"|\((?P<pnum>\d{1,3})\)"
    r"|\((?P<plet>[a-z])\)"
    r"|\((?P<prom>[ivx]{1,6})\)"
    r"|(?P<rom>[ivx]{1,6})[.)]"
    r"|(?P<let>[a-z])[.)]"
    r"|(?P<bullet>[-•–▪●◦■□➢►*·o\x7f\uf0b7\uf0a7\uf0d8\uf0fc○‣⁃∙✓➤])"
    r")\s+(?=\S)"
)
#: A roman-numbered section heading: "I. External borders", "IV – Partners".
_ROMAN_HEADING = re.compile(r"^(?P<r>[IVX]{1,5})\s*[.):–-]\s*(?P<t>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;…»”\")]$")


@dataclass(frozen=True)
class Line:
    """One physical line of the stored text."""

    index: int
    start: int
    end: int
    raw: str

    @cached_property
    def heading_level(self) -> int:
        """The markdown heading level ("### …" -> 3), 0 when the line is none."""
        match = _MD_HEADING.match(self.raw)
        return len(match["h"]) if match else 0

    @cached_property
    def text(self) -> str:
        """The line without heading hashes and emphasis markers, spaces folded."""
        line = _MD_HEADING.sub("", self.raw)
        line = _EMPHASIS.sub(lambda m: m.group(2), line)
        line = _EMPHASIS.sub(lambda m: m.group(2), line)
        line = re.sub(r"(?<!\w)\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?!\w)", "", line)
        return " ".join(line.split())

    @property
    def blank(self) -> bool:
        return not self.text

    @cached_property
    def indent(self) -> int:
        expanded = self.raw.expandtabs(4)
        return len(expanded) - len(expanded.lstrip())

    @cached_property
    def bold(self) -> bool:
        """The whole line is in bold ("**Subject**", "***text***")."""
        core = self.raw.strip()
        core = _MD_HEADING.sub("", core).strip()
        if core.startswith("***") and core.endswith("***") and len(core) > 6:
            return True
        return (core.startswith("**") and core.endswith("**") and len(core) > 4
                and "**" not in core[2:-2].replace("***", ""))

    @cached_property
    def bold_lead(self) -> str | None:
        """The bold words the line opens with ("**Borders** with…" -> "Borders")."""
        match = re.match(r"^\s*(?:[-•*]\s+)?\*{0,1}\*\*(?P<b>[^*]+?)\*\*", self.raw)
        if not match:
            return None
        return " ".join(match["b"].split()) or None

    @property
    def page_break(self) -> bool:
        return bool(_PAGE_BREAK.match(self.raw.strip()))

    @property
    def page_number(self) -> bool:
        return bool(_PAGE_NUMBER.match(self.text)) if self.text else False


@dataclass(frozen=True)
class Marker:
    """A list marker exactly as written, and what it counts."""

    written: str  # "12.", "(a)", "iv)", "•"
    style: str  # number | letter | roman | bullet
    value: int | None  # 12, 1 for "(a)", 4 for "iv)"; None for a bullet


def _roman(value: str) -> int | None:
    numerals = {"i": 1, "v": 5, "x": 10}
    total = 0
    previous = 0
    for char in reversed(value.casefold()):
        number = numerals.get(char)
        if number is None:
            return None
        total = total - number if number < previous else total + number
        previous = max(previous, number)
    return total or None


def marker_of(line: Line) -> tuple[Marker, int] | None:
    """The list marker a line opens with, and where its text begins in the line."""
    match = _MARKER.match(line.raw)
    if not match:
        return None
    written = match["marker"]
    if match["num"] or match["pnum"]:
        marker = Marker(written, "number", int(match["num"] or match["pnum"]))
    elif match["rom"] or match["prom"]:
        marker = Marker(written, "roman", _roman(match["rom"] or match["prom"]))
    elif match["let"] or match["plet"]:
        marker = Marker(written, "letter", ord(match["let"] or match["plet"]) - ord("a") + 1)
    else:
        if written == "*" and line.raw.lstrip().startswith("**"):
            return None  # bold text, not a bullet
        marker = Marker(written, "bullet", None)
    return marker, match.end()


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item: lines that belong together."""

    kind: str  # paragraph | heading | item
    lines: tuple[Line, ...]
    marker: Marker | None = None
    level: int = 0  # nesting of an item (0: top), or the heading's level

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @cached_property
    def text(self) -> str:
        """The block's words on one line: the marker left out, wraps joined."""
        pieces = [line.text for line in self.lines]
        if self.marker is not None and pieces:
            first = self.lines[0]
            match = _MARKER.match(first.raw)
            assert match
            pieces[0] = Line(first.index, first.start, first.end, first.raw[match.end():]).text
        return join_wrapped(pieces)

    @property
    def bold(self) -> bool:
        return all(line.bold for line in self.lines)

    @property
    def bold_lead(self) -> str | None:
        return self.lines[0].bold_lead

    @property
    def heading_level(self) -> int:
        return self.lines[0].heading_level


def join_wrapped(pieces: list[str]) -> str:
    """Lines of one paragraph joined back; a hyphen that only broke a word is undone.

    "implemen-" + "tation" -> "implementation"; "EU-" + "Turkey" keeps its hyphen.
    """
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if not out:
            out = piece
        elif re.search(r"[^\W\d_]-$", out) and piece[:1].islower():
            out = out[:-1] + piece  # a word broken at the line's end
        elif re.search(r"\w-$", out):
            out = out + piece  # a compound broken at its hyphen ("EU-" / "Turkey")
        else:
            out = f"{out} {piece}"
    return out


def lines_of(text: str) -> list[Line]:
    """The physical lines of ``text``, each with its span."""
    lines: list[Line] = []
    position = 0
    for match in _LINE.finditer(text):
        if match.start() < position:  # finditer yields an empty match after each line
            continue
        lines.append(Line(len(lines), match.start(), match.end(), match.group(0)))
        position = match.end() + 1
        if text.startswith("\r\n", match.end()):
            position += 1
    return lines


def is_heading_line(line: Line) -> bool:
    """A line that stands as a heading: markdown, bold and short, capitals, a roman section."""
    text = line.text
    if not text or len(text) > 120:
        return False
    if line.heading_level:
        return True
    if line.bold and not _SENTENCE_END.search(text) and len(text.split()) <= 14:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 4 and all(ch.isupper() for ch in letters) and len(text.split()) <= 10:
        return True
    roman = _ROMAN_HEADING.match(text)
    return bool(roman and len(text) <= 90 and not text.endswith((".", ";", ",")))


def roman_heading(text: str) -> tuple[str, str] | None:
    """("IV", "Working with partners") from "IV. Working with partners"."""
    match = _ROMAN_HEADING.match(text)
    if not match or len(text) > 90 or text.endswith((".", ";", ",")):
        return None
    return match["r"], match["t"].strip()


class Document:
    """A letter's text as lines and blocks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = lines_of(text)
        lengths = sorted(len(line.raw.rstrip()) for line in self.lines if line.text)
        #: the text's usual full line length (a hard-wrapped text's wrap width)
        self.width = lengths[int(len(lengths) * 0.9)] if lengths else 0
        self.blocks = self._blocks()

    def skipped(self, line: Line) -> bool:
        """Page breaks and page numbers: not part of the letter's words."""
        return line.page_break or line.page_number

    def _ends_paragraph(self, previous: Line, line: Line) -> bool:
        """In text without blank lines: did ``previous`` stop short of the wrap width?

        A hard-wrapped line is full: the next line's first word would not have
        fitted on it. A line that stopped early ends its paragraph (a sentence,
        a letterhead or signature line, a heading written as plain text).
        """
        if self.width < 50 or not re.match(r"[\w\"“‘'(«]", line.text[:1]) or \
                line.text[:1].islower():
            return False
        first_word = line.text.split()[0]
        if len(previous.raw.rstrip()) + 1 + len(first_word) <= self.width:
            return not re.search(r"\b(?:of|the|and|to|for|in|on|a|an|with|by)$|[-–,]$",
                                 previous.text) or len(previous.raw.rstrip()) < self.width * 0.6
        return False

    def _wrapped(self, line: Line) -> bool:
        """The line runs to the text's usual width: the next one goes on with it."""
        return self.width >= 50 and len(line.raw.rstrip()) >= self.width * 0.8

    def _hanging(self) -> bool:
        """The text indents the wrapped lines of its list items."""
        for previous, line in zip(self.lines, self.lines[1:], strict=False):
            found = marker_of(previous)
            if found and line.text and not marker_of(line) and line.indent > previous.indent:
                return True
        return False

    def _blocks(self) -> list[Block]:
        blocks: list[Block] = []
        current: list[Line] = []
        kind = "paragraph"
        marker: Marker | None = None
        levels: list[int] = []  # the indents of the open list levels
        hanging = self._hanging()

        def flush() -> None:
            nonlocal current, kind, marker
            if current:
                level = len(levels) - 1 if kind == "item" else 0
                blocks.append(Block(kind, tuple(current), marker, max(level, 0)))
            current, kind, marker = [], "paragraph", None

        for line in self.lines:
            if line.blank:
                flush()
                continue
            if self.skipped(line):
                continue  # a paragraph may go on over a page break
            found = marker_of(line)
            if found is not None:
                flush()
                while levels and levels[-1] > line.indent:
                    levels.pop()
                if not levels or levels[-1] < line.indent:
                    levels.append(line.indent)
                kind, marker, current = "item", found[0], [line]
                continue
            if is_heading_line(line) and not (current and self._wrapped(current[-1])
                                              and not _SENTENCE_END.search(current[-1].text)):
                flush()
                levels.clear()
                blocks.append(Block("heading", (line,), None, line.heading_level))
                continue
            if current and kind == "item":
                if line.indent <= current[0].indent and (
                        hanging or self._ends_paragraph(current[-1], line)):
                    flush()
            elif current and self._ends_paragraph(current[-1], line):
                flush()
            if not current and kind != "item":
                levels.clear()
            current.append(line)
        flush()
        return blocks
