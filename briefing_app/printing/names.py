"""Safe names for what is sent to CUPS: the job name, and the document file under it.

A pack's title (``"2024-04-29 Ministerial conference - pack v1.pdf"``) is not
what CUPS should be given: :func:`safe_job_name` makes a short ASCII name of it,
and :func:`document_named` puts the PDF under that name for ``lp``, which sends
the file's own name as the document name (and a space in that name crashed
Debian's cupsd 2.4.2).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Longest job name sent to CUPS (characters).
MAX_JOB_NAME = 60
FALLBACK_JOB_NAME = "briefing-pack"

_FOLDED = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-",
})


def safe_job_name(title: str, limit: int = MAX_JOB_NAME) -> str:
    """A short ASCII job name for CUPS: letters, digits, ``.``, ``_`` and ``-`` only.

    ``"2024-04-29 Ministerial conference - pack v1.pdf"`` gives
    ``"2024-04-29_Ministerial_conference-pack_v1"``: a trailing ``.pdf`` is
    dropped, accents are folded (Rakušan → Rakusan), spaces and any other
    character become ``_``, separators around a ``-`` merge into it, and the name
    is cut at ``limit`` characters. It is never empty.
    """
    text = re.sub(r"\.pdf\s*$", "", title.strip(), flags=re.IGNORECASE)
    text = unicodedata.normalize("NFKD", text.translate(_FOLDED))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLDED)
    text = re.sub(r"[^A-Za-z0-9.\-]+", "_", text)
    text = re.sub(r"[_.]*-[-_.]*", "-", text)   # "_-_" and "--" become "-"
    text = re.sub(r"_{2,}", "_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = text.strip("._-")
    if len(text) > limit:
        cut = text[:limit]
        boundary = max(cut.rfind("_"), cut.rfind("-"))
        text = (cut[:boundary] if boundary >= limit // 2 else cut).rstrip("._-")
    return text or FALLBACK_JOB_NAME


@contextmanager
def document_named(path: Path, name: str) -> Iterator[Path]:
    """The PDF at ``path`` as ``NAME.pdf`` in a private folder, while the block runs.

    lp sends the file's own name as the document name, and Debian's cupsd 2.4.2
    segfaults on a document name with a space (measured on a cups-pdf queue:
    "a b.pdf" kills the scheduler, "a_b.pdf" prints). So lp is given the file
    under the safe job name, through a link in a private folder (a copy where
    symbolic links cannot be made); the folder goes when the block ends.
    """
    with tempfile.TemporaryDirectory(prefix="briefing-print-") as folder:
        document = Path(folder) / f"{name}.pdf"
        try:
            document.symlink_to(path.resolve())
        except OSError:  # no symbolic links here: a copy does as well
            shutil.copyfile(path, document)
        yield document
