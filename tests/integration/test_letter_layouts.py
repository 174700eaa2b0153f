"""Layouts of real attachments: signature blocks side by side in a PDF or a Word table."""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from briefing_app import paths
from briefing_app.corpus.documents import docx_text, pdf_text
from briefing_app.corpus.parser import parse_letter

OPENING = ["Brussels, 7 October 2021", "Dear Commissioner,",
           "We call on the Commission to propose targeted measures for our external borders. " * 4,
           "Yours sincerely,"]
SIGNERS = [
    ("Mr Kalin Stoyanov", "Minister of Interior of the Republic of Bulgaria"),
    ("Mr Vít Rakušan", "Minister of the Interior of the Czech Republic"),
    ("Ms Agnė Bilotaitė", "Minister of Interior of the Republic of Lithuania"),
    ("Mr Gerhard Karner", "Federal Minister of Interior of Austria"),
]
EXPECTED = {
    ("Kalin Stoyanov", "Minister of Interior of the Republic of Bulgaria", "BG"),
    ("Vít Rakušan", "Minister of the Interior of the Czech Republic", "CZ"),
    ("Agnė Bilotaitė", "Minister of Interior of the Republic of Lithuania", "LT"),
    ("Gerhard Karner", "Federal Minister of Interior of Austria", "AT"),
}


def _signatories(text: str) -> set[tuple[str, str | None, str | None]]:
    letter = parse_letter(text)
    return {(r.name, r.title, r.country_code) for r in letter.people("signatory")}


def test_signature_blocks_side_by_side_in_a_pdf_are_read_one_column_after_the_other(
        tmp_path: Path) -> None:
    font = paths.resource("fonts", "DejaVuSans.ttf")
    pdfmetrics.registerFont(TTFont("LayoutSans", str(font)))
    style = ParagraphStyle("body", fontName="LayoutSans", fontSize=10, leading=12)
    story: list = [Paragraph(text, style) for text in OPENING] + [Spacer(1, 20)]
    rows = [[SIGNERS[0][0], SIGNERS[1][0]], [SIGNERS[0][1], SIGNERS[1][1]], ["", ""],
            [SIGNERS[2][0], SIGNERS[3][0]], [SIGNERS[2][1], SIGNERS[3][1]]]
    story.append(Table([[Paragraph(cell, style) for cell in row] for row in rows],
                       colWidths=[230, 230]))
    out = tmp_path / "grid.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    text = pdf_text(out.read_bytes(), out.name)
    assert "Mr Kalin Stoyanov Mr Vít Rakušan" not in text
    assert _signatories(text) == EXPECTED


def test_signature_blocks_in_a_word_table(tmp_path: Path) -> None:
    document = WordDocument()
    for text in OPENING:
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    for number, (name, title) in enumerate(SIGNERS):
        cell = table.cell(number // 2, number % 2)
        cell.paragraphs[0].add_run(name).bold = True
        cell.add_paragraph(title)
    out = tmp_path / "grid.docx"
    document.save(str(out))
    assert _signatories(docx_text(out.read_bytes(), out.name)) == EXPECTED


def test_two_names_run_together_name_nobody() -> None:
    text = "\n".join([*OPENING, "", "Mr Kalin Stoyanov Mr Vít Rakušan", ""])
    assert parse_letter(text).people("signatory") == []
