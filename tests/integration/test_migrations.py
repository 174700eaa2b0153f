"""The schema comes only from Alembic, and matches the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from briefing_app.store.engine import Store
from briefing_app.store.migrate import HEAD, alembic_config
from tests.helpers.postgres import PostgresServer

#: The full-text indexes and their shadow tables (no model describes them).
FTS_TABLES = ("paragraph_fts", "paragraph_exact", "commitment_fts")


def test_head_constant_is_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_a_new_store_upgraded_to_head_matches_the_models(empty_path: Path) -> None:
    store = Store(empty_path, create=False)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    store.close()
    # FTS5 keeps its index in shadow tables that no model describes
    differences = [d for d in differences
                   if not (d[0] == "remove_table" and d[1].name.startswith(FTS_TABLES))]
    assert differences == []


def test_every_connection_has_foreign_keys_and_wal(empty_path: Path) -> None:
    store = Store(empty_path, create=False)
    with store.raw_connection() as connection:
        assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    store.close()


def test_the_fts_index_is_created_by_the_migration(empty_path: Path) -> None:
    connection = sqlite3.connect(empty_path)
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    connection.close()
    assert {"paragraph_fts", "paragraph_ai", "paragraph_ad", "paragraph_au"} <= names
    assert version == (HEAD,)


def test_the_same_migrations_make_a_postgresql_store_that_matches_the_models(
        postgres_server: PostgresServer) -> None:
    """The team store: Alembic's migrations create the same tables on PostgreSQL; only
    the full-text indexes differ (GIN indexes on the folded text, not FTS5 tables)."""
    from sqlalchemy import create_engine, text

    from briefing_app.store.migrate import upgrade_to_head

    engine = create_engine(postgres_server.new_database())
    try:
        upgrade_to_head(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            indexes = {row[0] for row in connection.execute(text(
                "SELECT indexname FROM pg_indexes WHERE indexname IN "
                "('paragraph_fts', 'paragraph_exact', 'commitment_fts')"))}
            folded = connection.execute(text("SELECT briefing_fold('Rakušan, Türkiye')"))
            assert folded.scalar_one() == "rakusan, turkiye"
            assert version.scalar_one() == HEAD
    finally:
        engine.dispose()
    assert indexes == {"paragraph_fts", "paragraph_exact", "commitment_fts"}
    assert differences, "the team store differs from the models in known ways"
    assert [d for d in differences if not _team_store_only(d)] == []


def _team_store_only(difference: object) -> bool:
    """The team store's own parts: its full-text indexes and the words they index, its
    change log and briefcase register (no models: only a search or a sync reads them),
    and its 64-bit identifiers (so a
    briefcase's offline records take identifiers from a block of their own)."""
    from sqlalchemy import BigInteger, Integer

    if isinstance(difference, list):  # column changes come as a list of one
        return all(_team_store_only(d) for d in difference)
    assert isinstance(difference, tuple)
    if difference[0] == "remove_index":
        return difference[1].name in (*FTS_TABLES, "ix_sync_change_row",
                                      "paragraph_search_words", "commitment_search_words")
    if difference[0] == "remove_table":
        return difference[1].name in ("sync_change", "sync_briefcase", "paragraph_search",
                                      "commitment_search")
    if difference[0] == "modify_type":
        _, _, _, column, _, stored, model = difference
        return (column == "id" or column.endswith("_id")) and \
            isinstance(stored, BigInteger) and isinstance(model, Integer)
    return False
