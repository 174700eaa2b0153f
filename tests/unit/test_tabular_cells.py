"""Reading one cell of a table as people and spreadsheet programs write it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from briefing_app.domain.status import Rag, Status
from briefing_app.tabular import cells
from briefing_app.tabular.cells import CellError
from briefing_app.tabular.columns import normalise_header


@pytest.mark.parametrize(("value", "expected"), [
    ("  In Progress ", Status.IN_PROGRESS),
    ("DONE", Status.DONE),
    ("not_started", Status.NOT_STARTED),
    ("No-Evidence", Status.NO_EVIDENCE),
    ("in\u00a0progress", Status.IN_PROGRESS),
])
def test_statuses_in_any_case_and_spacing(value: str, expected: Status) -> None:
    assert cells.status(value) == expected


def test_an_unknown_status_says_what_is_allowed() -> None:
    with pytest.raises(CellError) as caught:
        cells.status(" finished ")
    assert str(caught.value) == ("unknown status 'finished' (use one of: not started, "
                                 "in progress, delayed, done, dropped, no evidence)")
    with pytest.raises(CellError, match=r"^unknown status '3' "):
        cells.status(3)


def test_rag_colours() -> None:
    assert cells.rag(" Amber") == Rag.AMBER
    assert cells.rag("GRAY") == Rag.GREY
    with pytest.raises(CellError) as caught:
        cells.rag("purple")
    assert str(caught.value) == "unknown RAG colour 'purple' (use one of: green, amber, red, grey)"


@pytest.mark.parametrize(("value", "expected"), [
    (date(2024, 10, 14), date(2024, 10, 14)),
    (datetime(2024, 10, 14), date(2024, 10, 14)),  # an Excel date cell
    ("2024-10-14", date(2024, 10, 14)),
    (" 2024-10-14 00:00:00", date(2024, 10, 14)),
    ("2024-10-14T00:00", date(2024, 10, 14)),
])
def test_dates_from_date_cells_and_iso_text(value: cells.CellValue, expected: date) -> None:
    assert cells.day(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("14/10/2024", "'14/10/2024' is not a date; write it as YYYY-MM-DD or use a date cell"),
    ("October 2024", "'October 2024' is not a date; write it as YYYY-MM-DD or use a date cell"),
    ("2024-02-30", "'2024-02-30' is not a calendar date"),
    (45579, "45579 is a number, not a date; write it as YYYY-MM-DD or use a date cell"),
    (datetime(2024, 10, 14, 9, 30), "2024-10-14 09:30:00 has a time of day; give a date only"),
])
def test_anything_else_is_not_a_date(value: cells.CellValue, message: str) -> None:
    with pytest.raises(CellError) as caught:
        cells.day(value)
    assert str(caught.value) == message


def test_whole_numbers_as_spreadsheets_store_them() -> None:
    assert [cells.whole_number(v) for v in (12, 12.0, "12", " 12.0 ")] == [12, 12, 12, 12]
    for value, message in ((12.5, "12.5 is not a whole number"),
                           ("twelve", "'twelve' is not a whole number"),
                           (True, "True is not a whole number")):
        with pytest.raises(CellError) as caught:
            cells.whole_number(value)
        assert str(caught.value) == message


def test_figures() -> None:
    assert [cells.number(v) for v in (17700, -79.0, "0.2", " -66.7 ", "\u221279")] == \
        [17700.0, -79.0, 0.2, -66.7, -79.0]
    with pytest.raises(CellError) as caught:
        cells.number("17 700")
    assert str(caught.value) == ("'17 700' is not a number (write it with digits and a decimal "
                                 "point, e.g. 17700 or 0.2)")
    with pytest.raises(CellError, match=r"^2024-10-14 is not a number$"):
        cells.number(date(2024, 10, 14))


def test_flags_and_text() -> None:
    assert [cells.flag(v) for v in ("yes", "No", True, 0, "TRUE", " n ")] == \
        [True, False, True, False, True, False]
    with pytest.raises(CellError, match=r"^'maybe' is not yes or no$"):
        cells.flag("maybe")
    assert cells.text("  DG HOME \r\n") == "DG HOME"
    assert cells.text("line one\r\nline two") == "line one\nline two"
    assert cells.text("   ") is None
    assert cells.text(None) is None
    assert cells.text(3.0) == "3"
    assert cells.text(datetime(2025, 1, 15)) == "2025-01-15"


def test_headers_as_people_type_them() -> None:
    assert [normalise_header(h) for h in ("Due date ", "ISO", "letter-id", "RAG", None)] == \
        ["due_date", "iso", "letter_id", "rag", ""]
