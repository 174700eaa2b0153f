"""The original letter text as HTML for the reader, with cited passages marked.

The letter's markdown-ish emphasis is shown as bold and italic, headings as
headings, page-break markers as a rule; every character of the text appears
exactly once (escaped), so nothing the store holds can inject markup. A
cited passage becomes a link (``passage:N``) with a yellow highlight, a
follow-up passage (another letter's commitment reported on here) a link
(``follow-up:N``) in blue, underlined (underlined on yellow inside a cited
passage); where passages overlap (a country named inside a measure) the
shortest citation takes the click (a follow-up only where no citation is),
the tooltip lists them all and the link names the others
(``passage:3?also=follow-up:1``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

HIGHLIGHT = "#fff1b8"
HIGHLIGHT_DEEP = "#ffe08a"
FOCUS = "#ffc36b"
INK = "#1b1b1b"
#: Follow-up passages: blue and underlined, never mistaken for a citation's yellow; an
#: accepted one (evidence) deeper than one only suggested by the finder.
FOLLOW_UP = "#d4e8ff"
FOLLOW_UP_SUGGESTED = "#ebf4ff"

_PAGE_BREAK = re.compile(r"^\*?\s*\.{2,}\s*/\s*\.{2,}\s*\*?\s*$")
_HEADING = re.compile(r"^(\s*)(#{1,6})(\s*)")
_STARS = re.compile(r"\*+")


@dataclass(frozen=True)
class Passage:
    """A span of the letter to mark, and what clicking it opens."""

    index: int
    start: int
    end: int
    label: str
    kind: str = "passage"  # passage (a citation) | follow-up
    suggested: bool = False  # a follow-up the finder suggested, not yet accepted

    @property
    def link(self) -> str:
        return f"{self.kind}:{self.index}"


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    italic: bool = False


def _run(text: str, style: _Style, covering: list[Passage], focus: bool,
         heading: int) -> str:
    escaped = html.escape(text, quote=False)
    if style.italic:
        escaped = f"<i>{escaped}</i>"
    if style.bold or heading:
        escaped = f"<b>{escaped}</b>"
    css = []
    cited = [p for p in covering if p.kind == "passage"]
    reported = len(cited) < len(covering)
    if focus:
        css.append(f"background-color:{FOCUS}; color:{INK};")
    elif cited:
        css.append(f"background-color:{HIGHLIGHT_DEEP if len(cited) > 1 else HIGHLIGHT};"
                   f" color:{INK};")
    elif covering:
        tint = FOLLOW_UP_SUGGESTED if all(p.suggested for p in covering) else FOLLOW_UP
        css.append(f"background-color:{tint}; color:{INK};")
    if covering:
        # the letter's own items keep the click (as before follow-ups were marked); a
        # follow-up takes it where no citation is, and the context menu offers them all
        target = min(covering, key=lambda p: (p.kind != "passage", p.end - p.start, p.index))
        title = html.escape("; ".join(p.label for p in covering))
        others = ",".join(p.link for p in covering if p is not target)
        href = target.link + (f"?also={others}" if others else "")
        line = "underline" if reported else "none"
        return (f'<a href="{href}" title="{title}" '
                f'style="{" ".join(css)} text-decoration:{line};">{escaped}</a>')
    if css:
        return f'<span style="{" ".join(css)}">{escaped}</span>'
    return escaped


def letter_html(text: str, passages: Sequence[Passage] = (),
                focus: tuple[int, int] | None = None) -> str:
    """HTML of ``text`` with ``passages`` linked and the ``focus`` span marked.

    Anchors ``passage-N`` sit at the start of each passage and ``focus`` at
    the start of the focus span, for ``scrollToAnchor``.
    """
    starts: dict[int, list[Passage]] = {}
    for passage in passages:
        starts.setdefault(passage.start, []).append(passage)
    boundaries = {0, len(text)}
    for passage in passages:
        boundaries.update((passage.start, passage.end))
    if focus:
        boundaries.update(focus)

    out: list[str] = ['<div style="line-height:140%;">']
    style = _Style()
    paragraph_open = False
    position = 0
    lines = text.splitlines(keepends=True)
    for raw_line in lines:
        line_start, line = position, raw_line.rstrip("\r\n")
        position += len(raw_line)
        if not line.strip():
            if paragraph_open:
                out.append("</p>")
                paragraph_open = False
            style = _Style()  # emphasis never runs across paragraphs
            continue
        if _PAGE_BREAK.match(line):
            if paragraph_open:
                out.append("</p>")
                paragraph_open = False
            out.append('<p align="center" style="color:gray; font-size:small;">'
                       f'{html.escape(line.strip())} &nbsp;(page break)</p>')
            continue
        heading = 0
        skip_until = line_start
        heading_match = _HEADING.match(line)
        if heading_match:
            heading = len(heading_match.group(2))
            skip_until = line_start + heading_match.end()
        if not paragraph_open:
            size = {1: "x-large", 2: "large", 3: "medium", 4: "medium"}.get(heading, "")
            out.append(f'<p style="font-size:{size}; margin-top:12px;">' if size
                       else '<p style="margin-top:8px;">')
            paragraph_open = True
        else:
            out.append("<br>")
        # cut the line at passage boundaries and emphasis markers
        cuts = sorted({line_start, line_start + len(line), skip_until}
                      | {b for b in boundaries if line_start < b < line_start + len(line)})
        markers = {m.start() + line_start: m.end() + line_start
                   for m in _STARS.finditer(line)}
        points = sorted(set(cuts) | set(markers) | set(markers.values()))
        for a, b in pairwise(points):
            for passage in starts.get(a, ()):
                out.append(f'<a name="{passage.kind}-{passage.index}"></a>')
            if focus and a == focus[0]:
                out.append('<a name="focus"></a>')
            if a < skip_until:
                continue
            if a in markers:
                stars = b - a
                if stars >= 3:
                    style = _Style(not style.bold, not style.italic)
                elif stars == 2:
                    style = _Style(not style.bold, style.italic)
                else:
                    style = _Style(style.bold, not style.italic)
                continue
            segment = text[a:b]
            if not segment:
                continue
            covering = [p for p in passages if p.start <= a and b <= p.end]
            in_focus = bool(focus and focus[0] <= a and b <= focus[1])
            out.append(_run(segment, style, covering, in_focus, heading))
    if paragraph_open:
        out.append("</p>")
    out.append("</div>")
    return "".join(out)
