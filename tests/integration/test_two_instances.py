"""Two instances on one store both work: WAL lets readers and a writer overlap, every
write transaction takes the write lock up front (BEGIN IMMEDIATE) and waits for it
(busy timeout), so no action fails or is lost because another instance was writing."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import REPO, cli

ROUNDS = 40


def test_two_processes_write_the_same_store_interleaved(seeded_path: Path) -> None:
    db = sqlite3.connect(seeded_path)
    changes_before = db.execute("SELECT count(*) FROM statuschange").fetchone()[0]
    db.close()
    writers = [subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_writer", "interleave", str(seeded_path),
         name, str(ROUNDS)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for name in ("first", "second")]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    assert [(w.returncode, err) for w, (_, err) in zip(writers, outputs, strict=True)] == [
        (0, ""), (0, "")]
    confirmed = [line.split() for out, _ in outputs for line in out.splitlines()
                 if line.startswith("confirmed ")]
    assert len(confirmed) == 2 * 2 * ROUNDS

    db = sqlite3.connect(seeded_path)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    titles = {row[0] for row in db.execute("SELECT title FROM meeting")}
    assert {f"{name}-{n}" for name in ("first", "second") for n in range(ROUNDS)} <= titles
    for _, kind, item_id, *rest in confirmed:
        if kind == "meeting":
            assert db.execute("SELECT title FROM meeting WHERE id = ?",
                              (int(item_id),)).fetchone() == (rest[0],)
        else:
            assert db.execute("SELECT new_status FROM statuschange WHERE id = ?",
                              (int(item_id),)).fetchone() == (" ".join(rest[2:]),)
    assert db.execute("SELECT count(*) FROM statuschange").fetchone()[0] == (
        changes_before + 2 * ROUNDS)
    # the two writers really overlapped: their changes are interleaved in the audit trail
    authors = [row[0] for row in db.execute(
        "SELECT author FROM statuschange WHERE source = 'two instances' ORDER BY id")]
    switches = sum(1 for a, b in itertools.pairwise(authors) if a != b)
    assert switches >= 1
    # no lost update: each change starts from the status the one before it left
    chain = db.execute("SELECT item_id, old_status, new_status FROM statuschange "
                       "WHERE item_kind = 'commitment' ORDER BY item_id, id").fetchall()
    for (item, _, new), (next_item, old, _) in itertools.pairwise(chain):
        if item == next_item:
            assert old == new, (item, old, new)
    db.close()
    assert cli("--db", seeded_path, "check").code == 0
