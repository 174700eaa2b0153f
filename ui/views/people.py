"""People named in the letters, with each role as that letter writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout

from briefing_app.read_models import PersonRead
from ui.models.records import Column
from ui.views.list_view import ListView
from ui.widgets.detail import Page, caption, facts, heading, section_title, text_label

if TYPE_CHECKING:
    from ui.shell import Shell

ROLE_NAMES = {"sender": "Sender", "signatory": "Signatory", "recipient": "Recipient",
              "attention": "To the attention of", "cc": "Copied (c.c.)"}


def roles_summary(person: PersonRead) -> str:
    return ", ".join(sorted({ROLE_NAMES.get(r.role, r.role).lower() for r in person.roles}))


class PeopleView(ListView):
    title = "People"
    noun = "people"
    export_kind = "people"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "people", [
            Column("Name", lambda r: r.name),
            Column("Country", lambda r: r.country),
            Column("Organisation", lambda r: r.organisation),
            Column("Roles", roles_summary),
        ], stretch=3, search_text=lambda r: " ".join(
            [*(role.title or "" for role in r.roles), *(role.name_as_written for role in r.roles)]))

    def fetch(self) -> list[PersonRead]:
        return self.services.catalogue.people()

    def show_detail(self, record: Any | None) -> None:
        page = Page()
        if record is None:
            self.set_detail(page.finish())
            return
        page.add(heading(record.name, 3))
        page.add(facts([("Honorific", record.honorific), ("Country", record.country),
                        ("Organisation", record.organisation)]))
        page.add(section_title("On the letters"))
        for role in record.roles:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            inner.addWidget(caption(f"{ROLE_NAMES.get(role.role, role.role)} · "
                                    f"{role.letter_title}"))
            written = " ".join(p for p in (role.honorific, role.name_as_written) if p)
            inner.addWidget(text_label(written + (f", {role.title}" if role.title else "")))
            row = QHBoxLayout()
            row.addStretch(1)
            button = QPushButton("Show in letter")
            button.clicked.connect(lambda _=False, r=role: self.shell.open_letter_at(
                r.letter_id, r.start, r.end))
            row.addWidget(button)
            inner.addLayout(row)
            page.add(frame)
        self.set_detail(page.finish())
