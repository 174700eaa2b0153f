"""Tables in the app: export what the filter shows; import a table after a preview."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import settle
from ui.dialogs.tables import ProblemsDialog, TablePreviewDialog
from ui.main_window import MainWindow
from ui.operations.tables import preview_table


def test_export_what_the_filter_shows(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    view = window.show_view("measures")
    settle(qtbot)
    qtbot.keyClicks(view.filter_edit, "Frontex")
    target = tmp_path / "frontex.xlsx"
    view.export_shown(target)
    qtbot.waitUntil(target.exists, timeout=30_000)
    settle(qtbot)
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    numbers = [row[header.index("number")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [1, 2, 5, 12]


def test_import_a_table_after_its_preview(qtbot: QtBot, window: MainWindow, services: Services,
                                          tmp_path: Path) -> None:
    table = tmp_path / "tracker.csv"
    table.write_text("number,status,owner\n12,Done,Desk Africa\n13, no evidence ,\n",
                     encoding="utf-8")
    previews: list[TablePreviewDialog] = []
    preview_table(window, window, "measures", table, on_preview=previews.append)
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    dialog = previews[0]
    # the seed has measures 12 and 13 in progress (their follow-ups of 14 October 2024)
    assert dialog.rows() == [
        ("2", "Measure 12", "status", "in progress", "done"),
        ("2", "Measure 12", "rag", "amber", "green"),
        ("2", "Measure 12", "owner", "", "Desk Africa"),
        ("3", "Measure 13", "status", "in progress", "no evidence"),
        ("3", "Measure 13", "rag", "amber", "grey"),
    ]
    assert services.tracking.measure(12).status == "in progress"  # nothing written yet
    with qtbot.waitSignal(window.write_done, timeout=30_000):
        dialog.apply_button.click()
    settle(qtbot)
    measure = services.tracking.measure(12)
    assert (measure.status, measure.rag, measure.owner) == ("done", "green", "Desk Africa")
    assert services.tracking.history("measures", 12)[-1].source == "import-table tracker.csv, row 2"


def test_a_table_with_a_bad_row_lists_it_and_writes_nothing(
        qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("number,status\n12,Done\n13,finished\n", encoding="utf-8")
    problems: list[ProblemsDialog] = []
    preview_table(window, window, "measures", table, on_problems=problems.append)
    qtbot.waitUntil(lambda: bool(problems), timeout=30_000)
    assert problems[0].text.toPlainText() == (
        f"{table}:3:status: unknown status 'finished' (use one of: not started, in progress, "
        "delayed, done, dropped, no evidence)")
    assert services.tracking.measure(12).status == "in progress"
