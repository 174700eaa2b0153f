"""The files the bundle is built from: icon, desktop entry, Windows version, launcher, spec."""

from __future__ import annotations

import ast
import configparser
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image

from briefing_app import __version__

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"


def test_the_icon_is_an_svg_with_png_renders_and_a_windows_ico() -> None:
    root = ET.parse(ICONS / "briefing-app.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ICONS / f"briefing-app-{size}.png") as image:
            assert image.format == "PNG" and image.size == (size, size)
            assert image.mode == "RGBA"  # transparent around the page
    with Image.open(ICONS / "briefing-app.ico") as ico:
        assert ico.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_the_desktop_entry() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "briefing-app.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Briefing App"
    assert entry["Exec"] == "briefing-app"
    assert entry["Icon"] == "briefing-app"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")


def test_the_windows_version_resource_has_the_app_version() -> None:
    text = (PACKAGING / "version_info.txt").read_text(encoding="utf-8")
    ast.parse(text)  # PyInstaller evaluates it as a Python expression
    numbers = (*(int(n) for n in __version__.split(".")), 0)
    assert re.findall(r"(?:filevers|prodvers)=\(([\d, ]+)\)", text) == [
        ", ".join(map(str, numbers))] * 2
    strings = dict(re.findall(r"StringStruct\('(\w+)', '([^']*)'\)", text))
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["ProductName"] == "Briefing App"


def test_the_launcher_is_the_command_line() -> None:
    result = subprocess.run([sys.executable, str(PACKAGING / "launcher.py"), "--version"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"briefing-app {__version__}\n"


def test_the_spec_names_what_it_bundles() -> None:
    spec = (PACKAGING / "briefing-app.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    for needed in ('"pandas"', '"openpyxl"', '"PySide6.QtPdf"', '"PySide6.QtPdfWidgets"',
                   '"PySide6.QtPrintSupport"', '"PySide6.QtSvg"', '"db" / "migrations"',
                   '"db" / "seed"', '"resources"', 'name="BriefingApp", console=False'):
        assert needed in spec, needed
