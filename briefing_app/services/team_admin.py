"""Setting up a team store (the IT officer's ``team init``): its tables migrated, the
editor and reader roles made and granted (:mod:`briefing_app.store.team_roles`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from briefing_app.errors import StoreError
from briefing_app.read_models import ReadModel

if TYPE_CHECKING:
    from briefing_app.store.team_access import Ask


@dataclasses.dataclass(frozen=True)
class TeamInitRead(ReadModel):
    store: str  # the URL, without a password
    revision: str
    #: who ran it (the database role signed in)
    role: str
    editor_role: str
    reader_role: str
    #: the group roles this run made (none when they were there already)
    created_roles: tuple[str, ...]
    tables: int
    sequences: int


def initialise_team_store(url: str, *, ask_password: Ask | None = None) -> TeamInitRead:
    """Migrate the team store at ``url`` to the newest revision and set its roles and
    grants; running it again changes nothing (it sets the same grants again)."""
    from briefing_app.store.migrate import HEAD
    from briefing_app.store.postgres import TeamStore
    from briefing_app.store.team_roles import EDITOR, READER, owns_tables, set_up_roles

    store = TeamStore(url, ask_password=ask_password, administer=True)
    try:
        with store.engine.begin() as connection:
            if not owns_tables(connection):
                raise StoreError(f"{store.path}: {store.role} does not own the team store's "
                                 "tables; 'team init' is run by their owner (the IT officer)")
            report = set_up_roles(connection)
        return TeamInitRead(store=store.path, revision=HEAD, role=store.role,
                            editor_role=EDITOR, reader_role=READER,
                            created_roles=report.created, tables=report.tables,
                            sequences=report.sequences)
    finally:
        store.close()
