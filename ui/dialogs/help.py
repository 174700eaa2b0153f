"""The built-in help: one page per view, read from the bundled resources, offline."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from briefing_app import paths
from ui.widgets.shortcuts import bind

#: Help topics: the views' keys, plus the index and the shortcuts.
TOPICS = ("index", "letters", "review", "action-points", "measures", "countries", "people",
          "packs", "keys")


def topic_text(topic: str) -> str:
    """The Markdown of one help page (the index for an unknown topic)."""
    name = topic if topic in TOPICS else "index"
    return paths.resource("help", f"{name}.md").read_text(encoding="utf-8")


class HelpWindow(QDialog):
    """A non-modal help window; links between pages stay inside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Briefing App Help")
        self.topic = "index"
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        contents = buttons.addButton("Contents", QDialogButtonBox.ButtonRole.ActionRole)
        contents.clicked.connect(lambda: self.show_topic("index"))
        contents.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        bind(QKeySequence.StandardKey.Back, self, self.browser.backward)
        bind(QKeySequence.StandardKey.Forward, self, self.browser.forward)

    def show_topic(self, topic: str) -> None:
        self.topic = topic if topic in TOPICS else "index"
        self.browser.setMarkdown(topic_text(self.topic))
        if not self.isVisible():
            from ui.widgets.screen import fit_to_screen

            fit_to_screen(self, 720, 640)
        self.show()
        self.raise_()
        self.activateWindow()

    def _follow(self, url: QUrl) -> None:
        name = url.fileName().removesuffix(".md")
        if name in TOPICS:
            self.show_topic(name)
