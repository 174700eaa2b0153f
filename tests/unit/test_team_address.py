"""A team store's address: no password in it, TLS to another machine, a URL routed to the
team store and a path to a file, and the order the password is looked for in (no server
needed: the connection is a stand-in that answers as libpq does)."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import psycopg
import pytest

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.store import team_access
from briefing_app.store.team_access import check_address, first_connection, tls_mode

NO_ENV: dict[str, str] = {}


@pytest.mark.parametrize("url", [
    "postgresql:///briefing",  # the default Unix socket
    "postgresql://alice@/briefing?host=/run/postgresql",
    "postgresql://alice@%2Frun%2Fpostgresql/briefing",
    "postgresql://alice@localhost/briefing",
    "postgresql://alice@LOCALHOST:5433/briefing",
    "postgresql://alice@127.0.0.1:5432/briefing",
    "postgresql://alice@[::1]:5432/briefing",
    "postgresql+psycopg://alice@127.0.0.1/briefing?sslmode=disable",
    "postgresql://alice@localhost,127.0.0.1/briefing",
])
def test_a_local_server_needs_no_tls(url: str) -> None:
    assert tls_mode(url, NO_ENV) is None


@pytest.mark.parametrize(("url", "mode"), [
    ("postgresql://alice@db.ministry.example/briefing", "verify-full"),
    ("postgresql://alice@db.ministry.example:5432/briefing?sslmode=verify-full", "verify-full"),
    ("postgresql://alice@10.1.2.3/briefing?sslmode=verify-ca", "verify-ca"),
    ("postgresql+psycopg://alice@db.ministry.example/briefing?sslmode=require", "require"),
    ("postgresql://alice@db.ministry.example/briefing?sslmode=REQUIRE", "require"),
    ("postgresql://alice@127.0.0.2/briefing", "verify-full"),  # only 127.0.0.1 is named
    ("postgresql://alice@localhost,db.ministry.example/briefing", "verify-full"),
    ("postgresql://alice@localhost/briefing?hostaddr=10.1.2.3", "verify-full"),
    ("postgresql://alice@/briefing?service=team", "verify-full"),  # where it leads: unknown
])
def test_another_machine_is_reached_over_verified_tls(url: str, mode: str) -> None:
    assert tls_mode(url, NO_ENV) == mode


@pytest.mark.parametrize("weak", ["disable", "allow", "prefer"])
def test_a_weak_sslmode_to_another_machine_is_refused(weak: str) -> None:
    url = f"postgresql://alice@db.ministry.example/briefing?sslmode={weak}"
    with pytest.raises(StoreError) as refused:
        tls_mode(url, NO_ENV)
    assert str(refused.value) == (
        f"{url}: TLS is required for a team store on another machine (sslmode={weak}); "
        "leave sslmode out (verify-full) or give sslmode=verify-ca or require")


def test_the_host_libpq_would_take_from_the_environment_counts() -> None:
    assert tls_mode("postgresql:///briefing", {"PGHOST": "db.ministry.example"}) == \
        "verify-full"
    assert tls_mode("postgresql:///briefing", {"PGHOST": "/run/postgresql"}) is None
    assert tls_mode("postgresql:///briefing", {"PGSERVICE": "team"}) == "verify-full"
    # the URL's own host wins over the environment's, as in libpq
    assert tls_mode("postgresql://localhost/briefing", {"PGHOST": "db.example"}) is None


@pytest.mark.parametrize("url", [
    "postgresql://alice:s3cret@db.ministry.example/briefing",
    "postgresql+psycopg://alice:s3cret@localhost:5432/briefing",
    "postgresql://alice:s3/cret@db.ministry.example/briefing",
    "postgresql://alice@db.ministry.example/briefing?password=s3cret",
    "postgresql://alice@db.ministry.example/briefing?sslmode=require&PASSWORD=s3cret",
])
def test_a_password_in_the_address_is_refused_without_being_echoed(url: str) -> None:
    assert paths.url_has_password(url)
    for given_by, call in (("--db", lambda: paths.store_path(url)),
                           (None, lambda: check_address(url))):
        with pytest.raises(StoreError) as refused:
            call()
        message = str(refused.value)
        assert "s3" not in message and "cret" not in message and "\n" not in message
        assert message.endswith(
            "the team store's address holds a password, which is refused (it would be seen "
            "in the process list, the shell's history or the environment); remove it and put "
            "the password in ~/.pgpass or the system keyring, or type it when asked")
        if given_by:
            assert message.startswith("--db: ")


def test_a_password_libpq_would_read_past_a_question_mark_is_refused_too() -> None:
    url = "postgresql://alice:s3?cret@db.ministry.example/briefing"
    with pytest.raises(StoreError) as refused:
        check_address(url)
    assert "s3" not in str(refused.value) and "cret" not in str(refused.value)


def test_the_environment_variable_with_a_password_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DB_ENV_VAR, "postgresql://alice:s3cret@db.example/briefing")
    with pytest.raises(StoreError) as refused:
        paths.store_path(None)
    assert str(refused.value).startswith("BRIEFING_APP_DB: the team store's address holds a "
                                         "password, which is refused")
    assert "s3cret" not in str(refused.value)


def test_a_url_is_a_team_store_and_anything_else_a_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.store_path("postgresql://alice@db.example/briefing") == \
        "postgresql://alice@db.example/briefing"
    assert paths.store_path("postgresql+psycopg://alice@/b?host=/tmp") == \
        "postgresql+psycopg://alice@/b?host=/tmp"
    assert paths.store_path("~/briefing.sqlite3") == Path.home() / "briefing.sqlite3"
    monkeypatch.setenv(paths.DB_ENV_VAR, "postgresql://bob@db.example/briefing")
    assert paths.store_path(None) == "postgresql://bob@db.example/briefing"
    assert paths.store_path("other.sqlite3") == Path("other.sqlite3")  # --db wins
    with pytest.raises(StoreError, match=r"^postgresql://bob@db\.example/briefing: 'backup' "
                                         r"works on a store file, not on a team store \(its "
                                         r"IT officer looks after it on the server: pg_dump "
                                         r"backs it up\)$"):
        paths.store_file(None, "backup")


def test_messages_show_an_address_without_any_password() -> None:
    assert paths.shown_url("postgresql://alice:s3cret@db.example:5432/briefing") == \
        "postgresql://alice@db.example:5432/briefing"
    assert paths.shown_url("postgresql://alice:s3@cr/et@db.example/briefing?sslmode=require") \
        == "postgresql://alice@db.example/briefing?sslmode=require"
    assert paths.shown_url("postgresql://db.example/b?password=s3cret&sslmode=require") == \
        "postgresql://db.example/b?sslmode=require"
    assert paths.shown_url("postgresql://alice@/b?host=/run/pg&port=5433") == \
        "postgresql://alice@/b?host=/run/pg&port=5433"


# ------------------------------------------------------------------- where the password is


class Server:
    """A stand-in for libpq: the right password opens, anything else is refused as
    PostgreSQL refuses it; ``pgpass`` is what libpq would read from ~/.pgpass."""

    def __init__(self, password: str, pgpass: str | None = None) -> None:
        self.password, self.pgpass = password, pgpass
        self.tried: list[str | None] = []

    def connect(self, password: str | None) -> str:
        self.tried.append(password)
        given = password if password is not None else self.pgpass
        if given is None:
            raise psycopg.OperationalError("connection failed: fe_sendauth: no password "
                                           "supplied")
        if given != self.password:
            raise psycopg.OperationalError('connection failed: FATAL:  password '
                                           'authentication failed for user "alice"')
        return "connected"


ADDRESS = check_address("postgresql://alice@db.ministry.example:5432/briefing")


def fake_keyring(monkeypatch: pytest.MonkeyPatch, stored: dict[tuple[str, str], str],
                 priority: float = 1) -> list[tuple[str, str]]:
    asked: list[tuple[str, str]] = []
    module: Any = types.ModuleType("keyring")
    module.get_keyring = lambda: types.SimpleNamespace(priority=priority)

    def get_password(service: str, user: str) -> str | None:
        asked.append((service, user))
        return stored.get((service, user))

    module.get_password = get_password
    monkeypatch.setitem(sys.modules, "keyring", module)
    return asked


def test_no_password_is_looked_for_when_the_server_asks_for_none(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = fake_keyring(monkeypatch, {})
    server = Server("pw", pgpass="pw")  # libpq found it in ~/.pgpass
    prompts: list[int] = []
    assert first_connection(ADDRESS, server.connect,
                            lambda who, n: prompts.append(n) or "x") == ("connected", None)
    assert (server.tried, asked, prompts) == ([None], [], [])


def test_the_keyring_comes_before_the_person(monkeypatch: pytest.MonkeyPatch) -> None:
    user = "alice@db.ministry.example:5432/briefing"
    asked = fake_keyring(monkeypatch, {("briefing-app", user): "from-keyring"})
    server = Server("from-keyring")
    assert first_connection(ADDRESS, server.connect, None) == ("connected", "from-keyring")
    assert (server.tried, asked) == ([None, "from-keyring"], [("briefing-app", user)])


def test_the_person_is_asked_last_and_again_after_a_wrong_password(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake_keyring(monkeypatch, {}, priority=0)  # keyring's "fail" backend: not usable
    server = Server("typed", pgpass="stale")
    typed = iter(["wrong", "typed"])
    prompts: list[tuple[str, int]] = []

    def ask(who: str, attempt: int) -> str:
        prompts.append((who, attempt))
        return next(typed)

    assert first_connection(ADDRESS, server.connect, ask) == ("connected", "typed")
    assert server.tried == [None, "wrong", "typed"]
    assert prompts == [("alice@db.ministry.example:5432/briefing", 0),
                       ("alice@db.ministry.example:5432/briefing", 1)]


def test_without_a_way_to_ask_the_open_says_where_the_password_goes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    with pytest.raises(StoreError) as refused:
        first_connection(ADDRESS, Server("pw").connect, None)
    assert str(refused.value) == (
        "postgresql://alice@db.ministry.example:5432/briefing: the team store asks for "
        "alice's password: put it in ~/.pgpass (or the file PGPASSFILE names) or in the "
        "system keyring (service 'briefing-app', user 'alice@db.ministry.example:5432/"
        "briefing'), or run the command in a terminal to type it")
    with pytest.raises(StoreError) as refused:
        first_connection(ADDRESS, Server("pw").connect, lambda who, attempt: None)
    assert str(refused.value) == f"{ADDRESS.shown}: no password was given for alice"
    attempts: list[int] = []
    with pytest.raises(StoreError) as refused:
        first_connection(ADDRESS, Server("pw").connect,
                         lambda who, attempt: attempts.append(attempt) or "wrong")
    assert str(refused.value) == (f"{ADDRESS.shown}: connection failed: FATAL:  password "
                                  'authentication failed for user "alice"')
    assert attempts == [0, 1, 2]  # three tries, then the server's answer


def test_pgpassword_is_removed_before_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSWORD", "from-the-environment")
    team_access.forget_environment_password()
    import os

    assert "PGPASSWORD" not in os.environ


def test_a_copy_of_the_app_without_the_driver_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in the double-clickable app
    with pytest.raises(StoreError) as refused:
        check_address("postgresql://alice@db.ministry.example/briefing")
    assert str(refused.value) == (
        "postgresql://alice@db.ministry.example/briefing: this copy of the app opens store "
        "files only (the PostgreSQL driver psycopg is not in it); a team store needs the app "
        "installed with its dependencies")
