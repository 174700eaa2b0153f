"""Search as people type it: every word required, diacritics and case ignored, exact
words first, then stemmed ones, then the last word as a prefix; names match as names
(see :mod:`briefing_app.store.search`)."""

from __future__ import annotations

from briefing_app.errors import InvalidInput
from briefing_app.read_models import SearchHit
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.search import HIT_CLOSE, HIT_OPEN, search_paragraphs


class SearchService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def search(self, query: str, limit: int = 20, *,
               marks: tuple[str, str] = (HIT_OPEN, HIT_CLOSE)) -> list[SearchHit]:
        """Paragraphs matching ``query``, best first, each with a snippet and how it
        matched (``match``: "exact", "stemmed" or "prefix", in that order).

        ``marks`` surround matched words in snippets ("[" and "]" by default).
        """
        if limit < 1:
            raise InvalidInput(f"--limit: must be 1 or more, not {limit}")
        with self.store.read() as db:
            hits = search_paragraphs(db, query, limit, marks=marks)
            titles = queries.letter_titles(db, {hit.letter_id for hit in hits})
        return [
            SearchHit(hit.letter_id, titles.get(hit.letter_id, ""), hit.ordinal, hit.start,
                      hit.end, hit.snippet, round(hit.score, 4), hit.tier.name.lower())
            for hit in hits
        ]
