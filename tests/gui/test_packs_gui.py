"""Meetings and packs in the app: compose, build off the GUI thread, preview, print."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from briefing_app.printing import PrintOutcome, safe_job_name
from briefing_app.reporting.spec import PackSpec, parse_sections
from briefing_app.services import Services
from tests.gui.conftest import settle
from tests.helpers.cups import CupsQueue, printed_file
from ui.dialogs import preview as preview_module
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
    outcomes: list[PrintOutcome] = []
    preview.print_to(printer, done=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=120_000)
    [outcome] = outcomes
    assert (outcome.status, outcome.pages) == ("completed", build.page_count)
    assert outcome.message() == f"Printed: {build.page_count} pages to {printed_to}."
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


def built_pack(qtbot: QtBot, window: MainWindow, out: Path) -> tuple[MeetingsView, Path, int]:
    """A small pack (cover and signatories) of meeting 1, built by the services (the
    composer's own build is tested above)."""
    view = meetings_view(qtbot, window)
    build = window.services.packs.build(
        PackSpec(meeting_id=1, sections=parse_sections("cover,signatories")), out)
    return view, Path(build.path), build.page_count


def test_print_to_a_real_cups_queue(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                    cups_pdf_queue: CupsQueue) -> None:
    # the file name has spaces, as the composer's default names have: it still prints
    name = f"2024-04-29 JHA Council - pack v1 {uuid.uuid4().hex[:8]}.pdf"
    _, path, page_count = built_pack(qtbot, window, tmp_path / name)
    preview = window.show_preview(path)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinterInfo.printerInfo(cups_pdf_queue.name),
                       QPrinter.PrinterMode.HighResolution)
    assert printer.printerName() == cups_pdf_queue.name
    outcomes: list[PrintOutcome] = []
    preview.print_to(printer, done=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=120_000)
    [outcome] = outcomes
    assert outcome.status == "completed", outcome.message()
    assert outcome.message() == (f"Printed: {page_count} pages on {cups_pdf_queue.name} "
                                 f"(job {outcome.job_id}).")
    assert preview.last_print == outcome
    assert cups_pdf_queue.server.jobs(cups_pdf_queue.name, "completed")[-1] == \
        f"{cups_pdf_queue.name}-{outcome.job_id}"
    printed = printed_file(safe_job_name(name), outcome.job_id or 0)
    # the cups-pdf chain turns text into outlines, so compare what the pages show
    for page in range(1, page_count + 1):
        assert page_difference(path, printed, page, tmp_path) < 8.0, page
    assert len(PdfReader(printed).pages) == page_count
    printed.unlink()
    preview.close()


def test_print_reports_a_failure_when_cupsd_dies_mid_job(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, cups_pdf_queue: CupsQueue) -> None:
    _, path, _ = built_pack(qtbot, window, tmp_path / "doomed pack.pdf")
    preview = window.show_preview(path)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinterInfo.printerInfo(cups_pdf_queue.name),
                       QPrinter.PrinterMode.HighResolution)
    server, queue = cups_pdf_queue.server, cups_pdf_queue.name
    server.disable(queue)  # the job stays pending…
    outcomes: list[PrintOutcome] = []
    preview.print_to(printer, done=outcomes.append)
    qtbot.waitUntil(lambda: bool(server.jobs(queue)), timeout=30_000)
    assert not outcomes
    server.stop()  # …and the scheduler goes away before printing it
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    [outcome] = outcomes
    assert outcome.status == "failed"
    assert outcome.message().startswith(
        f"Not printed: the CUPS scheduler stopped before job {outcome.job_id} on {queue} "
        "finished (")
    assert preview.print_button.isEnabled()
    preview.close()


def test_cancel_printing_cancels_the_job(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                        cups_pdf_queue: CupsQueue) -> None:
    _, path, _ = built_pack(qtbot, window, tmp_path / "pack.pdf")
    preview = window.show_preview(path)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinterInfo.printerInfo(cups_pdf_queue.name),
                       QPrinter.PrinterMode.HighResolution)
    server, queue = cups_pdf_queue.server, cups_pdf_queue.name
    server.disable(queue)
    outcomes: list[PrintOutcome] = []
    preview.print_to(printer, done=outcomes.append)
    assert preview.cancel_print_button.isVisible() and not preview.print_button.isEnabled()
    # the preview stays usable while the job is followed, and says where it is
    qtbot.waitUntil(lambda: preview.print_status.text().startswith(f"Pending on {queue} (job "),
                    timeout=30_000)
    preview.page_box.setValue(2)
    preview.cancel_print_button.click()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=30_000)
    [outcome] = outcomes
    assert outcome.message() == (f"Not printed: job {outcome.job_id} on {queue} was "
                                 "cancelled (you stopped it)")
    assert server.jobs(queue) == []
    assert not preview.cancel_print_button.isVisible() and preview.print_button.isEnabled()
    assert preview.print_status.text() == ""
    preview.close()


def test_print_to_a_printer_that_is_gone_says_so(qtbot: QtBot, window: MainWindow,
                                                 tmp_path: Path,
                                                 cups_pdf_queue: CupsQueue) -> None:
    _, path, _ = built_pack(qtbot, window, tmp_path / "pack.pdf")
    preview = window.show_preview(path)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinterInfo.printerInfo(cups_pdf_queue.name),
                       QPrinter.PrinterMode.HighResolution)
    cups_pdf_queue.server.stop()
    outcomes: list[PrintOutcome] = []
    preview.print_to(printer, done=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=30_000)
    [outcome] = outcomes
    assert (outcome.status, outcome.job_id) == ("failed", None)
    assert outcome.message() == (
        "Not printed: the CUPS print service is not running or does not answer "
        f"({cups_pdf_queue.server.socket}: no such socket)")
    preview.close()


def test_the_preview_fits_a_laptop_screen_and_enter_presses_no_button(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, path, page_count = built_pack(qtbot, window, tmp_path / "pack.pdf")
    preview = window.show_preview(path)
    qtbot.addWidget(preview)
    qtbot.waitExposed(preview)
    area = preview.screen().availableGeometry()
    assert (area.width(), area.height()) == (1280, 720)  # tests/helpers/laptop-screen.json
    assert area.contains(preview.frameGeometry()), (preview.frameGeometry(), area)
    assert preview.height() <= 720 - 64
    buttons = preview.findChildren(QPushButton)
    assert buttons and not any(b.isDefault() or b.autoDefault() for b in buttons)

    opened: list[object] = []

    class NoPrintDialog:  # would block the test in exec() if it ever opened
        def __init__(self, *args: object) -> None:
            opened.append(args)

        def setMinMax(self, *args: object) -> None:
            pass

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(preview_module, "QPrintDialog", NoPrintDialog)
    preview.page_box.setFocus()
    preview.page_box.lineEdit().selectAll()
    qtbot.keyClicks(preview.page_box, str(page_count))
    qtbot.keyClick(preview.page_box, Qt.Key.Key_Return)
    qtbot.keyClick(preview.page_box, Qt.Key.Key_Enter)
    qtbot.keyClick(preview.find_edit, Qt.Key.Key_Return)
    settle(qtbot)
    assert opened == []
    assert preview.isVisible() and preview.page_box.value() == page_count
    preview.print_button.click()  # the button itself still opens the dialog
    assert len(opened) == 1
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


def _preview_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


def test_the_live_preview_follows_each_change_and_keeps_the_page(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    from ui.views.pack_preview import jump_to

    view = meetings_view(qtbot, window)
    composer = view.composer
    preview = composer.preview
    shown: list[int] = []
    preview.refreshed.connect(shown.append)
    view.tabs.setCurrentWidget(composer)
    qtbot.waitUntil(lambda: bool(shown) and not preview.busy, timeout=60_000)
    first = preview.shown
    assert first is not None and preview.document.pageCount() == shown[-1] > 20
    assert "Ministerial Conference" in _preview_text(first)
    assert services.catalogue.packs() == []  # a preview records no build
    jump_to(preview, 4)
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Page 5 of {shown[-1]}")

    # a note typed: the preview shows it a moment later, on the page the user was reading
    composer.note_edit.setFocus()
    qtbot.keyClicks(composer.note_edit, "Hold the line on returns.")
    qtbot.waitUntil(lambda: len(shown) >= 2 and not preview.busy, timeout=60_000)
    assert "Hold the line on returns." in _preview_text(preview.shown)
    assert preview.view.pageNavigator().currentPage() == 4
    assert not first.exists()  # the previous preview's file is gone

    # a section moved (keys only): the pack's order follows
    composer.sections.setFocus()
    composer.sections.setCurrentRow(2)  # the lines to take
    moved = composer.sections.currentItem().data(KEY_ROLE)
    qtbot.keyClick(composer.sections, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(shown) >= 3 and not preview.busy, timeout=60_000)
    keys = [s.key for s in composer.spec().sections]
    assert keys.index(moved) == 3
    text = _preview_text(preview.shown)
    assert text.index("Action points") < text.index("Hold the line on returns.")

    # a status set elsewhere: the preview shows it when the composer is seen again
    services.tracking.set_status("measures", 12, "delayed", note="talks paused")
    window.show_view("measures")
    settle(qtbot)
    count = len(shown)
    window.show_view("packs")
    qtbot.waitUntil(lambda: len(shown) > count and not preview.busy, timeout=60_000)
    assert "delayed" in _preview_text(preview.shown)
