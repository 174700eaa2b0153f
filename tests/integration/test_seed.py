"""The bundled seed, loaded by init: every fact exact, each with its passage."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from briefing_app.services import Services, open_services
from tests.helpers.store import dump
from tests.unit.test_parser_letters import (
    ACTION_POINTS_003,
    ATTENTION_002,
    SECTIONS_004,
    SIGNATORIES_002,
)


def test_letters_in_order_with_dates_kinds_and_references(services: Services) -> None:
    letters = [(x.source_name, x.date, x.kind, x.reference) for x in services.letters.list()]
    assert letters == [
        ("004_cf1bbf6e59ff8afe.txt", date(2023, 1, 26), "commission letter", None),
        ("000_cda2641d4a6d3011.txt", date(2024, 3, 15), "commissioner letter",
         "Ares (2024)2211517"),
        ("003_690175d95a8f5997.txt", date(2024, 10, 14), "commission letter", None),
        ("001_bb79dbfcc4653c62.txt", None, "DG letter", "HOME.C.3/ Article 4(1)(b)"),
        ("002_fa0ddd568e2ff008.txt", None, "joint letter", None),
    ]


def test_ten_action_points_and_fifteen_measures(services: Services) -> None:
    points = services.tracking.action_points()
    assert [(p.number, p.title) for p in points] == list(enumerate(ACTION_POINTS_003, start=1))
    assert {p.status for p in points} == {"no evidence"}
    measures = services.tracking.measures()
    assert [m.number for m in measures] == list(range(1, 16))
    assert {m.section: m.section_title for m in measures} == SECTIONS_004
    overdue = [m.number for m in measures if m.overdue]
    assert overdue == [5, 6, 8, 9, 12, 13, 15]  # every measure with a 2023 deadline, on TODAY


def test_people_are_named_exactly_once_each(services: Services) -> None:
    people = {p.name: p for p in services.catalogue.people()}
    signatories = [(p.honorific, p.name, p.country) for p in people.values()
                   if any(r.role == "signatory" and r.letter_id == 4 for r in p.roles)]
    assert sorted(signatories, key=lambda s: s[1]) == sorted(
        [(h, n, c) for h, n, _t, c in SIGNATORIES_002], key=lambda s: s[1])
    attention = sorted(name for name, p in people.items()
                       if any(r.role == "attention" for r in p.roles))
    assert attention == sorted(n for _h, n, _t in ATTENTION_002)
    cc = sorted((p.name, p.organisation) for p in people.values()
                if any(r.role == "cc" for r in p.roles))
    assert cc == [("Agnès Diallo", "EU-Lisa"), ("Alexis Goosdeel", "EMCDDA"),
                  ("Catherine De Bolle", "EUROPOL"), ("Hans Leijtens", "Frontex"),
                  ("Maria Montserrat Marin Lopez", "CEPOL"), ("Nina Gregori", "EUAA")]
    assert len(people) == 30
    assert "Gerhard KARNER" not in people and "Beate GMINDER" not in people


def test_one_person_keeps_each_letters_spelling_and_title(services: Services) -> None:
    people = {p.name: p for p in services.catalogue.people()}
    karner = people["Gerhard Karner"]
    assert (karner.honorific, karner.country, karner.country_code) == ("Mr", "Austria", "AT")
    assert [(r.letter_id, r.role, r.name_as_written, r.title) for r in karner.roles] == [
        (2, "recipient", "Gerhard KARNER",
         "Federal Minister of the Interior, Republic of Austria"),
        (4, "signatory", "Gerhard Karner",
         "Federal Minister of Interior of the Republic of Austria"),
    ]
    gminder = people["Beate Gminder"]
    assert [(r.letter_id, r.role, r.name_as_written, r.honorific) for r in gminder.roles] == [
        (3, "sender", "Beate GMINDER", None),
        (3, "signatory", "Beate GMINDER", None),
        (4, "attention", "Beate Gminder", "Ms"),
    ]
    johansson = people["Ylva Johansson"]
    assert [(r.letter_id, r.role, r.name_as_written) for r in johansson.roles] == [
        (2, "sender", "YLVA JOHANSSON"), (4, "attention", "Ylva Johansson")]


def test_partner_countries_with_routes_instruments_and_passages(services: Services) -> None:
    countries = {c.iso: c for c in services.tracking.countries(with_citations=True)}
    assert len(countries) >= 20
    assert {"TN", "MR", "TR", "LB", "AL", "RS", "ME", "BA", "EG", "LY", "MA"} <= set(countries)
    turkiye = countries["TR"]
    assert turkiye.name == "Türkiye"
    assert turkiye.routes == ("Eastern Mediterranean",)
    assert turkiye.measures == (1,)  # "The Bulgaria-Türkiye border to be a priority"
    assert "readmission agreement" in {i.kind for i in turkiye.instruments}
    tunisia = countries["TN"]
    assert tunisia.measures == (2, 11, 12)
    assert ("MoU", "EU-Tunisia Memorandum of Understanding", "in place") in {
        (i.kind, i.name, i.state) for i in tunisia.instruments}
    for country in countries.values():
        assert country.citations, country.iso
        assert all(c.quote for c in country.citations)


def test_every_stored_citation_is_the_exact_passage_of_its_letter(seeded_path: Path) -> None:
    connection = sqlite3.connect(seeded_path)
    rows = connection.execute(
        "SELECT c.item_kind, c.item_id, c.start, c.end, c.quote, l.original_text "
        "FROM citation c JOIN letter l ON l.id = c.letter_id").fetchall()
    connection.close()
    assert len(rows) > 100
    for kind, item_id, start, end, quote, text in rows:
        assert text[start:end] == quote, (kind, item_id)


def test_indicators_quote_their_figures(services: Services) -> None:
    indicators = {i.key: i for i in services.catalogue.indicators(with_citations=True)}
    balkans = services.catalogue.indicator("wb-irregular-crossings-2024")
    assert (balkans.value, balkans.unit, balkans.route) == (-79.0, "%", "Western Balkans")
    assert "down 79%" in balkans.citations[0].quote
    returns = indicators["north-africa-returns-2024"]
    assert (returns.value, returns.unit) == (17700.0, "returns")
    assert "17 700 in 2024" in returns.citations[0].quote


def test_the_ocr_slip_is_corrected_beside_the_untouched_text(services: Services) -> None:
    letter = services.letters.get(2)
    assert "HCMF AFFAIRS" in letter.text
    [correction] = letter.corrections
    assert (correction.original, correction.corrected) == ("HCMF AFFAIRS", "HOME AFFAIRS")
    assert letter.text[correction.start:correction.end] == "HCMF AFFAIRS"


def test_loading_the_seed_twice_changes_nothing(seeded_path: Path) -> None:
    before = dump(seeded_path)
    services = open_services(seeded_path, create=False)
    report = services.seed.load()
    services.close()
    assert report.changed is False
    assert dump(seeded_path) == before


def test_the_seeded_meeting_is_the_ministerial_conference(services: Services) -> None:
    [meeting] = services.catalogue.meetings()
    assert (meeting.formation, meeting.date) == ("Ministerial conference", date(2024, 4, 29))
    assert meeting.title == ("Ministerial Conference on the Implementation and "
                             "Operationalisation of the Pact")
    assert meeting.citations[0].letter_id == 2
