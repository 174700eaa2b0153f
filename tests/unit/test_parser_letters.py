"""The parser on each of the five seed letters: exact values, not counts."""

from __future__ import annotations

from datetime import date

import pytest

from briefing_app.corpus.parser import ParsedLetter, parse_letter
from tests.helpers.store import (
    LETTER_000,
    LETTER_001,
    LETTER_002,
    LETTER_003,
    LETTER_004,
    seed_text,
)


@pytest.fixture(scope="module")
def letters() -> dict[str, ParsedLetter]:
    return {name: parse_letter(seed_text(name))
            for name in (LETTER_000, LETTER_001, LETTER_002, LETTER_003, LETTER_004)}


def roles(letter: ParsedLetter, role: str) -> list[tuple[str | None, str, str | None]]:
    return [(r.honorific, r.name, r.title) for r in letter.people(role)]


@pytest.mark.parametrize("name", [LETTER_000, LETTER_001, LETTER_002, LETTER_003, LETTER_004])
def test_the_original_text_is_kept_untouched(letters: dict[str, ParsedLetter], name: str) -> None:
    assert letters[name].text == seed_text(name)


@pytest.mark.parametrize("name", [LETTER_000, LETTER_001, LETTER_002, LETTER_003, LETTER_004])
def test_every_role_span_holds_the_name_as_written(letters: dict[str, ParsedLetter],
                                                   name: str) -> None:
    letter = letters[name]
    for role in letter.roles:
        assert role.name in letter.text[role.start:role.end], role


def test_commissioner_letter_000(letters: dict[str, ParsedLetter]) -> None:
    letter = letters[LETTER_000]
    assert (letter.date, letter.place, letter.reference, letter.kind) == (
        date(2024, 3, 15), "Brussels", "Ares (2024)2211517", "commissioner letter")
    assert letter.salutation == "Dear Minister, Gerhard,"
    assert roles(letter, "sender") == [
        (None, "YLVA JOHANSSON", "MEMBER OF THE EUROPEAN COMMISSION, HCMF AFFAIRS")]
    assert letter.people("sender")[0].organisation == "European Commission"
    assert roles(letter, "recipient") == [
        ("Mr", "Gerhard KARNER", "Federal Minister of the Interior, Republic of Austria")]
    assert letter.people("recipient")[0].country == "Austria"
    assert letter.people("signatory") == []
    assert letter.commitments == []


def test_dg_letter_001(letters: dict[str, ParsedLetter]) -> None:
    letter = letters[LETTER_001]
    assert (letter.date, letter.place, letter.reference, letter.kind) == (
        None, "Brussels", "HOME.C.3/ Article 4(1)(b)", "DG letter")
    assert letter.salutation == "Dear Ambassador,"
    assert roles(letter, "sender") == [(None, "Beate GMINDER", "The Director-General (acting)")]
    assert roles(letter, "signatory") == [
        (None, "Beate GMINDER", "The Director-General (acting)")]
    assert roles(letter, "recipient") == [
        ("Mr", "Thomas Oberreiter", "Permanent Representative of Austria to the European Union")]
    assert [(r.honorific, r.name, r.organisation) for r in letter.people("cc")] == [
        ("Ms", "Maria Montserrat Marin Lopez", "CEPOL"),
        ("Mr", "Alexis Goosdeel", "EMCDDA"),
        ("Ms", "Catherine De Bolle", "EUROPOL"),
        ("Ms", "Nina Gregori", "EUAA"),
        ("Ms", "Agnès Diallo", "EU-Lisa"),
        ("Mr", "Hans Leijtens", "Frontex"),
    ]
    assert [(a.label, a.title) for a in letter.annexes] == [
        ("1", "The draft Building Blocks for the Common Implementation Plan"),
        ("2", "DG HOME Contact List by Member State – Pact Implementation"),
    ]


SIGNATORIES_002 = [
    ("Mr", "Kalin Stoyanov", "Minister of Interior of the Republic of Bulgaria", "Bulgaria"),
    ("Mr", "Vít Rakušan",
     "1st Deputy Prime Minister and Minister of the Interior of the Czech Republic", "Czechia"),
    ("Mr", "Kaare Dybvad Bek",
     "Minister for Immigration and Integration of the Kingdom of Denmark", "Denmark"),
    ("Mr", "Lauri Läänemets", "Minister of Interior of the Republic of Estonia", "Estonia"),
    ("Mr", "Dimitris Kairidis", "Minister of Migration and Asylum of the Hellenic Republic",
     "Greece"),
    ("Mr", "Matteo Piantedosi", "Minister of Interior of the Italian Republic", "Italy"),
    ("Mr", "Konstantinos Ioannou", "Minister of Interior of the Republic of Cyprus", "Cyprus"),
    ("Mr", "Rihards Kozlovskis", "Minister of Interior of the Republic of Latvia", "Latvia"),
    ("Ms", "Agnė Bilotaitė", "Minister of Interior of the Republic of Lithuania", "Lithuania"),
    ("Dr", "Byron Camilleri",
     "Minister for Home Affairs, Security and Employment of the Republic of Malta", "Malta"),
    ("Mr", "Eric van der Burg", "Minister for Migration of the Kingdom of the Netherlands",
     "Netherlands"),
    ("Mr", "Gerhard Karner", "Federal Minister of Interior of the Republic of Austria",
     "Austria"),
    ("Mr", "Tomasz Siemoniak",
     "Minister of the Interior and Administration of the Republic of Poland", "Poland"),
    ("Mr", "Marian-Cătălin Predoiu",
     "Deputy Prime Minister and Minister of Internal Affairs of Romania", "Romania"),
    ("Ms", "Mari Rantanen", "Minister of the Interior of the Republic of Finland", "Finland"),
]

ATTENTION_002 = [
    ("Ms", "Ylva Johansson", "Commissioner for Home Affairs"),
    ("Ms", "Ilze Juhansone", "Secretary-General of the Commission"),
    ("Mr", "Gert Jan Koopman",
     "Director-General for the Directorate-General for Neighbourhood and Enlargement "
     "Negotiations"),
    ("Mr", "Anthony Whelan", "Acting Head of Cabinet of President von der Leyen"),
    ("Ms", "Beate Gminder",
     "Acting Director-General for the Directorate-General for Migration and Home Affairs"),
    ("Ms", "Åsa Webber", "Head of Cabinet of Commissioner Johansson"),
    ("Ms", "Charmaine Hili",
     "Migration and Home Affairs Adviser in the Cabinet of President von der Leyen"),
]


def test_joint_letter_002(letters: dict[str, ParsedLetter]) -> None:
    letter = letters[LETTER_002]
    assert (letter.date, letter.reference, letter.kind, letter.salutation) == (
        None, None, "joint letter", None)
    assert letter.place == ("Sofia, Prague, Copenhagen, Tallinn, Athens, Rome, Nicosia, Riga, "
                            "Vilnius, Valletta, The Hague, Vienna, Warsaw, Bucharest, Helsinki")
    assert letter.subject == ("Joint Letter from the undersigned Ministers on new solutions to "
                              "address irregular migration to Europe")
    assert letter.title == letter.subject
    assert [(r.honorific, r.name, r.title, r.country)
            for r in letter.people("signatory")] == SIGNATORIES_002
    assert roles(letter, "attention") == ATTENTION_002
    assert letter.people("sender") == [] and letter.people("recipient") == []


ACTION_POINTS_003 = [
    "Accelerate the implementation of the Pact on Migration and Asylum",
    "Continue building comprehensive partnerships with key third countries",
    "Advance on a common approach on returns",
    "Step up the use of leverage through our visa and other policies",
    "Tackle people smuggling and human trafficking",
    "Counter hybrid warfare and strengthen security at our borders",
    "Work on designing innovative ways to counter illegal migration",
    "Address the challenges stemming from the conflict in the Middle East",
    "Set out a way forward for Ukrainians in Europe",
    "Preserve and strengthen Schengen",
]


def test_ten_points_of_action_003(letters: dict[str, ParsedLetter]) -> None:
    letter = letters[LETTER_003]
    assert (letter.date, letter.place, letter.kind) == (
        date(2024, 10, 14), "Brussels", "commission letter")
    assert roles(letter, "sender") == [(None, "Ursula von der Leyen", "The President")]
    assert roles(letter, "signatory") == [(None, "Ursula von der Leyen", "The President")]
    points = [c for c in letter.commitments if c.series == "action-points"]
    assert [(p.number, p.title) for p in points] == list(enumerate(ACTION_POINTS_003, start=1))
    # a paragraph split by a page break is joined again in the item's text
    assert ("has contributed to a substantial decrease in irregular border crossings compared "
            "to the same period in 2023 – down 79%.") in points[1].text
    assert points[0].text.startswith("When adopting the Pact, we gave ourselves two years")
    # the letter's closing paragraphs belong to no point
    assert points[9].text.endswith("symbol of the vitality and adaptability of Schengen today.")
    assert "Overall, we must continue" not in points[9].text
    assert letter.text[points[4].start:].startswith(
        "**- Tackle people smuggling and human trafficking**")


MEASURES_004 = [
    (1, "I", None, None), (2, "I", None, None), (3, "I", None, None), (4, "I", None, None),
    (5, "II", "in the first half of 2023", date(2023, 6, 30)),
    (6, "II", "by Spring 2023", date(2023, 5, 31)),
    (7, "II", None, None),
    (8, "III", "by mid-2023", date(2023, 6, 30)),
    (9, "III", "in the first quarter of 2023", date(2023, 3, 31)),
    (10, "III", None, None),
    (11, "IV", None, None),
    (12, "IV", "in 2023", date(2023, 12, 31)),
    (13, "IV", "in the first half of 2023", date(2023, 6, 30)),
    (14, "IV", None, None),
    (15, "IV", "by the end of 2023", date(2023, 12, 31)),
]

SECTIONS_004 = {
    "I": "External borders",
    "II": "Border procedure and expedited returns",
    "III": "Addressing secondary movements and ensuring effective solidarity",
    "IV": "Working with partners to improve migration and return management",
}


def test_fifteen_operational_measures_004(letters: dict[str, ParsedLetter]) -> None:
    letter = letters[LETTER_004]
    assert (letter.date, letter.kind) == (date(2023, 1, 26), "commission letter")
    measures = [c for c in letter.commitments if c.series == "measures"]
    assert [(m.number, m.section, m.deadline, m.due_date) for m in measures] == MEASURES_004
    assert {m.section: m.section_title for m in measures} == SECTIONS_004
    two = measures[1]
    assert two.text.splitlines()[0] == (
        "Reinforcing support for border management in partner countries:")
    assert [line[:40] for line in two.text.splitlines()[1:]] == [
        "- Reinforced regional cooperation in the",
        "- Deployment of border guards from Front",
    ]
    assert measures[4].actors == ["Member States", "Frontex", "EU Asylum Agency", "Europol"]
    assert measures[11].actors == [
        "Commission", "Member States", "Frontex", "Europol", "Eurojust"]
    assert len(letter.page_breaks) == 2
    assert [a.title for a in letter.annexes] == ["OPERATIONAL MEASURES"]
    assert letter.text[measures[11].start:measures[11].end].startswith(
        "12. The Commission will launch new anti-smuggling partnerships with Tunisia")


def test_a_letter_without_structure_still_parses() -> None:
    letter = parse_letter("Just a note without any letterhead.\n")
    assert (letter.date, letter.place, letter.kind, letter.roles) == (None, None, "letter", [])
    assert letter.title == "Letter"
    assert [p.text for p in letter.paragraphs] == ["Just a note without any letterhead."]


def test_crlf_line_ends_give_the_same_facts() -> None:
    text = seed_text(LETTER_000).replace("\n", "\r\n")
    letter = parse_letter(text)
    assert letter.text == text
    assert roles(letter, "recipient") == [
        ("Mr", "Gerhard KARNER", "Federal Minister of the Interior, Republic of Austria")]
    recipient = letter.people("recipient")[0]
    assert text[recipient.start:recipient.end].startswith("*Mr Gerhard KARNER*")
