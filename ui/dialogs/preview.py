"""Preview a built pack (QtPdf), find in it, print it, open its folder."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QKeySequence, QPainter
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

from briefing_app import printing
from briefing_app.errors import UserError
from briefing_app.printing import PrintOutcome
from ui.signals import emit
from ui.tasks import Op, show_error
from ui.widgets.screen import fit_to_screen
from ui.widgets.shortcuts import bind

#: Pages are printed as images of this resolution (dots per inch).
PRINT_DPI = 300
#: The preview's size when the screen has room for it.
PREFERRED_SIZE = QSize(980, 1000)


def cups_queue(printer: QPrinter) -> str | None:
    """The CUPS queue's name when ``printer`` is a named CUPS queue, else None.

    A PDF is sent to CUPS as it is (vector pages, exact text, a small job) and
    followed until CUPS reports it completed (see :mod:`briefing_app.printing`).
    Only file output and systems without CUPS (Windows) go through
    :func:`print_pdf`.
    """
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return None
    if not printer.printerName() or sys.platform.startswith("win"):
        return None
    return printer.printerName() if shutil.which("lp") else None


def page_range(printer: QPrinter, count: int) -> tuple[str | None, int]:
    """lp's ``-P`` range chosen in the print dialog (None: every page) and its page count."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = min(printer.fromPage(), count)
        last = min(max(first, printer.toPage()), count)
        return f"{first}-{last}", last - first + 1
    return None, count


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
        print_progress(text): where a print job sent to CUPS is (sent from the
            worker that follows it; shown in ``print_status``).
    """

    search_done = Signal(int)
    print_progress = Signal(str)

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(f"Preview — {path.name}")
        fit_to_screen(self, PREFERRED_SIZE.width(), PREFERRED_SIZE.height())
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
        self.print_button.setToolTip("Print the pack (Ctrl+P)")
        bind(QKeySequence.StandardKey.Print, self, self.choose_printer)
        self.print_button.clicked.connect(self.choose_printer)
        self.print_status = QLabel()
        self.print_progress.connect(self.print_status.setText)
        self.cancel_print_button = QPushButton("Cancel printing")
        self.cancel_print_button.setVisible(False)
        self.cancel_print_button.clicked.connect(self.cancel_print)
        self._print_op: Op[PrintOutcome] | None = None
        self.folder_button = QPushButton("Open folder")
        self.folder_button.setToolTip(str(path.parent))
        self.folder_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        # Enter in the page box or the find box must not press a button: a QDialog
        # presses its default button on Enter, and a dialog's push buttons are
        # "auto default" (the first one becomes the default), so none may be.
        for button in (self.print_button, self.cancel_print_button, self.folder_button,
                       self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)

        bar = QHBoxLayout()
        bar.addWidget(self.page_box)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.found)
        bar.addStretch(1)
        bar.addWidget(self.print_status)
        bar.addWidget(self.cancel_print_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.folder_button)
        bar.addWidget(self.close_button)
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
                 done: Callable[[PrintOutcome], None] | None = None) -> None:
        """Print off the GUI thread and tell what became of it.

        On a CUPS queue the PDF goes to CUPS and the job is followed until CUPS
        reports it completed, failed, or still queued (see
        :mod:`briefing_app.printing`); meanwhile the preview stays usable, shows
        where the job is, and offers "Cancel printing" (which cancels the job in
        CUPS). File output and systems without CUPS are painted page by page
        (:func:`print_pdf`) with a progress dialog. ``done`` (or a message box)
        gets the :class:`~briefing_app.printing.PrintOutcome`.
        """
        path = self.path
        queue = cups_queue(printer)
        where = queue or printer.printerName() or printer.outputFileName()
        selection, pages = page_range(printer, self.document.pageCount())
        copies = max(1, printer.copyCount())
        to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
        self.print_button.setEnabled(False)

        def report(outcome: PrintOutcome) -> None:
            self._print_op = None
            self.cancel_print_button.setVisible(False)
            self.print_status.clear()
            self.print_button.setEnabled(True)
            self.last_print = outcome
            if done is not None:
                done(outcome)
            elif outcome.completed or outcome.status == printing.SENT:
                QMessageBox.information(self, "Print", outcome.message())
            else:
                QMessageBox.warning(self, "Print", outcome.message())

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserError):
                self._print_op = None
                self.cancel_print_button.setVisible(False)
                self.print_status.clear()
                self.print_button.setEnabled(True)
                show_error(self, exc)
                return
            report(PrintOutcome(status=printing.FAILED, printer=where, job_id=None,
                                pages=pages, copies=copies, reason=exc.message))

        if queue is not None:
            signal = self.print_progress

            def tell(_done: int, _total: int, label: str) -> None:
                # queued to the label on the GUI thread; once the preview is closed
                # there is nobody left to tell
                with contextlib.suppress(RuntimeError):
                    emit(signal, label)

            def follow(_progress: Callable[[int, int, str], None],
                       cancelled: Callable[[], bool]) -> PrintOutcome:
                return printing.print_pdf(path, queue, title=path.name, copies=copies,
                                          page_range=selection, pages=pages,
                                          progress=tell, cancelled=cancelled)

            self.print_status.setText(f"Sending to {queue}…")
            self.cancel_print_button.setVisible(True)
            self.cancel_print_button.setEnabled(True)
            self._print_op = Op(parent=self, work=follow, success=report).failure(failed)
            self._print_op.run_in_background()
            return

        def paint(progress: Callable[[int, int, str], None],
                  cancelled: Callable[[], bool]) -> PrintOutcome:
            printed = print_pdf(path, printer, progress, cancelled)
            if printed < pages:
                return PrintOutcome(status=printing.FAILED, printer=where, job_id=None,
                                    pages=printed, reason=f"cancelled after {printed} of "
                                    f"{pages} pages")
            return PrintOutcome(status=printing.COMPLETED if to_file else printing.SENT,
                                printer=where, job_id=None, pages=printed)

        Op(parent=self, work=paint, success=report).failure(failed).with_progress(
            "Printing…").run_in_background()

    def cancel_print(self) -> None:
        """Stop following the print job and cancel it in CUPS (the outcome says so)."""
        if self._print_op is not None:
            self._print_op.cancel()
            self.cancel_print_button.setEnabled(False)
            self.print_status.setText("Cancelling…")

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))
