"""Follow-ups in the app: review them in a detail pane, see what a status rests on, undo.

A real seeded store (tests/conftest.py, today 15 January 2025): measure 1 of
the letter of 26 January 2023 has no evidence and finder suggestions from the
letter of 14 October 2024; measure 13 is "in progress" on an accepted
follow-up of that letter and has one suggestion, from 15 March 2024.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from briefing_app.services.preferences import load_preferences
from tests.gui.conftest import settle
from tests.gui.test_review_gui import import_letter, open_review
from ui.dialogs.follow_up import AcceptDialog
from ui.dialogs.tracking_settings import TrackingSettingsDialog, apply_stale_months
from ui.main_window import MainWindow
from ui.views.letters import LettersView
from ui.views.tracked import MeasuresView
from ui.widgets.follow_ups import FollowUpSection

VDL_2024 = "President von der Leyen to EU leaders on migration: 10 points of action"
JOHANSSON = "Commissioner Johansson to Minister Karner on preparing the implementation of the Pact"


def listed(day: str) -> str:
    """A date as a list's cell writes it: non-breaking spaces, so that a narrow column
    elides it and never breaks it."""
    return day.replace(" ", "\u00a0")

#: Follow-up 7: measure 1 reported on in the letter of 14 October 2024.
FOLLOW_UP_7 = ("Generally, we will continue to promote integrated border management, while "
               "starting reflections on how best to strengthen the operational…")


def open_measure(qtbot: QtBot, window: MainWindow, number: int) -> MeasuresView:
    view = window.show_view("measures")
    assert isinstance(view, MeasuresView)
    settle(qtbot)
    view.select_number(number)
    settle(qtbot)
    assert view.current_record().number == number
    assert view.follow_ups is not None and view.evidence is not None
    return view


def pane(view: MeasuresView) -> tuple[str, list[str], list[tuple[int, str]], str]:
    """What the detail pane and the list say of the current measure: the evidence block's
    lines, the chips, the follow-ups (id, state) and the list's As of cell."""
    assert view.evidence is not None and view.follow_ups is not None
    row = view.table.currentIndex().row()
    column = [view.model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(view.model.columnCount())].index("As of")
    cell = view.proxy.index(row, column).data()
    chips = [chip.text() for chip in view.detail_area.widget().findChildren(QWidget)
             if type(chip).__name__ == "StatusChip" and not chip.isHidden()]
    return (" | ".join(view.evidence.texts()), chips,
            [(f.id, f.state) for f in view.follow_ups.list.follow_ups()], cell)


def press_button(qtbot: QtBot, window: MainWindow, section: FollowUpSection,
                 name: str) -> None:
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.mouseClick(section.buttons[name], Qt.MouseButton.LeftButton)
    settle(qtbot)


def write(qtbot: QtBot, window: MainWindow, action: object) -> None:
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        action()  # type: ignore[operator]
    settle(qtbot)


def accept_with(qtbot: QtBot, window: MainWindow, view: MeasuresView, follow_up_id: int,
                status: str | None, note: str | None = None) -> AcceptDialog:
    section = view.follow_ups
    assert section is not None and section.list.select_id(follow_up_id)
    qtbot.mouseClick(section.buttons["accept"], Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, AcceptDialog) and dialog.isVisible()
    dialog.select_status(status)
    if note:
        dialog.note_edit.setText(note)
    write(qtbot, window, dialog.accept)
    return dialog


def test_accepting_a_suggestion_with_a_status_dates_and_sources_it_and_undo_restores(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_measure(qtbot, window, 1)
    before = pane(view)
    assert before == (
        "no evidence · as of 26 Jan 2023 | stale",
        ["no evidence", "grey", "stale"],
        [(7, "suggested"), (8, "suggested"), (9, "suggested"), (10, "suggested"),
         (11, "suggested")],
        listed("26 Jan 2023") + "\nstale")
    assert window.data_label.text() == "newest evidence: 14 Oct 2024"

    dialog = accept_with(qtbot, window, view, 7, "delayed", "Frontex reflections only")
    assert dialog.windowTitle() == "Accept a follow-up of Measure 1"
    accepted = (
        "delayed · as of 14 Oct 2024 | "
        f"Source: “{FOLLOW_UP_7}” — {VDL_2024}, 14 Oct 2024",
        ["delayed", "red"],
        [(7, "accepted"), (8, "suggested"), (9, "suggested"), (10, "suggested"),
         (11, "suggested")],
        listed("14 Oct 2024"))
    assert pane(view) == accepted
    measure = services.tracking.measure(1)
    assert (measure.status, measure.rag, str(measure.evidence.as_of)) == \
        ("delayed", "red", "2024-10-14")
    last = services.tracking.history("measures", 1)[-1]
    assert (last.new_status, last.note, last.source) == (
        "delayed", "Frontex reflections only",
        "follow-up 7: letter 5 (14 Oct 2024), characters 12337-12581")
    assert window.undo_action.text() == "&Undo accept a follow-up of Measure 1"
    assert window.data_label.text() == "newest evidence: 14 Oct 2024"
    # the pane is redrawn with the accepted follow-up still current, and focused
    assert view.follow_ups is not None
    assert view.follow_ups.list.current_follow_up().id == 7

    write(qtbot, window, window.undo_action.trigger)
    assert pane(view) == before
    assert services.follow_ups.get(7).state == "suggested"
    assert services.tracking.measure(1).status == "no evidence"
    assert [r.action for r in services.follow_ups.reviews(7)] == ["accept", "undo"]

    write(qtbot, window, window.redo_action.trigger)  # accepted again, with its status
    assert pane(view) == accepted
    write(qtbot, window, window.undo_action.trigger)
    assert pane(view) == before


def test_an_older_follow_up_becomes_the_source_and_the_date_stays_the_newest(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_measure(qtbot, window, 13)
    before = pane(view)
    assert before[0].startswith("in progress · as of 14 Oct 2024 | Source: “as well as a "
                                "strong legal framework")
    # the finder's suggestion of the Johansson letter of 15 March 2024
    older = next(f.id for f in services.follow_ups.list(
        commitment_id=services.tracking.measure(13).id, state="suggested")
        if f.letter_date is not None and f.letter_date.isoformat() == "2024-03-15")
    assert before[2] == [(6, "accepted"), (older, "suggested")]
    accept_with(qtbot, window, view, older, "delayed")
    text, chips, follow_ups, cell = pane(view)
    assert text.startswith("delayed · as of 14 Oct 2024 | Source: “To this end, work has "
                           "already started on the Common Implementation Plan")
    assert text.endswith(f"” — {JOHANSSON}, 15 Mar 2024")
    assert (chips, follow_ups, cell) == (
        ["delayed", "red", "overdue"], [(6, "accepted"), (older, "accepted")],
        listed("14 Oct 2024"))
    write(qtbot, window, window.undo_action.trigger)
    assert pane(view) == before
    assert services.follow_ups.get(older).state == "suggested"


def test_dismiss_and_undo(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_measure(qtbot, window, 1)
    before = pane(view)
    assert view.follow_ups is not None and view.follow_ups.list.select_id(8)
    press_button(qtbot, window, view.follow_ups, "dismiss")
    text, chips, follow_ups, cell = pane(view)
    # dismissed ones go last; the status and its date do not move
    assert (text, chips, cell) == (before[0], before[1], before[3])
    assert follow_ups == [(7, "suggested"), (9, "suggested"), (10, "suggested"),
                          (11, "suggested"), (8, "dismissed")]
    assert services.follow_ups.get(8).state == "dismissed"
    assert window.undo_action.text() == "&Undo dismiss a follow-up of Measure 1"
    section = view.follow_ups
    assert section is not None and section.list.current_follow_up().id == 8
    assert not section.buttons["dismiss"].isEnabled()
    assert section.buttons["accept"].isEnabled()  # a dismissed passage can be accepted
    write(qtbot, window, window.undo_action.trigger)
    assert pane(view) == before
    assert services.follow_ups.get(8).state == "suggested"


def test_a_status_set_by_hand_warns_that_it_has_no_source(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_measure(qtbot, window, 2)
    assert view.evidence is not None and view.evidence.warning.isHidden()
    assert view.editor is not None
    view.editor.status_box.setCurrentText("done")
    write(qtbot, window, view.editor.apply_button.click)
    assert view.evidence is not None
    assert not view.evidence.warning.isHidden()
    assert view.evidence.warning.text() == (
        "No source: the status “done” rests on no passage of a letter. Accept a follow-up "
        "that reports it, or record where it comes from in a note.")
    # set by a person today: dated today, not stale
    assert view.evidence.status_label.text().startswith("done · as of ")
    assert view.evidence.stale_chip is None


def open_letter(qtbot: QtBot, window: MainWindow, letter_id: int) -> LettersView:
    letters = window.letters_view
    assert isinstance(letters, LettersView)
    letters.select(letter_id)
    qtbot.waitUntil(lambda: letters.reader.content is not None
                    and letters.reader.content.letter.id == letter_id, timeout=15_000)
    settle(qtbot)
    return letters


def test_the_reader_marks_follow_up_passages_and_opens_their_commitment(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    # the letter of 15 March 2024 reports on measure 13 where it cites nothing: its
    # paragraph on the Common Implementation Plan (characters 1058-1692)
    letters = open_letter(qtbot, window, 2)
    content = letters.reader.content
    assert content is not None and content.html is not None
    marked = services.follow_ups.in_letter(2)
    assert [(f.id, f.item_label) for f in content.follow_ups] == \
        [(f.id, f.item_label) for f in marked]
    index, thirteen = next((i, f) for i, f in enumerate(content.follow_ups)
                           if f.item_label == "Measure 13")
    assert (thirteen.start, thirteen.end, thirteen.state) == (1058, 1692, "suggested")
    # one link for the paragraph: its first follow-up takes the click, the others ride along
    link = re.search(rf'<a href="follow-up:{index}(?:\?also=[^"]*)?" title="([^"]*)" '
                     'style="background-color:#ebf4ff; color:#1b1b1b; '
                     'text-decoration:underline;">', content.html)
    assert link is not None
    assert "Measure 13 (reported on here, suggested)" in link[1].split("; ")
    letters.reader._on_anchor(QUrl(f"follow-up:{index}"))  # a click on it
    settle(qtbot)
    measures = window.current_view()
    assert isinstance(measures, MeasuresView)
    assert measures.current_record().number == 13
    assert measures.follow_ups is not None
    assert [f.id for f in measures.follow_ups.list.follow_ups()] == [6, thirteen.id]


def test_the_reader_context_menu_offers_every_item_marked_there(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    # in the letter of 14 October 2024 the paragraph on Frontex is part of action point 6
    # (its click) and is suggested as reporting on measures 1 and 2 among others: the menu
    # offers them all
    reported = [f.item_label for f in services.follow_ups.in_letter(5)
                if (f.start, f.end) == (12337, 12581)]
    assert {"Measure 1", "Measure 2"} <= set(reported)
    letters = open_letter(qtbot, window, 5)
    browser = letters.reader.browser
    cursor = browser.document().find("Generally, we will continue to promote")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 2)
    browser.setTextCursor(cursor)  # where Tab would put it, from the keyboard
    menu = letters.reader.context_menu()
    labels = [a.text() for a in menu.actions() if a.text().startswith("Open ")]
    assert not [a for a in menu.actions() if a.objectName() == "link-copy"]
    assert labels == [
        "Open Action point 6: Counter hybrid warfare and strengthen security at our borders",
        *(f"Open {label} (reported on here, suggested)" for label in reported)]
    next(a for a in menu.actions()
         if a.text() == "Open Measure 2 (reported on here, suggested)").trigger()
    settle(qtbot)
    measures = window.current_view()
    assert isinstance(measures, MeasuresView)
    assert measures.current_record().number == 2


def test_the_stale_threshold_is_a_saved_setting_and_the_lists_follow_it(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_measure(qtbot, window, 1)
    assert pane(view)[3] == listed("26 Jan 2023") + "\nstale"
    dialog = TrackingSettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.months.value() == 9
    dialog.months.setValue(30)  # 26 January 2023 + 30 months is after 15 January 2025
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert load_preferences().stale_after_months == 30
    apply_stale_months(window, 30)
    settle(qtbot)
    assert pane(view)[0] == "no evidence · as of 26 Jan 2023"
    assert pane(view)[3] == listed("26 Jan 2023")
    assert services.tracking.stale_after_months == 30


def test_a_commitment_of_an_imported_letter_has_its_follow_ups_in_the_commitments_tab(
        qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path) -> None:
    letter_id = import_letter(qtbot, window, tmp_path)
    _letters, panel = open_review(qtbot, window, letter_id)
    commitment = next(c for c in services.commitments.list(letter_id=letter_id)
                      if c.follow_ups)
    panel.select_ids([commitment.id])
    settle(qtbot)
    section = panel.follow_ups
    assert section is not None
    assert [f.id for f in section.list.follow_ups()] == [f.id for f in commitment.follow_ups]
    first = commitment.follow_ups[0]
    assert first.state == "suggested"
    # a proposed commitment: its follow-up can be accepted, its status not set yet
    qtbot.mouseClick(section.buttons["accept"], Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, AcceptDialog) and not dialog.status_box.isEnabled()
    write(qtbot, window, dialog.accept)
    assert services.follow_ups.get(first.id).state == "accepted"
    assert panel.selected_ids() == [commitment.id]
    assert panel.follow_ups is not None
    assert panel.follow_ups.list.follow_ups()[0].state == "accepted"
    write(qtbot, window, window.undo_action.trigger)
    assert services.follow_ups.get(first.id).state == "suggested"


def in_sight(view: MeasuresView, section: FollowUpSection) -> bool:
    """Whether the current follow-up's row is on screen in the (scrolled) detail pane."""
    row = section.list.visualItemRect(section.list.currentItem())
    viewport = view.detail_area.viewport()
    top = section.list.viewport().mapTo(viewport, row.topLeft())
    bottom = section.list.viewport().mapTo(viewport, row.bottomLeft())
    return viewport.rect().contains(top) and viewport.rect().contains(bottom)


def focused() -> QWidget:
    """The widget keys go to (the offscreen platform may drop the window's activation when
    a pane is rebuilt: activate it again, as a desktop would)."""
    if QApplication.focusWidget() is None:
        active = QApplication.activeModalWidget() or next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        active.activateWindow()
        QApplication.processEvents()
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


@pytest.fixture
def active(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window


def test_keyboard_only_a_follow_up_is_accepted_with_a_status_and_undone(
        qtbot: QtBot, active: MainWindow, services: Services) -> None:
    window = active
    window.sidebar.setFocus()
    press(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Operational measures
    settle(qtbot)
    view = window.current_view()
    assert isinstance(view, MeasuresView)
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused(), "Strengthening key external borders")
    press(Qt.Key.Key_Return)  # into the list
    settle(qtbot)
    assert view.current_record().number == 1
    # Tab: the status editor's four fields (Record change is off), then the follow-ups
    for _ in range(5):
        press(Qt.Key.Key_Tab)
    section = view.follow_ups
    assert section is not None and QApplication.focusWidget() is section.list
    press(Qt.Key.Key_Down)
    assert section.list.current_follow_up().id == 8
    press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Accept…
    qtbot.waitUntil(lambda: isinstance(view.dialog, AcceptDialog) and view.dialog.isVisible(),
                    timeout=5_000)
    dialog = view.dialog
    assert isinstance(dialog, AcceptDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    assert QApplication.focusWidget() is dialog.status_box
    QTest.keyClicks(dialog.status_box, "in")
    assert dialog.status_box.currentData() == "in progress"
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        press(Qt.Key.Key_Return)
    settle(qtbot)
    assert services.tracking.measure(1).status == "in progress"
    assert services.follow_ups.get(8).state == "accepted"
    assert view.evidence is not None
    assert view.evidence.status_label.text() == "in progress · as of 14 Oct 2024"
    # the keys stay in the follow-ups, on the one accepted, and the pane shows it
    section = view.follow_ups
    assert section is not None
    assert focused() is section.list
    assert section.list.current_follow_up().id == 8
    qtbot.waitUntil(lambda: in_sight(view, section), timeout=5_000)
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert services.tracking.measure(1).status == "no evidence"
    assert services.follow_ups.get(8).state == "suggested"
    assert view.evidence is not None
    assert view.evidence.status_label.text() == "no evidence · as of 26 Jan 2023"
    # Enter on a follow-up opens the letter at its passage
    view.follow_ups.list.setFocus()  # type: ignore[union-attr]
    view.follow_ups.list.select_id(8)  # type: ignore[union-attr]
    letters = window.letters_view
    with qtbot.waitSignal(letters.reader_ready, timeout=15_000):
        press(Qt.Key.Key_Return)
    settle(qtbot)
    follow_up = services.follow_ups.get(8)
    assert letters.reader.content is not None
    assert (letters.reader.content.letter.id, letters.reader.content.focus) == \
        (5, (follow_up.start, follow_up.end))


def test_the_two_dialogs_fit_a_laptop_screen(qtbot: QtBot, window: MainWindow,
                                             services: Services) -> None:
    from tests.gui.test_laptop import inside_screen

    longest = max(services.follow_ups.list(), key=lambda f: len(f.text))
    for dialog in (AcceptDialog(longest, "no evidence", "grey", parent=window),
                   TrackingSettingsDialog(window)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert inside_screen(dialog), type(dialog).__name__
        dialog.close()


def test_an_accepted_follow_up_is_marked_deeper_than_a_suggestion() -> None:
    from ui.views.letter_html import FOLLOW_UP, FOLLOW_UP_SUGGESTED, Passage, letter_html

    marked = letter_html("one two three", [
        Passage(0, 0, 3, "Measure 1 (reported on here, accepted)", "follow-up"),
        Passage(1, 8, 13, "Measure 2 (reported on here, suggested)", "follow-up",
                suggested=True)])
    assert (f'<a href="follow-up:0" title="Measure 1 (reported on here, accepted)" '
            f'style="background-color:{FOLLOW_UP}; ') in marked
    assert (f'<a href="follow-up:1" title="Measure 2 (reported on here, suggested)" '
            f'style="background-color:{FOLLOW_UP_SUGGESTED}; ') in marked
