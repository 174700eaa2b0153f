"""Property tests: the decoder, the parser and the pack's text never crash on any input.

Examples are kept modest (CI runs them every time); hypothesis shrinks a failure
to its smallest input and prints it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_app.corpus.decode import decode_letter
from briefing_app.corpus.parser import parse_letter
from briefing_app.errors import InvalidInput, UserError
from briefing_app.reporting.fonts import MISSING_GLYPH, printable_codepoints
from briefing_app.reporting.markup import parse_note

#: Text shaped like letters: their words, markup, entities, other scripts, junk.
PIECES = st.sampled_from([
    "Brussels, 3 March 2024", "15/3/2024", "Dear Minister,", "Yours sincerely,",
    "**1. Returns**", "# Annex", "  - Frontex", "..../...", "<b>", "</para>", "&bogus;",
    "&amp;", "<script>", "Ares (2024)2211517", "cc:", "Annex I", "移民", "שלום", "🚀",
    "\u200d", "\ufeff", "\t", "\r\n", "\n\n", "Vít Rakušan", "A" * 300, "*", "_", "#",
])
LETTERISH = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_a_clear_refusal(data: bytes) -> None:
    try:
        text, encoding = decode_letter(data, "x.txt")
    except InvalidInput as exc:
        assert exc.message.startswith("x.txt: ")
        return
    assert encoding in ("utf-8", "cp1252", "latin-1")
    assert text.strip()


@settings(max_examples=100, deadline=None)
@given(LETTERISH)
def test_the_parser_never_crashes_and_keeps_spans_inside_the_text(text: str) -> None:
    parsed = parse_letter(text)
    assert parsed.text == text
    assert parsed.title
    for paragraph in parsed.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(text)
    for role in parsed.roles:
        assert 0 <= role.start <= role.end <= len(text)
    for annex in parsed.annexes:
        assert 0 <= annex.start <= annex.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_notes_parse_into_blocks_that_keep_every_visible_character(text: str) -> None:
    blocks = parse_note(text)
    kept = "".join(block.text for block in blocks)
    for ch in "<>&;":
        assert kept.count(ch) <= text.count(ch)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_pack_text_is_markup_free_and_printable(value: str) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefing_app.reporting.flowables import lines, text
    from briefing_app.reporting.fonts import SERIF, register_fonts

    register_fonts()
    style = ParagraphStyle("p", fontName=SERIF)
    for markup in (text(value), lines(value)):
        paragraph = Paragraph(markup, style)  # raises on any markup it cannot parse
        paragraph.wrap(300, 10_000)
        drawn = paragraph.getPlainText()
        assert all(ord(ch) in printable_codepoints() or ch == MISSING_GLYPH or ch.isspace()
                   for ch in drawn)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(title=LETTERISH.filter(lambda t: t.strip() != ""), note=LETTERISH)
def test_the_pack_builder_builds_whatever_the_store_holds(seeded_path: Path, tmp_path: Path,
                                                          title: str, note: str) -> None:
    from briefing_app.reporting.spec import AgendaNote, PackSpec, parse_sections
    from briefing_app.services import open_services

    services = open_services(seeded_path, create=False)
    try:
        letter = tmp_path / "letter.txt"
        letter.write_text(f"Brussels, 3 March 2024\n\n{note}\n\n{title}\n", encoding="utf-8")
        sections = "cover,lines-to-take"
        try:
            result = services.letters.import_file(letter)
        except UserError as exc:  # binary junk or an empty file: a clear refusal is fine
            assert exc.message.startswith(f"{letter}: ")
        else:
            sections += f",annexes:{result.letter_id}"
        build = services.packs.build(
            PackSpec(title=title[:200], sections=parse_sections(sections),
                     notes=(AgendaNote(0, note or None, None),), classification=title[:40]),
            tmp_path / "pack.pdf")
        assert build.page_count >= 1
    finally:
        services.close()
