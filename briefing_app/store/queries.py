"""The read side of the store: plain SQL over a DB-API connection.

Reads build read models straight from rows, without loading ORM objects, so
lists stay fast at 10,000 letters and the desktop app can show its data
before SQLAlchemy has loaded. The SQL is standard (no SQLite-only syntax);
full-text search lives in :mod:`briefing_app.store.search`. Writes go through
the ORM and a unit of work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

Row = sqlite3.Row


def as_date(value: str | date | None) -> date | None:
    """A stored date: ISO text (SQLite) or a date (PostgreSQL)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


def as_datetime(value: str | datetime | None) -> datetime | None:
    """A stored UTC time stamp ("2024-03-15 09:30:00.000000", or a datetime from
    PostgreSQL, in the server session's time zone) as an aware datetime in UTC."""
    if not value:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


# ----------------------------------------------------------------------------- letters

LETTER_SUMMARY = ("id, title, date, place, kind, reference, source_name, sha256, "
                  "imported_at")


def letters(db: sqlite3.Connection) -> list[Row]:
    """Dated letters in date order, then undated ones in import order."""
    return db.execute(
        f"SELECT {LETTER_SUMMARY} FROM letter "
        "ORDER BY date IS NULL, date, id"
    ).fetchall()


def letter(db: sqlite3.Connection, letter_id: int) -> Row | None:
    return db.execute(
        f"SELECT {LETTER_SUMMARY}, encoding, salutation, subject, original_text "
        "FROM letter WHERE id = ?", (letter_id,)
    ).fetchone()


def letter_titles(db: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, str]:
    """Titles by letter id: of the given letters, or of all."""
    if ids is None:
        return {row[0]: row[1] for row in db.execute("SELECT id, title FROM letter")}
    wanted = list(ids)
    if not wanted:
        return {}
    return {row[0]: row[1] for row in db.execute(
        f"SELECT id, title FROM letter WHERE id IN ({_in(wanted)})", wanted)}


def letter_roles(db: sqlite3.Connection, letter_id: int) -> list[Row]:
    return db.execute(
        "SELECT r.*, p.name AS person_name, p.country AS person_country "
        "FROM letterrole r JOIN person p ON p.id = r.person_id "
        "WHERE r.letter_id = ? ORDER BY r.position, r.id", (letter_id,)
    ).fetchall()


def annexes(db: sqlite3.Connection, letter_id: int) -> list[Row]:
    return db.execute("SELECT * FROM annex WHERE letter_id = ? ORDER BY id",
                      (letter_id,)).fetchall()


def corrections(db: sqlite3.Connection, letter_id: int) -> list[Row]:
    return db.execute("SELECT * FROM lettercorrection WHERE letter_id = ? ORDER BY start, id",
                      (letter_id,)).fetchall()


def numbers_in_letter(db: sqlite3.Connection, series: str, letter_id: int) -> list[int]:
    """The numbers of a letter's commitments in the series ``series`` ("measures"), also when
    the letter's series had to take a suffixed key ("measures-7")."""
    return [row[0] for row in db.execute(
        "SELECT c.number FROM commitment c JOIN commitmentseries s ON s.id = c.series_id "
        "WHERE c.letter_id = ? AND s.key IN (?, ?) AND c.number IS NOT NULL "
        "ORDER BY c.number", (letter_id, series, f"{series}-{letter_id}"))]


# ----------------------------------------------------------------------- tracked items

COMMITMENT_COLUMNS = "c.*, s.key AS series, s.title AS series_title"


def commitments(db: sqlite3.Connection, *, series: str | None = None,
                letter_id: int | None = None, state: str | None = None,
                numbered: bool = False) -> list[Row]:
    """Commitments with their series' key and title, in letter, series and position order;
    ``numbered``: only those with a number."""
    clauses: list[str] = ["c.number IS NOT NULL"] if numbered else []
    params: list[str | int] = []
    for column, value in (("s.key", series), ("c.letter_id", letter_id), ("c.state", state)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "c.position, c.id" if series is not None else "c.letter_id, s.id, c.position, c.id"
    return db.execute(
        f"SELECT {COMMITMENT_COLUMNS} FROM commitment c "
        f"JOIN commitmentseries s ON s.id = c.series_id {where} ORDER BY {order}", params
    ).fetchall()


def series(db: sqlite3.Connection, *, letter_id: int | None = None) -> list[Row]:
    """Commitment series with their commitment counts, in letter and id order."""
    where = "WHERE s.letter_id = ?" if letter_id is not None else ""
    return db.execute(
        "SELECT s.*, COUNT(c.id) AS size, "
        "  SUM(CASE WHEN c.state = 'accepted' THEN 1 ELSE 0 END) AS accepted "
        f"FROM commitmentseries s LEFT JOIN commitment c ON c.series_id = s.id {where} "
        "GROUP BY s.id ORDER BY s.letter_id, s.id",
        () if letter_id is None else (letter_id,)).fetchall()


def action_points(db: sqlite3.Connection, series: str = "action-points") -> list[Row]:
    """The numbered commitments of a series read as action points ("action-points")."""
    return commitments(db, series=series, numbered=True)


def measures(db: sqlite3.Connection, series: str = "measures") -> list[Row]:
    """The numbered commitments of a series read as measures ("measures")."""
    return commitments(db, series=series, numbered=True)


def countries(db: sqlite3.Connection) -> list[Row]:
    return db.execute("SELECT * FROM partnercountry ORDER BY name, id").fetchall()


def instruments(db: sqlite3.Connection) -> list[Row]:
    return db.execute("SELECT * FROM instrument ORDER BY id").fetchall()


def commitment_country_pairs(db: sqlite3.Connection, series: str | None = None) -> list[Row]:
    """(commitment id, number, series key, country id, ISO code) of every link, or of the
    links of one series."""
    where = "WHERE s.key = ? " if series is not None else ""
    return db.execute(
        "SELECT m.id AS commitment_id, m.id AS measure_id, m.number, s.key AS series, "
        "c.id AS country_id, c.iso "
        "FROM commitmentcountry mc JOIN commitment m ON m.id = mc.commitment_id "
        "JOIN commitmentseries s ON s.id = m.series_id "
        f"JOIN partnercountry c ON c.id = mc.country_id {where}ORDER BY m.number, c.iso",
        () if series is None else (series,)).fetchall()


def measure_country_pairs(db: sqlite3.Connection, series: str = "measures") -> list[Row]:
    """(measure id, measure number, country id, ISO code) of every link of a series' items
    (of the measures, by default)."""
    return commitment_country_pairs(db, series)


def commitment_series_keys(db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    """The series key of each of the given commitments."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for chunk_start in range(0, len(wanted), 500):
        chunk = wanted[chunk_start:chunk_start + 500]
        found.update({row[0]: row[1] for row in db.execute(
            "SELECT c.id, s.key FROM commitment c JOIN commitmentseries s ON s.id = c.series_id "
            f"WHERE c.id IN ({_in(chunk)})", chunk)})
    return found


#: The tables of tracked items and the columns an item is found by.
_ITEM_KEYS = {"commitment": ("number", "id"), "partnercountry": ("iso",)}


def find_item_id(db: sqlite3.Connection, table: str, key_column: str,
                 key: int | str, series: str | None = None) -> int | None:
    """The id of the tracked item whose ``key_column`` (number, ISO code) is ``key``.

    Commitments are found in one series when ``series`` is given. Numbers can
    repeat: the oldest item with the number is found.
    """
    assert key_column in _ITEM_KEYS.get(table, ()), (table, key_column)
    if series is not None:
        row = db.execute(
            f"SELECT c.id FROM {table} c JOIN commitmentseries s ON s.id = c.series_id "
            f"WHERE s.key = ? AND c.{key_column} = ? ORDER BY c.id LIMIT 1",
            (series, key)).fetchone()
    else:
        row = db.execute(f"SELECT id FROM {table} WHERE {key_column} = ? ORDER BY id LIMIT 1",
                         (key,)).fetchone()
    return row[0] if row else None


def items_by_id(db: sqlite3.Connection, table: str, ids: Iterable[int]) -> list[Row]:
    """The rows of the given tracked items (those still in the store), in id order."""
    assert table in _ITEM_KEYS, table
    wanted = sorted(set(ids))
    rows: list[Row] = []
    for chunk_start in range(0, len(wanted), 500):  # stay under SQLite's parameter limit
        chunk = wanted[chunk_start:chunk_start + 500]
        if table == "commitment":
            rows.extend(db.execute(
                f"SELECT {COMMITMENT_COLUMNS} FROM commitment c "
                "JOIN commitmentseries s ON s.id = c.series_id "
                f"WHERE c.id IN ({_in(chunk)}) ORDER BY c.id", chunk).fetchall())
            continue
        rows.extend(db.execute(f"SELECT * FROM {table} WHERE id IN ({_in(chunk)}) ORDER BY id",
                               chunk).fetchall())
    return rows


def last_changes(db: sqlite3.Connection, item_kind: str) -> dict[int, datetime]:
    """When each item of a kind last had its status changed."""
    result: dict[int, datetime] = {}
    for item_id, changed_at in db.execute(
        "SELECT item_id, MAX(changed_at) FROM statuschange WHERE item_kind = ? "
        "GROUP BY item_id", (item_kind,)
    ):
        stamp = as_datetime(changed_at)
        if stamp is not None:
            result[item_id] = stamp
    return result


def _item_clauses(item_kind: str | None,
                  item_id: int | None) -> tuple[list[str], list[str | int]]:
    """The conditions (and their values) selecting rows of one kind or one item."""
    clauses: list[str] = []
    params: list[str | int] = []
    if item_kind is not None:
        clauses.append("item_kind = ?")
        params.append(item_kind)
    if item_id is not None:
        clauses.append("item_id = ?")
        params.append(item_id)
    return clauses, params


def status_changes(db: sqlite3.Connection, item_kind: str | None = None,
                   item_id: int | None = None) -> list[Row]:
    """Status changes, oldest first, optionally of one kind or one item."""
    clauses, params = _item_clauses(item_kind, item_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return db.execute(f"SELECT * FROM statuschange {where} ORDER BY changed_at, id",
                      params).fetchall()


# ------------------------------------------------------------------------- citations

def citations(db: sqlite3.Connection, item_kind: str, item_ids: Iterable[int]) -> list[Row]:
    """Citations of many items of one kind, in the order they were recorded."""
    ids = list(item_ids)
    if not ids:
        return []
    rows: list[Row] = []
    for chunk_start in range(0, len(ids), 500):  # stay under SQLite's parameter limit
        chunk = ids[chunk_start:chunk_start + 500]
        rows.extend(db.execute(
            f"SELECT c.*, l.title AS letter_title FROM citation c "
            f"JOIN letter l ON l.id = c.letter_id "
            f"WHERE c.item_kind = ? AND c.item_id IN ({_in(chunk)}) ORDER BY c.id",
            (item_kind, *chunk),
        ).fetchall())
    return rows


# --------------------------------------------------------------------------- catalogue

def people(db: sqlite3.Connection) -> list[Row]:
    return db.execute("SELECT * FROM person ORDER BY id").fetchall()


def roles(db: sqlite3.Connection) -> list[Row]:
    return db.execute(
        "SELECT r.*, l.title AS letter_title FROM letterrole r "
        "JOIN letter l ON l.id = r.letter_id ORDER BY r.letter_id, r.position, r.id"
    ).fetchall()


def indicators(db: sqlite3.Connection) -> list[Row]:
    return db.execute(
        "SELECT i.*, c.iso AS country_iso FROM indicator i "
        "LEFT JOIN partnercountry c ON c.id = i.country_id ORDER BY i.id"
    ).fetchall()


def meetings(db: sqlite3.Connection) -> list[Row]:
    return db.execute("SELECT * FROM meeting ORDER BY date IS NULL, date, id").fetchall()


def packs(db: sqlite3.Connection) -> list[Row]:
    return db.execute(
        "SELECT p.*, COUNT(b.id) AS versions, "
        "(SELECT sha256 FROM packbuild WHERE pack_id = p.id ORDER BY version DESC LIMIT 1) "
        "  AS latest_sha256, "
        "(SELECT page_count FROM packbuild WHERE pack_id = p.id ORDER BY version DESC LIMIT 1) "
        "  AS latest_page_count "
        "FROM briefingpack p LEFT JOIN packbuild b ON b.pack_id = p.id "
        "GROUP BY p.id ORDER BY p.id"
    ).fetchall()


def data_as_of(db: sqlite3.Connection) -> datetime | None:
    """The newest time stamp in the store: the last import or status change."""
    row = db.execute(
        "SELECT MAX(stamp) FROM (SELECT MAX(imported_at) AS stamp FROM letter "
        "UNION ALL SELECT MAX(changed_at) FROM statuschange) AS stamps"
    ).fetchone()
    return as_datetime(row[0]) if row else None


def passages(db: sqlite3.Connection, letter_id: int) -> list[Row]:
    """Every cited span of one letter with the item it belongs to.

    Columns: item_kind, item_key (number, ISO code, indicator key, meeting or
    person id, as text), label, start, end. People's names on the letter come
    from their roles.
    """
    return db.execute(
        "SELECT CASE s.key WHEN 'action-points' THEN 'action_point' "
        "  WHEN 'measures' THEN 'measure' ELSE 'commitment' END AS item_kind, "
        "  CAST(CASE WHEN s.key IN ('action-points', 'measures') THEN m.number ELSE m.id END "
        "  AS TEXT) AS item_key, "
        "  CASE s.key WHEN 'action-points' THEN 'Action point ' || m.number || ': ' || m.title "
        "  WHEN 'measures' THEN 'Measure ' || m.number "
        "  ELSE s.title || ' ' || COALESCE(m.marker, CAST(m.position AS TEXT)) || ': ' || "
        "  m.title END "
        "  AS label, c.start, c.end "
        "FROM citation c JOIN commitment m ON c.item_kind = 'commitment' AND m.id = c.item_id "
        "JOIN commitmentseries s ON s.id = m.series_id WHERE c.letter_id = :letter "
        "UNION ALL SELECT 'country', p.iso, p.name || ' (' || p.iso || ')', c.start, c.end "
        "FROM citation c JOIN partnercountry p ON c.item_kind = 'country' AND p.id = c.item_id "
        "WHERE c.letter_id = :letter "
        "UNION ALL SELECT 'country', p.iso, p.name || ': ' || i.name, c.start, c.end "
        "FROM citation c JOIN instrument i ON c.item_kind = 'instrument' AND i.id = c.item_id "
        "JOIN partnercountry p ON p.id = i.country_id WHERE c.letter_id = :letter "
        "UNION ALL SELECT 'indicator', i.key, 'Indicator: ' || i.label, c.start, c.end "
        "FROM citation c JOIN indicator i ON c.item_kind = 'indicator' AND i.id = c.item_id "
        "WHERE c.letter_id = :letter "
        "UNION ALL SELECT 'meeting', CAST(m.id AS TEXT), 'Meeting: ' || m.title, "
        "  c.start, c.end "
        "FROM citation c JOIN meeting m ON c.item_kind = 'meeting' AND m.id = c.item_id "
        "WHERE c.letter_id = :letter "
        "UNION ALL SELECT 'person', CAST(r.person_id AS TEXT), "
        "  p.name || ' (' || r.role || ')', r.start, r.end "
        "FROM letterrole r JOIN person p ON p.id = r.person_id WHERE r.letter_id = :letter "
        "ORDER BY 4, 5, 1, 2, 3",
        {"letter": letter_id},
    ).fetchall()


# ------------------------------------------------------------------------ briefing packs

def pack(db: sqlite3.Connection, pack_id: int) -> Row | None:
    return db.execute("SELECT * FROM briefingpack WHERE id = ?", (pack_id,)).fetchone()


def latest_pack_for_meeting(db: sqlite3.Connection, meeting_id: int) -> Row | None:
    """The meeting's most recently created pack (the one a new build continues)."""
    return db.execute("SELECT * FROM briefingpack WHERE meeting_id = ? ORDER BY id DESC "
                      "LIMIT 1", (meeting_id,)).fetchone()


def latest_pack_titled(db: sqlite3.Connection, title: str) -> Row | None:
    """The most recent pack with this title and no meeting."""
    return db.execute("SELECT * FROM briefingpack WHERE meeting_id IS NULL AND title = ? "
                      "ORDER BY id DESC LIMIT 1", (title,)).fetchone()


def next_pack_id(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM briefingpack").fetchone()
    return int(row[0])


def pack_builds(db: sqlite3.Connection, pack_id: int) -> list[Row]:
    """A pack's builds (its versions), oldest first."""
    return db.execute("SELECT * FROM packbuild WHERE pack_id = ? ORDER BY version",
                      (pack_id,)).fetchall()


def meeting(db: sqlite3.Connection, meeting_id: int) -> Row | None:
    return db.execute("SELECT * FROM meeting WHERE id = ?", (meeting_id,)).fetchone()


def meeting_titled(db: sqlite3.Connection, title: str, when: str | None) -> Row | None:
    """A meeting with this title on this date (ISO text, or None for no date)."""
    if when is None:
        return db.execute("SELECT * FROM meeting WHERE title = ? AND date IS NULL "
                          "ORDER BY id LIMIT 1", (title,)).fetchone()
    return db.execute("SELECT * FROM meeting WHERE title = ? AND date = ? ORDER BY id LIMIT 1",
                      (title, when)).fetchone()


# ------------------------------------------------------------------------------ checks

def citations_outside_letters(db: sqlite3.Connection) -> list[Row]:
    """Citations whose span falls outside their letter or whose quote is not the text there."""
    return db.execute(
        'SELECT c.id, c.letter_id, c.item_kind, c.item_id, c.start, c."end" '
        "FROM citation c JOIN letter l ON l.id = c.letter_id "
        'WHERE c.start < 0 OR c."end" < c.start OR c."end" > length(l.original_text) '
        'OR substr(l.original_text, c.start + 1, c."end" - c.start) <> c.quote '
        "ORDER BY c.id"
    ).fetchall()


def count_rows(db: sqlite3.Connection, table: str) -> int:
    assert table.isidentifier()
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def open_conflicts(db: sqlite3.Connection, item_kind: str | None = None,
                   item_id: int | None = None) -> list[Row]:
    """The sync conflicts nobody has resolved yet, oldest first (of one item if given)."""
    clauses, params = _item_clauses(item_kind, item_id)
    clauses.append("resolved_at IS NULL")
    return db.execute(f"SELECT * FROM syncconflict WHERE {' AND '.join(clauses)} "
                      "ORDER BY detected_at, id", params).fetchall()


def briefcase_state(db: sqlite3.Connection) -> dict[str, str]:
    """A briefcase's sync state (its team store, number, last sync); {} for another store."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'"
                  ).fetchone() is None:
        return {}
    return {row[0]: row[1] for row in db.execute("SELECT key, value FROM sync_state")}
