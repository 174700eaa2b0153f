#!/usr/bin/env python3
"""Set up everything and run the app or the tests, on a machine that has only Python.

    python3 packaging/bootstrap.py run [briefing-app arguments]
    python3 packaging/bootstrap.py test [pytest arguments]
    python3 packaging/bootstrap.py setup

It creates ``.venv`` beside the repository, installs the pinned packages of
``requirements.lock`` and the app itself, and on Debian/Ubuntu installs the
system libraries Qt needs (and, for the tests, poppler-utils and Xvfb) with
apt-get when they are missing: directly when run as root, else through sudo.
Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock-sha256"

#: Debian packages: the shared libraries Qt's xcb/offscreen platforms load.
APP_PACKAGES = [
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libxkbcommon0", "libdbus-1-3",
    "libglib2.0-0", "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
    "libxcb-image0", "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0",
]
#: What the tests use besides: pdftotext/pdffonts/pdftoppm, a real X server, a
#: CUPS queue that prints to PDF files (the print test starts cupsd itself), xdotool
#: (the end-to-end test types and clicks through the X server), a PostgreSQL server
#: (the team store's tests start one of their own in a temporary folder), and
#: for PyInstaller's bundle of the app binutils (objdump, strip, as, ld) and
#: icu-devtools (icupkg, which trims Qt's ICU data: packaging/slim.py).
TEST_PACKAGES = ["poppler-utils", "xvfb", "xauth", "xdotool", "cups", "printer-driver-cups-pdf",
                 "binutils", "icu-devtools", "postgresql"]


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(command: list[str], **kwargs: object) -> None:
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def missing_debian_packages(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                                capture_output=True, text=True)
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def ensure_system_packages(names: list[str]) -> None:
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        return
    missing = missing_debian_packages(names)
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            say("please install these system packages: " + " ".join(missing))
            return
        prefix = ["sudo"]
    say("installing system packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        env=env)


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script must run on any Python 3)
        sys.exit("Briefing App needs Python 3.11 or newer; this is " + sys.version.split()[0])
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV}")
        run([sys.executable, "-m", "venv", str(VENV)])
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("installing pinned packages from requirements.lock")
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([str(python), "-m", "pip", "install", "--quiet", "-r", str(LOCK)])
        run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)])
        STAMP.write_text(digest)
    return python


def compile_sources(python: Path) -> None:
    """Compile the app's sources ahead: a start then reads bytecode instead of compiling.

    Writes the compiled files whatever PYTHONDONTWRITEBYTECODE says; only
    changed sources are compiled again (about 0.2 s off every start).
    """
    run([str(python), "-m", "compileall", "-q", "-j", "0",
         str(ROOT / "briefing_app"), str(ROOT / "ui")], stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    action, rest = argv[0], argv[1:]
    ensure_system_packages(APP_PACKAGES + (TEST_PACKAGES if action in ("test", "setup") else []))
    python = ensure_venv()
    compile_sources(python)
    if action == "setup":
        return 0
    if action == "run":
        return subprocess.call([str(python), "-m", "briefing_app", *rest], cwd=ROOT)
    code = subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)
    if code == 5:
        say("pytest collected no tests: that is a failure")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
