"""Help ▸ About: the version, the store on screen, the data's date, the fonts."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from briefing_app import __version__


def show_about(parent: QWidget, store: Path, data_as_of: str) -> None:
    QMessageBox.about(
        parent, "About Briefing App",
        f"<h3>Briefing App {__version__}</h3>"
        "<p>Policy letters on migration, their action points and measures, partner "
        "countries, and the briefing packs built from them. Works offline.</p>"
        f"<p><b>Store:</b> {html.escape(str(store))}<br>{html.escape(data_as_of)}</p>"
        "<p>Fonts: DejaVu (Bitstream Vera licence). Built with Qt for Python.</p>",
    )
