"""The shape every list view shares: filter, sortable table, detail pane."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import CitationRead
from ui.models.records import Column, FoldingFilterProxy, RecordTableModel
from ui.signals import emit
from ui.tasks import Op
from ui.widgets.detail import CitationList, Page, section_title
from ui.widgets.shortcuts import bind
from ui.widgets.status_chip import ChipDelegate

if TYPE_CHECKING:
    from ui.shell import Shell


def keep_keys_in(leaving: QWidget, fallback: QWidget) -> None:
    """Before ``leaving`` (a detail pane being replaced) goes, give the keyboard focus it
    holds to ``fallback`` (the list): a deleted focus widget leaves the window with none."""
    focus = QApplication.focusWidget()
    if focus is not None and leaving.isAncestorOf(focus):
        fallback.setFocus(Qt.FocusReason.OtherFocusReason)


class ListView(QWidget):
    """A filterable, sortable table of one kind of record with a detail pane.

    Subclasses say how to fetch records (a service call, run off the GUI
    thread), how to identify one, and what its detail pane shows.

    Signals:
        loaded: the records are in the table (emitted after every load).
        current_changed: another record (or none) is the current one.
    """

    loaded = Signal()
    current_changed = Signal()
    #: Lines of text a row shows (long titles wrap onto the second line, then elide).
    row_lines = 1

    title = ""
    noun = "items"
    #: The list's kind for File ▸ Export and the context menu (None: not exported).
    export_kind: str | None = None

    def __init__(self, shell: Shell, key: str, columns: Sequence[Column],
                 search_text: Callable[[Any], str] | None = None, *,
                 stretch: int | None = None,
                 sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)) -> None:
        super().__init__()
        self._stretch = len(columns) - 1 if stretch is None else stretch
        self._sized = False
        self.shell = shell
        self.services = shell.services
        self.key = key
        self.stale = True
        self._loading = False
        self._wanted: Callable[[Any], bool] | None = None

        self.model = RecordTableModel(columns, search_text)
        self.proxy = FoldingFilterProxy()
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(f"Filter {self.noun}…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {self.noun}")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(ChipDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(self.row_lines > 1)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Tab leaves the table (arrow keys move within it), as in every other list
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            28 + (self.row_lines - 1) * self.table.fontMetrics().lineSpacing())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setSortIndicator(sort[0], sort[1])
        header.setResizeContentsPrecision(200)  # fit columns to the first 200 rows, not 1000
        self.table.setAccessibleName(self.title or self.noun)
        # the columns always fit: the main one takes what the others leave
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)

        self.detail_area = QScrollArea()
        self.detail_area.setWidgetResizable(True)
        self.detail_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.detail_area.setMinimumWidth(320)
        self.detail_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its widgets take focus

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.body())

        self.filter_edit.textChanged.connect(self._on_filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        bind(QKeySequence(Qt.Key.Key_Escape), self.filter_edit, self.filter_edit.clear,
             Qt.ShortcutContext.WidgetShortcut)
        self.filter_edit.returnPressed.connect(self.table.setFocus)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

    def body(self) -> QWidget:
        """What fills the view; subclasses may wrap the splitter (e.g. in tabs)."""
        return self.splitter

    # -- to be provided -----------------------------------------------------------------

    def fetch(self) -> list[Any]:
        """The records (runs off the GUI thread)."""
        raise NotImplementedError

    def key_of(self, record: Any) -> Any:
        return record.id

    def show_detail(self, record: Any | None) -> None:
        raise NotImplementedError

    def after_load(self, records: list[Any]) -> None:
        """Hook for views that show the records elsewhere too (cards, timeline)."""

    # -- loading ------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the records in the background and show them."""
        if self._loading:
            return
        self._loading = True
        Op(parent=self, work=self.fetch, success=self._show_records).finally_(
            self._done_loading).run_in_background()

    def _done_loading(self) -> None:
        self._loading = False

    def _show_records(self, records: list[Any]) -> None:
        self._loading = False
        current = self.current_record()
        wanted = self._wanted
        if wanted is None and current is not None:
            kept_key = self.key_of(current)
            wanted = lambda record: self.key_of(record) == kept_key  # noqa: E731
        self.model.set_records(records)
        self.stale = False
        if not self._sized:
            self._size_columns()
        else:
            self._fit_minimums()  # a layout restored from an older version
        self._update_count()
        self.after_load(records)
        self._wanted = None
        if wanted is None or not self.select_where(wanted):
            if self.proxy.rowCount():
                self.table.selectRow(0)
            else:
                self.show_detail(None)
        emit(self.loaded)

    def _size_columns(self) -> None:
        """Fit columns to their content once, none wider than a third of the table."""
        self._sized = True
        header = self.table.horizontalHeader()
        width = self.table.viewport().width()
        for column in range(self.model.columnCount()):
            if column == self._stretch:
                continue
            self.table.resizeColumnToContents(column)
            # chips, numbers and dates keep their width; other text wraps or elides
            limit = 10_000 if self.model.column_kind(column) != "text" \
                else max(90, width // 5)
            header.resizeSection(column, min(header.sectionSize(column) + 12, limit))
        self._fit_minimums()
        self.fit_columns()

    def _fit_minimums(self) -> None:
        """Columns declared to fit some texts (a date column: every month) are never
        narrower."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column in range(self.model.columnCount()):
            fits = self.model.column_fits(column)
            if fits and column != self._stretch:
                widest = max(metrics.horizontalAdvance(text) for text in fits) + 24
                if header.sectionSize(column) < widest:
                    header.resizeSection(column, widest)

    def fit_columns(self) -> None:
        """Shrink the other columns when the main one would be squeezed below a
        readable width, so that no horizontal scrollbar is ever needed."""
        header = self.table.horizontalHeader()
        width = self.table.viewport().width()
        if width <= 0 or self.model.columnCount() == 0:
            return
        others = [c for c in range(self.model.columnCount())
                  if c != self._stretch and not header.isSectionHidden(c)]
        main_minimum = min(max(140, width // 3), width)
        spare = width - main_minimum - sum(header.sectionSize(c) for c in others)
        if spare >= 0:
            return
        floor = {c: max(36, header.sectionSizeFromContents(c).width(),
                        self.table.sizeHintForColumn(c)
                        if self.model.column_kind(c) != "text" else 0) for c in others}
        # take the excess from the widest columns first, never below their header
        excess = -spare
        for column in sorted(others, key=header.sectionSize, reverse=True):
            room = header.sectionSize(column) - floor[column]
            cut = min(room, excess)
            if cut > 0:
                header.resizeSection(column, header.sectionSize(column) - cut)
                excess -= cut
            if excess <= 0:
                break

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize \
                and self._sized:
            self.fit_columns()
        return False

    def reload_if_stale(self) -> None:
        if self.stale:
            self.load()

    # -- selection ----------------------------------------------------------------------

    def current_record(self) -> Any | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.record(self.proxy.mapToSource(index).row())

    def select(self, key: Any) -> bool:
        """Select the record with ``key`` (clearing a filter that hides it)."""
        return self.select_where(lambda record: self.key_of(record) == key)

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Select the first record ``predicate`` accepts, once the records are in."""
        if self.stale or self._loading:
            self._wanted = predicate
            self.load()
            return True
        row = self.model.row_of(predicate)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.model.record(self.proxy.mapToSource(current).row()) if current.isValid() \
            else None
        self.show_detail(record)
        emit(self.current_changed)

    def _on_filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total}")

    def visible_records(self) -> list[Any]:
        """The records the filter lets through, in the order shown."""
        return [self.model.record(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
                for row in range(self.proxy.rowCount())]

    def _context_menu(self, position: QPoint) -> None:
        if self.export_kind is None:
            return
        menu = QMenu(self)
        shown = len(self.visible_records())
        action = menu.addAction(f"Export the {shown} {self.noun} shown…")
        action.triggered.connect(self.export_shown)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def export_shown(self, path: Path | None = None) -> None:
        """Export what the filter shows, in the order shown (CSV or XLSX)."""
        from ui.dialogs.tables import ask_export_path
        from ui.operations.tables import export_list

        if self.export_kind is None:
            return
        target = path or ask_export_path(self, self.export_kind)
        if target is not None:
            export_list(self, self.shell, self.export_kind, target,
                        ids=[record.id for record in self.visible_records()])

    def add_citations(self, page: Page, citations: Sequence[CitationRead]) -> None:
        """The "From the letters" block of a detail pane, each passage with "Show in letter"."""
        if not citations:
            return
        page.add(section_title("From the letters"))
        passages = CitationList(citations)
        passages.show_in_letter.connect(self.shell.open_letter_at)
        page.add(passages)

    def set_detail(self, widget: QWidget) -> None:
        old = self.detail_area.takeWidget()
        if old is not None:
            keep_keys_in(old, self.table)
            old.deleteLater()
        self.detail_area.setWidget(widget)

    # -- settings -----------------------------------------------------------------------

    def help_topic(self) -> str:
        """The help page F1 opens for what the view shows (its key's, by default)."""
        return self.key

    def state_names(self) -> tuple[str, str]:
        """Settings keys; the header's is tied to the columns, so a new layout starts fresh."""
        headers = "|".join(str(self.model.headerData(c, Qt.Orientation.Horizontal))
                           for c in range(self.model.columnCount()))
        return f"header-{zlib.crc32(headers.encode()):08x}", "splitter"

    def save_state(self) -> dict[str, QByteArray]:
        header_key, splitter_key = self.state_names()
        return {header_key: self.table.horizontalHeader().saveState(),
                splitter_key: self.splitter.saveState()}

    def restore_state(self, state: dict[str, Any]) -> None:
        header_key, splitter_key = self.state_names()
        header, splitter = state.get(header_key), state.get(splitter_key)
        if isinstance(header, QByteArray) and not header.isEmpty():
            self._sized = self.table.horizontalHeader().restoreState(header)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
