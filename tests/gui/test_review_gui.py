"""Reviewing an imported letter's commitments in the app, as a person would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import settle
from tests.gui.test_packs_gui import meetings_view, untick_all_but
from tests.helpers.pdf import pdftotext
from ui.dialogs.review import EditDialog, SplitDialog
from ui.main_window import MainWindow
from ui.views.countries import CountriesView
from ui.views.letters import LettersView
from ui.views.review import ReviewPanel

LETTER = """Brussels, 3 March 2025

Ref. HOME/2025/114

Dear Minister,

Following our meeting on the external dimension of migration, I would like to set out the \
Commission's proposals for the coming months.

The Commission proposes the following:

1. Launch a border management partnership with Tunisia by June 2025.
2. Open a legal pathways pilot with Mauritania by the end of 2025.
3. Fund a reintegration programme for returnees to Tunisia and Mauritania by March 2026.
4. Hold a regional conference on smuggling with Senegal by December 2025.

I look forward to your reply.

Yours sincerely,

Magnus Brunner
Commissioner for Internal Affairs and Migration
"""

TITLES = [
    "Launch a border management partnership with Tunisia by June 2025",
    "Open a legal pathways pilot with Mauritania by the end of 2025",
    "Fund a reintegration programme for returnees to Tunisia and Mauritania by March 2026",
    "Hold a regional conference on smuggling with Senegal by December 2025",
]


def import_letter(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> int:
    """Import the letter through File ▸ Import's path; its id (the seed has five)."""
    path = tmp_path / "brunner-proposals.txt"
    path.write_text(LETTER, encoding="utf-8")
    dialogs: list[object] = []
    window.import_files([path], on_done=dialogs.append)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=20_000)
    settle(qtbot)
    return 6


def open_review(qtbot: QtBot, window: MainWindow, letter_id: int) -> tuple[LettersView,
                                                                            ReviewPanel]:
    letters = window.show_view("letters")
    assert isinstance(letters, LettersView)
    settle(qtbot)
    letters.open_letter(letter_id)
    settle(qtbot)
    assert letters.current_record().id == letter_id
    panel = letters.open_review()
    settle(qtbot)
    return letters, panel


def rows(panel: ReviewPanel) -> list[tuple[str, ...]]:
    return [tuple(row.text(c) for c in range(6)) for row in panel.rows()]


def review_write(qtbot: QtBot, window: MainWindow, widget: object, key: Qt.Key) -> None:
    # a window shortcut fires only in the active window: offscreen, a window an earlier
    # test left behind may still hold the activation, so take it back first
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(widget, key)  # type: ignore[arg-type]
    settle(qtbot)


def back_to_the_window(qtbot: QtBot, window: MainWindow, panel: ReviewPanel) -> None:
    """After a dialog: the window active again (offscreen, Qt does not do it itself)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    panel.tree.setFocus()


def tab_text(letters: LettersView) -> str:
    return letters.details.tabText(letters.details.indexOf(letters.review))


def test_review_track_undo_pack_and_matrix(qtbot: QtBot, window: MainWindow,
                                           services: Services, tmp_path: Path) -> None:
    letter_id = import_letter(qtbot, window, tmp_path)
    ids = [c.id for c in services.commitments.list(letter_id=letter_id)]
    assert ids == [26, 27, 28, 29]
    letters, panel = open_review(qtbot, window, letter_id)
    assert tab_text(letters) == "Commitments (4 to review)"
    assert panel.tree.topLevelItem(0).text(0) == \
        "Proposals — 4 commitments: 0 accepted, 4 to review"
    assert rows(panel) == [
        ("Proposed", "1.", "", TITLES[0], "by June 2025", "TN"),
        ("Proposed", "2.", "", TITLES[1], "by the end of 2025", "MR"),
        ("Proposed", "3.", "", TITLES[2], "by March 2026", "MR, TN"),
        ("Proposed", "4.", "", TITLES[3], "by December 2025", "SN")]
    assert panel.selected_ids() == [26]  # the first to review
    # selecting a row marks its passage in the reader
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down)
    settle(qtbot)
    assert panel.selected_ids() == [27]
    second = services.commitments.get(27)
    assert letters.reader.content is not None
    assert letters.reader.content.focus == (second.start, second.end)
    assert letters.reader.content.letter.text[second.start:second.end].startswith(
        "2. Open a legal pathways pilot")
    # accept the first two (a click on one, Shift+Down to the next, then A)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Up)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_ids() == [26, 27]
    review_write(qtbot, window, panel.tree, Qt.Key.Key_A)
    assert [c.state for c in services.commitments.list(letter_id=letter_id)] == \
        ["accepted", "accepted", "proposed", "proposed"]
    assert tab_text(letters) == "Commitments (2 to review)"
    assert [r[0] for r in rows(panel)] == ["Accepted", "Accepted", "Proposed", "Proposed"]
    # reject the last with the button
    panel.select_ids([29])
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.mouseClick(panel.buttons["reject"], Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.commitments.get(29).state == "rejected"
    assert tab_text(letters) == "Commitments (1 to review)"
    assert window.undo_action.text() == "&Undo reject commitment 29"

    # an accepted one is tracked: its status editor, then Ctrl+Z
    panel.select_ids([27])
    settle(qtbot)
    editor = panel.editor
    assert editor is not None
    editor.status_box.setCurrentText("in progress")
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.commitments.get(27).status == "in progress"
    assert services.tracking.history("commitments", 27)[-1].new_status == "in progress"
    assert rows(panel)[1][0] == "Accepted"
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert services.commitments.get(27).status == "no evidence"
    assert [c.state for c in services.commitments.list(letter_id=letter_id)] == \
        ["accepted", "accepted", "proposed", "rejected"]

    # the pack's "Other commitments" prints the two accepted ones, not the rejected one
    view = meetings_view(qtbot, window)
    composer = view.composer
    untick_all_but(composer, {"cover", "commitments"})
    out = tmp_path / "pack.pdf"
    builds: list[object] = []
    composer.build_to(out, on_done=builds.append)
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    settle(qtbot)
    text = " ".join(pdftotext(out).split())
    assert TITLES[0] in text and TITLES[1] in text
    assert TITLES[3] not in text and TITLES[2] not in text

    # the matrix, with the series chosen, has the two accepted ones as columns
    countries = window.show_view("countries")
    assert isinstance(countries, CountriesView)
    settle(qtbot)
    countries.tabs.setCurrentIndex(2)
    combo = countries.matrix_series
    assert combo.itemText(0) == "Operational measures"
    index = combo.findData("proposals")
    assert combo.itemText(index) == "Proposals (letter 6, 2 accepted)"
    with qtbot.waitSignal(countries.matrix_loaded, timeout=15_000):
        combo.setCurrentIndex(index)
    model = countries.matrix_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert [h.split(" · ")[0] for h in headers] == ["1", "2"]
    named = {model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())}
    assert "Tunisia (TN)" in named
    tunisia = next(r for r in range(model.rowCount())
                   if model.headerData(r, Qt.Orientation.Vertical) == "Tunisia (TN)")
    assert [model.data(model.index(tunisia, c)) for c in range(2)] == ["?", None]
    # back to the measures: what it shows by default
    with qtbot.waitSignal(countries.matrix_loaded, timeout=15_000):
        combo.setCurrentIndex(0)
    assert model.columnCount() == len(services.tracking.measures())


def test_review_by_keyboard_only(qtbot: QtBot, window: MainWindow, services: Services,
                                 tmp_path: Path) -> None:
    letter_id = import_letter(qtbot, window, tmp_path)
    letters, panel = open_review(qtbot, window, letter_id)
    if QApplication.focusWidget() is None:
        # the offscreen platform may drop the window's activation when a pane is rebuilt
        # (seen on CI): activate it again, as a desktop would, and its focus comes back
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)
    assert panel.tree.hasFocus() or QApplication.focusWidget() is panel.tree
    assert {name: b.toolTip()[-3:] for name, b in panel.buttons.items()} == {
        "accept": "(A)", "reject": "(R)", "edit": "(E)", "merge": "(M)", "split": "(S)"}
    # F1 on the Commitments tab: the review's help page
    qtbot.keyClick(panel.tree, Qt.Key.Key_F1)
    assert window.help_window.topic == "review"
    assert window.help_window.browser.toPlainText().startswith(
        "Reviewing a letter's commitments")
    window.help_window.close()
    back_to_the_window(qtbot, window, panel)

    # Edit… (E): a bad country code is named inline, then a good edit
    qtbot.keyClick(panel.tree, Qt.Key.Key_E)
    dialog = panel.dialog
    assert isinstance(dialog, EditDialog) and dialog.isVisible()
    assert (dialog.title_edit.text(), dialog.countries_edit.text()) == (TITLES[0], "TN")
    dialog.countries_edit.setFocus()  # Alt+C, its label's mnemonic
    dialog.countries_edit.selectAll()
    qtbot.keyClicks(dialog.countries_edit, "TN, Tunisia")
    qtbot.keyClick(dialog.countries_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.text() == ("countries: 'Tunisia' is not an ISO 3166-1 alpha-2 "
                                   "code (e.g. TN)")
    assert dialog.focusWidget() is dialog.countries_edit  # the field named is focused
    dialog.countries_edit.selectAll()
    qtbot.keyClicks(dialog.countries_edit, "tn, ma")
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(dialog.countries_edit, Qt.Key.Key_Return)
    settle(qtbot)
    assert not dialog.isVisible()
    assert services.commitments.get(26).countries == ("MA", "TN")

    # Merge (M): Shift+Down selects two of one series
    back_to_the_window(qtbot, window, panel)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_ids() == [26, 27]
    review_write(qtbot, window, panel.tree, Qt.Key.Key_M)
    assert [c.id for c in services.commitments.list(letter_id=letter_id)] == [26, 28, 29]
    assert services.commitments.get(26).text == (
        "Launch a border management partnership with Tunisia by June 2025.\n"
        "Open a legal pathways pilot with Mauritania by the end of 2025.")

    # Split… (S): the cursor goes where the second part starts
    panel.tree.setFocus()
    panel.select_ids([26])
    qtbot.keyClick(panel.tree, Qt.Key.Key_S)
    split = panel.dialog
    assert isinstance(split, SplitDialog) and split.focusWidget() is split.text
    split.set_offset(0)
    qtbot.keyClick(split.text, Qt.Key.Key_Return)
    assert split.error.text().startswith("split point: put the cursor inside the text")
    qtbot.keyClick(split.text, Qt.Key.Key_Down)  # the start of the second line
    assert split.offset() == split.item.text.index("\n") + 1
    assert split.preview.text().startswith("1st: Launch a border")
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(split.text, Qt.Key.Key_Return)
    settle(qtbot)
    texts = [c.text for c in services.commitments.list(letter_id=letter_id)]
    assert texts[:2] == ["Launch a border management partnership with Tunisia by June 2025.",
                         "Open a legal pathways pilot with Mauritania by the end of 2025."]

    # Accept (A) and Reject (R) on the keyboard, then Ctrl+Z and Ctrl+Shift+Z
    back_to_the_window(qtbot, window, panel)
    panel.select_ids([28])
    review_write(qtbot, window, panel.tree, Qt.Key.Key_R)
    assert services.commitments.get(28).state == "rejected"
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert services.commitments.get(28).state == "proposed"
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    assert services.commitments.get(28).state == "rejected"
    panel.tree.setFocus()
    panel.select_ids([28])
    review_write(qtbot, window, panel.tree, Qt.Key.Key_A)
    assert services.commitments.get(28).state == "accepted"
    assert tab_text(letters) == "Commitments (3 to review)"
