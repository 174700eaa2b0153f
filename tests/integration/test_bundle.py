"""The double-clickable app: build the PyInstaller bundle once, then run the frozen binary.

Slow (the build takes about a minute on two cores) but run by default, in CI
too: it is the only test of what advisers actually get. Every command runs the
frozen executable in a clean environment (no PYTHONPATH, no venv, user folders
in tmp_path, Qt offscreen), from a folder outside the repository, so nothing
can come from the source tree.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from briefing_app import __version__
from tests.helpers.cli import cli
from tests.helpers.packaging import load
from tests.helpers.pdf import pdffonts, pdftotext

REPO = Path(__file__).resolve().parents[2]

#: The issue asked for at most 120 MB; that cannot be reached with this app's
#: dependencies (numpy + pandas alone are 57 MB, Qt's libraries and ICU 55 MB:
#: see the README's "Build the double-clickable app"). The bundle measures about
#: 188 MB (PyInstaller's defaults: about 350 MB); this limit keeps the dropped Qt
#: parts (QML and Quick alone are 20 MB) and the trimmed ICU data (20 MB) from
#: coming back unnoticed. Raise it, with the README's figures, when a new
#: dependency is worth its size: the team store's driver (psycopg's libpq with its
#: OpenSSL and Kerberos, and Python's ssl module, which psycopg imports) added 19 MB,
#: to about 207 MB.
SIZE_LIMIT_MB = 212

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="the bundle test runs on Linux (each OS builds its own bundle)"),
]


@dataclass(frozen=True)
class Bundle:
    root: Path
    figures: dict[str, Any]

    @property
    def executable(self) -> Path:
        return self.root / "briefing-app"

    @property
    def internal(self) -> Path:
        return self.root / "_internal"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The bundle, built once per test session into a temporary folder."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed: run 'python3 packaging/bootstrap.py setup'")
    folder = tmp_path_factory.mktemp("bundle")
    figures = folder / "figures.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build_bundle.py"),
         "--dist", str(folder / "dist"), "--work", str(folder / "build"),
         "--json", str(figures)],
        capture_output=True, text=True, cwd=REPO, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return Bundle(folder / "dist" / "briefing-app", json.loads(figures.read_text()))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private user folder for one run of the frozen app (its data, config, logs)."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def frozen(bundle: Bundle, home: Path, *args: str | Path, stdin: str | None = None,
           timeout: int = 180, platform: str = "offscreen",
           extra_env: dict[str, str] | None = None) -> Run:
    """Run the frozen executable as a person would: no Python environment at all.

    ``platform="xcb"`` runs it on a real X server (Xvfb, through xvfb-run)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "BRIEFING_APP_", "VIRTUAL_ENV", "QT_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM=platform,
    )
    env.update(extra_env or {})
    command = [str(bundle.executable), *[str(a) for a in args]]
    if platform == "xcb":
        env.pop("DISPLAY", None)
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *command]
    completed = subprocess.run(command,
                               capture_output=True, text=True, cwd=home, env=env,
                               input=stdin, timeout=timeout)
    return Run(completed.returncode, completed.stdout, completed.stderr)


def assert_clean(run: Run) -> None:
    assert run.code == 0, run.out + run.err
    assert "Traceback" not in run.err, run.err


# ------------------------------------------------------------------------- the folder


def test_bundle_size_is_within_budget(bundle: Bundle) -> None:
    du = subprocess.run(["du", "-sm", str(bundle.root)], capture_output=True, text=True,
                        check=True).stdout.split()[0]
    assert int(du) <= SIZE_LIMIT_MB, bundle.figures["largest"]
    assert bundle.figures["megabytes"] <= SIZE_LIMIT_MB


def test_unused_qt_parts_are_left_out(bundle: Bundle) -> None:
    names = [p.relative_to(bundle.root).as_posix() for p in bundle.root.rglob("*")]
    unwanted = re.compile(r"Qt6(Qml|Quick|WebEngine|3D|Multimedia|VirtualKeyboard|Wayland|"
                          r"WlShell|EglFS|OpenGL)|qgtk3|libgtk|/translations/|/wayland-|"
                          r"/egldeviceintegrations/|/qmltooling/|/generic/|alembic/templates|"
                          r"hypothesis|_pytest|mypy/")
    assert not [n for n in names if unwanted.search(n)], [n for n in names if unwanted.search(n)]
    # OpenSSL for the team store only: libpq's, and the one of Python's ssl module,
    # which psycopg imports to set OpenSSL up before libpq does
    openssl = [n for n in names if re.search(r"/lib(ssl|crypto)[-.]", n)]
    assert {Path(n).parent.as_posix() for n in openssl} == {
        "_internal", "_internal/psycopg_binary.libs"}, openssl
    assert len([n for n in openssl if "/psycopg_binary.libs/" in n]) == 2, openssl
    platforms = bundle.internal / "PySide6" / "Qt" / "plugins" / "platforms"
    assert sorted(p.name for p in platforms.iterdir()) == ["libqoffscreen.so", "libqxcb.so"]
    for plugin in ("imageformats/libqsvg.so", "imageformats/libqjpeg.so",
                   "iconengines/libqsvgicon.so", "printsupport/libcupsprintersupport.so"):
        assert (platforms.parent / plugin).is_file(), plugin
    for module in ("QtPdf", "QtPdfWidgets", "QtPrintSupport", "QtSvg", "QtWidgets"):
        assert (bundle.internal / "PySide6" / f"{module}.abi3.so").is_file(), module


def test_bundled_data_files(bundle: Bundle) -> None:
    internal = bundle.internal
    for path in ("resources/fonts/DejaVuSans.ttf", "resources/fonts/LICENSE-DejaVu.txt",
                 "resources/icons/briefing-app.svg", "db/migrations/env.py",
                 "db/migrations/versions/0001_baseline.py", "db/seed/partner_countries.json"):
        assert (internal / path).is_file(), path
    seed = {p.name for p in (REPO / "db" / "seed").iterdir()}
    assert {p.name for p in (internal / "db" / "seed").iterdir()} == seed
    assert not (internal / "resources" / "docs").exists()  # the README's pictures


def test_every_bundled_library_finds_its_dependencies(bundle: Bundle) -> None:
    """What ldd cannot resolve from the bundle or the system would fail at run time."""
    internal = bundle.internal
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    missing = {}
    for library in internal.rglob("*.so*"):
        if library.is_symlink() or not library.is_file():
            continue
        out = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                             env=env).stdout
        lost = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if lost:
            missing[library.relative_to(internal).as_posix()] = lost
    assert not missing, missing


def test_system_libraries_are_left_to_the_system(bundle: Bundle) -> None:
    """X11, fontconfig, FreeType, GLib, D-Bus, CUPS and the C++ runtime come from the
    machine, and so does what only they need; what Qt links to directly stays."""
    top = {p.name for p in bundle.internal.glob("lib*.so*")}
    system = {"libX11.so.6", "libX11-xcb.so.1", "libfontconfig.so.1", "libfreetype.so.6",
              "libglib-2.0.so.0", "libgthread-2.0.so.0", "libdbus-1.so.3", "libcups.so.2",
              "libstdc++.so.6", "libgcc_s.so.1"}
    only_theirs = {"libsystemd.so.0", "libgcrypt.so.20", "libpcre2-8.so.0", "libgnutls.so.30",
                   "libavahi-client.so.3", "libexpat.so.1", "libpng16.so.16"}
    assert not top & (system | only_theirs), sorted(top & (system | only_theirs))
    # direct dependencies of QtCore (zstd) and QtNetwork (Kerberos, Brotli) stay
    assert {"libzstd.so.1", "libgssapi_krb5.so.2", "libbrotlidec.so.1", "libpython3.11.so.1.0",
            "libxcb-cursor.so.0", "libxkbcommon.so.0"} <= top


def test_no_bundled_binary_keeps_a_symbol_table(bundle: Bundle) -> None:
    """Except what wheels vendor (numpy.libs/…): stripping those breaks them."""
    slim = load("slim")
    binaries = [p for p in bundle.internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    assert len(binaries) > 100
    unstripped = [p.relative_to(bundle.internal).as_posix() for p in binaries
                  if slim.has_symbol_table(p)]
    assert [p for p in unstripped if not p.split("/")[0].endswith(".libs")] == []
    assert [p for p in unstripped if "openblas" in p] == [
        "numpy.libs/libscipy_openblas64_-32a4b2a6.so"]


def test_trimmed_icu_data_answers_qt_as_the_full_data_does(bundle: Bundle,
                                                           tmp_path: Path) -> None:
    """The venv's Qt, once with its own ICU data, once with the bundle's trimmed file:
    collation, converters, time zones and case mapping give the same answers."""
    slim = load("slim")
    shipped = bundle.internal / "PySide6" / "Qt" / "lib" / "libicudata.so.73"
    name, data = slim.icu_data(shipped)
    assert name == "icudt73" and len(data) < 12 * 2**20  # the full data is 30.5 MB
    only = tmp_path / "icu"
    only.mkdir()
    (only / shipped.name).symlink_to(shipped)
    probe = [sys.executable, str(REPO / "tests" / "helpers" / "icu_probe.py")]
    env = {key: value for key, value in os.environ.items() if key != "LD_LIBRARY_PATH"}
    full = json.loads(subprocess.run(probe, capture_output=True, text=True, check=True,
                                     env=env).stdout)
    trimmed = json.loads(subprocess.run(probe, capture_output=True, text=True, check=True,
                                        env=dict(env, LD_LIBRARY_PATH=str(only))).stdout)
    assert trimmed.pop("icudata") == [str(shipped)]
    assert full.pop("icudata") != [str(shipped)]
    assert trimmed == full
    assert trimmed["collated"] == {
        "sv_SE": ["Aalto", "Webber", "Zoë", "Åsa", "Ärla", "Öberg"],
        "de_DE": ["Apfel", "Äpfel", "Karner", "Öl", "Ozon", "Strasse", "Straße", "Zoë"],
        "cs_CZ": ["Cena", "Čech", "Hora", "Chrudim", "Rakusan", "Rakušan"],
        "lt_LT": ["Bilotaite", "Bilotaitė", "Ylakiai", "Jonas"],
        "et_EE": ["Laanemets", "Läänemets", "Saar", "Šahh", "Zander"],
        "tr_TR": ["ılık", "ışık", "Izmir", "iğne", "İzmir", "Türkiye"],
        "pl_PL": ["Lublin", "Łódź", "Zamość", "Żary"],
        "ja_JP": ["ア", "あ", "か", "カ"],
        "zh_CN": ["国", "人", "中"],
    }
    assert all(trimmed["codecs"].values()), trimmed["codecs"]
    assert len(trimmed["available_codecs"]) > 200
    assert trimmed["zone_valid"] is True
    assert trimmed["zone_name_en"] == "Central European Standard Time"
    assert trimmed["upper"] == ["STRASSE", "İSTANBUL"]
    assert trimmed["lower"] == "bilotaitė"


# ---------------------------------------------------------------------- the commands


def test_version(bundle: Bundle, home: Path) -> None:
    run = frozen(bundle, home, "--version")
    assert_clean(run)
    assert run.out == f"briefing-app {__version__}\n" == "briefing-app 0.1.0\n"


def test_init_creates_and_seeds_a_store(bundle: Bundle, home: Path) -> None:
    store = home / "store.sqlite3"
    run = frozen(bundle, home, "--db", store, "init", "--format", "json")
    assert_clean(run)
    document = run.json()
    assert document["seed_loaded"] is True
    assert document["counts"] == {"letters": 5, "action_points": 10, "measures": 15,
                                  "people": 30, "countries": 24, "indicators": 19,
                                  "meetings": 1}
    again = frozen(bundle, home, "--db", store, "init", "--format", "json")
    assert_clean(again)
    assert again.json()["changed"] is False
    found = frozen(bundle, home, "--db", store, "search", "Rakusan", "--format", "json")
    assert_clean(found)
    assert any("Rakušan" in hit["snippet"] for hit in found.json())


def test_pack_build_makes_the_same_pdf_as_the_source_tree(bundle: Bundle, home: Path,
                                                          tmp_path: Path) -> None:
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(store, twin)
    pdf = home / "pack.pdf"
    # two layouts at once: this process and one worker, the frozen executable spawned again
    run = frozen(bundle, home, "--db", store, "pack", "build", "--meeting", "1",
                 "--out", pdf, "--format", "json",
                 extra_env={"BRIEFING_APP_PACK_WORKERS": "2", "BRIEFING_APP_DEBUG": "1"})
    assert_clean(run)
    [done] = re.findall(r"pack BP-0001 v1: (\d+) pages; 15 pieces laid out \((\d+) by the "
                        r"workers\), 0 from the cache", run.err)
    assert int(done[0]) > 10 and 0 < int(done[1]) < 15, run.err
    reader = PdfReader(pdf)
    assert len(reader.pages) > 10
    assert run.json()["page_count"] == len(reader.pages)
    fonts = pdffonts(pdf)
    assert fonts and all(f.type == "TrueType" and f.embedded for f in fonts), fonts
    assert all("DejaVu" in f.name for f in fonts), fonts
    assert b"Helvetica" not in pdf.read_bytes()
    assert "Rakušan" in pdftotext(pdf)
    # the frozen app and the source tree give a byte-identical pack of the same store
    built = cli("--db", twin, "pack", "build", "--meeting", "1",
                "--out", tmp_path / "source.pdf", "--format", "json")
    assert built.code == 0, built.err
    assert built.json()["sha256"] == run.json()["sha256"]


def test_gui_screenshot_offscreen(bundle: Bundle, home: Path) -> None:
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    shot = home / "measures.png"
    run = frozen(bundle, home, "--db", store, "gui", "--screenshot", shot, "--view", "measures")
    assert_clean(run)
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.size == (1400, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50  # a drawn window, not a blank


def test_gui_on_an_x_server(bundle: Bundle, home: Path) -> None:
    """The xcb platform plugin with the system's X11, fontconfig, FreeType and GLib."""
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    shot = home / "people.png"
    run = frozen(bundle, home, "--db", store, "gui", "--screenshot", shot, "--view", "people",
                 platform="xcb")
    assert_clean(run)
    assert "Could not load the Qt platform plugin" not in run.err
    with Image.open(shot) as image:
        assert image.size == (1400, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50


def test_first_start_creates_the_store_in_the_user_data_folder(bundle: Bundle,
                                                               home: Path) -> None:
    shot = home / "first.png"
    run = frozen(bundle, home, "gui", "--screenshot", shot)
    assert_clean(run)
    assert shot.is_file()
    store = home / "data" / "briefing-app" / "briefing.sqlite3"
    assert store.is_file()
    letters = frozen(bundle, home, "list", "letters", "--format", "json")
    assert_clean(letters)
    assert len(letters.json()) == 5


def test_tables_export_and_import(bundle: Bundle, home: Path) -> None:
    """pandas and openpyxl are imported lazily: they must be in the bundle all the same."""
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    for suffix in ("xlsx", "csv"):
        table = home / f"measures.{suffix}"
        assert_clean(frozen(bundle, home, "--db", store, "export", "measures", "--out", table))
        assert table.is_file() and table.stat().st_size > 0
        checked = frozen(bundle, home, "--db", store, "import-table", "measures", table,
                         "--dry-run")
        assert_clean(checked)


@pytest.mark.skipif(importlib.util.find_spec("docx") is None,
                    reason="python-docx is not installed, so not bundled")
def test_import_docx(bundle: Bundle, home: Path) -> None:
    import docx

    letter = docx.Document()
    for line in ("Brussels, 3 March 2025", "Dear Minister,",
                 "We write about returns and the Talent Partnership with Tunisia.",
                 "Yours sincerely,", "Jane Doe"):
        letter.add_paragraph(line)
    path = home / "letter.docx"
    letter.save(str(path))
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    run = frozen(bundle, home, "--db", store, "import", path, "--format", "json")
    assert_clean(run)
    assert [r["outcome"] for r in run.json()] == ["imported"]


def test_encrypted_store_and_pdf(bundle: Bundle, home: Path) -> None:
    """SQLCipher (sqlcipher3) for stores that travel, and password-protected packs."""
    store = home / "travel.sqlite3"
    created = frozen(bundle, home, "--db", store, "--passphrase-fd", "0", "init", "--encrypt",
                     "--format", "json", stdin="correct horse\n")
    assert_clean(created)
    assert created.json()["counts"]["letters"] == 5
    content = store.read_bytes()
    assert not content.startswith(b"SQLite format 3")
    assert "Rakušan".encode() not in content and b"Frontex" not in content
    listed = frozen(bundle, home, "--db", store, "--passphrase-fd", "0", "list", "letters",
                    "--format", "json", stdin="correct horse\n")
    assert_clean(listed)
    assert len(listed.json()) == 5
    wrong = frozen(bundle, home, "--db", store, "--passphrase-fd", "0", "list", "letters",
                   stdin="wrong\n")
    assert wrong.code == 1 and "Traceback" not in wrong.err
    password = home / "password.txt"
    password.write_text("pack-password\n", encoding="utf-8")
    plain = home / "plain.sqlite3"
    assert_clean(frozen(bundle, home, "--db", plain, "init"))
    pdf = home / "locked.pdf"
    built = frozen(bundle, home, "--db", plain, "pack", "build", "--meeting", "1",
                   "--out", pdf, "--password-file", password)
    assert_clean(built)
    reader = PdfReader(pdf)
    assert reader.is_encrypted and reader.decrypt("pack-password")
    assert len(reader.pages) > 10


def test_the_frozen_app_works_on_a_team_store_and_its_briefcase(
        bundle: Bundle, home: Path, team_server: Any, team_database: str) -> None:
    """The bundle carries the PostgreSQL driver: it lists the team store as the source
    tree does, checks a briefcase out, records a change offline and synchronises it."""
    url = team_server.url(team_database)
    listed = frozen(bundle, home, "--db", url, "list", "measures", "--format", "json")
    assert_clean(listed)
    assert listed.out == cli("--db", url, "list", "measures", "--format", "json").out
    briefcase = home / "briefcase.sqlite3"
    assert_clean(frozen(bundle, home, "briefcase", "checkout", "--from", url,
                        "--out", briefcase))
    assert_clean(frozen(bundle, home, "--db", briefcase, "status", "set", "measures", "12",
                        "delayed", "--author", "Ana Ruiz"))
    synced = frozen(bundle, home, "briefcase", "sync", briefcase, "--format", "json")
    assert_clean(synced)
    assert (json.loads(synced.out)["conflicts"], json.loads(
        cli("--db", url, "show", "measures", "12", "--format", "json").out)["status"]) == (
        [], "delayed")


def test_mistakes_give_one_line_and_the_right_exit_code(bundle: Bundle, home: Path) -> None:
    usage = frozen(bundle, home, "no-such-command")
    assert usage.code == 2 and usage.out == ""
    assert len(usage.err.strip().splitlines()) == 1 and "Traceback" not in usage.err
    store = home / "store.sqlite3"
    assert_clean(frozen(bundle, home, "--db", store, "init"))
    missing = frozen(bundle, home, "--db", store, "show", "measures", "99")
    assert missing.code == 1
    assert len(missing.err.strip().splitlines()) == 1 and "Traceback" not in missing.err


def test_build_figures_are_reported(bundle: Bundle) -> None:
    figures = bundle.figures
    assert figures["seconds"] > 0 and figures["megabytes"] > 0
    assert len(figures["largest"]) == 15
