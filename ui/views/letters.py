"""Letters: the list, and the reader with the letter's people and details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from briefing_app.read_models import LetterDetail, LetterSummary
from ui.models.records import Column
from ui.signals import emit
from ui.tasks import Op
from ui.views.list_view import ListView
from ui.views.reader import LetterReader, ReaderContent, prepare
from ui.views.review import ReviewPanel
from ui.widgets.detail import Page, caption, facts, section_title, text_label

if TYPE_CHECKING:
    from ui.shell import Shell

ROLE_TITLES = {"sender": "Sender", "signatory": "Signed by", "recipient": "Addressed to",
               "attention": "To the attention of", "cc": "Copied to"}

COLUMNS = [
    Column("Date", lambda r: r.date),
    Column("Title", lambda r: r.title),
    Column("Kind", lambda r: r.kind),
]


class LettersView(ListView):
    """Signals:
        reader_ready(letter_id): the reader shows that letter (at its focus, if any).
    """

    reader_ready = Signal(int)
    title = "Letters"
    row_lines = 2
    noun = "letters"
    export_kind = "letters"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "letters", COLUMNS, stretch=1,
                         sort=(0, Qt.SortOrder.DescendingOrder),
                         search_text=lambda r: f"{r.source_name} {r.place or ''} "
                                               f"{r.reference or ''}")
        self.reader = LetterReader()
        self.details = QTabWidget()
        self.details.addTab(self.reader, "Letter")
        self.people_page = QWidget()
        self.details.addTab(self.people_page, "People && details")
        self.review = ReviewPanel(shell)
        self.details.addTab(self.review, "Commitments")
        self.review.title_changed.connect(self._review_title)
        self.review.passage_selected.connect(self._mark_passage)
        self.review.show_in_letter.connect(lambda: self.details.setCurrentWidget(self.reader))
        self.detail_area.setWidget(self.details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([480, 720])
        self.reader.item_activated.connect(shell.open_item)
        self._focus: dict[int, tuple[int, int]] = {}
        self._shown_letter: int | None = None
        self._held = False
        self._held_content: ReaderContent | None = None

    def fetch(self) -> list[LetterSummary]:
        return self.services.letters.list()

    def open_letter(self, letter_id: int, focus: tuple[int, int] | None = None) -> None:
        """Show a letter, opened at the ``focus`` span if given."""
        if focus is not None:
            self._focus[letter_id] = focus
        current = self.current_record()
        if current is not None and current.id == letter_id and not self.stale:
            self._load_reader(letter_id)
        else:
            self.select(letter_id)

    def show_detail(self, record: Any | None) -> None:
        if record is None:
            self.reader.clear()
            self._shown_letter = None
            self.review.show_letter(None)
            return
        self._load_reader(record.id)
        self.review.show_letter(record.id)

    def _review_title(self, text: str) -> None:
        self.details.setTabText(self.details.indexOf(self.review), text.replace("&", "&&"))

    def _mark_passage(self, letter_id: int, start: int, end: int) -> None:
        """A commitment chosen in the Commitments tab: the reader marks its passage."""
        if self.details.currentWidget() is not self.review:
            return  # not the user's choice: the tab selected its first row itself
        current = self.current_record()
        if current is not None and current.id == letter_id:
            self._focus[letter_id] = (start, end)
            self._load_reader(letter_id)

    def help_topic(self) -> str:
        return "review" if self.details.currentWidget() is self.review else "letters"

    def open_commitment(self, letter_id: int, commitment_id: int) -> ReviewPanel:
        """The letter's Commitments tab with this commitment selected (its detail below)."""
        self.review.want(commitment_id)
        current = self.current_record()
        if current is None or current.id != letter_id or self.stale:
            self.select(letter_id)
        return self.open_review()

    def open_review(self) -> ReviewPanel:
        """Show the Commitments tab, its list focused."""
        self.details.setCurrentWidget(self.review)
        self.review.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return self.review

    def _load_reader(self, letter_id: int) -> None:
        focus = self._focus.pop(letter_id, None)
        services = self.services

        def work() -> ReaderContent:
            return prepare(services.letters.get(letter_id), services.letters.passages(letter_id),
                           focus, services.follow_ups.in_letter(letter_id))

        Op(parent=self, work=work, success=self._arrived).run_in_background()

    def _arrived(self, content: ReaderContent) -> None:
        self._show_content(content)

    def hold_reader(self) -> None:
        """Keep the letters that arrive for the reader until :meth:`release_reader`.

        ui/app.py holds the first letter until the window's first frame is on
        screen: typesetting it (``setHtml``) would make that frame wait.
        """
        self._held = True

    def release_reader(self) -> bool:
        """Show the letter held back, if any; True if the reader now shows it."""
        self._held = False
        content, self._held_content = self._held_content, None
        return content is not None and self._show_content(content)

    @property
    def reader_held(self) -> bool:
        return self._held

    def _show_content(self, content: ReaderContent) -> bool:
        current = self.current_record()
        if current is None or current.id != content.letter.id:
            return False  # the user has moved on to another letter
        if self._held:
            self._held_content = content
            return False
        self._shown_letter = content.letter.id
        self.reader.show_content(content)
        self._show_people(content.letter)
        emit(self.reader_ready, content.letter.id)
        return True

    def _show_people(self, letter: LetterDetail) -> None:
        page = Page()
        for role, title in ROLE_TITLES.items():
            people = [r for r in letter.roles if r.role == role]
            if not people:
                continue
            page.add(section_title(title))
            for person in people:
                name = " ".join(p for p in (person.honorific, person.name_as_written) if p)
                line = name + (f", {person.title}" if person.title else "")
                if person.organisation and person.organisation not in (person.title or ""):
                    line += f" ({person.organisation})"
                page.add(text_label(line))
        if letter.annexes:
            page.add(section_title("Annexes"))
            for annex in letter.annexes:
                page.add(text_label(f"Annex {annex.label}: {annex.title}"))
        if letter.corrections:
            page.add(section_title("Corrections (the original text is kept)"))
            for fix in letter.corrections:
                page.add(text_label(f"“{fix.original}” should read “{fix.corrected}”"))
                if fix.note:
                    page.add(caption(fix.note))
        page.add(section_title("Source"))
        page.add(facts([("File", letter.source_name), ("SHA-256", letter.sha256[:16] + "…"),
                        ("Encoding", letter.encoding),
                        ("Imported", letter.imported_at.astimezone().strftime("%d %b %Y %H:%M")),
                        ("Action points", ", ".join(map(str, letter.action_points)) or None),
                        ("Measures", ", ".join(map(str, letter.measures)) or None)]))
        page.finish()
        index = self.details.indexOf(self.people_page)
        self.details.removeTab(index)
        self.people_page.deleteLater()
        self.people_page = page
        self.details.insertTab(index, page, "People && details")
