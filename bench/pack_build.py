"""How fast a briefing pack builds: the whole seed store, then a large store.

    .venv/bin/python bench/pack_build.py [--letters 60] [--keep DIR]

The seed pack is the bundled store as one pack for the Ministerial Conference
(every section, every letter annexed). The large pack adds N imported letters
(copies of the five seed letters, each made unique by a closing line), so the
action points, measures, signatories and annexes grow with it. Each build goes
through ``PackService.build`` exactly as the CLI and the GUI do (compose,
layout with contents and outline, hashing, recording the version). It prints
figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from briefing_app.reporting.spec import AgendaNote, PackSpec  # noqa: E402
from briefing_app.services import open_services  # noqa: E402

SEED_LETTERS = sorted((REPO / "db" / "seed").glob("00*.txt"))
TODAY = date(2025, 1, 15)
NOTES = (AgendaNote(0, "**Objective:** secure support for the *Common Implementation Plan*."),
         AgendaNote(1, "Welcome the consultations.", ("measures:12", "countries:TN")))


def _build(store: Path, out: Path, label: str) -> None:
    services = open_services(store, create=False, today=TODAY)
    try:
        letters = len(services.letters.list())
        started = time.perf_counter()
        build = services.packs.build(PackSpec(meeting_id=1, notes=NOTES), out)
        seconds = time.perf_counter() - started
    finally:
        services.close()
    size = out.stat().st_size / 2**20
    print(f"{label} pack: {letters} letters, {build.page_count} pages in {seconds:.2f} s "
          f"({build.page_count / seconds:.1f} pages/s), {size:.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=60,
                        help="letters added for the large pack (default 60)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the stores and PDFs in DIR (default: a temporary folder)")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="pack-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        seed_store = folder / "seed.sqlite3"
        seed_store.unlink(missing_ok=True)
        services = open_services(seed_store, create=True, today=TODAY)
        services.seed.load()
        services.close()
        _build(seed_store, folder / "seed-pack.pdf", "seed")

        large_store = folder / "large.sqlite3"
        shutil.copyfile(seed_store, large_store)
        sources = folder / "letters"
        sources.mkdir(exist_ok=True)
        files = []
        for n in range(args.letters):
            original = SEED_LETTERS[n % len(SEED_LETTERS)]
            copy = sources / f"copy-{n:04d}-{original.name}"
            copy.write_text(original.read_text(encoding="utf-8") +
                            f"\n\n(benchmark copy {n})\n", encoding="utf-8")
            files.append(copy)
        services = open_services(large_store, create=False, today=TODAY)
        started = time.perf_counter()
        services.letters.import_files(files)
        print(f"(imported {len(files)} letters in {time.perf_counter() - started:.1f} s)")
        services.close()
        _build(large_store, folder / "large-pack.pdf", "large")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
