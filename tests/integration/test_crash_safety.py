"""Kill a writing process with SIGKILL at random points; nothing confirmed may be lost.

A writer (``tests/helpers/crash_writer.py``, forked from a warm "zygote" so a
kill costs a fork, not a Python start-up) imports letters or changes statuses
and prints ``confirmed …`` after each commit the services returned. The test
reads a random number of confirmations, waits a random fraction of a
transaction, and kills it. After every kill the store must pass SQLite's
integrity and foreign-key checks and FTS5's index check, hold every
confirmed action, and show no half-written one.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing_app.services import open_services
from tests.conftest import TODAY
from tests.helpers.cli import REPO

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash loop forks (POSIX)")

KILLS = 20  # per kind of burst
SEED = int(os.environ.get("CRASH_TEST_SEED", "20250115"))


@dataclass
class Zygote:
    process: subprocess.Popen[str]
    kills: int = 0
    confirmed: list[str] = field(default_factory=list)

    def line(self) -> str:
        assert self.process.stdout is not None
        text = self.process.stdout.readline()
        assert text, "the writer zygote died"
        return text.rstrip("\n")

    def run_and_kill(self, command: str, *, after: int, delay: float) -> bool:
        """Start a writer; kill it after ``after`` confirmations and ``delay`` seconds.

        Every confirmation it printed (before or after the kill was sent) is
        added to :attr:`confirmed`. Returns False if the writer finished first.
        """
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        first = self.line()
        assert first.startswith("child "), first
        pid = int(first.split()[1])
        assert self.line() == "ready"
        seen = 0
        finished = False
        while seen < after:
            text = self.line()
            if text == f"ended {pid}":
                finished = True
                break
            assert text.startswith("confirmed "), text
            self.confirmed.append(text)
            seen += 1
        if not finished:
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            self.kills += 1
            while (text := self.line()) != f"ended {pid}":
                assert text.startswith("confirmed "), text
                self.confirmed.append(text)
        return not finished


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_writer", "zygote"], cwd=REPO,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    writer = Zygote(process)
    assert writer.line() == "zygote ready"
    yield writer
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    process.wait(timeout=60)
    process.stdout.close()


def assert_sound(store: Path) -> sqlite3.Connection:
    """SQLite's and FTS5's own checks; returns an open connection for further checks."""
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.execute("INSERT INTO paragraph_fts(paragraph_fts, rank) VALUES ('integrity-check', 1)")
    db.rollback()
    return db


def write_letters(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        paragraphs = "\n\n".join(
            f"Paragraph {p} of letter {n}: the partner country agreed to step up returns "
            f"and readmission, with the support of Frontex (item {n}.{p}). Rakušan, Ærø."
            for p in range(1, 9))
        (folder / f"letter_{n:04d}.txt").write_text(
            f"Brussels, {1 + n % 28} March 2024\n\nDear Minister,\n\n{paragraphs}\n\n"
            f"Yours sincerely,\n\nAnna Example {n}\n", encoding="utf-8")


@pytest.mark.slow
def test_killed_bulk_import_loses_nothing_confirmed(zygote: Zygote, seeded_path: Path,
                                                    tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    write_letters(letters, 200)
    chooser = random.Random(SEED)
    while zygote.kills < KILLS:
        assert zygote.run_and_kill(f"import {seeded_path} {letters}",
                                   after=chooser.randint(0, 4),
                                   delay=chooser.uniform(0, 0.03)), "ran out of letters"
        db = assert_sound(seeded_path)
        for line in zygote.confirmed:
            _, _, letter_id, sha256 = line.split()
            assert db.execute("SELECT sha256 FROM letter WHERE id = ?",
                              (int(letter_id),)).fetchone() == (sha256,), line
        # a letter is there whole or not at all
        assert db.execute("SELECT count(*) FROM letter l WHERE NOT EXISTS "
                          "(SELECT 1 FROM paragraph p WHERE p.letter_id = l.id)"
                          ).fetchone() == (0,)
        db.close()
    assert zygote.kills == KILLS
    assert len(zygote.confirmed) >= KILLS  # the writer did get work done between kills
    services = open_services(seeded_path, create=False, today=TODAY)
    try:
        assert services.maintenance.check().ok
        hits = services.search.search("Rakusan readmission")
        assert hits  # the index answers for the letters that made it in
    finally:
        services.close()


@pytest.mark.slow
def test_killed_status_bursts_lose_nothing_confirmed(zygote: Zygote, seeded_path: Path) -> None:
    chooser = random.Random(SEED + 1)
    while zygote.kills < KILLS:
        assert zygote.run_and_kill(f"status {seeded_path} {chooser.randint(0, 10**6)}",
                                   after=chooser.randint(0, 6),
                                   delay=chooser.uniform(0, 0.03))
        db = assert_sound(seeded_path)
        for line in zygote.confirmed:
            _, _, change_id, kind, _number, *status = line.split()
            assert kind in ("measures", "action-points"), line
            assert db.execute(
                "SELECT s.item_kind, new_status, author, k.key FROM statuschange s "
                "JOIN commitment c ON c.id = s.item_id "
                "JOIN commitmentseries k ON k.id = c.series_id WHERE s.id = ?",
                (int(change_id),)).fetchone() == ("commitment", " ".join(status), "crash-test",
                                                  kind), line
        # every item shows the status of its latest recorded change: no change half-written
        assert db.execute(
            "SELECT count(*) FROM commitment t WHERE t.status <> ("
            "  SELECT s.new_status FROM statuschange s"
            "  WHERE s.item_kind = 'commitment' AND s.item_id = t.id ORDER BY s.id DESC LIMIT 1)"
        ).fetchone() == (0,)
        db.close()
    assert zygote.kills == KILLS
    assert len(zygote.confirmed) >= KILLS
