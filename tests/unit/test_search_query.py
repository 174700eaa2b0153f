from __future__ import annotations

import pytest

from briefing_app.store.search import fts_query, make_snippet


@pytest.mark.parametrize(("typed", "query"), [
    ("Rakusan", '"Rakusan"*'),
    ('"unbalanced', '"unbalanced"*'),
    ("AND OR *", '"AND" "OR"'),  # a prefix of under 3 letters would match half the index
    ("return (hubs) NEAR/3", '"return" "hubs" "NEAR" "3"'),
    ("Türkiye's", '"Türkiye" "s"'),
    ("migr", '"migr"*'),
    ("*** () \"", None),
])
def test_user_text_becomes_plain_quoted_words(typed: str, query: str | None) -> None:
    assert fts_query(typed) == query


@pytest.mark.parametrize(("text", "words", "prefix", "snippet"), [
    ("The returns from North Africa have intensified.", ["return"], False,
     "The [returns] from North Africa have intensified."),
    ("Mr Vít Rakušan 1st Deputy Prime Minister", ["rakusan"], False,
     "Mr Vít [Rakušan] 1st Deputy Prime Minister"),
    ("one two three four five six seven eight nine ten Tunisia eleven twelve", ["Tun"], True,
     "…four five six seven eight nine ten [Tunisia] eleven twelve"),
    ("<b>R&D</b> 5 < 7", ["R"], False, "<b>[R]&D</b> 5 < 7"),
])
def test_snippets_mark_the_matched_words(text: str, words: list[str], prefix: bool,
                                         snippet: str) -> None:
    assert make_snippet(text, words, prefix_last=prefix, size=10) == snippet
