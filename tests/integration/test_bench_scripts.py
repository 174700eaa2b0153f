"""The benchmark scripts build a valid store and run on it (no timings asserted here)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app.corpus.text import fold
from briefing_app.services import open_services
from tests.helpers.cli import REPO, cli

LETTERS = 200
SEED_LETTERS = 5


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
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
        assert db.execute("SELECT COUNT(*) FROM actionpoint").fetchone()[0] == 10
        assert db.execute("SELECT COUNT(*) FROM operationalmeasure").fetchone()[0] == 15
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
