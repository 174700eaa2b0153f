"""Letters received as Word documents and as PDFs read like their .txt originals."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from briefing_app.corpus.decode import read_letter_file
from briefing_app.corpus.documents import Segment, docx_text, markdown_line, pdf_text
from briefing_app.errors import InvalidInput
from briefing_app.services import Services, open_services
from tests.conftest import TODAY
from tests.helpers.cli import cli
from tests.helpers.letters import seed_as_docx, seed_as_pdf
from tests.helpers.store import LETTER_002, LETTER_003, LETTER_004, SEED_DIR, dump, seed_text

SEED_NAMES = sorted(p.name for p in SEED_DIR.glob("*.txt"))


def structured(services: Services) -> dict[str, Any]:
    """What the parser read from the letters, without ids, file names or texts."""
    letters = services.letters.list()
    number = {letter.id: n for n, letter in enumerate(letters)}
    return {
        "letters": [(x.title, x.date, x.place, x.kind, x.reference) for x in letters],
        "roles": [[(r.role, r.name, r.name_as_written, r.honorific, r.title, r.organisation,
                    r.country) for r in services.letters.get(x.id).roles] for x in letters],
        "action_points": [(number[p.letter_id], p.number, p.title, p.text, p.status, p.rag)
                          for p in services.tracking.action_points()],
        "measures": [(number[m.letter_id], m.number, m.section, m.section_title, m.text,
                      m.deadline, m.due_date, m.lead_actors, m.status)
                     for m in services.tracking.measures()],
        "people": [(p.name, p.honorific, p.organisation, p.country, p.country_code,
                    [(number[r.letter_id], r.role, r.title) for r in p.roles])
                   for p in services.catalogue.people()],
    }


def import_all(store: Path, files: list[Path]) -> dict[str, Any]:
    result = cli("--db", store, "import", *files, "--format", "json")
    assert result.code == 0, result.err
    assert [r["outcome"] for r in result.json()] == ["imported"] * len(files)
    services = open_services(store, create=False, today=TODAY)
    try:
        return structured(services)
    finally:
        services.close()


@pytest.fixture(scope="module")
def from_txt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    store = tmp_path_factory.mktemp("txt") / "txt.sqlite3"
    open_services(store).close()
    return import_all(store, [SEED_DIR / name for name in SEED_NAMES])


@pytest.mark.parametrize(("suffix", "save"), [("docx", seed_as_docx), ("pdf", seed_as_pdf)])
def test_seed_letters_as_docx_and_pdf_give_the_same_facts(
        tmp_path: Path, empty_path: Path, from_txt: dict[str, Any], suffix: str,
        save: Any) -> None:
    files = [save(seed_text(name), tmp_path / f"{Path(name).stem}.{suffix}")
             for name in SEED_NAMES]
    facts = import_all(empty_path, files)
    assert facts == from_txt
    # the facts themselves, to be sure they are not both empty
    assert len(facts["action_points"]) == 10
    assert facts["action_points"][0][1:3] == (
        1, "Accelerate the implementation of the Pact on Migration and Asylum")
    assert len(facts["measures"]) == 15
    five = facts["measures"][4]
    assert five[1:4] == (5, "II", "Border procedure and expedited returns")
    assert five[5:7] == ("in the first half of 2023", date(2023, 6, 30))
    assert facts["measures"][1][4].count("\n- ") == 2  # measure 2 keeps its two sub-points
    assert len(facts["people"]) == 30
    names = {person[0] for person in facts["people"]}
    assert {"Vít Rakušan", "Agnė Bilotaitė", "Marian-Cătălin Predoiu",
            "Ursula von der Leyen"} <= names
    services = open_services(empty_path, create=False)
    try:
        letters = services.letters.list()
        details = [services.letters.get(x.id) for x in letters]
    finally:
        services.close()
    assert {d.encoding for d in details} == {suffix}
    assert {(x.source_name, x.sha256) for x in letters} == {
        (f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in files}


def test_the_same_document_twice_changes_nothing(empty_path: Path, tmp_path: Path) -> None:
    letter = seed_as_docx(seed_text(LETTER_003), tmp_path / "ten-points.docx")
    assert cli("--db", empty_path, "import", letter).code == 0
    before = dump(empty_path)
    again = cli("--db", empty_path, "import", letter)
    assert again.code == 0
    assert again.out == f"{letter}: unchanged (already in the store as letter 1)\n"
    assert dump(empty_path) == before


def scanned_pdf(path: Path) -> Path:
    """A page with only a picture on it, as a scanner makes: no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 700, 24):
        draw.line((60, y, 540, y), fill=40, width=6)  # lines of "text" as pixels
    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawInlineImage(image, 40, 40, width=500, height=700)
    page.showPage()
    page.save()
    return path


def test_a_scanned_pdf_is_refused_clearly(seeded_path: Path, tmp_path: Path) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf")
    before = dump(seeded_path)
    result = cli("--db", seeded_path, "import", scan)
    assert result.code == 1
    assert result.out == ""
    assert result.err == (f"briefing-app: {scan}: no text layer in this PDF (a scanned "
                          "image?); import a text-based PDF or the original Word file\n")
    assert dump(seeded_path) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("letter.docx", b"PK\x03\x04 but not a zip", "not a Word document that can be read"),
    ("letter.pdf", b"%PDF-1.4\n garbage", "not a PDF that can be read"),
    ("letter.pdf", b"", "the file is empty"),
])
def test_broken_documents_are_refused_by_name(tmp_path: Path, name: str, data: bytes,
                                              message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        read_letter_file(path)
    assert str(caught.value).startswith(f"{path}: {message}")


# ------------------------------------------------------------------------- Word details


def _save(document: Any, path: Path) -> bytes:
    document.save(str(path))
    return path.read_bytes()


def test_word_lists_headings_emphasis_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("I. External borders", level=3)
    intro = document.add_paragraph()
    intro.add_run("Dear ")
    intro.add_run("colleagues").italic = True
    intro.add_run(",")
    heading = document.add_paragraph()
    heading.add_run("- Tackle people smuggling").bold = True
    document.add_paragraph("Strengthening borders", style="List Number")
    document.add_paragraph("Frontex deployments", style="List Bullet 2")
    document.add_paragraph("Reinforcing support", style="List Number")
    signature = document.add_paragraph("Mr Gerhard Karner")
    signature.add_run().add_break()
    signature.add_run("Federal Minister of Interior")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Brussels, 15/3/2024"
    table.cell(0, 1).text = "Ares (2024)2211517"
    text = docx_text(_save(document, tmp_path / "a.docx"), "a.docx")
    assert text == (
        "### I. External borders\n\n"
        "Dear *colleagues*,\n\n"
        "**- Tackle people smuggling**\n\n"
        "1. Strengthening borders\n"
        "  - Frontex deployments\n"
        "2. Reinforcing support\n\n"
        "Mr Gerhard Karner\nFederal Minister of Interior\n\n"
        "Brussels, 15/3/2024\n\n"
        "Ares (2024)2211517\n")


def test_a_word_document_without_text_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(InvalidInput, match=r"^empty\.docx: the Word document holds no text$"):
        docx_text(_save(document, tmp_path / "empty.docx"), "empty.docx")


def test_markdown_lines_close_their_emphasis() -> None:
    assert markdown_line([Segment("- "), Segment("Strengthening borders", True, True),
                          Segment(" with the deployment", False, True)]) == \
        "- ***Strengthening borders*** *with the deployment*"
    assert markdown_line([Segment("a ", italic=True), Segment(" ", bold=True),
                          Segment("b", italic=True)]) == "*a  b*"
    assert markdown_line([Segment("  "), Segment("plain ")]) == "  plain"


# --------------------------------------------------------------------------- PDF details


def _pdf_text_of(text: str, path: Path) -> str:
    seed_as_pdf(text, path)
    return pdf_text(path.read_bytes(), path.name)


def test_pdf_paragraphs_wrap_back_together(tmp_path: Path) -> None:
    text = _pdf_text_of(seed_text(LETTER_004), tmp_path / "annex.pdf")
    lines = text.splitlines()
    measure_12 = next(line for line in lines if line.startswith("12. "))
    assert measure_12.endswith("The Commission will also advance Frontex agreements with "
                               "Mauritania and Senegal.")
    assert "## **I. External borders**" in lines
    assert lines[:4] == ["EUROPEAN COMMISSION", "", "Ursula von der Leyen", "The President"]


def test_a_letter_spread_over_pages_keeps_its_signatories(tmp_path: Path) -> None:
    path = tmp_path / "joint.pdf"
    text = _pdf_text_of(seed_text(LETTER_002), path)
    assert len(PdfReader(path).pages) >= 2
    assert "Mr Marian-Cătălin Predoiu\nDeputy Prime Minister and Minister of Internal\n" \
           "Affairs of Romania" in text
