"""Text vocabulary shared by every layer: markdown to plain text, one-line forms, folding for
search and matching (case and accents ignored), and the display forms of names."""

from __future__ import annotations

import re
import unicodedata

_EMPHASIS = re.compile(r"\*+")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_SPACES = re.compile(r"[ \t\u00a0]+")


def plain(markdown: str) -> str:
    """A line or passage without markdown emphasis and headings, spaces folded.

    Line breaks are kept; trailing "hard break" spaces are removed.
    """
    lines = []
    for line in markdown.splitlines():
        line = _HEADING.sub("", line)
        line = _EMPHASIS.sub("", line)
        lines.append(_SPACES.sub(" ", line).strip())
    return "\n".join(lines).strip()


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) as one space."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form: "Rakušan" and "RAKUSAN" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def display_name(name: str) -> str:
    """A name in reading case: "Gerhard KARNER" -> "Gerhard Karner".

    Only words written wholly in capitals are changed; "von der Leyen" stays.
    """
    words = []
    for word in name.split():
        if len(word) > 1 and word.isupper():
            word = "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
        words.append(word)
    return " ".join(words)


def shouting_words(name: str) -> int:
    """How many words of ``name`` are written in capitals (fewer reads better)."""
    return sum(1 for word in name.split() if len(word) > 1 and word.isupper())
