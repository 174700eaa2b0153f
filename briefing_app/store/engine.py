"""The one module that knows the store is SQLite.

It opens the engine with the PRAGMAs every connection needs (foreign keys,
WAL journal, full sync, busy timeout), brings the schema to the newest
migration on open, and hands out sessions. Everything else speaks plain
SQLModel.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from briefing_app.errors import StoreError

BUSY_TIMEOUT_MS = 10_000


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode and str(mode[0]).lower() == "wal":
            # FULL: a confirmed action survives a power cut, not only a crash
            cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on the store file at ``path`` with our PRAGMAs on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def is_sqlite_file(path: Path) -> bool:
    """True if ``path`` starts with the SQLite header (an empty file counts as new)."""
    with path.open("rb") as handle:
        header = handle.read(16)
    return header == b"SQLite format 3\x00" or header == b""


class Store:
    """An open store: its path, engine and session factory.

    Opening migrates the schema to the newest revision, so every caller sees
    the current tables.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
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
        self.engine = make_engine(self.path)
        from briefing_app.store.migrate import upgrade_to_head

        try:
            upgrade_to_head(self.engine)
        except sqlite3.DatabaseError as exc:
            self.engine.dispose()
            raise StoreError(f"{self.path}: the store cannot be read ({exc})") from exc
        except Exception as exc:
            if "file is not a database" in str(exc) or "malformed" in str(exc):
                self.engine.dispose()
                raise StoreError(f"{self.path}: the store cannot be read ({exc})") from exc
            raise

    def session(self) -> Session:
        """A new session; callers use it through a unit of work."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def raw_connection(self) -> Iterator[sqlite3.Connection]:
        """A DB-API connection for SQLite-only work (FTS5, integrity checks)."""
        connection = self.engine.raw_connection()
        try:
            yield connection.driver_connection  # type: ignore[misc]
        finally:
            connection.close()

    def close(self) -> None:
        self.engine.dispose()
