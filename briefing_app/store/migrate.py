"""Apply the Alembic migrations in ``db/migrations`` to a store.

On open, the stored revision is compared with :data:`HEAD`; only when they
differ is Alembic itself loaded (it costs start-up time). A test checks that
:data:`HEAD` is the newest revision of the script directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from briefing_app import paths

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration. Update it with every new revision.
HEAD = "0001_baseline"


def current_revision(connection: Connection) -> str | None:
    """The revision the store is at, or None for a new (empty) store."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config on our script directory, bound to ``connection`` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the store to :data:`HEAD`; return True if anything was migrated."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD:
            return False
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    return True
