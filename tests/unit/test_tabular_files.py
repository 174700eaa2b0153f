"""Tables to and from CSV and XLSX files: what is written, and row numbers when read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from briefing_app.errors import InvalidInput
from briefing_app.tabular.files import read_table, write_table

ROWS = [
    {"key": "wb-irregular-crossings-2024", "value": -79, "display": "-79%",
     "as_of": date(2024, 9, 30), "label": "Irregular border crossings, Western Balkans"},
    {"key": "vít-rakušan", "value": 0.2, "display": "about 20%", "as_of": None,
     "label": "x" * 200},
]
COLUMNS = ("key", "value", "display", "as_of", "label")


def test_xlsx_has_a_frozen_header_filters_widths_and_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "indicators.xlsx"
    write_table(path, "indicators", COLUMNS, ROWS)
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet.title == "indicators"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths == {"A": 29, "B": 8, "C": 11, "D": 12, "E": 62}
    as_of = sheet["D2"]
    assert (as_of.value, as_of.number_format) == (datetime(2024, 9, 30), "YYYY-MM-DD")
    assert sheet["D3"].value is None
    assert (sheet["B2"].value, sheet["B3"].value) == (-79, 0.2)


def test_csv_is_utf8_with_a_byte_order_mark_and_iso_dates(tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    write_table(path, "indicators", COLUMNS[:4], ROWS)
    assert path.read_bytes() == (
        "\ufeffkey,value,display,as_of\n"
        "wb-irregular-crossings-2024,-79,-79%,2024-09-30\n"
        "vít-rakušan,0.2,about 20%,\n"
    ).encode("utf-8")


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        write_table(tmp_path / "list.ods", "x", ("a",), [])
    assert str(caught.value) == f"{tmp_path / 'list.ods'}: unsupported table type '.ods' " \
                                "(use .csv or .xlsx)"


def test_csv_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    path = tmp_path / "excel-europe.csv"
    # what Excel writes in a European locale: Windows-1252, semicolons, a blank line
    path.write_bytes("Number;Status;Owner\r\n3;  In Progress ;Ms Agnė\r\n\r\n"
                     "5;done;\"Bilotaitė; DG HOME\"\r\n".replace("ė", "e").encode("cp1252"))
    table = read_table(path)
    assert table.header == ("Number", "Status", "Owner")
    assert table.header_row == 1
    assert table.rows == ((2, ("3", "  In Progress ", "Ms Agne")),
                          (4, ("5", "done", "Bilotaite; DG HOME")))


def test_csv_quoted_line_breaks_stay_in_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('iso,notes\nTN,"first line\nsecond line"\nLY,\n', encoding="utf-8")
    assert read_table(path).rows == ((2, ("TN", "first line\nsecond line")), (3, ("LY", "")))


def test_xlsx_rows_keep_their_numbers_and_cell_types(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"] = "key"
    sheet["C3"] = "as_of"
    sheet["B4"] = "return-rate-2024"
    sheet["C4"] = datetime(2024, 10, 14)
    sheet["B6"] = "north-africa-returns-2024"
    sheet["C6"] = 17700
    path = tmp_path / "made-by-hand.xlsx"
    book.save(path)
    table = read_table(path)
    assert (table.header, table.header_row) == (("", "key", "as_of"), 3)
    assert table.rows == ((4, (None, "return-rate-2024", datetime(2024, 10, 14))),
                          (6, (None, "north-africa-returns-2024", 17700)))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\n\n ,\n", "the table has no header row"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook",
     "not an Excel workbook (.xlsx) that can be read"),
    ("binary.csv", b"a,b\n\x00\x01,\x02\n", "not a CSV table (the file holds binary data)"),
])
def test_unreadable_tables_are_refused_by_name(tmp_path: Path, name: str, data: bytes,
                                               message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        read_table(path)
    assert str(caught.value) == f"{path}: {message}"


def test_xlsx_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    write_table(path, "notes", ("notes",), [{"notes": "=HYPERLINK(\"x\")"},
                                            {"notes": "page\x0cbreak"}])
    sheet = load_workbook(path).active
    assert sheet is not None
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=HYPERLINK(\"x\")", "s")
    assert sheet["A3"].value == "pagebreak"
    assert read_table(path).rows == ((2, ("=HYPERLINK(\"x\")",)), (3, ("pagebreak",)))
