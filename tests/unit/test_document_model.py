"""The document model: lines and blocks with spans, whatever the letter's format."""

from __future__ import annotations

from briefing_app.corpus.blocks import Document, join_wrapped, marker_of

WRAPPED = """\
EUROPEAN COMMISSION
Ursula von der Leyen
The President
Brussels, 26 January 2023
Dear colleagues,
Migration is a European challenge for which we must provide a European
response. Last year saw heightened demands on our migration management.
Geopolitical instability intensifies pressures further.
These operational measures would allow us to address recent pressures:
1. Strengthening key external borders through targeted Union measures,
   combining Frontex deployments of personnel and equipment.
2. Reinforcing support for border management in partner countries:
   - Reinforced regional cooperation in the Mediterranean to strengthen
     coordination of search and rescue capacities.
   - Deployment of border guards from Frontex.
I. External borders
The EU has a common interest in strong external borders. This requires
ensuring early warning and deploying all means for constant and effec-
tive border management.
"""


def test_a_text_without_blank_lines_is_cut_into_its_paragraphs_items_and_headings() -> None:
    document = Document(WRAPPED)
    shape = [(b.kind, b.level, b.marker.written if b.marker else None, b.text[:40])
             for b in document.blocks]
    assert shape == [
        ("heading", 0, None, "EUROPEAN COMMISSION"),
        ("paragraph", 0, None, "Ursula von der Leyen"),
        ("paragraph", 0, None, "The President"),
        ("paragraph", 0, None, "Brussels, 26 January 2023"),
        ("paragraph", 0, None, "Dear colleagues,"),
        # a sentence that ends a full line may go on: it stays in its paragraph
        ("paragraph", 0, None, "Migration is a European challenge for wh"),
        ("paragraph", 0, None, "These operational measures would allow u"),
        ("item", 0, "1.", "Strengthening key external borders throu"),
        ("item", 0, "2.", "Reinforcing support for border managemen"),
        ("item", 1, "-", "Reinforced regional cooperation in the M"),
        ("item", 1, "-", "Deployment of border guards from Frontex"),
        ("heading", 0, None, "I. External borders"),
        ("paragraph", 0, None, "The EU has a common interest in strong e"),
    ]


def test_a_block_knows_its_span_and_joins_its_wrapped_lines() -> None:
    document = Document(WRAPPED)
    item = document.blocks[7]
    assert WRAPPED[item.start:item.end] == (
        "1. Strengthening key external borders through targeted Union measures,\n"
        "   combining Frontex deployments of personnel and equipment.")
    assert item.text == ("Strengthening key external borders through targeted Union measures, "
                         "combining Frontex deployments of personnel and equipment.")
    assert document.blocks[-1].text.endswith("constant and effective border management.")


def test_hyphenation_at_a_line_end_is_undone_but_a_real_hyphen_stays() -> None:
    assert join_wrapped(["the implemen-", "tation of the", "EU-", "Turkey Statement"]) == (
        "the implementation of the EU-Turkey Statement")


def test_markdown_emphasis_and_headings_are_read_not_kept() -> None:
    document = Document("### **I. External borders**\n\n"
                        "***Strengthening external borders** with the coordinated deployment*\n")
    heading, paragraph = document.blocks
    assert (heading.kind, heading.heading_level, heading.text) == (
        "heading", 3, "I. External borders")
    assert paragraph.bold_lead == "Strengthening external borders"
    assert paragraph.text == "Strengthening external borders with the coordinated deployment"


def test_list_markers_as_written() -> None:
    lines = Document("1) one\n(b) two\niv. three\n• four\nD. TUSK").lines
    found = [marker_of(line) for line in lines]
    assert [(m[0].written, m[0].style, m[0].value) if m else None for m in found] == [
        ("1)", "number", 1), ("(b)", "letter", 2), ("iv.", "roman", 4), ("•", "bullet", None),
        None,  # an initial in capitals is a name, not a list
    ]


def test_page_breaks_and_page_numbers_are_not_words() -> None:
    document = Document("First paragraph goes on\n\n..../...\n\n- 2 -\n\nSecond paragraph.\n")
    assert [b.text for b in document.blocks] == ["First paragraph goes on", "Second paragraph."]
