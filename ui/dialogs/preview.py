"""Preview a built pack (QtPdf), find in it, print it, open its folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import UserError
from ui.signals import emit
from ui.tasks import Op, show_error

#: Pages are printed as images of this resolution (dots per inch).
PRINT_DPI = 300


def spooler_for(printer: QPrinter) -> str | None:
    """The CUPS ``lp`` command when ``printer`` is a named CUPS queue, else None.

    A PDF is sent to CUPS as it is: vector pages, exact text, a small job. Only
    file output and systems without CUPS (Windows) go through :func:`print_pdf`.
    """
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return None
    if not printer.printerName() or sys.platform.startswith("win"):
        return None
    return shutil.which("lp")


def send_to_cups(path: Path, printer: QPrinter, lp: str) -> int:
    """Queue the PDF on the printer's CUPS queue with its copies and page range."""
    command = [lp, "-d", printer.printerName(), "-t", path.stem,
               "-n", str(max(1, printer.copyCount()))]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        command += ["-P", f"{printer.fromPage()}-{max(printer.fromPage(), printer.toPage())}"]
    command.append(str(path))
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise UserError(f"printer {printer.printerName()!r}: "
                        f"{reason[-1] if reason else 'the print job was refused'}")
    document = QPdfDocument()
    document.load(str(path))
    pages = document.pageCount()
    document.close()
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = min(pages, printer.toPage()) - printer.fromPage() + 1
    return pages


def print_pdf(path: Path, printer: QPrinter,
              progress: Callable[[int, int, str], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Print the PDF at ``path`` (or the printer's page range) on ``printer``.

    Runs in a worker thread: Qt allows painting on a QPrinter outside the GUI
    thread, and the document is opened here, in that thread. Each page is
    rendered at :data:`PRINT_DPI` onto white (QtPdf renders transparent
    pages) and scaled into the printable area, keeping its proportions.
    Returns the number of pages printed.
    """
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise UserError(f"{path}: the PDF cannot be opened for printing")
    count = document.pageCount()
    if count <= 0:
        raise UserError(f"{path}: nothing to print, the PDF has no pages")
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(count - 1, max(first, printer.toPage() - 1))
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(f"the printer {printer.printerName() or printer.outputFileName()!r} "
                        "cannot be opened")
    printed = 0
    try:
        for number in range(first, last + 1):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(number - first, last - first + 1, f"Page {number + 1}")
            if number > first:
                printer.newPage()
            points = document.pagePointSize(number)
            size = QSize(max(1, round(points.width() / 72 * PRINT_DPI)),
                         max(1, round(points.height() / 72 * PRINT_DPI)))
            page = QImage(size, QImage.Format.Format_RGB32)
            page.fill(QColor("white"))
            on_page = QPainter(page)
            on_page.drawImage(0, 0, document.render(number, size))
            on_page.end()
            area = painter.viewport()
            scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            corner = QPointF(area.x() + (area.width() - scaled.width()) / 2,
                             area.y() + (area.height() - scaled.height()) / 2)
            painter.drawImage(corner.toPoint(), page.scaled(
                scaled, Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
            printed += 1
    finally:
        painter.end()
        document.close()
    return printed


class PdfPreview(QDialog):
    """A built pack on screen.

    Signals:
        search_done(count): a find in the document has counted its matches.
    """

    search_done = Signal(int)

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(f"Preview — {path.name}")
        self.resize(980, 1000)
        self.document = QPdfDocument(self)
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise UserError(f"{path}: the PDF cannot be opened ({error.name})")
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.document)
        self.view.setSearchModel(self.search)
        # count matches from the model's signal, never by polling rowCount()
        # (polling in a processEvents() loop crashed PySide6 6.12.0)
        self.search.countChanged.connect(self._on_count)

        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(1, self.document.pageCount()))
        self.page_box.setPrefix("Page ")
        self.page_box.setSuffix(f" of {self.document.pageCount()}")
        self.page_box.valueChanged.connect(
            lambda value: self.view.pageNavigator().jump(value - 1, QPointF(), 0))
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in the pack")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self._find)
        self.found = QLabel()
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.choose_printer)
        self.folder_button = QPushButton("Open folder")
        self.folder_button.setToolTip(str(path.parent))
        self.folder_button.clicked.connect(self.open_folder)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        bar = QHBoxLayout()
        bar.addWidget(self.page_box)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.found)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.folder_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def _find(self) -> None:
        self.search.setSearchString(self.find_edit.text())

    def _on_count(self) -> None:
        count = self.search.count()
        self.found.setText(f"{count} found" if self.find_edit.text() else "")
        emit(self.search_done, count)

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter,
                 done: Callable[[int], None] | None = None) -> None:
        """Print off the GUI thread, with progress and Cancel."""
        path = self.path
        self.print_button.setEnabled(False)

        def finished(pages: int) -> None:
            self.print_button.setEnabled(True)
            where = printer.printerName() or printer.outputFileName()
            self.last_print = (pages, where)
            if done is not None:
                done(pages)
            else:
                QMessageBox.information(self, "Print", f"{pages} page(s) sent to {where}.")

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            show_error(self, exc)

        lp = spooler_for(printer)

        def work(progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> int:
            if lp is not None:
                return send_to_cups(path, printer, lp)
            return print_pdf(path, printer, progress, cancelled)

        Op(parent=self, work=work, success=finished).failure(failed).with_progress(
            "Printing…").run_in_background()

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))
