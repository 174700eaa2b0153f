"""The letter reader: the original text, typeset, with every cited passage marked.

Cited passages are yellow; follow-up passages (this letter reporting on a
commitment of another) are blue and underlined. Clicking a marked passage (or
Tab to it and Enter) opens the item it belongs to; its context menu (right
click, or the Menu key) offers every item marked there. Ctrl+F finds words in
the letter; :meth:`LetterReader.show_content` can open the text at a passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import FollowUpRead, LetterDetail, PassageRead
from ui.signals import emit
from ui.views.letter_html import Passage, letter_html
from ui.widgets.detail import caption, heading
from ui.widgets.shortcuts import bind

#: Beyond this many characters the reader shows plain text (fast for huge letters).
MARKUP_LIMIT = 400_000
LEGEND = ("Yellow: a passage an item comes from. Blue, underlined: a passage reporting on "
          "a commitment of another letter (pale: only suggested). Click one to open its item; "
          "right-click for all.")


@dataclass(frozen=True)
class ReaderContent:
    """Everything the reader shows for one letter, prepared off the GUI thread."""

    letter: LetterDetail
    passages: tuple[PassageRead, ...]
    html: str | None  # None: too long to mark up, shown as plain text
    focus: tuple[int, int] | None
    #: the follow-ups quoting this letter: other letters' commitments it reports on
    follow_ups: tuple[FollowUpRead, ...] = ()


def follow_up_label(follow_up: FollowUpRead) -> str:
    return f"{follow_up.item_label} (reported on here, {follow_up.state})"


def prepare(letter: LetterDetail, passages: list[PassageRead],
            focus: tuple[int, int] | None,
            follow_ups: list[FollowUpRead] | tuple[FollowUpRead, ...] = ()) -> ReaderContent:
    """Build the reader's HTML (runs in a worker thread)."""
    if len(letter.text) > MARKUP_LIMIT:
        return ReaderContent(letter, tuple(passages), None, focus, tuple(follow_ups))
    marks = [Passage(i, p.start, p.end, p.label) for i, p in enumerate(passages)]
    marks += [Passage(i, f.start, f.end, follow_up_label(f), "follow-up",
                      suggested=f.state == "suggested") for i, f in enumerate(follow_ups)]
    return ReaderContent(letter, tuple(passages), letter_html(letter.text, marks, focus), focus,
                         tuple(follow_ups))


def _tool_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


class FindBar(QWidget):
    """Find in the letter: highlights every match, steps with Enter / Shift+Enter."""

    def __init__(self, browser: QTextBrowser) -> None:
        super().__init__()
        self.browser = browser
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in letter")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        previous = _tool_button("▲", "Previous match (Shift+Enter)")
        following = _tool_button("▼", "Next match (Enter)")
        close = _tool_button("✕", "Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.count, previous, following, close):
            layout.addWidget(widget)
        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(lambda: self.step(forward=True))
        bind("Shift+Return", self.edit, lambda: self.step(False),
             Qt.ShortcutContext.WidgetShortcut)
        bind(QKeySequence(Qt.Key.Key_Escape), self.edit, self.close_bar,
             Qt.ShortcutContext.WidgetShortcut)
        previous.clicked.connect(lambda: self.step(forward=False))
        following.clicked.connect(lambda: self.step(forward=True))
        close.clicked.connect(self.close_bar)
        self.matches = 0
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.browser.setExtraSelections([])
        self.hide()
        self.browser.setFocus()

    def _search(self, text: str) -> None:
        document = self.browser.document()
        selections: list[QTextEdit.ExtraSelection] = []
        if text:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#8fd3ff"))
            fmt.setForeground(QColor("#111111"))
            cursor = document.find(text, 0)
            while not cursor.isNull() and len(selections) < 5000:
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
                cursor = document.find(text, cursor)
        self.browser.setExtraSelections(selections)
        self.matches = len(selections)
        self.count.setText(f"{self.matches} found" if text else "")
        if text:
            cursor = self.browser.textCursor()
            cursor.setPosition(0)
            self.browser.setTextCursor(cursor)
            self.step(forward=True)

    def step(self, forward: bool = True) -> bool:
        text = self.edit.text()
        if not text:
            return False
        flags = QTextDocument.FindFlag(0) if forward else QTextDocument.FindFlag.FindBackward
        if self.browser.find(text, flags):
            return True
        cursor = self.browser.textCursor()  # wrap around
        cursor.movePosition(cursor.MoveOperation.Start if forward else cursor.MoveOperation.End)
        self.browser.setTextCursor(cursor)
        return self.browser.find(text, flags)


class LetterReader(QWidget):
    """Signals:
        item_activated(kind, key): a marked passage was clicked.
    """

    item_activated = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.title = heading("", 3)
        self.meta = caption("")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.setAccessibleName("Letter text")
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.browser.setFont(font)
        self.browser.document().setDocumentMargin(18)
        self.find_bar = FindBar(self.browser)
        self.legend = caption(LEGEND)
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.legend)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.browser, 1)
        self.content: ReaderContent | None = None
        bind(QKeySequence.StandardKey.Find, self, self.find_bar.open_bar,
             Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def show_content(self, content: ReaderContent) -> None:
        self.content = content
        letter = content.letter
        self.title.setText(letter.title)
        when = letter.date.strftime("%d %B %Y").lstrip("0") if letter.date else "undated"
        parts = [when, letter.place, letter.kind, letter.reference]
        self.meta.setText(" · ".join(p for p in parts if p))
        if content.html is None:
            self.browser.setPlainText(letter.text)
            self.legend.setText("This letter is very long: shown as plain text, "
                                "without marked passages.")
        else:
            self.legend.setText(LEGEND)
            self.browser.setHtml(content.html)
        if content.focus is not None and content.html is not None:
            self.browser.scrollToAnchor("focus")
        else:
            self.browser.verticalScrollBar().setValue(0)
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self.find_bar._search(self.find_bar.edit.text())

    def clear(self) -> None:
        self.content = None
        self.title.setText("")
        self.meta.setText("")
        self.browser.clear()

    def _on_anchor(self, url: QUrl) -> None:
        targets = self.targets(url.toString())
        if targets:
            kind, key, _label = targets[0]
            emit(self.item_activated, kind, key)

    def targets(self, link: str) -> list[tuple[str, str, str]]:
        """What a marked passage's link opens, (kind, key, label), the clicked one first
        and then the others marked there ("passage:3?also=follow-up:1")."""
        if self.content is None or not link:
            return []
        first, _, rest = link.partition("?also=")
        found = []
        for part in [first, *filter(None, rest.split(","))]:
            kind, _, number = part.partition(":")
            if not number.isdigit():
                continue
            index = int(number)
            if kind == "passage" and index < len(self.content.passages):
                passage = self.content.passages[index]
                found.append((passage.item_kind, passage.item_key, passage.label))
            elif kind == "follow-up" and index < len(self.content.follow_ups):
                follow_up = self.content.follow_ups[index]
                found.append(("commitment", str(follow_up.commitment_id),
                              follow_up_label(follow_up)))
        return found

    def link_at(self, position: QPoint | None = None) -> str:
        """The link under ``position`` (viewport coordinates) or, from the keyboard, the one
        the text cursor is on (Tab moves it from link to link)."""
        if position is not None and (link := self.browser.anchorAt(position)):
            return link
        cursor = self.browser.textCursor()
        if cursor.hasSelection():
            cursor.setPosition(min(cursor.selectionStart(), cursor.selectionEnd()) + 1)
        return cursor.charFormat().anchorHref()

    def context_menu(self, position: QPoint | None = None) -> QMenu:
        """The reader's menu at ``position``: "Open …" for each item marked there, then
        Copy and Select all."""
        menu = self.browser.createStandardContextMenu(position or QPoint())
        for action in menu.actions():
            if action.objectName() == "link-copy":  # "passage:3": no address a person uses
                menu.removeAction(action)
        first = menu.actions()[0] if menu.actions() else None
        targets = self.targets(self.link_at(position))
        for kind, key, label in targets:
            action = QAction(f"Open {label}", menu)
            action.triggered.connect(lambda _=False, k=kind, v=key: emit(self.item_activated,
                                                                       k, v))
            if first is None:
                menu.addAction(action)
            else:
                menu.insertAction(first, action)
        if targets and first is not None:
            menu.insertSeparator(first)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.context_menu(position)
        menu.exec(self.browser.viewport().mapToGlobal(position))
        menu.deleteLater()

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    def visible_text(self) -> str:
        """The text of the lines now on screen (tests check the reader scrolled right)."""
        browser = self.browser
        top = browser.cursorForPosition(browser.viewport().rect().topLeft()).position()
        bottom = browser.cursorForPosition(browser.viewport().rect().bottomRight()).position()
        cursor = browser.textCursor()
        cursor.setPosition(top)
        cursor.setPosition(bottom, cursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")
