"""Copies of the store made with SQLite's online backup API, and checks of a store file.

A backup is a consistent snapshot even while another process writes (the
backup API copies committed pages only), and it is written to a temporary
file beside the target and then renamed over it, so a crash never leaves half
a backup under the final name.

Automatic backups go to the ``backups/`` folder of the user data directory,
one series per store. A file is named
``<store stem>-<8 hex digits of the store's path hash>-<YYYYMMDD-HHMMSS>-<reason>.sqlite3``
(``daily``, ``before-migration``, ``before-restore``); the newest
:data:`KEEP` of each store are kept, older ones are deleted.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from briefing_app.errors import StoreError

#: Automatic backups kept per store.
KEEP = 10
SUFFIX = ".sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
#: Pages copied per step of a backup that can be cancelled (4 MiB at 4 KiB pages):
#: it stops within one step of being asked.
CANCEL_STEP_PAGES = 1024


class BackupCancelled(Exception):
    """A backup was stopped by its ``cancelled()`` predicate; no file was left behind."""


def _temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _keyed_connect(path: str, passphrase: str | None, **options: Any) -> Any:
    """sqlite3.connect, or a keyed sqlcipher3 connection for an encrypted store."""
    if passphrase is None:
        return sqlite3.connect(path, **options)
    import sqlcipher3.dbapi2 as cipher

    connection = cipher.connect(path, **options)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    return connection


def copy_database(source: sqlite3.Connection, target: Path, *,
                  passphrase: str | None = None,
                  cancelled: Callable[[], bool] | None = None) -> Path:
    """Write a consistent copy of the database behind ``source`` to ``target``.

    The copy is a plain rollback-journal file (not WAL), so it is one
    self-contained file that can be carried around or mailed. The copy of an
    encrypted store is encrypted with the same ``passphrase``.

    With ``cancelled``, the copy goes in steps of :data:`CANCEL_STEP_PAGES`
    pages and raises :class:`BackupCancelled` (leaving no file) at the first
    step after ``cancelled()`` turns true. A write to the store between two
    steps makes SQLite start the copy again, so the copy is consistent either way.
    """
    target = Path(target)
    partial = _temporary_beside(target)
    partial.unlink(missing_ok=True)
    try:
        destination = _keyed_connect(str(partial), passphrase)
        try:
            if cancelled is None:
                source.backup(destination)
            else:
                if cancelled():
                    raise BackupCancelled(f"the backup to {target} was cancelled")

                def step(_status: int, _remaining: int, _total: int) -> None:
                    if cancelled():
                        raise BackupCancelled(f"the backup to {target} was cancelled")

                source.backup(destination, pages=CANCEL_STEP_PAGES, progress=step)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def backup_file(store_path: Path, target: Path, *, passphrase: str | None = None,
                connect: Callable[[], Any] | None = None,
                cancelled: Callable[[], bool] | None = None) -> Path:
    """A consistent copy of the store at ``store_path`` written to ``target``.

    ``connect`` opens the source (the store's own read-only connection, which
    knows a write-protected location); by default the file is opened ``mode=ro``.
    ``cancelled`` makes it stoppable (:func:`copy_database`). The copy needs no
    connection of the caller's: it may run in any thread.
    """
    from briefing_app.store.engine import error_classes

    try:
        source = connect() if connect is not None else _keyed_connect(
            f"{Path(store_path).resolve().as_uri()}?mode=ro", passphrase, uri=True, timeout=10)
    except error_classes("Error") as exc:
        raise StoreError(f"{store_path}: cannot be read for a backup ({exc})") from exc
    try:
        return copy_database(source, target, passphrase=passphrase, cancelled=cancelled)
    except error_classes("Error") as exc:
        raise StoreError(f"{store_path}: backup to {target} failed ({exc})") from exc
    except OSError as exc:
        raise StoreError(f"{target}: cannot write the backup ({exc.strerror or exc})") from exc
    finally:
        source.close()


# ------------------------------------------------------------------- automatic backups


def series_prefix(store_path: Path) -> str:
    """The start of every automatic backup's name of one store."""
    resolved = str(Path(store_path).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    return f"{Path(store_path).stem}-{digest}-"


def automatic_backups(folder: Path, store_path: Path) -> list[Path]:
    """The automatic backups of one store, oldest first."""
    if not folder.is_dir():
        return []
    prefix = series_prefix(store_path)
    return sorted(p for p in folder.iterdir()
                  if p.name.startswith(prefix) and p.name.endswith(SUFFIX))


def make_automatic_backup(folder: Path, store_path: Path, reason: str, *,
                          now: datetime | None = None, keep: int = KEEP,
                          passphrase: str | None = None,
                          cancelled: Callable[[], bool] | None = None) -> Path:
    """Back up the store into ``folder`` and delete all but its newest ``keep`` backups.

    A cancelled backup (``cancelled``, see :func:`copy_database`) raises
    :class:`BackupCancelled` and deletes nothing.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{series_prefix(store_path)}{stamp}-{reason}{SUFFIX}"
    counter = 1
    while target.exists():  # two backups in the same second (a migration, then the daily)
        counter += 1
        target = folder / f"{series_prefix(store_path)}{stamp}-{reason}-{counter}{SUFFIX}"
    backup_file(store_path, target, passphrase=passphrase, cancelled=cancelled)
    rotate(folder, store_path, keep=keep)
    return target


def rotate(folder: Path, store_path: Path, *, keep: int = KEEP) -> list[Path]:
    """Delete the oldest automatic backups of a store beyond ``keep``; returns those deleted."""
    existing = automatic_backups(folder, store_path)  # by name: by time stamp
    doomed = existing[:-keep] if keep > 0 else existing
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def has_backup_of_day(folder: Path, store_path: Path, day: datetime) -> bool:
    stamp = f"{series_prefix(store_path)}{day.strftime('%Y%m%d')}-"
    return any(p.name.startswith(stamp) for p in automatic_backups(folder, store_path))


# ------------------------------------------------------------------------------ checks


@dataclass(frozen=True)
class FileFacts:
    """What a candidate store file is: its schema revision and whether SQLite finds it sound."""

    revision: str | None
    integrity: tuple[str, ...]  # empty when PRAGMA integrity_check says "ok"
    foreign_key_problems: int


def integrity_problems(db: sqlite3.Connection) -> list[str]:
    """The messages of ``PRAGMA integrity_check`` (empty when the file is sound)."""
    rows = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def foreign_key_problems(db: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """``(table, rowid, parent table)`` of each row pointing at a missing row."""
    return [(str(r[0]), int(r[1]) if r[1] is not None else 0, str(r[2]))
            for r in db.execute("PRAGMA foreign_key_check").fetchall()]


def inspect_file(path: Path) -> FileFacts:
    """Open ``path`` read-only and tell what it is; StoreError if it is no SQLite database."""
    from briefing_app.store.engine import stored_revision

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise StoreError(f"{name}: no such file")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        raise StoreError(f"{name}: not a Briefing App store (not an SQLite file)")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{name}: cannot be opened ({exc})") from exc
    try:
        integrity = integrity_problems(db)
        if integrity:
            return FileFacts(None, tuple(integrity), 0)
        revision = stored_revision(db)
        return FileFacts(revision, (), len(foreign_key_problems(db)))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{name}: the file is damaged ({exc})") from exc
    finally:
        db.close()
