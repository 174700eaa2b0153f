"""Full-text search on the team store (PostgreSQL), ranked by FTS5's rules.

The local store's search (:mod:`briefing_app.store.search`) and the
follow-up finder's candidates (:mod:`briefing_app.store.follow_ups`) ask
FTS5 with queries of quoted words; on the team store the same query strings
are read here and asked of the GIN indexes of migration 0005, so both stores
answer alike:

* **the same words.** ``briefing_words`` folds case and diacritics and keeps
  runs of letters and digits, as FTS5's ``unicode61 remove_diacritics 2``;
  ``paragraph_search.exact`` holds them as written ('simple'),
  ``stemmed`` by the Porter stemmer (``briefing_porter``, the algorithm of
  FTS5's ``porter``), neither drops a stop word;
* **the same matches.** A quoted phrase is its words in a row (``<->``), a
  trailing ``*`` the beginning of a word (``:*``), words are all required or,
  with ``OR``, any;
* **the same scores.** bm25 as FTS5 computes it (k1 = 1.2, b = 0.75, the
  idf of each phrase from how many rows hold it, floored at 1e-6, lengths in
  words over their average), from each row's stored positions, negated so
  lower is better;
* **the same ranking limits.** A tier ranks among its ``cap`` most recent
  matches (the highest ids), the finder among all its matches.

How many rows hold a phrase is counted once per phrase and per state of the
index (its database, rows and words), so a repeated search costs one indexed
read. (A paragraph whose text changed for another of the same number of words
would leave a count stale; imported paragraphs are never edited.)
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: FTS5's bm25 constants (``fts5_aux.c``).
K1 = 1.2
B = 0.75
#: The idf of a phrase most rows hold (FTS5 floors it there, so it still counts a little).
IDF_FLOOR = 1e-6

#: Where each index of the local store lives on the team store: (table, vector column,
#: text search configuration, the table it indexes).
INDEXES = {
    "paragraph_exact": ("paragraph_search", "exact", "simple", "paragraph"),
    "paragraph_fts": ("paragraph_search", "stemmed", "briefing_porter", "paragraph"),
    "commitment_fts": ("commitment_search", "stemmed", "briefing_porter", "commitment"),
}

_PHRASE = re.compile(r'"((?:[^"]|"")*)"(\*?)')
_VECTOR_ENTRY = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")
#: A word PostgreSQL's index cannot hold (longer is left out of a vector, and refused
#: in a query).
_LONGEST_WORD = 2047
#: Phrase counts remembered per process (a long session's searches).
_COUNTS_KEPT = 20_000


@dataclass(frozen=True)
class Phrase:
    """A phrase of a query: its lexemes in order; the last one a prefix or not."""

    lexemes: tuple[str, ...]
    prefix: bool

    def tsquery(self) -> str:
        parts = [f"'{lexeme}'" for lexeme in self.lexemes]
        if self.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"

    def hits(self, positions: dict[str, list[int]]) -> int:
        """How many times the phrase occurs in a row whose lexemes are at ``positions``."""
        if len(self.lexemes) == 1:
            if self.prefix:  # every word the prefix begins, each time it occurs
                return sum(len(held) for word, held in positions.items()
                           if word.startswith(self.lexemes[0]))
            return len(positions.get(self.lexemes[0], ()))
        sets: list[set[int]] = []
        for number, lexeme in enumerate(self.lexemes):
            if self.prefix and number == len(self.lexemes) - 1:
                found = {p for word, held in positions.items() if word.startswith(lexeme)
                         for p in held}
            else:
                found = set(positions.get(lexeme, ()))
            if not found:
                return 0
            sets.append(found)
        return sum(1 for first in sets[0]
                   if all(first + offset in later for offset, later in enumerate(sets[1:], 1)))


@dataclass(frozen=True)
class Query:
    """An FTS5 query of quoted phrases, read for PostgreSQL."""

    phrases: tuple[Phrase, ...]
    any_of: bool  # OR between the phrases, else AND

    def tsquery(self) -> str:
        return (" | " if self.any_of else " & ").join(p.tsquery() for p in self.phrases)


def is_postgres(db: Any) -> bool:
    """Whether a connection of the read side is the team store's (PostgreSQL)."""
    return getattr(db, "dialect", "sqlite") == "postgresql"


_lock = threading.Lock()
_states: weakref.WeakKeyDictionary[Any, dict[str, tuple[int, int, str]]] = \
    weakref.WeakKeyDictionary()
_phrase_rows: dict[tuple[str, str, int, int, str], int] = {}
#: The words each prefix was seen to begin, by (table, column, prefix).
_begun: dict[tuple[str, str, str], set[str]] = {}


def _lexemes(db: Any, config: str, texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Each text's lexemes in order, as ``config`` makes them of ``briefing_words``."""
    rows = db.execute(
        "SELECT t.n, (SELECT array_agg(u.lexeme ORDER BY u.position) FROM ("
        "  SELECT v.lexeme, p AS position FROM unnest(to_tsvector("
        "    CAST(:config AS regconfig), briefing_words(t.x))) AS v, unnest(v.positions) AS p"
        ") AS u) FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS t(x, n) ORDER BY t.n",
        {"config": config, "texts": list(texts)}).fetchall()
    return [tuple(row[1] or ()) for row in rows]


def read_query(db: Any, match: str, config: str) -> Query | None:
    """The query ``match`` (FTS5's: quoted phrases, a trailing ``*``, ``OR``) with its
    words made lexemes by ``config``; None when no phrase holds a word (nothing
    matches)."""
    found = _PHRASE.findall(match)
    if not found:
        return None
    # a prefix is never stemmed ("Egy" is no stem of "Egypt"): it is asked as written
    plain = [text.replace('""', '"') for text, _star in found]
    stemmed = _lexemes(db, config, plain)
    written = _lexemes(db, "simple", plain) if any(star for _t, star in found) else stemmed
    phrases = []
    for (_text, star), lexemes, as_written in zip(found, stemmed, written, strict=True):
        if star and as_written:
            lexemes = (*lexemes[:len(as_written) - 1], as_written[-1]) \
                if len(lexemes) == len(as_written) else as_written
        lexemes = tuple(word for word in lexemes if len(word.encode()) <= _LONGEST_WORD)
        if lexemes:
            phrases.append(Phrase(lexemes, bool(star)))
    if not phrases:
        return None
    return Query(tuple(phrases), any_of=" OR " in match)


def _state(db: Any, table: str) -> tuple[int, int, str]:
    """How many rows the index holds, how many words they hold together, and which
    database it is (server, port, name: the phrase counts of one team store are never
    another's): read once per connection of the read side (one search's read-only
    transaction)."""
    known: dict[str, tuple[int, int, str]] = _states.setdefault(db, {})
    if table not in known:
        rows, words, where = db.execute(
            f"SELECT count(*), coalesce(sum(words), 0), coalesce(host(inet_server_addr()), "
            f"'socket') || ':' || current_setting('port') || '/' || current_database() "
            f"FROM {table}").fetchone()
        known[table] = (int(rows), int(words), str(where))
    return known[table]


def _rows_holding(db: Any, table: str, column: str, phrase: Phrase,
                  state: tuple[int, int, str]) -> int:
    key = (f"{table}.{column}", phrase.tsquery(), *state)
    with _lock:
        if key in _phrase_rows:
            return _phrase_rows[key]
    count = int(db.execute(f"SELECT count(*) FROM {table} WHERE {column} @@ CAST(:q AS tsquery)",
                           {"q": phrase.tsquery()}).fetchone()[0])
    with _lock:
        if len(_phrase_rows) >= _COUNTS_KEPT:
            _phrase_rows.clear()
        _phrase_rows[key] = count
    return count


def _positions(vector: str) -> dict[str, list[int]]:
    """A vector's text (``'word':1,5 'other':2``) as each lexeme's positions."""
    found: dict[str, list[int]] = {}
    for lexeme, positions in _VECTOR_ENTRY.findall(vector):
        found[lexeme.replace("''", "'")] = [int(p.rstrip("ABCD")) for p in
                                             positions.split(",")] if positions else []
    return found


def _bm25(query: Query, idfs: Sequence[float], positions: dict[str, list[int]], length: int,
          average: float) -> float:
    score = 0.0
    for phrase, weight in zip(query.phrases, idfs, strict=True):
        hits = phrase.hits(positions)
        if hits:
            score += weight * (hits * (K1 + 1)) / (
                hits + K1 * (1 - B + B * length / average))
    return -score


def _idf(rows: int, holding: int) -> float:
    value = math.log((rows - holding + 0.5) / (holding + 0.5))
    return value if value > 0 else IDF_FLOOR


def escaped(text: str) -> str:
    """``text`` for a LIKE pattern: its ``%``, ``_`` and ``\\`` stand for themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _positions_of(db: Any, table: str, column: str, ids: list[int], wanted: list[str],
                  prefixes: list[str]) -> list[Any]:
    """(id, words, the vector of ``wanted`` and of the words ``prefixes`` begin) of the
    rows ``ids``.

    setweight marks the words and ts_filter keeps them, both in C. The words a prefix
    begins are remembered from one search to the next: a row whose vector, without
    them, still holds a word the prefix begins (ts_delete) has one more, read from that
    row alone (a first search reads them from every row)."""
    begun: set[str] = set()
    with _lock:
        for prefix in prefixes:
            begun |= _begun.get((table, column, prefix), set())
    select = (f"SELECT m.id, m.words, ts_filter(setweight(m.{column}, 'A', "
              f"CAST(:marked AS text[])), '{{a}}') AS v")
    if prefixes:
        select += (f", ts_delete(m.{column}, CAST(:begun AS text[])) @@ "
                   "CAST(:unmarked AS tsquery) AS unknown")
    values: dict[str, object] = {
        "marked": [*wanted, *sorted(begun)], "begun": sorted(begun),
        "unmarked": " | ".join(f"'{prefix}':*" for prefix in prefixes)}

    def read(some: list[int]) -> list[Any]:
        return db.execute(f"{select} FROM {table} m WHERE m.id = ANY(CAST(:ids AS bigint[]))",
                          {**values, "ids": some}).fetchall()

    rows = read(ids)
    unknown = [row[0] for row in rows if prefixes and row[3]]
    if not unknown:
        return rows
    found = [row[0] for row in db.execute(
        f"SELECT DISTINCT x FROM {table} m, unnest(tsvector_to_array(m.{column})) AS x "
        "WHERE m.id = ANY(CAST(:ids AS bigint[])) AND x LIKE ANY(CAST(:begin AS text[]))",
        {"ids": unknown, "begin": [escaped(prefix) + "%" for prefix in prefixes]})]
    with _lock:
        if len(_begun) >= _COUNTS_KEPT:
            _begun.clear()
        for prefix in prefixes:
            _begun.setdefault((table, column, prefix), set()).update(
                word for word in found if word.startswith(prefix))
    values["marked"] = [*wanted, *sorted(begun | set(found))]
    again = {row[0]: row for row in read(unknown)}
    return [again.get(row[0], row) for row in rows]


def _dense(holding: Sequence[int], rows: int, newest: int) -> bool:
    """Whether the newest ``newest`` rows holding every phrase (each held by ``holding``
    rows of ``rows``, taken as independent) are met sooner by testing rows from the
    newest down than by reading every match from the index: a test costs about 4/3 of a
    match read (measured at 100,000 paragraphs), so the walk wins once the matches
    exceed the square root of 4/3 · newest · rows."""
    expected = float(rows)
    for count in holding:
        expected *= count / rows if rows else 0.0
    return expected * expected > 4 / 3 * newest * rows


def ranked(db: Any, index: str, match: str, *, also: Iterable[tuple[str, str]] = (),
           extra: str = "", params: dict[str, object] | None = None,
           newest: int | None, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best rows of ``index`` matching ``match`` (an FTS5 query) and each
    ``(index, match)`` of ``also`` and the SQL condition ``extra`` (on ``s.id``, with
    ``params``): (id, bm25) pairs, lower scores first, then the higher id. Only the
    ``newest`` matches with the highest ids are ranked (None: all)."""
    table, column, config, _indexed = INDEXES[index]
    query = read_query(db, match, config)
    if query is None or limit < 1:
        return []
    where = [f"s.{column} @@ CAST(:q AS tsquery)"]
    values: dict[str, object] = {"q": query.tsquery(), **(params or {})}
    for number, (other, other_match) in enumerate(also):
        other_table, other_column, other_config, _ = INDEXES[other]
        other_query = read_query(db, other_match, other_config)
        if other_query is None:
            return []
        if other_table == table:
            where.append(f"s.{other_column} @@ CAST(:also{number} AS tsquery)")
        else:
            where.append(f"s.id IN (SELECT id FROM {other_table} WHERE {other_column} @@ "
                         f"CAST(:also{number} AS tsquery))")
        values[f"also{number}"] = other_query.tsquery()
    if extra:
        where.append(extra)
    state = _state(db, table)
    holding = [_rows_holding(db, table, column, phrase, state) for phrase in query.phrases]
    if not query.any_of and min(holding) == 0:
        return []  # every phrase is required and one is held by no row
    walk = False
    newest_clause = ""
    if newest is not None:
        # the newest matches: where they are dense (a common word), by walking the ids
        # down and testing each row, which meets enough of them at once; else found by
        # the GIN index and then sorted ("id + 0": never the walk, which would test
        # nearly every row for a rare word)
        walk = not query.any_of and not also and _dense(holding, state[0], newest)
        newest_clause = f"ORDER BY s.id{'' if walk else ' + 0'} DESC LIMIT :newest"
        values["newest"] = newest
    wanted = [lexeme for phrase in query.phrases for lexeme in phrase.lexemes]
    prefixes = [phrase.lexemes[-1] for phrase in query.phrases if phrase.prefix]
    # the matches' ids first (the index and the rows' small heap), then the positions of
    # the query's words in those kept only (their vectors are stored out of line)
    if walk:  # for this statement only (a failed one ends the transaction, and the setting)
        db.execute("SET LOCAL enable_bitmapscan = off")
    ids = [row[0] for row in db.execute(
        f"SELECT s.id FROM {table} s WHERE {' AND '.join(where)} {newest_clause}",
        values).fetchall()]
    if walk:
        db.execute("SET LOCAL enable_bitmapscan = on")
    if not ids:
        return []
    rows = _positions_of(db, table, column, ids, wanted, prefixes)
    average = state[1] / state[0] if state[0] and state[1] else 1.0
    idfs = [_idf(state[0], count) for count in holding]
    scored = [(int(row[0]), _bm25(query, idfs, _positions(row[2] or ""), int(row[1]), average))
              for row in rows]
    scored.sort(key=lambda pair: (pair[1], -pair[0]))
    return scored[:limit]


def document_frequencies(db: Any, folded: Iterable[str]) -> dict[str, int]:
    """How many paragraphs hold each word as written (the exact index); words no
    paragraph holds are left out. A word PostgreSQL reads as several is held by none,
    as it is in FTS5's vocabulary of single words."""
    words = sorted(set(folded))
    if not words:
        return {}
    state = _state(db, "paragraph_search")
    found: dict[str, int] = {}
    lexemes = _lexemes(db, "simple", words)
    for word, read in zip(words, lexemes, strict=True):
        if len(read) != 1 or read[0] != word:
            continue
        count = _rows_holding(db, "paragraph_search", "exact", Phrase(read, False), state)
        if count:
            found[word] = count
    return found


def index_problems(db: Any) -> list[str]:
    """What is wrong with the team store's search indexes (empty when sound): an index
    missing or not valid, or rows of the indexed tables without their words."""
    from briefing_app.store.search import INDEXES as NAMES

    problems: list[str] = []
    valid = {row[0]: bool(row[1]) for row in db.execute(
        "SELECT c.relname, i.indisvalid AND i.indisready FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = ANY(CAST(:names AS text[]))", {"names": list(INDEXES)})}
    for index, _table, name in NAMES:
        if index not in valid:
            problems.append(f"{name}: the index {index} is missing")
        elif not valid[index]:
            problems.append(f"{name}: the index {index} is not valid (REINDEX INDEX {index})")
    for table in sorted({indexed for *_, indexed in INDEXES.values()}):
        name = next(label for _index, of, label in NAMES if of == table)
        missing = db.execute(
            f"SELECT count(*) FROM {table} t LEFT JOIN {table}_search s ON s.id = t.id "
            "WHERE s.id IS NULL").fetchone()[0]
        if missing:
            problems.append(f"{name}: {missing} {table}s are not indexed")
    return problems
