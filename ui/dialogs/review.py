"""The review's two dialogs: edit a commitment, split one in two.

Both check what was typed before anything is written and say, under the
form, which field is wrong; the review itself runs in ui/operations/review.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import InvalidInput
from briefing_app.read_models import CommitmentRead
from briefing_app.services.review import parse_countries

ERROR_STYLE = "color: #a4262c;"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("reviewError")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setAccessibleName("Error")
    label.hide()
    return label


@dataclass(frozen=True)
class EditChanges:
    """What the Edit dialog changes (None: kept)."""

    title: str | None = None
    number: int | None = None
    deadline: str | None = None
    countries: tuple[str, ...] | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.title, self.number, self.deadline,
                                           self.countries))


class EditDialog(QDialog):
    """Title, number, deadline and countries (comma-separated ISO codes) of a commitment."""

    def __init__(self, item: CommitmentRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(f"Edit commitment {item.number or item.id}")
        self.title_edit = QLineEdit(item.title)
        self.number_edit = QLineEdit("" if item.number is None else str(item.number))
        self.deadline_edit = QLineEdit(item.deadline or "")
        self.deadline_edit.setPlaceholderText("e.g. by the end of 2025 (empty: none)")
        self.countries_edit = QLineEdit(", ".join(item.countries))
        self.countries_edit.setPlaceholderText("ISO codes, e.g. TN, MR")
        for edit, name in ((self.title_edit, "Title"), (self.number_edit, "Number"),
                           (self.deadline_edit, "Deadline"),
                           (self.countries_edit, "Countries")):
            edit.setAccessibleName(name)
        form = QFormLayout()
        form.addRow("&Title", self.title_edit)
        form.addRow("&Number", self.number_edit)
        form.addRow("&Deadline", self.deadline_edit)
        form.addRow("&Countries", self.countries_edit)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.changes = EditChanges()
        self.resize(520, self.sizeHint().height())

    def read(self) -> EditChanges:
        """What changed; an :class:`InvalidInput` names the field that is wrong."""
        item = self.item
        title = " ".join(self.title_edit.text().split())
        if not title:
            raise InvalidInput("title: give the commitment a title")
        number_text = self.number_edit.text().strip()
        number: int | None = None
        if number_text:
            if not number_text.isdigit():
                raise InvalidInput(f"number: {number_text!r} is not a whole number")
            number = int(number_text)
        elif item.number is not None:
            raise InvalidInput("number: give a whole number (the number cannot be removed)")
        deadline = " ".join(self.deadline_edit.text().split())
        codes = tuple(parse_countries(self.countries_edit.text()))
        return EditChanges(
            title=title if title != item.title else None,
            number=number if number != item.number else None,
            deadline=deadline if deadline != (item.deadline or "") else None,
            countries=codes if set(codes) != set(item.countries) else None)

    def accept(self) -> None:
        try:
            changes = self.read()
        except InvalidInput as exc:
            self.show_error(exc.message)
            return
        if not changes:
            self.show_error("Nothing to change: edit a field, or press Cancel.")
            return
        self.changes = changes
        super().accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        field = message.split(":", 1)[0]
        target = {"title": self.title_edit, "number": self.number_edit,
                  "deadline": self.deadline_edit, "countries": self.countries_edit}.get(field)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            target.selectAll()


def default_split(text: str) -> int:
    """Where a split is offered first: after the first sentence or clause, else mid-text."""
    for mark in (". ", "; ", ", and ", " and "):
        found = text.find(mark, 1)
        if 0 < found < len(text) - len(mark):
            return found + (len(mark) if mark in (". ", "; ") else 2 if mark == ", and " else 1)
    middle = text.find(" ", len(text) // 2)
    return middle + 1 if 0 < middle < len(text) - 1 else max(1, len(text) // 2)


class SplitDialog(QDialog):
    """The commitment's text: the user puts the cursor where the second part starts."""

    def __init__(self, item: CommitmentRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(f"Split commitment {item.number or item.id}")
        intro = QLabel("Put the cursor where the second commitment starts (arrow keys or a "
                       "click), then press OK. The first part keeps the number and status.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(item.text)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Commitment text")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.text.cursorPositionChanged.connect(self._show_parts)
        self.set_offset(default_split(item.text))
        self.text.setFocus()
        self.resize(560, 360)

    def offset(self) -> int:
        return self.text.textCursor().position()

    def set_offset(self, offset: int) -> None:
        cursor = self.text.textCursor()
        cursor.setPosition(max(0, min(offset, len(self.item.text))),
                           QTextCursor.MoveMode.MoveAnchor)
        self.text.setTextCursor(cursor)
        self._show_parts()

    def _show_parts(self) -> None:
        text, at = self.item.text, self.offset()
        first, second = text[:at].strip(), text[at:].strip()
        self.preview.setText(f"1st: {first[:90] or '—'}\n2nd: {second[:90] or '—'}")

    def accept(self) -> None:
        text, at = self.item.text, self.offset()
        if not text[:at].strip() or not text[at:].strip():
            self.error.setText("split point: put the cursor inside the text, so that each "
                               "part keeps some of it")
            self.error.show()
            return
        super().accept()
