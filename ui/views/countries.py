"""Partner countries: a dashboard by route, the table, the country × measure matrix, indicators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing_app.domain.routes import ROUTES
from briefing_app.domain.titles import short_title
from briefing_app.read_models import CountryRead, IndicatorRead, MeasureRead
from ui.models.records import Column, FoldingFilterProxy, RecordTableModel
from ui.signals import emit
from ui.tasks import Op
from ui.views.tracked import CountryDetail, TrackedView, flags
from ui.widgets.detail import Page, caption, chips_row, heading, section_title, text_label
from ui.widgets.status_chip import CHIP_ROLE, ChipDelegate

if TYPE_CHECKING:
    from ui.main_window import MainWindow


#: Status words short enough for a matrix cell (a legend explains them). They are
#: lower case and never two capitals, so none can be read as a country code.
SHORT = {"not started": "todo", "in progress": "active", "delayed": "late", "done": "done",
         "dropped": "drop", "no evidence": "?"}

#: Characters of a measure's short title in a matrix column header.
MATRIX_TITLE = 30

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


class MatrixModel(QAbstractTableModel):
    """Rows: countries; columns: measures; a cell shows the measure's status where
    the measure names the country."""

    def __init__(self) -> None:
        super().__init__()
        self.countries: list[CountryRead] = []
        self.measures: list[MeasureRead] = []

    def set_data(self, countries: Sequence[CountryRead], measures: Sequence[MeasureRead]) -> None:
        self.beginResetModel()
        named = {iso for m in measures for iso in m.countries}
        self.countries = sorted((c for c in countries if c.iso in named),
                                key=lambda c: (c.routes[0] if c.routes else "", c.name))
        self.measures = list(measures)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.countries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.measures)

    def cell(self, row: int, column: int) -> MeasureRead | None:
        measure = self.measures[column]
        return measure if self.countries[row].iso in measure.countries else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        measure = self.cell(index.row(), index.column())
        if measure is None:
            return None
        if role == CHIP_ROLE:
            return measure.status
        if role == Qt.ItemDataRole.DisplayRole:
            return SHORT.get(measure.status, measure.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{self.countries[index.row()].name} — measure {measure.number} "
                    f"({measure.status})\n{measure.text.splitlines()[0][:200]}")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                measure = self.measures[section]
                return f"{measure.number} · {short_title(measure.text, MATRIX_TITLE)}"
            return f"{self.countries[section].name} ({self.countries[section].iso})"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            measure = self.measures[section]
            return f"Measure {measure.number}: {measure.text.splitlines()[0]}"
        return None


class RotatedHeader(QHeaderView):
    """A horizontal header whose labels read upwards, so that a narrow column can
    carry a title; its height fits the longest label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(50)
        self.setHighlightSections(False)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        if model is None:
            return hint
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(str(model.headerData(
            c, Qt.Orientation.Horizontal) or "")) for c in range(model.columnCount())),
            default=0)
        return QSize(hint.width(), min(200, longest + 16))

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        painter.save()
        super().paintSection(painter, rect, logical)  # the section's frame and background
        painter.restore()
        model = self.model()
        if model is None:
            return
        painter.save()
        painter.fillRect(rect.adjusted(1, 1, -1, -1), self.palette().button())
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        area = QRect(6, 0, rect.height() - 10, rect.width())
        text = self.fontMetrics().elidedText(str(model.headerData(
            logical, Qt.Orientation.Horizontal) or ""), Qt.TextElideMode.ElideRight,
            area.width())
        painter.setPen(self.palette().buttonText().color())
        painter.drawText(area, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         text)
        painter.restore()


class ShortChipDelegate(ChipDelegate):
    """Matrix cells: the chip shows the short code, coloured by the full status."""

    def paint(self, painter: Any, option: Any, index: Any) -> None:
        status = index.data(CHIP_ROLE)
        if not status:
            super().paint(painter, option, index)
            return
        from ui.widgets.status_chip import chip_colours

        fill, ink = chip_colours(status)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 4, -4, -4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(ink)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), SHORT.get(status, status))
        painter.restore()


class CountriesView(TrackedView):
    """Signals:
        extras_loaded: the dashboard, matrix and indicators are filled.
    """

    extras_loaded = Signal()
    title = "Partner countries"
    noun = "countries"
    kind = "countries"
    export_kind = "countries"

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, "countries", [
            Column("ISO", lambda r: r.iso),
            Column("Country", lambda r: r.name),
            Column("Routes", lambda r: r.routes),
            Column("Status", lambda r: r.status, "chip"),
            Column("RAG", lambda r: r.rag, "chip"),
            Column("Instruments", lambda r: [i.kind for i in r.instruments]),
        ], stretch=5, search_text=lambda r: " ".join([r.status_note or "",
                                           *[i.name for i in r.instruments]]))
        self.current_changed.connect(self._follow_table)
        self._card_chosen = False

    def item_key(self, record: Any) -> str:
        return str(record.iso)

    def body(self) -> QWidget:
        self.tabs = QTabWidget()
        self.dashboard = CountryDashboard()
        self.dashboard.country_selected.connect(self._card_selected)
        self.dashboard.country_activated.connect(self.open_country)
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.splitter, "Table")
        self.matrix_model = MatrixModel()
        self.matrix = QTableView()
        self.matrix.setHorizontalHeader(RotatedHeader(self.matrix))
        self.matrix.setModel(self.matrix_model)
        self.matrix.setItemDelegate(ShortChipDelegate(self.matrix))
        self.matrix.verticalHeader().setDefaultSectionSize(28)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setTabKeyNavigation(False)
        self.matrix.setAccessibleName("Country by measure matrix")
        self.matrix.doubleClicked.connect(self._matrix_clicked)
        self.matrix.activated.connect(self._matrix_clicked)
        matrix_page = QWidget()
        matrix_layout = QVBoxLayout(matrix_page)
        legend = caption(
            "Which measures of 26 January 2023 name which partner country, with the measure's "
            "status: " + " · ".join(f"{code} {status}" for status, code in SHORT.items())
            + ". Double-click a cell or press Enter to open the measure; hover a column "
            "for the measure's text.")
        legend.setWordWrap(True)
        matrix_layout.addWidget(legend)
        matrix_layout.addWidget(self.matrix, 1)
        self.tabs.addTab(matrix_page, "Country × measure")
        self.indicators = IndicatorsPanel(self.main)
        self.tabs.addTab(self.indicators, "Indicators")
        # one detail pane, shown beside the cards or beside the table
        self.tabs.currentChanged.connect(self._place_detail)
        self._place_detail(self.tabs.currentIndex())
        return self.tabs

    def _place_detail(self, index: int) -> None:
        if self.tabs.widget(index) is self.dashboard:
            if self.detail_area.parent() is not self.dashboard:
                if self.detail_area.parent() is self.splitter and self.splitter.isVisible():
                    self._table_state = self.splitter.saveState()
                self.dashboard.addWidget(self.detail_area)
                self.dashboard.setSizes([660, 400])
        elif self.tabs.widget(index) is self.splitter \
                and self.detail_area.parent() is not self.splitter:
            self.splitter.addWidget(self.detail_area)
            state = getattr(self, "_table_state", None)
            if not (isinstance(state, QByteArray) and self.splitter.restoreState(state)):
                self.splitter.setSizes([640, 420])

    # the table's splitter is saved with the detail pane in it, wherever the pane is now
    def save_state(self) -> dict[str, QByteArray]:
        state = super().save_state()
        if self.detail_area.parent() is not self.splitter:
            saved = getattr(self, "_table_state", None)
            key = self.state_names()[1]
            if isinstance(saved, QByteArray):
                state[key] = saved
            else:
                state.pop(key, None)
        return state

    def restore_state(self, state: dict[str, Any]) -> None:
        key = self.state_names()[1]
        table = state.get(key)
        super().restore_state({k: v for k, v in state.items() if k != key})
        if isinstance(table, QByteArray) and not table.isEmpty():
            self._table_state = table
            if self.detail_area.parent() is self.splitter:
                self.splitter.restoreState(table)

    def _card_selected(self, iso: str) -> None:
        self._card_chosen = True
        self.select_where(lambda r: r.iso == iso)

    def _follow_table(self) -> None:
        record = self.current_record()
        if record is not None and record.iso != self.dashboard.selected_iso:
            self.dashboard._show_selected(record.iso)

    def fetch(self) -> list[CountryRead]:
        return self.services.tracking.countries()

    def after_load(self, records: list[Any]) -> None:
        services = self.services

        def work() -> tuple[list[MeasureRead], list[IndicatorRead]]:
            return services.tracking.measures(), services.catalogue.indicators(
                with_citations=True)

        def show(loaded: tuple[list[MeasureRead], list[IndicatorRead]]) -> None:
            measures, indicators = loaded
            self.dashboard.set_countries(records, indicators)
            current = self.current_record()
            if self.tabs.currentWidget() is self.dashboard and self.dashboard.cards \
                    and not self._card_chosen:
                # on the dashboard, the detail beside the cards is the first card's
                self.dashboard.select_card_at(0, focus=False)
            elif current is not None:
                self.dashboard._show_selected(current.iso)
            self.matrix_model.set_data(records, measures)
            self.indicators.set_indicators(indicators)
            emit(self.extras_loaded)

        Op(parent=self, work=work, success=show).run_in_background()

    def open_country(self, iso: str) -> None:
        self.tabs.setCurrentIndex(1)
        self.select_where(lambda r: r.iso == iso)

    def open_indicator(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.indicators)
        self.indicators.select(key)

    def _matrix_clicked(self, index: QModelIndex) -> None:
        measure = self.matrix_model.cell(index.row(), index.column())
        if measure is not None:
            self.main.open_item("measure", str(measure.number))

    def describe(self, record: CountryRead, page: Page) -> None:
        CountryDetail.describe(record, page, self)


class IndicatorsPanel(QWidget):
    """Every figure the letters give, with the passage it comes from."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.model = RecordTableModel([
            Column("Figure", lambda r: r.display),
            Column("What", lambda r: r.label),
            Column("Route", lambda r: r.route),
            Column("Country", lambda r: r.country),
            Column("As of", lambda r: r.as_of),
        ], search_text=lambda r: r.key)
        self.proxy = FoldingFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.quote = text_label("")
        self.source = caption("")
        self.button = QPushButton("Show in letter")
        self.button.setEnabled(False)
        self.button.clicked.connect(self._show_in_letter)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.quote)
        detail_layout.addWidget(self.source)
        detail_layout.addWidget(self.button)
        detail_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([500, 160])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self._current: IndicatorRead | None = None

    def set_indicators(self, indicators: Sequence[IndicatorRead]) -> None:
        self.model.set_records(indicators)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def select(self, key: str) -> None:
        row = self.model.row_of(lambda r: r.key == key)
        if row is not None:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.model.record(self.proxy.mapToSource(current).row())
        self._current = record
        if record is None or not record.citations:
            self.quote.setText("")
            self.source.setText("")
            self.button.setEnabled(False)
            return
        citation = record.citations[0]
        self.quote.setText(f"“{citation.quote}”")
        self.source.setText(f"{citation.letter_title} · {record.period or ''}")
        self.button.setEnabled(True)

    def _show_in_letter(self) -> None:
        if self._current is not None and self._current.citations:
            citation = self._current.citations[0]
            self.main.open_letter_at(citation.letter_id, citation.start, citation.end)

