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

from briefing_app.store.engine import error_classes

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


#: The last word typed matches as a prefix only from this length on: "a*" or "co*"
#: would expand to thousands of terms while the user is still typing.
MIN_PREFIX = 3

#: Queries matching more paragraphs than this are ranked among the most recently
#: imported ones only, so that a very common word ("the", "migration") still
#: answers in milliseconds on a large store.
RANK_CAP = 2000


def fts_query(user_text: str, *, prefix_last: bool = True) -> str | None:
    """The FTS5 query for what a user typed: every word quoted, all required.

    The last word also matches as a prefix (from :data:`MIN_PREFIX` letters on),
    so results appear as one types. Returns None when the text holds no word.
    """
    words = _WORD.findall(user_text)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    if prefix_last and len(words[-1]) >= MIN_PREFIX:
        quoted[-1] += "*"
    return " ".join(quoted)


def _light_stem(folded: str) -> str:
    """A rough English stem for highlighting ("returns", "returned" -> "return")."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def make_snippet(text: str, words: list[str], *, prefix_last: bool,
                 marks: tuple[str, str] = (HIT_OPEN, HIT_CLOSE), size: int = 16) -> str:
    """A window of about ``size`` words of ``text`` around its best run of matches,
    with matched words between ``marks`` and "…" where text is cut.

    Which paragraphs match is decided by the index; this only shows where.
    """
    from briefing_app.text import fold

    wanted = [fold(word) for word in words]
    stems = {_light_stem(word) for word in wanted}
    last = wanted[-1] if prefix_last and wanted and len(wanted[-1]) >= MIN_PREFIX else None
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return text[:200]

    def matches(token: str) -> bool:
        folded = fold(token)
        return (folded in wanted or _light_stem(folded) in stems
                or (last is not None and folded.startswith(last)))

    hit = [matches(t.group(0)) for t in tokens]
    # the window with the most matches, its first match about a quarter in
    best_start, best_score = 0, None
    for first in range(max(1, len(tokens) - size + 1)):
        inside = [i for i in range(first, min(first + size, len(tokens))) if hit[i]]
        lead = (inside[0] - first) if inside else size
        score = (len(inside), -abs(lead - size // 4), -first)
        if best_score is None or score > best_score:
            best_start, best_score = first, score
    window = tokens[best_start:best_start + size]
    begin = window[0].start() if best_start > 0 else 0
    finish = window[-1].end() if best_start + size < len(tokens) else len(text)
    out: list[str] = ["…"] if best_start > 0 else []
    cursor = begin
    for index, token in enumerate(window, start=best_start):
        if hit[index]:
            out.append(text[cursor:token.start()])
            out.append(f"{marks[0]}{token.group(0)}{marks[1]}")
            cursor = token.end()
    out.append(text[cursor:finish])
    if finish < len(text):
        out.append("…")
    return "".join(out)


def search_paragraphs(db: sqlite3.Connection, user_text: str, limit: int = 20, *,
                      marks: tuple[str, str] = (HIT_OPEN, HIT_CLOSE)) -> list[ParagraphHit]:
    """Paragraphs matching every word, best first (bm25), with a snippet each.

    Ranking runs on the index alone, over at most :data:`RANK_CAP` of the most
    recent matches; snippets are made for the returned rows only.
    """
    query = fts_query(user_text)
    if query is None:
        return []
    ranked = db.execute(
        "SELECT rowid, score FROM ("
        "  SELECT rowid, bm25(paragraph_fts) AS score FROM paragraph_fts"
        "  WHERE paragraph_fts MATCH :query ORDER BY rowid DESC LIMIT :cap"
        ") ORDER BY score, rowid DESC LIMIT :limit",
        {"query": query, "cap": RANK_CAP, "limit": limit},
    ).fetchall()
    if not ranked:
        return []
    ids = [row[0] for row in ranked]
    paragraphs = {row[0]: row for row in db.execute(
        f'SELECT id, letter_id, ordinal, start, "end", text FROM paragraph '
        f'WHERE id IN ({",".join("?" * len(ids))})', ids,
    )}
    words = _WORD.findall(user_text)
    prefix_last = query.endswith("*")
    hits = []
    for rowid, score in ranked:
        if rowid not in paragraphs:
            continue
        _id, letter_id, ordinal, start, end, text = paragraphs[rowid]
        hits.append(ParagraphHit(rowid, letter_id, ordinal, start, end,
                                 make_snippet(text, words, prefix_last=prefix_last,
                                              marks=marks), score))
    return hits


def index_problems(db: sqlite3.Connection) -> list[str]:
    """What is wrong with the FTS index against the paragraph table (empty when sound).

    FTS5's own ``integrity-check`` needs a writable connection; on a read-only
    store the index's per-row table is compared with the paragraphs instead.
    """
    try:
        db.execute("INSERT INTO paragraph_fts(paragraph_fts, rank) VALUES ('integrity-check', 1)")
        return []
    except error_classes("OperationalError") as exc:
        if "readonly" not in str(exc).replace("-", "").replace(" ", ""):
            return [f"search index: {exc}"]
    except error_classes("DatabaseError") as exc:
        return [f"search index: {exc}"]
    missing = db.execute(
        "SELECT count(*) FROM paragraph p LEFT JOIN paragraph_fts_docsize d ON d.id = p.id "
        "WHERE d.id IS NULL").fetchone()[0]
    extra = db.execute(
        "SELECT count(*) FROM paragraph_fts_docsize d LEFT JOIN paragraph p ON p.id = d.id "
        "WHERE p.id IS NULL").fetchone()[0]
    problems = []
    if missing:
        problems.append(f"search index: {missing} paragraphs are not indexed")
    if extra:
        problems.append(f"search index: {extra} entries have no paragraph")
    return problems
