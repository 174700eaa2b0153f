"""Search ranks exact words first, then stemmed ones, then prefixes; names match as names.

Every test runs on a real seeded store (tmp_path); the expected paragraphs are
read from the store's own text, so each assertion says which passage and why.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_app.services import Services, open_services
from briefing_app.store.search import (
    RankedParagraph,
    Tier,
    name_words,
    ranked_paragraphs,
    search_paragraphs,
)
from briefing_app.text import fold
from tests.helpers.cli import cli

#: A short letter of our own, modelled on the Slovenian interior minister's letters
#: of 2021: letterhead, date, addressee, salutation, body, signature.
HOJS_LETTER = """\
REPUBLIC OF SLOVENIA
MINISTRY OF THE INTERIOR

Ljubljana, 8 March 2021

Ms Ylva Johansson
Commissioner for Home Affairs
European Commission
Brussels

Dear Commissioner,

Slovenia takes over the Presidency of the Council in July, and I would like to set out \
early how we intend to move the files of the Pact on Migration and Asylum forward during \
those six months.

We will give priority to the screening regulation and to Eurodac, where the positions of \
the Member States are closest, and we will hold an informal meeting of interior ministers \
at Brdo in July to look for a common approach on solidarity.

For the whole Presidency, the cabinet of Minister Aleš Hojs will be the contact point for \
your services on these files, so that questions can be settled quickly between our teams.

I look forward to our continued cooperation.

Yours sincerely,

Aleš Hojs
Minister of the Interior
"""
SIGNATURE = "Aleš Hojs\nMinister of the Interior"
BODY = HOJS_LETTER[HOJS_LETTER.index("For the whole Presidency"):
                   HOJS_LETTER.index("between our teams.") + len("between our teams.")]


def _span(passage: str) -> tuple[int, int]:
    start = HOJS_LETTER.index(passage)
    return start, start + len(passage)


def _words(text: str) -> set[str]:
    return {fold(word) for word in re.findall(r"\w+", text)}


def _paragraph_words(path: Path) -> dict[int, set[str]]:
    with sqlite3.connect(path) as db:
        return {pid: _words(text) for pid, text in db.execute("SELECT id, text FROM paragraph")}


def _ranked(path: Path, query: str, *, limit: int = 100) -> list[RankedParagraph]:
    with sqlite3.connect(path) as db:
        words = query.split()
        return ranked_paragraphs(db, words, prefix_last=True, names=name_words(db, words),
                                 limit=limit)


@pytest.fixture
def hojs(services: Services, tmp_path: Path) -> int:
    """The seeded store with the letter from Aleš Hojs imported; its letter id."""
    path = tmp_path / "hojs-2021-03-08.txt"
    path.write_text(HOJS_LETTER, encoding="utf-8")
    result = services.letters.import_file(path)
    assert result.outcome == "imported" and result.letter_id is not None
    return result.letter_id


# ------------------------------------------------------------------------ names


@pytest.mark.parametrize("typed", ["Aleš", "Ales", "ALES", "aleš"])
def test_a_name_finds_the_letter_naming_the_person_first(services: Services, hojs: int,
                                                         typed: str) -> None:
    hits = services.search.search(typed)
    # his signature (the shorter passage, so the better bm25), then the body naming him;
    # nothing else: "Aleš" is a name in this store, never stemmed ("al") nor a prefix
    assert [(h.letter_id, h.paragraph, h.start, h.end, h.match) for h in hits] == [
        (hojs, 9, *_span(SIGNATURE), "exact"),
        (hojs, 6, *_span(BODY), "exact"),
    ]
    assert hits[0].snippet == "[Aleš] Hojs Minister of the Interior"
    assert "[Aleš] Hojs will be the contact point" in hits[1].snippet


def test_the_alliance_passages_that_used_to_come_first_come_after(services: Services,
                                                                  hojs: int) -> None:
    with services.store.read() as db:
        # what the search asked before: the stemmed index, the word as a prefix ("al"*)
        old = [row[0] for row in db.execute(
            "SELECT rowid FROM paragraph_fts WHERE paragraph_fts MATCH '\"Aleš\"*' "
            "ORDER BY bm25(paragraph_fts)")]
        alliance = {row[0] for row in db.execute(
            "SELECT id FROM paragraph WHERE text LIKE '%Alliance%'")}
        hojs_paragraphs = {row[0] for row in db.execute(
            "SELECT id FROM paragraph WHERE letter_id = ? AND text LIKE '%Aleš%'", (hojs,))}
    assert len(old) > 20 and alliance <= set(old[:20]) and old[0] in alliance
    # now: the letter naming him, and only after it (here: never) anything else
    hits = services.search.search("Ales", limit=50)
    with services.store.read() as db:
        found = [row[0] for row in db.execute(
            "SELECT p.id FROM paragraph p WHERE p.letter_id = ? ORDER BY p.ordinal DESC",
            (hojs,)) if row[0] in hojs_paragraphs]
    assert len(hits) == len(found) == 2
    assert {h.letter_id for h in hits} == {hojs}
    assert not any("Alliance" in h.snippet for h in hits)


def test_the_cli_searches_a_name_as_typed_with_or_without_its_diacritics(
        seeded_path: Path, tmp_path: Path) -> None:
    letter = tmp_path / "hojs.txt"
    letter.write_text(HOJS_LETTER, encoding="utf-8")
    imported = cli("--db", seeded_path, "import", letter)
    assert imported.code == 0, imported.err
    for typed in ("Aleš", "Ales"):
        hits = cli("--db", seeded_path, "search", typed, "--format", "json").json()
        assert [(h["letter_id"], h["start"], h["end"], h["match"]) for h in hits] == [
            (6, *_span(SIGNATURE), "exact"), (6, *_span(BODY), "exact")]


def test_the_store_names_are_its_people_and_partner_countries(services: Services,
                                                              hojs: int) -> None:
    with services.store.read() as db:
        found = name_words(db, ["Aleš", "hojs", "Rakusan", "Marian-Cătălin", "Leyen", "von",
                                "der", "Türkiye", "Turkey", "Niger", "Gambia", "The",
                                "and", "Bosnia", "return", "Alliance", "Ale", "Ylva"])
    # people by every word of their name (hyphenated ones too), countries by name and
    # alias; the particles that join names ("von der", "and", "The") are no names
    assert found == {"ales", "hojs", "rakusan", "marian", "catalin", "leyen", "turkiye",
                     "turkey", "niger", "gambia", "bosnia", "ylva"}


# ---------------------------------------------------------------- countries as names


@pytest.mark.parametrize(("typed", "holding", "not_holding"), [
    # the 15 operational measures: "…with Morocco, Niger, and the Western Balkans"
    # (paragraph 45) and "…Egypt, Morocco, Tunisia, and Nigeria" (paragraph 44)
    ("Niger", "niger", "nigeria"),
    ("Nigeria", "nigeria", "niger"),
    # "the conditions … for the safe and voluntary return of Syrian refugees … in Syria"
    ("Syria", "syria", "syrian"),
    # the 10 points of action name Mali, the ministers' joint letter Malta
    ("Mali", "mali", "malta"),
])
def test_a_country_matches_as_a_name(seeded_path: Path, typed: str, holding: str,
                                     not_holding: str) -> None:
    words = _paragraph_words(seeded_path)
    expected = {pid for pid, held in words.items() if holding in held}
    ranked = _ranked(seeded_path, typed)
    assert {hit.paragraph_id for hit in ranked} == expected
    assert {hit.tier for hit in ranked} == {Tier.EXACT}
    assert any(not_holding in words[pid] and pid not in expected for pid in words)


def test_niger_is_not_nigeria(seeded_path: Path) -> None:
    assert [(h.paragraph_id, h.tier) for h in _ranked(seeded_path, "Niger")] == [
        (45, Tier.EXACT)]
    assert [(h.paragraph_id, h.tier) for h in _ranked(seeded_path, "Nigeria")] == [
        (44, Tier.EXACT)]
    # a word that is no name still begins longer words as one types it
    assert [(h.paragraph_id, h.tier) for h in _ranked(seeded_path, "Nige")] == [
        (45, Tier.PREFIX), (44, Tier.PREFIX)]
    with sqlite3.connect(seeded_path) as db:
        assert [(h.letter_id, h.start, h.end) for h in search_paragraphs(db, "Niger")] == [
            (1, 13873, 14303)]


# ---------------------------------------------------- exact, then stemmed, then prefix


def _tiers_by_words(path: Path, exact: str, stemmed: set[str],
                    prefix: str) -> dict[Tier, set[int]]:
    """The paragraphs of each tier for a one-word query, read from their words."""
    tiers: dict[Tier, set[int]] = {Tier.EXACT: set(), Tier.STEMMED: set(), Tier.PREFIX: set()}
    for pid, held in _paragraph_words(path).items():
        if exact in held:
            tiers[Tier.EXACT].add(pid)
        elif held & stemmed:
            tiers[Tier.STEMMED].add(pid)
        elif any(word.startswith(prefix) for word in held):
            tiers[Tier.PREFIX].add(pid)
    return tiers


def test_exact_words_rank_before_stemmed_ones_and_those_before_prefixes(
        seeded_path: Path) -> None:
    ranked = _ranked(seeded_path, "partner")
    tiers = [hit.tier for hit in ranked]
    assert tiers == sorted(tiers)
    by_tier = {tier: {h.paragraph_id for h in ranked if h.tier == tier} for tier in Tier}
    # "partner" as written in 5 paragraphs; "partners" (the same stem) but not "partner"
    # in 13; only "partnership(s)" (another stem, but "partner" begins it) in 2
    assert by_tier == _tiers_by_words(seeded_path, "partner", {"partners"}, "partner")
    assert [len(by_tier[tier]) for tier in Tier] == [5, 13, 2]
    assert [h.paragraph_id for h in ranked if h.tier == Tier.PREFIX] == [129, 92]
    assert all(a.score <= b.score for a, b in itertools.pairwise(ranked)
               if a.tier == b.tier)


def test_return_ranks_the_word_itself_before_returns_and_returned(seeded_path: Path) -> None:
    ranked = _ranked(seeded_path, "return")
    expected = _tiers_by_words(seeded_path, "return",
                               {"returns", "returned", "returning"}, "return")
    by_tier = {tier: {h.paragraph_id for h in ranked if h.tier == tier} for tier in Tier}
    # every paragraph holding a word that begins "return" also holds one of its stem
    assert by_tier == expected and [len(by_tier[t]) for t in Tier] == [19, 9, 0]
    first_stemmed = [h.tier for h in ranked].index(Tier.STEMMED)
    assert first_stemmed == 19
    words = _paragraph_words(seeded_path)
    assert all("return" in words[h.paragraph_id] for h in ranked[:19])
    assert all("return" not in words[h.paragraph_id] for h in ranked[19:])


def test_a_prefix_finds_every_word_it_begins(seeded_path: Path) -> None:
    words = _paragraph_words(seeded_path)
    ranked = _ranked(seeded_path, "retu")
    assert {h.paragraph_id for h in ranked} == {
        pid for pid, held in words.items() if any(w.startswith("retu") for w in held)}
    assert len(ranked) == 28 and {h.tier for h in ranked} == {Tier.PREFIX}


def test_only_the_word_typed_last_is_a_prefix(seeded_path: Path) -> None:
    words = _paragraph_words(seeded_path)
    assert _ranked(seeded_path, "retu migration") == []
    typing = _ranked(seeded_path, "migration retu")
    assert {h.paragraph_id for h in typing} == {
        pid for pid, held in words.items()
        if "migration" in held and any(w.startswith("retu") for w in held)}
    assert len(typing) == 12 and {h.tier for h in typing} == {Tier.PREFIX}
    # "Nig" is no name: it begins "Niger" and "Nigeria"; "Niger", a name, begins nothing
    assert [h.paragraph_id for h in _ranked(seeded_path, "Tunisia Nig")] == [45, 44]
    assert [(h.paragraph_id, h.tier) for h in _ranked(seeded_path, "Tunisia Niger")] == [
        (45, Tier.EXACT)]


def test_before_a_prefix_the_words_as_written_come_before_their_stems(
        seeded_path: Path) -> None:
    words = _paragraph_words(seeded_path)
    ranked = _ranked(seeded_path, "returns Tun")
    assert [(h.paragraph_id, h.tier) for h in ranked] == [
        (44, Tier.PREFIX), (131, Tier.PREFIX), (27, Tier.PREFIX)]
    assert "returns" in words[44] & words[131] and "tunisia" in words[44] & words[131]
    assert "returns" not in words[27] and {"return", "tunisia"} <= words[27]
    # the prefix is never stemmed: the stemmed index would cut "Egy" to "egi"
    with sqlite3.connect(seeded_path) as db:
        assert db.execute("SELECT count(*) FROM paragraph_fts "
                          "WHERE paragraph_fts MATCH '\"partner\" \"Egy\"*'").fetchone() == (0,)
    assert [(h.paragraph_id, h.tier) for h in _ranked(seeded_path, "partner Egy")] == [
        (45, Tier.PREFIX), (44, Tier.PREFIX), (131, Tier.PREFIX)]
    assert all("egypt" in words[pid] and "partners" in words[pid] for pid in (45, 44, 131))


def test_every_word_is_still_required(seeded_path: Path) -> None:
    words = _paragraph_words(seeded_path)
    ranked = _ranked(seeded_path, "return hubs")
    # the exact words in one paragraph; "return hub mechanisms" by the stem
    assert [(h.paragraph_id, h.tier) for h in ranked] == [(156, Tier.EXACT), (97, Tier.STEMMED)]
    assert {"return", "hubs"} <= words[156] and {"return", "hub"} <= words[97]
    exact = {pid for pid, held in words.items() if {"partners", "tunisia"} <= held}
    stemmed = {pid for pid, held in words.items()
               if {"partner", "tunisia"} <= held and pid not in exact}
    ranked = _ranked(seeded_path, "partners Tunisia")
    assert [(h.paragraph_id, h.tier) for h in ranked] == [
        *((pid, Tier.EXACT) for pid in (45, 131, 44)), (95, Tier.STEMMED)]
    assert exact == {44, 45, 131} and stemmed == {95}


def test_a_name_with_other_words_is_held_as_written_in_the_stemmed_tier(
        services: Services, hojs: int) -> None:
    hits = services.search.search("Hojs contacts")
    # "contact" is stemmed, "Hojs" is not
    assert [(h.letter_id, h.paragraph, h.match) for h in hits] == [(hojs, 6, "stemmed")]
    assert "[Hojs] will be the [contact] point" in hits[0].snippet


def test_a_letter_can_be_left_out(seeded_path: Path) -> None:
    with sqlite3.connect(seeded_path) as db:
        every = ranked_paragraphs(db, ["partner"], prefix_last=True, limit=100)
        others = ranked_paragraphs(db, ["partner"], prefix_last=True, limit=100,
                                   exclude_letter_id=1)
        of_letter_1 = {row[0] for row in db.execute("SELECT id FROM paragraph "
                                                    "WHERE letter_id = 1")}
    assert others == [hit for hit in every if hit.paragraph_id not in of_letter_1]
    assert len(others) < len(every)


def test_each_tier_ranks_among_its_cap_most_recent_matches(seeded_path: Path) -> None:
    with sqlite3.connect(seeded_path) as db:
        capped = ranked_paragraphs(db, ["partner"], prefix_last=True, limit=3, cap=4)
        newest = sorted(db.execute(
            "SELECT rowid, bm25(paragraph_exact) FROM paragraph_exact "
            "WHERE paragraph_exact MATCH 'partner' ORDER BY rowid DESC LIMIT 4").fetchall(),
            key=lambda row: (row[1], -row[0]))
    assert [(h.paragraph_id, h.tier) for h in capped] == [
        (row[0], Tier.EXACT) for row in newest[:3]]


def test_a_tier_is_asked_only_for_what_is_still_wanted(seeded_path: Path) -> None:
    full = _ranked(seeded_path, "partner")
    for limit in (1, 5, 6, 18, 19, 20, 21):
        assert _ranked(seeded_path, "partner", limit=limit) == full[:limit]


# ------------------------------------------------------------------ whatever is typed


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typed") / "store.sqlite3"
    services = open_services(path, create=True)
    services.seed.load()
    services.close()
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.sampled_from(['"', "*", "(", ")", "AND", "OR", "NOT", "NEAR", "^", ":", "-", "+", "_",
                     "Aleš", "Niger", "return", "re", "partner", "text:", "\x00", "'"]),
    st.text(max_size=12)), max_size=8).map(" ".join))
def test_no_query_raises(shared_store: Path, typed: str) -> None:
    with sqlite3.connect(shared_store) as db:
        hits = search_paragraphs(db, typed, 10)
    ids = [h.paragraph_id for h in hits]
    assert len(ids) == len(set(ids)) <= 10
    assert [h.tier for h in hits] == sorted(h.tier for h in hits)
