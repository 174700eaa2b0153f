"""Tables in and out: export every list, import tracker tables, all-or-nothing."""

from __future__ import annotations

import csv
import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from briefing_app.errors import InvalidInput, NotFound, TableProblems
from briefing_app.read_models import FieldChange, PlannedChange
from briefing_app.services import Services, open_services
from briefing_app.tabular.columns import EXPORT_COLUMNS
from tests.conftest import TODAY
from tests.helpers.cli import cli
from tests.helpers.store import LETTER_003, SEED_DIR, dump

IMPORT_KINDS = ("action-points", "measures", "countries", "indicators")


def store_digest(path: Path) -> dict[str, str]:
    """SHA-256 of the store file and of its write-ahead log, where it holds anything.

    SQLite creates an empty -wal file when a connection opens and removes it
    when the last one closes: an empty log holds no change, so it counts as none.
    """
    files = {suffix: Path(f"{path}{suffix}") for suffix in ("", "-wal")}
    return {suffix: hashlib.sha256(file.read_bytes()).hexdigest()
            for suffix, file in files.items() if file.exists() and file.stat().st_size}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ----------------------------------------------------------------------------- export


@pytest.mark.parametrize("kind", list(EXPORT_COLUMNS))
def test_every_list_exports_to_csv_and_xlsx_with_its_columns(services: Services, tmp_path: Path,
                                                             kind: str) -> None:
    counts = {"letters": 5, "action-points": 10, "measures": 15, "commitments": 25,
              "countries": 24, "people": 30, "indicators": 19, "status-history": 53}
    for suffix in ("csv", "xlsx"):
        result = services.tables.export(kind, tmp_path / f"{kind}.{suffix}")
        assert (result.kind, result.format, result.rows) == (kind, suffix, counts[kind])
        assert result.columns == EXPORT_COLUMNS[kind]
    frame = pd.read_csv(tmp_path / f"{kind}.csv", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    assert tuple(frame.columns) == EXPORT_COLUMNS[kind]
    sheet = load_workbook(tmp_path / f"{kind}.xlsx").active
    assert sheet is not None
    assert tuple(c.value for c in sheet[1]) == EXPORT_COLUMNS[kind]
    assert sheet.max_row == counts[kind] + 1
    assert sheet.freeze_panes == "A2"


def test_measures_csv_cells(services: Services, tmp_path: Path) -> None:
    services.tables.export("measures", tmp_path / "measures.csv")
    rows = {int(r["number"]): r for r in read_csv(tmp_path / "measures.csv")}
    assert list(rows) == list(range(1, 16))
    five = rows[5]
    assert (five["section"], five["deadline"], five["due_date"], five["overdue"],
            five["status"], five["rag"], five["owner"]) == (
        "II", "in the first half of 2023", "2023-06-30", "yes", "no evidence", "grey", "")
    assert rows[12]["countries"] == "EG; MA; MR; NE; SN; TN"
    assert rows[12]["lead_actors"] == "Commission; Member States; Frontex; Europol; Eurojust"


def test_xlsx_due_dates_are_real_date_cells(services: Services, tmp_path: Path) -> None:
    services.tables.export("measures", tmp_path / "measures.xlsx")
    sheet = load_workbook(tmp_path / "measures.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == 5)
    due = row[header.index("due_date")]
    assert (due.value, due.number_format) == (datetime(2023, 6, 30), "YYYY-MM-DD")


def test_export_of_chosen_items_keeps_their_order(services: Services, tmp_path: Path) -> None:
    services.tables.export("measures", tmp_path / "m.csv", keys=[12, "1", 5])
    assert [r["number"] for r in read_csv(tmp_path / "m.csv")] == ["12", "1", "5"]
    services.tables.export("countries", tmp_path / "c.csv", keys=["tn", "LY"])
    assert [r["iso"] for r in read_csv(tmp_path / "c.csv")] == ["TN", "LY"]
    ids = [c.id for c in services.tracking.countries() if c.iso in ("MA", "EG")][::-1]
    services.tables.export("countries", tmp_path / "ids.csv", ids=ids)
    assert [r["iso"] for r in read_csv(tmp_path / "ids.csv")] == ["MA", "EG"]
    with pytest.raises(NotFound) as caught:
        services.tables.export("measures", tmp_path / "x.csv", keys=[99])
    assert str(caught.value) == "measures: no item with number 99 in the store"
    assert not (tmp_path / "x.csv").exists()


def test_cli_export(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "countries.xlsx"
    result = cli("--db", seeded_path, "export", "countries", "--out", out)
    assert result.code == 0, result.err
    assert result.out == f"Exported 24 countries (16 columns) to {out}\n"
    json_result = cli("--db", seeded_path, "export", "indicators", "--out",
                      tmp_path / "i.csv", "--only", "return-rate-2024", "--format", "json")
    assert json_result.json() == {"kind": "indicators", "path": str(tmp_path / "i.csv"),
                                  "format": "csv", "rows": 1,
                                  "columns": list(EXPORT_COLUMNS["indicators"])}
    wrong = cli("--db", seeded_path, "export", "measures", "--out", tmp_path / "m.ods")
    assert (wrong.code, wrong.out) == (1, "")
    assert wrong.err == (f"briefing-app: {tmp_path / 'm.ods'}: unsupported table type '.ods' "
                         "(use .csv or .xlsx)\n")
    usage = cli("--db", seeded_path, "export", "meetings", "--out", tmp_path / "m.csv")
    assert usage.code == 2


# -------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", IMPORT_KINDS)
def test_export_then_import_changes_nothing(seeded_path: Path, tmp_path: Path, kind: str,
                                            suffix: str) -> None:
    services = open_services(seeded_path, create=False, today=TODAY)
    try:
        # give the items owners, notes and non-default colours first, so they travel too
        services.tracking.set_status("measures", 12, "in progress", rag="amber",
                                     owner="DG HOME – Ms Agnė")
        services.tracking.set_status("countries", "TN", owner="Desk Maghreb")
        path = tmp_path / f"{kind}.{suffix}"
        services.tables.export(kind, path)
        before = dump(seeded_path)
        plan = services.tables.preview(kind, path)
        assert plan.changes == ()
        assert plan.unchanged == plan.rows == {"action-points": 10, "measures": 15,
                                               "countries": 24, "indicators": 19}[kind]
        result = services.tables.apply(plan)
        assert result.status_change_ids == ()
    finally:
        services.close()
    assert dump(seeded_path) == before
    cli_result = cli("--db", seeded_path, "import-table", kind, path)
    assert cli_result.code == 0, cli_result.err
    assert dump(seeded_path) == before


# ------------------------------------------------------------------------------- import


def test_a_changed_row_becomes_a_status_change_naming_the_file(services: Services,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    services.tables.export("measures", path)
    rows = read_csv(path)
    rows[11].update(status="In Progress", rag="", owner="DG HOME", notes="talks started")
    rows[4].update(status="delayed", rag="amber")
    rows[6].update(status="done")  # the RAG left as it was: it follows the status
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    plan = services.tables.preview("measures", path)
    measure_12 = services.tracking.measure(12)
    assert plan.changes == (
        PlannedChange(6, "5", "Measure 5", services.tracking.measure(5).id, (
            FieldChange("status", "no evidence", "delayed"),
            FieldChange("rag", "grey", "amber"))),
        # measure 7 is in progress (green) by the seed's follow-up: its RAG stays green
        PlannedChange(8, "7", "Measure 7", services.tracking.measure(7).id, (
            FieldChange("status", "in progress", "done"),)),
        # measure 12 is in progress (amber) by the seed's follow-up: the status is unchanged,
        # so the RAG left empty stays as it is
        PlannedChange(13, "12", "Measure 12", measure_12.id, (
            FieldChange("owner", None, "DG HOME"),
            FieldChange("notes", None, "talks started"))),
    )
    assert (plan.rows, plan.unchanged) == (15, 12)
    assert plan.read_columns == ("status", "rag", "owner", "notes")
    assert plan.ignored_columns == ("section", "section_title", "deadline", "due_date",
                                    "overdue", "lead_actors", "countries", "as_of",
                                    "source", "stale", "last_changed", "stalled", "text")
    result = services.tables.apply(plan, author="desk officer")
    assert len(result.status_change_ids) == 3

    after = services.tracking.measure(12)
    assert (after.status, after.rag, after.owner, after.notes) == (
        "in progress", "amber", "DG HOME", "talks started")
    baseline, from_follow_up, change = services.tracking.history("measures", 12)
    assert baseline.old_status is None  # the baseline is untouched
    assert from_follow_up.author == "seed"
    assert (change.old_status, change.new_status, change.old_rag, change.new_rag,
            change.old_owner, change.new_owner, change.note, change.author, change.source) == (
        "in progress", "in progress", "amber", "amber", None, "DG HOME",
        "notes: talks started", "desk officer", "import-table measures.csv, row 13")
    assert change.id == result.status_change_ids[2]


def test_one_bad_row_leaves_the_store_byte_for_byte_unchanged(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_text(
        "number,status,rag,owner\n"
        "1,done,,DG HOME\n"
        "2,in progress,,\n"
        "3,finished,,\n"          # unknown status
        "4,done,,\n"
        "5,done,blue,\n"          # unknown RAG colour
        "six,done,,\n"            # not a number
        "42,done,,\n"             # not in the store
        "2,delayed,,\n",          # the same measure again
        encoding="utf-8")
    before = store_digest(seeded_path)
    assert before.keys() == {""}
    result = cli("--db", seeded_path, "import-table", "measures", path)
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        f"{path}:4:status: unknown status 'finished' (use one of: not started, in progress, "
        "delayed, done, dropped, no evidence)",
        f"{path}:6:rag: unknown RAG colour 'blue' (use one of: green, amber, red, grey)",
        f"{path}:7:number: 'six' is not a whole number",
        f"{path}:8:number: no measure 42 in the store",
        f"{path}:9:number: Measure 2 is on row 3 already",
        f"briefing-app: {path}: 5 problems in the table; nothing was imported",
    ]
    assert store_digest(seeded_path) == before
    as_json = cli("--db", seeded_path, "import-table", "measures", path, "--format", "json")
    assert (as_json.code, as_json.out, as_json.err) == (1, "", result.err)
    assert store_digest(seeded_path) == before


def test_a_bad_row_through_the_services_raises_every_problem(services: Services,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "indicators.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["key", "value", "display", "as_of", "approximate"])
    sheet.append(["return-rate-2024", 0.25, "about 25%", datetime(2025, 1, 10), "yes"])
    sheet.append(["north-africa-returns-2024", "lots", "17 700", "14/10/2024", "maybe"])
    sheet.append(["wb-irregular-crossings-2024", -80, "-79%", None, "no"])
    sheet.append(["no-such-figure", 1, "1", None, "no"])
    book.save(path)
    before = store_digest(services.store.path)
    with pytest.raises(TableProblems) as caught:
        services.tables.preview("indicators", path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:value: 'lots' is not a number (write it with digits and a decimal point, "
        "e.g. 17700 or 0.2)",
        f"{path}:3:approximate: 'maybe' is not yes or no",
        f"{path}:3:as_of: '14/10/2024' is not a date; write it as YYYY-MM-DD or use a date cell",
        f"{path}:4:display: the value changes (-79 → -80) but display still reads '-79%'; "
        "change display too",
        f"{path}:5:key: no indicator 'no-such-figure' in the store",
    ]
    assert caught.value.message == f"{path}: 5 problems in the table; nothing was imported"
    assert store_digest(services.store.path) == before


def test_indicators_take_new_figures_without_a_status_change(services: Services,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    services.tables.export("indicators", path, keys=["return-rate-2024"])
    rows = read_csv(path)
    rows[0].update(value="25", display="about 25%", as_of="2025-01-10", period="2024")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    history_before = services.tracking.history()
    result = services.tables.import_table("indicators", path)
    assert [c.column for c in result.changes[0].changes] == ["value", "display", "period",
                                                             "as_of"]
    indicator = services.catalogue.indicator("return-rate-2024")
    assert (indicator.value, indicator.display, indicator.period, str(indicator.as_of)) == (
        25.0, "about 25%", "2024", "2025-01-10")
    # the figure's citation still points to the passage it was first drawn from
    assert indicator.citations[0].quote == ("only around 20% of third country nationals "
                                            "ordered to leave")
    assert services.tracking.history() == history_before


def test_an_xlsx_from_a_spreadsheet_program_imports(services: Services, tmp_path: Path) -> None:
    """Excel keeps numbers as floats and dates as date cells; people type statuses freely."""
    path = tmp_path / "tracker from colleagues.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tracker"
    sheet.append(["Owner", "Number", " Status ", "RAG", "Due date", "Comment"])
    sheet.append(["DG HOME", 3.0, "  In Progress ", None, datetime(2023, 12, 31), "call"])
    sheet.append([None, 5.0, "DELAYED", " Amber", datetime(2023, 6, 30), None])
    sheet.append(["Frontex", 7.0, "not_started", "Red ", None, "x"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["", 9.0, "No Evidence", "GREY", None, None])
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "DD/MM/YYYY"
    book.save(path)

    indicators = tmp_path / "figures.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Key", "Value", "Display", "As of", "Approximate"])
    sheet.append(["wb-irregular-crossings-2024", -81, "-81%", datetime(2024, 12, 31), False])
    sheet["D2"].number_format = "d mmmm yyyy"
    book.save(indicators)

    plan = services.tables.preview("measures", path)
    assert [(c.row, c.key, [(f.column, f.old, f.new) for f in c.changes])
            for c in plan.changes] == [
        (2, "3", [("status", "no evidence", "in progress"), ("rag", "grey", "green"),
                  ("owner", None, "DG HOME")]),
        (3, "5", [("status", "no evidence", "delayed"), ("rag", "grey", "amber")]),
        (4, "7", [("status", "in progress", "not started"), ("rag", "green", "red"),
                  ("owner", None, "Frontex")]),
    ]
    assert (plan.rows, plan.unchanged) == (4, 1)
    assert plan.ignored_columns == ("due_date", "comment")
    services.tables.apply(plan)
    assert [(m.number, m.status, m.rag, m.owner) for m in services.tracking.measures()
            if m.number in (3, 5, 7, 9)] == [
        (3, "in progress", "green", "DG HOME"), (5, "delayed", "amber", None),
        (7, "not started", "red", "Frontex"), (9, "no evidence", "grey", None)]

    services.tables.import_table("indicators", indicators)
    figure = services.catalogue.indicator("wb-irregular-crossings-2024")
    assert (figure.value, figure.display, str(figure.as_of), figure.approximate) == (
        -81.0, "-81%", "2024-12-31", False)


def test_dry_run_prints_the_changes_and_writes_nothing(seeded_path: Path,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "countries.csv"
    path.write_text("iso;status;rag;owner\nTN; Done ;;Desk Maghreb\nly;;red;\n",
                    encoding="utf-8")
    before = store_digest(seeded_path)
    result = cli("--db", seeded_path, "import-table", "countries", path, "--dry-run")
    assert result.code == 0, result.err
    assert result.out == (
        f"{path}:2: Tunisia (TN): status in progress → done, owner — → Desk Maghreb\n"
        f"{path}:3: Libya (LY): rag green → red\n"
        f"Dry run of {path}: 2 partner countries would change, 0 rows unchanged; "
        "nothing was written\n")
    assert store_digest(seeded_path) == before
    as_json = cli("--db", seeded_path, "import-table", "countries", path, "--dry-run",
                  "--format", "json").json()
    assert as_json["dry_run"] is True
    assert [(c["row"], c["key"], c["changes"]) for c in as_json["changes"]] == [
        (2, "TN", [{"column": "status", "old": "in progress", "new": "done"},
                   {"column": "owner", "old": None, "new": "Desk Maghreb"}]),
        (3, "LY", [{"column": "rag", "old": "green", "new": "red"}]),
    ]
    assert store_digest(seeded_path) == before

    applied = cli("--db", seeded_path, "import-table", "countries", path, "--author", "me")
    assert applied.code == 0, applied.err
    assert applied.out.splitlines()[-1].startswith(
        f"Imported {path}: 2 partner countries changed, 0 rows unchanged; "
        "recorded as status changes ")
    history = cli("--db", seeded_path, "status", "history", "countries", "LY", "--format",
                  "json").json()
    assert (history[-1]["new_rag"], history[-1]["author"], history[-1]["source"]) == (
        "red", "me", "import-table countries.csv, row 3")


def test_header_problems_are_on_row_1(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text("title,status\nx,done\n", encoding="utf-8")
    with pytest.raises(TableProblems) as caught:
        services.tables.preview("action-points", path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:number: no such column; the header row must name the number of each "
        "action point"]
    path.write_text("number,Status,status\n1,done,done\n", encoding="utf-8")
    with pytest.raises(TableProblems) as caught:
        services.tables.preview("action-points", path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:status: this column appears twice"]


def test_a_second_letters_points_are_a_series_of_their_own(seeded_path: Path,
                                                           tmp_path: Path) -> None:
    # a second letter with ten action points (its own file: another SHA-256): they are the
    # proposed commitments of the series "action-points-6", not more action points
    copy = tmp_path / "ten-points-again.txt"
    copy.write_bytes((SEED_DIR / LETTER_003).read_bytes() + b"\n")
    assert cli("--db", seeded_path, "import", copy).code == 0
    services = open_services(seeded_path, create=False, today=TODAY)
    try:
        assert sorted({p.letter_id for p in services.tracking.action_points()}) == [5]
        assert len(services.commitments.list(series="action-points-6")) == 10
        path = tmp_path / "points.csv"
        path.write_text("number,status\n3,done\n", encoding="utf-8")
        [change] = services.tables.import_table("action-points", path).changes
        assert change.item_id == next(p.id for p in services.tracking.action_points()
                                      if p.number == 3) == 18
        assert {c.status for c in services.commitments.list(series="action-points-6")} == \
            {"no evidence"}
        # and an export round-trips
        services.tables.export("action-points", tmp_path / "all.xlsx")
        assert services.tables.preview("action-points", tmp_path / "all.xlsx").changes == ()
    finally:
        services.close()


def test_a_plan_is_refused_if_the_store_changed_since(services: Services,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text("number,status\n4,done\n", encoding="utf-8")
    plan = services.tables.preview("action-points", path)
    services.tracking.set_status("action-points", 4, "delayed")
    before = dump(services.store.path)
    with pytest.raises(InvalidInput) as caught:
        services.tables.apply(plan)
    assert str(caught.value) == (f"{path}: Action point 4: Step up the use of leverage "
                                 "through our visa and other policies has changed in the "
                                 "store since the table was checked; check the table again")
    assert dump(services.store.path) == before


def test_import_table_refuses_other_kinds_and_files(seeded_path: Path, tmp_path: Path) -> None:
    assert cli("--db", seeded_path, "import-table", "people", tmp_path / "p.csv").code == 2
    missing = cli("--db", seeded_path, "import-table", "measures", tmp_path / "gone.csv")
    assert (missing.code, missing.err) == (1, f"briefing-app: {tmp_path / 'gone.csv'}: "
                                              "no such file\n")
    letter = tmp_path / "letter.txt"
    shutil.copyfile(SEED_DIR / LETTER_003, letter)
    wrong = cli("--db", seeded_path, "import-table", "measures", letter)
    assert wrong.err == (f"briefing-app: {letter}: unsupported table type '.txt' "
                         "(use .csv or .xlsx)\n")


# ----------------------------------------------------------------------------- summaries


def test_summaries_of_the_seed(services: Services) -> None:
    summaries = services.tables.summaries()
    by_status = summaries.measures_by_status
    assert by_status.rows == (
        "I. External borders", "II. Border procedure and expedited returns",
        "III. Addressing secondary movements and ensuring effective solidarity",
        "IV. Working with partners to improve migration and return management")
    assert by_status.columns == ("not started", "in progress", "delayed", "done", "dropped",
                                 "no evidence")
    # measures 6 and 7, 12 and 13 are in progress by the seed's reviewed follow-ups
    assert by_status.counts == ((0, 0, 0, 0, 0, 4), (0, 2, 0, 0, 0, 1), (0, 0, 0, 0, 0, 3),
                                (0, 2, 0, 0, 0, 3))
    assert (by_status.row_totals, by_status.total) == ((4, 3, 3, 5), 15)
    assert summaries.overdue_measures == services.tables.overdue_count() == 7
    assert list(summaries.overdue_by_section.values()) == [0, 2, 2, 3]
    by_rag = summaries.countries_by_rag
    assert by_rag.columns == ("green", "amber", "red", "grey")
    assert dict(zip(by_rag.rows, by_rag.counts, strict=True)) == {
        "Central Mediterranean": (2, 0, 0, 3),
        "Western Mediterranean/Atlantic": (0, 3, 0, 2),
        "Eastern Mediterranean": (1, 1, 0, 1),
        "Western Balkans": (4, 0, 0, 0),
        "Eastern land border": (0, 0, 2, 1),
        "Asia/Africa origin": (0, 3, 0, 2),
    }
    assert by_rag.column_totals == (7, 7, 2, 9)


def test_summaries_follow_status_changes(services: Services) -> None:
    services.tracking.set_status("measures", 5, "done")
    services.tracking.set_status("measures", 6, "in progress")
    services.tracking.set_status("countries", "BY", "delayed", rag="amber")
    table = services.tables.measures_by_status()
    assert table.count("II. Border procedure and expedited returns", "done") == 1
    # measure 7 is in progress by the seed's follow-up, measure 6 by this change
    assert table.count("II. Border procedure and expedited returns", "in progress") == 2
    assert table.count("II. Border procedure and expedited returns", "no evidence") == 0
    assert services.tables.overdue_count() == 6  # measure 5 is done, no longer overdue
    assert services.tables.countries_by_rag().count("Eastern land border", "amber") == 1


def test_summaries_of_an_empty_store(empty_path: Path) -> None:
    services = open_services(empty_path, create=False, today=TODAY)
    try:
        summaries = services.tables.summaries()
    finally:
        services.close()
    assert (summaries.measures_by_status.rows, summaries.measures_by_status.total) == ((), 0)
    assert summaries.overdue_measures == 0
    assert summaries.countries_by_rag.row_totals == (0, 0, 0, 0, 0, 0)
