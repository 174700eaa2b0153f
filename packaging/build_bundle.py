#!/usr/bin/env python3
"""Build the double-clickable app: a PyInstaller one-folder bundle for this OS.

    python3 packaging/bootstrap.py setup          # once: .venv with PyInstaller
    .venv/bin/python packaging/build_bundle.py    # Windows: .venv\\Scripts\\python ...

Writes ``packaging/dist/briefing-app/`` (work files in ``packaging/build/``)
from ``packaging/briefing-app.spec``, then prints the build time, the size of
the folder (as ``du`` counts it) and its largest files. Each OS's bundle is
built on that OS.

Options: ``--dist DIR`` and ``--work DIR`` put the bundle and the work files
elsewhere; ``--json FILE`` also writes the figures as JSON; ``--unfiltered``
builds the same app with PyInstaller's defaults (no module exclusions, no
filtering of Qt plugins and libraries), to measure what the spec saves.
Only the standard library is used here, and PyInstaller through
``python -m PyInstaller``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SPEC = PACKAGING / "briefing-app.spec"
NAME = "briefing-app"


def venv_python() -> Path:
    if os.name == "nt":
        return ROOT / ".venv" / "Scripts" / "python.exe"
    return ROOT / ".venv" / "bin" / "python"


def has_pyinstaller() -> bool:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return False
    return True


def disk_usage(folder: Path) -> int:
    """Bytes the folder takes on disk, as ``du -s`` counts them (each inode once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        blocks = getattr(info, "st_blocks", None)
        total += blocks * 512 if blocks is not None else info.st_size
    return total


def largest_files(folder: Path, count: int = 15) -> list[tuple[int, str]]:
    sizes = [(p.lstat().st_size, p.relative_to(folder).as_posix())
             for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(sizes, reverse=True)[:count]


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def build(dist: Path, work: Path, *, unfiltered: bool = False) -> dict[str, object]:
    """Run PyInstaller on the spec; return the figures of the bundle it made."""
    env = dict(os.environ)
    if unfiltered:
        env["BRIEFING_BUNDLE_UNFILTERED"] = "1"
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("[build] " + " ".join(command), flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    seconds = time.monotonic() - started
    bundle = dist / NAME
    size = disk_usage(bundle)
    return {
        "bundle": str(bundle),
        "executable": str(bundle / (NAME + (".exe" if os.name == "nt" else ""))),
        "seconds": round(seconds, 1),
        "bytes": size,
        "megabytes": round(size / 1024 / 1024, 1),
        "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
        "largest": [{"bytes": b, "path": p} for b, p in largest_files(bundle)],
        "unfiltered": unfiltered,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=PACKAGING / "dist")
    parser.add_argument("--work", type=Path, default=PACKAGING / "build")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--unfiltered", action="store_true",
                        help="PyInstaller's defaults, for comparison")
    args = parser.parse_args(argv)

    if not has_pyinstaller():
        python = venv_python()
        if python.exists() and Path(sys.executable).resolve() != python.resolve():
            return subprocess.call([str(python), str(Path(__file__).resolve()),
                                    *(sys.argv[1:] if argv is None else argv)])
        print("PyInstaller is not installed: run 'python3 packaging/bootstrap.py setup' "
              "and build with .venv's Python", file=sys.stderr)
        return 1

    figures = build(args.dist.resolve(), args.work.resolve(), unfiltered=args.unfiltered)
    print(f"[build] {figures['bundle']}")
    print(f"[build] built in {figures['seconds']} s; {figures['megabytes']} MB on disk, "
          f"{figures['files']} files")
    print("[build] largest files:")
    for entry in figures["largest"]:  # type: ignore[attr-defined]
        print(f"  {mb(entry['bytes']):>9}  {entry['path']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
