"""A new store with the seed gets the store's name only once it is complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import briefing_app.services.new_store as new_store
from briefing_app.errors import StoreError
from briefing_app.services import open_services
from tests.helpers.cli import REPO

CRASH_BEFORE_NAMING = """
import os, sys
from pathlib import Path
import briefing_app.services.new_store as new_store

def crash(built, path):
    print(built, flush=True)
    os._exit(9)  # as if the machine went down between the seed and the rename

new_store._publish = crash
new_store.create_seeded_store(Path(sys.argv[1]))
"""


def test_a_crash_before_the_store_is_named_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "briefing.sqlite3"
    crashed = subprocess.run([sys.executable, "-c", CRASH_BEFORE_NAMING, str(store)],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 9, crashed.stderr
    assert not store.exists()
    [left] = [p for p in tmp_path.iterdir() if p.name.endswith(".new")]
    assert left.name.startswith(".briefing.sqlite3.")

    # a young leftover may be another instance at work: it is left alone
    assert new_store.remove_leftovers(store) == []
    old = time.time() - new_store.STALE_AFTER_S - 60
    os.utime(left, (old, old))
    services = new_store.create_seeded_store(store)  # removes the stale leftover
    try:
        assert len(services.letters.list()) == 5
    finally:
        services.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.sqlite3"]


def test_the_new_store_is_one_complete_file(tmp_path: Path) -> None:
    store = tmp_path / "folder" / "briefing.sqlite3"
    steps: list[tuple[int, int, str]] = []
    services = new_store.create_seeded_store(
        store, progress=lambda number, total, label: steps.append((number, total, label)))
    services.close()
    assert [number for number, _total, _label in steps] == [0, 1, 2]
    assert [label for *_numbers, label in steps] == list(new_store.STEPS)
    moved = tmp_path / "moved.sqlite3"
    shutil.copyfile(store, moved)  # the file alone, without any -wal beside it
    copy = open_services(moved, create=False)
    try:
        assert len(copy.letters.list()) == 5
        assert len(copy.tracking.action_points()) == 10
    finally:
        copy.close()


def test_an_existing_store_is_never_replaced(tmp_path: Path, seeded_template: Path) -> None:
    store = tmp_path / "briefing.sqlite3"
    shutil.copyfile(seeded_template, store)
    with pytest.raises(StoreError, match="a store is already there"):
        new_store.create_seeded_store(store)


def test_a_store_made_meanwhile_by_another_instance_is_opened_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "briefing.sqlite3"
    publish = new_store._publish

    def other_instance_first(built: Path, path: Path) -> None:
        open_services(path, create=True).close()  # theirs: an empty store
        publish(built, path)

    monkeypatch.setattr(new_store, "_publish", other_instance_first)
    services = new_store.create_seeded_store(store)
    try:
        assert services.letters.list() == []  # theirs, not ours
    finally:
        services.close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".new")]
