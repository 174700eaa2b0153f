"""Reviewing the commitments read from a letter: accept, reject, edit, merge, split, undo.

A letter a person imports yields *proposed* commitments; a reviewer accepts
them (then they are tracked like the seed's measures), rejects them, corrects
them, merges several into one or splits one in two. Every review is one unit
of work and one :class:`~briefing_app.store.models.ReviewChange` row holding
the touched rows before and after (the commitments, their country links and
their citations), so :meth:`ReviewService.undo` puts back exactly what was
there. An undo is itself a review (action "undo"), so it can be undone too.
An undo is refused when the rows changed since the review (a status set, a
later review): undo the later change first.

The status history (StatusChange) is never touched here: a commitment's
status is changed, and undone, by :mod:`briefing_app.services.tracking`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing_app.domain import kinds
from briefing_app.domain.dates import find_date, find_deadline
from briefing_app.errors import InvalidInput, NotFound
from briefing_app.read_models import ReadModel
from briefing_app.services.common import current_author, now
from briefing_app.store.engine import Store

if TYPE_CHECKING:
    from sqlmodel import Session

    from briefing_app.store.models import Commitment

ROW_KIND = kinds.COMMITMENT_ROW_KIND
#: JSON of the rows a review touched: {"commitment": {id: row}, "links": {id: [country
#: ids]}, "citation": {id: row}}; a row that does not exist is left out.
Snapshot = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class ReviewRead(ReadModel):
    """One review as recorded: what was done, to which commitments, and by whom."""

    id: int
    action: str
    commitment_ids: tuple[int, ...]  # the commitments there after the review
    removed_ids: tuple[int, ...]  # the commitments it removed (merged into another)
    author: str
    reverts_id: int | None


def parse_countries(value: str | Iterable[str]) -> list[str]:
    """ISO 3166-1 alpha-2 codes from "TN, ma" or a list; each must be two letters."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    codes: list[str] = []
    for part in parts:
        code = part.strip().upper()
        if not code:
            continue
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise InvalidInput(f"countries: {part.strip()!r} is not an ISO 3166-1 alpha-2 "
                               "code (e.g. TN)")
        if code not in codes:
            codes.append(code)
    return codes


_THIS_YEAR = re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:this|the)\s+year\b"
                        r"|\bthis\s+year\b", re.I)


def due_date_of(deadline: str, letter_date: date | None) -> date | None:
    """The last day a deadline as written allows: a deadline phrase ("by mid-2025"), a date
    ("by 30 June 2025"), or "by the end of the year" read against the letter's date."""
    found = find_deadline(deadline)
    if found is not None and found.due_date is not None:
        return found.due_date
    written = find_date(deadline)
    if written is not None:
        return written[0]
    if letter_date is not None and _THIS_YEAR.search(deadline):
        return date(letter_date.year, 12, 31)
    return None


class ReviewService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- the reviews --------------------------------------------------------------------

    def accept(self, ids: Sequence[int | str], *, author: str | None = None) -> ReviewRead:
        """Accept proposed (or rejected) commitments: from now on they are tracked."""
        return self._set_state("accept", "accepted", ids, author)

    def reject(self, ids: Sequence[int | str], *, author: str | None = None) -> ReviewRead:
        """Reject commitments: they stay in the store, untracked and out of packs."""
        return self._set_state("reject", "rejected", ids, author)

    def edit(self, commitment_id: int | str, *, title: str | None = None,
             number: int | str | None = None, deadline: str | None = None,
             countries: str | Iterable[str] | None = None,
             author: str | None = None) -> ReviewRead:
        """Correct a commitment's title, number, deadline (re-read into a due date) or
        countries (ISO codes, which replace its links). None keeps a field; a deadline
        of '' clears it."""
        wanted = _ids([commitment_id])[0]
        new_title = None if title is None else " ".join(title.split())
        if new_title == "":
            raise InvalidInput("title: give the commitment a title")
        new_number = None if number is None else _number(number)
        codes = None if countries is None else parse_countries(countries)
        if all(v is None for v in (new_title, new_number, deadline, codes)):
            raise InvalidInput("edit: nothing to change (give --title, --number, --deadline "
                               "or --countries)")
        from briefing_app.store.models import CommitmentCountry, PartnerCountry

        with self._review([wanted]) as review:
            item = review.commitment(wanted)
            if new_title is not None:
                item.title = new_title
            if new_number is not None:
                item.number = new_number
            if deadline is not None:
                written = " ".join(deadline.split()) or None
                item.deadline = written
                item.due_date = (due_date_of(written, review.letter_date(item.letter_id))
                                 if written else None)
            if codes is not None:
                from sqlalchemy import delete
                from sqlmodel import col, select

                known = {c.iso: c.id for c in review.session.exec(
                    select(PartnerCountry).where(col(PartnerCountry.iso).in_(codes)))}
                review.session.execute(delete(CommitmentCountry).where(
                    col(CommitmentCountry.commitment_id) == wanted))
                for code in codes:
                    if code in known:
                        review.session.add(CommitmentCountry(commitment_id=wanted,
                                                             country_id=known[code] or 0))
                item.countries = json.dumps(codes)
            review.session.add(item)
            return review.record("edit", author)

    def merge(self, ids: Sequence[int | str], *, author: str | None = None) -> ReviewRead:
        """Merge commitments of one series of one letter into the first of them (in the
        letter's order): texts joined, span and citation widened, deadlines, actors and
        countries kept; the others are removed."""
        wanted = _ids(ids)
        if len(wanted) < 2:
            raise InvalidInput("merge: give two or more commitment ids")
        with self._review(wanted) as review:
            items = sorted((review.commitment(i) for i in wanted),
                           key=lambda c: (c.position, c.id or 0))
            if len({(c.letter_id, c.series_id) for c in items}) > 1:
                raise InvalidInput("merge: the commitments are not all of one series of one "
                                   "letter")
            kept, others = items[0], items[1:]
            kept.text = "\n".join(c.text for c in items)
            kept.start = min(c.start for c in items)
            kept.end = max(c.end for c in items)
            kept.deadline = kept.deadline or next((c.deadline for c in others if c.deadline),
                                                  None)
            kept.due_date = kept.due_date or next((c.due_date for c in others if c.due_date),
                                                  None)
            kept.actors = json.dumps(_union(json.loads(c.actors) for c in items),
                                     ensure_ascii=False)
            kept.countries = json.dumps(_union(json.loads(c.countries) for c in items))
            review.session.add(kept)
            links = {country for c in items for country in review.links(c.id or 0)}
            for other in others:
                review.remove(other)
            review.session.flush()
            review.set_links(kept.id or 0, links)
            review.cite(kept)
            return review.record("merge", author)

    def split(self, commitment_id: int | str, offset: int, *,
              author: str | None = None) -> ReviewRead:
        """Split a commitment in two at ``offset`` in its text: the first part keeps its
        number, status and history; the second becomes a new commitment after it, in the
        same state, with the same deadline, actors and countries."""
        from sqlmodel import col, select

        from briefing_app.store.models import Commitment

        wanted = _ids([commitment_id])[0]
        with self.store.read() as db:
            row = db.execute("SELECT series_id, position FROM commitment WHERE id = ?",
                             (wanted,)).fetchone()
            if row is None:
                raise kinds.COMMITMENTS.missing(wanted)
            later = [r[0] for r in db.execute(
                "SELECT id FROM commitment WHERE series_id = ? AND position > ?",
                (row["series_id"], row["position"]))]
        with self._review([wanted, *later]) as review:
            item = review.commitment(wanted)
            first, second = item.text[:offset].rstrip(), item.text[offset:].lstrip()
            if not 0 < offset < len(item.text) or not first or not second:
                raise InvalidInput(f"offset: {offset} does not split the text of commitment "
                                   f"{wanted} (give 1 to {len(item.text) - 1})")
            middle = _split_point(review.letter_text(item.letter_id), item, offset, second)
            for shifted in review.session.exec(
                    select(Commitment).where(col(Commitment.id).in_(later))):
                shifted.position += 1
                review.session.add(shifted)
            new = Commitment(**{
                **item.model_dump(exclude={"id"}), "position": item.position + 1,
                "number": None, "marker": None, "title": _title_of(second), "text": second,
                "start": middle, "end": item.end, "status": "no evidence", "rag": "grey",
                "owner": None, "notes": None})
            item.text, item.end = first, middle
            review.session.add(item)
            review.session.add(new)
            review.session.flush()
            review.track(new.id or 0)
            review.set_links(new.id or 0, review.links(wanted))
            review.cite(item)
            review.cite(new)
            return review.record("split", author)

    def undo(self, review_id: int, *, author: str | None = None) -> ReviewRead:
        """Put back the rows as they were before review ``review_id``, as a new review."""
        from briefing_app.store.models import ReviewChange
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            change = uow.session.get(ReviewChange, review_id)
            if change is None:
                raise NotFound(f"review {review_id}: not in the store")
            before, after = json.loads(change.before), json.loads(change.after)
            ids = sorted({int(i) for i in [*before["commitment"], *after["commitment"]]})
            current = _snapshot(uow.session, ids)
            if current != after:
                raise InvalidInput(f"review {review_id}: its commitments changed since; undo "
                                   "the later changes first")
            _restore(uow.session, ids, before)
            undo = _record(uow.session, "undo", current, before, author, reverts_id=review_id)
            uow.commit()
            return undo

    # -- helpers ------------------------------------------------------------------------

    def _set_state(self, action: str, state: str, ids: Sequence[int | str],
                   author: str | None) -> ReviewRead:
        wanted = _ids(ids)
        with self._review(wanted) as review:
            for commitment_id in wanted:
                item = review.commitment(commitment_id)
                item.state = state
                review.session.add(item)
            return review.record(action, author)

    def _review(self, ids: Sequence[int]) -> _Review:
        return _Review(self.store, ids)


class _Review:
    """One review in its unit of work: the rows before, the change, the rows after."""

    def __init__(self, store: Store, ids: Sequence[int]) -> None:
        self.store = store
        self.ids = list(dict.fromkeys(ids))
        self._committed = False

    def __enter__(self) -> _Review:
        from briefing_app.store.unit_of_work import UnitOfWork

        self._uow = UnitOfWork(self.store).__enter__()
        self.session: Session = self._uow.session
        self.before = _snapshot(self.session, self.ids)
        missing = [i for i in self.ids if str(i) not in self.before["commitment"]]
        if missing:
            raise kinds.COMMITMENTS.missing(missing[0])
        return self

    def __exit__(self, *exc: object) -> None:
        self._uow.__exit__(*exc)  # type: ignore[arg-type]

    def commitment(self, commitment_id: int) -> Commitment:
        from briefing_app.store.models import Commitment

        item = self.session.get(Commitment, commitment_id)
        if item is None:
            raise kinds.COMMITMENTS.missing(commitment_id)
        return item

    def letter_text(self, letter_id: int) -> str:
        from briefing_app.store.models import Letter

        letter = self.session.get(Letter, letter_id)
        return letter.original_text if letter is not None else ""

    def letter_date(self, letter_id: int) -> date | None:
        from briefing_app.store.models import Letter

        letter = self.session.get(Letter, letter_id)
        return letter.date if letter is not None else None

    def links(self, commitment_id: int) -> set[int]:
        from sqlmodel import col, select

        from briefing_app.store.models import CommitmentCountry

        return set(self.session.exec(select(CommitmentCountry.country_id).where(
            col(CommitmentCountry.commitment_id) == commitment_id)))

    def set_links(self, commitment_id: int, countries: Iterable[int]) -> None:
        from briefing_app.store.models import CommitmentCountry

        for country_id in sorted(set(countries) - self.links(commitment_id)):
            self.session.add(CommitmentCountry(commitment_id=commitment_id,
                                               country_id=country_id))

    def cite(self, item: Commitment) -> None:
        """The commitment's citations become the one passage of its span."""
        from sqlalchemy import delete
        from sqlmodel import col

        from briefing_app.store.models import Citation

        self.session.execute(delete(Citation).where(
            col(Citation.item_kind) == ROW_KIND, col(Citation.item_id) == item.id))
        text = self.letter_text(item.letter_id)
        if 0 <= item.start < item.end <= len(text):
            self.session.add(Citation(letter_id=item.letter_id, item_kind=ROW_KIND,
                                      item_id=item.id or 0, start=item.start, end=item.end,
                                      quote=text[item.start:item.end]))

    def remove(self, item: Commitment) -> None:
        from sqlalchemy import delete
        from sqlmodel import col

        from briefing_app.store.models import Citation

        self.session.execute(delete(Citation).where(
            col(Citation.item_kind) == ROW_KIND, col(Citation.item_id) == item.id))
        self.session.delete(item)

    def track(self, commitment_id: int) -> None:
        """Remember a commitment that starts being tracked (its ids are in the snapshot)."""
        if commitment_id not in self.ids:
            self.ids.append(commitment_id)

    def record(self, action: str, author: str | None) -> ReviewRead:
        self.session.flush()
        after = _snapshot(self.session, self.ids)
        recorded = _record(self.session, action, self.before, after, author)
        self._uow.commit()
        return recorded


def _ids(values: Sequence[int | str]) -> list[int]:
    if not values:
        raise InvalidInput("id: give one or more commitment ids")
    return list(dict.fromkeys(kinds.COMMITMENTS.parse_id(v) for v in values))


def _number(value: int | str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"number: {value!r} is not a whole number") from None
    if number < 0:
        raise InvalidInput(f"number: {number} is negative")
    return number


def _union(lists: Iterable[list[str]]) -> list[str]:
    return list(dict.fromkeys(value for values in lists for value in values))


def _title_of(text: str) -> str:
    first = " ".join(text.split("\n")[0].split())
    return first if len(first) <= 160 else first[:159].rstrip() + "…"


def _split_point(original: str, item: Commitment, offset: int, second: str) -> int:
    """Where the second part starts in the letter's original text."""
    if original[item.start:item.end] == item.text:
        return item.start + offset + (len(item.text[offset:]) - len(second))
    found = original.find(second[:40], item.start, item.end)
    if found > item.start:
        return found
    return min(item.end - 1, item.start + offset)


def _snapshot(session: Session, ids: Sequence[int]) -> Snapshot:
    """The rows of the commitments ``ids``, their country links and their citations."""
    from sqlalchemy import bindparam, text

    session.flush()
    wanted = sorted(set(ids))
    result: Snapshot = {"commitment": {}, "links": {}, "citation": {}}
    if not wanted:
        return result

    def rows(sql: str, **extra: Any) -> list[dict[str, Any]]:
        statement = text(sql).bindparams(bindparam("ids", expanding=True))
        return [dict(r._mapping) for r in session.execute(statement, {"ids": wanted, **extra})]

    for row in rows("SELECT * FROM commitment WHERE id IN :ids ORDER BY id"):
        result["commitment"][str(row["id"])] = row
    for row in rows("SELECT commitment_id, country_id FROM commitmentcountry "
                    "WHERE commitment_id IN :ids ORDER BY commitment_id, country_id"):
        result["links"].setdefault(str(row["commitment_id"]), []).append(row["country_id"])
    for row in rows("SELECT * FROM citation WHERE item_kind = :kind AND item_id IN :ids "
                    "ORDER BY id", kind=ROW_KIND):
        result["citation"][str(row["id"])] = row
    # as JSON would give it back: a comparison with a stored snapshot is exact
    loaded: Snapshot = json.loads(json.dumps(result, default=str))
    return loaded


def _restore(session: Session, ids: Sequence[int], snapshot: Snapshot) -> None:
    """Replace the rows of the commitments ``ids`` by those of ``snapshot``."""
    from sqlalchemy import bindparam, text

    session.flush()
    wanted = sorted(set(ids))

    def run(sql: str, values: dict[str, Any]) -> None:
        statement = text(sql)
        if "ids" in values:
            statement = statement.bindparams(bindparam("ids", expanding=True))
        session.execute(statement, values)

    run("DELETE FROM citation WHERE item_kind = :kind AND item_id IN :ids",
        {"kind": ROW_KIND, "ids": wanted})
    run("DELETE FROM commitmentcountry WHERE commitment_id IN :ids", {"ids": wanted})
    run("DELETE FROM commitment WHERE id IN :ids", {"ids": wanted})
    for table, stored in (("commitment", snapshot["commitment"]),
                          ("citation", snapshot["citation"])):
        for row in stored.values():
            names = ", ".join(f'"{name}"' for name in row)
            run(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})",
                row)
    for commitment_id, countries in snapshot["links"].items():
        for country_id in countries:
            run("INSERT INTO commitmentcountry (commitment_id, country_id) VALUES (:c, :k)",
                {"c": int(commitment_id), "k": country_id})
    session.expire_all()


def _record(session: Session, action: str, before: Snapshot, after: Snapshot,
            author: str | None, reverts_id: int | None = None) -> ReviewRead:
    from briefing_app.store.models import ReviewChange

    change = ReviewChange(action=action, before=json.dumps(before, ensure_ascii=False),
                          after=json.dumps(after, ensure_ascii=False),
                          author=author or current_author(), changed_at=now(),
                          reverts_id=reverts_id)
    session.add(change)
    session.flush()
    return ReviewRead(
        id=change.id or 0, action=action,
        commitment_ids=tuple(sorted(int(i) for i in after["commitment"])),
        removed_ids=tuple(sorted(int(i) for i in before["commitment"]
                                 if i not in after["commitment"])),
        author=change.author, reverts_id=reverts_id)
