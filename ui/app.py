"""Composition root of the desktop app: QApplication, store, services, main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app.errors import StoreError, UserError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from briefing_app.services import Services
    from ui.main_window import MainWindow

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
    """The QApplication, created once with our style and fonts."""
    from PySide6.QtGui import QFont, QFontDatabase, QIcon
    from PySide6.QtWidgets import QApplication

    from briefing_app import paths

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Briefing App")
    app.setOrganizationName("BriefingApp")
    app.setApplicationDisplayName("Briefing App")
    app.setStyle("Fusion")  # one look everywhere; follows the system light/dark scheme
    app.setWindowIcon(QIcon(str(paths.resource("icons", "briefing-app.svg"))))
    for name in FONT_FILES:
        QFontDatabase.addApplicationFont(str(paths.resource("fonts", name)))
    if sys.platform.startswith("linux"):
        font = QFont("DejaVu Sans", 10)
        app.setFont(font)
    return app


def ask_passphrase(store_path: Path, attempt: int) -> str | None:
    """Ask for an encrypted store's passphrase (None: the user cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    prompt = f"The store {store_path.name} is encrypted.\nPassphrase:"
    if attempt > 0:
        prompt = "Wrong passphrase. Try again.\n\n" + prompt
    text, ok = QInputDialog.getText(None, "Briefing App", prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


def open_store(store_path: Path, *, read_only: bool | None = None,
               passphrase: str | None = None,
               ask: Callable[[Path, int], str | None] = ask_passphrase) -> Services:
    """Open the store, asking for its passphrase (three tries) when it is encrypted.

    The passphrase stays in memory: it is never written anywhere.
    """
    from briefing_app.services import open_services, store_is_encrypted

    if passphrase is None and store_is_encrypted(store_path):
        for attempt in range(3):
            typed = ask(store_path, attempt)
            if typed is None:
                raise UserError(f"{store_path}: the store is encrypted and no passphrase "
                                "was given")
            try:
                return open_services(store_path, create=False, read_only=read_only,
                                     passphrase=typed)
            except StoreError as exc:
                if "wrong passphrase" not in exc.message or attempt == 2:
                    raise
    return open_services(store_path, create=True, read_only=read_only, passphrase=passphrase)


def build_window(store_path: Path, *, view: str | None = None,
                 size: tuple[int, int] = (1400, 900), remember: bool = True,
                 read_only: bool | None = None,
                 passphrase: str | None = None) -> tuple[QApplication, MainWindow]:
    """The application and its main window on the store at ``store_path``.

    A store that does not exist yet is created and filled with the bundled
    seed letters, so a first start shows real data. The window is not shown;
    its ``ready`` signal fires once the first view's rows are in. Without
    ``view`` it opens on the view the user had last.
    """
    app = application()
    from ui.main_window import MainWindow

    is_new = not store_path.exists()
    services = open_store(store_path, read_only=read_only, passphrase=passphrase)
    if is_new and not services.read_only:
        services.seed.load()
    window = MainWindow(services, remember=remember)
    window.resize(*size)
    window.show_view(view or window.last_view)
    app.aboutToQuit.connect(services.close)
    return app, window


def run(store_path: Path, screenshot: Path | None = None, view: str | None = None,
        size: str = "1400x900", read_only: bool | None = None,
        passphrase: str | None = None) -> int:
    """Open the main window; with ``screenshot``, render it offscreen, save a PNG, exit."""
    width, height = _parse_size(size)
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if screenshot.suffix.lower() != ".png":
            raise UserError(f"{screenshot}: the screenshot must be a .png file")
    else:
        _check_display()
        _log_to_file()
    if screenshot is not None and view is None:
        view = "letters"
    app, window = build_window(store_path, view=view, size=(width, height),
                               remember=screenshot is None, read_only=read_only,
                               passphrase=passphrase)
    if screenshot is None:
        window.show()
        return int(app.exec())
    return _screenshot(app, window, screenshot)


def _screenshot(app: QApplication, window: MainWindow, target: Path) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.tasks import running_ops

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
