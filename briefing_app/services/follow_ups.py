"""Follow-ups: what other letters say about each commitment, and the evidence they become.

**Finding.** For a commitment, the finder asks the full-text index for the
paragraphs of other letters holding any of the commitment's rarest words
(:data:`QUERY_WORDS` of them, so a common word never floods the candidates),
then scores each candidate with :func:`briefing_app.corpus.matching.score`
(shared specific terms, countries, rare words and word pairs, the deadline's
subject). A passage of the commitment's own letter is never a candidate.
Suggestions are ranked with :func:`rank_key`: passages of letters dated after
the commitment's letter first, then of undated letters, then of earlier
ones; by score within each. The best :data:`SUGGESTIONS` of each commitment
are stored as ``suggested`` follow-ups.

When a letter is imported the finder runs both ways: for the new letter's
commitments over every other letter, and for the other letters' commitments
over the new letter's paragraphs (the commitment index gives the
candidates), merging with what is stored: a passage once accepted or
dismissed is never suggested again, and a commitment keeps its best
suggestions.

**Evidence.** A person accepts a suggestion (optionally setting the status it
supports: that status change's source is the passage) or dismisses it. Each
review is a :class:`~briefing_app.store.models.FollowUpReview` row, undone
exactly (an accept's status change is reverted with it).
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing_app.corpus.countries import countries_in, names_of
from briefing_app.corpus.matching import (
    Match,
    Profile,
    content_words,
    idf,
    is_report_passage,
    profile,
    score,
    term_phrases,
    words_of,
)
from briefing_app.domain import kinds
from briefing_app.domain.status import parse_rag, parse_status
from briefing_app.errors import InvalidInput, NotFound
from briefing_app.read_models import FollowUpRead, FollowUpReviewRead
from briefing_app.services.common import Dated, current_author, now, parse_choice
from briefing_app.store import follow_ups as sql
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime
from briefing_app.text import one_line, plain

if TYPE_CHECKING:
    import sqlite3

    from sqlmodel import Session

#: Follow-up states.
STATES = ("suggested", "accepted", "dismissed")
#: Suggestions kept per commitment.
SUGGESTIONS = 5
#: How many of a text's rarest words ask the index for candidates.
QUERY_WORDS = 12
#: Candidate paragraphs scored per commitment.
CANDIDATES = 40
#: Candidate commitments asked for per paragraph of a new letter.
COMMITMENT_CANDIDATES = 10


@dataclass(frozen=True)
class Candidate:
    """A passage the finder proposes for a commitment."""

    commitment_id: int
    paragraph_id: int
    letter_id: int
    letter_date: date | None
    start: int
    end: int
    match: Match

    @property
    def score(self) -> float:
        return self.match.score


#: An undated letter's passage ranks among the later letters' with this share of its score:
#: it may be later, but nothing says so.
UNDATED_SHARE = 0.75


def rank_key(commitment_date: date | None, letter_date: date | None,
             score: float, letter_id: int, start: int) -> tuple[int, float, int, int, int]:
    """How suggestions are ordered: passages of later letters (and, at a discount, of
    undated ones) before those of earlier letters; the best score first within each;
    then the newer letter, then the passage's order."""
    if letter_date is None or commitment_date is None:
        group, weight = 0, UNDATED_SHARE
    elif letter_date > commitment_date:
        group, weight = 0, 1.0
    else:
        group, weight = 1, 1.0
    return (group, -score * weight, -(letter_date.toordinal() if letter_date else 0),
            letter_id, start)


@dataclass
class Finder:
    """The finder over one open connection; word statistics are read once per word."""

    db: sqlite3.Connection
    documents: int = 0
    _df: dict[str, int] = field(default_factory=dict)
    _own: dict[int, Counter[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.documents = max(1, sql.paragraph_count(self.db))

    def _learn(self, folded: Iterable[str]) -> None:
        missing = {word for word in folded if word not in self._df}
        if missing:
            found = sql.document_frequencies(self.db, missing)
            for word in missing:
                self._df[word] = found.get(word, 0)

    def own_counts(self, letter_id: int) -> Counter[str]:
        """How many paragraphs of one letter hold each (folded) word."""
        if letter_id not in self._own:
            counts: Counter[str] = Counter()
            for paragraph in sql.letter_paragraphs(self.db, letter_id):
                counts.update(words_of(paragraph["text"]))
            self._own[letter_id] = counts  # the finder lives for one run: kept till then
        return self._own[letter_id]

    def held_elsewhere(self, folded: str, letter_id: int | None) -> int:
        """How many paragraphs of letters other than ``letter_id`` hold the word."""
        if folded not in self._df:
            self._learn([folded])
        own = self.own_counts(letter_id)[folded] if letter_id is not None else 0
        return max(0, self._df[folded] - own)

    def rarity_for(self, letter_id: int | None) -> Callable[[str], float]:
        """A word's rarity in the letters other than ``letter_id`` (its idf there): a word
        only the commitment's own letter uses says nothing about other letters."""
        return lambda folded: idf(self.documents, self.held_elsewhere(folded, letter_id))

    def query_words(self, text: str, *, letter_id: int | None = None,
                    with_names: bool = False) -> list[str]:
        """What asks the index for candidates: the rarest words of ``text`` that some
        paragraph of another letter than ``letter_id`` holds and, with ``with_names``, its
        specific terms (as phrases) and the names of the countries it names ("Tunisian"
        for Tunisia)."""
        words = list(dict.fromkeys(form for _stem, form in content_words(plain(text))))
        self._learn(words)
        elsewhere = {word: self.held_elsewhere(word, letter_id) for word in words}
        held = [word for word in words if elsewhere[word] > 0]
        chosen = sorted(held, key=lambda word: (elsewhere[word], word))[:QUERY_WORDS]
        if with_names:
            chosen += term_phrases(text)
            chosen += [name for code in countries_in(plain(text))
                       for name in names_of(code)[:3]]
        return chosen

    def candidates(self, commitment: Row) -> list[Candidate]:
        """The scored passages of other letters for one commitment (a finder row), ranked."""
        wanted = profile(commitment["text"], commitment["deadline"])
        words = self.query_words(commitment["text"], letter_id=commitment["letter_id"],
                                 with_names=True)
        rows = sql.candidate_paragraphs(self.db, words,
                                        exclude_letter_id=commitment["letter_id"],
                                        limit=CANDIDATES)
        return self._scored(commitment, wanted, rows)

    def _scored(self, commitment: Row, wanted: Profile, rows: Iterable[Row], *,
                own_letter: bool = True) -> list[Candidate]:
        """Score and rank candidate passages; ``own_letter``: rarity is counted without the
        commitment's own letter (else over the whole store, which differs by one letter's
        paragraphs: on a large store, next to nothing)."""
        dates = sql.letter_dates(self.db, [row["letter_id"] for row in rows])
        self._learn(wanted.words.values())
        rarity = self.rarity_for(commitment["letter_id"] if own_letter else None)
        found = []
        for row in rows:
            if row["letter_id"] == commitment["letter_id"] or not is_report_passage(row["text"]):
                continue
            match = score(wanted, profile(row["text"]), rarity)
            if match.score > 0:
                found.append(Candidate(commitment["id"], row["id"], row["letter_id"],
                                       dates.get(row["letter_id"]), row["start"], row["end"],
                                       match))
        own = as_date(commitment["letter_date"])
        found.sort(key=lambda c: rank_key(own, c.letter_date, c.score, c.letter_id, c.start))
        return found

    def for_letter(self, letter_id: int) -> dict[int, list[Candidate]]:
        """Both ways for a new letter: its commitments over the store, and the store's
        commitments over its paragraphs."""
        found: dict[int, list[Candidate]] = {}
        for commitment in sql.finder_commitments(self.db, letter_id=letter_id):
            found[commitment["id"]] = self.candidates(commitment)
        paragraphs = sql.letter_paragraphs(self.db, letter_id)
        asked: dict[int, list[Row]] = {}
        for paragraph in paragraphs:
            if not is_report_passage(paragraph["text"]):
                continue
            for commitment_id in sql.candidate_commitments(
                    self.db, self.query_words(paragraph["text"]), exclude_letter_id=letter_id,
                    limit=COMMITMENT_CANDIDATES):
                asked.setdefault(commitment_id, []).append(paragraph)
        for commitment in sql.finder_commitments(self.db, asked):
            wanted = profile(commitment["text"], commitment["deadline"])
            # many earlier letters: their own word counts would cost more than they change
            found[commitment["id"]] = self._scored(commitment, wanted, asked[commitment["id"]],
                                                   own_letter=False)
        return found


# ------------------------------------------------------------------------------ reads


def follow_up_read(row: Row, label: str) -> FollowUpRead:
    return FollowUpRead(
        id=row["id"], commitment_id=row["commitment_id"], item_label=label,
        letter_id=row["letter_id"], letter_title=row["letter_title"],
        letter_date=as_date(row["letter_date"]), start=row["start"], end=row["end"],
        text=one_line(plain(row["quote"])), score=row["score"], state=row["state"],
        origin=row["origin"], reviewed_by=row["reviewed_by"],
        reviewed_at=as_datetime(row["reviewed_at"]), status_change_id=row["status_change_id"],
    )


#: Accepted follow-ups (the evidence) first, then suggestions, dismissed ones last.
_STATE_ORDER = {"accepted": 0, "suggested": 1, "dismissed": 2}


def read_follow_ups(db: sqlite3.Connection, *, commitment_ids: Iterable[int] | None = None,
                    state: str | None = None, ids: Iterable[int] | None = None,
                    letter_id: int | None = None) -> dict[int, tuple[FollowUpRead, ...]]:
    """Follow-ups by commitment: accepted, suggested, then dismissed ones, each in
    :func:`rank_key` order."""
    from briefing_app.services.tracking import item_labels

    rows = sql.follow_ups(db, commitment_ids=commitment_ids, state=state, ids=ids,
                          letter_id=letter_id)
    labels = item_labels(db, {(kinds.COMMITMENT_ROW_KIND, r["commitment_id"]) for r in rows})
    own = sql.commitment_letter_dates(db) if rows else {}
    grouped: dict[int, list[FollowUpRead]] = {}
    for row in rows:
        label = labels.get((kinds.COMMITMENT_ROW_KIND, row["commitment_id"]),
                           f"Commitment {row['commitment_id']}")
        grouped.setdefault(row["commitment_id"], []).append(follow_up_read(row, label))

    def order(f: FollowUpRead) -> tuple[Any, ...]:
        return (_STATE_ORDER[f.state], *rank_key(own.get(f.commitment_id), f.letter_date,
                                                 f.score, f.letter_id, f.start))

    return {cid: tuple(sorted(items, key=order)) for cid, items in grouped.items()}


def parse_state(value: str | None) -> str | None:
    """A follow-up state as typed; None stays None."""
    return parse_choice(value, STATES, "follow-up state")


# ------------------------------------------------------------------------------ writes


def stored_follow_ups(session: Session, commitment_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The stored follow-ups of many commitments, read in a few queries."""
    from sqlmodel import col, select

    from briefing_app.store.models import FollowUp

    wanted = sorted(set(commitment_ids))
    found: dict[int, list[Any]] = {}
    for first in range(0, len(wanted), 500):
        for row in session.exec(select(FollowUp).where(
                col(FollowUp.commitment_id).in_(wanted[first:first + 500]))).all():
            found.setdefault(row.commitment_id, []).append(row)
    return found


def store_candidates(session: Session, commitment_id: int, candidates: list[Candidate],
                     *, replace: bool, existing: Iterable[Any] = ()) -> int:
    """Merge the finder's candidates into a commitment's stored suggestions (``existing``:
    its stored follow-ups); returns how many suggestions are new. ``replace``: the
    candidates are the full answer (drop the suggestions they no longer hold), else they
    add to what is stored."""
    from briefing_app.store.models import FollowUp, Letter

    stored = {(f.letter_id, f.start, f.end): f for f in existing}
    reviewed = [f for f in stored.values() if f.state != "suggested" or f.origin != "finder"]
    added = 0
    texts: dict[int, str] = {}
    # a reviewed follow-up quoting part of a candidate's passage stands for that passage:
    # it takes the passage's score (if it has none) and the passage is not suggested again
    fresh = []
    for candidate in candidates:
        within = [f for f in reviewed
                  if _inside(f, candidate) and (f.start, f.end) != (candidate.start, candidate.end)]
        for follow_up in within:
            if not follow_up.score:
                follow_up.score = candidate.score
                session.add(follow_up)
        if not within:
            fresh.append(candidate)
    candidates = fresh
    for candidate in candidates[:SUGGESTIONS]:
        key = (candidate.letter_id, candidate.start, candidate.end)
        known = stored.get(key)
        if known is not None:
            if known.state == "suggested" or not known.score:
                known.score = candidate.score
                session.add(known)
            continue
        if candidate.letter_id not in texts:
            letter = session.get(Letter, candidate.letter_id)
            texts[candidate.letter_id] = letter.original_text if letter else ""
        quote = texts[candidate.letter_id][candidate.start:candidate.end]
        row = FollowUp(commitment_id=commitment_id, letter_id=candidate.letter_id,
                       paragraph_id=candidate.paragraph_id, start=candidate.start,
                       end=candidate.end, quote=quote, score=candidate.score,
                       found_at=now())
        session.add(row)
        stored[key] = row
        added += 1
    kept = {(c.letter_id, c.start, c.end) for c in candidates[:SUGGESTIONS]}
    suggested = [f for f in stored.values() if f.state == "suggested" and f.origin == "finder"]
    if replace:
        for f in suggested:
            if (f.letter_id, f.start, f.end) not in kept and f.id is not None:
                session.delete(f)
    elif len(suggested) > SUGGESTIONS:
        for f in sorted(suggested, key=lambda f: -f.score)[SUGGESTIONS:]:
            if f.id is not None:
                session.delete(f)
            else:
                session.expunge(f)
                added -= 1
    return added


def _inside(follow_up: Any, candidate: Candidate) -> bool:
    """Whether a stored follow-up quotes part of the candidate's passage."""
    return (follow_up.letter_id == candidate.letter_id and candidate.start <= follow_up.start
            and follow_up.end <= candidate.end)


@dataclass(frozen=True)
class FinderReport:
    commitments: int  # commitments looked for
    suggested: int  # new suggestions stored


class FollowUpService(Dated):
    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today

    # -- finding -----------------------------------------------------------------------

    def suggestions(self, commitment_id: int, limit: int = SUGGESTIONS) -> list[Candidate]:
        """The finder's ranked answer for one commitment, computed now (nothing stored)."""
        with self.store.read() as db:
            rows = sql.finder_commitments(db, [commitment_id])
            if not rows:
                raise NotFound(f"commitment {commitment_id}: not in the store (or rejected)")
            return Finder(db).candidates(rows[0])[:limit]

    def find(self, *, letter_id: int | None = None,
             commitment_ids: Iterable[int] | None = None) -> FinderReport:
        """Run the finder and store its suggestions: for a newly imported letter (both
        ways), for some commitments, or (neither given) for every commitment."""
        from briefing_app.store.unit_of_work import UnitOfWork

        with self.store.read() as db:
            finder = Finder(db)
            if letter_id is not None and commitment_ids is None:
                found = finder.for_letter(letter_id)
                replace = {c["id"] for c in sql.finder_commitments(db, letter_id=letter_id)}
            else:
                rows = sql.finder_commitments(db, commitment_ids)
                found = {row["id"]: finder.candidates(row) for row in rows}
                replace = set(found)
        added = 0
        with UnitOfWork(self.store) as uow:
            existing = stored_follow_ups(uow.session, found)
            for commitment_id, candidates in found.items():
                added += store_candidates(uow.session, commitment_id, candidates,
                                          replace=commitment_id in replace,
                                          existing=existing.get(commitment_id, ()))
            uow.commit()
        return FinderReport(len(found), added)

    # -- reading -----------------------------------------------------------------------

    def list(self, *, commitment_id: int | None = None,
             state: str | None = None) -> builtins.list[FollowUpRead]:
        with self.store.read() as db:
            grouped = read_follow_ups(
                db, commitment_ids=[commitment_id] if commitment_id is not None else None,
                state=parse_state(state))
        return [f for cid in sorted(grouped) for f in grouped[cid]]

    def get(self, follow_up_id: int) -> FollowUpRead:
        with self.store.read() as db:
            grouped = read_follow_ups(db, ids=[follow_up_id])
        if not grouped:
            raise NotFound(f"follow-up {follow_up_id}: not in the store")
        return next(iter(grouped.values()))[0]

    def in_letter(self, letter_id: int) -> builtins.list[FollowUpRead]:
        """The follow-ups (suggested and accepted, not dismissed) that quote a passage of
        ``letter_id``, in the letter's order: what the desktop reader marks."""
        with self.store.read() as db:
            grouped = read_follow_ups(db, letter_id=letter_id)
        return sorted((f for items in grouped.values() for f in items
                       if f.state != "dismissed"), key=lambda f: (f.start, f.end, f.id))

    def reviews(self, follow_up_id: int | None = None) -> builtins.list[FollowUpReviewRead]:
        """The audit trail, oldest first."""
        with self.store.read() as db:
            rows = sql.follow_up_reviews(db, follow_up_id)
        return [_review_read(row) for row in rows]

    # -- reviewing ---------------------------------------------------------------------

    def accept(self, ids: Iterable[int], *, status: str | None = None, rag: str | None = None,
               note: str | None = None, author: str | None = None
               ) -> builtins.list[FollowUpReviewRead]:
        """Accept follow-ups as evidence; with ``status`` (or ``rag``), also set the
        commitment's status with the passage as its source. One transaction."""
        new_status = parse_status(status).value if status is not None else None
        new_rag = parse_rag(rag).value if rag is not None else None
        return self._review(ids, "accept", "accepted", status=new_status, rag=new_rag,
                            note=note, author=author)

    def dismiss(self, ids: Iterable[int], *, author: str | None = None
                ) -> builtins.list[FollowUpReviewRead]:
        return self._review(ids, "dismiss", "dismissed", author=author)

    def _review(self, ids: Iterable[int], action: str, state: str, *,
                status: str | None = None, rag: str | None = None, note: str | None = None,
                author: str | None = None) -> builtins.list[FollowUpReviewRead]:
        from briefing_app.services.recording import record_change
        from briefing_app.services.tracking import shown_kind
        from briefing_app.store.models import Commitment, FollowUp, FollowUpReview, Letter
        from briefing_app.store.unit_of_work import UnitOfWork

        wanted = list(dict.fromkeys(ids))
        if not wanted:
            raise InvalidInput("follow-up: give the id of at least one follow-up")
        who = author or current_author()
        done: builtins.list[Any] = []
        with UnitOfWork(self.store) as uow:
            session = uow.session
            for follow_up_id in wanted:
                follow_up = session.get(FollowUp, follow_up_id)
                if follow_up is None:
                    raise NotFound(f"follow-up {follow_up_id}: not in the store")
                if follow_up.state == state:
                    raise InvalidInput(f"follow-up {follow_up_id} is already {state}")
                change_id = None
                if status is not None or rag is not None:
                    commitment = session.get(Commitment, follow_up.commitment_id)
                    letter = session.get(Letter, follow_up.letter_id)
                    if commitment is None or letter is None:
                        raise NotFound(f"follow-up {follow_up_id}: its commitment is gone")
                    kind = shown_kind(session, kinds.by_stored(kinds.COMMITMENT_ROW_KIND),
                                      commitment)
                    change = record_change(
                        session, kind, commitment, status=status, rag=rag, owner=None,
                        note=note, author=who, source=evidence_source(follow_up, letter))
                    change_id = change.id
                review = FollowUpReview(follow_up_id=follow_up_id, action=action,
                                        old_state=follow_up.state, new_state=state,
                                        status_change_id=change_id, author=who,
                                        changed_at=now())
                follow_up.state, follow_up.reviewed_by = state, who
                follow_up.reviewed_at = review.changed_at
                follow_up.status_change_id = change_id
                session.add(follow_up)
                session.add(review)
                done.append(review)
            session.flush()
            result = [_review_read(review) for review in done]
            uow.commit()
        return result

    def undo(self, review_id: int, *, author: str | None = None) -> FollowUpReviewRead:
        """Take back one accept or dismiss: the follow-up gets its earlier state again and
        the status change made with it is reverted (recorded as an undo)."""
        from briefing_app.services.recording import record_change
        from briefing_app.services.tracking import shown_kind, undo_note
        from briefing_app.store.models import Commitment, FollowUp, FollowUpReview, StatusChange
        from briefing_app.store.unit_of_work import UnitOfWork

        who = author or current_author()
        with UnitOfWork(self.store) as uow:
            session = uow.session
            review = session.get(FollowUpReview, review_id)
            if review is None:
                raise NotFound(f"follow-up review {review_id}: not in the store")
            if review.action == "undo":
                raise InvalidInput(f"follow-up review {review_id} is an undo; review again "
                                   "instead")
            follow_up = session.get(FollowUp, review.follow_up_id)
            if follow_up is None:
                raise NotFound(f"follow-up {review.follow_up_id}: no longer in the store")
            if follow_up.state != review.new_state:
                raise InvalidInput(f"follow-up {follow_up.id} was reviewed again since "
                                   f"review {review_id}; undo the later review first")
            revert_id = None
            if review.status_change_id is not None:
                change = session.get(StatusChange, review.status_change_id)
                commitment = session.get(Commitment, follow_up.commitment_id)
                if change is not None and commitment is not None:
                    kind = shown_kind(session, kinds.by_stored(change.item_kind), commitment)
                    restore = record_change(
                        session, kind, commitment, status=change.old_status,
                        rag=change.old_rag or None, owner=change.old_owner or "",
                        note=undo_note(change), author=who, source="undo",
                        reverts_id=change.id)
                    revert_id = restore.id
            undo = FollowUpReview(follow_up_id=follow_up.id or 0, action="undo",
                                  old_state=follow_up.state, new_state=review.old_state,
                                  status_change_id=revert_id, author=who, changed_at=now(),
                                  reverts_id=review.id)
            follow_up.state = review.old_state
            follow_up.status_change_id = None
            if review.old_state == "suggested":
                follow_up.reviewed_by = follow_up.reviewed_at = None
            session.add(follow_up)
            session.add(undo)
            session.flush()
            result = _review_read(undo)
            uow.commit()
        return result


def evidence_source(follow_up: Any, letter: Any) -> str:
    """How a status change made from a follow-up names its source in the history."""
    when = letter.date.strftime("%d %b %Y") if letter.date else "undated"
    return f"follow-up {follow_up.id}: letter {letter.id} ({when}), " \
           f"characters {follow_up.start}-{follow_up.end}"


def _review_read(row: Any) -> FollowUpReviewRead:
    get = row.__getitem__ if hasattr(row, "keys") else lambda name: getattr(row, name)
    changed_at = get("changed_at")
    if isinstance(changed_at, str):
        changed_at = as_datetime(changed_at)
    return FollowUpReviewRead(
        id=get("id") or 0, follow_up_id=get("follow_up_id"), action=get("action"),
        old_state=get("old_state"), new_state=get("new_state"),
        status_change_id=get("status_change_id"), author=get("author"),
        changed_at=changed_at,
        reverts_id=get("reverts_id"),
    )
