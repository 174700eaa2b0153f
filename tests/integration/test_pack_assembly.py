"""Packs laid out section by section and assembled: links, outline, the page cache.

Each section (each annexed letter) is laid out on its own, in this process or a
worker, possibly long before (the page cache), and the pages are assembled on
one canvas. These tests read the assembled PDF back as a reader would and
check that nothing depends on where or when a section was laid out.
"""

from __future__ import annotations

import logging
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app.errors import BuildCancelled
from briefing_app.paths import CACHE_ENV_VAR
from briefing_app.reporting import render
from briefing_app.reporting.page_cache import PageCache
from briefing_app.reporting.spec import AgendaNote, PackSpec
from briefing_app.reporting.workers import ENV_VAR as WORKERS_ENV_VAR
from briefing_app.services import Services, open_services
from briefing_app.services.common import fixed_clock
from tests.helpers.pdf import Link, links, outline, words, words_in

TODAY = date(2025, 1, 15)
SPEC = PackSpec(meeting_id=1, notes=(AgendaNote(0, "**Steer** the debate.", None),
                                     AgendaNote(1, "Welcome them.", ("measures:12",))))
#: The seed pack's pieces: ten sections (all but the contents) and five annexed letters.
PIECES = 15
#: Where the running header ends: text above it is the header, not the place linked to.
BODY_TOP = 790


def _open(path: Path) -> Services:
    return open_services(path, create=False, today=TODAY)


def _layout_line(caplog: pytest.LogCaptureFixture) -> str:
    [line] = [r.getMessage() for r in caplog.records
              if r.name == "briefing_app.reporting.render"
              and not r.getMessage().startswith("laying out:")]
    caplog.clear()
    return line


@pytest.fixture
def pack(seeded_path: Path, tmp_path: Path) -> Path:
    services = _open(seeded_path)
    try:
        return Path(services.packs.build(SPEC, tmp_path / "pack.pdf").path)
    finally:
        services.close()


def test_links_from_the_contents_and_from_source_numbers_land_where_they_point(
        pack: Path) -> None:
    reader = PdfReader(pack)
    pages = words(pack)
    labelled: list[tuple[Link, str]] = []
    for link in links(reader):
        source = " ".join(words_in(pages[link.page], *link.rect))
        last = labelled[-1] if labelled else None
        if (last is not None and (last[0].page, last[0].target, last[0].top)
                == (link.page, link.target, link.top)
                and not _NUMBER.fullmatch(source) and not _NUMBER.fullmatch(last[1])):
            labelled[-1] = (last[0], f"{last[1]} {source}")  # a label broken over lines
        else:
            labelled.append((link, source))
    level0 = [entry for entry in outline(reader) if entry.level == 0]
    at = [entry.title for entry in level0].index("Contents")
    contents = range(level0[at].page - 1, level0[at + 1].page - 1)
    numbered = titled = paged = 0
    for link, source in labelled:
        below = words_in(pages[link.target], 0, link.top - 60, 600,
                         min(link.top, BODY_TOP))
        number = _NUMBER.fullmatch(source)
        if source.isdigit() and link.page in contents:  # a page number: to that page
            assert link.target + 1 == int(source), (link, source)
            paged += 1
        elif number:  # "[12]" goes to source 12 in the list of sources, "12" to measure 12
            assert below[:1] == [number[1]], (link, source, below[:6])
            numbered += 1
        else:  # a title goes to that heading, "Measure 12 (…)" to the row of measure 12
            first = " ".join(source.split()[:2])
            numbers = re.findall(r"\b\d+\b", first)
            assert first in " ".join(below) or below[:1] == numbers[-1:], (
                link, source, below[:12])
            titled += 1
    assert (numbered, titled, paged) == (224, 127, 48)


_NUMBER = re.compile(r"\[?(\d+)[\],]?")


def test_the_outline_goes_to_each_heading(pack: Path) -> None:
    reader = PdfReader(pack)
    pages = words(pack)
    entries = outline(reader)
    assert len(entries) > 40

    def walk(items: list[object]) -> list[object]:
        out: list[object] = []
        for item in items:
            out += walk(item) if isinstance(item, list) else [item]
        return out

    for entry, item in zip(entries, walk(reader.outline), strict=True):
        top = float(item["/Top"])  # type: ignore[index]
        below = " ".join(words_in(pages[entry.page - 1], 0, top - 60, 600,
                                  min(top, BODY_TOP)))
        if entry.title == "Cover":
            assert "BRIEFING PACK" in below
        else:
            assert " ".join(entry.title.split()[:2]) in below, (entry, below)


def _build(path: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
           *, workers: int = 2) -> bytes:
    monkeypatch.setenv(CACHE_ENV_VAR, str(cache))
    monkeypatch.setenv(WORKERS_ENV_VAR, str(workers))
    services = _open(path)
    try:
        with fixed_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
            return Path(services.packs.build(SPEC, out).path).read_bytes()
    finally:
        services.close()


def test_a_rebuild_after_a_status_change_is_byte_identical_to_a_full_build(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="briefing_app.reporting.render")
    warm = tmp_path / "warm-cache"
    _build(seeded_path, tmp_path / "v1.pdf", warm, monkeypatch)
    assert re.search(rf"; {PIECES} pieces laid out \(\d+ by the workers\), 0 from the cache",
                     _layout_line(caplog))
    services = _open(seeded_path)
    with fixed_clock(datetime(2026, 12, 1, 12, 30, tzinfo=UTC)):
        services.tracking.set_status("measures", 12, "delayed", note="talks paused")
    services.close()
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(seeded_path, twin)

    rebuilt = _build(seeded_path, tmp_path / "v2.pdf", warm, monkeypatch)
    # what prints measure 12 or the version: the cover, the lines to take (measure 12 is
    # listed under agenda item 1), the measures, the matrix and what has changed; and,
    # as the new status cites no passage, every section whose source numbers moved up
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith(
        "laying out:")] == ["laying out: cover#0, lines-to-take#1, action-points#2, "
                            "measures#3, matrix#4, changes#7, sources#14"]
    line = _layout_line(caplog)
    assert re.search(r"; 7 pieces laid out \(\d+ by the workers\), 8 from the cache", line)
    full = _build(twin, tmp_path / "v2-full.pdf", tmp_path / "empty-cache", monkeypatch)
    assert re.search(rf"; {PIECES} pieces laid out .*, 0 from the cache", _layout_line(caplog))
    assert rebuilt == full
    assert "delayed" in " ".join(w for page in words(tmp_path / "v2.pdf") for *_, w in page)


def test_one_process_alone_and_the_workers_make_the_same_pack(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="briefing_app.reporting.render")
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(seeded_path, twin)
    alone = _build(seeded_path, tmp_path / "alone.pdf", tmp_path / "a", monkeypatch,
                   workers=1)
    assert f"; {PIECES} pieces laid out (0 by the workers)" in _layout_line(caplog)
    shared = _build(twin, tmp_path / "shared.pdf", tmp_path / "b", monkeypatch, workers=2)
    assert re.search(r"pieces laid out \(([1-9]\d*) by the workers\)", _layout_line(caplog))
    assert alone == shared


def test_a_cancelled_build_leaves_no_file_and_a_sound_cache(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV_VAR, str(cache))
    monkeypatch.setenv(WORKERS_ENV_VAR, "2")
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(seeded_path, twin)
    labels: list[str] = []
    out = tmp_path / "out" / "pack.pdf"
    out.parent.mkdir()
    services = _open(seeded_path)
    try:
        with fixed_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)), \
                pytest.raises(BuildCancelled):
            # stop once a few pieces are laid out: some in the cache, the others not
            services.packs.build(SPEC, out, cancelled=lambda: len(labels) >= 4,
                                 progress=lambda done, total, label: labels.append(label)
                                 if label.startswith("Laying out") else None)
    finally:
        services.close()
    assert list(out.parent.iterdir()) == []
    entries = sorted((cache / "pages").iterdir())
    assert entries and all(entry.suffix == ".pages" for entry in entries), entries
    kept = PageCache(cache / "pages")
    assert all(kept.get(entry.stem) is not None for entry in entries)
    assert len(entries) < PIECES
    # the next build takes what was kept and gives the pack a clean build gives
    again = _build(seeded_path, tmp_path / "again.pdf", cache, monkeypatch)
    clean = _build(twin, tmp_path / "clean.pdf", tmp_path / "clean-cache", monkeypatch)
    assert again == clean


def test_a_damaged_cache_entry_is_laid_out_again(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="briefing_app.reporting.render")
    # no guess of the contents' length from an earlier test: the first build lays it out
    # at one page, then two (both cached); the second guesses two
    monkeypatch.setattr(render, "_CONTENTS_LENGTHS", {})
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(seeded_path, twin)
    cache = tmp_path / "cache"
    first = _build(seeded_path, tmp_path / "first.pdf", cache, monkeypatch)
    caplog.clear()
    entries = sorted((cache / "pages").iterdir())
    assert len(entries) == PIECES + 2  # and the contents, at one page and at two
    for number, entry in enumerate(entries):
        if number % 2:
            entry.write_bytes(b"not a page cache entry")
        else:
            entry.write_bytes(entry.read_bytes()[:100])  # cut short
    second = _build(twin, tmp_path / "second.pdf", cache, monkeypatch)
    # the contents laid out once: at the two pages it took the first time
    assert re.search(rf"; {PIECES} pieces laid out .*, 0 from the cache, contents laid out "
                     r"1 time\(s\)", _layout_line(caplog))
    assert second == first
    # each laid out again and kept whole; the contents at one page, damaged, is gone (the
    # second build did not need it)
    after = sorted((cache / "pages").iterdir())
    assert set(after) < set(entries) and len(after) == len(entries) - 1
    assert all(PageCache(cache / "pages").get(entry.stem) is not None for entry in after)


def test_a_preview_is_the_next_build_to_the_byte_and_records_nothing(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.store import dump

    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "cache"))
    services = _open(seeded_path)
    try:
        with fixed_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
            before = dump(seeded_path)
            pages = services.packs.preview(SPEC, tmp_path / "preview.pdf")
            assert dump(seeded_path) == before and services.catalogue.packs() == []
            build = services.packs.build(SPEC, tmp_path / "built.pdf")
    finally:
        services.close()
    assert (pages, build.version) == (build.page_count, 1)
    assert (tmp_path / "preview.pdf").read_bytes() == Path(build.path).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []
