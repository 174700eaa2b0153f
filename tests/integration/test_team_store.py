"""The team store on a real PostgreSQL server: migrated by the same Alembic migrations,
written through the ORM, read through the same queries as a local store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing_app.errors import StoreError
from briefing_app.store import queries
from briefing_app.store.postgres import TeamStore, shown, translate
from tests.helpers.postgres import PostgresServer


def test_placeholders_are_translated_outside_quoted_text() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b = :name AND c::text = '?:x %'") == \
        "SELECT * FROM t WHERE a = %s AND b = %(name)s AND c::text = '?:x %'"
    assert translate("SELECT 5 % 2, \"end\" FROM t") == "SELECT 5 %% 2, \"end\" FROM t"
    assert shown("postgresql://adviser:s3cret@db.ministry:5432/briefing") == \
        "postgresql://adviser@db.ministry:5432/briefing"


def test_a_team_store_is_migrated_written_and_read_like_a_local_one(
        postgres_server: PostgresServer) -> None:
    from briefing_app.store.models import Letter, Paragraph

    url = postgres_server.new_database()
    store = TeamStore(url)
    try:
        with store.session() as session:
            letter = Letter(title="Rakušan to Johansson", date=date(2024, 3, 15),
                            original_text="Dear Ylva, Rakušan writes.", source_name="a.txt",
                            sha256="0" * 64, imported_at=datetime(2026, 12, 2, 9, tzinfo=UTC))
            session.add(letter)
            session.flush()
            session.add(Paragraph(letter_id=letter.id or 0, ordinal=0, start=0, end=26,
                                  text="Dear Ylva, Rakušan writes."))
            session.commit()
        with store.read() as db:
            [row] = queries.letters(db)
            assert (row["id"], row["title"], row[1]) == (1, "Rakušan to Johansson",
                                                         "Rakušan to Johansson")
            assert queries.as_date(row["date"]) == date(2024, 3, 15)
            assert queries.as_datetime(row["imported_at"]) == datetime(2026, 12, 2, 9,
                                                                       tzinfo=UTC)
            assert queries.letter(db, 1)["source_name"] == "a.txt"
            # the folded, stemmed index finds the name without its diacritics
            found = db.execute(
                "SELECT id FROM paragraph WHERE to_tsvector('english'::regconfig, "
                "briefing_fold(text)) @@ plainto_tsquery('english'::regconfig, "
                "briefing_fold(:words))", {"words": "Rakusan writing"}).fetchall()
            assert [r["id"] for r in found] == [1]
        reopened = TeamStore(url)  # already at the newest revision: nothing to migrate
        reopened.close()
    finally:
        store.close()


def test_an_unreachable_team_store_says_so_in_one_line(
        postgres_server: PostgresServer) -> None:
    url = f"postgresql://briefing@/nowhere?host={postgres_server.socket_dir}" \
          f"&port={postgres_server.port}"
    with pytest.raises(StoreError) as raised:
        TeamStore(url)
    assert str(raised.value) == (
        f"{url}: the team store cannot be reached (connection failed: connection to server "
        f'on socket "{postgres_server.socket_dir}/.s.PGSQL.{postgres_server.port}" failed: '
        'FATAL:  database "nowhere" does not exist)')


def test_a_password_in_the_address_is_refused_before_any_connection() -> None:
    with pytest.raises(StoreError) as raised:
        TeamStore("postgresql://briefing:s3cret@/nowhere?host=/nonexistent")
    assert str(raised.value).startswith(
        "postgresql://briefing@/nowhere?host=/nonexistent: the team store's address holds a "
        "password, which is refused")
    assert "s3cret" not in str(raised.value)
