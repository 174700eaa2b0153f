"""The follow-ups' SQL: candidates from the full-text indexes, word statistics, reads.

The finder asks the indexes for candidates with the rarest words of a text
(any of them: an OR query), so a common word never makes the candidate set
large; the vocabulary of the unstemmed index says how many paragraphs hold
each word. Reads join each follow-up with its letter's title and date.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from briefing_app.store import pg_search
from briefing_app.store.queries import Row, as_date, as_datetime

_TOKEN = re.compile(r"\w+")


def _or_query(words: Iterable[str]) -> str | None:
    """An FTS5 query matching any of ``words`` (a word of several tokens is a phrase);
    only word characters pass, so no text can be read as query syntax."""
    quoted = [f'"{" ".join(tokens)}"' for word in dict.fromkeys(words)
              if (tokens := _TOKEN.findall(word))]
    return " OR ".join(dict.fromkeys(quoted)) if quoted else None


def _where(lists: dict[str, Iterable[int] | None], equal: dict[str, object | None],
           fixed: tuple[str, ...] = ()) -> tuple[str, list[object]] | None:
    """A WHERE clause: each column of ``lists`` IN its ids (None: no filter), each of
    ``equal`` = its value (None: no filter), and the ``fixed`` conditions. None when a list
    is empty: no row can match."""
    clauses: list[str] = list(fixed)
    params: list[object] = []
    for column, values in lists.items():
        if values is not None:
            wanted = sorted(set(values))
            if not wanted:
                return None
            clauses.append(f"{column} IN ({','.join('?' * len(wanted))})")
            params += wanted
    for column, value in equal.items():
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def paragraph_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM paragraph").fetchone()[0])


def document_frequencies(db: sqlite3.Connection, folded: Iterable[str]) -> dict[str, int]:
    """How many paragraphs hold each word (folded, not stemmed); words held by none are
    left out."""
    if pg_search.is_postgres(db):
        return pg_search.document_frequencies(db, folded)
    words = sorted(set(folded))
    found: dict[str, int] = {}
    for first in range(0, len(words), 200):
        chunk = words[first:first + 200]
        found.update(db.execute(
            f"SELECT term, doc FROM paragraph_exact_vocab "
            f"WHERE term IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return found


def candidate_paragraphs(db: sqlite3.Connection, words: Iterable[str], *,
                         exclude_letter_id: int | None, limit: int) -> list[Row]:
    """Paragraphs holding any of ``words`` (stemmed as the index stems), best bm25 first,
    none of ``exclude_letter_id``."""
    query = _or_query(words)
    if query is None:
        return []
    if pg_search.is_postgres(db):
        ranked = pg_search.ranked(db, "paragraph_fts", query, newest=None, limit=limit * 3)
        return db.execute(
            'SELECT p.id, p.letter_id, p.start, p."end", p.text, r.score FROM '
            "unnest(CAST(:ids AS bigint[]), CAST(:scores AS float8[])) WITH ORDINALITY "
            "AS r(id, score, n) JOIN paragraph p ON p.id = r.id "
            "WHERE p.letter_id IS DISTINCT FROM :own ORDER BY r.n LIMIT :limit",
            {"ids": [row[0] for row in ranked], "scores": [row[1] for row in ranked],
             "own": exclude_letter_id, "limit": limit}).fetchall()
    return db.execute(
        'SELECT p.id, p.letter_id, p.start, p."end", p.text, ranked.score FROM ('
        "  SELECT rowid, bm25(paragraph_fts) AS score FROM paragraph_fts"
        "  WHERE paragraph_fts MATCH :query ORDER BY score LIMIT :cap"
        ") AS ranked JOIN paragraph p ON p.id = ranked.rowid "
        "WHERE p.letter_id IS NOT :own ORDER BY ranked.score LIMIT :limit",
        {"query": query, "own": exclude_letter_id, "cap": limit * 3, "limit": limit},
    ).fetchall()


def candidate_commitments(db: sqlite3.Connection, words: Iterable[str], *,
                          exclude_letter_id: int, limit: int) -> list[int]:
    """Ids of commitments (not rejected, not of ``exclude_letter_id``) whose text holds any
    of ``words``, best bm25 first."""
    query = _or_query(words)
    if query is None:
        return []
    if pg_search.is_postgres(db):
        ranked = pg_search.ranked(db, "commitment_fts", query, newest=None, limit=limit * 3)
        return [row[0] for row in db.execute(
            "SELECT c.id FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS r(id, n) "
            "JOIN commitment c ON c.id = r.id WHERE c.letter_id != :own "
            "AND c.state != 'rejected' ORDER BY r.n LIMIT :limit",
            {"ids": [row[0] for row in ranked], "own": exclude_letter_id, "limit": limit})]
    return [row[0] for row in db.execute(
        "SELECT c.id FROM ("
        "  SELECT rowid, bm25(commitment_fts) AS score FROM commitment_fts"
        "  WHERE commitment_fts MATCH :query ORDER BY score LIMIT :cap"
        ") AS ranked JOIN commitment c ON c.id = ranked.rowid "
        "WHERE c.letter_id != :own AND c.state != 'rejected' ORDER BY ranked.score "
        "LIMIT :limit",
        {"query": query, "own": exclude_letter_id, "cap": limit * 3, "limit": limit},
    )]


def letter_paragraphs(db: sqlite3.Connection, letter_id: int) -> list[Row]:
    return db.execute('SELECT id, letter_id, start, "end", text FROM paragraph '
                      "WHERE letter_id = ? ORDER BY ordinal", (letter_id,)).fetchall()


def finder_commitments(db: sqlite3.Connection, ids: Iterable[int] | None = None, *,
                       letter_id: int | None = None) -> list[Row]:
    """The commitments the finder looks for (not rejected), with their letter's date."""
    where = _where({"c.id": ids}, {"c.letter_id": letter_id}, ("c.state != 'rejected'",))
    if where is None:
        return []
    return db.execute(
        "SELECT c.id, c.letter_id, c.text, c.deadline, l.date AS letter_date "
        f"FROM commitment c JOIN letter l ON l.id = c.letter_id {where[0]} ORDER BY c.id",
        where[1]).fetchall()


def letter_dates(db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, date | None]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {row[0]: as_date(row[1]) for row in db.execute(
        f"SELECT id, date FROM letter WHERE id IN ({','.join('?' * len(wanted))})", wanted)}


_FOLLOW_UP_COLUMNS = (
    'f.id, f.commitment_id, f.letter_id, l.title AS letter_title, l.date AS letter_date, '
    'f.start, f."end", f.quote, f.score, f.state, f.origin, f.reviewed_by, f.reviewed_at, '
    'f.status_change_id, f.paragraph_id')


def follow_ups(db: sqlite3.Connection, *, commitment_ids: Iterable[int] | None = None,
               state: str | None = None, letter_id: int | None = None,
               ids: Iterable[int] | None = None) -> list[Row]:
    """Follow-ups with their letter's title and date, by commitment then id."""
    where = _where({"f.commitment_id": commitment_ids, "f.id": ids},
                   {"f.state": state, "f.letter_id": letter_id})
    if where is None:
        return []
    return db.execute(f"SELECT {_FOLLOW_UP_COLUMNS} FROM followup f "
                      f"JOIN letter l ON l.id = f.letter_id {where[0]} "
                      "ORDER BY f.commitment_id, f.id", where[1]).fetchall()


def follow_up_reviews(db: sqlite3.Connection, follow_up_id: int | None = None) -> list[Row]:
    """The review trail (of one follow-up, or of all), oldest first."""
    clause, params = _where({}, {"follow_up_id": follow_up_id}) or ("", [])
    return db.execute(f"SELECT * FROM followupreview {clause} ORDER BY id", params).fetchall()


def effective_change_dates(db: sqlite3.Connection, item_kind: str) -> dict[int, datetime]:
    """When a person last changed each item's status, counting only changes that still
    hold: not baselines, not undos, not undone, not made from a follow-up (those are
    dated by their passage's letter)."""
    found: dict[int, datetime] = {}
    for item_id, changed_at in db.execute(
        "SELECT s.item_id, MAX(s.changed_at) FROM statuschange s "
        "WHERE s.item_kind = ? AND s.old_status IS NOT NULL AND s.reverts_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM statuschange r WHERE r.reverts_id = s.id) "
        "AND NOT EXISTS (SELECT 1 FROM followupreview v WHERE v.status_change_id = s.id) "
        "GROUP BY s.item_id", (item_kind,)):
        stamp = as_datetime(changed_at)
        if stamp is not None:
            found[item_id] = stamp
    return found


def status_setting_changes(db: sqlite3.Connection, item_kind: str) -> dict[int, Row]:
    """Each item's change that set its current status: the newest change of its status
    that still holds (not an undo, not undone; the baseline if none), with the follow-up
    it was made from, if any. An undo gives back the status of an earlier change, so that
    change is the source again."""
    found: dict[int, Row] = {}
    for row in db.execute(
        "SELECT s.item_id, s.id, s.old_status, s.new_status, "
        "  (SELECT v.follow_up_id FROM followupreview v WHERE v.status_change_id = s.id"
        "   LIMIT 1) AS follow_up_id "
        "FROM statuschange s WHERE s.item_kind = ? AND s.reverts_id IS NULL "
        "AND (s.old_status IS NULL OR s.old_status != s.new_status) "
        "AND NOT EXISTS (SELECT 1 FROM statuschange r WHERE r.reverts_id = s.id) "
        "ORDER BY s.item_id, s.id", (item_kind,)):
        found[row["item_id"]] = row  # the last one wins
    return found


def commitment_letter_dates(db: sqlite3.Connection) -> dict[int, date | None]:
    return {row[0]: as_date(row[1]) for row in db.execute(
        "SELECT c.id, l.date FROM commitment c JOIN letter l ON l.id = c.letter_id")}


def citation_letter_dates(db: sqlite3.Connection, item_kind: str) -> dict[int, date | None]:
    """The newest dated letter each item of a kind is cited from."""
    return {row[0]: as_date(row[1]) for row in db.execute(
        "SELECT c.item_id, MAX(l.date) FROM citation c JOIN letter l ON l.id = c.letter_id "
        "WHERE c.item_kind = ? GROUP BY c.item_id", (item_kind,))}


def newest_evidence_date(db: sqlite3.Connection) -> date | None:
    """The date of the newest letter an accepted follow-up cites, in the whole store."""
    return as_date(db.execute(
        "SELECT MAX(l.date) FROM followup f JOIN letter l ON l.id = f.letter_id "
        "WHERE f.state = 'accepted'").fetchone()[0])
