"""Every view driven as a person would: filters, status changes, undo, search, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from briefing_app.services import Services
from tests.gui.conftest import settle
from tests.helpers.store import LETTER_000, SEED_DIR
from ui.main_window import MainWindow
from ui.views.countries import CountriesView
from ui.views.letters import LettersView
from ui.views.list_view import ListView
from ui.views.tracked import ActionPointsView, MeasuresView


def shown(view: ListView, field: str) -> list[object]:
    return [getattr(record, field) for record in view.visible_records()]


def open_view(qtbot: QtBot, window: MainWindow, key: str) -> ListView:
    view = window.show_view(key)
    settle(qtbot)
    assert not view.stale
    return view


@pytest.mark.parametrize(("key", "typed", "field", "expected"), [
    ("letters", "johansson", "title",
     ["Commissioner Johansson to Minister Karner on preparing the implementation of the Pact"]),
    ("action-points", "Schengen", "number", [10]),
    ("measures", "Frontex", "number", [1, 2, 5, 12]),
    ("countries", "balkans", "iso", ["AL", "BA", "ME", "RS"]),
    ("people", "rakusan", "name", ["Vít Rakušan"]),
    ("people", "BILOTAITE", "name", ["Agnė Bilotaitė"]),
    ("packs", "operationalisation", "formation", ["Ministerial conference"]),
])
def test_typing_a_filter_shrinks_the_rows_to_the_right_ones(
        qtbot: QtBot, window: MainWindow, key: str, typed: str, field: str,
        expected: list[object]) -> None:
    view = open_view(qtbot, window, key)
    total = view.model.rowCount()
    qtbot.keyClicks(view.filter_edit, typed)
    assert shown(view, field) == expected
    label = f"{len(expected)} of {total}" if len(expected) != total else f"{total}"
    assert view.count_label.text() == label
    view.filter_edit.clear()
    assert len(view.visible_records()) == total


def test_every_column_sorts(qtbot: QtBot, window: MainWindow) -> None:
    view = open_view(qtbot, window, "measures")
    assert shown(view, "number") == list(range(1, 16))
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown(view, "number") == list(range(15, 0, -1))
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    due_column = 3  # dates sort as dates; equal dates keep the previous (number) order
    view.table.sortByColumn(due_column, Qt.SortOrder.AscendingOrder)
    dated = [n for n in shown(view, "number") if n in (5, 6, 8, 9, 12, 13, 15)]
    assert dated == [9, 6, 5, 8, 13, 12, 15]


def test_models_pass_the_qt_model_tester(qtbot: QtBot, window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for key in ("letters", "measures", "countries", "people"):
        view = open_view(qtbot, window, key)
        qtmodeltester.check(view.model)
        qtmodeltester.check(view.proxy)


def test_status_change_adds_history_and_undo_restores_view_and_store(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    view = open_view(qtbot, window, "action-points")
    assert isinstance(view, ActionPointsView)
    view.select_where(lambda r: r.number == 3)
    settle(qtbot)
    assert view.current_record().number == 3
    editor = view.editor
    assert editor is not None and not editor.apply_button.isEnabled()
    editor.status_box.setCurrentText("in progress")
    assert editor.rag_box.currentText() == "green"  # the status's usual colour
    qtbot.keyClicks(editor.note_edit, "Commission proposal tabled")
    with qtbot.waitSignal(window.write_done, timeout=15_000):
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    point = services.tracking.action_point(3)
    assert (point.status, point.rag) == ("in progress", "green")
    assert view.current_record().status == "in progress"
    assert view.history is not None
    assert view.history.texts() == ["Status no evidence → in progress (RAG green)",
                                    "Baseline: no evidence (RAG grey)"]
    assert window.undo_action.isEnabled()

    with qtbot.waitSignal(window.write_done, timeout=15_000):
        window.undo_action.trigger()
    settle(qtbot)
    point = services.tracking.action_point(3)
    assert (point.status, point.rag) == ("no evidence", "grey")
    assert view.current_record().status == "no evidence"
    assert view.history.texts() == ["Undone: status back to no evidence (RAG grey)",
                                    "Status no evidence → in progress (RAG green)",
                                    "Baseline: no evidence (RAG grey)"]
    history = services.tracking.history("action-points", 3)
    assert history[-1].reverts_id == history[-2].id

    with qtbot.waitSignal(window.write_done, timeout=15_000):
        window.redo_action.trigger()
    settle(qtbot)
    assert services.tracking.action_point(3).status == "in progress"
    assert view.current_record().status == "in progress"


def test_a_search_hit_opens_the_reader_at_its_passage(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.search_dialog
    window.search_dialog.open_search()
    with qtbot.waitSignal(dialog.results_shown, timeout=15_000) as shown_signal:
        qtbot.keyClicks(dialog.edit, "Rakusan")
    assert shown_signal.args == [1]
    hit = dialog.hits[0]
    assert hit.letter_id == 4
    letters = window.letters_view
    with qtbot.waitSignal(letters.reader_ready, timeout=15_000):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.current_view() is letters
    assert letters.current_record().id == 4
    content = letters.reader.content
    assert content is not None and content.focus == (hit.start, hit.end)
    assert "Rakušan" in letters.reader.visible_text()
    assert not dialog.isVisible()


def test_clicking_a_marked_passage_opens_its_item(qtbot: QtBot, window: MainWindow) -> None:
    letters = window.letters_view
    assert isinstance(letters, LettersView)
    letters.select(1)  # the letter of 26 January 2023
    qtbot.waitUntil(lambda: letters.reader.content is not None
                    and letters.reader.content.letter.id == 1, timeout=15_000)
    passages = letters.reader.content.passages
    index = next(i for i, p in enumerate(passages)
                 if p.item_kind == "measure" and p.item_key == "12")
    letters.reader._on_anchor(QUrl(f"passage:{index}"))
    settle(qtbot)
    measures = window.current_view()
    assert isinstance(measures, MeasuresView)
    assert measures.current_record().number == 12


def test_show_in_letter_opens_the_measure_passage(qtbot: QtBot, window: MainWindow) -> None:
    measures = open_view(qtbot, window, "measures")
    assert isinstance(measures, MeasuresView)
    measures.select_number(13)
    settle(qtbot)
    assert measures.show_in_letter is not None
    letters = window.letters_view
    with qtbot.waitSignal(letters.reader_ready, timeout=15_000):
        qtbot.mouseClick(measures.show_in_letter, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "targeted toolbox of measures" in letters.reader.visible_text()


def test_find_in_letter_counts_matches(qtbot: QtBot, window: MainWindow) -> None:
    letters = window.letters_view
    letters.select(1)
    qtbot.waitUntil(lambda: letters.reader.content is not None
                    and letters.reader.content.letter.id == 1, timeout=15_000)
    letters.reader.find_bar.open_bar()
    qtbot.keyClicks(letters.reader.find_bar.edit, "Tunisia")
    assert letters.reader.find_bar.count.text() == "3 found"  # measures 2, 11 and 12
    assert letters.reader.browser.textCursor().selectedText() == "Tunisia"


def test_countries_dashboard_matrix_and_indicators(qtbot: QtBot, window: MainWindow) -> None:
    view = open_view(qtbot, window, "countries")
    assert isinstance(view, CountriesView)
    settle(qtbot)
    cards = [card.iso for card in view.dashboard.cards]
    assert len(set(cards)) == view.model.rowCount() == 24
    assert cards.count("DZ") == 2  # Algeria sits on two routes
    matrix = view.matrix_model
    tunisia = next(i for i, c in enumerate(matrix.countries) if c.iso == "TN")
    linked = [m.number for column, m in enumerate(matrix.measures)
              if matrix.cell(tunisia, column) is not None]
    assert linked == [2, 11, 12]
    assert matrix.index(tunisia, 11).data() == "active"  # measure 12, in progress (seed)
    view.dashboard.cards[cards.index("TR")].clicked.emit("TR")
    settle(qtbot)
    assert view.current_record().name == "Türkiye"
    view.open_indicator("wb-irregular-crossings-2024")
    assert "down 79%" in view.indicators.quote.text()


def test_measure_timeline_rows_follow_due_dates(qtbot: QtBot, window: MainWindow) -> None:
    view = open_view(qtbot, window, "measures")
    assert isinstance(view, MeasuresView)
    canvas = view.timeline.canvas
    assert [m.number for m in canvas.measures][:7] == [9, 6, 5, 8, 13, 12, 15]
    view.tabs.setCurrentWidget(view.timeline)
    with qtbot.waitSignal(view.timeline.measure_clicked) as clicked:
        row_y = 48 + 30 * 1 + 15  # the second row: measure 6
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().topLeft()
                         + QPointF(200, row_y).toPoint())
    assert clicked.args == [6]
    assert view.current_record().number == 6


def test_importing_a_good_and_a_bad_file_through_the_worker(
        qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path) -> None:
    good = tmp_path / "johansson-copy.md"
    good.write_text((SEED_DIR / LETTER_000).read_text(encoding="utf-8") + "\nP.S.\n",
                    encoding="utf-8")
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01binary")
    dialogs = []
    window.import_files([good, bad], on_done=dialogs.append)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=20_000)
    settle(qtbot)
    # a copy of the March 2024 letter reports what the letter does: its passages are
    # suggested for earlier commitments (a commitment keeps its five best)
    suggested = len([f for f in services.follow_ups.list(state="suggested")
                     if f.letter_id == 6])
    assert suggested > 0
    assert dialogs[0].rows() == [
        ("johansson-copy.md", "imported", "letter 6: Letter from Ylva Johansson to Gerhard "
         f"Karner, 15 March 2024 (2 people named, {suggested} follow-ups suggested)"),
        ("scan.txt", "failed", f"{bad}: not a text letter (the file holds binary data)"),
    ]
    assert services.letters.get(6).source_name == "johansson-copy.md"
    assert len(services.letters.list()) == 6  # nothing of the bad file
    letters = open_view(qtbot, window, "letters")
    assert letters.model.rowCount() == 6


def test_dropping_files_on_the_window_imports_them(
        qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Brussels, 2 May 2025\n\nDear colleagues,\n\nA short note.\n",
                    encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    captured = []
    window.import_files = lambda paths, on_done=None: captured.append(paths)  # type: ignore[method-assign]
    window.dropEvent(event)
    assert captured == [[note]]


def test_layout_and_last_view_are_remembered(qtbot: QtBot, services: Services) -> None:
    first = MainWindow(services)
    qtbot.addWidget(first)
    # a size within the offscreen screen (800x600) and above the window's minimum
    wanted = (max(731, first.minimumSizeHint().width()),
              max(517, first.minimumSizeHint().height()))
    first.resize(*wanted)
    first.show()
    first.show_view("countries")
    settle(qtbot)
    first.views["countries"].tabs.setCurrentIndex(1)  # the table, beside its detail pane
    first.views["countries"].splitter.setSizes([300, 500])
    sizes = first.views["countries"].splitter.sizes()
    first.close()
    second = MainWindow(services)
    qtbot.addWidget(second)
    assert second.last_view == "countries"
    assert (second.width(), second.height()) == wanted
    second.show_view(second.last_view)
    second.show()
    settle(qtbot)
    second.views["countries"].tabs.setCurrentIndex(1)
    assert second.views["countries"].splitter.sizes() == sizes


def test_keyboard_switches_views_and_opens_search(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is window.views["measures"]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_dialog.isVisible()
    window.search_dialog.hide()
    settle(qtbot)
