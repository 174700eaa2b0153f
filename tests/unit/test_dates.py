from __future__ import annotations

from datetime import date

import pytest

from briefing_app.domain.dates import Deadline, find_deadline, parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("Brussels, 15/3/2024", date(2024, 3, 15)),
    ("Brussels, 26 January 2023", date(2023, 1, 26)),
    ("Brussels, 14 October 2024", date(2024, 10, 14)),
    ("Vienna, 3.11.2023", date(2023, 11, 3)),
    ("January 26, 2023", date(2023, 1, 26)),
    ("2024-04-29", date(2024, 4, 29)),
    ("Brussels", None),
    ("Ares (2024)2211517", None),
    ("31/2/2024", None),  # no such day: no date rather than a wrong one
])
def test_letter_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Pilot scheme, in the first half of 2023, with interested Member States",
     Deadline("in the first half of 2023", date(2023, 6, 30))),
    ("a recommendation by Spring 2023 to use", Deadline("by Spring 2023", date(2023, 5, 31))),
    ("develop an overview by mid-2023 and report", Deadline("by mid-2023", date(2023, 6, 30))),
    ("processes in the first quarter of 2023 and accelerate",
     Deadline("in the first quarter of 2023", date(2023, 3, 31))),
    ("new initiatives by the end of 2023, and", Deadline("by the end of 2023", date(2023, 12, 31))),
    ("partnerships with Tunisia and Egypt in 2023, building",
     Deadline("in 2023", date(2023, 12, 31))),
    ("by March 2025", Deadline("by March 2025", date(2025, 3, 31))),
    ("The EU should have common lists of Safe Third Countries.", None),
])
def test_deadlines_as_written_and_due(text: str, expected: Deadline | None) -> None:
    assert find_deadline(text) == expected
