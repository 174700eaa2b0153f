"""Commitments: every series of every letter, read as one shape.

A letter's action points, its measures and any other numbered or bulleted
series it holds are commitments (:class:`~briefing_app.read_models.CommitmentRead`).
The measures and action points views read the series "measures" and
"action-points" through :class:`~briefing_app.services.tracking.TrackingService`;
this service reads any series, with its review state. The review itself
(accept, reject, edit, merge, split, undo) is in
:mod:`briefing_app.services.review`.
"""

from __future__ import annotations

import builtins
from datetime import date
from typing import TYPE_CHECKING

from briefing_app.domain import kinds
from briefing_app.domain.status import CLOSED, Status
from briefing_app.read_models import NO_EVIDENCE, CommitmentRead, Evidence, FollowUpRead
from briefing_app.services.common import Dated, load_json_list, parse_choice
from briefing_app.services.evidence import commitment_evidence
from briefing_app.services.preferences import DEFAULT_STALE_MONTHS
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date

if TYPE_CHECKING:
    import sqlite3

#: The review states of a commitment.
STATES = ("proposed", "accepted", "rejected")


def parse_state(value: str | None) -> str | None:
    """A review state as typed ("Accepted" reads "accepted"); None stays None."""
    return parse_choice(value, STATES, "review state")


def commitment_read(row: Row, countries: tuple[str, ...], today: date,
                    evidence: Evidence = NO_EVIDENCE,
                    follow_ups: tuple[FollowUpRead, ...] = ()) -> CommitmentRead:
    """One commitment; its countries are those its text names (read by the parser, also
    where the store has no partner-country record for them) and those linked to it."""
    due = as_date(row["due_date"])
    countries = tuple(sorted(set(load_json_list(row["countries"])) | set(countries)))
    return CommitmentRead(
        id=row["id"], series=row["series"], series_title=row["series_title"],
        position=row["position"], number=row["number"], marker=row["marker"],
        section=row["section"], section_title=row["section_title"], title=row["title"],
        text=row["text"], deadline=row["deadline"], due_date=due,
        actors=load_json_list(row["actors"]), countries=countries,
        letter_id=row["letter_id"], state=row["state"], status=row["status"], rag=row["rag"],
        owner=row["owner"], notes=row["notes"], start=row["start"], end=row["end"],
        overdue=due is not None and due < today and Status(row["status"]) not in CLOSED,
        evidence=evidence, follow_ups=follow_ups,
    )


def read_commitments(db: sqlite3.Connection, today: date, *, letter_id: int | None = None,
                     series: str | None = None, state: str | None = None,
                     stale_months: int = DEFAULT_STALE_MONTHS) -> list[CommitmentRead]:
    rows = queries.commitments(db, series=series, letter_id=letter_id, state=state)
    linked: dict[int, list[str]] = {}
    for pair in queries.commitment_country_pairs(db, series):
        linked.setdefault(pair["commitment_id"], []).append(pair["iso"])
    evidence, follow_ups = commitment_evidence(db, [r["id"] for r in rows],
                                               {r["id"]: r["status"] for r in rows}, today,
                                               stale_months)
    return [commitment_read(row, tuple(sorted(linked.get(row["id"], ()))), today,
                            evidence[row["id"]], follow_ups.get(row["id"], ()))
            for row in rows]


class CommitmentService(Dated):
    def __init__(self, store: Store, today: date | None = None,
                 stale_after_months: int | None = None) -> None:
        self.store = store
        self._today = today
        self._stale_months = stale_after_months

    @property
    def stale_after_months(self) -> int:
        if self._stale_months is None:
            from briefing_app.services.preferences import load_preferences

            self._stale_months = load_preferences().stale_after_months
        return self._stale_months

    def list(self, *, letter_id: int | None = None, series: str | None = None,
             state: str | None = None) -> builtins.list[CommitmentRead]:
        """Commitments in letter, series and position order (one series: in number order)."""
        wanted_state = parse_state(state)
        with self.store.read() as db:
            if letter_id is not None and queries.letter(db, letter_id) is None:
                raise kinds.LETTERS.missing(letter_id)
            return read_commitments(db, self.today, letter_id=letter_id, series=series,
                                    state=wanted_state, stale_months=self.stale_after_months)

    def get(self, commitment_id: str | int) -> CommitmentRead:
        wanted = kinds.COMMITMENTS.parse_id(commitment_id)
        with self.store.read() as db:
            rows = queries.items_by_id(db, "commitment", [wanted])
            if not rows:
                raise kinds.COMMITMENTS.missing(wanted)
            countries = tuple(sorted(
                p["iso"] for p in queries.commitment_country_pairs(db, rows[0]["series"])
                if p["commitment_id"] == wanted))
            evidence, follow_ups = commitment_evidence(
                db, [wanted], {wanted: rows[0]["status"]}, self.today, self.stale_after_months)
            return commitment_read(rows[0], countries, self.today, evidence[wanted],
                                   follow_ups.get(wanted, ()))

    def series(self, letter_id: int | None = None) -> builtins.list[dict[str, object]]:
        """The series of one letter or of all: key, title, letter, size, accepted count."""
        with self.store.read() as db:
            return [{"key": r["key"], "title": r["title"], "letter_id": r["letter_id"],
                     "size": r["size"], "accepted": r["accepted"] or 0}
                    for r in queries.series(db, letter_id=letter_id)]
