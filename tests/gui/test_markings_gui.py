"""The composer's marking, its national markings dialog, file names and keyboard use."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from briefing_app.domain.markings import STANDARD_MARKINGS
from briefing_app.services.markings import load_settings, save_settings, settings_path
from tests.gui.conftest import settle
from ui.dialogs.markings import MarkingsDialog, edit_markings
from ui.main_window import MainWindow
from ui.views import composer as composer_module
from ui.views.composer import KEY_ROLE, UNKNOWN_MARKING, PackComposer
from ui.views.meetings import MeetingsView

VS = "VS – NUR FÜR DEN DIENSTGEBRAUCH"
DR = "DIFFUSION RESTREINTE"


def open_composer(qtbot: QtBot, window: MainWindow) -> PackComposer:
    view = window.show_view("packs")
    settle(qtbot)
    assert isinstance(view, MeetingsView)
    view.tabs.setCurrentWidget(view.composer)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # completion only runs in an active window
    assert view.composer.meeting is not None
    return view.composer


def items(composer: PackComposer) -> list[str]:
    box = composer.classification
    return [box.itemText(i) for i in range(box.count())]


def line_edit(composer: PackComposer) -> QLineEdit:
    edit = composer.classification.lineEdit()
    assert edit is not None  # the box is editable
    return edit


def type_marking(qtbot: QtBot, composer: PackComposer, text: str) -> None:
    """Focus the marking box, select what is there and type ``text`` key by key."""
    edit = line_edit(composer)
    composer.classification.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for character in text:
        if character.isascii():
            QTest.keyClicks(edit, character)
        else:  # QTest.keyClicks only knows ASCII: a key event carrying the letter
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(edit, QKeyEvent(
                    kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, character))


def leave(composer: PackComposer) -> None:
    """Tab out of the marking box (what makes an editable combo box settle its text)."""
    QTest.keyClick(line_edit(composer), Qt.Key.Key_Tab)
    assert not line_edit(composer).hasFocus()


def test_typing_limite_gives_exactly_limite(qtbot: QtBot, window: MainWindow) -> None:
    composer = open_composer(qtbot, window)
    assert items(composer) == list(STANDARD_MARKINGS)
    assert "LIMITED" not in items(composer)
    assert composer.spec().classification == "UNCLASSIFIED"
    assert composer.marking_note.text() == "No security marking."

    type_marking(qtbot, composer, "LIMITE")
    assert composer.classification.currentText() == "LIMITE"
    leave(composer)
    assert composer.classification.currentText() == "LIMITE"
    assert composer.spec().classification == "LIMITE"
    assert composer.marking_note.text() == "Standard EU marking."
    assert composer.marking_note.property("markingKind") == "eu"


@pytest.mark.parametrize(("typed", "key", "expected"), [
    ("LIM", Qt.Key.Key_Tab, "LIM"),  # no inline completion to "LIMITE"
    ("RESTREINT UE", Qt.Key.Key_Return, "RESTREINT UE"),  # nor to the whole marking
    ("limite", Qt.Key.Key_Tab, "limite"),  # nor a case-blind match on leaving the box
    ("limite", Qt.Key.Key_Return, "limite"),  # nor on Enter
    ("LIMITED", Qt.Key.Key_Return, "LIMITED"),
    ("  SECRET   UE/EU SECRET ", Qt.Key.Key_Tab, "SECRET UE/EU SECRET"),  # spaces collapse
], ids=["LIM-tab", "RESTREINT-UE-enter", "limite-tab", "limite-enter", "LIMITED-enter",
        "spaces-tab"])
def test_what_is_typed_is_never_rewritten(qtbot: QtBot, window: MainWindow, typed: str,
                                          key: Qt.Key, expected: str) -> None:
    composer = open_composer(qtbot, window)
    type_marking(qtbot, composer, typed)
    QTest.keyClick(line_edit(composer), key)
    assert composer.classification.currentText() == typed
    assert composer.spec().classification == expected
    assert items(composer) == list(STANDARD_MARKINGS)  # nothing typed joins the list
    known = expected in STANDARD_MARKINGS
    assert (composer.marking_note.text() == UNKNOWN_MARKING) is not known
    assert composer.marking_note.property("markingKind") == ("eu" if known else "unknown")


def test_national_markings_from_the_settings(qtbot: QtBot, window: MainWindow) -> None:
    save_settings([VS, DR])
    composer = open_composer(qtbot, window)
    composer.reload_markings()  # the window was opened before the settings were written
    assert items(composer) == [*STANDARD_MARKINGS, "", VS, DR]  # "" is the separator
    type_marking(qtbot, composer, VS)
    leave(composer)
    assert composer.spec().classification == VS
    assert composer.marking_note.text() == "National marking (from Markings…)."
    type_marking(qtbot, composer, "VS - NUR FÜR DEN DIENSTGEBRAUCH")  # a hyphen
    assert composer.marking_note.text() == UNKNOWN_MARKING


def test_the_markings_dialog_saves_and_every_composer_follows(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    composer = open_composer(qtbot, window)
    type_marking(qtbot, composer, DR)
    assert composer.marking_note.text() == UNKNOWN_MARKING

    def fill_and_save(dialog: MarkingsDialog) -> int:
        assert dialog.editor.toPlainText() == ""
        dialog.editor.setPlainText(f"{VS}\n\n  {DR} \nLIMITE")
        dialog.save()  # refused: nothing is written
        assert dialog.error.text() == "line 4: 'LIMITE' is a standard marking already"
        assert not settings_path().exists()
        dialog.editor.setPlainText(f"{VS}\n\n  {DR} ")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(MarkingsDialog, "exec", fill_and_save)
    assert edit_markings(window) is True
    assert load_settings().national == (VS, DR)
    assert items(composer) == [*STANDARD_MARKINGS, "", VS, DR]
    assert composer.classification.currentText() == DR  # what was typed stays
    assert composer.marking_note.text() == "National marking (from Markings…)."

    monkeypatch.setattr(MarkingsDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert edit_markings(window) is False


def test_a_broken_settings_file_is_shown_not_fatal(qtbot: QtBot, window: MainWindow) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"national_markings": 7}', encoding="utf-8")
    composer = open_composer(qtbot, window)
    composer.reload_markings()
    assert items(composer) == list(STANDARD_MARKINGS)
    problem = f'{path}: expected {{"national_markings": [a list of markings]}}'
    assert composer.marking_note.text() == (
        "No security marking. National markings not loaded: the settings file has a "
        "problem (see Markings…).")
    assert composer.marking_note.toolTip() == problem
    dialog = MarkingsDialog(composer)
    qtbot.addWidget(dialog)
    assert dialog.problem.text() == (f"The settings file could not be used, so it is ignored: "
                                     f"{problem}. Saving replaces it.")
    dialog.editor.setPlainText(VS)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings().national == (VS,)


def test_the_default_file_name(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    composer = open_composer(qtbot, window)
    offered: list[str] = []

    def save_as(parent: QWidget, title: str, suggested: str, filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return "", ""  # cancelled

    monkeypatch.setattr(composer_module.QFileDialog, "getSaveFileName", save_as)
    composer.choose_output()
    settle(qtbot)
    assert [Path(p).name for p in offered] == ["2024-04-29 Ministerial Conference - pack v1.pdf"]
    for row in range(composer.sections.count()):
        item = composer.sections.item(row)
        item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) == "cover"
                           else Qt.CheckState.Unchecked)
    builds: list[object] = []
    composer.build_to(tmp_path / "first.pdf", on_done=builds.append)
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    settle(qtbot)
    composer.choose_output()
    settle(qtbot)
    assert Path(offered[-1]).name == "2024-04-29 Ministerial Conference - pack v2.pdf"


# ---------------------------------------------------------------------- the keyboard


def focus_chain(last: QWidget, steps: int) -> list[QWidget]:
    """The widgets Tab reaches from the focused one up to ``last``, as a person pressing
    Tab sees them (a widget holding the focus over several presses counts once)."""
    reached: list[QWidget] = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        assert widget is not None
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        if not reached or reached[-1] is not now:
            reached.append(now)
        if now is last:
            break
    return reached


def test_the_composer_at_1280_by_720_with_the_keyboard(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    window.resize(1280, 720)
    composer = open_composer(qtbot, window)
    settle(qtbot)
    assert window.size().width() == 1280 and window.size().height() == 720
    c = composer
    controls = [c.sections, c.items_button, c.up_button, c.down_button, c.note_for,
                c.note_edit, c.related_button, c.classification, c.markings_button, c.paper,
                c.draft, c.since_box, c.since, c.preview_box, c.build_button, c.preview.view]
    visible = QRect(QPoint(0, 0), composer.size())
    assert QRect(QPoint(0, 0), window.size()).contains(
        QRect(composer.mapTo(window, QPoint(0, 0)), composer.size()))
    for control in controls:  # all on screen, none cut off
        assert control.isVisible(), control
        box = QRect(control.mapTo(composer, QPoint(0, 0)), control.size())
        assert visible.contains(box), (control, box, visible)
        assert control.height() >= control.minimumSizeHint().height(), control

    # the sections: arrow keys move, Space ticks, Alt+Up/Down reorder
    c.sections.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(c.sections.hasFocus)
    assert c.sections.currentRow() == 0  # Tab into the list makes its first row current
    first = c.sections.item(0)
    assert first.data(KEY_ROLE) == "cover" and first.checkState() == Qt.CheckState.Checked
    QTest.keyClick(c.sections, Qt.Key.Key_Space)
    assert first.checkState() == Qt.CheckState.Unchecked
    QTest.keyClick(c.sections, Qt.Key.Key_Space)
    assert first.checkState() == Qt.CheckState.Checked
    for _ in range(3):
        QTest.keyClick(c.sections, Qt.Key.Key_Down)
    assert c.sections.currentItem().data(KEY_ROLE) == "action-points"
    assert c.items_button.isEnabled()  # a section with items to choose
    QTest.keyClick(c.sections, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(c.sections, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    keys = [c.sections.item(r).data(KEY_ROLE) for r in range(c.sections.count())]
    assert keys[:4] == ["cover", "action-points", "contents", "lines-to-take"]
    assert c.sections.currentRow() == 1
    QTest.keyClick(c.sections, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s.key for s in c.spec().sections][:4] == ["cover", "contents", "action-points",
                                                      "lines-to-take"]

    # Tab walks every control in reading order (the note takes no Tab characters)
    c.since_box.setChecked(True)
    # the date's parts take Tabs; the live preview, last, takes PageUp/PageDown
    reached = focus_chain(c.preview.view, 3 * len(controls))

    def control_of(widget: QWidget) -> QWidget | None:  # an editable box's or date's edit
        return widget if widget in controls else widget.parentWidget()

    assert [control_of(w) for w in reached] == controls[1:]
    assert c.note_edit.toPlainText() == ""
