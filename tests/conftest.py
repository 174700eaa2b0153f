"""Shared fixtures: a real, migrated and seeded store in tmp_path for every test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers.cups import (
    QUEUE,
    CupsQueue,
    CupsServer,
    pdf_folder,
    session_socket,
    unavailable,
)
from tests.helpers.postgres import PostgresServer, start_server

# Qt must never look for a display in tests; a real X server is started
# explicitly by the tests that want one. The offscreen screen is a common
# laptop's, 1280×720, so every GUI test runs at the size advisers work at.
LAPTOP_SCREEN = Path(__file__).resolve().parent / "helpers" / "laptop-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={LAPTOP_SCREEN}"

from briefing_app.services import Services, open_services  # noqa: E402 (after the platform)

# Every CUPS client of the session (lp, lpstat, Qt's print support, the app's
# printing) talks to the session's own scheduler (the cups_server fixture),
# never to this machine's printers. Set before anything asks CUPS: the CUPS
# library keeps the server it first used.
os.environ["CUPS_SERVER"] = str(session_socket())

#: The "today" tests run on, so overdue and stalled flags are stable.
TODAY = date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user data, config and log folders."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("BRIEFING_APP_DB", raising=False)
    monkeypatch.delenv("BRIEFING_APP_DEBUG", raising=False)
    monkeypatch.delenv("BRIEFING_APP_CACHE", raising=False)
    monkeypatch.delenv("BRIEFING_APP_PACK_WORKERS", raising=False)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled seed loaded, built once per test session."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    services = open_services(path, create=True)
    services.seed.load()
    services.close()
    return path


@pytest.fixture
def seeded_path(seeded_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store for one test."""
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def services(seeded_path: Path) -> Iterator[Services]:
    opened = open_services(seeded_path, create=False, today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    """A new, empty (but migrated) store."""
    path = tmp_path / "empty.sqlite3"
    open_services(path, create=True).close()
    return path


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """A real CUPS scheduler of this session's own, with a cups-pdf queue (see
    tests/helpers/cups.py); stopped when the session ends, whatever the tests did."""
    reason = unavailable()
    if reason is not None:
        pytest.skip(reason)
    server = CupsServer(session_socket().parent)
    try:
        server.start()
        server.add_pdf_queue(QUEUE)
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server of this session's own (see tests/helpers/postgres.py),
    stopped when the session ends, whatever the tests did. Where PostgreSQL is not
    installed the tests that need it are skipped, except on CI, where they fail."""
    server = start_server()
    if server is None:
        message = "PostgreSQL is not installed (Debian: apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def team_server(postgres_server: PostgresServer) -> PostgresServer:
    """The session's PostgreSQL server with the group roles of ``team init`` and the
    login roles alice (an editor) and bob (a reader): see tests/helpers/team.py."""
    from tests.helpers.team import create_people

    create_people(postgres_server)
    return postgres_server


@pytest.fixture
def team_database(team_server: PostgresServer) -> str:
    """A new team store (``team init``, then tests/helpers/team.py's rows); its name."""
    from tests.helpers.team import new_team_store

    return new_team_store(team_server)


#: When the seed of the stores compared across the two databases was loaded.
SEEDED_AT = datetime(2026, 11, 30, 9, tzinfo=UTC)


@pytest.fixture(scope="session")
def pinned_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the bundled seed loaded at :data:`SEEDED_AT`, so it can be
    compared row for row with :func:`team_template`."""
    from briefing_app.services.common import fixed_clock

    path = tmp_path_factory.mktemp("pinned") / "seeded.sqlite3"
    with fixed_clock(SEEDED_AT):
        services = open_services(path, create=True)
        services.seed.load()
        services.close()
    return path


@pytest.fixture(scope="session")
def team_template(team_server: PostgresServer) -> str:
    """A team store (``team init``) with the bundled seed loaded at :data:`SEEDED_AT`,
    built once: its database name, the template of each test's copy."""
    from briefing_app.services.common import fixed_clock
    from briefing_app.services.team_admin import initialise_team_store
    from tests.helpers.team import database_of

    url = team_server.new_database("seeded_template")
    initialise_team_store(url)
    with fixed_clock(SEEDED_AT):
        services = open_services(url)
        services.seed.load()
        services.close()
    return database_of(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Each test that asks for it runs on a store file and on a team store."""
    return str(request.param)


@pytest.fixture
def any_store(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The seeded store of :func:`store_kind`, the test's own copy: a file's path, or a
    team store's URL (a copy of :func:`team_template`)."""
    if store_kind == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("pinned_template"), path)
        return str(path)
    server: PostgresServer = request.getfixturevalue("team_server")
    return server.new_database("seeded", template=request.getfixturevalue("team_template"))


@pytest.fixture
def any_services(any_store: str) -> Iterator[Services]:
    opened = open_services(any_store, create=False, today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def cups_pdf_queue(cups_server: CupsServer) -> CupsQueue:
    """The session's cups-pdf queue, idle, enabled and empty (the scheduler is started
    again if a test stopped it)."""
    return CupsQueue(cups_server.ready(QUEUE), cups_server, pdf_folder())
