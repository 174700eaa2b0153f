"""Composition root of the desktop app: QApplication, store, services, main window."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from briefing_app.errors import StoreError, UserError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from briefing_app.services import Services
    from ui.dialogs.first_start import FirstStartWindow
    from ui.main_window import MainWindow

#: How long a first start waits for its progress window to be painted before
#: it starts the work anyway (a window that is hidden or never exposed).
FIRST_PAINT_WAIT_MS = 1000
#: The first letter, the ORM warm-up and the day's backup come after the main window's
#: first frame, or at the latest this long after the window is built.
WARM_UP_LATEST_MS = 3000

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
              "DejaVuSans-BoldOblique.ttf")


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT such as 1400x900, not {text!r}") from None
    if width < 640 or height < 400:
        raise UserError(f"--size: {text} is too small (at least 640x400)")
    return width, height


def _check_display() -> None:
    """Refuse clearly, instead of Qt aborting, when Linux has no screen to show on."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UserError("no display found (DISPLAY is not set): run the app in a desktop "
                        "session, or use the command line (briefing-app --help)")


def _log_to_file() -> None:
    from briefing_app import paths

    try:
        folder = paths.user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=folder / "briefing-app.log", level=logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.WARNING)


def application() -> QApplication:
    """The QApplication, created once, with our style and fonts.

    A QApplication made by someone else first (a test runner) gets them too.
    """
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    if not app.property(_CONFIGURED):
        _configure(app)
    from ui import collector

    collector.install(app)  # never collect Qt objects on a background thread
    return app


#: Set on the QApplication once :func:`_configure` has run.
_CONFIGURED = "briefingAppConfigured"


def _configure(app: QApplication) -> None:
    from PySide6.QtGui import QFont, QFontDatabase, QIcon

    from briefing_app import paths
    from ui.widgets.focus import FocusRingStyle

    app.setApplicationName("Briefing App")
    app.setOrganizationName("BriefingApp")
    app.setApplicationDisplayName("Briefing App")
    # one look everywhere (Fusion, following the system's light or dark scheme), with a
    # focus ring a keyboard user can see
    app.setStyle(FocusRingStyle("Fusion"))
    app.setWindowIcon(QIcon(str(paths.resource("icons", "briefing-app.svg"))))
    for name in FONT_FILES:
        QFontDatabase.addApplicationFont(str(paths.resource("fonts", name)))
    if sys.platform.startswith("linux"):
        app.setFont(QFont("DejaVu Sans", 10))
    app.setProperty(_CONFIGURED, True)


def ask_passphrase(store_path: Path, attempt: int) -> str | None:
    """Ask for an encrypted store's passphrase (None: the user cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    prompt = f"The store {store_path.name} is encrypted.\nPassphrase:"
    if attempt > 0:
        prompt = "Wrong passphrase. Try again.\n\n" + prompt
    text, ok = QInputDialog.getText(None, "Briefing App", prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_team_password(who: str, attempt: int) -> str | None:
    """Ask for a team store's password (None: the user cancelled), when the server wants
    one that neither ~/.pgpass nor the keyring holds."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    prompt = f"The team store asks for the password of\n{who}\n\nPassword:"
    if attempt > 0:
        prompt = "Wrong password. Try again.\n\n" + prompt
    text, ok = QInputDialog.getText(None, "Briefing App", prompt, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def open_store(store_path: Path | str, *, read_only: bool | None = None,
               passphrase: str | None = None,
               ask: Callable[[Path, int], str | None] = ask_passphrase,
               daily_backup_on_open: bool = True,
               ask_password: Callable[[str, int], str | None] = ask_team_password,
               ) -> Services:
    """Open the store, asking for its passphrase (three tries) when it is encrypted.

    The passphrase stays in memory: it is never written anywhere. With
    ``daily_backup_on_open=False`` the day's first backup is not made while
    the store opens: :func:`main_window` makes it after the first frame. A
    team store (``store_path`` a ``postgresql://`` URL) asks for its password
    with ``ask_password`` (three tries) when the server wants one.
    """
    from briefing_app.paths import is_team_url
    from briefing_app.services import open_services, store_is_encrypted

    if isinstance(store_path, str) or is_team_url(store_path):
        return open_services(str(store_path), read_only=read_only, ask_password=ask_password)
    if passphrase is None and store_is_encrypted(store_path):
        for attempt in range(3):
            typed = ask(store_path, attempt)
            if typed is None:
                raise UserError(f"{store_path}: the store is encrypted and no passphrase "
                                "was given")
            try:
                return open_services(store_path, create=False, read_only=read_only,
                                     passphrase=typed,
                                     daily_backup_on_open=daily_backup_on_open)
            except StoreError as exc:
                if "wrong passphrase" not in exc.message or attempt == 2:
                    raise
    return open_services(store_path, create=True, read_only=read_only, passphrase=passphrase,
                         daily_backup_on_open=daily_backup_on_open)


def build_window(store_path: Path | str, *, view: str | None = None,
                 size: tuple[int, int] = (1400, 900), remember: bool = True,
                 read_only: bool | None = None,
                 passphrase: str | None = None) -> tuple[QApplication, MainWindow]:
    """The application and its main window on the store at ``store_path``, at once.

    A store that does not exist yet is created and filled with the bundled
    seed letters before this returns (the desktop app does that in the
    background instead: :class:`Startup`). The window is not shown; its
    ``ready`` signal fires once the first view's rows are in. Without
    ``view`` it opens on the view the user had last.
    """
    app = application()
    if is_first_start(store_path, read_only):
        from briefing_app.services.new_store import create_seeded_store

        services = create_seeded_store(store_path, passphrase=passphrase)
    else:
        services = open_store(store_path, read_only=read_only, passphrase=passphrase,
                              daily_backup_on_open=False)
    return app, main_window(app, services, view=view, size=size, remember=remember)


def is_first_start(store_path: Path | str, read_only: bool | None) -> TypeGuard[Path]:
    """No store file yet, and one may be created: it gets the bundled seed (a team
    store is created by its IT officer, never here)."""
    return read_only is not True and isinstance(store_path, Path) and not store_path.exists()


def main_window(app: QApplication, services: Services, *, view: str | None,
                size: tuple[int, int], remember: bool) -> MainWindow:
    """The main window on open services (not shown yet); they close when the app quits."""
    from ui.main_window import MainWindow

    # remember=False is the screenshot mode: exactly the size asked for, on any screen
    window = MainWindow(services, remember=remember, fit_screen=remember,
                        warm_up_on_ready=False)
    if not (remember and window.geometry_restored):
        window.resize(*size)
    window.letters_view.hold_reader()  # before the first load: see _after_first_frame
    window.show_view(view or window.last_view)
    _after_first_frame(window)
    app.aboutToQuit.connect(services.close)
    return window


#: How long after the background work starts the pack composer is made.
COMPOSER_AFTER_MS = 300


def _after_first_frame(window: MainWindow) -> None:
    """What waits for the first frame with rows: the first letter, the ORM, the backup.

    The window is made without its own warm-up and with its reader held
    (:meth:`~ui.views.letters.LettersView.hold_reader`). Once the first frame
    with rows is on screen, the reader gets its letter (typesetting it is
    about 50 ms of the GUI thread); once that letter is painted, the ORM
    warm-up (importing the ORM: about half a second of Python in a worker
    thread) and the day's first backup (:class:`~ui.operations.maintenance.
    DailyBackup`: 0.6 s at 10,000 letters, once a day) start. Painting runs
    Python too (the model, the chip delegate, the focus-ring style), so a
    worker running Python meanwhile makes the GUI thread wait for the
    interpreter lock at every call: with the warm-up starting as the rows
    arrived, the first frame came out 70-110 ms later on 2 cores. A window
    that is never painted gets all of it after WARM_UP_LATEST_MS.
    """
    from PySide6.QtCore import Qt, QTimer

    from ui.first_frame import FirstFrame

    letters = window.letters_view
    started = False

    def background() -> None:  # once
        nonlocal started
        if started:
            return
        started = True
        from ui.operations.maintenance import DailyBackup

        window.start_warm_up()
        DailyBackup(window, window.services)  # a child of the window
        # the pack composer, made while the user reads the first letter: ready before
        # anyone turns to it (keys typed there straight away must not be lost)
        QTimer.singleShot(COMPOSER_AFTER_MS, window, window.prepare_composer)

    def first_frame() -> None:
        if letters.release_reader() and letters.reader.browser.isVisible():
            # the letter is painted next; the background work comes after it
            FirstFrame(letters.reader.browser.viewport(), done=background)
        else:
            background()

    def watch() -> None:  # the rows are in: their paint comes next
        FirstFrame(window.current_view().table.viewport(), done=first_frame)

    def at_the_latest() -> None:
        letters.release_reader()
        background()

    window.ready.connect(watch, Qt.ConnectionType.SingleShotConnection)
    QTimer.singleShot(WARM_UP_LATEST_MS, window, at_the_latest)


class Startup:
    """Opens the desktop app: the main window, or on a first start a progress window first.

    On a first start (no store yet) :class:`~ui.dialogs.first_start.FirstStartWindow`
    is shown at once and the store is created and seeded off the GUI thread
    (:func:`briefing_app.services.new_store.create_seeded_store`: a failure
    leaves no store behind). The main window then replaces it, or it shows
    what went wrong with a Quit button. Otherwise the store is opened (asking
    for a passphrase if it is encrypted) and the main window shown.

    ``on_progress_window(window)`` and ``on_main_window(window)`` are called
    just before each window is shown (the start-up benchmark watches them);
    ``on_failure(message)`` when a first start fails.
    """

    def __init__(self, store_path: Path | str, *, view: str | None = None,
                 size: tuple[int, int] = (1400, 900), remember: bool = True,
                 read_only: bool | None = None, passphrase: str | None = None,
                 on_progress_window: Callable[[QWidget], None] | None = None,
                 on_main_window: Callable[[MainWindow], None] | None = None,
                 on_failure: Callable[[str], None] | None = None) -> None:
        self.store_path = store_path
        self.view, self.size, self.remember = view, size, remember
        self.read_only, self.passphrase = read_only, passphrase
        self.on_progress_window = on_progress_window
        self.on_main_window = on_main_window
        self.on_failure = on_failure
        self.app = application()
        self.window: MainWindow | None = None
        self.progress_window: FirstStartWindow | None = None
        #: The message shown when the first start failed (the app then exits 1).
        self.failure: str | None = None

    def start(self) -> None:
        """Show the first window; raises UserError when an existing store cannot be opened."""
        if is_first_start(self.store_path, self.read_only):
            self._first_start()
            return
        services = open_store(self.store_path, read_only=self.read_only,
                              passphrase=self.passphrase, daily_backup_on_open=False)
        self._show_main(services)

    def _first_start(self) -> None:
        from PySide6.QtCore import QTimer

        from ui.dialogs.first_start import FirstStartWindow, step_relay
        from ui.first_frame import FirstFrame
        from ui.signals import emit
        from ui.tasks import Op

        path, passphrase = self.store_path, self.passphrase
        assert isinstance(path, Path)  # is_first_start: a file, never a team store
        progress = FirstStartWindow(path)
        self.progress_window = progress
        relay = step_relay()

        def report(number: int, steps: int, label: str) -> None:
            emit(relay.step, number, steps, label)

        def work() -> Services:
            from briefing_app.services.new_store import create_seeded_store

            return create_seeded_store(path, passphrase=passphrase, progress=report)

        begun = False

        def begin() -> None:
            # only once the window is on screen: until then the GUI thread and the
            # interpreter are the window's alone
            nonlocal begun
            if begun:
                return
            begun = True
            Op(parent=progress, work=work, success=self._show_first_main).failure(
                self._first_start_failed).run_in_background()
            # load the rest of the front end while the store is being made
            QTimer.singleShot(0, _import_main_window)

        # (a filter, not a paintEvent override: the busy bar repaints all the time,
        # and Python in every paint would take the interpreter lock from the work)
        FirstFrame(progress, done=begin)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, begin)  # a window that is never painted
        if self.on_progress_window is not None:
            self.on_progress_window(progress)
        progress.show()

    def _first_start_failed(self, exc: BaseException, note: str | None = None) -> None:
        if isinstance(exc, UserError):
            message = exc.message
        else:
            logging.getLogger(__name__).error(
                "first start failed:\n%s", "".join(traceback.format_exception(exc)))
            message = (f"Something went wrong inside Briefing App ({type(exc).__name__}: "
                       f"{exc}). The details were written to the log.")
        self.failure = message
        assert self.progress_window is not None
        if note is None:
            self.progress_window.show_failure(message)
        else:
            self.progress_window.show_failure(message, note)
        if self.on_failure is not None:
            self.on_failure(message)

    def _show_first_main(self, services: Services) -> None:
        try:
            self._show_main(services)
        except Exception as exc:  # the store is fine; the window could not be built
            services.close()
            if self.window is not None:
                self.window.deleteLater()
                self.window = None
            self._first_start_failed(exc, f"The store was created at {self.store_path}.")

    def _show_main(self, services: Services) -> None:
        window = main_window(self.app, services, view=self.view, size=self.size,
                             remember=self.remember)
        self.window = window
        progress = self.progress_window
        if progress is not None:
            # the progress window goes once the main window shows its rows
            window.ready.connect(progress.close)
        if self.on_main_window is not None:
            self.on_main_window(window)
        window.show()


def _import_main_window() -> None:
    try:
        import ui.main_window  # noqa: F401
    except Exception:  # reported where the window is built
        logging.getLogger(__name__).debug("early import of the main window failed",
                                          exc_info=True)


def run(store_path: Path | str, screenshot: Path | None = None, view: str | None = None,
        size: str = "1400x900", read_only: bool | None = None,
        passphrase: str | None = None) -> int:
    """Open the main window; with ``screenshot``, render it offscreen, save a PNG, exit."""
    width, height = _parse_size(size)
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if screenshot.suffix.lower() != ".png":
            raise UserError(f"{screenshot}: the screenshot must be a .png file")
        if view is None:
            view = "letters"
        app, window = build_window(store_path, view=view, size=(width, height),
                                   remember=False, read_only=read_only,
                                   passphrase=passphrase)
        return _screenshot(app, window, screenshot)
    _check_display()
    _log_to_file()
    startup = Startup(store_path, view=view, size=(width, height), read_only=read_only,
                      passphrase=passphrase)
    startup.start()
    code = int(startup.app.exec())
    return 1 if startup.failure is not None else code


def _screenshot(app: QApplication, window: MainWindow, target: Path) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.tasks import running_ops

    window.letters_view.release_reader()  # a picture has no first frame to wait for
    window.show()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    QTimer.singleShot(20_000, loop.quit)
    if not window.ready_sent:
        loop.exec()
    # let detail panes and side loads (cards, matrix) finish, then paint
    for _ in range(200):
        app.processEvents()
        if running_ops() == 0:
            break
        QTimer.singleShot(25, loop.quit)
        loop.exec()
    app.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target), "PNG"):
        raise UserError(f"{target}: cannot write the screenshot")
    window.close()
    return 0
