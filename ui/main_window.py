"""The main window: navigation, the views, menus, undo, import, search, status bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import UserError
from briefing_app.read_models import ImportResult
from briefing_app.services import Services
from ui import window_state
from ui.dialogs.import_results import ImportResultsDialog
from ui.dialogs.search import SearchDialog
from ui.navigation import History, Location, history_button
from ui.signals import emit
from ui.tasks import Op, wait_for_writes
from ui.views.countries import CountriesView
from ui.views.letters import LettersView
from ui.views.list_view import ListView
from ui.views.meetings import MeetingsView
from ui.views.people import PeopleView
from ui.views.tracked import ActionPointsView, MeasuresView
from ui.widgets.detail import StatusEdit
from ui.widgets.evidence import NewestEvidenceLabel
from ui.widgets.screen import place_on_screen
from ui.widgets.shortcuts import bind, redo_keys, standard_keys
from ui.widgets.sidebar import make_sidebar

#: The views, in sidebar order: key (as in ``gui --view``) and label.
VIEWS = {
    "letters": "Letters",
    "action-points": "Action points",
    "measures": "Operational measures",
    "countries": "Partner countries",
    "people": "People",
    "packs": "Meetings & packs",
}

#: The window's size on a first start, when the screen has room for it.
DEFAULT_SIZE = (1400, 900)


class MainWindow(QMainWindow):
    """Signals:
        ready: the first view shows its rows (start-up is over).
        data_changed(kinds): the store changed; views of these kinds reload.
        write_done: a write (status change, undo, redo, import) reached the store.
    """

    ready = Signal()
    data_changed = Signal(object)
    write_done = Signal()

    def __init__(self, services: Services, *, remember: bool = True,
                 fit_screen: bool = True, warm_up_on_ready: bool = True) -> None:
        super().__init__()
        self.warm_up_on_ready = warm_up_on_ready  # False: the caller calls start_warm_up()
        self._warmed = False
        self.services = services
        self.remember = remember  # False: neither read nor write QSettings (screenshots)
        self.fit_screen = fit_screen  # False: keep the size asked for (offscreen screenshots)
        self.setWindowTitle("Briefing App")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self._ready_sent = False

        self.sidebar = make_sidebar(list(VIEWS.values()))
        self.sidebar_width = self.sidebar.minimumWidth()
        self.stack = QStackedWidget()
        self.views: dict[str, ListView] = {
            "letters": LettersView(self),
            "action-points": ActionPointsView(self),
            "measures": MeasuresView(self),
            "countries": CountriesView(self),
            "people": PeopleView(self),
            "packs": MeetingsView(self),
        }
        for number, (key, label) in enumerate(VIEWS.items(), start=1):
            item = QListWidgetItem(label)
            item.setToolTip(f"{label} (Ctrl+{number})")
            self.sidebar.addItem(item)
            self.stack.addWidget(self.views[key])
            bind(f"Ctrl+{number}", self, partial(self.show_view, key))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.sidebar_width, 1400 - self.sidebar_width])
        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("#readOnlyBanner { background: #fff3cd; color: #5c4400;"
                                  " padding: 8px 12px; border-bottom: 1px solid #e0c36a; }")
        refusal = services.team_refusal  # a team store says why (e.g. a reader's role)
        self.banner.setText(
            f"Read-only: {refusal}. You can read, search and export." if refusal else
            f"Read-only: the store {services.store.path} is in a write-protected place. You "
            "can read, search and export; to record changes, import or build packs, copy it "
            "to a writable folder.")
        self.banner.setVisible(services.read_only)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._on_sidebar)
        self.history = History()
        self._restoring = False
        for view in self.views.values():
            view.loaded.connect(self._on_view_loaded)
            view.current_changed.connect(self._note_location)
        self.letters_view: LettersView = self.views["letters"]  # type: ignore[assignment]

        self.search_dialog = SearchDialog(self, self)
        self.data_label = NewestEvidenceLabel(services)
        self.statusBar().addPermanentWidget(self.data_label)
        self._build_menus()
        if services.read_only:
            for action in self.write_actions:
                action.setEnabled(False)
        # several writes finishing together cause one refresh, not one each
        self._pending_kinds: set[str] = set()
        self._refresh_timer = QTimer(self, singleShot=True, interval=40)
        self._refresh_timer.timeout.connect(self._apply_data_changed)
        self.data_changed.connect(self._on_data_changed)
        self._restore_settings()
        self._placed = False
        # the mouse's back and forward buttons, wherever the pointer is in the window
        application = QGuiApplication.instance()
        if application is not None:
            application.installEventFilter(self)

    # -- menus --------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action("&Import letters…", self.choose_import,
                                          QKeySequence.StandardKey.Open,
                                          "Import letters from .txt or .md files")
        file_menu.addAction(self.import_action)
        self.import_table_action = self._action("Import &table…", self.choose_table_import,
                                                tip="Update statuses from a CSV or XLSX table")
        file_menu.addAction(self.import_table_action)
        file_menu.addAction(self._action("&Export…", self.choose_export, "Ctrl+E",
                                         "Export a list to CSV or XLSX"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Compose a pack…", self.compose_pack, "Ctrl+Shift+P",
                                         "Compose the briefing pack of the selected meeting"))
        self.build_action = self._action("&Build the pack…", self.build_pack, "Ctrl+B",
                                         "Build the pack being composed as a PDF")
        file_menu.addAction(self.build_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("S&ynchronise with the team store",
                                         lambda: team().synchronise(self, self), "Ctrl+Shift+Y",
                                         "Send this briefcase's changes, receive the team's"))
        file_menu.addAction(self._action("Sync &conflicts…",
                                         lambda: team().resolve_conflicts(self, self)))
        file_menu.addAction(self._action("&Back up…",
                                         lambda: maintenance().backup_store(self, self),
                                         tip="Save a copy of the store"))
        self.restore_action = self._action("&Restore…",
                                           lambda: maintenance().restore_store(self, self),
                                           tip="Replace the store with a backup")
        file_menu.addAction(self.restore_action)
        #: what a read-only store disables
        self.write_actions = [self.import_action, self.import_table_action,
                              self.restore_action, self.build_action]
        file_menu.addSeparator()
        quit_action = self._action("&Quit", self.close)
        quit_action.setShortcuts(standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        # the platform's Redo keys, plus Ctrl+Shift+Z where the platform lacks it; one
        # key given twice makes Qt report an ambiguous shortcut and do nothing
        self.redo_action.setShortcuts(redo_keys())
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("&Filter or find", self.focus_find,
                                         QKeySequence.StandardKey.Find))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("&Markings…", self.edit_markings,
                                         tip="The national security markings your ministry "
                                             "uses, besides the EU's"))
        edit_menu.addAction(self._action("&Tracking settings…", self.edit_tracking_settings,
                                         tip="After how many months without newer evidence "
                                             "an item is stale"))

        view_menu = bar.addMenu("&View")
        for number, (key, label) in enumerate(VIEWS.items(), start=1):
            # "&" starts a mnemonic in a menu: "Meetings & packs" must say so literally
            action = self._action(label.replace("&", "&&"), partial(self.show_view, key))
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            # shown in the menu; the window-wide QShortcut above does the work
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self._action("&Refresh", self.refresh,
                                         QKeySequence.StandardKey.Refresh))

        go_menu = bar.addMenu("&Go")
        self.back_action = self._action("&Back", self.go_back, "Alt+Left",
                                        "Back to what was shown before")
        self.forward_action = self._action("&Forward", self.go_forward, "Alt+Right",
                                           "Forward again")
        go_menu.addAction(self.back_action)
        go_menu.addAction(self.forward_action)
        go_menu.addSeparator()
        go_menu.addAction(self._action("&Search the letters…", self.search_dialog.open_search,
                                       "Ctrl+K"))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Help for this view", self.show_help,
                                         QKeySequence.StandardKey.HelpContents,
                                         "How to use the view on screen (offline)"))
        help_menu.addAction(self._action("&Keyboard shortcuts", lambda: self.show_help("keys")))
        help_menu.addSeparator()
        help_menu.addAction(self._action("&Check store",
                                         lambda: maintenance().check_store(self, self),
                                         tip="Integrity, references, search index, citations"))
        help_menu.addAction(self._action("&About Briefing App", self.show_about))
        self._update_history_actions()

    # -- views --------------------------------------------------------------------------

    def show_view(self, key: str) -> ListView:
        if key not in self.views:
            raise ValueError(f"unknown view {key!r}")
        self.sidebar.setCurrentRow(list(VIEWS).index(key))
        return self.views[key]

    def current_view(self) -> ListView:
        widget = self.stack.currentWidget()
        assert isinstance(widget, ListView)
        return widget

    def current_row_count(self) -> int:
        return self.current_view().proxy.rowCount()

    def _on_sidebar(self, row: int) -> None:
        if row < 0:
            return
        view = self.views[list(VIEWS)[row]]
        self.stack.setCurrentWidget(view)
        view.reload_if_stale()
        self._note_location()

    # -- back and forward ---------------------------------------------------------------

    def location(self) -> Location:
        """What is shown now: the view and its selected record."""
        view = self.current_view()
        record = view.current_record()
        return Location(view.key, view.key_of(record) if record is not None else None)

    def _note_location(self) -> None:
        if self._restoring or self.sidebar.currentRow() < 0:
            return
        self.history.visit(self.location())
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        if hasattr(self, "back_action"):
            self.back_action.setEnabled(self.history.can_go_back())
            self.forward_action.setEnabled(self.history.can_go_forward())

    def go_back(self) -> None:
        self._go(self.history.back())

    def go_forward(self) -> None:
        self._go(self.history.forward())

    def _go(self, location: Location | None) -> None:
        if location is None:
            return
        self._restoring = True
        try:
            view = self.show_view(location.view)
            if location.key is not None:
                if view is self.letters_view:
                    self.letters_view.open_letter(location.key, location.focus)
                else:
                    view.select(location.key)
        finally:
            self._restoring = False
        self._update_history_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        button = history_button(watched, event, self)
        if button is None:
            return False
        if button == Qt.MouseButton.BackButton:
            self.go_back()
        else:
            self.go_forward()
        return True

    @property
    def ready_sent(self) -> bool:
        return self._ready_sent

    def _on_view_loaded(self) -> None:
        if not self._ready_sent and not self.current_view().stale:
            self._ready_sent = True
            emit(self.ready)
            self.data_label.refresh()
            if self.warm_up_on_ready:
                self.start_warm_up()

    def prepare_composer(self) -> None:
        """Make the pack composer now (else it is made when the packs view first shows)."""
        self.views["packs"].composer  # type: ignore[attr-defined]  # noqa: B018

    def start_warm_up(self) -> None:
        """Load the ORM while the user reads, so that the first edit does not wait for it
        (once; ui/app.py starts it after the first frame is on screen)."""
        if not self._warmed:
            self._warmed = True
            Op(parent=self, work=self.services.warm_up,
               success=lambda _: None).run_in_background()

    def refresh(self) -> None:
        emit(self.data_changed, set(VIEWS))

    def _on_data_changed(self, kinds: Iterable[str]) -> None:
        self._pending_kinds.update(kinds)
        self._refresh_timer.start()

    def refresh_pending(self) -> bool:
        """True while a refresh asked for by a write has not been applied yet."""
        return self._refresh_timer.isActive()

    def _apply_data_changed(self) -> None:
        for key in self._pending_kinds:
            if key in self.views:
                self.views[key].stale = True
        self._pending_kinds.clear()
        self.current_view().reload_if_stale()
        self.data_label.refresh()  # the newest evidence, after an accept or its undo

    def focus_find(self) -> None:
        view = self.current_view()
        if isinstance(view, LettersView) and view.reader.browser.hasFocus():
            view.reader.find_bar.open_bar()
            return
        view.filter_edit.setFocus()
        view.filter_edit.selectAll()

    # -- opening items ------------------------------------------------------------------

    def open_letter_at(self, letter_id: int, start: int, end: int) -> None:
        """Show the letter in the reader, scrolled to and marking ``start``–``end``."""
        self.show_view("letters")
        self.letters_view.open_letter(letter_id, (start, end))
        self.history.visit(Location("letters", letter_id, (start, end)))
        self._update_history_actions()

    def open_item(self, kind: str, key: str) -> None:
        """Open an item named by a passage (or a commitment a follow-up reports on)."""
        from ui.opening import open_item

        open_item(self, kind, key)

    # -- writes -------------------------------------------------------------------------

    def run_write(self, work: Callable[[], Any],
                  success: Callable[[Any], None] | None = None,
                  kinds: Iterable[str] = ("action-points", "measures", "countries")) -> None:
        """Run a write off the GUI thread, in order; then refresh what it changed."""
        changed = set(kinds)

        def done(result: Any) -> None:
            if success is not None:
                success(result)
            emit(self.data_changed, changed)
            emit(self.write_done)

        Op(parent=self, work=work, success=done, writes=True).failure(
            self._write_failed).run_in_background()

    def notify_changed(self, kinds: Iterable[str]) -> None:
        emit(self.data_changed, set(kinds))

    def store_replaced(self) -> None:
        self.undo_stack.clear()  # the changes it could undo belong to the replaced store
        self.refresh()

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _write_failed(self, exc: BaseException) -> None:
        from ui.tasks import show_error

        show_error(self, exc)
        emit(self.data_changed, set(VIEWS))
        emit(self.write_done)

    def request_status_change(self, edit: StatusEdit) -> None:
        from ui.operations.tracking import change_status

        change_status(self, self.undo_stack, edit)

    # -- packs --------------------------------------------------------------------------

    def edit_markings(self) -> None:
        from ui.dialogs.markings import edit_markings

        edit_markings(self)

    def edit_tracking_settings(self) -> None:
        from ui.dialogs.tracking_settings import edit_tracking_settings

        edit_tracking_settings(self, self)

    def compose_pack(self) -> None:
        """The composer of the selected meeting's pack, its sections list focused."""
        view: MeetingsView = self.show_view("packs")  # type: ignore[assignment]
        view.tabs.setCurrentWidget(view.composer)
        view.composer.sections.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def build_pack(self) -> None:
        view: MeetingsView = self.views["packs"]  # type: ignore[assignment]
        if view.composer.meeting is None:
            self.compose_pack()
            self.statusBar().showMessage("Pick a meeting to build its pack.", 6000)
            return
        self.show_view("packs")
        view.tabs.setCurrentWidget(view.composer)
        view.composer.choose_output()

    def show_preview(self, path: Path) -> Any:
        """Show a built pack in the preview window (print, open folder)."""
        from ui.dialogs.preview import PdfPreview

        try:
            preview = PdfPreview(path, self)
        except UserError as exc:
            QMessageBox.warning(self, "Briefing App", exc.message)
            return None
        self.preview = preview
        preview.show()
        return preview

    # -- import -------------------------------------------------------------------------

    def choose_export(self) -> None:
        from ui.operations.tables import choose_and_export

        choose_and_export(self, self)

    def choose_table_import(self) -> None:
        from ui.operations.tables import choose_and_import_table

        choose_and_import_table(self, self)

    def choose_import(self) -> None:
        from ui.operations.letters import ask_letter_files

        paths = ask_letter_files(self)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path],
                     on_done: Callable[[ImportResultsDialog], None] | None = None) -> None:
        """Import off the GUI thread with progress and Cancel, then show per-file results."""
        from ui.operations.letters import import_letters

        def done(results: list[ImportResult]) -> None:
            emit(self.data_changed, set(VIEWS))
            emit(self.write_done)
            dialog = ImportResultsDialog(results, self)
            self.last_import_dialog = dialog
            if on_done is not None:
                on_done(dialog)
            else:
                dialog.exec()

        import_letters(self, self, paths, done)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.services.read_only:
            return
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- help, about, settings ----------------------------------------------------------

    def show_help(self, topic: str | None = None) -> None:
        """The built-in help, opened at ``topic`` (default: the view on screen)."""
        from ui.dialogs.help import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_topic(topic or self.current_view().help_topic())

    def show_about(self) -> None:
        from ui.dialogs.about import show_about

        show_about(self, self.services.store.path, self.data_label.text() or "")

    def _restore_settings(self) -> None:
        self.last_view, self.geometry_restored = "letters", False
        if self.remember:
            self.last_view, self.geometry_restored = window_state.restore(
                self, self.splitter, self.views, default_view="letters")

    def save_settings(self) -> None:
        if self.remember:
            window_state.save(self, self.splitter, self.views,
                              list(VIEWS)[max(0, self.sidebar.currentRow())])

    def showEvent(self, event: QShowEvent) -> None:
        if not self._placed:
            self._placed = True
            if self.fit_screen:
                self.place_on_screen()
        super().showEvent(event)

    def place_on_screen(self) -> None:
        """Keep the window on a screen that exists, no larger than its free area."""
        place_on_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.search_dialog.close()
        if not wait_for_writes():
            QMessageBox.warning(self, "Briefing App", "A change is still being saved.")
            event.ignore()
            return
        super().closeEvent(event)


def maintenance() -> Any:
    """The store operations, loaded when first used."""
    import ui.operations.maintenance as module

    return module


def team() -> Any:
    """The briefcase operations (sync, conflicts), loaded when first used."""
    import ui.operations.team as module

    return module
