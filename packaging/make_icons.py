"""Render the app icon: PNGs of every size and a Windows .ico, from the hand-drawn SVG.

    .venv/bin/python packaging/make_icons.py

Reads ``resources/icons/briefing-app.svg`` and writes, beside it,
``briefing-app-{16,24,32,48,64,128,256,512}.png`` (rendered by Qt's SVG
renderer, so small sizes are drawn, not scaled down) and ``briefing-app.ico``
(those renders up to 256 px, put together by Pillow). The outputs are committed;
run this again only after editing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "briefing-app.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"briefing-app-{size}.png"


def render_pngs() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"cannot write {png_path(size)}")
        print(f"wrote {png_path(size).relative_to(ICONS.parent.parent)}")
    del app


def write_ico() -> None:
    from PIL import Image

    images = [Image.open(png_path(size)).convert("RGBA") for size in ICO_SIZES]
    target = ICONS / "briefing-app.ico"
    images[-1].save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                    append_images=images[:-1])
    print(f"wrote {target.relative_to(ICONS.parent.parent)}")


if __name__ == "__main__":
    render_pngs()
    write_ico()
