"""How a partner country's detail pane begins: shared by the countries table and the
dashboard's cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_app.read_models import CountryRead
from ui.views.tracked import flags
from ui.widgets.detail import Page, caption, chips_row, facts, heading, section_title, text_label

if TYPE_CHECKING:
    from ui.views.tracked import TrackedView


class CountryDetail:
    """How a partner country's detail pane begins (shared by the table and the cards)."""

    @staticmethod
    def describe(record: CountryRead, page: Page, view: TrackedView) -> None:
        page.add(caption(f"{record.iso} · {' / '.join(record.routes)}"))
        page.add(heading(record.name, 3))
        page.add(chips_row([record.status, record.rag, flags(record) or ""]))
        if record.status_note:
            page.add(text_label(record.status_note))
        page.add(view.show_in_letter_button(record))
        if record.instruments:
            page.add(section_title("Cooperation instruments"))
            for instrument in record.instruments:
                page.add(text_label(f"{instrument.kind}: {instrument.name} ({instrument.state})"))
        page.add(facts([
            ("Measures naming it", ", ".join(map(str, record.measures)) or None),
            ("Indicators", ", ".join(record.indicators) or None),
            ("Owner", record.owner),
        ]))
