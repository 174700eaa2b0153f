"""A team store on the session's PostgreSQL server, with people signed in to it.

``team init`` makes the group roles; :func:`create_people` adds the login
roles the tests sign in as: ``alice`` (an editor) and ``bob`` (a reader),
each with a password (needed over TCP, see tests/helpers/postgres.py; over
the socket they are trusted). The same few rows (:func:`fill`: a letter of
fifteen operational measures, two partner countries, a status change) go
into a team store and into a store file, so both can be compared output for
output without the bundled seed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tests.helpers.postgres import PostgresServer

EDITOR = "alice"
READER = "bob"
#: Each login role's password (distinctive, so a test can look for it anywhere).
PASSWORDS = {EDITOR: "Alice-pw-7Qx2-Zebra", READER: "Bob-pw-4Lk9-Quartz"}
#: When the rows of :func:`fill` were written.
WHEN = datetime(2024, 10, 1, 9, tzinfo=UTC)


def database_of(url: str) -> str:
    """The database name of a URL of :class:`PostgresServer` (over its socket)."""
    return url.split("@/", 1)[1].split("?", 1)[0]


def create_people(server: PostgresServer) -> None:
    """alice (briefing_editor) and bob (briefing_reader), once per server."""
    from briefing_app.services.team_admin import initialise_team_store

    initialise_team_store(server.new_database("roles"))  # makes the two group roles
    server.execute(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{EDITOR}') THEN "
        f"CREATE ROLE {EDITOR} LOGIN PASSWORD '{PASSWORDS[EDITOR]}' IN ROLE briefing_editor; "
        "END IF; "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN "
        f"CREATE ROLE {READER} LOGIN PASSWORD '{PASSWORDS[READER]}' IN ROLE briefing_reader; "
        "END IF; END $$")


def fill(store: Any) -> None:
    """A letter of 15 operational measures (number 12 with a deadline), Tunisia and
    Mauritania, and the first status change of measure 12."""
    from briefing_app.store.models import (
        Commitment,
        CommitmentSeries,
        Letter,
        Paragraph,
        PartnerCountry,
        StatusChange,
    )

    text = "Fifteen operational measures. Measure 12: returns from Tunisia by mid-2025."
    with store.session() as session:
        letter = Letter(title="Letter on 15 operational measures", date=date(2024, 10, 14),
                        original_text=text, source_name="measures.txt", sha256="a" * 64,
                        imported_at=WHEN)
        session.add(letter)
        session.flush()
        session.add(Paragraph(letter_id=letter.id or 0, ordinal=0, start=0, end=len(text),
                              text=text))
        series = CommitmentSeries(key="measures", title="Operational measures",
                                  letter_id=letter.id or 0)
        session.add(series)
        session.flush()
        for number in range(1, 16):
            session.add(Commitment(
                series_id=series.id or 0, letter_id=letter.id or 0, position=number,
                number=number, title=f"Measure {number}",
                text=f"The text of measure {number}.", state="accepted",
                deadline="by mid-2025" if number == 12 else None,
                due_date=date(2025, 6, 30) if number == 12 else None))
        for iso, name in (("TN", "Tunisia"), ("MR", "Mauritania")):
            session.add(PartnerCountry(iso=iso, name=name))
        session.flush()
        session.add(StatusChange(item_kind="commitment", item_id=12, new_status="no evidence",
                                 new_rag="grey", author="seed", source="seed",
                                 changed_at=WHEN))
        session.commit()


def new_team_store(server: PostgresServer) -> str:
    """A new team store set up by ``team init`` (as the server's superuser, its IT
    officer) and filled by :func:`fill`; its database name."""
    from briefing_app.services.team_admin import initialise_team_store
    from briefing_app.store.postgres import TeamStore

    url = server.new_database("team")
    initialise_team_store(url)
    store = TeamStore(url)
    try:
        fill(store)
    finally:
        store.close()
    return database_of(url)
