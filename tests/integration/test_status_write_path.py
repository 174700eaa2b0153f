"""A status change, its undo and a table import each run on one connection of a real
store, and a change is labelled from its own item without reading the others."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing_app.services import Services, open_services
from briefing_app.services.tracking import undo_note
from tests.conftest import TODAY

TRACKED_TABLES = ("commitment", "partnercountry")


@contextmanager
def connections_opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every SQLite connection opened meanwhile (the read side's and the ORM's, which
    SQLAlchemy opens through ``sqlite3.dbapi2``), each with the SQL it ran."""
    opened: list[list[str]] = []
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        opened.append(statements)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        patch.setattr(sqlite3.dbapi2, "connect", connect)
        yield opened


def _fresh(path: Path) -> Services:
    """The store opened anew: no connection left in the write side's pool."""
    services = open_services(path, create=False, today=TODAY)
    services.warm_up()  # the ORM's modules, so that loading them is not measured
    return services


def _reads_of(statements: list[str], table: str) -> list[str]:
    return [s for s in statements
            if re.search(rf"\bFROM {table}\b", s) and s.lstrip().upper().startswith("SELECT")]


def _only_reads_item(statements: list[str], table: str, item_id: int) -> None:
    """The tracked tables are read only for the one item (by id or by its key)."""
    for other in TRACKED_TABLES:
        if other != table:
            assert _reads_of(statements, other) == [], other
    reads = _reads_of(statements, table)
    assert reads, "the item is read"
    assert all(re.search(r"\bWHERE\b", s) for s in reads), reads


def test_a_status_change_and_its_undo_each_run_on_one_connection(
        seeded_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    services = _fresh(seeded_path)
    measure_id = services.tracking.measure(11).id
    with connections_opened(monkeypatch) as opened:
        change = services.tracking.set_status("measures", "11", "in progress", owner="Desk",
                                              note="talks opened", author="adviser")
    services.close()
    assert len(opened) == 1
    [statements] = opened
    _only_reads_item(statements, "commitment", measure_id)
    assert (change.item_kind, change.item_id, change.item_label) == \
        ("measure", measure_id, "Measure 11")
    assert (change.old_status, change.new_status, change.new_rag, change.new_owner) == \
        ("no evidence", "in progress", "green", "Desk")
    assert sum(s.startswith("INSERT INTO statuschange") for s in statements) == 1

    services = _fresh(seeded_path)
    with connections_opened(monkeypatch) as opened:
        undo = services.tracking.revert(change.id, author="adviser")
    assert len(opened) == 1
    [statements] = opened
    _only_reads_item(statements, "commitment", measure_id)
    assert (undo.item_label, undo.reverts_id, undo.source) == ("Measure 11", change.id, "undo")
    assert (undo.old_status, undo.new_status, undo.new_rag, undo.old_owner, undo.new_owner) == \
        ("in progress", "no evidence", "grey", "Desk", None)
    [recorded] = [c for c in services.tracking.history("measures", 11) if c.id == change.id]
    assert undo.note == undo_note(recorded)
    measure = services.tracking.measure(11)
    assert (measure.status, measure.rag, measure.owner) == ("no evidence", "grey", None)
    services.close()


@pytest.mark.parametrize(("kind", "key", "table", "label"), [
    ("action-points", "3", "commitment", "Action point 3: Advance on a common approach on "
                                          "returns"),
    ("countries", " tn ", "partnercountry", "Tunisia (TN)"),
    ("commitments", "18", "commitment", "Action point 3: Advance on a common approach on "
                                        "returns"),
])
def test_every_tracked_kind_is_labelled_from_its_own_item(
        seeded_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, key: str, table: str,
        label: str) -> None:
    services = _fresh(seeded_path)
    with connections_opened(monkeypatch) as opened:
        change = services.tracking.set_status(kind, key, rag="red", author="adviser")
    assert len(opened) == 1
    _only_reads_item(opened[0], table, change.item_id)
    assert change.item_label == label
    with connections_opened(monkeypatch) as opened:
        history = services.tracking.history(kind, key)
    assert len(opened) == 1
    _only_reads_item(opened[0], table, change.item_id)
    assert {c.item_label for c in history} == {label}
    assert history[-1].id == change.id
    services.close()


def test_a_table_import_runs_on_one_connection(seeded_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "tracker.csv"
    table.write_text("number,status,owner\n5,done,Desk A\n7,,Desk B\n", encoding="utf-8")
    services = _fresh(seeded_path)
    plan = services.tables.preview("measures", table)
    with connections_opened(monkeypatch) as opened:
        result = services.tables.apply(plan, author="adviser")
    assert len(opened) == 1
    assert len(result.status_change_ids) == 2
    changes = {c.id: c for c in services.tracking.history("measures")}
    assert [(changes[i].item_label, changes[i].new_owner) for i in result.status_change_ids] \
        == [("Measure 5", "Desk A"), ("Measure 7", "Desk B")]
    services.close()
