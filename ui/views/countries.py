"""Partner countries: a dashboard by route, the table, the country × measure matrix, indicators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QMouseEvent
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
from briefing_app.services.read_models import CountryRead, IndicatorRead, MeasureRead
from ui.models.records import Column, FoldingFilterProxy, RecordTableModel
from ui.signals import emit
from ui.tasks import Op
from ui.views.tracked import CountryDetail, TrackedView, flags
from ui.widgets.detail import Page, caption, chips_row, heading, section_title, text_label
from ui.widgets.status_chip import CHIP_ROLE, ChipDelegate

if TYPE_CHECKING:
    from ui.main_window import MainWindow


#: Short status codes for the matrix cells (a legend explains them).
SHORT = {"not started": "NS", "in progress": "IP", "delayed": "DL", "done": "OK",
         "dropped": "DR", "no evidence": "NE"}


class CountryCard(QFrame):
    """One country on the dashboard. Signals: clicked(iso)."""

    clicked = Signal(str)

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
            layout.addWidget(text_label(f"{indicator.display}: {indicator.label}"))
        layout.addStretch(1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        emit(self.clicked, self.iso)
        super().mousePressEvent(event)


class CountryDashboard(QScrollArea):
    """Cards grouped by migratory route. Signals: country_clicked(iso)."""

    country_clicked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.cards: list[CountryCard] = []

    def set_countries(self, countries: Sequence[CountryRead],
                      indicators: Sequence[IndicatorRead]) -> None:
        by_country: dict[str, list[IndicatorRead]] = {}
        for indicator in indicators:
            if indicator.country:
                by_country.setdefault(indicator.country, []).append(indicator)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        self.cards = []
        routes = list(ROUTES) + sorted({r for c in countries for r in c.routes} - set(ROUTES))
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
                card.clicked.connect(self.country_clicked)
                self.cards.append(card)
                grid.addWidget(card, position // 4, position % 4)
            for column in range(4):
                grid.setColumnStretch(column, 1)
            layout.addLayout(grid)
        layout.addStretch(1)
        self.setWidget(page)


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
                return f"M{self.measures[section].number}"
            return f"{self.countries[section].name} ({self.countries[section].iso})"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.measures[section].text.splitlines()[0]
        return None


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

    def item_key(self, record: Any) -> str:
        return str(record.iso)

    def body(self) -> QWidget:
        self.tabs = QTabWidget()
        self.dashboard = CountryDashboard()
        self.dashboard.country_clicked.connect(self.open_country)
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.splitter, "Table")
        self.matrix_model = MatrixModel()
        self.matrix = QTableView()
        self.matrix.setModel(self.matrix_model)
        self.matrix.setItemDelegate(ShortChipDelegate(self.matrix))
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.matrix.horizontalHeader().setDefaultSectionSize(46)
        self.matrix.verticalHeader().setDefaultSectionSize(28)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setAccessibleName("Country by measure matrix")
        self.matrix.doubleClicked.connect(self._matrix_clicked)
        matrix_page = QWidget()
        matrix_layout = QVBoxLayout(matrix_page)
        matrix_layout.addWidget(caption(
            "Which measures of 26 January 2023 name which partner country, with the measure's "
            "status: NS not started · IP in progress · DL delayed · OK done · DR dropped · "
            "NE no evidence. Double-click a cell to open the measure."))
        matrix_layout.addWidget(self.matrix, 1)
        self.tabs.addTab(matrix_page, "Country × measure")
        self.indicators = IndicatorsPanel(self.main)
        self.tabs.addTab(self.indicators, "Indicators")
        return self.tabs

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

