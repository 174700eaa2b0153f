from __future__ import annotations

from pathlib import Path

import pytest

from briefing_app.corpus.decode import decode_letter, read_letter_file
from briefing_app.errors import InvalidInput

BINARY = "a.txt: not a text letter (the file holds binary data)"


def test_utf8_with_and_without_bom() -> None:
    assert decode_letter("Vít Rakušan".encode(), "a.txt") == ("Vít Rakušan", "utf-8")
    assert decode_letter(b"\xef\xbb\xbf" + "Agnė".encode(), "a.txt") == ("Agnė", "utf-8")


def test_windows_1252_keeps_accents_and_typographic_quotes() -> None:
    data = "Vít Rakušan – Agnès Diallo’s letter".encode("cp1252")
    assert decode_letter(data, "a.txt") == ("Vít Rakušan – Agnès Diallo’s letter", "cp1252")


def test_latin1_when_cp1252_cannot_decode() -> None:
    data = b"Caf\xe9 \x81"  # 0x81 is undefined in Windows-1252
    assert decode_letter(data, "a.txt") == ("Café \x81", "latin-1")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "a.txt: the file is empty"),
    (b"  \n\t\n", "a.txt: the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BINARY),
    (bytes(range(1, 32)) * 40, BINARY),
])
def test_unreadable_content_is_refused_with_the_file_name(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_letter(data, "a.txt")
    assert str(caught.value) == message


def test_files_that_are_not_letters(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"missing\.txt: no such file"):
        read_letter_file(tmp_path / "missing.txt")
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK")
    with pytest.raises(InvalidInput, match=r"table\.xlsx: unsupported file type '\.xlsx'"):
        read_letter_file(sheet)
