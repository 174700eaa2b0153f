"""Backups, restore and the store check, on real store files."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.services import open_services
from briefing_app.store import migrate
from briefing_app.store.backup import (
    KEEP,
    BackupCancelled,
    automatic_backups,
    copy_database,
    make_automatic_backup,
    series_prefix,
)
from briefing_app.store.engine import Store
from tests.helpers.cli import cli
from tests.helpers.store import sql_dump


def test_backup_change_restore_round_trips_exactly(seeded_path: Path, tmp_path: Path) -> None:
    before = sql_dump(seeded_path)
    backup = tmp_path / "before.sqlite3"
    result = cli("--db", seeded_path, "backup", "--out", backup, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["path"] == str(backup)
    assert sql_dump(backup) == before

    assert cli("--db", seeded_path, "status", "set", "measures", "3", "done").code == 0
    letter = tmp_path / "new.txt"
    letter.write_text("Brussels, 2 May 2025\n\nDear Minister,\n\nA new letter.\n",
                      encoding="utf-8")
    assert cli("--db", seeded_path, "import", letter).code == 0
    assert sql_dump(seeded_path) != before

    restored = cli("--db", seeded_path, "restore", backup)
    assert restored.code == 0, restored.err
    assert restored.out.startswith(f"Restored {seeded_path} from {backup}; the replaced "
                                   f"store is kept as {paths.backups_dir()}")
    assert sql_dump(seeded_path) == before
    kept = [p for p in automatic_backups(paths.backups_dir(), seeded_path)
            if p.name.endswith("-before-restore.sqlite3")]
    assert len(kept) == 1
    # the store that was replaced holds the change made after the backup
    assert ("INSERT INTO \"statuschange\"" in "\n".join(sql_dump(kept[0])))
    assert cli("--db", seeded_path, "check").code == 0


def _foreign_store(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("INSERT INTO notes (text) VALUES ('not ours')")
    db.commit()
    db.close()
    return path


def _future_store(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    db = sqlite3.connect(path)
    db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    db.commit()
    db.close()
    return path


def _corrupt_store(template: Path, path: Path) -> Path:
    data = bytearray(template.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 40 * page), page):
        data[offset:offset + 64] = b"\xff" * 64  # trash the headers of b-tree pages
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda t, p: p.write_bytes(b"\x00garbage" * 100) and p,
     "{file}: not a Briefing App store (not an SQLite file); nothing was restored"),
    (lambda t, p: p.write_bytes(b"") or p,
     "{file}: not a Briefing App store (not an SQLite file); nothing was restored"),
    (lambda t, p: _foreign_store(p),
     "{file}: not a Briefing App store (no schema version); nothing was restored"),
    (lambda t, p: _future_store(t, p),
     "{file}: schema version '9999_from_the_future' is unknown to this version of the app; "
     "nothing was restored"),
])
def test_restore_refuses_foreign_files_and_leaves_the_store(
        seeded_path: Path, tmp_path: Path, make, message: str) -> None:
    candidate = make(seeded_path, tmp_path / "candidate.sqlite3")
    before = sql_dump(seeded_path)
    result = cli("--db", seeded_path, "restore", candidate)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"briefing-app: {message.format(file=candidate)}\n"
    assert sql_dump(seeded_path) == before
    assert not [p for p in automatic_backups(paths.backups_dir(), seeded_path)
                if "before-restore" in p.name]


def test_restore_refuses_a_corrupt_store(seeded_path: Path, seeded_template: Path,
                                         tmp_path: Path) -> None:
    candidate = _corrupt_store(seeded_template, tmp_path / "corrupt.sqlite3")
    before = sql_dump(seeded_path)
    result = cli("--db", seeded_path, "restore", candidate)
    assert result.code == 1
    assert result.err.startswith(f"briefing-app: {candidate}: the file is damaged (")
    assert result.err.endswith("; nothing was restored\n")
    assert result.err.count("\n") == 1
    assert sql_dump(seeded_path) == before


def test_restore_into_a_store_that_no_longer_opens(seeded_template: Path,
                                                   tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    store.write_bytes(b"this store was overwritten by mistake" * 10)
    assert cli("--db", store, "list", "letters").code == 1
    result = cli("--db", store, "restore", seeded_template)
    assert result.code == 0, result.err
    assert sql_dump(store) == sql_dump(seeded_template)
    kept = automatic_backups(paths.backups_dir(), store)
    assert [p.name.endswith("-damaged.sqlite3") for p in kept] == [True]
    assert kept[0].read_bytes() == b"this store was overwritten by mistake" * 10


def test_backup_refuses_a_missing_folder_and_the_store_itself(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "b.sqlite3"
    result = cli("--db", seeded_path, "backup", "--out", missing)
    assert (result.code, result.err) == (
        1, f"briefing-app: {missing}: the folder {missing.parent} does not exist\n")
    result = cli("--db", seeded_path, "backup", "--out", seeded_path)
    assert (result.code, result.err) == (
        1, f"briefing-app: {seeded_path}: is the store itself; choose another file\n")


def test_first_open_of_the_day_makes_one_backup(seeded_path: Path) -> None:
    folder = paths.backups_dir()
    assert automatic_backups(folder, seeded_path) == []
    Store(seeded_path).close()
    Store(seeded_path).close()
    made = automatic_backups(folder, seeded_path)
    assert len(made) == 1
    today = datetime.now().strftime("%Y%m%d")
    assert made[0].name.startswith(f"{series_prefix(seeded_path)}{today}-")
    assert made[0].name.endswith("-daily.sqlite3")
    assert sql_dump(made[0]) == sql_dump(seeded_path)


def test_the_daily_backup_can_be_left_to_the_caller_and_run_in_a_thread(
        seeded_path: Path) -> None:
    # the desktop app opens the store without it and makes it once its window is shown
    folder = paths.backups_dir()
    store = Store(seeded_path, daily_backup_on_open=False)
    try:
        assert automatic_backups(folder, seeded_path) == []
        assert store.daily_backup_due
        made: list[Path | None] = []
        worker = threading.Thread(target=lambda: made.append(store.daily_backup()))
        worker.start()
        worker.join(30)
        assert made == automatic_backups(folder, seeded_path)
        assert len(made) == 1 and made[0] is not None
        assert made[0].name.endswith("-daily.sqlite3")
        assert sql_dump(made[0]) == sql_dump(seeded_path)
        assert not store.daily_backup_due
        assert store.daily_backup() is None  # once per open
    finally:
        store.close()
    services = open_services(seeded_path, create=False, daily_backup_on_open=False)
    try:
        assert services.daily_backup() is None  # the day has its backup
    finally:
        services.close()
    assert len(automatic_backups(folder, seeded_path)) == 1


def test_the_deferred_daily_backup_of_an_encrypted_store_is_encrypted(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "travel.sqlite3"
    Store(path, passphrase="pass phrase").close()  # new: created encrypted, not backed up
    store = Store(path, passphrase="pass phrase", daily_backup_on_open=False)
    try:
        made: list[Path | None] = []
        worker = threading.Thread(target=lambda: made.append(store.daily_backup()))
        worker.start()
        worker.join(30)
    finally:
        store.close()
    assert made == automatic_backups(paths.backups_dir(), path) and made[0] is not None
    assert not made[0].read_bytes().startswith(b"SQLite format 3\x00")
    with pytest.raises(StoreError, match="wrong passphrase"):
        Store(made[0], passphrase="nope", backup_dir=None)
    copy = Store(made[0], passphrase="pass phrase", backup_dir=None)
    try:
        assert copy.encrypted
        with copy.read() as connection:
            assert connection.execute("SELECT count(*) FROM letter").fetchone()[0] == 0
    finally:
        copy.close()


def test_a_cancelled_daily_backup_leaves_no_file_and_stays_due(seeded_path: Path) -> None:
    folder = paths.backups_dir()
    store = Store(seeded_path, daily_backup_on_open=False)
    try:
        assert store.daily_backup(cancelled=lambda: True) is None
        answers = iter([False, True])  # asked before the copy, then after its (one) step
        assert store.daily_backup(cancelled=lambda: next(answers)) is None
        assert automatic_backups(folder, seeded_path) == []
        assert sorted(p.name for p in folder.iterdir()) == []  # no partial file either
        assert store.daily_backup_due
        made = store.daily_backup(cancelled=lambda: False)
        assert made is not None and automatic_backups(folder, seeded_path) == [made]
    finally:
        store.close()


def test_a_cancelled_copy_raises_and_removes_its_partial_file(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "copies" / "copy.sqlite3"
    target.parent.mkdir()
    steps: list[int] = []

    def cancelled() -> bool:
        steps.append(len(steps))
        return len(steps) > 1

    source = sqlite3.connect(seeded_path)
    try:
        with pytest.raises(BackupCancelled):
            copy_database(source, target, cancelled=cancelled)
        assert steps == [0, 1]  # before the copy, and after its one step
        assert list(target.parent.iterdir()) == []
        assert copy_database(source, target, cancelled=lambda: False) == target
    finally:
        source.close()
    assert sql_dump(target) == sql_dump(seeded_path)


def test_a_failing_daily_backup_is_logged_not_raised(seeded_path: Path, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be", encoding="utf-8")
    store = Store(seeded_path, backup_dir=blocked, daily_backup_on_open=False)
    try:
        with caplog.at_level("WARNING", logger="briefing_app.store.engine"):
            assert store.daily_backup() is None
    finally:
        store.close()
    assert [r.getMessage().split(": ")[0] for r in caplog.records] == [
        f"daily backup of {seeded_path} failed"]


def test_a_new_store_is_not_backed_up(tmp_path: Path) -> None:
    store = tmp_path / "new.sqlite3"
    Store(store).close()
    assert automatic_backups(paths.backups_dir(), store) == []


def test_backup_before_migrating_an_existing_store(seeded_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # the app is one revision ahead of the store (the upgrade itself finds nothing to do)
    monkeypatch.setattr(migrate, "HEAD", "0002_next")
    before = sql_dump(seeded_path)
    Store(seeded_path).close()
    made = automatic_backups(paths.backups_dir(), seeded_path)
    assert [p.name.rsplit("-", 1)[-1] for p in made] == ["migration.sqlite3"]
    assert made[0].name.endswith("-before-migration.sqlite3")
    assert sql_dump(made[0]) == before


def test_rotation_keeps_the_newest_ten(seeded_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(seeded_path, other)
    make_automatic_backup(folder, other, "daily", now=datetime(2024, 1, 1, 9, 0, 0))
    for day in range(1, 13):
        make_automatic_backup(folder, seeded_path, "daily",
                              now=datetime(2024, 3, day, 8, 30, 0))
    kept = automatic_backups(folder, seeded_path)
    assert KEEP == 10
    assert [p.name[len(series_prefix(seeded_path)):] for p in kept] == [
        f"202403{day:02d}-083000-daily.sqlite3" for day in range(3, 13)]
    # another store's series is left alone
    assert len(automatic_backups(folder, other)) == 1


def _break(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def test_check_reports_each_kind_of_problem(seeded_path: Path) -> None:
    result = cli("--db", seeded_path, "check", "--format", "json")
    assert result.code == 0
    assert [(c["name"], c["ok"]) for c in result.json()["checks"]] == [
        ("integrity", True), ("foreign-keys", True), ("search-index", True),
        ("citations", True)]

    _break(seeded_path,
           'UPDATE citation SET "end" = "end" + 1000000 WHERE id = 1',
           "INSERT INTO citation (letter_id, item_kind, item_id, start, \"end\", quote) "
           "VALUES (4242, 'measure', 1, 0, 1, 'x')",
           "INSERT INTO paragraph_fts(paragraph_fts, rowid, text) "
           "SELECT 'delete', id, text FROM paragraph WHERE id = 1")
    new_id = sqlite3.connect(seeded_path).execute("SELECT max(id) FROM citation").fetchone()[0]
    result = cli("--db", seeded_path, "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "integrity: ok (the database file)"
    assert lines[1:3] == ["foreign-keys: PROBLEMS (every reference between rows)",
                          f"  citation row {new_id}: points at a missing letter row"]
    assert lines[3].startswith("search-index: PROBLEMS (170 indexed paragraphs)")
    assert lines[-2].startswith("citations: PROBLEMS (")
    assert lines[-1].startswith("  citation 1 (")
    assert result.err == (f"briefing-app: {seeded_path}: the check found problems "
                          "(foreign-keys, search-index, citations); restore a backup "
                          "('briefing-app restore FILE')\n")


def test_services_restore_reopens_the_store(seeded_path: Path, tmp_path: Path) -> None:
    services = open_services(seeded_path, create=False)
    try:
        services.maintenance.backup(tmp_path / "b.sqlite3")
        services.tracking.set_status("measures", "3", "done")
        services.maintenance.restore(tmp_path / "b.sqlite3")
        assert services.tracking.measure("3").status == "no evidence"
        services.tracking.set_status("measures", "3", "delayed")
        assert services.tracking.measure("3").status == "delayed"
    finally:
        services.close()
