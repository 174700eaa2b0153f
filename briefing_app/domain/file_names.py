"""Default file names for built packs: short, complete, and safe on Windows, macOS and Linux.

``2024-04-29 Ministerial Conference - pack v1.pdf``: the meeting's date, the
title cut at a word boundary (never inside a word), and the version the build
will get. Characters that some system refuses or misreads in a file name
(``< > : " / \\ | ? *``, control and invisible formatting characters) are
left out; letters with accents are kept.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

#: The longest title part of a default file name, in characters.
MAX_TITLE_PART = 40
#: What a pack with no usable title is called in its file name.
FALLBACK_TITLE = "Briefing pack"

_SLASHES = re.compile(r"[/\\|]+")
_UNSAFE = re.compile(r'[<>:"?*]+')
# Unicode categories that never belong in a file name: controls, invisible
# formatting (bidi overrides, zero-width joiners), surrogates, private use,
# unassigned, and line or paragraph separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Small words a cut title should not end on ("Conference on the").
_FILLER = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with", "de", "des", "du", "la", "le", "les", "et", "en", "der", "die",
    "das", "und", "von", "zu", "für", "im", "del", "e", "y", "di",
})
_TRIM = " .,;-–—(["


def safe_part(text: str) -> str:
    """``text`` fit to be part of a file name on every system (may be empty).

    Slashes and bars become hyphens, other unsafe characters spaces; runs of
    whitespace become one space; leading and trailing dots, hyphens and spaces
    go (a leading dot hides a file, a trailing one is dropped by Windows).
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch
                   for ch in text)
    text = _UNSAFE.sub(" ", _SLASHES.sub("-", text))
    return " ".join(text.split()).strip(_TRIM)


def short_title(title: str, limit: int = MAX_TITLE_PART) -> str:
    """``title`` made safe and cut to at most ``limit`` characters at a word boundary.

    Small words left dangling at the cut ("on the") go too. A first word longer
    than ``limit`` is cut at a hyphen inside it when there is one, else the
    title is :data:`FALLBACK_TITLE`: a word is never cut in the middle.
    """
    words = safe_part(title).split()
    joint = " "
    if words and len(words[0]) > limit:  # one long word: cut at its hyphens, if any
        words, joint = words[0].split("-"), "-"
    kept: list[str] = []
    for word in words:
        if len(joint.join([*kept, word])) > limit:
            break
        kept.append(word)
    if len(kept) < len(words):  # cut: do not end on a small word or a comma
        while len(kept) > 1 and (kept[-1].strip(_TRIM).casefold() in _FILLER
                                 or not kept[-1].strip(_TRIM)):
            kept.pop()
    return joint.join(kept).strip(_TRIM) or FALLBACK_TITLE


def pack_file_name(title: str, version: int, meeting_date: date | None = None) -> str:
    """The default file name of version ``version`` of a pack, e.g.
    ``2024-04-29 Ministerial Conference - pack v1.pdf`` (no date: no date part)."""
    stem = short_title(title)
    if meeting_date is not None:
        stem = f"{meeting_date.isoformat()} {stem}"
    return f"{stem} - pack v{version}.pdf"


__all__ = ["FALLBACK_TITLE", "MAX_TITLE_PART", "pack_file_name", "safe_part", "short_title"]
