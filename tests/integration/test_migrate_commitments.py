"""0002_commitments: a store made with action point and measure tables keeps its whole history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from briefing_app.services import open_services
from briefing_app.store.engine import make_engine
from briefing_app.store.migrate import HEAD, alembic_config
from tests.helpers.cli import cli

TEXT = ("1. The Commission will work with Tunisia on returns. "
        "2. Member States will share data. "
        "Point one: accelerate the Pact.")
STAMP = "2024-03-15 09:30:00.000000"


def _old_store(path: Path) -> None:
    """A store at the baseline revision with the rows the previous code wrote."""
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001_baseline")
    engine.dispose()
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    for letter_id in (1, 2):
        db.execute(
            "INSERT INTO letter (id, title, kind, original_text, source_name, sha256, "
            "encoding, imported_at) VALUES (?, ?, 'letter', ?, ?, ?, 'utf-8', ?)",
            (letter_id, f"Letter {letter_id}", TEXT, f"l{letter_id}.txt", f"sha{letter_id}",
             STAMP))
    db.execute("INSERT INTO partnercountry (id, iso, name, aliases, routes, status, rag) "
               "VALUES (1, 'TN', 'Tunisia', '[]', '[]', 'no evidence', 'grey')")
    measures = [(1, 1, 1, "I", "Returns", TEXT[:53], "by mid-2023", "2023-06-30",
                 '["Commission"]', "in progress", "amber", "Ana", "watch"),
                (2, 1, 2, "I", "Returns", TEXT[54:88], None, None, "[]", "no evidence",
                 "grey", None, None),
                (3, 2, 1, "II", "Data", TEXT[:53], None, None, "[]", "no evidence", "grey",
                 None, None)]
    db.executemany(
        "INSERT INTO operationalmeasure (id, letter_id, number, section, section_title, text, "
        "deadline, due_date, lead_actors, status, rag, owner, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", measures)
    db.executemany(
        "INSERT INTO actionpoint (id, letter_id, number, title, text, status, rag, owner, "
        "notes) VALUES (?, 2, ?, ?, ?, ?, 'grey', NULL, NULL)",
        [(1, 1, "Accelerate the Pact", TEXT[89:], "no evidence"),
         (2, 2, "Partnerships", "Build partnerships.", "no evidence")])
    db.executemany("INSERT INTO measurecountry (measure_id, country_id) VALUES (?, 1)",
                   [(1,), (3,)])
    db.executemany(
        "INSERT INTO citation (letter_id, item_kind, item_id, start, \"end\", quote) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(1, "measure", 1, 0, 53, TEXT[:53]), (2, "action_point", 1, 89, len(TEXT), TEXT[89:]),
         (1, "country", 1, 28, 35, "Tunisia")])
    changes = [
        (1, "measure", 1, None, "no evidence", None, "grey", None, None, "baseline", None),
        (2, "action_point", 1, None, "no evidence", None, "grey", None, None, "baseline", None),
        (3, "measure", 1, "no evidence", "in progress", "grey", "amber", None, "Ana", "started",
         None),
        (4, "country", 1, None, "no evidence", None, "grey", None, None, "baseline", None),
    ]
    db.executemany(
        "INSERT INTO statuschange (id, item_kind, item_id, old_status, new_status, old_rag, "
        "new_rag, old_owner, new_owner, note, reverts_id, author, source, changed_at) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'me', 'test', '{STAMP}')", changes)
    db.commit()
    db.close()


def test_an_old_store_is_moved_to_commitments_with_its_history(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_store(path)
    services = open_services(path, create=False)
    services.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"commitment", "commitmentseries", "commitmentcountry"} <= tables
    assert not {"actionpoint", "operationalmeasure", "measurecountry"} & tables
    assert db.execute("SELECT id, key, title, letter_id FROM commitmentseries ORDER BY id"
                      ).fetchall() == [(1, "measures", "Operational measures", 1),
                                       (2, "measures-2", "Operational measures", 2),
                                       (3, "action-points", "Points of action", 2)]
    assert db.execute(
        "SELECT id, series_id, letter_id, position, number, marker, section, title, deadline, "
        "due_date, actors, countries, state, status, rag, owner, notes, start, \"end\" "
        "FROM commitment ORDER BY id").fetchall() == [
        (1, 1, 1, 1, 1, "1.", "I", TEXT[:53].strip(), "by mid-2023", "2023-06-30", '["Commission"]',
         '["TN"]', "accepted", "in progress", "amber", "Ana", "watch", 0, 53),
        (2, 1, 1, 2, 2, "2.", "I", TEXT[54:88].strip(), None, None, "[]", "[]", "accepted",
         "no evidence", "grey", None, None, 0, 0),
        (3, 2, 2, 1, 1, "1.", "II", TEXT[:53].strip(), None, None, "[]", '["TN"]', "accepted",
         "no evidence", "grey", None, None, 0, 0),
        (4, 3, 2, 1, 1, None, None, "Accelerate the Pact", None, None, "[]", "[]", "accepted",
         "no evidence", "grey", None, None, 89, len(TEXT)),
        (5, 3, 2, 2, 2, None, None, "Partnerships", None, None, "[]", "[]", "accepted",
         "no evidence", "grey", None, None, 0, 0),
    ]
    assert db.execute("SELECT id, item_kind, item_id FROM statuschange ORDER BY id"
                      ).fetchall() == [(1, "commitment", 1), (2, "commitment", 4),
                                       (3, "commitment", 1), (4, "country", 1)]
    assert db.execute("SELECT item_kind, item_id, start FROM citation ORDER BY id"
                      ).fetchall() == [("commitment", 1, 0), ("commitment", 4, 89),
                                       ("country", 1, 28)]
    assert db.execute("SELECT commitment_id, country_id FROM commitmentcountry ORDER BY 1"
                      ).fetchall() == [(1, 1), (3, 1)]
    db.close()

    history = cli("--db", path, "status", "history", "measures", "1", "--format", "json").json()
    assert [(h["id"], h["item_kind"], h["item_id"], h["item_label"], h["new_status"])
            for h in history] == [(1, "measure", 1, "Measure 1", "no evidence"),
                                  (3, "measure", 1, "Measure 1", "in progress")]
    points = cli("--db", path, "list", "action-points", "--format", "json").json()
    assert [(p["id"], p["number"], p["title"]) for p in points] == [
        (4, 1, "Accelerate the Pact"), (5, 2, "Partnerships")]
    measure = cli("--db", path, "show", "measures", "1", "--format", "json").json()
    assert (measure["countries"], measure["citations"][0]["start"], measure["lead_actors"]) == \
        (["TN"], 0, ["Commission"])
    services = open_services(path, create=False)
    try:
        undone = services.tracking.revert(3, author="me")
        assert (undone.item_kind, undone.item_label, undone.new_status, undone.new_owner) == \
            ("measure", "Measure 1", "no evidence", None)
    finally:
        services.close()
