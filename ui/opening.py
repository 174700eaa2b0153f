"""Opening the item a passage names: its view, the item selected.

The main window's ``open_item`` (what a click on a marked passage of the
reader asks for) lands here. A *commitment* (a follow-up passage reporting on
it) opens where it is shown: a measure in the measures, an action point in
the action points, any other commitment in its letter's Commitments tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from briefing_app.domain import kinds
from briefing_app.read_models import CommitmentRead
from ui.tasks import Op

if TYPE_CHECKING:
    from briefing_app.services import Services
    from ui.views.letters import LettersView
    from ui.views.list_view import ListView


class Opener(Protocol):
    """What opening an item needs of the window."""

    services: Services
    letters_view: LettersView

    def show_view(self, key: str) -> ListView: ...


def open_item(window: Opener, kind: str, key: str) -> None:
    """Open an item named by a passage: its view, selected."""
    if kind == "action_point":
        window.show_view("action-points").select_where(lambda r: str(r.number) == key)
    elif kind == "measure":
        measures: Any = window.show_view("measures")
        measures.tabs.setCurrentIndex(0)
        measures.select_where(lambda r: str(r.number) == key)
    elif kind == "country":
        countries: Any = window.show_view("countries")
        countries.open_country(key)
    elif kind == "indicator":
        countries = window.show_view("countries")
        countries.open_indicator(key)
    elif kind == "person":
        window.show_view("people").select(int(key))
    elif kind == "meeting":
        window.show_view("packs").select(int(key))
    elif kind == "commitment":
        open_commitment(window, int(key))


def open_commitment(window: Opener, commitment_id: int) -> None:
    """Show a commitment's detail where its series is shown (read off the GUI thread)."""
    commitments = window.services.commitments

    def show(item: CommitmentRead) -> None:
        shown = kinds.of_series(item.series)
        if shown is kinds.MEASURES and item.state == "accepted":
            measures: Any = window.show_view("measures")
            measures.tabs.setCurrentIndex(0)
            measures.select(item.id)
        elif shown is kinds.ACTION_POINTS and item.state == "accepted":
            window.show_view("action-points").select(item.id)
        else:
            window.show_view("letters")
            window.letters_view.open_commitment(item.letter_id, item.id)

    Op(parent=window.letters_view, work=lambda: commitments.get(commitment_id),
       success=show).run_in_background()
