"""Letters: import from files (one transaction per file), list and read."""

from __future__ import annotations

import builtins
import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from briefing_app.errors import NotFound, UserError
from briefing_app.read_models import (
    AnnexRead,
    CorrectionRead,
    ImportResult,
    LetterDetail,
    LetterRoleRead,
    LetterSummary,
    PassageRead,
)
from briefing_app.services.commitments import read_commitments
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary_of(row: Row) -> LetterSummary:
    return LetterSummary(
        id=row["id"], title=row["title"], date=as_date(row["date"]), place=row["place"],
        kind=row["kind"], reference=row["reference"], source_name=row["source_name"],
        sha256=row["sha256"], imported_at=as_datetime(row["imported_at"]),  # type: ignore[arg-type]
    )


#: How an import's summary names the commitments of a well-known series.
_SERIES_WORDS = {"action-points": "action points", "measures": "operational measures"}


class LetterService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- import -----------------------------------------------------------------------

    def import_file(self, path: Path, *, title: str | None = None) -> ImportResult:
        """Import one letter file in one transaction.

        The same bytes imported twice change nothing. A file that cannot be
        read raises :class:`UserError` naming the file; the store is untouched.
        """
        from briefing_app.corpus.decode import read_letter_file

        data, text, encoding = read_letter_file(path)
        digest = sha256_of(data)
        with self.store.read() as db:
            existing = db.execute("SELECT id, title FROM letter WHERE sha256 = ?",
                                  (digest,)).fetchone()
        if existing is not None:
            return ImportResult(str(path), "unchanged", existing["id"], existing["title"],
                                f"already in the store as letter {existing['id']}")

        from briefing_app.corpus.parser import parse_letter
        from briefing_app.services.recording import store_letter
        from briefing_app.store.unit_of_work import UnitOfWork

        parsed = parse_letter(text)
        with UnitOfWork(self.store) as uow:
            letter = store_letter(uow.session, parsed, source_name=path.name, sha256=digest,
                                  encoding=encoding, title=title,
                                  source=f"import of {path.name}")
            uow.commit()
            summary = [f"{len(parsed.roles)} people named"]
            series: dict[str, tuple[str, int]] = {}
            for commitment in parsed.commitments:
                title, count = series.get(commitment.series, (commitment.series_title, 0))
                series[commitment.series] = (title, count + 1)
            for key, (title, count) in series.items():
                summary.append(f"{count} " + _SERIES_WORDS.get(key, title[:1].lower() + title[1:]))
            letter_id, letter_title = letter.id, letter.title
        # what the new letter says about earlier commitments, and the follow-ups of its own
        from briefing_app.services.follow_ups import FollowUpService

        found = FollowUpService(self.store).find(letter_id=letter_id)
        if found.suggested:
            summary.append(f"{found.suggested} follow-up"
                           f"{'s' if found.suggested != 1 else ''} suggested")
        return ImportResult(str(path), "imported", letter_id, letter_title, ", ".join(summary))

    def import_files(
        self,
        paths: Iterable[Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[ImportResult]:
        """Import several files, each in its own transaction; one result per file.

        ``progress(done, total, current_file)`` is called before each file;
        when ``cancelled()`` turns true the remaining files are skipped (a
        file already started is finished or rolled back, never half-written).
        """
        self.store.check_writable()
        todo = list(paths)
        results: list[ImportResult] = []
        for done, path in enumerate(todo):
            if cancelled and cancelled():
                results.extend(ImportResult(str(p), "skipped", None, None, "cancelled")
                               for p in todo[done:])
                break
            if progress:
                progress(done, len(todo), str(path))
            try:
                results.append(self.import_file(path))
            except UserError as exc:
                results.append(ImportResult(str(path), "failed", None, None, exc.message))
        if progress:
            progress(len(todo), len(todo), "")
        return results

    # -- reading ------------------------------------------------------------------------

    def list(self) -> list[LetterSummary]:
        with self.store.read() as db:
            return [_summary_of(row) for row in queries.letters(db)]

    def get(self, letter_id: int) -> LetterDetail:
        with self.store.read() as db:
            row = queries.letter(db, letter_id)
            if row is None:
                raise NotFound(f"letter {letter_id}: not in the store")
            return _detail_of(db, row, with_commitments=True)

    def details(self) -> builtins.list[LetterDetail]:
        """Every letter in full, as :meth:`get` reads it but without its commitments (a
        pack annexes letters; it reads the commitments it prints once, on their own)."""
        with self.store.read() as db:
            rows = [queries.letter(db, summary["id"]) for summary in queries.letters(db)]
            return [_detail_of(db, row, with_commitments=False)
                    for row in rows if row is not None]

    def passages(self, letter_id: int) -> builtins.list[PassageRead]:
        """Every passage of the letter that an item cites, in reading order."""
        with self.store.read() as db:
            return [PassageRead(r["item_kind"], r["item_key"], r["label"], r["start"],
                                r["end"]) for r in queries.passages(db, letter_id)]

    def data_as_of(self) -> datetime | None:
        """When the store last changed: the newest import or status change."""
        with self.store.read() as db:
            return queries.data_as_of(db)


def _detail_of(db: sqlite3.Connection, row: Row, *, with_commitments: bool) -> LetterDetail:
    letter_id = row["id"]
    summary = _summary_of(row)
    return LetterDetail(
        **{f: getattr(summary, f) for f in summary.__dataclass_fields__},
        encoding=row["encoding"],
        salutation=row["salutation"],
        subject=row["subject"],
        text=row["original_text"],
        roles=tuple(
            LetterRoleRead(
                person_id=r["person_id"], name=r["person_name"],
                name_as_written=r["name_as_written"], honorific=r["honorific"],
                role=r["role"], title=r["title"], organisation=r["organisation"],
                country=r["person_country"], start=r["start"], end=r["end"],
            )
            for r in queries.letter_roles(db, letter_id)
        ),
        annexes=tuple(AnnexRead(a["label"], a["title"], a["start"], a["end"])
                      for a in queries.annexes(db, letter_id)),
        corrections=tuple(
            CorrectionRead(c["start"], c["end"], c["original"], c["corrected"],
                           c["note"])
            for c in queries.corrections(db, letter_id)
        ),
        action_points=tuple(queries.numbers_in_letter(db, "action-points", letter_id)),
        measures=tuple(queries.numbers_in_letter(db, "measures", letter_id)),
        commitments=(tuple(read_commitments(db, date.today(), letter_id=letter_id))
                     if with_commitments else ()),
    )
