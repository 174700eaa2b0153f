"""Full-text search over letter paragraphs (SQLite FTS5).

The index folds case and diacritics (``unicode61 remove_diacritics 2``), so
"Rakusan" finds "Rakušan", and stems English words (``porter``), so "returns"
finds "return". Whatever the user types is searched as plain
words: FTS5 syntax (quotes, ``*``, ``AND``, parentheses) is never passed on,
so no query can raise.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)

#: Marks around matched words in snippets.
HIT_OPEN = "["
HIT_CLOSE = "]"


@dataclass(frozen=True)
class ParagraphHit:
    paragraph_id: int
    letter_id: int
    ordinal: int
    start: int
    end: int
    snippet: str
    score: float


def fts_query(user_text: str, *, prefix_last: bool = True) -> str | None:
    """The FTS5 query for what a user typed: every word quoted, all required.

    The last word also matches as a prefix, so results appear as one types.
    Returns None when the text holds no word at all.
    """
    words = _WORD.findall(user_text)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    if prefix_last:
        quoted[-1] += "*"
    return " ".join(quoted)


def search_paragraphs(db: sqlite3.Connection, user_text: str, limit: int = 20, *,
                      marks: tuple[str, str] = (HIT_OPEN, HIT_CLOSE)) -> list[ParagraphHit]:
    """Paragraphs matching every word, best first (bm25), with a snippet each.

    ``marks`` surround the matched words in the snippet.
    """
    query = fts_query(user_text)
    if query is None:
        return []
    rows = db.execute(
        "SELECT p.id, p.letter_id, p.ordinal, p.start, p.end, "
        "snippet(paragraph_fts, 0, :open, :close, '…', 16) AS snip, "
        "bm25(paragraph_fts) AS score "
        "FROM paragraph_fts JOIN paragraph AS p ON p.id = paragraph_fts.rowid "
        "WHERE paragraph_fts MATCH :query "
        "ORDER BY score, p.letter_id, p.ordinal LIMIT :limit",
        {"query": query, "limit": limit, "open": marks[0], "close": marks[1]},
    ).fetchall()
    return [ParagraphHit(*row) for row in rows]


def index_is_consistent(db: sqlite3.Connection) -> bool:
    """True if the FTS index matches the paragraph table."""
    try:
        db.execute("INSERT INTO paragraph_fts(paragraph_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True
