"""What an item's status rests on, in words: "as of" date, source, stale, no source.

:class:`EvidenceBlock` sits under an item's chips in its detail pane;
:class:`NewestEvidenceLabel` is the status bar's "newest evidence: 14 Oct 2024".
Dates are written as the lists write them (``14 Oct 2024``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from briefing_app.read_models import Evidence, FollowUpRead
from ui.tasks import Op
from ui.widgets.detail import caption, text_label
from ui.widgets.status_chip import StatusChip

if TYPE_CHECKING:
    from briefing_app.services import Services

#: A warning that reads in greyscale too: dark text on amber, a word before it.
WARNING_STYLE = ("background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; "
                 "border-radius: 3px; padding: 4px 6px;")
#: Passages are shortened to this many characters where a line lists them.
SHORT_PASSAGE = 180


def short_date(day: date | None, missing: str = "no date") -> str:
    """A date as the lists show it: ``14 Oct 2024``."""
    return day.strftime("%d %b %Y") if day is not None else missing


#: A date of every month, as a date column must fit them (month names differ in width).
EVERY_MONTH = tuple(short_date(date(2028, month, 28)) for month in range(1, 13))


def shorten(text: str, limit: int = SHORT_PASSAGE) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:.") + "…"


def status_line(status: str, evidence: Evidence) -> str:
    """"in progress · as of 14 Oct 2024" (or "· no date")."""
    if evidence.as_of is None:
        return f"{status} · no date"
    return f"{status} · as of {short_date(evidence.as_of)}"


def as_of_cell(evidence: Evidence, lines: int = 1) -> str:
    """The list's "As of" cell: the date, and "stale" when it is (on a line of its own
    where rows have two lines, so that the column stays narrow)."""
    text = short_date(evidence.as_of, "").replace(" ", "\u00a0")  # elided, never broken
    if not (evidence.stale and text):
        return text
    return f"{text}\nstale" if lines > 1 else f"{text} · stale"


def as_of_tip(evidence: Evidence, months: int) -> str:
    if evidence.as_of is None:
        return "No date: nothing says when this status was true"
    tip = f"As of {short_date(evidence.as_of)}"
    if evidence.stale:
        tip += f": stale, no newer evidence for {months} months or more"
    return tip


def source_text(source: FollowUpRead) -> str:
    return (f"Source: “{shorten(source.text, 140)}” — {source.letter_title}, "
            f"{short_date(source.letter_date, 'undated')}")


def no_source_text(status: str) -> str:
    return (f"No source: the status “{status}” rests on no passage of a letter. Accept a "
            "follow-up that reports it, or record where it comes from in a note.")


class EvidenceBlock(QWidget):
    """The status with its "as of" date, the stale flag, and the source or its absence.

    ``status_label``, ``stale_chip``, ``source_label`` and ``warning`` are kept for
    tests and screen readers; a label that does not apply is hidden.
    """

    def __init__(self, status: str, evidence: Evidence, stale_months: int) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.status_label = text_label(status_line(status, evidence))
        self.status_label.setAccessibleName("Status and as-of date")
        self.status_label.setToolTip(as_of_tip(evidence, stale_months))
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        layout.addWidget(self.status_label)
        self.stale_chip: QLabel | None = None
        if evidence.stale:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            self.stale_chip = StatusChip("stale")
            self.stale_chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.stale_chip.setToolTip("Stale: not stalled (no change for nine months) nor "
                                       "overdue (past its deadline)")
            row.addWidget(self.stale_chip, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(caption(f"no newer evidence for {stale_months} months or more"), 1)
            layout.addLayout(row)
        self.source_label = text_label(source_text(evidence.source) if evidence.source
                                       else "")
        self.source_label.setAccessibleName("Source of the status")
        layout.addWidget(self.source_label)  # in the block before it is shown or hidden:
        self.source_label.setHidden(evidence.source is None)  # else it is a window
        self.warning = text_label(no_source_text(status) if evidence.no_source else "")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setAccessibleName("No source")
        layout.addWidget(self.warning)
        self.warning.setHidden(not evidence.no_source)

    def texts(self) -> list[str]:
        """What the block says, line by line (hidden lines left out)."""
        labels = [self.status_label, self.source_label, self.warning]
        found = [label.text() for label in labels if not label.isHidden() and label.text()]
        if self.stale_chip is not None:
            found.insert(1, "stale")
        return found


class NewestEvidenceLabel(QLabel):
    """The status bar's "newest evidence: 14 Oct 2024", read off the GUI thread."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setAccessibleName("Newest evidence")

    def refresh(self) -> None:
        Op(parent=self, work=self.services.tracking.newest_evidence,
           success=self._show).run_in_background()

    def _show(self, newest: date | None) -> None:
        self.setText(f"newest evidence: {short_date(newest, 'none yet')}")
        self.setToolTip("The latest letter an accepted follow-up cites. "
                        f"Store: {self.services.store.path}")
