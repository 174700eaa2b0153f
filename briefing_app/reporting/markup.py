"""The simple formatting an adviser may use in a steering note or lines to take.

A small, forgiving subset of Markdown, parsed into plain blocks and runs so
that the PDF (and later a GUI preview) can render it without ever passing the
adviser's characters to a markup parser:

* a blank line starts a new paragraph; a single line break is kept;
* ``# Heading`` (any number of ``#``) is a heading line;
* ``- item``, ``* item`` or ``• item`` is a bullet; ``1. item`` or ``1) item`` a numbered item;
* ``**bold**``, ``*italic*`` and ``_italic_`` inside a line.

Anything else, ``<b>`` and ``&`` included, is text and is printed as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class NoteBlock:
    """A paragraph, heading, bullet or numbered item of a note."""

    kind: str  # paragraph | heading | bullet | numbered
    runs: tuple[Run, ...]
    number: int | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,4})[.)]\s+(?P<text>.*)$")
# bold first, then italic with * or _ ; markers must hug the text they wrap
_INLINE = re.compile(
    r"\*\*(?=\S)(?P<bold>.+?)(?<=\S)\*\*"
    r"|(?<![\w*])\*(?=[^\s*])(?P<star>.+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<under>.+?)(?<=[^\s_])_(?![\w_])"
)


def parse_inline(text: str) -> tuple[Run, ...]:
    """Runs of one line or paragraph: ``**bold**``, ``*italic*``, ``_italic_``."""
    runs: list[Run] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position:match.start()]))
        if match["bold"] is not None:
            inner = parse_inline(match["bold"])
            runs.extend(Run(r.text, True, r.italic) for r in inner)
        else:
            inner_text = match["star"] if match["star"] is not None else match["under"]
            runs.extend(Run(r.text, r.bold, True) for r in parse_inline(inner_text))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return tuple(merged)


def parse_note(text: str) -> tuple[NoteBlock, ...]:
    """The blocks of a note, in order. Empty or blank text gives no blocks."""
    blocks: list[NoteBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(NoteBlock("paragraph", parse_inline("\n".join(paragraph))))
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            flush()
            blocks.append(NoteBlock("heading", parse_inline(heading["text"])))
        elif bullet:
            flush()
            blocks.append(NoteBlock("bullet", parse_inline(bullet["text"].strip())))
        elif numbered:
            flush()
            blocks.append(NoteBlock("numbered", parse_inline(numbered["text"].strip()),
                                    int(numbered["n"])))
        else:
            paragraph.append(line.strip())
    flush()
    return tuple(b for b in blocks if b.runs)
