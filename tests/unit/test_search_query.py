from __future__ import annotations

import pytest

from briefing_app.store.search import fts_query


@pytest.mark.parametrize(("typed", "query"), [
    ("Rakusan", '"Rakusan"*'),
    ('"unbalanced', '"unbalanced"*'),
    ("AND OR *", '"AND" "OR"*'),
    ("return (hubs) NEAR/3", '"return" "hubs" "NEAR" "3"*'),
    ("Türkiye's", '"Türkiye" "s"*'),
    ("*** () \"", None),
])
def test_user_text_becomes_plain_quoted_words(typed: str, query: str | None) -> None:
    assert fts_query(typed) == query
