"""The team store on PostgreSQL: the same tables, read through the same queries.

The read side of the app speaks the DB-API as the standard ``sqlite3`` module
does: ``execute(sql, params)`` with ``?`` or ``:name`` placeholders, rows read
by position or by column name. :class:`PgConnection` gives psycopg 3 that
face (placeholders translated, rows as :class:`Row`), so
:mod:`briefing_app.store.queries` serves both stores. The write side is the
ORM, which speaks both already; the schema comes from the same Alembic
migrations (dialect-specific only for full-text search).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from briefing_app.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

#: ``?`` and ``:name`` placeholders outside quoted text ("::" is a PostgreSQL cast).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|(?<![:\w]):(\w+)|\?|%")


def translate(sql: str) -> str:
    """SQL written for ``sqlite3`` (``?``, ``:name``) in psycopg's style (``%s``,
    ``%(name)s``); a literal ``%`` is doubled, quoted text is left as it is."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token

    return _TOKENS.sub(one, sql)


class Row(tuple):
    """A row read by position (``row[0]``) or by column name (``row["title"]``), as
    :class:`sqlite3.Row` is."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names[key])
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


class PgCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        description = cursor.description or ()
        self._names = {column.name: index for index, column in enumerate(description)}

    def _row(self, values: Sequence[Any] | None) -> Row | None:
        return None if values is None else Row(values, self._names)

    def fetchone(self) -> Row | None:
        if self._cursor.description is None:
            return None
        return self._row(self._cursor.fetchone())

    def fetchall(self) -> list[Row]:
        if self._cursor.description is None:
            return []
        return [Row(values, self._names) for values in self._cursor.fetchall()]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def description(self) -> Any:
        return self._cursor.description


class PgConnection:
    """A psycopg connection with the ``sqlite3`` face the read side uses."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str,
                params: Sequence[Any] | Mapping[str, Any] = ()) -> PgCursor:
        cursor = self._connection.cursor()
        cursor.execute(translate(sql), params if params else None)
        return PgCursor(cursor)

    def commit(self) -> None:
        self._connection.commit()

    def close(self) -> None:
        self._connection.close()


def is_url(target: object) -> bool:
    """Whether a store is named by a PostgreSQL URL rather than a file."""
    return str(target).startswith(("postgresql://", "postgresql+psycopg://"))


def engine_url(url: str) -> str:
    """The SQLAlchemy URL for psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def shown(url: str) -> str:
    """The URL as messages show it: never a password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1@", url)


class TeamStore:
    """A store on a PostgreSQL server: the same read and write sides as
    :class:`~briefing_app.store.engine.Store`. Backups are the server's (its
    administrator's ``pg_dump``), so the automatic ones are none."""

    encrypted = False
    backup_dir = None
    daily_backup_due = False

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.path = shown(url)
        self.read_only = read_only
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        try:
            with self.engine.connect():
                pass
        except Exception as exc:
            raise StoreError(f"{self.path}: the team store cannot be reached "
                             f"({str(exc).splitlines()[0] if str(exc) else exc})") from None
        if not read_only:
            self.migrate()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from sqlalchemy import create_engine

                self._engine = create_engine(engine_url(self.url), pool_pre_ping=True)
            return self._engine

    def migrate(self) -> None:
        """Bring the team store to the newest revision (one transaction)."""
        from sqlalchemy import text

        from briefing_app.store.migrate import HEAD, upgrade_to_head

        with self.engine.connect() as connection:
            current = None
            if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar():
                current = connection.execute(
                    text("SELECT version_num FROM alembic_version")).scalar()
        if current != HEAD:
            upgrade_to_head(self.engine)

    def check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is read-only; changes are disabled")

    def session(self) -> Session:
        from sqlmodel import Session

        from briefing_app.store.stamping import prepare_session

        self.check_writable()
        return prepare_session(Session(self.engine, expire_on_commit=False))

    @contextmanager
    def read(self) -> Iterator[PgConnection]:
        """A connection for reading, in a read-only transaction, closed afterwards."""
        raw = self.engine.raw_connection()
        try:
            connection = PgConnection(raw.driver_connection)
            connection.execute("SET TRANSACTION READ ONLY")
            yield connection
        finally:
            raw.rollback()
            raw.close()

    @contextmanager
    def raw_connection(self) -> Iterator[PgConnection]:
        raw = self.engine.raw_connection()
        try:
            yield PgConnection(raw.driver_connection)
        finally:
            raw.close()

    def automatic_backup(self, reason: str, **_: Any) -> None:
        return None

    def daily_backup(self, cancelled: Any = None) -> None:
        return None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
