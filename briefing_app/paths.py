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


def store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the store path: ``--db`` wins, then the environment, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_store_path()
