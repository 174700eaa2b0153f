"""Create or edit a meeting: formation, title, date, place and agenda items."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from briefing_app.domain.meetings import FORMATIONS
from briefing_app.read_models import MeetingRead
from ui.widgets.screen import fit_to_screen


class MeetingDialog(QDialog):
    """The form; :meth:`values` returns what the user entered (validated by the service)."""

    def __init__(self, meeting: MeetingRead | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit meeting" if meeting else "New meeting")
        fit_to_screen(self, 620, 420)
        self.formation = QComboBox()
        self.formation.addItems(list(FORMATIONS))
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Justice and Home Affairs Council")
        self.has_date = QCheckBox("Dated")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMMM yyyy")
        self.date_edit.setDate(QDate.currentDate())
        self.has_date.toggled.connect(self.date_edit.setEnabled)
        self.has_date.setChecked(True)
        self.place_edit = QLineEdit()
        self.agenda_edit = QPlainTextEdit()
        self.agenda_edit.setPlaceholderText("One agenda item per line")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        if meeting is not None:
            self.formation.setCurrentText(meeting.formation)
            self.title_edit.setText(meeting.title)
            self.has_date.setChecked(meeting.date is not None)
            if meeting.date is not None:
                self.date_edit.setDate(QDate(meeting.date.year, meeting.date.month,
                                             meeting.date.day))
            self.place_edit.setText(meeting.place or "")
            self.agenda_edit.setPlainText("\n".join(meeting.agenda))
        when = QHBoxLayout()
        when.addWidget(self.has_date)
        when.addWidget(self.date_edit, 1)
        form = QFormLayout(self)
        form.addRow("Formation", self.formation)
        form.addRow("Title", self.title_edit)
        form.addRow("Date", when)
        form.addRow("Place", self.place_edit)
        form.addRow("Agenda", self.agenda_edit)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.title_edit.text().strip():
            self.error.setText("The meeting needs a title.")
            self.title_edit.setFocus()
            return
        self.accept()

    def values(self) -> dict[str, object]:
        when: date | None = None
        if self.has_date.isChecked():
            when = self.date_edit.date().toPython()  # type: ignore[assignment]
        agenda = [line.strip() for line in self.agenda_edit.toPlainText().splitlines()
                  if line.strip()]
        return {"formation": self.formation.currentText(), "title": self.title_edit.text(),
                "date": when, "place": self.place_edit.text().strip() or None,
                "agenda": agenda}
