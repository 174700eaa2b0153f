"""Composition root of the desktop app: QApplication, store, services, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from briefing_app.errors import UserError


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT such as 1400x900, not {text!r}") from None
    if width < 400 or height < 300:
        raise UserError(f"--size: {text} is too small (at least 400x300)")
    return width, height


def run(store_path: Path, screenshot: Path | None = None, view: str = "letters",
        size: str = "1400x900") -> int:
    """Open the main window on the store at ``store_path``.

    A store that does not exist yet is created and filled with the bundled
    seed letters, so a first start shows real data. With ``screenshot`` the
    window is rendered offscreen, saved as PNG and the app exits.
    """
    width, height = _parse_size(size)
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from briefing_app.services import open_services
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Briefing App")
    app.setOrganizationName("BriefingApp")
    is_new = not store_path.exists()
    services = open_services(store_path, create=True)
    try:
        if is_new:
            services.seed.load()
        window = MainWindow(services)
        window.resize(width, height)
        window.show_view(view)
        if screenshot is not None:
            window.show()
            app.processEvents()
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(screenshot), "PNG"):
                raise UserError(f"{screenshot}: cannot write the screenshot")
            window.close()
            return 0
        window.show()
        return int(app.exec())
    finally:
        services.close()
