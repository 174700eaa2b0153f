"""Partner countries: a dashboard by route, the table, the country × measure matrix, indicators."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import CommitmentRead, CountryRead, IndicatorRead, MeasureRead
from ui.models.records import Column, FoldingFilterProxy, RecordTableModel
from ui.signals import emit
from ui.tasks import Op
from ui.views.country_detail import CountryDetail
from ui.views.tracked import TrackedView, as_of_column
from ui.widgets.detail import Page, caption, text_label

if TYPE_CHECKING:
    from ui.shell import Shell


from ui.views.dashboard import CountryDashboard
from ui.views.matrix import (
    DEFAULT_SERIES,
    SHORT,
    MatrixModel,
    RotatedHeader,
    ShortChipDelegate,
)

STATUS_CODES = " · ".join(f"{code} {status}" for status, code in SHORT.items())
MATRIX_LEGEND = (
    "Which measures of 26 January 2023 name which partner country, with the measure's "
    "status: " + STATUS_CODES + ". Double-click a cell or press Enter to open the measure; "
    "hover a column for the measure's text.")


class CountriesView(TrackedView):
    """Signals:
        extras_loaded: the dashboard, matrix and indicators are filled.
        matrix_loaded: the matrix shows the series chosen in its combo.
    """

    extras_loaded = Signal()
    matrix_loaded = Signal()
    title = "Partner countries"
    row_lines = 2  # routes and the "as of" date with "stale" wrap instead of being cut
    noun = "countries"
    kind = "countries"
    export_kind = "countries"

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "countries", [
            Column("ISO", lambda r: r.iso),
            Column("Country", lambda r: r.name),
            Column("Routes", lambda r: r.routes),
            Column("Status", lambda r: r.status, "chip"),
            Column("RAG", lambda r: r.rag, "chip"),
            as_of_column(self),
            Column("Instruments", lambda r: [i.kind for i in r.instruments]),
        ], stretch=6, search_text=lambda r: " ".join([r.status_note or "",
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
        self.matrix_series = QComboBox()
        self.matrix_series.setAccessibleName("Series of the matrix")
        self.matrix_series.setToolTip("Which series of commitments the columns show: the "
                                      "measures, or the accepted ones of another letter")
        self.matrix_series.addItem("Operational measures", DEFAULT_SERIES)
        self.matrix_series.currentIndexChanged.connect(self._load_matrix)
        chooser = QHBoxLayout()
        series_label = QLabel("&Columns:")
        series_label.setBuddy(self.matrix_series)
        chooser.addWidget(series_label)
        chooser.addWidget(self.matrix_series)
        chooser.addStretch(1)
        self.matrix_legend = caption(MATRIX_LEGEND)
        self.matrix_legend.setWordWrap(True)
        matrix_layout.addLayout(chooser)
        matrix_layout.addWidget(self.matrix_legend)
        matrix_layout.addWidget(self.matrix, 1)
        self.tabs.addTab(matrix_page, "Country × measure")
        self.indicators = IndicatorsPanel(self.shell)
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

        def work() -> tuple[list[MeasureRead], list[IndicatorRead], list[dict[str, Any]]]:
            return services.tracking.measures(), services.catalogue.indicators(
                with_citations=True), services.commitments.series()

        def show(loaded: tuple[list[MeasureRead], list[IndicatorRead],
                               list[dict[str, Any]]]) -> None:
            measures, indicators, series = loaded
            self.dashboard.set_countries(records, indicators)
            current = self.current_record()
            if self.tabs.currentWidget() is self.dashboard and self.dashboard.cards \
                    and not self._card_chosen:
                # on the dashboard, the detail beside the cards is the first card's
                self.dashboard.select_card_at(0, focus=False)
            elif current is not None:
                self.dashboard._show_selected(current.iso)
            self._set_series(series)
            if self.matrix_series.currentData() == DEFAULT_SERIES:
                self.matrix_model.set_data(records, measures)
            else:
                self._load_matrix()
            self.indicators.set_indicators(indicators)
            emit(self.extras_loaded)

        Op(parent=self, work=work, success=show).run_in_background()

    def _set_series(self, series: list[dict[str, Any]]) -> None:
        """The combo's series: the measures first, then every other with accepted ones."""
        chosen = self.matrix_series.currentData()
        self.matrix_series.blockSignals(True)
        self.matrix_series.clear()
        self.matrix_series.addItem("Operational measures", DEFAULT_SERIES)
        for entry in series:
            if entry["key"] != DEFAULT_SERIES and entry["accepted"]:
                self.matrix_series.addItem(
                    f"{entry['title']} (letter {entry['letter_id']}, {entry['accepted']} "
                    "accepted)", entry["key"])
        found = self.matrix_series.findData(chosen)
        self.matrix_series.setCurrentIndex(max(0, found))
        self.matrix_series.blockSignals(False)

    def _load_matrix(self) -> None:
        """Fill the matrix with the chosen series (the measures, by default)."""
        key = self.matrix_series.currentData() or DEFAULT_SERIES
        services, countries = self.services, self.model.records()

        def work() -> list[Any]:
            if key == DEFAULT_SERIES:
                return list(services.tracking.measures())
            return list(services.commitments.list(series=key, state="accepted"))

        def show(items: list[Any]) -> None:
            if (self.matrix_series.currentData() or DEFAULT_SERIES) != key:
                return
            noun = "measure" if key == DEFAULT_SERIES else "commitment"
            self.matrix_model.set_data(countries, items, noun)
            title = self.matrix_series.currentText().split(" (letter")[0]
            self.matrix_legend.setText(MATRIX_LEGEND if key == DEFAULT_SERIES else (
                f"Which accepted commitments of “{title}” name "
                "which partner country, with the commitment's status: " + STATUS_CODES
                + ". Double-click a cell or press Enter to open it in its letter."))
            emit(self.matrix_loaded)

        Op(parent=self, work=work, success=show).run_in_background()

    def open_country(self, iso: str) -> None:
        self.tabs.setCurrentIndex(1)
        self.select_where(lambda r: r.iso == iso)

    def open_indicator(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.indicators)
        self.indicators.select(key)

    def _matrix_clicked(self, index: QModelIndex) -> None:
        item = self.matrix_model.cell(index.row(), index.column())
        if isinstance(item, CommitmentRead):
            self.shell.open_letter_at(item.letter_id, item.start, item.end)
        elif item is not None:
            self.shell.open_item("measure", str(item.number))

    def describe(self, record: CountryRead, page: Page) -> None:
        CountryDetail.describe(record, page, self)


class IndicatorsPanel(QWidget):
    """Every figure the letters give, with the passage it comes from."""

    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
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
            self.shell.open_letter_at(citation.letter_id, citation.start, citation.end)

