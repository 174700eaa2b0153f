"""Tables to and from files: CSV and XLSX, with pandas and openpyxl.

Written CSV is UTF-8 with a byte-order mark (so spreadsheet programs show
"Rakušan", not mojibake), comma-separated, one header row. XLSX has a bold
header row, frozen panes under it, a filter on every column, column widths
that fit the content (capped for long text), and real date cells.

Read tables keep the row numbers a person sees in a spreadsheet (the header
is row 1): CSV in UTF-8 or Windows-1252, separated by commas, semicolons
(what Excel writes in many European locales) or tabs; XLSX from its first
sheet, with cells as the workbook stores them (numbers, dates, booleans).
pandas builds and writes the frames; reading uses the csv module and openpyxl
directly, because they keep every row where the file has it (pandas drops
blank and leading rows, which would put the wrong row numbers in messages).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from briefing_app.corpus.limits import guard_xlsx
from briefing_app.errors import InvalidInput
from briefing_app.tabular.cells import CellValue, is_blank
from briefing_app.tabular.columns import DATE_COLUMNS, TABLE_SUFFIXES

MIN_WIDTH = 6
MAX_WIDTH = 60
MAX_BYTES = 50 * 1024 * 1024


def table_format(path: Path) -> str:
    """``csv`` or ``xlsx`` from the file name, or a clear refusal."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InvalidInput(f"{path}: unsupported table type {path.suffix or '(none)'!r} "
                           f"(use {' or '.join(TABLE_SUFFIXES)})")
    return suffix[1:]


# ------------------------------------------------------------------------------ write


def frame(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """A frame of the rows, in the given column order (every cell an object)."""
    return pd.DataFrame([[row.get(c) for c in columns] for row in rows],
                        columns=list(columns), dtype=object)


def write_table(path: Path, sheet: str, columns: Sequence[str],
                rows: Sequence[dict[str, Any]]) -> None:
    """Write the rows to ``path`` as CSV or XLSX (by its suffix); replaces the file."""
    fmt = table_format(path)
    data = frame(columns, rows)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            for column in DATE_COLUMNS.intersection(columns):
                data[column] = [v.isoformat() if isinstance(v, date) else v
                                for v in data[column]]
            data.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        else:
            _write_xlsx(path, sheet, data)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be written ({exc.strerror or exc})") from exc


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_xlsx(path: Path, sheet: str, data: pd.DataFrame) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # control characters cannot be stored in a workbook: leave them out of the cells
    data = data.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD",
                        datetime_format="YYYY-MM-DD") as writer:
        data.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # text starting with "=" is text, not a formula
                    cell.data_type = "s"
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        if len(data.columns):
            worksheet.auto_filter.ref = worksheet.dimensions
        for number, column in enumerate(data.columns, start=1):
            widest = max([len(str(column))] + [_width(v) for v in data[column]])
            letter = get_column_letter(number)
            worksheet.column_dimensions[letter].width = min(max(widest, MIN_WIDTH),
                                                            MAX_WIDTH) + 2
            if column in DATE_COLUMNS:
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    if isinstance(cell.value, date):
                        cell.number_format = "YYYY-MM-DD"


# ------------------------------------------------------------------------------- read


@dataclass(frozen=True)
class RawTable:
    """A table as read: the header row and the data rows with their spreadsheet numbers."""

    file: str
    header: tuple[str, ...]  # as written in the file
    header_row: int
    rows: tuple[tuple[int, tuple[CellValue, ...]], ...]  # (row number, cells); blank rows left out


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX table; raises :class:`InvalidInput` naming the file if it cannot."""
    name = str(path)
    fmt = table_format(path)
    if not path.exists():
        raise InvalidInput(f"{name}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{name}: is a folder, not a table")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{name}: too large for a table")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InvalidInput(f"{name}: the file is empty")
    grid = _csv_grid(data, name) if fmt == "csv" else _xlsx_grid(data, name)
    numbered = [(number, tuple(cells)) for number, cells in enumerate(grid, start=1)
                if not all(is_blank(c) for c in cells)]
    if not numbered:
        raise InvalidInput(f"{name}: the table has no header row")
    (header_row, header), *body = numbered
    width = len(header)
    while width and is_blank(header[width - 1]):
        width -= 1
    return RawTable(
        file=name,
        header=tuple("" if is_blank(h) else str(h).strip() for h in header[:width]),
        header_row=header_row,
        rows=tuple((number, tuple(cells[:width]) + (None,) * (width - len(cells)))
                   for number, cells in body),
    )


def _csv_grid(data: bytes, name: str) -> list[list[CellValue]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise InvalidInput(f"{name}: not a CSV table (the file holds binary data)")
    first_line = text.split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=lambda s: (first_line.count(s), s == ","))
    # the csv module, not pandas, reads the cells: it keeps ragged rows (a row
    # longer or shorter than the header) and blank lines, so row numbers stay right
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=separator)]
    except csv.Error as exc:
        raise InvalidInput(f"{name}: not a CSV table that can be read ({exc})") from exc


@guard_xlsx  # a decompression bomb is refused before openpyxl opens it
def _xlsx_grid(data: bytes, name: str) -> list[list[CellValue]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"{name}: not an Excel workbook (.xlsx) that can be read") from exc
    try:
        worksheet = workbook.worksheets[0]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
