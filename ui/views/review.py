"""A letter's Commitments tab: review what was read from it before it is tracked.

The commitments of the letter, grouped by series, with their review state in
words; Accept (A), Reject (R), Edit… (E), Merge (M) and Split… (S) act on the
selection, each an undoable write (ui/operations/review.py). Selecting one
marks its passage in the letter reader; an accepted one gets the status editor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import CommitmentRead, FollowUpRead
from briefing_app.text import fold
from ui.operations import review as operations
from ui.signals import emit
from ui.tasks import Op
from ui.views.list_view import keep_keys_in
from ui.widgets.detail import Page, StatusEditor, caption, facts, heading, text_label
from ui.widgets.evidence import EvidenceBlock, as_of_cell, as_of_tip
from ui.widgets.follow_ups import FollowUpSection
from ui.widgets.shortcuts import bind

if TYPE_CHECKING:
    from ui.shell import Shell

COLUMNS = ("State", "No.", "Sect.", "Title", "Deadline", "Countries", "As of")
STATE_WORDS = {"proposed": "Proposed", "accepted": "Accepted", "rejected": "Rejected"}
#: A tint beside the word (never colour alone): amber to review, green kept, grey dropped.
STATE_TINTS = {"proposed": "#fff4ce", "accepted": "#dff6dd", "rejected": "#ededed"}
ITEM_ROLE = Qt.ItemDataRole.UserRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
#: Columns no wider than this (elided; the cell's tooltip has it all), so that the title
#: keeps a readable width on a laptop screen.
CAPPED = {"Deadline": 130, "Countries": 100}


def sort_key(row: QTreeWidgetItem, column: int) -> tuple[int, Any]:
    """How a row sorts on a column: a series' heading by its place in the letter, a
    commitment by its position ("No."), its dates ("Deadline", "As of") or its text."""
    item = row.data(0, ITEM_ROLE)
    if not isinstance(item, CommitmentRead):
        return (0, row.data(0, GROUP_ROLE) or 0)
    name = COLUMNS[column] if 0 <= column < len(COLUMNS) else "No."
    if name == "No.":
        return (1, item.position)
    if name == "Deadline" and item.due_date is not None:
        return (2, item.due_date.isoformat())
    if name == "As of":
        return (1, "") if item.evidence.as_of is None else (2, item.evidence.as_of.isoformat())
    text = fold(row.text(column))
    return (1 if not text else 2, text)


class CommitmentRow(QTreeWidgetItem):
    """A row that sorts by :func:`sort_key` (dates as dates, numbers in letter order)."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        tree = self.treeWidget()
        column = tree.sortColumn() if tree is not None else COLUMNS.index("No.")
        return sort_key(self, column) < sort_key(other, column)


def tab_title(items: Sequence[CommitmentRead]) -> str:
    """The tab's title: "Commitments (3 to review)", or "Commitments" when none is proposed."""
    proposed = sum(1 for c in items if c.state == "proposed")
    return f"Commitments ({proposed} to review)" if proposed else "Commitments"


class ReviewPanel(QWidget):
    """Signals:
        passage_selected(letter_id, start, end): one commitment is selected.
        show_in_letter: the user asks to see the selected one in the letter (Enter).
        title_changed(text): the tab's title (how many are left to review).
        loaded: the letter's commitments are shown.
    """

    passage_selected = Signal(int, int, int)
    show_in_letter = Signal()
    title_changed = Signal(str)
    loaded = Signal()

    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.letter_id: int | None = None
        self.items: list[CommitmentRead] = []
        self.editor: StatusEditor | None = None
        self.evidence: EvidenceBlock | None = None
        self.follow_ups: FollowUpSection | None = None
        self._refocus: tuple[int, int] | None = None  # (commitment, follow-up) to focus
        self.dialog: QDialog | None = None
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAccessibleName("Commitments of the letter")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Title"), QHeaderView.ResizeMode.Stretch)
        for name in CAPPED:
            header.setSectionResizeMode(COLUMNS.index(name), QHeaderView.ResizeMode.Interactive)
        # a click on a header sorts each series' commitments; at first, the letter's order
        header.setSortIndicator(COLUMNS.index("No."), Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        self.tree.headerItem().setToolTip(COLUMNS.index("As of"),
                                          "The date of the newest evidence for it")
        self._wanted: int | None = None
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda *_: emit(self.show_in_letter))
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.actions_area = QWidget()
        for name, text, key, tip, slot in (
                ("accept", "&Accept", "A", "Accept the selected commitments: they are tracked",
                 self.accept_selected),
                ("reject", "&Reject", "R", "Reject the selected commitments: kept, untracked",
                 self.reject_selected),
                ("edit", "&Edit…", "E", "Correct title, number, deadline or countries",
                 self.edit_selected),
                ("merge", "&Merge", "M", "Merge the selected commitments of one series",
                 self.merge_selected),
                ("split", "&Split…", "S", "Split the selected commitment in two",
                 self.split_selected)):
            button = QPushButton(text.replace("&", ""))
            button.setToolTip(f"{tip} ({key})")
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
            bind(key, self.actions_area, slot, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        bar.addStretch(1)
        area = QVBoxLayout(self.actions_area)
        area.setContentsMargins(0, 0, 0, 0)
        self.hint = caption("Commitments read from this letter wait for review: accept the "
                            "ones to track, reject the others. Ctrl+Z undoes.")
        self.hint.setWordWrap(True)
        area.addWidget(self.hint)
        area.addLayout(bar)
        area.addWidget(self.tree, 1)
        self.detail = QScrollArea()  # a new page replaces (and deletes) the one shown
        self.detail.setWidgetResizable(True)
        self.detail.setFrameShape(QFrame.Shape.NoFrame)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.actions_area)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([230, 370])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------

    def show_letter(self, letter_id: int | None) -> None:
        """Load and show the commitments of ``letter_id`` (None: no letter)."""
        if letter_id != self.letter_id:
            self._keep: list[int] = []
        else:
            self._keep = self.selected_ids()
        self.letter_id = letter_id
        if letter_id is None:
            self._show([])
            return
        commitments = self.shell.services.commitments
        Op(parent=self, work=lambda: (letter_id, commitments.list(letter_id=letter_id)),
           success=self._loaded).run_in_background()

    def _loaded(self, loaded: tuple[int, list[CommitmentRead]]) -> None:
        letter_id, items = loaded
        if letter_id == self.letter_id:
            self._show(items)

    def _show(self, items: list[CommitmentRead]) -> None:
        self.items = items
        keep = set(getattr(self, "_keep", []))
        if self._wanted is not None and any(c.id == self._wanted for c in items):
            keep, self._wanted = {self._wanted}, None
        self.tree.blockSignals(True)
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        current: QTreeWidgetItem | None = None
        for key, title in dict.fromkeys((c.series, c.series_title) for c in items):
            members = [c for c in items if c.series == key]
            accepted = sum(c.state == "accepted" for c in members)
            proposed = sum(c.state == "proposed" for c in members)
            group = CommitmentRow([f"{title} — {len(members)} commitments: {accepted} "
                                   f"accepted, {proposed} to review"])
            group.setData(0, GROUP_ROLE, self.tree.topLevelItemCount())
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for item in members:
                row = CommitmentRow([
                    STATE_WORDS.get(item.state, item.state), item.marker or (
                        "" if item.number is None else str(item.number)),
                    item.section or "", item.title, item.deadline or "",
                    ", ".join(item.countries),
                    as_of_cell(item.evidence) if item.state == "accepted" else ""])
                if item.state == "accepted":
                    row.setToolTip(COLUMNS.index("As of"), as_of_tip(
                        item.evidence, self.shell.services.commitments.stale_after_months))
                row.setData(0, ITEM_ROLE, item)
                row.setBackground(0, QBrush(QColor(STATE_TINTS.get(item.state, "#ffffff"))))
                row.setToolTip(COLUMNS.index("Title"), item.text)
                for name in CAPPED:
                    row.setToolTip(COLUMNS.index(name), row.text(COLUMNS.index(name)))
                row.setToolTip(0, f"{STATE_WORDS.get(item.state, item.state)}: "
                                  f"{item.status}" if item.state == "accepted" else
                               STATE_WORDS.get(item.state, item.state))
                group.addChild(row)
                if first is None and item.state == "proposed":
                    first = row
                if item.id in keep:
                    row.setSelected(True)
                    current = current or row
        if first is None:
            first = next(iter(self.rows()), None)
        self.tree.expandAll()
        self._size_columns(items)
        self.tree.blockSignals(False)
        if self.tree.topLevelItemCount() == 0:
            self.hint.setText("No commitments were read from this letter.")
        else:
            self.hint.setText("Commitments read from this letter wait for review: accept "
                              "the ones to track, reject the others. Ctrl+Z undoes.")
        if current is not None:
            self.tree.setCurrentItem(current, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        elif first is not None:
            self.tree.setCurrentItem(first, 0)  # and selects it
        self._selection_changed()
        emit(self.title_changed, tab_title(items))
        emit(self.loaded)

    def _size_columns(self, items: Sequence[CommitmentRead]) -> None:
        """Deadline and countries fit their text up to a cap; "Sect." only shows when a
        commitment of the letter has a section."""
        header = self.tree.header()
        for name, cap in CAPPED.items():
            column = COLUMNS.index(name)
            self.tree.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), cap))
        self.tree.setColumnHidden(COLUMNS.index("Sect."), not any(c.section for c in items))

    # -- selection ----------------------------------------------------------------------

    def rows(self) -> list[QTreeWidgetItem]:
        """The commitments' rows, in the letter's order (not the series' headings)."""
        found: list[QTreeWidgetItem] = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            if group is not None:
                found += [row for c in range(group.childCount())
                          if (row := group.child(c)) is not None]
        return found

    def selected(self) -> list[CommitmentRead]:
        """The selected commitments, in the letter's order."""
        return [row.data(0, ITEM_ROLE) for row in self.rows() if row.isSelected()]

    def selected_ids(self) -> list[int]:
        return [c.id for c in self.selected()]

    def select_ids(self, ids: Sequence[int]) -> None:
        """Select these commitments (tests and the keyboard use this as a click would)."""
        wanted = set(ids)
        self.tree.clearSelection()
        for row in self.rows():
            if row.data(0, ITEM_ROLE).id in wanted:
                row.setSelected(True)

    def _selection_changed(self) -> None:
        self._update_buttons()
        chosen = self.selected()
        self._show_detail(chosen[0] if len(chosen) == 1 else None, len(chosen))
        if len(chosen) == 1:
            item = chosen[0]
            emit(self.passage_selected, item.letter_id, item.start, item.end)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        writable = not self.shell.services.read_only
        one_series = len({(c.letter_id, c.series) for c in chosen}) == 1
        self.buttons["accept"].setEnabled(writable and any(c.state != "accepted"
                                                           for c in chosen))
        self.buttons["reject"].setEnabled(writable and any(c.state != "rejected"
                                                           for c in chosen))
        self.buttons["edit"].setEnabled(writable and len(chosen) == 1)
        self.buttons["merge"].setEnabled(writable and len(chosen) >= 2 and one_series)
        self.buttons["split"].setEnabled(writable and len(chosen) == 1)

    def want(self, commitment_id: int) -> None:
        """Select this commitment once the letter's commitments are shown (now if they are)."""
        if any(c.id == commitment_id for c in self.items):
            self.select_ids([commitment_id])
            row = next(r for r in self.rows() if r.data(0, ITEM_ROLE).id == commitment_id)
            self.tree.setCurrentItem(row, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.tree.scrollToItem(row)
        else:
            self._wanted = commitment_id

    def _show_detail(self, item: CommitmentRead | None, count: int) -> None:
        self.editor = self.evidence = self.follow_ups = None
        wanted, self._refocus = self._refocus, None
        page = Page()
        if item is None:
            page.add(caption(f"{count} commitments selected." if count else
                             "Select a commitment to read it and see it in the letter."))
        else:
            number = item.marker or (str(item.number) if item.number is not None else "")
            page.add(caption(f"{item.series_title} {number} · "
                             f"{STATE_WORDS.get(item.state, item.state)}"))
            page.add(heading(item.title, 2))
            if item.state == "accepted":
                self.evidence = EvidenceBlock(item.status, item.evidence,
                                              self.shell.services.commitments
                                              .stale_after_months)
                page.add(self.evidence)
            button = QPushButton("Show in letter")
            button.setToolTip("Open the Letter tab at this passage (Enter in the list)")
            button.clicked.connect(lambda: emit(self.show_in_letter))
            page.add(button)
            if item.state == "accepted":
                editor = StatusEditor("commitments", str(item.id), item.status, item.rag,
                                      item.owner)
                editor.setEnabled(not self.shell.services.read_only)
                editor.change_requested.connect(self._status_requested)
                page.add(editor)
                self.editor = editor
            page.add(text_label(item.text))
            due = item.due_date.strftime("%d %B %Y").lstrip("0") if item.due_date else None
            page.add(facts([("Deadline", item.deadline), ("Due date", due),
                            ("Actors", ", ".join(item.actors) or None),
                            ("Countries", ", ".join(item.countries) or None),
                            ("Status", item.status if item.state == "accepted" else None)]))
            self.follow_ups = self._follow_up_section(item)
            page.add(self.follow_ups)
        shown = self.detail.widget()
        if shown is not None:
            keep_keys_in(shown, self.tree)
        self.detail.setWidget(page.finish())
        if self.follow_ups is not None and wanted is not None and item is not None \
                and wanted[0] == item.id and self.follow_ups.list.select_id(wanted[1]):
            self.follow_ups.list.focus_current()

    def _follow_up_section(self, item: CommitmentRead) -> FollowUpSection:
        """"Reported in later letters": Accept… (with a status once the commitment is
        tracked) and Dismiss, each undoable."""
        from ui.operations import follow_ups as reviews

        section = FollowUpSection(item.follow_ups,
                                  writable=not self.shell.services.read_only)

        def focus_after(follow_up: FollowUpRead) -> None:
            self._refocus = (item.id, follow_up.id)

        def accept(follow_up: FollowUpRead) -> None:
            dialog = reviews.accept(self.shell, follow_up, item.status, item.rag,
                                    trackable=item.state == "accepted", parent=self)
            dialog.accepted.connect(lambda: focus_after(follow_up))
            self.dialog = dialog

        def dismiss(follow_up: FollowUpRead) -> None:
            focus_after(follow_up)
            reviews.dismiss(self.shell, follow_up)

        section.accept_requested.connect(accept)
        section.dismiss_requested.connect(dismiss)
        section.show_in_letter.connect(self.shell.open_letter_at)
        return section

    def _status_requested(self, edit: object) -> None:
        from ui.operations.tracking import change_status

        change_status(self.shell, self.shell.undo_stack, edit,  # type: ignore[arg-type]
                      operations.REVIEW_VIEWS)

    # -- the actions --------------------------------------------------------------------

    def _act(self, button: str, action: Callable[[list[CommitmentRead]], None]) -> None:
        if not self.buttons[button].isEnabled():
            self.shell.show_message(self.buttons[button].toolTip().split(" (")[0]
                                    + ": select the commitments first.")
            return
        action(self.selected())
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept_selected(self) -> None:
        self._act("accept", lambda chosen: operations.accept(
            self.shell, [c.id for c in chosen if c.state != "accepted"]))

    def reject_selected(self) -> None:
        self._act("reject", lambda chosen: operations.reject(
            self.shell, [c.id for c in chosen if c.state != "rejected"]))

    def merge_selected(self) -> None:
        self._act("merge", lambda chosen: operations.merge(self.shell, [c.id for c in chosen]))

    def edit_selected(self) -> None:
        self._act("edit", self._edit)

    def split_selected(self) -> None:
        self._act("split", self._split)

    def _edit(self, chosen: list[CommitmentRead]) -> None:
        from ui.dialogs.review import EditDialog

        dialog = EditDialog(chosen[0], self)
        self.dialog = dialog  # window-modal, not exec(): the loop keeps running
        dialog.accepted.connect(lambda: operations.edit(self.shell, chosen[0].id,
                                                        dialog.changes))
        dialog.finished.connect(lambda _: self.tree.setFocus())
        dialog.open()

    def _split(self, chosen: list[CommitmentRead]) -> None:
        from ui.dialogs.review import SplitDialog

        dialog = SplitDialog(chosen[0], self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: operations.split(self.shell, chosen[0].id,
                                                         dialog.offset()))
        dialog.finished.connect(lambda _: self.tree.setFocus())
        dialog.open()
