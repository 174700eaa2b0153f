"""Know when a window's next frame is on screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstFrame(QObject):
    """Calls ``done()`` once ``content`` (a widget in a window) has painted while its
    window is exposed, and the frame has been flushed.

    Exposed means the windowing system shows the window (under X: it is mapped
    and X has sent Expose). Create it when the content is ready to be seen (an
    event filter in Python costs the GUI thread the interpreter lock on every
    event, so it watches only ``content``, and only until done).
    """

    def __init__(self, content: QWidget, done: Callable[[], None]) -> None:
        super().__init__(content)
        self._content, self._done = content, done
        self.fired = False
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._content and not self.fired:
            handle = self._content.window().windowHandle()
            if handle is not None and handle.isExposed():
                self.fired = True
                QTimer.singleShot(0, self._finish)  # runs once the paint has been flushed
        return False

    def _finish(self) -> None:
        self._content.removeEventFilter(self)
        self._done()
