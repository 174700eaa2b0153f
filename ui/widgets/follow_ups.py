"""A commitment's "Reported in later letters": its follow-ups, with Accept…, Dismiss and
Show in letter.

One list row per follow-up: its state as a chip with the letter's date, the
passage (shortened), the letter's title. Arrow keys move in the list, Enter
shows the passage in the letter, Alt+A accepts (a dialog asks for the status
the passage supports), Alt+D dismisses. The section only asks: the view that
holds it runs the write (ui/operations/follow_ups.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.read_models import FollowUpRead
from ui.signals import emit
from ui.widgets.detail import caption, section_title
from ui.widgets.evidence import short_date, shorten
from ui.widgets.status_chip import muted, paint_chip

FOLLOW_UP_ROLE = Qt.ItemDataRole.UserRole + 20
TITLE = "Reported in later letters"
PAD = 6
_WRAP = int(Qt.TextFlag.TextWordWrap)


def passage_of(follow_up: FollowUpRead) -> str:
    return f"“{shorten(follow_up.text)}”"


def date_of(follow_up: FollowUpRead) -> str:
    return short_date(follow_up.letter_date, "undated")


def spoken(follow_up: FollowUpRead) -> str:
    """The row as a screen reader says it."""
    return (f"{follow_up.state}, {date_of(follow_up)}, {follow_up.letter_title}: "
            f"{passage_of(follow_up)}")


class FollowUpDelegate(QStyledItemDelegate):
    """Paints a follow-up as a small card: state chip and date, passage, letter title."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 0.5))
        return bold, small

    def _heights(self, option: QStyleOptionViewItem, follow_up: FollowUpRead,
                 width: int) -> tuple[int, int, int]:
        _bold, small = self._fonts(option)
        metrics, small_metrics = QFontMetrics(option.font), QFontMetrics(small)
        top = metrics.height() + 6
        text = metrics.boundingRect(QRect(0, 0, width, 100_000), _WRAP,
                                    passage_of(follow_up)).height()
        title = small_metrics.boundingRect(QRect(0, 0, width, 100_000), _WRAP,
                                           follow_up.letter_title).height()
        return top, text, title

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        follow_up = index.data(FOLLOW_UP_ROLE)
        if not isinstance(follow_up, FollowUpRead):
            return super().sizeHint(option, index)
        width = max(120, self.view.viewport().width() - 2 * PAD)
        top, text, title = self._heights(option, follow_up, width)
        return QSize(width, PAD + top + 2 + text + 2 + title + PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        follow_up = index.data(FOLLOW_UP_ROLE)
        if not isinstance(follow_up, FollowUpRead):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            blank = QStyleOptionViewItem(option)
            self.initStyleOption(blank, index)
            blank.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, blank, painter, widget)
        rect = QRect(option.rect).adjusted(PAD, PAD, -PAD, -PAD)
        top, text, _title = self._heights(option, follow_up, rect.width())
        bold, small = self._fonts(option)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ink = option.palette.color(role)
        painter.save()
        painter.setFont(option.font)
        chip_width = QFontMetrics(option.font).horizontalAdvance(follow_up.state) + 24
        paint_chip(painter, QRect(rect.left() - 3, rect.top(), chip_width, top), follow_up.state)
        painter.setPen(ink)
        painter.setFont(bold)
        painter.drawText(QRect(rect.left() + chip_width, rect.top(), rect.width() - chip_width,
                               top), int(Qt.AlignmentFlag.AlignVCenter), date_of(follow_up))
        painter.setFont(option.font)
        y = rect.top() + top + 2
        painter.drawText(QRect(rect.left(), y, rect.width(), text), _WRAP,
                         passage_of(follow_up))
        painter.setFont(small)
        if not selected and widget is not None:
            painter.setPen(muted(widget))
        painter.drawText(QRect(rect.left(), y + text + 2, rect.width(), rect.bottom() - y),
                         _WRAP, follow_up.letter_title)
        painter.restore()


class FollowUpList(QListWidget):
    """The follow-ups of one commitment; as tall as its rows (the pane scrolls, not it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setItemDelegate(FollowUpDelegate(self))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(1)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(TITLE)
        self._width = 0
        #: what the pane should show with the current row when it can (the buttons)
        self.also_show: QWidget | None = None
        # arrow keys move through the rows: the pane follows
        self.currentItemChanged.connect(lambda *_: QTimer.singleShot(0, self._follow_current))

    def set_follow_ups(self, follow_ups: Sequence[FollowUpRead],
                       current_id: int | None = None) -> None:
        self.clear()
        for follow_up in follow_ups:
            item = QListWidgetItem()
            item.setData(FOLLOW_UP_ROLE, follow_up)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken(follow_up))
            item.setToolTip(f"{follow_up.letter_title}, {date_of(follow_up)}\n\n"
                            f"{shorten(follow_up.text, 900)}")
            self.addItem(item)
        rows = [i for i, f in enumerate(follow_ups) if f.id == current_id]
        if self.count():
            self.setCurrentRow(rows[0] if rows else 0)
        self.updateGeometry()

    def follow_ups(self) -> list[FollowUpRead]:
        return [self.item(row).data(FOLLOW_UP_ROLE) for row in range(self.count())]

    def current_follow_up(self) -> FollowUpRead | None:
        item = self.currentItem()
        return item.data(FOLLOW_UP_ROLE) if item is not None else None

    def select_id(self, follow_up_id: int) -> bool:
        for row, follow_up in enumerate(self.follow_ups()):
            if follow_up.id == follow_up_id:
                self.setCurrentRow(row)
                return True
        return False

    def ensure_current_visible(self) -> None:
        """Scroll the detail pane holding the list so that the current follow-up shows (the
        list is as tall as its rows: the pane scrolls, not the list)."""
        item = self.currentItem()
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        page = area.widget() if area is not None else None
        if item is None or area is None or page is None:
            return
        # a pane just built: its layout, and the scroll range it gives, first
        layout = page.layout()
        if layout is not None:
            layout.activate()
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.doItemsLayout()
        if self.also_show is not None:  # first the buttons, then the row wins if need be
            area.ensureWidgetVisible(self.also_show, 0, 8)
        rect = self.visualItemRect(item)
        centre = self.viewport().mapTo(page, rect.center())
        area.ensureVisible(centre.x(), centre.y(), 0, rect.height() // 2 + 12)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, self._follow_current)

    def _follow_current(self) -> None:
        if shiboken6.isValid(self) and self.hasFocus():
            self.ensure_current_visible()

    def focus_current(self) -> None:
        """Give the list the keys and bring its current row into sight, once the pane it
        is in has been laid out (after a pane is rebuilt)."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self._reveal)

    def _reveal(self) -> None:
        if shiboken6.isValid(self):
            self.ensure_current_visible()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        rows = sum(self.sizeHintForRow(row) + 2 * self.spacing() for row in range(self.count()))
        hint.setHeight(rows + 2 * self.frameWidth() + 2)
        return hint

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:
            self._width = event.size().width()
            self.scheduleDelayedItemsLayout()  # the rows wrap to the new width
            self.updateGeometry()


class FollowUpSection(QWidget):
    """The title, the list and its buttons.

    Signals:
        accept_requested(FollowUpRead): Accept… was pressed on the current follow-up.
        dismiss_requested(FollowUpRead)
        show_in_letter(letter_id, start, end)
    """

    accept_requested = Signal(object)
    dismiss_requested = Signal(object)
    show_in_letter = Signal(int, int, int)

    def __init__(self, follow_ups: Sequence[FollowUpRead], *, writable: bool = True,
                 current_id: int | None = None) -> None:
        super().__init__()
        self.writable = writable
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_title(TITLE))
        self.list = FollowUpList()
        self.buttons: dict[str, QPushButton] = {}
        if not follow_ups:
            self.empty = caption("No other letter reports on it yet.")
            layout.addWidget(self.empty)
            self.list.hide()
        else:
            layout.addWidget(caption("Passages of other letters that seem to report on it: "
                                     "accept those that do (Alt+A), dismiss the others "
                                     "(Alt+D). Ctrl+Z undoes."))
        layout.addWidget(self.list)
        self.bar = QWidget()
        self.list.also_show = self.bar
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for name, text, tip, slot in (
                ("accept", "&Accept…", "Accept the passage as evidence, optionally with the "
                 "status it supports (Alt+A)", self._accept),
                ("dismiss", "&Dismiss", "The passage does not report on it (Alt+D)",
                 self._dismiss),
                ("show", "Show in &letter", "Open the letter at this passage (Alt+L, or "
                 "Enter in the list)", self._show)):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        bar.addStretch(1)
        layout.addWidget(self.bar)
        for button in self.buttons.values():
            button.setVisible(bool(follow_ups))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.list.itemActivated.connect(lambda _item: self._show())
        self.list.set_follow_ups(follow_ups, current_id)
        self._update_buttons()

    def focus_chain(self) -> list[QWidget]:
        """The section's controls in the order Tab visits them."""
        if self.list.isHidden():
            return []
        return [self.list, *self.buttons.values()]

    def _update_buttons(self) -> None:
        current = self.list.current_follow_up()
        self.buttons["accept"].setEnabled(self.writable and current is not None
                                          and current.state != "accepted")
        self.buttons["dismiss"].setEnabled(self.writable and current is not None
                                           and current.state != "dismissed")
        self.buttons["show"].setEnabled(current is not None)

    def _accept(self) -> None:
        current = self.list.current_follow_up()
        if current is not None and self.buttons["accept"].isEnabled():
            emit(self.accept_requested, current)

    def _dismiss(self) -> None:
        current = self.list.current_follow_up()
        if current is not None and self.buttons["dismiss"].isEnabled():
            emit(self.dismiss_requested, current)

    def _show(self) -> None:
        current = self.list.current_follow_up()
        if current is not None:
            emit(self.show_in_letter, current.letter_id, current.start, current.end)
