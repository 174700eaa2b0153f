"""The benchmark scripts build a valid store and run on it (no timings asserted here)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_app.services import open_services
from briefing_app.text import fold
from tests.helpers import xvfb as xvfb_helper
from tests.helpers.cli import REPO, cli

LETTERS = 200
SEED_LETTERS = 5


def _run(*args: str | Path | int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *[str(a) for a in args]], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "synthetic.sqlite3"
    result = _run("bench/make_synthetic_store.py", "--out", out, "--letters", LETTERS)
    assert result.returncode == 0, result.stderr
    assert f"built {LETTERS} synthetic letters" in result.stdout
    return out


def test_store_holds_the_seed_and_the_synthetic_letters(synthetic: Path) -> None:
    with sqlite3.connect(synthetic) as db:
        assert db.execute("SELECT COUNT(*) FROM letter").fetchone()[0] == SEED_LETTERS + LETTERS
        assert db.execute(
            "SELECT s.key, COUNT(*) FROM commitment c JOIN commitmentseries s "
            "ON s.id = c.series_id GROUP BY s.key ORDER BY s.key").fetchall() == [
            ("action-points", 10), ("measures", 15)]
        per_letter = [row[0] for row in db.execute(
            "SELECT COUNT(*) FROM paragraph WHERE letter_id > ? GROUP BY letter_id",
            (SEED_LETTERS,))]
        assert len(per_letter) == LETTERS and min(per_letter) >= 8 and max(per_letter) <= 12
        fts_rows = db.execute("SELECT COUNT(*) FROM paragraph_fts").fetchone()[0]
        assert fts_rows == db.execute("SELECT COUNT(*) FROM paragraph").fetchone()[0]
        db.execute("INSERT INTO paragraph_fts(paragraph_fts, rank) VALUES ('integrity-check', 1)")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_rows_are_consistent_with_the_text(synthetic: Path) -> None:
    with sqlite3.connect(synthetic) as db:
        letters = db.execute("SELECT id, original_text, sha256, date, imported_at FROM letter "
                             "WHERE id > ?", (SEED_LETTERS,)).fetchall()
        words = 0
        for _id, text, sha256, day, imported_at in letters:
            assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256
            assert day is None or len(day) == 10
            assert len(imported_at) == 26 and imported_at.endswith(".000000")
            words += len(text.split())
        assert 700 <= words / LETTERS <= 900
        for text, start, end, paragraph in db.execute(
                'SELECT l.original_text, p.start, p."end", p.text FROM paragraph p '
                "JOIN letter l ON l.id = p.letter_id WHERE l.id > ?", (SEED_LETTERS,)):
            assert paragraph == text[start:end]
        for text, start, end, written in db.execute(
                'SELECT l.original_text, r.start, r."end", r.name_as_written FROM letterrole r '
                "JOIN letter l ON l.id = r.letter_id WHERE l.id > ?", (SEED_LETTERS,)):
            assert text[start:end] == written
        people = db.execute("SELECT key, name FROM person").fetchall()
        assert all(key == fold(name) for key, name in people)
        names = {name for _key, name in people}
        assert {"Vít Rakušan", "Agnė Bilotaitė", "Lauri Läänemets"} <= names


def test_the_cli_lists_and_searches_the_store(synthetic: Path) -> None:
    result = cli("--db", synthetic, "list", "letters", "--format", "json")
    assert result.code == 0 and result.err == ""
    assert len(result.json()) == SEED_LETTERS + LETTERS
    services = open_services(synthetic, create=False)
    try:
        hits = services.search.search("Rakusan", limit=20)
        assert hits and any(hit.letter_id > SEED_LETTERS for hit in hits)
        assert all("[Rakušan]" in hit.snippet or "[RAKUŠAN]" in hit.snippet for hit in hits)
        assert services.search.search("migration", limit=20)
    finally:
        services.close()


def test_same_seed_same_letters(synthetic: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    result = _run("bench/make_synthetic_store.py", "--out", again, "--letters", 20)
    assert result.returncode == 0, result.stderr
    query = "SELECT sha256 FROM letter WHERE id > ? ORDER BY id LIMIT 20"
    with sqlite3.connect(synthetic) as first, sqlite3.connect(again) as second:
        assert (first.execute(query, (SEED_LETTERS,)).fetchall()
                == second.execute(query, (SEED_LETTERS,)).fetchall())


def test_search_latency_script_runs(synthetic: Path) -> None:
    result = _run("bench/search_latency.py", "--db", synthetic, "--queries", 10)
    assert result.returncode == 0, result.stderr
    assert "queries: 10" in result.stdout and "p95" in result.stdout


def test_search_ranking_script_runs(synthetic: Path) -> None:
    result = _run("bench/search_ranking.py", "--db", synthetic, "--repeat", 2)
    assert result.returncode == 0, result.stderr
    assert "'Rakušan'" in result.stdout and " exact" in result.stdout
    assert re.search(r"median by kind: name [\d.]+ ms   common word [\d.]+ ms   "
                     r"prefix [\d.]+ ms", result.stdout)


# ----------------------------------------------------------------------------- start-up

needs_xvfb = pytest.mark.skipif(not xvfb_helper.available(), reason="Xvfb is not installed")
XVFB_LINE = re.compile(r"X server: Xvfb on :\d+ \(pid (\d+)\)")


def _xvfb_pid(stdout: str) -> int:
    found = XVFB_LINE.search(stdout)
    assert found, stdout
    return int(found.group(1))


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_startup_script_times_a_store_offscreen(synthetic: Path) -> None:
    result = _run("bench/startup.py", "--db", synthetic, "--runs", 1, "--no-bytecode")
    assert result.returncode == 0, result.stderr
    assert f"({SEED_LETTERS + LETTERS} letters" in result.stdout
    assert "window on screen: median" in result.stdout
    assert f"{SEED_LETTERS + LETTERS} rows" in result.stdout


@needs_xvfb
def test_startup_script_first_and_second_start_under_x() -> None:
    result = _run("bench/startup.py", "--platform", "xcb", "--runs", 1, "--no-bytecode")
    assert result.returncode == 0, result.stderr
    for line in ("first start, progress window on screen: median",
                 "first start, main window on screen: median",
                 "second start, main window on screen: median"):
        assert line in result.stdout
    assert "main window" in result.stdout and "(5 rows)" in result.stdout
    assert _gone(_xvfb_pid(result.stdout))


@needs_xvfb
def test_startup_script_stops_its_x_server_when_a_run_fails(tmp_path: Path) -> None:
    child = tmp_path / "broken_child.py"
    child.write_text("import sys\nprint('no window here')\nsys.exit(3)\n", encoding="utf-8")
    result = _run("bench/startup.py", "--platform", "xcb", "--runs", 1, "--no-bytecode",
                  "--child", child)
    assert result.returncode == 1
    assert "FAILED" in result.stderr and "exit code 3" in result.stderr
    assert _gone(_xvfb_pid(result.stdout))


@needs_xvfb
def test_startup_script_stops_its_x_server_when_terminated(tmp_path: Path) -> None:
    child = tmp_path / "slow_child.py"
    child.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    bench = subprocess.Popen(
        [sys.executable, "bench/startup.py", "--platform", "xcb", "--runs", "1",
         "--no-bytecode", "--child", str(child)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert bench.stdout is not None
        seen = ""
        while not XVFB_LINE.search(seen):
            line = bench.stdout.readline()
            assert line, seen
            seen += line
        bench.send_signal(signal.SIGTERM)
        bench.wait(timeout=30)
    finally:
        if bench.poll() is None:
            bench.kill()
        bench.communicate()
    assert bench.returncode != 0
    pid = _xvfb_pid(seen)
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid)


def test_team_sync_bench_prints_its_figures() -> None:
    """bench/team_sync.py on a small store: a server of its own, the sync's time against
    its target, both searches' p95s and their ratio (figures not asserted)."""
    from tests.helpers.postgres import binaries

    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed")
        pytest.skip("PostgreSQL is not installed")
    result = _run(REPO / "bench" / "team_sync.py", "--letters", 40, "--changes", 30)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(re.fullmatch(r"sync of 30 offline changes at 40 letters: [0-9.]+ s \(meets "
                            r"the 5 s target\); sent \d+ rows, received \d+, \d+ items in "
                            r"conflict", line) for line in lines), lines
    for name in ("SQLite", "PostgreSQL"):
        assert any(re.fullmatch(rf"search on {name} at 40 letters: median [0-9.]+ ms, p95 "
                                r"[0-9.]+ ms \(\d+ queries\)", line) for line in lines), lines
    assert any(re.fullmatch(r"search p95 on PostgreSQL / on SQLite: [0-9.]+x", line)
               for line in lines), lines


def test_the_pack_yardstick_is_a_plain_document_of_the_pages_asked(tmp_path: Path) -> None:
    """bench/pack_yardstick.py: about the pages asked, "Page N of M" right on every page,
    a two-level contents and outline, DejaVu embedded."""
    from pypdf import PdfReader

    sys.path.insert(0, str(REPO))
    from bench.pack_yardstick import build_pages

    out = tmp_path / "yardstick.pdf"
    result = build_pages(24, out)
    reader = PdfReader(out)
    assert abs(result.pages - 24) <= 2 and len(reader.pages) == result.pages
    for number, page in enumerate(reader.pages, 1):
        assert f"Page {number} of {result.pages}" in page.extract_text()
    outline = reader.outline
    assert outline[0].title == "Section 1" and isinstance(outline[1], list)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts
