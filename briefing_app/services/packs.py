"""Meetings and briefing packs: compose, build (render to PDF) and record each version.

A build is one user action: the store is read, the pack is laid out into a
temporary file beside the target, and only then, in one transaction, the
pack's definition and its new version (PackBuild: SHA-256, page count,
options) are written and the file is moved into place. A cancelled or failed
build leaves neither a file nor a row behind.

ReportLab is imported only when a pack is rendered, never at start-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefing_app.domain import kinds
from briefing_app.domain.file_names import pack_file_name
from briefing_app.domain.markings import normalise as normalise_marking
from briefing_app.domain.meetings import FORMATIONS, parse_formation
from briefing_app.errors import BuildCancelled, InvalidInput, NotFound, UserError
from briefing_app.read_models import MeetingRead, PackBuildRead, PackRead
from briefing_app.reporting import sections as section_table
from briefing_app.reporting.composer import compose, section_items
from briefing_app.reporting.content import PackContent, PackSource, PreviousBuild, pack_code
from briefing_app.reporting.spec import (
    PackSpec,
    SectionChoice,
    merge_notes,
    notes_from_json,
    sections_from_json,
    sections_to_json,
)
from briefing_app.services.commitments import CommitmentService
from briefing_app.services.common import Dated, now
from briefing_app.services.markings import check_marking
from briefing_app.store import queries
from briefing_app.store.engine import Store
from briefing_app.store.queries import Row, as_date, as_datetime

if TYPE_CHECKING:
    from briefing_app.reporting.content import Contest
    from briefing_app.services.catalogue import CatalogueService
    from briefing_app.services.letters import LetterService
    from briefing_app.services.tracking import TrackingService

T = TypeVar("T")

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

MAX_TITLE = 300
MAX_AGENDA_ITEMS = 50


class Keep(Enum):
    """Leave a field as it is (for partial updates where None means "clear")."""

    KEEP = 0


KEEP = Keep.KEEP


def _clean(value: str | None, field: str, *, required: bool = False,
           limit: int = MAX_TITLE) -> str | None:
    cleaned = " ".join(value.split()) if value is not None else None
    if not cleaned:
        if required:
            raise InvalidInput(f"{field}: must not be empty")
        return None
    if len(cleaned) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters")
    return cleaned


def _agenda(items: Sequence[str]) -> list[str]:
    agenda = [_clean(item, f"agenda item {n}", required=True) or ""
              for n, item in enumerate(items, start=1)]
    if len(agenda) > MAX_AGENDA_ITEMS:
        raise InvalidInput(f"agenda: at most {MAX_AGENDA_ITEMS} items")
    return agenda


def _build_read(row: Row, pack: Row) -> PackBuildRead:
    options = json.loads(row["options"] or "{}")
    # the sections as recorded, not checked against the section table (a build stays
    # readable when its section is gone); builds recorded before choices were stored as
    # JSON hold them as typed, and are shown in the same form as the others
    choices = [SectionChoice.from_json(entry) for entry in options.get("sections", ())]
    if "sections" in options:
        options["sections"] = sections_to_json(choices)
    return PackBuildRead(
        pack_id=pack["id"], pack_code=pack_code(pack["id"]), title=pack["title"],
        meeting_id=pack["meeting_id"], version=row["version"],
        built_at=as_datetime(row["built_at"]),  # type: ignore[arg-type]
        path=row["path"], sha256=row["sha256"], page_count=row["page_count"],
        sections=tuple(choice.key for choice in choices),
        options=options,
    )


class PackService(Dated):
    """Meetings (create, edit, list) and briefing packs (compose, build, list)."""

    def __init__(self, store: Store, *, tracking: TrackingService, catalogue: CatalogueService,
                 letters: LetterService, today: date | None = None) -> None:
        self.store = store
        self.tracking = tracking
        self.catalogue = catalogue
        self.letters = letters
        self._today = today
        self.commitments = CommitmentService(store, today=today)

    # -- meetings ----------------------------------------------------------------------

    formations = FORMATIONS

    def meetings(self) -> list[MeetingRead]:
        return self.catalogue.meetings()

    def create_meeting(self, *, formation: str, title: str, date: date | None = None,
                       place: str | None = None, agenda: Sequence[str] = ()) -> MeetingRead:
        """Add a meeting (one transaction). The same title on the same date is refused."""
        formation_value = parse_formation(formation)
        title_value = _clean(title, "title", required=True) or ""
        place_value = _clean(place, "place")
        agenda_value = _agenda(agenda)
        with self.store.read() as db:
            twin = queries.meeting_titled(db, title_value, date.isoformat() if date else None)
        if twin is not None:
            raise InvalidInput(f"title: meeting {twin['id']} already has this title and date")

        from briefing_app.store.models import Meeting
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            meeting = Meeting(formation=formation_value, title=title_value, date=date,
                              place=place_value,
                              agenda=json.dumps(agenda_value, ensure_ascii=False))
            uow.session.add(meeting)
            uow.commit()
            meeting_id = meeting.id or 0
        return self.catalogue.meeting(meeting_id)

    def update_meeting(self, meeting_id: int, *, formation: str | Keep = KEEP,
                       title: str | Keep = KEEP, date: date | Keep | None = KEEP,
                       place: str | Keep | None = KEEP,
                       agenda: Sequence[str] | Keep = KEEP) -> MeetingRead:
        """Change some fields of a meeting (one transaction); ``None`` clears date or place."""
        from briefing_app.store.models import Meeting
        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            meeting = uow.session.get(Meeting, meeting_id)
            if meeting is None:
                raise NotFound(f"meeting {meeting_id}: not in the store")
            if not isinstance(formation, Keep):
                meeting.formation = parse_formation(formation)
            if not isinstance(title, Keep):
                meeting.title = _clean(title, "title", required=True) or ""
            if not isinstance(date, Keep):
                meeting.date = date
            if not isinstance(place, Keep):
                meeting.place = _clean(place, "place")
            if not isinstance(agenda, Keep):
                meeting.agenda = json.dumps(_agenda(agenda), ensure_ascii=False)
            with self.store.read() as db:
                twin = queries.meeting_titled(db, meeting.title,
                                              meeting.date.isoformat() if meeting.date else None)
            if twin is not None and twin["id"] != meeting_id:
                raise InvalidInput(f"title: meeting {twin['id']} already has this title and date")
            uow.session.add(meeting)
            uow.commit()
        return self.catalogue.meeting(meeting_id)

    # -- packs: reading ----------------------------------------------------------------------

    def pack(self, pack_id: int) -> PackRead:
        with self.store.read() as db:
            row = queries.pack(db, pack_id)
            if row is None:
                raise NotFound(f"pack {pack_id}: not in the store")
            builds = queries.pack_builds(db, pack_id)
        options = json.loads(row["options"] or "{}")
        notes = options.pop("notes", [])
        return PackRead(
            id=row["id"], meeting_id=row["meeting_id"], title=row["title"],
            sections=tuple(str(s) for s in sections_from_json(json.loads(row["sections"]))),
            notes=tuple(notes), options=options,
            created_at=as_datetime(row["created_at"]),  # type: ignore[arg-type]
            builds=tuple(_build_read(b, row) for b in builds),
        )

    def spec_of(self, pack_id: int) -> PackSpec:
        """The saved definition of a pack, ready to build again or to edit."""
        with self.store.read() as db:
            row = queries.pack(db, pack_id)
        if row is None:
            raise NotFound(f"pack {pack_id}: not in the store")
        options = json.loads(row["options"] or "{}")
        since = options.get("since")
        return PackSpec(
            meeting_id=row["meeting_id"], title=row["title"], pack_id=row["id"],
            sections=sections_from_json(json.loads(row["sections"] or "[]")),
            notes=notes_from_json(options.get("notes")),
            classification=options.get("classification") or PackSpec.classification,
            draft=bool(options.get("draft")), paper=options.get("paper") or "a4",
            since=as_date(since) if since else None,
        )

    def items(self, section_key: str) -> list[tuple[str, str]]:
        """What a section can hold, as (item key, label), for a composer's picker."""
        if section_table.find(section_key) is None:
            raise InvalidInput(f"section: unknown section {section_key!r}")
        return section_items(section_key, self._source(None, None, with_text=False))

    # -- packs: composing and building ---------------------------------------------------------

    def compose(self, spec: PackSpec, *, version: int | None = None) -> PackContent:
        """The content a build of ``spec`` would hold (a preview; nothing is written)."""
        target = self._target(spec)
        return self._compose(target, version or target.next_version)

    def build(self, spec: PackSpec, out: str | os.PathLike[str], *,
              progress: Progress | None = None,
              cancelled: Cancelled | None = None,
              password: str | None = None) -> PackBuildRead:
        """Build the pack as a new version: write the PDF to ``out`` and record it.

        ``password`` encrypts the PDF (it is needed to open it); the build
        records ``encrypted: true`` in its options, never the password.

        ``progress(done, total, label)`` reports the layout; when ``cancelled()``
        turns true the build stops with :class:`BuildCancelled`, writing nothing.
        """
        self.store.check_writable()  # a build is recorded: refuse before writing the PDF
        out_path = self._out_path(out)
        if progress is not None:
            progress(0, 1, "Reading the store")
        target = self._target(spec)
        content = self._compose(target, target.next_version)
        check_marking(content.classification)  # an unknown marking is built, with a warning
        if cancelled is not None and cancelled():
            raise BuildCancelled("pack build cancelled: nothing was written")

        def record(temp: Path, page_count: int) -> PackBuildRead:
            if cancelled is not None and cancelled():
                raise BuildCancelled("pack build cancelled: nothing was written")
            if progress is not None:
                progress(1, 1, "Saving the pack")
            digest = hashlib.sha256(temp.read_bytes()).hexdigest()
            return self._record(target, content, out_path, digest, page_count, temp,
                                encrypted=bool(password))

        build = _rendered(content, out_path, record, progress=progress, cancelled=cancelled,
                          password=password)
        return build

    def preview(self, spec: PackSpec, out: str | os.PathLike[str], *,
                progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> int:
        """Write what the next build of ``spec`` would print to ``out``, recording nothing
        (the composer's live preview; a read-only store previews too). Sections laid out
        before come from the page cache, so a preview after one change lays out only what
        that change moved. Returns the page count.

        ``cancelled()`` turning true stops it with :class:`BuildCancelled`, writing nothing.
        """
        out_path = self._out_path(out)
        target = self._target(spec)
        content = self._compose(target, target.next_version)
        if cancelled is not None and cancelled():
            raise BuildCancelled("pack preview cancelled: nothing was written")

        def keep(temp: Path, page_count: int) -> int:
            os.replace(temp, out_path)
            return page_count

        return _rendered(content, out_path, keep, progress=progress, cancelled=cancelled)

    def prepare_layout(self) -> None:
        """Start the layout's worker processes now, so the first build or preview does
        not wait for them (the composer asks when it opens)."""
        from briefing_app.reporting import workers

        workers.start(wait=True)

    def file_name(self, spec: PackSpec) -> str:
        """The default file name of the next build of ``spec``: the meeting's date, a short
        title and the version the build will get, e.g.
        ``2024-04-29 Ministerial Conference - pack v1.pdf`` (see :func:`pack_file_name`)."""
        target = self._target(spec)
        meeting = (self.catalogue.meeting(target.meeting_id)
                   if target.meeting_id is not None else None)
        return pack_file_name(target.title, target.next_version,
                              meeting.date if meeting is not None else None)

    def save(self, spec: PackSpec) -> PackRead:
        """Save a pack's definition (sections, notes, options) without building it."""
        target = self._target(spec)
        self._compose(target, target.next_version)  # refuse what could not be built

        from briefing_app.store.unit_of_work import UnitOfWork

        with UnitOfWork(self.store) as uow:
            self._write_pack(uow.session, target)
            uow.commit()
        return self.pack(target.pack_id)

    # -- parts ---------------------------------------------------------------------------

    def _out_path(self, out: str | os.PathLike[str]) -> Path:
        path = Path(out).expanduser()
        if path.suffix.lower() != ".pdf":
            raise InvalidInput(f"out: {path}: the file name must end in .pdf")
        if path.is_dir():
            raise InvalidInput(f"out: {path}: is a folder")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise InvalidInput(f"out: {folder}: no such folder")
        if not os.access(folder, os.W_OK):
            raise InvalidInput(f"out: {folder}: the folder cannot be written to")
        return path.resolve()

    def _target(self, spec: PackSpec) -> _Target:
        """Which pack a spec builds (existing or new), with its definition completed."""
        with self.store.read() as db:
            row: Row | None = None
            if spec.pack_id is not None:
                row = queries.pack(db, spec.pack_id)
                if row is None:
                    raise NotFound(f"pack {spec.pack_id}: not in the store")
            meeting_id = spec.meeting_id if spec.meeting_id is not None else (
                row["meeting_id"] if row is not None else None)
            meeting = None
            if meeting_id is not None:
                meeting = queries.meeting(db, meeting_id)
                if meeting is None:
                    raise NotFound(f"meeting {meeting_id}: not in the store")
                if row is None:
                    row = queries.latest_pack_for_meeting(db, meeting_id)
            title = _clean(spec.title, "title") if spec.title is not None else None
            if row is None and meeting is None:
                if title is None:
                    raise InvalidInput("pack: give a meeting or a title")
                row = queries.latest_pack_titled(db, title)
            if title is None:
                title = row["title"] if row is not None else (meeting["title"] if meeting
                                                              else None)
            pack_id = row["id"] if row is not None else queries.next_pack_id(db)
            builds = queries.pack_builds(db, pack_id) if row is not None else []
        stored_notes = notes_from_json(json.loads(row["options"] or "{}").get("notes")) \
            if row is not None else ()
        previous = None
        if builds:
            last = builds[-1]
            previous = PreviousBuild(last["version"],
                                     as_datetime(last["built_at"]))  # type: ignore[arg-type]
        completed = replace(spec, pack_id=pack_id, meeting_id=meeting_id, title=title,
                            notes=merge_notes(stored_notes, spec.notes),
                            classification=normalise_marking(spec.classification))
        return _Target(completed, pack_id, row is None, title or "", meeting_id,
                       (builds[-1]["version"] + 1) if builds else 1, previous,
                       as_datetime(row["created_at"]) if row is not None else None)

    def _source(self, meeting_id: int | None, previous: PreviousBuild | None, *,
                with_text: bool = True) -> PackSource:
        meeting = self.catalogue.meeting(meeting_id) if meeting_id is not None else None
        summaries = self.letters.list()
        letters = self.letters.details() if with_text else []
        if not with_text:
            from briefing_app.read_models import LetterDetail

            letters = [LetterDetail(**{f: getattr(s, f) for f in s.__dataclass_fields__},
                                    encoding="", salutation=None, subject=None, text="",
                                    roles=(), annexes=(), corrections=(), action_points=(),
                                    measures=()) for s in summaries]
        with self.store.read() as db:
            data_as_of = queries.data_as_of(db)
        reviewed = self.commitments.list(state="accepted")
        accepted = {c.id for c in reviewed}
        return PackSource(
            meeting=meeting,
            # a pack prints accepted commitments only: a proposed one awaits its review
            action_points=[p for p in self.tracking.action_points(with_citations=True)
                           if p.id in accepted],
            measures=[m for m in self.tracking.measures(with_citations=True)
                      if m.id in accepted],
            countries=self.tracking.countries(with_citations=True),
            indicators=self.catalogue.indicators(with_citations=True),
            people=self.catalogue.people(),
            letters=letters,
            history=self.tracking.history(),
            conflicts=pack_conflicts(self.store),
            data_as_of=data_as_of,
            previous_build=previous,
            commitments=[c for c in reviewed if kinds.of_series(c.series) is kinds.COMMITMENTS],
            stale_after_months=self.tracking.stale_after_months,
        )

    def _compose(self, target: _Target, version: int) -> PackContent:
        source = self._source(target.meeting_id, target.previous)
        return compose(target.spec, source, pack_id=target.pack_id, version=version,
                       title=target.title, generated_on=self.today)

    def _options(self, target: _Target) -> dict[str, Any]:
        options = target.spec.options()
        options["notes"] = [note.to_json() for note in target.spec.notes]
        return options

    def _write_pack(self, session: Any, target: _Target) -> Any:
        from briefing_app.store.models import BriefingPack

        sections = json.dumps(sections_to_json(target.spec.sections), ensure_ascii=False)
        options = json.dumps(self._options(target), ensure_ascii=False, sort_keys=True)
        if target.is_new:
            if session.get(BriefingPack, target.pack_id) is not None:
                raise UserError(f"pack {target.pack_id}: another pack was saved meanwhile; "
                                "build again")
            pack = BriefingPack(id=target.pack_id, meeting_id=target.meeting_id,
                                title=target.title, sections=sections, options=options,
                                created_at=now())
        else:
            pack = session.get(BriefingPack, target.pack_id)
            if pack is None:
                raise NotFound(f"pack {target.pack_id}: no longer in the store")
            pack.meeting_id, pack.title = target.meeting_id, target.title
            pack.sections, pack.options = sections, options
        session.add(pack)
        session.flush()
        return pack

    def _record(self, target: _Target, content: PackContent, out_path: Path, digest: str,
                page_count: int, temp: Path, *, encrypted: bool = False) -> PackBuildRead:
        """Write the pack and its new version, then move the file into place (one action)."""
        from sqlmodel import select

        from briefing_app.store.models import PackBuild
        from briefing_app.store.unit_of_work import UnitOfWork

        # the sections the pack holds: one left out when empty is not recorded
        printed = tuple(c for c in target.spec.sections if c.key in content.keys)
        options = {**target.spec.options(), "sections": sections_to_json(printed),
                   "generated_on": content.generated_on.isoformat(),
                   "notes": [note.to_json() for note in target.spec.notes]}
        if encrypted:
            options["encrypted"] = True
        with UnitOfWork(self.store) as uow:
            session = uow.session
            self._write_pack(session, target)
            taken = session.exec(select(PackBuild).where(
                PackBuild.pack_id == target.pack_id,
                PackBuild.version == target.next_version)).first()
            if taken is not None:
                raise UserError(f"pack {target.pack_id}: version {target.next_version} was "
                                "built meanwhile; build again")
            build = PackBuild(pack_id=target.pack_id, version=target.next_version,
                              built_at=now(), path=str(out_path), sha256=digest,
                              page_count=page_count,
                              options=json.dumps(options, ensure_ascii=False, sort_keys=True))
            session.add(build)
            session.flush()
            os.replace(temp, out_path)
            uow.commit()
            built_at = build.built_at
        return PackBuildRead(
            pack_id=target.pack_id, pack_code=pack_code(target.pack_id), title=target.title,
            meeting_id=target.meeting_id, version=target.next_version, built_at=built_at,
            path=str(out_path), sha256=digest, page_count=page_count,
            sections=content.keys, options=options,
        )


class _Target:
    """The pack a spec builds: existing or new, its next version and previous build."""

    def __init__(self, spec: PackSpec, pack_id: int, is_new: bool, title: str,
                 meeting_id: int | None, next_version: int, previous: PreviousBuild | None,
                 created_at: datetime | None) -> None:
        self.spec = spec
        self.pack_id = pack_id
        self.is_new = is_new
        self.title = title
        self.meeting_id = meeting_id
        self.next_version = next_version
        self.previous = previous
        self.created_at = created_at


__all__ = ["KEEP", "Keep", "PackService"]


def pack_conflicts(store: Any) -> dict[tuple[str, int], tuple[Contest, ...]]:
    """The items in sync conflict with both values, the team store's first: the same
    pack from the team store and from any briefcase."""
    from briefing_app.reporting.content import Contest
    from briefing_app.services.team import TeamService

    found: dict[tuple[str, int], tuple[Contest, ...]] = {}
    for conflict in TeamService(store).conflicts():
        values = sorted(conflict.values, key=lambda v: v.place != "team store")
        found[(conflict.item_kind, conflict.item_id)] = tuple(
            Contest(place=v.place, status=v.status, rag=v.rag, owner=v.owner,
                    author=v.author, on=v.changed_at.date()) for v in values)
    return found


def _rendered(content: PackContent, out_path: Path, finish: Callable[[Path, int], T], *,
              progress: Progress | None, cancelled: Cancelled | None,
              password: str | None = None) -> T:
    """Lay ``content`` out into a temporary file beside ``out_path`` (with the page cache)
    and give it to ``finish(temp, page_count)``; the temporary file is removed if anything
    fails or is cancelled on the way."""
    from briefing_app.reporting.page_cache import default_cache
    from briefing_app.reporting.render import render_pack

    handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part",
                                         dir=out_path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        result = render_pack(content, temp, progress=progress, cancelled=cancelled,
                             password=password, cache=default_cache())
        return finish(temp, result.page_count)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
