"""Meetings and packs in the app: compose, build off the GUI thread, preview, print."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import settle
from ui.dialogs.preview import PdfPreview
from ui.main_window import MainWindow
from ui.views.composer import KEY_ROLE, ItemPicker, PackComposer
from ui.views.meetings import MeetingsView


def meetings_view(qtbot: QtBot, window: MainWindow) -> MeetingsView:
    view = window.show_view("packs")
    settle(qtbot)
    assert isinstance(view, MeetingsView)
    return view


def untick_all_but(composer: PackComposer, keep: set[str]) -> None:
    for row in range(composer.sections.count()):
        item = composer.sections.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) in keep
                           else Qt.CheckState.Unchecked)


def test_a_new_meeting_is_saved_and_selected(qtbot: QtBot, window: MainWindow,
                                             services: Services) -> None:
    view = meetings_view(qtbot, window)
    view.save_meeting(None, {"formation": "Justice and Home Affairs Council",
                             "title": "JHA Council, March 2025", "date": None,
                             "place": "Brussels", "agenda": ["Migration: state of play",
                                                             "Schengen"]})
    settle(qtbot)
    assert [m.title for m in services.catalogue.meetings()][-1] == "JHA Council, March 2025"
    assert view.current_record().title == "JHA Council, March 2025"
    assert view.composer.note_for.count() == 3  # steering note + two agenda items


def test_compose_build_preview_and_print(qtbot: QtBot, window: MainWindow, services: Services,
                                         tmp_path: Path) -> None:
    view = meetings_view(qtbot, window)
    composer = view.composer
    assert composer.meeting is not None and composer.meeting.id == 1
    untick_all_but(composer, {"cover", "contents", "lines-to-take", "measures", "signatories"})
    composer.note_edit.setPlainText("**Line to take:** support the <b>Pact</b> & its timetable.")
    composer.classification.setCurrentText("RESTRICTED")
    spec = composer.spec()
    assert [s.key for s in spec.sections] == ["cover", "contents", "lines-to-take", "measures",
                                              "signatories"]
    out = tmp_path / "pack.pdf"
    builds = []
    composer.build_to(out, on_done=builds.append)
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    settle(qtbot)
    build = builds[0]
    assert (build.version, Path(build.path)) == (1, out)
    reader = PdfReader(out)
    assert len(reader.pages) == build.page_count
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Line to take: support the <b>Pact</b> & its timetable." in " ".join(text.split())
    assert "RESTRICTED" in text and "Vít Rakušan" in text

    preview = window.show_preview(out)
    assert isinstance(preview, PdfPreview)
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == build.page_count
    # the count comes from QPdfSearchModel's signal, never from polling rowCount()
    with qtbot.waitSignal(preview.search_done, timeout=15_000,
                          check_params_cb=lambda count: count > 0) as found:
        preview.find_edit.setText("Rakušan")
        preview._find()
    assert found.args[0] >= 1  # the signatories table at least
    assert preview.found.text() == f"{found.args[0]} found"

    printed_to = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed_to))
    pages: list[int] = []
    preview.print_to(printer, done=pages.append)
    qtbot.waitUntil(lambda: bool(pages), timeout=120_000)
    assert pages == [build.page_count]
    printed = PdfReader(printed_to)
    assert len(printed.pages) == build.page_count
    width, height = (float(v) for v in printed.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(printed_to),
                    str(tmp_path / "page")], check=True)
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    dark = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if QImage.pixelColor(image, x, y).lightness() < 128)
    assert dark > 200  # the cover's title and table, not a blank page
    preview.close()


QUEUE = "BriefingPDF"


def page_difference(first: Path, second: Path, page: int, folder: Path) -> float:
    """How differently one page of two PDFs looks: the mean difference (0–255) of the
    average grey of 12 × 12 pixel blocks, rendered at 30 dpi (blind to a pixel's shift)."""
    images = []
    for index, pdf in enumerate((first, second)):
        stem = folder / f"cmp-{index}-{page}"
        subprocess.run(["pdftoppm", "-gray", "-png", "-r", "30", "-f", str(page), "-l",
                        str(page), "-singlefile", str(pdf), str(stem)], check=True)
        images.append(QImage(f"{stem}.png"))
    a, b = images
    assert abs(a.width() - b.width()) <= 1 and abs(a.height() - b.height()) <= 1  # same paper
    width, height, block = min(a.width(), b.width()), min(a.height(), b.height()), 12

    def blocks(image: QImage) -> list[float]:
        return [sum(image.pixelColor(x, y).value()
                    for x in range(bx, min(bx + block, width))
                    for y in range(by, min(by + block, height))) / (block * block)
                for bx in range(0, width, block) for by in range(0, height, block)]

    pairs = list(zip(blocks(a), blocks(b), strict=True))
    return sum(abs(x - y) for x, y in pairs) / len(pairs)


@pytest.fixture(scope="module")
def cups_pdf_queue() -> Path:
    """A real CUPS queue that prints to PDF files (Debian's cups + printer-driver-cups-pdf).

    Started here when the machine has them and we are root (CI installs them);
    the output folder of cups-pdf is ~/PDF of the job's owner.
    """
    if os.geteuid() != 0 or not shutil.which("cupsd") or not shutil.which("lpadmin") or \
            not Path("/usr/lib/cups/backend/cups-pdf").exists():
        pytest.skip("needs root and Debian's cups and printer-driver-cups-pdf")
    if subprocess.run(["pgrep", "-x", "cupsd"], capture_output=True).returncode != 0:
        subprocess.run(["cupsd"], check=True)
    deadline = time.monotonic() + 30
    while subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() \
            != "scheduler is running":
        if time.monotonic() > deadline:
            pytest.fail("cupsd did not start")
        subprocess.run(["sleep", "0.2"], check=True)
    if subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode != 0:
        subprocess.run(["lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-m",
                        "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"], check=True, capture_output=True)
    return Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"


def test_print_to_a_real_cups_queue(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                    cups_pdf_queue: Path) -> None:
    view = meetings_view(qtbot, window)
    untick_all_but(view.composer, {"cover", "signatories"})
    builds = []
    view.composer.build_to(tmp_path / "to-print.pdf", on_done=builds.append)
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    settle(qtbot)
    before = set(cups_pdf_queue.glob("*.pdf")) if cups_pdf_queue.exists() else set()
    preview = window.show_preview(Path(builds[0].path))
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinterInfo.printerInfo(QUEUE), QPrinter.PrinterMode.HighResolution)
    assert printer.printerName() == QUEUE
    pages: list[int] = []
    preview.print_to(printer, done=pages.append)
    qtbot.waitUntil(lambda: bool(pages), timeout=60_000)
    assert pages == [builds[0].page_count]
    qtbot.waitUntil(lambda: cups_pdf_queue.exists()
                    and bool(set(cups_pdf_queue.glob("*.pdf")) - before), timeout=90_000)
    [printed] = set(cups_pdf_queue.glob("*.pdf")) - before
    qtbot.waitUntil(lambda: subprocess.run(["pdfinfo", str(printed)],
                                           capture_output=True).returncode == 0,
                    timeout=30_000)
    # the cups-pdf chain turns text into outlines, so compare what the pages show
    for page in range(1, builds[0].page_count + 1):
        assert page_difference(Path(builds[0].path), printed, page, tmp_path) < 8.0, page
    assert len(PdfReader(printed).pages) == builds[0].page_count
    preview.close()


def test_the_item_picker_keeps_order_and_ticks(qtbot: QtBot) -> None:
    items = [("1", "1. Strengthening"), ("2", "2. Reinforcing"), ("12", "12. Anti-smuggling")]
    picker = ItemPicker("Operational measures", items, None)
    qtbot.addWidget(picker)
    assert picker.chosen() is None  # everything, in the natural order
    picker.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    moved = picker.list.takeItem(2)
    picker.list.insertItem(0, moved)
    assert picker.chosen() == ("12", "1")
    again = ItemPicker("Operational measures", items, ("12", "1"))
    qtbot.addWidget(again)
    assert [again.list.item(r).text() for r in range(3)] == [
        "12. Anti-smuggling", "1. Strengthening", "2. Reinforcing"]
    assert again.chosen() == ("12", "1")


def test_lines_to_take_per_agenda_item_with_related_items(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    view = meetings_view(qtbot, window)
    composer = view.composer
    untick_all_but(composer, {"cover", "lines-to-take"})
    composer.note_for.setCurrentIndex(2)  # agenda item 2: building blocks of the plan
    composer.note_edit.setPlainText("Support the building blocks; ask for a timeline.")
    composer.set_related(2, ("measures:12", "countries:TN"))
    assert composer.related_label.text() == "Related: measures:12, countries:TN"
    spec = composer.spec()
    assert [(n.agenda_item, n.text, n.items) for n in spec.notes] == [
        (2, "Support the building blocks; ask for a timeline.", ("measures:12", "countries:TN"))]
    builds: list[object] = []
    composer.build_to(tmp_path / "lines.pdf", on_done=builds.append)
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    settle(qtbot)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "lines.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert "Support the building blocks; ask for a timeline." in text
    assert "Tunisia" in text and "12" in text
