"""What each tracked item's status and date rest on (read side).

An item's *as of* date is the newest of: the letters of its accepted
follow-ups, and the days a person changed its status (changes that still
hold; an undo takes its change's date back with it). When it has neither,
it is the date of the letter it comes from (for a country, the newest letter
it is cited from). It is never the day the store was created or a letter
imported: those are the days rows were written, not the days the facts were
true. An item whose *as of* date is older than the stale threshold
(:mod:`briefing_app.services.preferences`) is *stale*.

Its *source* is the follow-up the change that set its current status was
made from; a status other than "no evidence" set without one has *no source*
(a country's curated baseline rests on its citations).
"""

from __future__ import annotations

import calendar
import sqlite3
from collections.abc import Iterable
from datetime import date

from briefing_app.domain.status import Status
from briefing_app.read_models import NO_EVIDENCE, Evidence, FollowUpRead
from briefing_app.services.follow_ups import read_follow_ups
from briefing_app.store import follow_ups as sql


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(as_of: date | None, today: date, months: int) -> bool:
    """Older than ``months`` months on ``today`` (an item with no date is not stale: it
    says "no date" instead)."""
    return as_of is not None and add_months(as_of, months) <= today


def _newest(follow_ups: Iterable[FollowUpRead], source_id: int | None) -> FollowUpRead | None:
    """The newest accepted follow-up: of the latest letter; of those, the one the status
    was set from, then the best scored."""
    accepted = [f for f in follow_ups if f.state == "accepted"]
    dated = [f for f in accepted if f.letter_date is not None]
    if dated:
        return max(dated, key=lambda f: (f.letter_date, f.id == source_id, f.score, -f.id))
    return accepted[-1] if accepted else None


def commitment_evidence(db: sqlite3.Connection, ids: Iterable[int], statuses: dict[int, str],
                        today: date, months: int
                        ) -> tuple[dict[int, Evidence], dict[int, tuple[FollowUpRead, ...]]]:
    """The evidence of commitments (``statuses``: their current status by id), and their
    follow-ups (suggested, accepted and dismissed), by id."""
    wanted = list(ids)
    follow_ups = read_follow_ups(db, commitment_ids=wanted)
    changed = sql.effective_change_dates(db, "commitment")
    setting = sql.status_setting_changes(db, "commitment")
    own = sql.commitment_letter_dates(db)
    by_id = {f.id: f for items in follow_ups.values() for f in items}
    found: dict[int, Evidence] = {}
    for item_id in wanted:
        items = follow_ups.get(item_id, ())
        change = setting.get(item_id)
        source = by_id.get(change["follow_up_id"]) if change is not None and \
            change["follow_up_id"] is not None else None
        newest = _newest(items, source.id if source is not None else None)
        dates = [d for d in (newest.letter_date if newest else None,
                             changed[item_id].date() if item_id in changed else None) if d]
        as_of = max(dates) if dates else own.get(item_id)
        status = statuses.get(item_id, Status.NO_EVIDENCE.value)
        found[item_id] = Evidence(
            as_of=as_of, stale=is_stale(as_of, today, months), newest=newest, source=source,
            no_source=source is None and status != Status.NO_EVIDENCE.value)
    return found, follow_ups


def country_evidence(db: sqlite3.Connection, ids: Iterable[int], statuses: dict[int, str],
                     today: date, months: int) -> dict[int, Evidence]:
    changed = sql.effective_change_dates(db, "country")
    setting = sql.status_setting_changes(db, "country")
    cited = sql.citation_letter_dates(db, "country")
    found: dict[int, Evidence] = {}
    for item_id in ids:
        as_of = changed[item_id].date() if item_id in changed else cited.get(item_id)
        change = setting.get(item_id)
        baseline = change is None or change["old_status"] is None
        status = statuses.get(item_id, Status.NO_EVIDENCE.value)
        found[item_id] = Evidence(
            as_of=as_of, stale=is_stale(as_of, today, months),
            no_source=not baseline and status != Status.NO_EVIDENCE.value)
    return found


def newest_evidence(db: sqlite3.Connection) -> date | None:
    """The newest evidence in the store: the latest letter an accepted follow-up cites."""
    return sql.newest_evidence_date(db)


__all__ = ["NO_EVIDENCE", "add_months", "commitment_evidence", "country_evidence",
           "is_stale", "newest_evidence"]
