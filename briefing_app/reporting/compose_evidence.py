"""What a pack says a tracked item's status rests on: its date, its source, its news.

The compose functions (:mod:`briefing_app.reporting.compose_sections`) ask
here for:

- an item's status as printed on its own line (:func:`tracked_status`): the
  status with its *as of* date (:class:`~briefing_app.read_models.Evidence`:
  the newest accepted follow-up or status change a person made, else the
  item's letter; never the day a row was written) and the numbered source of
  the passage the status was set from, "no source" when a status other than
  "no evidence" rests on none, and "stale";
- the "Since:" line under a commitment (:func:`since_line`): its newest accepted
  follow-up, shortened (:func:`shorten`);
- the follow-ups accepted as evidence, for "what has changed"
  (:func:`evidence_lines`);
- the newest evidence of the items a pack holds, for its cover
  (:func:`newest_evidence`).

Sources are numbered as these are asked for, like every other citation.
Neither ReportLab nor the services are imported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing_app.domain.status import Status
from briefing_app.read_models import (
    ActionPointRead,
    CommitmentRead,
    CountryRead,
    FollowUpRead,
    MeasureRead,
)
from briefing_app.reporting.content import Basis, EvidenceLine, Refs, Since, StatusMark
from briefing_app.reporting.spec import parse_item_ref

if TYPE_CHECKING:
    from briefing_app.reporting.composer import Composer

Tracked = ActionPointRead | MeasureRead | CommitmentRead | CountryRead

#: How long a quoted follow-up may be: a passage this short is quoted whole, a longer
#: one by its first sentence (if that is this short) or cut at a word before SHORT.
WHOLE = 240
SHORT = 200
#: A first sentence shorter than this says too little on its own: the cut is used.
SENTENCE_MIN = 60

_SENTENCE_END = re.compile(r"[.!?][’”\")]?(?=\s+[A-Z“\"‘(])")


def shorten(passage: str, *, whole: int = WHOLE, short: int = SHORT) -> str:
    """A follow-up's passage as quoted under its commitment: whole when short, else its
    first sentence, else cut at a word with "…"; a passage taken from inside a sentence
    (it starts in lower case) opens with "…"."""
    value = " ".join(passage.split())
    lead = "…" if value[:1].islower() else ""
    if len(value) <= whole:
        return lead + value
    end = _SENTENCE_END.search(value)
    if end is not None and SENTENCE_MIN <= end.end() <= whole:
        return f"{lead}{value[:end.end()]} …"
    cut = value.rfind(" ", 0, short)
    head = value[:cut if cut > short // 2 else short].rstrip(" ,;:–—-")
    return f"{lead}{head}…"


def _letter_dates(ctx: Composer) -> dict[int, date | None]:
    found = ctx.shared.get("letter_dates")
    if found is None:
        found = ctx.shared["letter_dates"] = {
            letter.id: letter.date for letter in ctx.source.letters}
    assert isinstance(found, dict)
    return found


def tracked_status(ctx: Composer, item: Tracked, label: str) -> StatusMark:
    """An item's status as its own line prints it: as of when, resting on which source.

    A commitment's status rests on the follow-up it was set from; a country's curated
    status (it has no follow-ups) on its passages in the letter it is dated by.
    """
    evidence = item.evidence
    refs: Refs = ()
    if evidence.source is not None:
        refs = ctx.sources.refs([evidence.source.citation()], label)
    elif (isinstance(item, CountryRead) and not evidence.no_source
          and item.status != Status.NO_EVIDENCE.value and evidence.as_of is not None):
        dates = _letter_dates(ctx)
        refs = ctx.sources.refs(
            [c for c in item.citations if dates.get(c.letter_id) == evidence.as_of], label)
    kind = "country" if isinstance(item, CountryRead) else "commitment"
    return StatusMark(item.status, item.rag, getattr(item, "stalled", False),
                      Basis(evidence.as_of, refs, evidence.no_source, evidence.stale),
                      tuple(ctx.source.conflicts.get((kind, item.id), ())))


def since_line(ctx: Composer, item: ActionPointRead | MeasureRead | CommitmentRead,
               label: str) -> Since | None:
    """The "Since:" line under a commitment: its newest accepted follow-up, if any."""
    newest = item.evidence.newest
    if newest is None:
        return None
    return Since(shorten(newest.text), ctx.sources.refs([newest.citation()], label),
                 newest.letter_date)


def follow_ups(ctx: Composer) -> list[FollowUpRead]:
    """Every follow-up of the store's commitments (any state), in the store's order."""
    items: list[Any] = [*ctx.source.action_points, *ctx.source.measures,
                        *ctx.source.commitments]
    found = {f.id: f for item in items for f in item.follow_ups}
    return [found[key] for key in sorted(found)]


def evidence_lines(ctx: Composer,
                   in_window: Callable[[datetime | None], bool]) -> tuple[EvidenceLine, ...]:
    """The follow-ups accepted as evidence in the window (by when they were accepted),
    oldest first."""
    accepted = [f for f in follow_ups(ctx) if f.state == "accepted" and in_window(f.reviewed_at)]
    # in the order they were accepted (undated reviews first, as the oldest)
    accepted.sort(key=lambda f: (f.reviewed_at is not None,
                                 f.reviewed_at.timestamp() if f.reviewed_at else 0.0, f.id))
    return tuple(
        EvidenceLine(f.reviewed_at, f.item_label, f.letter_title, f.letter_date,
                     shorten(f.text), ctx.sources.refs([f.citation()], f.item_label),
                     f.reviewed_by)
        for f in accepted)


def _held(ctx: Composer) -> Iterable[Any]:
    """Every item the pack holds: chosen in a section, or listed under an agenda item."""
    for key in ctx.choices:
        yield from ctx.chosen(key)
    for note in ctx.spec.notes:
        for ref in note.items or ():
            key, wanted = parse_item_ref(ref)
            if key == "countries":
                yield from (c for c in ctx.source.countries if c.iso == wanted)
            elif key == "measures":
                yield from (m for m in ctx.source.measures if str(m.number) == wanted)
            elif key == "action-points":
                yield from (p for p in ctx.source.action_points if str(p.number) == wanted)


def newest_evidence(ctx: Composer) -> tuple[bool, date | None]:
    """(whether the pack holds a tracked item, the newest evidence among them).

    An item's evidence is the letters it rests on: its own (a country: those it is
    cited from) and those of its accepted follow-ups. A status a person set without a
    passage is not evidence: its line says "no source", and it does not date the pack.
    """
    dates = _letter_dates(ctx)
    found: list[date | None] = []
    tracked = False
    for item in _held(ctx):
        evidence = getattr(item, "evidence", None)
        if evidence is None:
            continue
        tracked = True
        if isinstance(item, CountryRead):
            found += [dates.get(c.letter_id) for c in item.citations]
        else:
            found.append(dates.get(item.letter_id))
        if evidence.newest is not None:
            found.append(evidence.newest.letter_date)
    return tracked, max((d for d in found if d is not None), default=None)


__all__ = ["evidence_lines", "follow_ups", "newest_evidence", "shorten", "since_line",
           "tracked_status"]
