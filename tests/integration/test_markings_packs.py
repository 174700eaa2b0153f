"""The marking a pack is built with prints exactly, whole and readable, on every page."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

from briefing_app.domain.markings import EU_MARKINGS
from briefing_app.reporting.fonts import SANS_BOLD, register_fonts
from briefing_app.reporting.furniture import marking_lines
from briefing_app.reporting.spec import PackSpec, parse_sections
from briefing_app.services import Services
from briefing_app.services.markings import save_settings, settings_path
from tests.helpers.cli import cli, cli_process
from tests.helpers.pdf import page_texts

VS = "VS – NUR FÜR DEN DIENSTGEBRAUCH"
#: A long national marking (80 characters, the most a pack takes).
LONG = "GEHEIM – AMTLICH GEHEIMGEHALTEN – NUR FÜR DEN DIENSTGEBRAUCH – NICHT WEITERGEBEN"
SECTIONS = "cover,contents,measures:1-3,annexes:1"
A4_USABLE = 595.2756 - 2 * 56.6929  # the page width between the margins, in points


def build(services: Services, out: Path, marking: str, sections: str = SECTIONS) -> list[str]:
    services.packs.build(PackSpec(meeting_id=1, sections=parse_sections(sections),
                                  classification=marking), out)
    return page_texts(out)


def marking_lines_on(page: str, marking: str) -> int:
    """How many lines of a page are exactly ``marking`` (a longer one does not count)."""
    return sum(1 for line in page.splitlines() if line.strip() == marking)


def word_boxes(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page: every word with its top and height in points (poppler's bounding boxes,
    whose height is the type size)."""
    html = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(pdf), "-"],
                          capture_output=True, check=True, text=True, timeout=120).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", html, flags=re.S):
        pages.append([(word, float(y_min), float(y_max) - float(y_min)) for y_min, y_max, word
                      in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                                    r'yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def test_limite_prints_exactly_on_every_page(services: Services, tmp_path: Path) -> None:
    out = tmp_path / "limite.pdf"
    pages = build(services, out, "LIMITE")
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert marking_lines_on(page, "LIMITE") >= 2, number  # top and bottom
        assert "LIMITED" not in page, number
    # the cover also states it in its facts and beside FINAL/DRAFT
    assert marking_lines_on(pages[0], "LIMITE") == 4
    assert "CLASSIFICATION LIMITE" in " ".join(pages[0].split())


def test_a_national_marking_prints_exactly_whole_and_full_size(
        services: Services, tmp_path: Path) -> None:
    save_settings([VS])
    out = tmp_path / "vs.pdf"
    pages = build(services, out, "  VS  –  NUR FÜR\tDEN DIENSTGEBRAUCH ")
    for number, page in enumerate(pages, start=1):
        assert marking_lines_on(page, VS) >= 2, number
        assert "DIENSTGEBRAUCH…" not in page and "DIENST…" not in page
    assert marking_lines_on(pages[0], VS) == 4
    assert f"CLASSIFICATION {VS}" in " ".join(pages[0].split())
    [latest] = services.packs.pack(1).builds
    assert latest.options["classification"] == VS  # kept as typed, whitespace collapsed
    # the furniture prints the marking at its full 8.5 pt on every page
    for number, words in enumerate(word_boxes(out), start=1):
        heights = [height for word, top, height in words if word == "DIENSTGEBRAUCH"
                   and (top < 40 or top > 800)]  # the top and bottom lines of an A4 page
        assert len(heights) == 2, number
        assert heights == [8.5, 8.5], number  # poppler's box is the type size


def test_a_long_marking_is_never_cut(services: Services, tmp_path: Path) -> None:
    assert len(LONG) == 80
    out = tmp_path / "long.pdf"
    pages = build(services, out, LONG, "cover,measures:1")
    for number, page in enumerate(pages, start=1):
        assert marking_lines_on(page, LONG) >= 2, number
    for number, words in enumerate(word_boxes(out), start=1):
        heights = [height for word, top, height in words if word == "WEITERGEBEN"
                   and (top < 40 or top > 800)]
        assert heights == [8.5, 8.5], number


def test_marking_lines_shrink_a_little_or_wrap_but_never_cut() -> None:
    register_fonts()
    assert marking_lines(VS, A4_USABLE) == (8.5, [VS])
    assert marking_lines("UNCLASSIFIED", A4_USABLE) == (8.5, ["UNCLASSIFIED"])
    assert marking_lines(LONG, A4_USABLE) == (8.5, [LONG])
    assert marking_lines(LONG, 400) == (7.0, [LONG])
    size, lines = marking_lines(LONG, 300)
    assert size >= 6.5 and len(lines) == 2 and " ".join(lines) == LONG
    size, lines = marking_lines("W" * 80, A4_USABLE)  # one run too wide for a line
    assert size == 6.5 and len(lines) == 2 and "".join(lines) == "W" * 80
    from reportlab.pdfbase.pdfmetrics import stringWidth
    assert all(stringWidth(line, SANS_BOLD, size) <= A4_USABLE for line in lines)


def test_the_default_file_name_carries_the_version_to_come(services: Services,
                                                          tmp_path: Path) -> None:
    spec = PackSpec(meeting_id=1, sections=parse_sections("cover"))
    assert services.packs.file_name(spec) == "2024-04-29 Ministerial Conference - pack v1.pdf"
    services.packs.build(spec, tmp_path / "first.pdf")
    assert services.packs.file_name(spec) == "2024-04-29 Ministerial Conference - pack v2.pdf"
    meeting = services.packs.create_meeting(formation="jha", title="JHA Council: March 2025",
                                            date=date(2025, 3, 13))
    assert services.packs.file_name(PackSpec(meeting_id=meeting.id)) == \
        "2025-03-13 JHA Council March 2025 - pack v1.pdf"
    assert services.packs.file_name(PackSpec(title="Quick look / Tunisia")) == \
        "Quick look - Tunisia - pack v1.pdf"


# ----------------------------------------------------------------------------- CLI


def test_cli_builds_an_unknown_marking_with_a_one_line_warning(seeded_path: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "limited.pdf"
    result = cli_process("--db", seeded_path, "pack", "build", "--meeting", "1", "--sections",
                         "cover,measures:1", "--classification", "LIMITED", "--out", out,
                         "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ("briefing-app: warning: classification 'LIMITED' is not a standard "
                          "EU or national marking; the pack is marked with it as typed\n")
    assert json.loads(result.out)["options"]["classification"] == "LIMITED"
    assert all(marking_lines_on(page, "LIMITED") >= 2 for page in page_texts(out))


def test_cli_national_marking_and_a_broken_settings_file(seeded_path: Path,
                                                         tmp_path: Path) -> None:
    save_settings([VS])  # the child process reads the same (isolated) config folder
    out = tmp_path / "vs.pdf"
    result = cli_process("--db", seeded_path, "pack", "build", "--meeting", "1", "--sections",
                         "cover", "--classification", VS, "--out", out)
    assert (result.code, result.err) == (0, "")
    assert all(marking_lines_on(page, VS) >= 2 for page in page_texts(out))
    path = settings_path()
    path.write_text('{"national_markings": [', encoding="utf-8")
    result = cli_process("--db", seeded_path, "pack", "build", "--meeting", "1", "--sections",
                         "cover", "--classification", "LIMITE", "--out", tmp_path / "b.pdf")
    assert result.code == 0, result.err
    assert result.err == (f"briefing-app: warning: national markings ignored: {path}: not "
                          "valid JSON (line 1, column 24: Expecting value)\n")


def test_cli_help_lists_the_standard_markings() -> None:
    result = cli("pack", "build", "--help")
    assert result.code == 0
    help_text = " ".join(result.out.split())
    for marking in EU_MARKINGS:
        assert marking in help_text
    assert "default: UNCLASSIFIED" in help_text
