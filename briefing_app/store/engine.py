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

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

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
    set_pragmas(dbapi_connection)


def make_engine(path: Path) -> Engine:
    """An SQLAlchemy engine on the store file with our PRAGMAs on every connection."""
    from sqlalchemy import event
    from sqlmodel import create_engine

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
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

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
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
