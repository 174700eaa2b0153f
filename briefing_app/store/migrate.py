"""Apply the Alembic migrations in ``db/migrations`` to a store.

:class:`~briefing_app.store.engine.Store` compares the stored revision with
:data:`HEAD` and calls :func:`upgrade_to_head` only when they differ, so
Alembic (and SQLAlchemy) cost nothing at start-up. A test checks that
:data:`HEAD` is the newest revision of the script directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_app import paths

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

#: The newest migration. Update it with every new revision.
HEAD = "0005_team_search"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config on our script directory, bound to ``connection`` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the store to :data:`HEAD` in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
