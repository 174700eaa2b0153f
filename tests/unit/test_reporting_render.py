"""Flowables and rendering: escaping, fonts, robustness, identical bytes, and lazy imports."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.errors import BuildCancelled
from briefing_app.reporting.content import (
    AnnexesSection,
    AnnexLetter,
    ContentsSection,
    CoverSection,
    PackContent,
)
from briefing_app.reporting.flowables import clip, fit, lines, pieces, text
from briefing_app.reporting.fonts import SANS
from briefing_app.reporting.render import render_pack

REPO = Path(__file__).resolve().parents[2]


def test_text_is_escaped_and_cleaned() -> None:
    assert text("<b>R&D</b> 5 < 7 & <script>") == (
        "&lt;b&gt;R&amp;D&lt;/b&gt; 5 &lt; 7 &amp; &lt;script&gt;")
    assert text("a\x00b\x0cc\td\ud800e\nf") == "a b c d e f"
    assert lines("one & two\r\nthree") == "one &amp; two<br/>three"
    assert clip("  many\n  words  ", 160) == "many words"
    assert clip("x" * 200, 10) == "xxxxxxxxx…"


def test_long_text_is_laid_out_in_pieces_and_loses_nothing() -> None:
    value = "Dear all,\n\n" + " ".join(f"w{n}" for n in range(3000)) + "\nlast line\n\n\nEnd"
    found = pieces(value, size=500)
    assert all(len(piece) <= 500 for piece, _ in found)
    assert [ends for _, ends in found].count(True) == 3  # three paragraphs
    assert " ".join(" ".join(p.split()) for p, _ in found) == " ".join(value.split())
    assert pieces("x" * 1200, size=500) == [("x" * 500, False), ("x" * 500, False),
                                             ("x" * 200, True)]


def test_fit_cuts_to_a_width() -> None:
    from briefing_app.reporting.fonts import register_fonts

    register_fonts()
    assert fit("short", SANS, 8, 200) == "short"
    cut = fit("a very long running header " * 10, SANS, 8, 100)
    assert cut.endswith("…") and len(cut) < 40


def _content(letter_text: str, title: str = "Annex", *, draft: bool = False) -> PackContent:
    letter = AnnexLetter("A", 1, title, None, None, "letter", None, "x.txt", "0" * 64,
                         letter_text, ())
    return PackContent(
        pack_id=1, version=1, title="Robust", meeting=None, classification="UNCLASSIFIED",
        draft=draft, paper="a4", generated_on=date(2025, 1, 15), data_as_of=None,
        sections=(CoverSection("cover", "Cover", "Robust", "Prepared", (("Pack", "x"),), ()),
                  ContentsSection("contents", "Contents"),
                  AnnexesSection("annexes", "Annexes: source letters", (letter,))))


def test_nothing_stored_can_break_the_layout() -> None:
    giant_word = "Ж" * 20_000
    one_paragraph = " ".join(["ăėńć ΩΔ"] * 40_000)  # one line of 280,000 characters
    title = "<b>" + "Very long title " * 400 + "</b>"
    out = io.BytesIO()
    result = render_pack(_content(f"{giant_word}\n\n{one_paragraph}\n\f\x00end", title), out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert result.page_count == len(reader.pages) > 20
    assert "end" in reader.pages[-1].extract_text()


def test_the_same_content_gives_the_same_bytes_wherever_it_is_written(
        tmp_path: Path) -> None:
    content = _content("Dear colleagues,\n\nText.", draft=True)
    render_pack(content, tmp_path / "a.pdf")
    (tmp_path / "elsewhere").mkdir()
    render_pack(content, tmp_path / "elsewhere" / "b.pdf")
    memory = io.BytesIO()
    render_pack(content, memory)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "elsewhere" / "b.pdf").read_bytes()
    assert memory.getvalue() == (tmp_path / "a.pdf").read_bytes()
    assert b"/CreationDate (D:20000101000000+00'00')" in memory.getvalue()


def test_cancelling_stops_the_layout() -> None:
    with pytest.raises(BuildCancelled, match=r"^pack build cancelled: nothing was written$"):
        render_pack(_content("Text."), io.BytesIO(), cancelled=lambda: True)


@pytest.mark.parametrize("module", ["briefing_app.services", "briefing_app.cli",
                                    "briefing_app.reporting.spec",
                                    "briefing_app.reporting.sections",
                                    "briefing_app.reporting.composer",
                                    "briefing_app.services.tables",
                                    "briefing_app.corpus.decode"])
def test_start_up_imports_neither_reportlab_nor_the_orm(module: str) -> None:
    heavy = ('reportlab', 'sqlmodel', 'sqlalchemy', 'PySide6', 'pandas', 'openpyxl', 'docx',
             'pypdf', 'sqlcipher3')
    code = (f"import sys, {module}; "
            "print(sorted(m for m in sys.modules "
            f"if m.split('.')[0] in {heavy!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_a_paragraph_breaks_its_lines_once_per_width_as_platypus_does() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as PlainParagraph

    from briefing_app.reporting.flowables.paragraph import Paragraph
    from briefing_app.reporting.fonts import SANS, register_fonts

    register_fonts()
    style = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13)
    words = ("The Commission will launch new anti-smuggling partnerships with Tunisia and "
             "Egypt in 2023, building on those in place with Morocco, Niger, and the Western "
             "Balkans, with the support of Europol and Eurojust. ") * 3
    ours, plain = Paragraph(words, style), PlainParagraph(words, style)
    breaks = 0
    original = ours.breakLines

    def counted(widths: list[float]) -> object:
        nonlocal breaks
        breaks += 1
        return original(widths)

    ours.breakLines = counted  # type: ignore[method-assign]
    for width in (300.0, 300.0, 180.0, 300.0, 180.0):
        assert ours.wrap(width, 800) == plain.wrap(width, 800)
        assert [line.words if hasattr(line, "words") else line for line in ours.blPara.lines] \
            == [line.words if hasattr(line, "words") else line for line in plain.blPara.lines]
    assert breaks == 2  # once for 300 points, once for 180
    # a split (a page ends inside it) gives the same parts as platypus' own
    assert [part.wrap(300, 800) for part in ours.split(300, 60)] == \
        [part.wrap(300, 800) for part in plain.split(300, 60)]


def test_every_character_the_layout_prints_is_seeded_before_it() -> None:
    """The flowables print characters of their own (bullets, squares, arrows…); a canvas
    seeded without one would code it differently from the others, so each is listed."""
    from briefing_app.reporting.fonts import MISSING_GLYPH
    from briefing_app.reporting.pages import LAYOUT_CHARACTERS

    folder = REPO / "briefing_app" / "reporting"
    printed = {c for path in [*folder.glob("flowables/*.py"), folder / "render.py"]
               for c in path.read_text(encoding="utf-8") if not c.isascii()}
    assert printed and printed <= set(LAYOUT_CHARACTERS) - {"\u00a0"}, \
        printed - set(LAYOUT_CHARACTERS)
    assert MISSING_GLYPH in LAYOUT_CHARACTERS


def test_a_character_no_seed_held_is_found_and_the_pack_laid_out_again(
        tmp_path: Path) -> None:
    """A character the content's text does not show (here: the layout's own, struck from
    the seed) is met at layout; the pack is laid out again with it, and is the same."""
    from briefing_app.reporting import pages

    content = _content("Dear colleagues,\n\nText.")
    render_pack(content, tmp_path / "seeded.pdf")
    original = pages.LAYOUT_CHARACTERS
    pages.LAYOUT_CHARACTERS = original.replace("“", "").replace("”", "")  # the cover's quotes
    try:
        render_pack(content, tmp_path / "found.pdf")
    finally:
        pages.LAYOUT_CHARACTERS = original
    assert (tmp_path / "found.pdf").read_bytes() == (tmp_path / "seeded.pdf").read_bytes()


def test_the_page_cache_gives_back_exactly_what_it_was_given(tmp_path: Path) -> None:
    from reportlab.lib.colors import Color

    from briefing_app.reporting.page_cache import PageCache
    from briefing_app.reporting.pages import Call, RecordedPage, SectionPages, TocEntry

    parts = [SectionPages(
        "sources",
        (RecordedPage("BT /F1+0 9 Tf (x) Tj ET", (
            Call("linkRect", ("", "source-3", (1.5, 2.25, 30.0, 40.125), 1, None),
                 (("relative", 0), ("color", Color(0.1, 0.2, 0.3, 1)), ("dashArray", None))),
            Call("bookmarkPage", ("source-3",), (("fit", "XYZ"), ("top", 700.5))),
            Call("addOutlineEntry", ("Sources · Žilina", "section-sources", 0, False))),
            ("Sources", None)),),
        (TocEntry(0, "Sources &amp; notes", 0, "section-sources"),),
        frozenset({"DejaVuSans"}), frozenset({"●"}))]
    cache = PageCache(tmp_path / "pages", limit=10_000)
    cache.put("k1", parts)
    assert cache.get("k1") == parts
    assert cache.get("k2") is None
    (tmp_path / "pages" / "k1.pages").write_bytes(b"\x00garbage")
    assert cache.get("k1") is None and not (tmp_path / "pages" / "k1.pages").exists()
    for number in range(40):  # the oldest entries go once the folder is over its limit
        cache.put(f"key{number:02d}", parts)
    kept = sorted(path.stem for path in (tmp_path / "pages").iterdir())
    total = sum(path.stat().st_size for path in (tmp_path / "pages").iterdir())
    assert total <= 10_000 and kept[-1] == "key39" and "key00" not in kept
