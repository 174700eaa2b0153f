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
from briefing_app.paths import is_team_url, shown_url
from briefing_app.store.team_access import (
    Address,
    Ask,
    check_address,
    first_connection,
    first_line,
    forget_environment_password,
    who,
)

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

    #: What the read side asks where the two stores' SQL differs (full-text search).
    dialect = "postgresql"

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
    return is_team_url(target)


def engine_url(url: str) -> str:
    """The SQLAlchemy URL for psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def shown(url: str) -> str:
    """The URL as messages show it: never a password."""
    return shown_url(url)


def is_team_store(store: object) -> bool:
    """Whether ``store`` is a :class:`TeamStore` (backups and checks are the server's)."""
    return isinstance(store, TeamStore)


class TeamStore:
    """A store on a PostgreSQL server: the same read and write sides as
    :class:`~briefing_app.store.engine.Store`. Backups are the server's (its
    administrator's ``pg_dump``), so the automatic ones are none.

    Opening it checks the address and finds the password
    (:mod:`briefing_app.store.team_access`; ``ask_password`` asks the person
    when nothing else has it), learns who signed in (:attr:`role`,
    :attr:`author`) and whether that role may write: a reader's store opens
    read-only and every change is refused with :attr:`refusal`. A store
    behind the newest migration is migrated when the role may create tables
    (the IT officer's), else refused with what to do. ``administer``:
    opened by ``team init``, which must be able to migrate.
    """

    encrypted = False
    backup_dir = None
    daily_backup_due = False
    passphrase = None

    def __init__(self, url: str, *, read_only: bool = False, ask_password: Ask | None = None,
                 administer: bool = False) -> None:
        from briefing_app.identity import configured_author

        self.path = shown(url)
        self._address: Address = check_address(url)
        self.url = url
        self.read_only = read_only
        #: The database role signed in (``SELECT current_user``).
        self.role = ""
        #: Who the changes are recorded as: the configured name, else the role.
        self.author: str | None = None
        #: True when the role may read but not write (a ``briefing_reader``).
        self.reader = False
        self._password: str | None = None
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        try:
            connection, self._password = first_connection(self._address, self._connect,
                                                          ask_password)
        except StoreError:
            raise
        except Exception as exc:
            if "permission denied for database" in str(exc):
                name = who(exc, self._address).split("@", 1)[0]
                raise StoreError(f"{self.path}: {name} may not connect to the team store; "
                                 f"its IT officer makes {name} a reader or an editor "
                                 f"(GRANT briefing_reader TO {name})") from None
            raise StoreError(f"{self.path}: the team store cannot be reached "
                             f"({first_line(exc)})") from None
        try:
            state = connection.execute(
                "SELECT current_user, to_regclass('alembic_version') IS NOT NULL, "
                "has_schema_privilege(current_schema(), 'CREATE'), "
                "to_regclass('alembic_version') IS NULL "
                "OR has_table_privilege('alembic_version', 'SELECT')").fetchone()
            self.role, migrated, may_create = str(state[0]), bool(state[1]), bool(state[2])
            if not state[3]:
                raise StoreError(self._not_a_member())
            revision = connection.execute(
                "SELECT version_num FROM alembic_version").fetchone()[0] if migrated else None
        finally:
            connection.close()
        self.author = configured_author() or self.role
        try:
            self._open(revision, may_create, administer)
        except BaseException:
            self.close()
            raise

    def _open(self, revision: str | None, may_create: bool, administer: bool) -> None:
        from briefing_app.store.migrate import HEAD

        if revision != HEAD:
            if administer and not may_create:
                raise StoreError(f"{self.path}: {self.role} may not create the team store's "
                                 "tables; 'team init' is run by the database's owner (the IT "
                                 "officer)")
            if self.read_only or not may_create:
                state = "has no tables yet" if revision is None else \
                    f"is at revision {revision}, this app needs {HEAD}"
                raise StoreError(f"{self.path}: the team store {state}; its IT officer runs "
                                 "'briefing-app --db URL team init'")
            self.migrate()
        with self.engine.connect() as connection:
            from sqlalchemy import text

            may_read, may_write = connection.execute(text(
                "SELECT has_table_privilege('letter', 'SELECT'), "
                "has_table_privilege('statuschange', 'INSERT')")).one()
        if not may_read:
            raise StoreError(self._not_a_member())
        if not may_write:
            self.reader = True
            self.read_only = True

    def _not_a_member(self) -> str:
        return (f"{self.path}: {self.role} may not read the team store; its IT officer "
                f"makes {self.role} a reader or an editor (GRANT briefing_reader TO "
                f"{self.role})")

    @property
    def refusal(self) -> str | None:
        """Why changes are refused, in one line (None: they are not)."""
        if self.reader:
            return f"{self.path}: {self.role} is a reader of the team store; changes are refused"
        if self.read_only:
            return f"{self.path}: the store is read-only; changes are disabled"
        return None

    def _connect(self, password: str | None = None) -> Any:
        """A new psycopg connection: the address as libpq reads it, TLS as decided, the
        password (if one was needed) as a parameter; never PGPASSWORD."""
        import psycopg

        forget_environment_password()
        options: dict[str, Any] = {}
        if self._address.sslmode is not None:
            options["sslmode"] = self._address.sslmode
        secret = password if password is not None else self._password
        if secret is not None:
            options["password"] = secret
        connection = psycopg.connect(self._address.libpq, **options)
        # time stamps in UTC, as a store file keeps them, whatever the server's zone
        connection.execute("SET TIME ZONE 'UTC'")
        connection.commit()
        return connection

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from sqlalchemy import create_engine, event

                # the connections come from _connect: the URL SQLAlchemy sees (and may
                # show) holds neither the address's details nor the password
                self._engine = create_engine("postgresql+psycopg://",
                                             creator=lambda: self._connect(),
                                             pool_pre_ping=True)
                event.listen(self._engine, "handle_error", self._refused)
            return self._engine

    def _refused(self, context: Any) -> None:
        """A write the server refuses (no privilege): one line, never a traceback."""
        from psycopg import errors

        if isinstance(context.original_exception, errors.InsufficientPrivilege):
            raise StoreError(self._denied(context.original_exception)) from None

    def _denied(self, exc: BaseException) -> str:
        return (f"{self.path}: {self.role} may not make this change in the team store "
                f"({first_line(exc)}); changes are refused")

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
        refusal = self.refusal
        if refusal is not None:
            raise StoreError(refusal)

    def session(self) -> Session:
        from sqlmodel import Session

        from briefing_app.store.stamping import prepare_session

        self.check_writable()
        return prepare_session(Session(self.engine, expire_on_commit=False))

    @contextmanager
    def read(self) -> Iterator[PgConnection]:
        """A connection for reading, in a read-only transaction, closed afterwards."""
        from psycopg import errors

        raw = self.engine.raw_connection()
        try:
            connection = PgConnection(raw.driver_connection)
            connection.execute("SET TRANSACTION READ ONLY")
            yield connection
        except errors.InsufficientPrivilege as exc:
            raise StoreError(f"{self.path}: {self.role} may not read this in the team store "
                             f"({first_line(exc)})") from None
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
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
