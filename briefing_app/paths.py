"""Find the app's bundled files wherever the app runs from.

Three layouts are supported, tried in this order:

* a PyInstaller bundle: ``resources/`` and ``db/`` sit under ``sys._MEIPASS``;
* the source tree: they sit beside the ``briefing_app`` package;
* an installed wheel: they are shipped as ``briefing_app/_data/resources`` and
  ``briefing_app/_data/db`` (see ``[tool.setuptools.package-dir]``).

The user's own files (the store, backups, logs, settings) live in the
platform's user directories, never beside the code.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "briefing-app"
APP_AUTHOR = "BriefingApp"
DB_ENV_VAR = "BRIEFING_APP_DB"
STORE_FILE_NAME = "briefing.sqlite3"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / name)
    found.append(_PACKAGE_DIR.parent / name)
    found.append(_PACKAGE_DIR / "_data" / name)
    return found


@cache
def _data_root(name: str) -> Path:
    marker = {"resources": "fonts", "db": "seed"}[name]
    for candidate in _candidates(name):
        if (candidate / marker).is_dir():
            return candidate
    tried = ", ".join(str(c) for c in _candidates(name))
    raise FileNotFoundError(f"bundled folder {name!r} not found (looked in {tried})")


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (fonts, icons, styles)."""
    return _data_root("resources")


def db_dir() -> Path:
    """The bundled ``db/`` folder (Alembic migrations and seed data)."""
    return _data_root("db")


def resource(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    return resources_dir().joinpath(*parts)


def seed_dir() -> Path:
    """The bundled seed corpus: the five letters and the curated data files."""
    return db_dir() / "seed"


def migrations_dir() -> Path:
    """The Alembic script directory."""
    return db_dir() / "migrations"


def user_data_dir() -> Path:
    """Where the default store lives (created on demand)."""
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    """Where the user's settings files live (e.g. the national markings; created on demand)."""
    from platformdirs import user_config_dir as _user_config_dir

    return Path(_user_config_dir(APP_NAME, APP_AUTHOR))


#: Overrides :func:`user_cache_dir` (the benchmarks keep their caches apart).
CACHE_ENV_VAR = "BRIEFING_APP_CACHE"


def user_cache_dir() -> Path:
    """Where what can be made again is kept (the page cache of packs; created on demand)."""
    explicit = os.environ.get(CACHE_ENV_VAR)
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir as _user_cache_dir

    return Path(_user_cache_dir(APP_NAME, APP_AUTHOR))


def backups_dir() -> Path:
    """Where the automatic backups of stores are kept (see :mod:`briefing_app.store.backup`)."""
    return user_data_dir() / "backups"


def user_log_dir() -> Path:
    """Where bug reports (tracebacks) are written."""
    from platformdirs import user_log_dir as _user_log_dir

    return Path(_user_log_dir(APP_NAME, APP_AUTHOR))


def default_store_path() -> Path:
    """The store used when neither ``--db`` nor ``BRIEFING_APP_DB`` is given."""
    return user_data_dir() / STORE_FILE_NAME


#: How the address of a team store (PostgreSQL) starts; anything else names a file.
TEAM_URL_SCHEMES = ("postgresql://", "postgresql+psycopg://")


def is_team_url(target: object) -> bool:
    """Whether a store is named by a PostgreSQL URL (a team store) rather than a file."""
    return str(target).startswith(TEAM_URL_SCHEMES)


def url_has_password(url: str) -> bool:
    """Whether a team store's URL carries a password (``user:secret@`` or
    ``?password=``), which is never accepted there. (The team store checks again
    with libpq's own parser, which also sees a secret with a ``?`` in it.)"""
    rest = url.split("://", 1)[-1]
    address, _, query = rest.partition("?")
    if ":" in address.rpartition("@")[0].split("/", 1)[0]:
        return True
    return any(part.split("=", 1)[0].strip().lower() == "password"
               for part in query.split("&"))


def _store_target(text: str, given_by: str) -> Path | str:
    if not is_team_url(text):
        return Path(text).expanduser()
    if url_has_password(text):
        from briefing_app.errors import StoreError

        # never echoed: the password would land in a terminal's scrollback or a log
        raise StoreError(f"{given_by}: the team store's address holds a password, which is "
                         "refused (it would be seen in the process list, the shell's history "
                         "or the environment); remove it and put the password in ~/.pgpass "
                         "or the system keyring, or type it when asked")
    return text


def store_path(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """The store to open: ``--db`` wins, then the environment, then the default.

    A file's path comes back as a :class:`Path`, a team store's URL
    (``postgresql://…``) as the text given; a URL with a password in it is
    refused (:class:`~briefing_app.errors.StoreError`).
    """
    if explicit:
        return _store_target(str(explicit), "--db")
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return _store_target(from_env, DB_ENV_VAR)
    return default_store_path()


def store_file(explicit: str | os.PathLike[str] | None, command: str) -> Path:
    """The store file of a command that works on files only (``init``, ``backup``…):
    a team store's URL is refused in one line naming what to do instead."""
    target = store_path(explicit)
    if isinstance(target, Path):
        return target
    from briefing_app.errors import StoreError

    raise StoreError(f"{shown_url(target)}: '{command}' works on a store file, not on a team "
                    "store (its IT officer looks after it on the server: "
                    f"{_TEAM_INSTEAD.get(command, 'see README, A team store')})")


#: What an IT officer does on a team store instead of a file-only command.
_TEAM_INSTEAD = {
    "init": "'briefing-app --db URL team init' creates and upgrades it",
    "backup": "pg_dump backs it up",
    "restore": "pg_restore restores it",
}


def shown_url(url: str) -> str:
    """A team store's URL as messages show it: never a password, even one the URL
    should not have held (everything between the user's name and the last ``@`` goes)."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    if "@" in rest:
        user = rest.split("@", 1)[0].split(":", 1)[0].split("/", 1)[0]
        rest = f"{user}@{rest.rpartition('@')[2]}"
    address, separator, query = rest.partition("?")
    kept = [part for part in query.split("&")
            if part and part.split("=", 1)[0].strip().lower() != "password"]
    return f"{scheme}://{address}" + (f"?{'&'.join(kept)}" if kept else "")
