"""The composer's live preview: the pack as it will print, a moment after each change.

Each change in the composer (a section ticked or moved, a note typed, the
marking, the paper…) restarts a short timer; when it runs out the pack is laid
out off the GUI thread (:meth:`PackService.preview`: nothing is recorded, the
page cache gives back every section the change did not touch) and shown in
place of the previous one, on the page the user was reading. A change made
while a preview is being made cancels it and starts the next one.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from briefing_app.errors import BuildCancelled, UserError
from briefing_app.reporting.spec import PackSpec
from briefing_app.services import Services
from ui.signals import emit
from ui.tasks import Op
from ui.widgets.detail import caption

#: How long after the last change the preview is made (milliseconds): long enough not to
#: lay out at every key typed, short enough to seem immediate.
DELAY_MS = 300


class LivePreview(QWidget):
    """Signals:
        refreshed(int): a new preview is on screen (its page count).
    """

    refreshed = Signal(int)

    def __init__(self, services: Services, spec: Callable[[], PackSpec | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._spec = spec
        self._folder = Path(tempfile.mkdtemp(prefix="briefing-app-preview-"))
        self._serial = 0
        self._shown: Path | None = None
        self._op: Op[int] | None = None
        self._again = False
        self._wanted = False  # a change came while hidden: made when shown

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Live preview of the pack")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # PageUp/PageDown read it
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.title = QLabel("<b>Preview</b>")
        self.page_label = caption("")
        self.status = caption("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Preview status")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self._start)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.page_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        folder = self._folder  # not self: the connection must not keep the widget alive
        self.destroyed.connect(lambda *_: shutil.rmtree(folder, ignore_errors=True))

    # -- asking ---------------------------------------------------------------------------

    def request(self) -> None:
        """Something the pack prints changed: make a new preview in a moment."""
        self.timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.request()  # the store may have changed meanwhile (a status set elsewhere)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self.timer.isActive():
            self.timer.stop()
            self._wanted = True

    @property
    def busy(self) -> bool:
        """Whether a preview is waiting to be made or being made."""
        return self.timer.isActive() or self._op is not None

    # -- making ---------------------------------------------------------------------------

    def _start(self) -> None:
        if not self.isVisible():
            self._wanted = True
            return
        self._wanted = False
        if self._op is not None:  # the one being made is out of date already
            self._again = True
            self._op.cancel()
            return
        try:
            spec = self._spec()
        except UserError as exc:
            self.status.setText(f"No preview: {exc.message}")
            return
        if spec is None:
            self.status.setText("Pick a meeting to see its pack.")
            return
        self._serial += 1
        path = self._folder / f"preview-{self._serial}.pdf"
        packs = self.services.packs
        self.status.setText("Updating the preview…")

        def work(progress: Callable[[int, int, str], None],
                 cancelled: Callable[[], bool]) -> int:
            return packs.preview(spec, path, progress=progress, cancelled=cancelled)

        self._op = Op(parent=self, work=work, success=lambda pages: self._show(path, pages)) \
            .failure(self._failed).finally_(self._finished)
        self._op.run_in_background()

    def _show(self, path: Path, pages: int) -> None:
        navigator = self.view.pageNavigator()
        page, where = navigator.currentPage(), navigator.currentLocation()
        self.document.load(str(path))
        if self._shown is not None:
            with contextlib.suppress(OSError):
                self._shown.unlink()
        self._shown = path
        if self.document.pageCount() > 0:
            navigator.jump(min(page, self.document.pageCount() - 1), where, 0)
        self._show_page()
        self.status.setText(f"As it will print: {pages} pages (not saved as a version "
                            "until you build it).")
        emit(self.refreshed, pages)

    def _show_page(self, *_args: object) -> None:
        count = self.document.pageCount()
        self.page_label.setText(
            f"Page {self.view.pageNavigator().currentPage() + 1} of {count}" if count else "")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BuildCancelled):
            return  # a newer change asked for the next one
        message = (exc.message if isinstance(exc, UserError)
                   else "the pack could not be laid out; building it will say why")
        self.status.setText(f"No preview: {message}")

    def _finished(self) -> None:
        self._op = None
        if self._again:
            self._again = False
            self._start()

    @property
    def shown(self) -> Path | None:
        """The PDF on screen (a file of the preview's own, replaced at each refresh)."""
        return self._shown


def jump_to(preview: LivePreview, page: int) -> None:
    """Show ``page`` (0-based) of the preview."""
    preview.view.pageNavigator().jump(page, QPointF(), 0)
