from __future__ import annotations

from datetime import date, datetime

import pytest

from briefing_app.domain.status import Rag, Status, is_stalled, parse_rag, parse_status
from briefing_app.errors import InvalidInput


@pytest.mark.parametrize(("text", "expected"), [
    ("in progress", Status.IN_PROGRESS), ("  In Progress ", Status.IN_PROGRESS),
    ("NOT_STARTED", Status.NOT_STARTED), ("no-evidence", Status.NO_EVIDENCE),
    ("Done", Status.DONE),
])
def test_statuses_are_read_as_people_type_them(text: str, expected: Status) -> None:
    assert parse_status(text) is expected


def test_an_unknown_status_names_the_field_and_the_choices() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_status("finished", field="row 3 status")
    assert str(caught.value) == (
        "row 3 status: unknown status 'finished' (use one of: not started, in progress, "
        "delayed, done, dropped, no evidence)")


def test_rag_accepts_gray_for_grey() -> None:
    assert parse_rag("Gray") is Rag.GREY
    with pytest.raises(InvalidInput, match="unknown RAG colour 'pink'"):
        parse_rag("pink")


def test_stalled_after_nine_months_for_open_items_only() -> None:
    today = date(2025, 1, 15)
    assert is_stalled("in progress", datetime(2024, 4, 15), today) is True
    assert is_stalled("in progress", datetime(2024, 4, 17), today) is False
    assert is_stalled("done", datetime(2020, 1, 1), today) is False
    assert is_stalled("in progress", None, today) is False
