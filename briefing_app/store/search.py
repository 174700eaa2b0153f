"""Full-text search over letter paragraphs (SQLite FTS5), ranked in tiers.

Two indexes hold every paragraph, both folding case and diacritics
(``unicode61 remove_diacritics 2``, so "Rakusan" finds "Rakušan"):
``paragraph_exact`` keeps words as written, ``paragraph_fts`` also stems
English words (``porter``: "returns" and "returned" are kept as "return").

What the user typed is split into words (``\\w+``: FTS5 syntax such as quotes,
``*``, ``AND`` or parentheses is never passed on, so no query can raise) and
every word is required, in any order. A paragraph matches at the first of
these tiers it meets, and appears once, at that tier:

0. **exact** — every word as written (``paragraph_exact``);
1. **stemmed** — every word, or a word of the same stem (``paragraph_fts``);
2. **prefix** — the last word as the beginning of a longer word, asked of
   ``paragraph_exact`` so the partial word is never stemmed ("Ales" begins
   "Alessandro"; it is not cut to "al" to begin "Alliance", and "Egy" is not
   made "egi", which begins no "Egypt"); paragraphs holding the words before
   it as written first, then those holding them by their stems (the stemmed
   index as a filter). Only the word being typed last is expanded, and only
   from :data:`MIN_PREFIX` letters on.

Hits come tier by tier, best bm25 first within each of a tier's queries (the
index asked scores it; scores of different queries are not compared). Each
query ranks among at most :data:`RANK_CAP` of its most recent matches, so a
very common word answers in milliseconds on a large store; a later query is
asked only for the rows still wanted, and not at all once enough are found. A
filter by the other index is a subquery run once per query, never a lookup
per row.

**Names match as names.** A word that is a word of a person's name in the
store (``person.key``, the folded name; every ``letterrole.name_as_written``
folds to its person's key, see ``services/recording.py``) or of a partner
country's name or alias is matched as written only: never stemmed, never
expanded as a prefix ("Aleš" finds "Aleš", not "Alliance"; "Niger" finds
"Niger", not "Nigeria"). In the stemmed tier the other words are stemmed and
the paragraph must also hold each name word as written (the exact index as a
filter); a query of names only has the exact tier alone. See
:func:`name_words` for what counts as a name word.

:func:`ranked_paragraphs` is the ranking alone (paragraph ids, tiers and
scores, for any caller), :func:`search_paragraphs` the search the app shows,
with snippets made for the returned rows only (:func:`make_snippet`).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from briefing_app.store import pg_search
from briefing_app.store.engine import error_classes
from briefing_app.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)

#: Marks around matched words in snippets.
HIT_OPEN = "["
HIT_CLOSE = "]"

#: The two indexes of the paragraphs (migrations 0001 and 0003).
EXACT_INDEX = "paragraph_exact"
STEMMED_INDEX = "paragraph_fts"

#: The last word typed matches as a prefix only from this length on: "a*" or "co*"
#: would expand to thousands of terms while the user is still typing.
MIN_PREFIX = 3

#: Each tier ranks among at most this many of its most recently imported matches,
#: so that a very common word ("the", "migration") still answers in milliseconds on a
#: large store.
RANK_CAP = 2000

#: Name words shorter than this need no care: FTS5's porter stemmer leaves words
#: of one or two letters as they are, and they are never expanded as prefixes.
_SHORTEST_NAME_WORD = 3

#: Words tested against the people per pass (SQLite allows expressions 1,000 deep).
_WORDS_PER_PASS = 200

#: Words that join the words of a name without being names themselves ("Ursula von
#: der Leyen", "Bosnia and Herzegovina", "The Gambia"): they stay ordinary words.
NAME_PARTICLES = frozenset(
    "and the of for von van der den del della des dos das les ter ten bin ibn".split())


class Tier(IntEnum):
    """How a paragraph matched the words, best first (see the module docstring)."""

    EXACT = 0
    STEMMED = 1
    PREFIX = 2


@dataclass(frozen=True)
class RankedParagraph:
    paragraph_id: int
    tier: Tier
    score: float  # bm25 in the index asked: lower is better; compare within a tier only


@dataclass(frozen=True)
class TierQuery:
    """One tier's question: paragraphs matching ``match`` (an FTS5 query of quoted
    words) in ``index``, ranked by its bm25, that also match each ``(index, match)``
    of ``also`` (a filter: the name words as written, or the words before a prefix
    by their stems)."""

    tier: Tier
    index: str
    match: str
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ParagraphHit:
    paragraph_id: int
    letter_id: int
    ordinal: int
    start: int
    end: int
    snippet: str
    score: float
    tier: Tier


def query_words(user_text: str) -> list[str]:
    """The words of what a user typed (runs of letters and digits), in order."""
    return _WORD.findall(user_text)


def tier_queries(words: Sequence[str], *, prefix_last: bool,
                 names: Collection[str] = frozenset()) -> list[TierQuery]:
    """The FTS5 queries of the tiers for ``words``, in order: every word quoted
    (nothing but ``\\w+`` runs pass, so no text is read as query syntax) and required.

    ``names`` are folded name words (:func:`name_words`): they are matched as
    written in every tier and are never the prefix. The prefix tier exists only
    when ``prefix_last`` is set and the last word has :data:`MIN_PREFIX` letters or
    more; it asks first for the words before the prefix as written, then by their
    stems. Empty when ``words`` hold no word.
    """
    tokens = [token for word in words for token in _WORD.findall(word)]
    if not tokens:
        return []
    folded_names = {fold(name) for name in names}
    is_name = [fold(token) in folded_names for token in tokens]
    quoted = [f'"{token}"' for token in tokens]
    every = " ".join(quoted)
    held = " ".join(q for q, name in zip(quoted, is_name, strict=True) if name)
    plans = [TierQuery(Tier.EXACT, EXACT_INDEX, every)]
    if not all(is_name):
        # the names are in the stemmed query too: it narrows the rows the filter sees
        plans.append(TierQuery(Tier.STEMMED, STEMMED_INDEX, every,
                               ((EXACT_INDEX, held),) if held else ()))
    if prefix_last and len(tokens[-1]) >= MIN_PREFIX and not is_name[-1]:
        plans.append(TierQuery(Tier.PREFIX, EXACT_INDEX, every + "*"))
        before = " ".join(q for q, name in zip(quoted[:-1], is_name, strict=False)
                          if not name)
        if before:
            # a stemmed prefix would be wrong both ways ("Ales"* is cut to "al"*, "Egy"*
            # to "egi"*, which begins no "Egypt"): the prefix is asked of the exact index
            plans.append(TierQuery(Tier.PREFIX, EXACT_INDEX,
                                   " ".join([*(q for q, name in zip(quoted, is_name,
                                                                   strict=True) if name),
                                             quoted[-1] + "*"]),
                                   ((STEMMED_INDEX, before),)))
    return plans


def _rank_tier(db: sqlite3.Connection, plan: TierQuery, *, need: int, cap: int,
               seen: Sequence[int], exclude_letter_id: int | None) -> list[RankedParagraph]:
    """The ``need`` best of the ``cap`` most recent paragraphs matching ``plan`` that
    are not in ``seen`` nor of ``exclude_letter_id``."""
    if pg_search.is_postgres(db):
        return _rank_tier_pg(db, plan, need=need, cap=cap, seen=seen,
                             exclude_letter_id=exclude_letter_id)
    index = plan.index  # the indexes are constants, never user text
    where = [f"{index} MATCH :match"]
    params: dict[str, object] = {"match": plan.match, "cap": cap, "need": need}
    # "+rowid": a filter on the rows the MATCH yields (each subquery is run once), not
    # a lookup per value, which FTS5 would answer by running its query again each time
    for number, (other, match) in enumerate(plan.also):
        where.append(f"+rowid IN (SELECT rowid FROM {other} WHERE {other} MATCH :also{number})")
        params[f"also{number}"] = match
    if exclude_letter_id is not None:
        where.append("+rowid NOT IN (SELECT id FROM paragraph WHERE letter_id = :own)")
        params["own"] = exclude_letter_id
    if seen:
        where.append(f"+rowid NOT IN ({', '.join(f':seen{i}' for i in range(len(seen)))})")
        params.update({f"seen{i}": paragraph_id for i, paragraph_id in enumerate(seen)})
    rows = db.execute(
        f"SELECT rowid, score FROM ("
        f"  SELECT rowid, bm25({index}) AS score FROM {index}"
        f"  WHERE {' AND '.join(where)} ORDER BY rowid DESC LIMIT :cap"
        f") ORDER BY score, rowid DESC LIMIT :need", params).fetchall()
    return [RankedParagraph(int(row[0]), plan.tier, float(row[1])) for row in rows]


def _rank_tier_pg(db: sqlite3.Connection, plan: TierQuery, *, need: int, cap: int,
                  seen: Sequence[int], exclude_letter_id: int | None) -> list[RankedParagraph]:
    """:func:`_rank_tier` on the team store (:mod:`briefing_app.store.pg_search`)."""
    extra: list[str] = []
    params: dict[str, object] = {}
    if exclude_letter_id is not None:
        extra.append("s.id NOT IN (SELECT id FROM paragraph WHERE letter_id = :own)")
        params["own"] = exclude_letter_id
    if seen:
        extra.append("s.id <> ALL(CAST(:seen AS bigint[]))")
        params["seen"] = list(seen)
    return [RankedParagraph(paragraph_id, plan.tier, score) for paragraph_id, score in
            pg_search.ranked(db, plan.index, plan.match, also=plan.also,
                             extra=" AND ".join(extra), params=params, newest=cap,
                             limit=need)]


def ranked_paragraphs(db: sqlite3.Connection, words: Sequence[str], *, prefix_last: bool,
                      names: Collection[str] = frozenset(),
                      exclude_letter_id: int | None = None, limit: int,
                      cap: int = RANK_CAP) -> list[RankedParagraph]:
    """The ``limit`` paragraphs that best match every one of ``words``: tier by tier
    (exact, stemmed, prefix; :func:`tier_queries`), best bm25 first within each
    query, each paragraph once, at its best tier.

    ``words`` may be anything (only their ``\\w+`` runs are searched); ``names``
    are the folded words to match as names (:func:`name_words`);
    ``prefix_last`` lets the last word match as the beginning of a word (as one
    types); ``exclude_letter_id`` leaves that letter's paragraphs out. Each tier
    ranks among at most ``cap`` (at least ``limit``) of its most recent matches.
    """
    if limit < 1:
        return []
    cap = max(cap, limit)
    found: list[RankedParagraph] = []
    for plan in tier_queries(words, prefix_last=prefix_last, names=names):
        need = limit - len(found)
        if need <= 0:
            break
        # a tier that gave fewer rows than it was asked for gave all it has, so the
        # next one need only leave out the rows already found
        found += _rank_tier(db, plan, need=need, cap=cap,
                            seen=[hit.paragraph_id for hit in found],
                            exclude_letter_id=exclude_letter_id)
    return found


def name_words(db: sqlite3.Connection, words: Iterable[str]) -> frozenset[str]:
    """Which of ``words`` (folded) are words of a name in the store: of a person's
    name (``person.key``, the folded name, which every ``letterrole.name_as_written``
    folds to) or of a partner country's name or alias.

    Words under three letters and the particles that join names
    (:data:`NAME_PARTICLES`: "von", "der", "and", "the"…) are not counted: they match
    alike either way. Two small queries: one pass over the people keeps the keys
    holding any of the words (``LIKE``, nothing loaded for the others; one more
    pass per :data:`_WORDS_PER_PASS` words), whose words are then compared; the
    partner countries, a short catalogue, are read whole.
    """
    wanted = sorted({folded for word in words for token in _WORD.findall(word)
                     if len(folded := fold(token)) >= _SHORTEST_NAME_WORD
                     and folded not in NAME_PARTICLES})
    if not wanted:
        return frozenset()
    found: set[str] = set()
    for first in range(0, len(wanted), _WORDS_PER_PASS):
        chunk = wanted[first:first + _WORDS_PER_PASS]
        holding = " OR ".join("key LIKE ? ESCAPE '\\'" for _ in chunk)
        for (key,) in db.execute(f"SELECT key FROM person WHERE {holding}",
                                 [f"%{pg_search.escaped(word)}%" for word in chunk]):
            found.update(_WORD.findall(key))
    for name, aliases in db.execute("SELECT name, aliases FROM partnercountry"):
        try:
            listed = json.loads(aliases or "[]")
        except ValueError:
            listed = []
        for text in [name, *(alias for alias in listed if isinstance(alias, str))]:
            found.update(_WORD.findall(fold(text)))
    return frozenset(found.intersection(wanted))


def _light_stem(folded: str) -> str:
    """A rough English stem for highlighting ("returns", "returned" -> "return")."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def make_snippet(text: str, words: list[str], *, prefix_last: bool,
                 names: Collection[str] = frozenset(),
                 marks: tuple[str, str] = (HIT_OPEN, HIT_CLOSE), size: int = 16) -> str:
    """A window of about ``size`` words of ``text`` around its best run of matches,
    with matched words between ``marks`` and "…" where text is cut.

    A word matches as written, by a rough stem, or (the last word, with
    ``prefix_last``) as a prefix; a name word (in ``names``, folded) as written
    only. Which paragraphs match is decided by the index; this only shows where.
    """
    folded_names = {fold(name) for name in names}
    wanted = [fold(word) for word in words]
    stems = {_light_stem(word) for word in wanted if word not in folded_names}
    last = wanted[-1] if (prefix_last and wanted and len(wanted[-1]) >= MIN_PREFIX
                          and wanted[-1] not in folded_names) else None
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return text[:200]

    def matches(token: str) -> bool:
        folded = fold(token)
        if folded in wanted:
            return True
        if folded in folded_names:  # a name matches as written only (just above)
            return False
        return (_light_stem(folded) in stems
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
    """Paragraphs matching every word of ``user_text``, best first (exact, then
    stemmed, then prefix; bm25 within each), with a snippet each.

    The last word also matches as a prefix, so results appear as one types; the
    store's names match as names (:func:`name_words`). Ranking runs on the indexes
    alone; snippets are made for the returned rows only.
    """
    words = query_words(user_text)
    if not words:
        return []
    names = name_words(db, words)
    ranked = ranked_paragraphs(db, words, prefix_last=True, names=names, limit=limit)
    if not ranked:
        return []
    ids = [hit.paragraph_id for hit in ranked]
    paragraphs = {row[0]: row for row in db.execute(
        f'SELECT id, letter_id, ordinal, start, "end", text FROM paragraph '
        f'WHERE id IN ({",".join("?" * len(ids))})', ids,
    )}
    hits = []
    for hit in ranked:
        if hit.paragraph_id not in paragraphs:
            continue
        _id, letter_id, ordinal, start, end, text = paragraphs[hit.paragraph_id]
        snippet = make_snippet(text, words, prefix_last=True, names=names, marks=marks)
        hits.append(ParagraphHit(hit.paragraph_id, letter_id, ordinal, start, end, snippet,
                                 hit.score, hit.tier))
    return hits


#: The full-text indexes of the store: (index, the table it indexes, how a message names it).
INDEXES = (("paragraph_fts", "paragraph", "search index"),
           ("paragraph_exact", "paragraph", "exact-word search index"),
           ("commitment_fts", "commitment", "commitment index"))


def index_problems(db: sqlite3.Connection) -> list[str]:
    """What is wrong with the full-text indexes against the tables they index (empty when
    sound).

    FTS5's own ``integrity-check`` needs a writable connection; on a read-only
    store each index's per-row table is compared with its table instead. The team
    store's indexes are checked by :func:`briefing_app.store.pg_search.index_problems`.
    """
    if pg_search.is_postgres(db):
        return pg_search.index_problems(db)
    problems: list[str] = []
    for index, table, name in INDEXES:
        problems += _index_problems(db, index, table, name)
    return problems


def _index_problems(db: sqlite3.Connection, index: str, table: str, name: str) -> list[str]:
    try:
        db.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        return []
    except error_classes("OperationalError") as exc:
        if "readonly" not in str(exc).replace("-", "").replace(" ", ""):
            return [f"{name}: {exc}"]
    except error_classes("DatabaseError") as exc:
        return [f"{name}: {exc}"]
    missing = db.execute(
        f"SELECT count(*) FROM {table} p LEFT JOIN {index}_docsize d ON d.id = p.id "
        "WHERE d.id IS NULL").fetchone()[0]
    extra = db.execute(
        f"SELECT count(*) FROM {index}_docsize d LEFT JOIN {table} p ON p.id = d.id "
        "WHERE p.id IS NULL").fetchone()[0]
    problems = []
    if missing:
        problems.append(f"{name}: {missing} {table}s are not indexed")
    if extra:
        problems.append(f"{name}: {extra} entries have no {table}")
    return problems
