"""Meetings and the briefing packs prepared for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefing_app.services.read_models import MeetingRead, PackSummary
from ui.models.records import Column
from ui.views.list_view import ListView
from ui.widgets.detail import CitationList, Page, caption, facts, heading, section_title, text_label

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class MeetingsView(ListView):
    title = "Meetings & packs"
    noun = "meetings"

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, "packs", [
            Column("Date", lambda r: r.date),
            Column("Formation", lambda r: r.formation),
            Column("Meeting", lambda r: r.title),
            Column("Place", lambda r: r.place),
        ], stretch=2, search_text=lambda r: " ".join(r.agenda))
        self._packs: list[PackSummary] = []

    def fetch(self) -> list[MeetingRead]:
        self._packs = self.services.catalogue.packs()
        return self.services.catalogue.meetings()

    def show_detail(self, record: Any | None) -> None:
        page = Page()
        if record is None:
            page.add(caption("No meeting yet."))
            self.set_detail(page.finish())
            return
        page.add(caption(record.formation))
        page.add(heading(record.title, 3))
        when = record.date.strftime("%d %B %Y").lstrip("0") if record.date else None
        page.add(facts([("Date", when), ("Place", record.place)]))
        if record.agenda:
            page.add(section_title("Agenda"))
            for number, item in enumerate(record.agenda, start=1):
                page.add(text_label(f"{number}. {item}"))
        packs = [p for p in self._packs if p.meeting_id == record.id]
        page.add(section_title("Briefing packs"))
        if not packs:
            page.add(caption("No pack built for this meeting yet."))
        for pack in packs:
            page.add(text_label(f"{pack.title} — {pack.versions} version(s), "
                                f"{pack.latest_page_count or '?'} pages"))
        if record.citations:
            page.add(section_title("From the letters"))
            citations = CitationList(record.citations)
            citations.show_in_letter.connect(self.main.open_letter_at)
            page.add(citations)
        self.set_detail(page.finish())
