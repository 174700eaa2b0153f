"""Commitments read from letters in the genre's forms, whatever the phrasing."""

from __future__ import annotations

from datetime import date

from briefing_app.corpus.countries import countries_in
from briefing_app.corpus.parser import parse_letter
from briefing_app.domain.dates import find_deadline

NUMBERED_IN_SECTIONS = """\
Brussels, 3 March 2025

Dear colleagues,

I propose that we agree on the following operational measures.

II. Returns

1) A pilot on accelerated returns with the Tunisian authorities by 30 June 2025.
2) A recommendation on mutual recognition in the first quarter of 2026:
   (a) with a new alert in the Schengen Information System;
   (b) with training by Frontex.

III. Partners

3) Support to the Libyan Coastguard and to Turkey before the end of this year.

Yours sincerely,

Jane Example
"""


def test_numbered_items_under_roman_sections_form_one_series() -> None:
    letter = parse_letter(NUMBERED_IN_SECTIONS)
    found = [(c.series, c.number, c.marker, c.section, c.title, c.deadline, c.due_date,
              c.countries) for c in letter.commitments]
    assert found == [
        ("measures", 1, "1)", "II", "A pilot on accelerated returns with the Tunisian "
         "authorities by 30 June 2025", "by 30 June 2025", date(2025, 6, 30), ["TN"]),
        ("measures", 2, "2)", "II", "A recommendation on mutual recognition in the first "
         "quarter of 2026", "in the first quarter of 2026", date(2026, 3, 31), []),
        ("measures", 3, "3)", "III", "Support to the Libyan Coastguard and to Turkey before "
         "the end of this year", None, None, ["LY", "TR"]),
    ]
    second = letter.commitments[1]
    assert second.text.split("\n") == [
        "A recommendation on mutual recognition in the first quarter of 2026:",
        "- with a new alert in the Schengen Information System;",
        "- with training by Frontex.",
    ]
    assert NUMBERED_IN_SECTIONS[second.start:second.end].startswith("2) A recommendation")
    assert NUMBERED_IN_SECTIONS[second.start:second.end].endswith("training by Frontex.")
    assert [c.actors for c in letter.commitments] == [[], ["Frontex"], []]


def test_a_deadline_without_a_year_is_read_against_the_letter_date() -> None:
    assert find_deadline("before the end of this year", date(2025, 3, 3)) is None
    deadline = find_deadline("by the end of this year", date(2025, 3, 3))
    assert deadline is not None and (deadline.as_written, deadline.due_date) == (
        "by the end of this year", date(2025, 12, 31))
    assert find_deadline("by the end of this year") is not None
    assert find_deadline("by the end of this year").due_date is None  # type: ignore[union-attr]


def test_deadlines_in_french_and_german() -> None:
    found = [find_deadline(text, date(2025, 2, 3)) for text in (
        "renforcer d'ici au 30 juin 2025 la coopération", "avant la fin de l'année 2025",
        "au plus tard en juin 2025", "bis Ende März 2025", "bis zum 30. September 2025")]
    assert [(d.as_written, d.due_date) if d else None for d in found] == [
        ("d'ici au 30 juin 2025", date(2025, 6, 30)),
        ("avant la fin de l'année 2025", date(2025, 12, 31)),
        ("au plus tard en juin 2025", date(2025, 6, 30)),
        ("bis Ende März 2025", date(2025, 3, 31)),
        ("bis zum 30. September 2025", date(2025, 9, 30)),
    ]


def test_a_past_year_is_no_deadline() -> None:
    assert find_deadline("reaching 17 700 in 2023", date(2024, 10, 14)) is None
    assert find_deadline("In 2024 so far, arrivals are down", date(2024, 10, 14)) is None


HEADING_LED = """\
Dear colleagues,

I propose to focus on three points of action.

- Accelerate the implementation of the Pact

We will pilot parts of the Pact with interested Member States by mid-2025.

- Tackle people smuggling

Work with Egypt and Mauritania will be stepped up.

- Preserve Schengen

The Schengen Borders Code entered into force in July.

Overall, this is a set of European solutions.

Yours sincerely,

Ursula von der Leyen
"""


def test_short_titles_followed_by_prose_are_points_of_action() -> None:
    letter = parse_letter(HEADING_LED)
    assert [(c.series, c.series_title, c.number, c.title, c.deadline, c.countries)
            for c in letter.commitments] == [
        ("action-points", "Points of action", 1, "Accelerate the implementation of the Pact",
         "by mid-2025", []),
        ("action-points", "Points of action", 2, "Tackle people smuggling", None, ["EG", "MR"]),
        ("action-points", "Points of action", 3, "Preserve Schengen", None, []),
    ]
    # the last point stops where the conclusion begins
    assert letter.commitments[-1].text == "The Schengen Borders Code entered into force in July."


BULLETS_AND_BOLD = """\
Dear colleagues,

At our meeting I will invite you to endorse the following:

- a new partnership with Senegal on legal pathways;
- the extension of the mandate of the task force.

**Visa alignment.** Partners in the Western Balkans should align with the EU visa policy.

**Readmission.** The Commission should present an assessment by 31 July 2025.

Yours sincerely,

A. SANTOS
"""


def test_bold_led_points_and_bullets_introduced_as_proposals() -> None:
    letter = parse_letter(BULLETS_AND_BOLD)
    assert [(c.series_title, c.number, c.marker, c.title) for c in letter.commitments] == [
        ("Commitments", 1, None, "Visa alignment"),
        ("Commitments", 2, None, "Readmission"),
    ]
    assert letter.commitments[1].due_date == date(2025, 7, 31)


def test_bullets_introduced_as_proposals_when_nothing_else_is_numbered() -> None:
    text = BULLETS_AND_BOLD.split("**Visa")[0] + "Yours sincerely,\n\nA. SANTOS\n"
    letter = parse_letter(text)
    assert [(c.series, c.number, c.marker, c.title, c.countries)
            for c in letter.commitments] == [
        ("commitments", 1, "-", "a new partnership with Senegal on legal pathways", ["SN"]),
        ("commitments", 2, "-", "the extension of the mandate of the task force", []),
    ]


def test_countries_from_names_adjectives_older_names_and_other_languages() -> None:
    assert countries_in("the Libyan Coastguard, Turkey and the Tunisian authorities") == [
        "LY", "TR", "TN"]
    assert countries_in("Guinea-Bissau, Equatorial Guinea, Guinea, Niger and Nigeria") == [
        "GW", "GQ", "GN", "NE", "NG"]
    assert countries_in("les autorités tunisiennes et le Maroc; die Türkei und Georgien") == [
        "TN", "MA", "TR", "GE"]
    # Member States are not partner countries; a region is no country
    assert countries_in("Bulgaria, Greece and the Western Balkans") == []
