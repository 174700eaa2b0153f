"""Short titles for long commitments, where a column or a header has little room.

A measure is one long sentence ("The Commission will launch new
anti-smuggling partnerships with Tunisia and Egypt in 2023, building on…").
Its short title keeps what it is about: the subject phrase of a commitment
("The Commission will") is dropped, the sentence is cut at the first clause
break, and what is still too long ends at a word boundary with an ellipsis.
"""

from __future__ import annotations

import re

#: "The Commission will …", "The EU should …", "Member States shall …": the doer and the modal.
_SUBJECT = re.compile(
    r"^(?:the |an? )?(?:[\w'’-]+ ){0,4}?(?:will|should|shall|must|is to|are to|to be) (?:also )?",
    re.IGNORECASE)
#: Where the head of a commitment ends and its detail begins.
_BREAK = re.compile(r"[:;,(–—]| through | by means of | in order to | including | so that ")


def short_title(text: str, limit: int = 44) -> str:
    """The head of ``text`` in at most ``limit`` characters (an ellipsis counts as one)."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if not line:
        return ""
    subject = _SUBJECT.match(line)
    if subject and subject.end() < len(line) - 12 and _starts_a_subject(line):
        line = line[subject.end():]
        line = line[:1].upper() + line[1:]
    head = _BREAK.search(line)
    if head and head.start() >= 12:
        line = line[:head.start()].rstrip()
    line = line.rstrip(" .")
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def _starts_a_subject(line: str) -> bool:
    """Only a sentence that opens with its doer ("The Commission", "Member States")
    loses it; "To ensure …" or "Pilot scheme …" keep their first words."""
    first = line.split(" ", 1)[0]
    return first.lower() in ("the", "a", "an") or (first[:1].isupper()
                                                   and first.lower() not in ("to", "pilot"))
