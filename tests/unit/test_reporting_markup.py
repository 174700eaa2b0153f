"""The simple formatting of steering notes: blocks and runs, never markup."""

from __future__ import annotations

from briefing_app.reporting.markup import NoteBlock, Run, parse_inline, parse_note


def test_paragraphs_bullets_numbers_and_headings() -> None:
    note = parse_note("# Objective\nSecure support.\nSecond line.\n\n- one\n* two\n• three\n"
                      "1. first\n2) second\n\n\nClosing words.")
    assert [(b.kind, b.text, b.number) for b in note] == [
        ("heading", "Objective", None),
        ("paragraph", "Secure support.\nSecond line.", None),
        ("bullet", "one", None), ("bullet", "two", None), ("bullet", "three", None),
        ("numbered", "first", 1), ("numbered", "second", 2),
        ("paragraph", "Closing words.", None),
    ]


def test_bold_and_italic_runs() -> None:
    assert parse_inline("A **firm** line, *softly* and _quietly_, **very *much* so**.") == (
        Run("A "), Run("firm", bold=True), Run(" line, "), Run("softly", italic=True),
        Run(" and "), Run("quietly", italic=True), Run(", "), Run("very ", bold=True),
        Run("much", bold=True, italic=True), Run(" so", bold=True), Run("."),
    )


def test_markup_and_stray_marks_stay_text() -> None:
    assert parse_note("<b>R&D</b> 5 < 7 & <script>") == (
        NoteBlock("paragraph", (Run("<b>R&D</b> 5 < 7 & <script>"),)),)
    assert parse_inline("5 * 3 * 2 and snake_case_name and ** alone") == (
        Run("5 * 3 * 2 and snake_case_name and ** alone"),)
    assert parse_inline("*italic") == (Run("*italic"),)


def test_blank_notes_have_no_blocks() -> None:
    assert parse_note("") == ()
    assert parse_note(" \n\r\n  \t\n") == ()
