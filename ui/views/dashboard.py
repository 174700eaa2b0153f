"""The partner-country dashboard: one card per country, grouped by migratory route, and
the selected country's detail beside the cards."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.routes import ROUTES
from briefing_app.read_models import CountryRead, IndicatorRead
from ui.signals import emit
from ui.views.tracked import flags
from ui.widgets.detail import caption, chips_row, heading, section_title, text_label

if TYPE_CHECKING:
    pass


#: Cards per row on the dashboard (the country's detail sits beside them).
CARD_COLUMNS = 3


#: Arrow keys on a card: where the focus moves (columns, rows).
MOVES = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
         Qt.Key.Key_Down: (0, 1)}


class CountryCard(QFrame):
    """One country on the dashboard.

    Signals:
        clicked(iso): the user selected the card (click, or focus by keyboard).
        activated(iso): double-click, Enter or Space: open the country.
        move_requested(iso, (dx, dy)): an arrow key asks for the neighbouring card.
    """

    clicked = Signal(str)
    activated = Signal(str)
    move_requested = Signal(str, object)

    def __init__(self, country: CountryRead, indicators: Sequence[IndicatorRead]) -> None:
        super().__init__()
        self.iso = country.iso
        self.setObjectName("countryCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(country.status_note or country.name)
        self.setAccessibleName(f"{country.name}, {country.status}, RAG {country.rag}")
        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(heading(f"{country.name}  ({country.iso})", 1))
        layout.addWidget(chips_row([country.status, country.rag, flags(country) or ""]))
        for instrument in country.instruments[:4]:
            what = instrument.name if instrument.kind == "other" else instrument.kind
            layout.addWidget(caption(f"{what} · {instrument.state}"))
        if len(country.instruments) > 4:
            layout.addWidget(caption(f"+ {len(country.instruments) - 4} more instruments"))
        for indicator in indicators[:2]:
            layout.addWidget(text_label(f"{indicator.display}: {indicator.label}",
                                        selectable=False))
        layout.addStretch(1)
        self._pressed = False
        self._double = False
        self.set_selected(False)

    def set_selected(self, selected: bool) -> None:
        """The selected card shows a highlight border and is the one Tab reaches."""
        self.selected = selected
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if selected
                            else Qt.FocusPolicy.ClickFocus)
        self.setStyleSheet(
            "#countryCard { border: 2px solid palette(highlight); border-radius: 4px;"
            " background: palette(base); }" if selected
            else "#countryCard { border: 1px solid palette(mid); border-radius: 4px;"
                 " margin: 1px; }")

    # a click selects and a double-click opens, each acting only on the card the
    # press began on: nothing happens on press, everything on the matching release
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = True
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed, self._double = True, True
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        began_here, double = self._pressed, self._double
        self._pressed = self._double = False
        if event.button() != Qt.MouseButton.LeftButton or not began_here \
                or not self.rect().contains(event.position().toPoint()):
            return
        event.accept()
        emit(self.clicked, self.iso)
        if double:
            emit(self.activated, self.iso)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            emit(self.activated, self.iso)
        elif key in MOVES:
            emit(self.move_requested, self.iso, MOVES[key])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.selected:
            emit(self.clicked, self.iso)


class CountryDashboard(QSplitter):
    """Cards grouped by migratory route, and the selected country's detail beside them.

    Signals:
        country_selected(iso): a card was selected (click or keyboard).
        country_activated(iso): a card was opened (double-click or Enter).
    """

    country_selected = Signal(str)
    country_activated = Signal(str)

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.cards_area = QScrollArea()
        self.cards_area.setWidgetResizable(True)
        self.cards_area.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addWidget(self.cards_area)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(0, 3)
        self.cards: list[CountryCard] = []
        #: (route, row, column) of each card, in the order shown
        self._places: list[tuple[int, int, int]] = []
        self.selected_iso: str | None = None

    def set_countries(self, countries: Sequence[CountryRead],
                      indicators: Sequence[IndicatorRead]) -> None:
        by_country: dict[str, list[IndicatorRead]] = {}
        for indicator in indicators:
            if indicator.country:
                by_country.setdefault(indicator.country, []).append(indicator)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        self.cards, self._places = [], []
        routes = list(ROUTES) + sorted({r for c in countries for r in c.routes} - set(ROUTES))
        group = 0
        for route in routes:
            members = [c for c in countries if route in c.routes]
            if not members:
                continue
            layout.addWidget(section_title(f"{route} ({len(members)})"))
            grid = QGridLayout()
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(10)
            for position, country in enumerate(members):
                card = CountryCard(country, by_country.get(country.iso, []))
                card.clicked.connect(self.select_card)
                card.activated.connect(self._activated)
                card.move_requested.connect(self._move)
                self.cards.append(card)
                row, column = divmod(position, CARD_COLUMNS)
                self._places.append((group, row, column))
                grid.addWidget(card, row, column)
            for column in range(CARD_COLUMNS):
                grid.setColumnStretch(column, 1)
            layout.addLayout(grid)
            group += 1
        layout.addStretch(1)
        self.cards_area.setWidget(page)
        wanted = self.selected_iso if any(c.iso == self.selected_iso for c in self.cards) \
            else (self.cards[0].iso if self.cards else None)
        if wanted is not None:
            self._show_selected(wanted)

    def card_index(self, iso: str) -> int | None:
        return next((i for i, card in enumerate(self.cards) if card.iso == iso), None)

    def _show_selected(self, iso: str) -> int | None:
        index = self.card_index(iso)
        self.selected_iso = iso
        for position, card in enumerate(self.cards):
            card.set_selected(position == index)
        return index

    def select_card(self, iso: str) -> None:
        """Select the card (the first of that country, when it is on two routes)."""
        sender = self.sender()
        index = self._show_selected(iso)
        if isinstance(sender, CountryCard) and sender in self.cards:
            index = self.cards.index(sender)
            for card in self.cards:
                card.set_selected(card is sender)
        if index is not None:
            self.cards_area.ensureWidgetVisible(self.cards[index], 8, 8)
        emit(self.country_selected, iso)

    def _activated(self, iso: str) -> None:
        emit(self.country_activated, iso)

    def _move(self, iso: str, step: tuple[int, int]) -> None:
        sender = self.sender()
        current = self.cards.index(sender) if sender in self.cards else self.card_index(iso)
        if current is None:
            return
        target = self.neighbour(current, step)
        if target is not None:
            self.cards[target].setFocus(Qt.FocusReason.TabFocusReason)
            self.select_card_at(target)

    def select_card_at(self, index: int, *, focus: bool = True) -> None:
        card = self.cards[index]
        for other in self.cards:
            other.set_selected(other is card)
        self.selected_iso = card.iso
        if focus:
            card.setFocus(Qt.FocusReason.OtherFocusReason)
        self.cards_area.ensureWidgetVisible(card, 8, 8)
        emit(self.country_selected, card.iso)

    def neighbour(self, index: int, step: tuple[int, int]) -> int | None:
        """The card an arrow key leads to: along the row, or to the same column of the
        row above or below (the nearest card of the next or previous route's group)."""
        dx, dy = step
        if dx:
            target = index + dx
            return target if 0 <= target < len(self.cards) else None
        group, row, column = self._places[index]
        rows = sorted({(g, r) for g, r, _ in self._places})
        at = rows.index((group, row)) + dy
        if not 0 <= at < len(rows):
            return None
        want_group, want_row = rows[at]
        candidates = [i for i, (g, r, _) in enumerate(self._places)
                      if (g, r) == (want_group, want_row)]
        return min(candidates, key=lambda i: abs(self._places[i][2] - column))
