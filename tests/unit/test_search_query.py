from __future__ import annotations

import pytest

from briefing_app.store.search import (
    EXACT_INDEX,
    STEMMED_INDEX,
    Tier,
    TierQuery,
    make_snippet,
    query_words,
    tier_queries,
)


@pytest.mark.parametrize(("typed", "match"), [
    ("Rakusan", '"Rakusan"'),
    ('"unbalanced', '"unbalanced"'),
    ("AND OR *", '"AND" "OR"'),
    ("return (hubs) NEAR/3", '"return" "hubs" "NEAR" "3"'),
    ("Türkiye's", '"Türkiye" "s"'),
])
def test_user_text_becomes_plain_quoted_words(typed: str, match: str) -> None:
    plans = tier_queries(query_words(typed), prefix_last=False)
    assert plans == [TierQuery(Tier.EXACT, EXACT_INDEX, match),
                     TierQuery(Tier.STEMMED, STEMMED_INDEX, match)]


def test_nothing_to_search_gives_no_query() -> None:
    assert tier_queries(query_words('*** () "'), prefix_last=True) == []
    assert tier_queries(["*", ""], prefix_last=True) == []


def test_only_the_last_word_of_three_letters_or_more_is_a_prefix() -> None:
    assert tier_queries(["migr"], prefix_last=True) == [
        TierQuery(Tier.EXACT, EXACT_INDEX, '"migr"'),
        TierQuery(Tier.STEMMED, STEMMED_INDEX, '"migr"'),
        TierQuery(Tier.PREFIX, EXACT_INDEX, '"migr"*'),
    ]
    # a prefix of under 3 letters would match half the index
    assert [p.tier for p in tier_queries(["AND", "OR"], prefix_last=True)] == [
        Tier.EXACT, Tier.STEMMED]
    assert tier_queries(["retu", "migration"], prefix_last=True)[2:] == [
        TierQuery(Tier.PREFIX, EXACT_INDEX, '"retu" "migration"*'),
        # then the words before the prefix by their stems, the prefix still as written
        TierQuery(Tier.PREFIX, EXACT_INDEX, '"migration"*', also=((STEMMED_INDEX, '"retu"'),)),
    ]


def test_words_are_split_whatever_the_caller_passes() -> None:
    assert tier_queries(['Aleš Hojs"*'], prefix_last=False)[0].match == '"Aleš" "Hojs"'


def test_name_words_match_as_written_in_every_tier() -> None:
    # a query of names only: the exact tier alone
    assert tier_queries(["Aleš"], prefix_last=True, names={"ales"}) == [
        TierQuery(Tier.EXACT, EXACT_INDEX, '"Aleš"')]
    assert tier_queries(["Vít", "Rakušan"], prefix_last=True, names={"vit", "rakusan"}) == [
        TierQuery(Tier.EXACT, EXACT_INDEX, '"Vít" "Rakušan"')]
    # with other words: stemmed, the names held as written; the last word a prefix
    assert tier_queries(["Rakusan", "readm"], prefix_last=True, names={"rakusan"}) == [
        TierQuery(Tier.EXACT, EXACT_INDEX, '"Rakusan" "readm"'),
        TierQuery(Tier.STEMMED, STEMMED_INDEX, '"Rakusan" "readm"',
                  also=((EXACT_INDEX, '"Rakusan"'),)),
        TierQuery(Tier.PREFIX, EXACT_INDEX, '"Rakusan" "readm"*'),
    ]
    # before a prefix, a name stays with the prefix in the exact index
    assert tier_queries(["Hojs", "contacts", "ser"], prefix_last=True, names={"hojs"})[3] == (
        TierQuery(Tier.PREFIX, EXACT_INDEX, '"Hojs" "ser"*',
                  also=((STEMMED_INDEX, '"contacts"'),)))
    # a name typed last is never a prefix
    assert [p.tier for p in tier_queries(["returns", "Niger"], prefix_last=True,
                                         names={"niger"})] == [Tier.EXACT, Tier.STEMMED]


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


def test_snippets_mark_name_words_as_written_only() -> None:
    text = "Niger and Nigeria, Nigerian partners"
    assert make_snippet(text, ["Niger"], prefix_last=True, names={"niger"}) == (
        "[Niger] and Nigeria, Nigerian partners")
    assert make_snippet(text, ["Niger"], prefix_last=True) == (
        "[Niger] and [Nigeria], [Nigerian] partners")
    # stems of a name are not marked either ("Hojs" is not "Hoj")
    assert make_snippet("Minister Hoj, Aleš Hojs", ["Hojs"], prefix_last=False,
                        names={"hojs"}) == "Minister Hoj, Aleš [Hojs]"
