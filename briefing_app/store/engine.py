"""The one module that knows the store is SQLite.

It sets the PRAGMAs every connection needs (foreign keys, WAL journal, full
sync, busy timeout), brings the schema to the newest migration on open, and
hands out two kinds of access:

* :meth:`Store.read` — a plain DB-API connection for the read side
  (:mod:`briefing_app.store.queries`), which needs nothing but the standard
  library, so the app shows its window before the ORM has even loaded;
* :meth:`Store.session` — an SQLModel session for the write side, used
  through a unit of work. SQLAlchemy is imported on first use.

Two special kinds of store:

* **read-only** (a write-protected location, or asked for): nothing is
  migrated or backed up automatically, reads open with ``mode=ro`` and every
  write (:meth:`Store.session`) is refused with a :class:`StoreError`. When
  the folder is not writable either, SQLite cannot create the ``-wal``/``-shm``
  files a WAL store needs, so reads fall back to ``immutable=1``; that is safe
  only because nobody can write there (SQLite then skips all locking and
  change detection).
* **encrypted** (SQLCipher, for travel): the file holds no plain text; the
  key lives only in memory and ``PRAGMA key`` is issued on every new
  connection, both the read side (``sqlcipher3.dbapi2`` instead of
  ``sqlite3``, the same DB-API) and the SQLAlchemy engine. ``sqlcipher3`` is
  imported only when an encrypted store is opened.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefing_app.errors import StoreError
from briefing_app.store.briefcase import is_briefcase

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


def make_engine(path: Path, *, creator: Callable[[], Any] | None = None) -> Engine:
    """An SQLAlchemy engine on the store file with our PRAGMAs on every connection.

    ``creator`` makes the DB-API connections (an encrypted store's keyed
    sqlcipher3 connections); otherwise sqlite3 opens the file.
    """
    from sqlalchemy import event
    from sqlmodel import create_engine

    if creator is not None:
        engine = create_engine(f"sqlite:///{path}", module=_cipher_module(), creator=creator)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def error_classes(name: str) -> tuple[type[Exception], ...]:
    """The DB-API exception class ``name`` of sqlite3 and, once loaded, of sqlcipher3.

    Code that catches database errors on a connection of :meth:`Store.read`
    catches ``error_classes("DatabaseError")``: an encrypted store's
    connections raise sqlcipher3's classes, not sqlite3's.
    """
    classes: list[type[Exception]] = [getattr(sqlite3, name)]
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    if cipher is not None:
        classes.append(getattr(cipher, name))
    return tuple(classes)


def is_encrypted(path: Path) -> bool:
    """True if ``path`` looks like an encrypted (SQLCipher) store; the GUI asks for a passphrase.

    An SQLCipher file starts with a random salt instead of the SQLite header and,
    like every SQLite file, is made of whole pages (at least 512 bytes each);
    any other file (a text file, a missing or empty one) is not encrypted.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file() or size == 0 or size % 512:
            return False
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError:
        return False
    return header != SQLITE_HEADER


def should_open_read_only(file_writable: bool, folder_writable: bool) -> bool:
    """The read-only decision: the file or its folder (WAL's -wal/-shm files) is not writable."""
    return not (file_writable and folder_writable)


def detect_read_only(path: Path) -> bool:
    """True if the store at ``path`` is on a write-protected location.

    See :func:`should_open_read_only` (root passes these checks except on a read-only mount).
    """
    path = Path(path)
    folder = path.resolve().parent
    return should_open_read_only(os.access(path, os.W_OK), os.access(folder, os.W_OK))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cipher_module() -> Any:
    try:
        import sqlcipher3.dbapi2 as cipher
    except ImportError as exc:  # pragma: no cover (a test installs it)
        raise StoreError("encrypted stores need the 'sqlcipher3' package "
                         "(pip install 'briefing-app[crypto]')") from exc
    return cipher


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
    the current tables. ``read_only=None`` detects a write-protected location
    (:func:`detect_read_only`); ``passphrase`` opens an encrypted store, or
    creates one when the file is new. The first open of a day of an existing
    store backs it up (:meth:`daily_backup`) before it returns; with
    ``daily_backup_on_open=False`` the caller runs that itself, e.g. the
    desktop app in a worker thread once its window is on screen.
    """

    def __init__(self, path: Path, *, create: bool = True,
                 backup_dir: Path | Literal["default"] | None = "default",
                 read_only: bool | None = None, passphrase: str | None = None,
                 daily_backup_on_open: bool = True) -> None:
        self.path = Path(path)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._immutable = False
        self._briefcase: bool | None = None
        if backup_dir == "default":
            from briefing_app import paths

            backup_dir = paths.backups_dir()
        #: Where automatic backups go ("default": the user data folder's backups/;
        #: None: no automatic backups).
        self.backup_dir: Path | None = Path(backup_dir) if backup_dir is not None else None
        existed = self.path.exists() and not self.path.is_dir() and self.path.stat().st_size > 0
        #: True when the store is encrypted (SQLCipher); the key stays in this object only.
        self.encrypted = False
        self._passphrase: str | None = None
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"{self.path}: no store here (run 'briefing-app init' to create one)"
                )
            if read_only:
                raise StoreError(f"{self.path}: no store here (a read-only store cannot be "
                                 "created)")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the store folder ({exc})") from exc
            self.encrypted = passphrase is not None
        elif self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        elif is_encrypted(self.path):
            if passphrase is None:
                raise StoreError(f"{self.path}: the store is encrypted: give the passphrase "
                                 "(--passphrase-fd N)")
            self.encrypted = True
        elif not is_sqlite_file(self.path):
            raise StoreError(f"{self.path}: not a Briefing App store (not an SQLite file)")
        elif not existed:
            self.encrypted = passphrase is not None  # an empty file: a new store
        if self.encrypted:
            if not passphrase:
                raise StoreError(f"{self.path}: the passphrase is empty")
            self._passphrase = passphrase
        #: True when changes are refused (a write-protected location, or asked for).
        self.read_only = bool(read_only) if read_only is not None else (
            existed and detect_read_only(self.path))
        if self.read_only:
            self.daily_backup_due = False
            self._check_read_only_revision()
            return
        self._migrate()
        #: True while the backup of the first open of the day may still be due.
        self.daily_backup_due = existed
        if existed and daily_backup_on_open:
            self.daily_backup()

    def _check_read_only_revision(self) -> None:
        from briefing_app.store.migrate import HEAD

        try:
            with self.read() as connection:
                current = stored_revision(connection)
                self._briefcase = is_briefcase(connection)
        except error_classes("DatabaseError") as exc:
            raise StoreError(f"{self.path}: the store cannot be read ({exc})") from exc
        if current != HEAD:
            raise StoreError(f"{self.path}: the store is read-only and needs an upgrade; "
                             "copy it to a writable folder")

    def check_writable(self) -> None:
        """StoreError when the store is read-only: call it before any side effect of a write."""
        if self.read_only:
            raise StoreError(f"{self.path}: the store is read-only (write-protected "
                             "location); changes are disabled")

    @property
    def passphrase(self) -> str | None:
        """The key of an encrypted store (for backups of it); None for a plain store."""
        return self._passphrase

    def connect(self, *, read_only: bool = False) -> Any:
        """A new DB-API connection to the store file, keyed when the store is encrypted.

        An encrypted store's connection comes from ``sqlcipher3.dbapi2`` (the
        same DB-API as ``sqlite3``); a wrong passphrase is a StoreError.
        """
        module: Any = _cipher_module() if self.encrypted else sqlite3
        options: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000,
                                   "check_same_thread": False}
        if not read_only:
            connection = module.connect(str(self.path), **options)
            return self._keyed(connection)
        uri = self.path.resolve().as_uri()
        if not self._immutable:
            try:
                return self._keyed(module.connect(f"{uri}?mode=ro", uri=True, **options))
            except error_classes("OperationalError"):
                # a WAL store in a folder nobody can write: SQLite cannot make its
                # -shm file; immutable is safe there (see the module docstring)
                if os.access(self.path.resolve().parent, os.W_OK):
                    raise
                self._immutable = True
        connection = module.connect(f"{uri}?mode=ro&immutable=1", uri=True, **options)
        return self._keyed(connection)

    def _keyed(self, connection: Any) -> Any:
        try:
            if self.encrypted:
                connection.execute("PRAGMA cipher_log_level = NONE")
                connection.execute(f"PRAGMA key = {_sql_string(self._passphrase or '')}")
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            elif self.read_only:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException as exc:
            connection.close()
            if self.encrypted and "not a database" in str(exc):
                raise StoreError(f"{self.path}: wrong passphrase (or not a Briefing App "
                                 "store)") from None
            raise
        return connection

    def automatic_backup(self, reason: str, *,
                         cancelled: Callable[[], bool] | None = None) -> Path | None:
        """Back up the store into :attr:`backup_dir` (rotated); None when backups are off.

        The copy is made from a connection of its own (it may run in any
        thread); ``cancelled`` makes it stoppable
        (:class:`~briefing_app.store.backup.BackupCancelled`).
        """
        if self.backup_dir is None or self.read_only:
            return None
        from briefing_app.store.backup import make_automatic_backup

        return make_automatic_backup(self.backup_dir, self.path, reason,
                                     passphrase=self._passphrase, cancelled=cancelled)

    def daily_backup(self, cancelled: Callable[[], bool] | None = None) -> Path | None:
        """The backup of the first open of each day: the file made, or None.

        None when the day already has its backup, backups are off, the store is
        read-only or new, or ``cancelled()`` turned true (the next open makes
        it then). A failure is logged, not raised: it must not stop the work.
        Safe in a worker thread: it reads the store through a connection of
        its own, keyed with the passphrase of an encrypted store, and the copy
        is encrypted with it too.
        """
        if self.backup_dir is None or not self.daily_backup_due:
            return None
        from datetime import datetime

        from briefing_app.store.backup import BackupCancelled, has_backup_of_day

        made: Path | None = None
        try:
            if not has_backup_of_day(self.backup_dir, self.path, datetime.now()):
                made = self.automatic_backup("daily", cancelled=cancelled)
        except BackupCancelled:
            log.info("daily backup of %s cancelled", self.path)
            return None
        except (OSError, StoreError) as exc:
            log.warning("daily backup of %s failed: %s", self.path, exc)
        self.daily_backup_due = False
        return made

    def migrate(self) -> None:
        """Bring the store to the newest schema (after its file was replaced by a restore)."""
        self.close()
        self._briefcase = None
        if self.read_only:
            self._check_read_only_revision()
            return
        self._migrate()

    def _migrate(self) -> None:
        from briefing_app.store.migrate import HEAD

        try:
            with self.read() as connection:
                current = stored_revision(connection)
                self._briefcase = is_briefcase(connection)
        except error_classes("DatabaseError") as exc:
            raise StoreError(f"{self.path}: the store cannot be read ({exc})") from exc
        if current == HEAD:
            return
        from briefing_app.store.migrate import upgrade_to_head

        if current is not None:
            # never migrate an existing store without a copy to go back to
            self.automatic_backup("before-migration")
        try:
            upgrade_to_head(self.engine)
            if self.is_briefcase:
                # a migration's table rebuilds drop the change log's triggers, and its
                # new columns must be logged too
                from briefing_app.store.briefcase import install_triggers

                with self.engine.begin() as connection:
                    install_triggers(connection)
        except StoreError:
            raise
        except Exception as exc:
            original = getattr(exc, "orig", None)
            if isinstance(original, error_classes("DatabaseError")):
                raise StoreError(f"{self.path}: the store cannot be read ({original})") from exc
            raise

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the write side, created on first use."""
        with self._lock:
            if self._engine is None:
                self.check_writable()
                self._engine = make_engine(
                    self.path, creator=self.connect if self.encrypted else None)
            return self._engine

    def session(self) -> Session:
        """A new session; callers use it through a unit of work."""
        from sqlmodel import Session

        from briefing_app.store.stamping import prepare_session

        self.check_writable()
        session = prepare_session(Session(self.engine, expire_on_commit=False))
        if self.is_briefcase:
            from briefing_app.store.briefcase import allocate_ids

            allocate_ids(session)
        return session

    @property
    def is_briefcase(self) -> bool:
        """Whether the store is a briefcase (:mod:`briefing_app.store.briefcase`)."""
        if self._briefcase is None:
            with self.read() as connection:
                self._briefcase = is_briefcase(connection)
        return self._briefcase

    def forget_kind(self) -> None:
        """Look again whether the store is a briefcase (after a checkout made it one)."""
        self._briefcase = None

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading (rows as :class:`sqlite3.Row`), closed afterwards."""
        connection = self.connect(read_only=self.read_only)
        try:
            connection.row_factory = sqlite3.Row if not self.encrypted else \
                _cipher_module().Row
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
