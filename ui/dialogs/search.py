"""Global search (Ctrl+K): results with snippets as you type; Enter opens the letter."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import SearchHit
from ui.signals import emit
from ui.tasks import Op
from ui.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from ui.shell import Shell

OPEN, CLOSE = "\x02", "\x03"  # never in a letter: the reader rejects control characters
DEBOUNCE_MS = 120


def snippet_html(snippet: str) -> str:
    """The snippet escaped, with the matched words in bold."""
    return html.escape(snippet).replace(OPEN, "<b>").replace(CLOSE, "</b>")


class SearchDialog(QDialog):
    """Signals:
        results_shown(count): a search finished and its results are listed.
    """

    results_shown = Signal(int)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.setWindowTitle("Search the letters")
        fit_to_screen(self, 760, 520)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search all letters (names, places, measures…)")
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.status = QLabel("Type to search. Enter opens the letter at the passage.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.hits: list[SearchHit] = []
        self._sequence = 0
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self.open_current)
        self.results.itemActivated.connect(lambda _item: self.open_current())
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown,
                               Qt.Key.Key_PageUp):
                self.results.setFocus()
                self.results.keyPressEvent(event)
                self.edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def open_search(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()
        self.edit.selectAll()

    def _search(self) -> None:
        query = self.edit.text()
        self._sequence += 1
        sequence = self._sequence
        if not query.strip():
            self._show(sequence, [])
            return
        services = self.shell.services
        Op(parent=self, work=lambda: services.search.search(query, limit=50,
                                                            marks=(OPEN, CLOSE)),
           success=lambda hits: self._show(sequence, hits)).run_in_background()

    def _show(self, sequence: int, hits: list[SearchHit]) -> None:
        if sequence != self._sequence:
            return  # an older query answered late: the user has typed on
        self.hits = hits
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem()
            label = QLabel(f"<div style='margin:2px'><span style='font-size:small'>"
                           f"{html.escape(hit.letter_title)}</span><br>"
                           f"{snippet_html(hit.snippet)}</div>")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            width = max(200, self.results.viewport().width() - 16)
            item.setSizeHint(QSize(width, label.heightForWidth(width) + 6))
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        if hits:
            self.results.setCurrentRow(0)
        text = self.edit.text().strip()
        self.status.setText(f"{len(hits)} passage(s)" + (" (first 50)" if len(hits) == 50
                                                         else "") if text else
                            "Type to search. Enter opens the letter at the passage.")
        emit(self.results_shown, len(hits))

    def open_current(self) -> None:
        row = self.results.currentRow()
        if not 0 <= row < len(self.hits):
            return
        hit = self.hits[row]
        self.hide()
        self.shell.open_letter_at(hit.letter_id, hit.start, hit.end)
