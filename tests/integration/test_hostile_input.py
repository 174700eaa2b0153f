"""Hostile letters: each is imported or refused with a clear message, and whatever the
store holds prints in a pack literally (markup as typed) or, for characters no bundled
font can draw (CJK, emoji, right-to-left scripts), as one □ per character."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing_app.reporting.spec import AgendaNote, PackSpec, parse_sections
from briefing_app.services import Services
from tests.helpers.cli import cli
from tests.helpers.pdf import pdftotext

MARKUP = ("Use <b>bold</b> and <para>para</para> &bogus; &amp; <script>alert(1)</script> "
          "<font color=red>x</font> & < > ]]> <!-- -->")
TOKEN = "A" * 30_000


def letter(body: str) -> str:
    return (f"Brussels, 3 March 2024\n\nDear Minister,\n\n{body}\n\n"
            "Yours sincerely,\n\nAnna Example\n")


def _import(services: Services, path: Path) -> tuple[str, str | None, int | None]:
    result = services.letters.import_file(path) if path.exists() else None
    assert result is not None
    return result.outcome, result.message, result.letter_id


@pytest.mark.parametrize(("name", "content", "encoding", "body"), [
    ("markup.txt", letter(MARKUP).encode(), "utf-8", MARKUP),
    ("token.txt", letter(TOKEN).encode(), "utf-8", TOKEN),
    ("cp1252.txt", letter("Vít Rakušan – Agnès’s “letter” costs €5").encode("cp1252"),
     "cp1252", "Vít Rakušan – Agnès’s “letter” costs €5"),
    ("latin1.txt", letter("Café \x81 naïve").encode("latin-1"), "latin-1", "Café \x81 naïve"),
    ("rtl.txt", letter("مرحبا بالعالم — שלום עולם").encode(), "utf-8",
     "مرحبا بالعالم — שלום עולם"),
    ("cjk.txt", letter("移民政策 日本語のテキスト 한국어").encode(), "utf-8",
     "移民政策 日本語のテキスト 한국어"),
    ("emoji.txt", letter("Migration 🚀🇪🇺 👍🏽").encode(), "utf-8", "Migration 🚀🇪🇺 👍🏽"),
])
def test_hostile_text_is_imported_exactly(services: Services, tmp_path: Path, name: str,
                                          content: bytes, encoding: str, body: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = services.letters.import_file(path)
    assert result.outcome == "imported"
    assert result.letter_id is not None
    stored = services.letters.get(result.letter_id)
    assert stored.encoding == encoding
    assert stored.text == letter(body)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "{file}: the file is empty"),
    (b"\n \n\t", "{file}: the file is empty"),
    (bytes(range(256)) * 20, "{file}: not a text letter (the file holds binary data)"),
    (b"\x7fELF\x02\x01\x01" + bytes(500), "{file}: not a text letter (the file holds binary data)"),
])
def test_empty_and_binary_files_are_refused(tmp_path: Path, seeded_path: Path,
                                            content: bytes, message: str) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(content)
    before = cli("--db", seeded_path, "list", "letters", "--format", "json").json()
    result = cli("--db", seeded_path, "import", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"briefing-app: {message.format(file=path)}\n"
    assert cli("--db", seeded_path, "list", "letters", "--format", "json").json() == before


@pytest.mark.slow
def test_a_ten_megabyte_letter_is_imported_and_searchable(services: Services,
                                                          tmp_path: Path) -> None:
    paragraph = ("The partner country agreed to step up returns and readmission with "
                 "Frontex support, zanzibarquux. ") * 12
    body = "\n\n".join([paragraph.strip()] * (10_000_000 // len(paragraph) + 2))
    path = tmp_path / "big.txt"
    path.write_text(letter(body), encoding="utf-8")
    assert path.stat().st_size >= 10_000_000
    result = services.letters.import_file(path)
    assert result.outcome == "imported"
    assert result.letter_id is not None
    assert len(services.letters.get(result.letter_id).text) == len(letter(body))
    hits = services.search.search("zanzibarquux", limit=3)
    assert [h.letter_id for h in hits] == [result.letter_id] * 3


def test_the_pack_prints_hostile_text_literally(services: Services, tmp_path: Path) -> None:
    bodies = {
        "markup.txt": MARKUP, "token.txt": TOKEN, "cjk.txt": "移民政策 テキスト",
        "rtl.txt": "שלום עולם", "emoji.txt": "Migration 🚀 family",
        "latin1.txt": "Café naïve",
    }
    ids = []
    for name, body in bodies.items():
        path = tmp_path / name
        path.write_text(letter(body), encoding="utf-8" if name != "latin1.txt" else "latin-1")
        result = services.letters.import_file(path)
        assert result.letter_id is not None
        ids.append(result.letter_id)
    spec = PackSpec(title=f"Hostile {MARKUP}",
                    sections=parse_sections("cover,lines-to-take,annexes:"
                                            + "+".join(str(i) for i in ids)),
                    notes=(AgendaNote(0, f"**Steer** {MARKUP} 😀 {TOKEN[:3000]}", None),),
                    classification="RESTRICTED <b>&bogus;</b>")
    build = services.packs.build(spec, tmp_path / "pack.pdf")
    assert build.page_count > 3
    printed = pdftotext(tmp_path / "pack.pdf")
    flat = printed.replace("\n", " ")
    assert "Use <b>bold</b> and <para>para</para> &bogus; &amp; <script>alert(1)</script>" \
        in flat
    assert "RESTRICTED <b>&bogus;</b>" in printed
    # the long token (and the note's 3,000-letter piece of it), wrapped across lines and pages
    assert sum(len(run) for run in re.findall(r"A{20,}", printed)) == len(TOKEN) + 3000
    assert "Café naïve" in printed
    assert "□□□□ □□□□" in printed  # the CJK letter: one box per character
    assert "□□□□ □□□□" in printed  # Hebrew (right to left): boxes, never reversed letters
    assert "Migration □ family" in printed
    for absent in ("移", "ש", "🚀"):
        assert absent not in printed
