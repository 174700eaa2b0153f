"""The one module that knows the store is SQLite.

It sets the PRAGMAs every connection needs (foreign keys, WAL journal, full
sync, busy timeout), brings the schema to the newest migration on open, and
hands out two kinds of access:

* :meth:`Store.read` — a plain DB-API connection for the read side
  (:mod:`briefing_app.store.queries`), which needs nothing but the standard
  library, so the app shows its window before the ORM has even loaded;
* :meth:`Store.session` — an SQLModel session for the write side, used
  through a unit of work. SQLAlchemy is imported on first use.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefing_app.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


def set_pragmas(connection: sqlite3.Connection) -> None:
    """The settings every connection to the store runs with."""
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode and str(mode[0]).lower() == "wal":
        # FULL: a confirmed action survives a power cut, not only a crash
        connection.execute("PRAGMA synchronous = FULL")


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, starts transactions (see _on_begin)
    dbapi_connection.isolation_level = None
    set_pragmas(dbapi_connection)


def _on_begin(connection: Any) -> None:
    """Every write-side transaction takes the write lock up front (BEGIN IMMEDIATE).

    What a unit of work reads is then what it writes over, even with a second
    instance of the app writing to the same store: the other waits (busy
    timeout) instead of one of them overwriting a change it never saw.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """An SQLAlchemy engine on the store file with our PRAGMAs on every connection."""
    from sqlalchemy import event
    from sqlmodel import create_engine

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def is_sqlite_file(path: Path) -> bool:
    """True if ``path`` starts with the SQLite header (an empty file counts as new)."""
    with path.open("rb") as handle:
        header = handle.read(16)
    return header in (SQLITE_HEADER, b"")


def stored_revision(connection: sqlite3.Connection) -> str | None:
    """The migration the store is at, or None for a new (empty) store."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


class Store:
    """An open store: its path, a read side and (on first use) a write side.

    Opening migrates the schema to the newest revision, so every caller sees
    the current tables.
    """

    def __init__(self, path: Path, *, create: bool = True,
                 backup_dir: Path | Literal["default"] | None = "default") -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        if backup_dir == "default":
            from briefing_app import paths

            backup_dir = paths.backups_dir()
        #: Where automatic backups go ("default": the user data folder's backups/;
        #: None: no automatic backups).
        self.backup_dir: Path | None = Path(backup_dir) if backup_dir is not None else None
        existed = self.path.exists() and not self.path.is_dir() and self.path.stat().st_size > 0
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"{self.path}: no store here (run 'briefing-app init' to create one)"
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the store folder ({exc})") from exc
        elif self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        elif not is_sqlite_file(self.path):
            raise StoreError(f"{self.path}: not a Briefing App store (not an SQLite file)")
        self._migrate()
        if existed:
            self._daily_backup()

    def automatic_backup(self, reason: str) -> Path | None:
        """Back up the store into :attr:`backup_dir` (rotated); None when backups are off."""
        if self.backup_dir is None:
            return None
        from briefing_app.store.backup import make_automatic_backup

        return make_automatic_backup(self.backup_dir, self.path, reason)

    def _daily_backup(self) -> None:
        """On the first open of each day, a backup (a failure is logged, not fatal)."""
        if self.backup_dir is None:
            return
        from datetime import datetime

        from briefing_app.store.backup import has_backup_of_day

        try:
            if not has_backup_of_day(self.backup_dir, self.path, datetime.now()):
                self.automatic_backup("daily")
        except (OSError, StoreError) as exc:
            log.warning("daily backup of %s failed: %s", self.path, exc)

    def migrate(self) -> None:
        """Bring the store to the newest schema (after its file was replaced by a restore)."""
        self.close()
        self._migrate()

    def _migrate(self) -> None:
        from briefing_app.store.migrate import HEAD

        try:
            with self.read() as connection:
                current = stored_revision(connection)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the store cannot be read ({exc})") from exc
        if current == HEAD:
            return
        from briefing_app.store.migrate import upgrade_to_head

        if current is not None:
            # never migrate an existing store without a copy to go back to
            self.automatic_backup("before-migration")
        try:
            upgrade_to_head(self.engine)
        except StoreError:
            raise
        except Exception as exc:
            original = getattr(exc, "orig", None)
            if isinstance(original, sqlite3.DatabaseError):
                raise StoreError(f"{self.path}: the store cannot be read ({original})") from exc
            raise

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the write side, created on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.path)
            return self._engine

    def session(self) -> Session:
        """A new session; callers use it through a unit of work."""
        from sqlmodel import Session

        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading (rows as :class:`sqlite3.Row`), closed afterwards."""
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=False)
        try:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield connection
        finally:
            connection.close()

    @contextmanager
    def raw_connection(self) -> Iterator[sqlite3.Connection]:
        """A connection from the write side's pool (checks, backups)."""
        connection = self.engine.raw_connection()
        try:
            yield connection.driver_connection  # type: ignore[misc]
        finally:
            connection.close()

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
