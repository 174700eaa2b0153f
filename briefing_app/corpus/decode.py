"""Read a letter file's bytes as text, or say clearly why it cannot be read.

Plain-text letters (.txt, .md) are decoded here; Word (.docx) and PDF letters
are turned into the same markdown-ish text by :mod:`briefing_app.corpus.documents`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from briefing_app.errors import InvalidInput

#: Encodings tried in order. Windows-1252 is what office laptops in the EU
#: save "ANSI" text as; Latin-1 never fails, so it comes last.
ENCODINGS = ("utf-8", "cp1252", "latin-1")

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCUMENT_SUFFIXES = (".docx", ".pdf")
LETTER_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
MAX_BYTES = 50 * 1024 * 1024


def _looks_binary(text: str) -> bool:
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v"
    )
    return controls > max(2, len(text) // 200)


def decode_letter(data: bytes, name: str) -> tuple[str, str]:
    """``(text, encoding)`` of a letter file's content.

    Raises :class:`InvalidInput` naming the file when it is empty, binary or
    not text in any encoding we know.
    """
    if not data.strip():
        raise InvalidInput(f"{name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{name}: not a text letter (the file holds binary data)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise InvalidInput(f"{name}: not a text letter (the file holds binary data)")
        if not text.strip():
            raise InvalidInput(f"{name}: the file is empty")
        return text, encoding
    raise InvalidInput(f"{name}: cannot read the text (unknown encoding)")  # pragma: no cover


def read_letter_file(path: Path) -> tuple[bytes, str, str]:
    """``(raw bytes, text, encoding)`` of the letter at ``path``.

    For a Word or PDF file the "encoding" is ``docx`` or ``pdf``: the text was
    extracted from the document, and the SHA-256 is of the file's bytes.
    """
    name = str(path)
    if not path.exists():
        raise InvalidInput(f"{name}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{name}: is a folder, not a letter file")
    suffix = path.suffix.lower()
    if suffix not in LETTER_SUFFIXES:
        allowed = ", ".join(LETTER_SUFFIXES)
        raise InvalidInput(f"{name}: unsupported file type {path.suffix or '(none)'!r} "
                           f"(letters are read from {allowed})")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInput(f"{name}: too large for a letter ({size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if suffix in DOCUMENT_SUFFIXES:
        from briefing_app.corpus.documents import docx_text, pdf_text

        if not data.strip():
            raise InvalidInput(f"{name}: the file is empty")
        if suffix == ".docx":
            return data, docx_text(data, name), "docx"
        return data, pdf_text(data, name), "pdf"
    text, encoding = decode_letter(data, name)
    return data, text, encoding
