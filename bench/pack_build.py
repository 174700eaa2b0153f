"""How fast a briefing pack builds, and rebuilds after one change, against a yardstick.

    .venv/bin/python bench/pack_build.py [--letters 55] [--keep DIR]

The seed pack is the bundled store as one pack for the Ministerial Conference
(every section, every letter annexed). The large pack adds N imported letters
(copies of the five seed letters, each made unique by a closing line), so the
action points, measures, signatories and annexes grow with it (55 letters:
about 300 pages). Each build goes through ``PackService.build`` exactly as the
CLI and the GUI do (compose, layout with contents and outline, hashing,
recording the version); the rebuild follows one status change (measure 12).

In the same run, the yardstick (``bench/pack_yardstick.py``: a plain
single-process platypus document of the large pack's page count) is built, and
every pack time is printed as a ratio to it. Targets (issue "Packs in a
blink"): full build <= 0.5x, rebuild after one status change <= 0.1x, the seed
pack's rebuild <= 0.3 s. Peak memory is the largest resident size of this
process and of any child it waited for. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from bench.pack_yardstick import build_pages  # noqa: E402
from briefing_app.reporting.spec import AgendaNote, PackSpec  # noqa: E402

SEED_LETTERS = sorted((REPO / "db" / "seed").glob("00*.txt"))
TODAY = date(2025, 1, 15)
NOTES = (AgendaNote(0, "**Objective:** secure support for the *Common Implementation Plan*."),
         AgendaNote(1, "Welcome the consultations.", ("measures:12", "countries:TN")))


@dataclass(frozen=True)
class Timed:
    pages: int
    seconds: float


def _build(store: Path, out: Path, label: str, *, change: bool = False) -> Timed:
    """One build of the pack (after measure 12's status changes, with ``change``). A full
    build starts from nothing remembered: no page cache (the bench's own, emptied), no
    paragraph laid out before in this process or in a worker (the pool is started
    afresh before the clock starts, as the composer starts it when it opens)."""
    from briefing_app.reporting import render, workers
    from briefing_app.services import open_services

    if not change:
        from briefing_app.reporting.page_cache import default_cache

        default_cache().clear()
        render.forget()
        workers.discard()
        workers.start(wait=True)

    services = open_services(store, create=False, today=TODAY)
    try:
        letters = len(services.letters.list())
        if change:
            current = services.tracking.measure(12).status
            services.tracking.set_status("measures", 12,
                                         "delayed" if current != "delayed" else "in progress",
                                         note="benchmark change")
        started = time.perf_counter()
        build = services.packs.build(PackSpec(meeting_id=1, notes=NOTES), out)
        seconds = time.perf_counter() - started
    finally:
        services.close()
    size = out.stat().st_size / 2**20
    print(f"{label}: {letters} letters, {build.page_count} pages in {seconds:.2f} s "
          f"({build.page_count / seconds:.1f} pages/s), {size:.1f} MiB")
    return Timed(build.page_count, seconds)


class PeakMemory:
    """The largest total memory of this process and all its descendants (the layout's
    workers), sampled every 10 ms while it runs (MiB); Linux (/proc) only. Counted as
    the proportional set size (each shared page split among the processes sharing it,
    as the machine's memory is used), the resident sizes' sum (shared pages counted in
    every process) beside it."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self.resident = 0.0
        self.processes = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import os

        me = os.getpid()
        while not self._stop.wait(0.01):
            parents: dict[int, int] = {}
            sizes: dict[int, int] = {}
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    status = (entry / "status").read_text()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in status.splitlines()
                              if ":" in line)
                parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
                sizes[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
            family = {me}
            grew = True
            while grew:
                grew = False
                for pid, parent in parents.items():
                    if parent in family and pid not in family:
                        family.add(pid)
                        grew = True
            total = sum(_proportional(pid) for pid in family) / 1024
            if total > self.peak:
                self.peak, self.processes = total, len(family)
                self.resident = sum(sizes.get(pid, 0) for pid in family) / 1024


def _proportional(pid: int) -> int:
    """A process's proportional set size (KiB), 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=55,
                        help="letters added for the large pack (default 55: about 300 pages)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the stores and PDFs in DIR (default: a temporary folder)")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="pack-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    # a page cache of its own, empty: the full builds lay every section out
    import os

    from briefing_app.paths import CACHE_ENV_VAR

    shutil.rmtree(folder / "cache", ignore_errors=True)
    os.environ[CACHE_ENV_VAR] = str(folder / "cache")
    try:
        seed_store = folder / "seed.sqlite3"
        seed_store.unlink(missing_ok=True)
        from briefing_app.services import open_services

        services = open_services(seed_store, create=True, today=TODAY)
        services.seed.load()
        services.close()
        _build(seed_store, folder / "seed-pack.pdf", "seed pack, full build")
        seed_again = _build(seed_store, folder / "seed-pack-2.pdf",
                            "seed pack, rebuild after one status change", change=True)

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
        with PeakMemory() as memory:
            full = _build(large_store, folder / "large-pack.pdf", "large pack, full build")
        again = _build(large_store, folder / "large-pack-2.pdf",
                       "large pack, rebuild after one status change", change=True)
        yardstick = build_pages(full.pages, folder / "yardstick.pdf")
        print(f"yardstick (plain platypus, one process): {yardstick.pages} pages in "
              f"{yardstick.seconds:.2f} s")
        print(f"large pack, full build / yardstick: {full.seconds / yardstick.seconds:.2f}x "
              f"(target <= 0.5x)")
        print(f"large pack, rebuild after one status change / yardstick: "
              f"{again.seconds / yardstick.seconds:.2f}x (target <= 0.1x)")
        print(f"seed pack, rebuild after one status change: {seed_again.seconds:.2f} s "
              f"(target <= 0.3 s)")
        print(f"peak memory of the large pack's full build: {memory.peak:.0f} MiB in "
              f"{memory.processes} processes (target <= 200 MB across all processes; "
              f"resident sizes' sum {memory.resident:.0f} MiB)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
