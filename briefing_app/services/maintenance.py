"""Keeping the store safe: backups on demand, restore from a backup, and a health check.

A backup is a consistent copy made with SQLite's online backup API (see
:mod:`briefing_app.store.backup`). A restore first makes sure the file is a
sound Briefing App store of a schema version this app knows, then backs up
the store it replaces (into the automatic backups folder), then copies the
file in, and migrates it if it is older. A refused restore leaves the store
exactly as it was.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from briefing_app.errors import StoreError
from briefing_app.read_models import ReadModel
from briefing_app.store import queries
from briefing_app.store.backup import (
    SUFFIX,
    backup_file,
    copy_database,
    foreign_key_problems,
    inspect_file,
    integrity_problems,
    make_automatic_backup,
    series_prefix,
)
from briefing_app.store.engine import BUSY_TIMEOUT_MS, Store
from briefing_app.store.search import index_problems


@dataclasses.dataclass(frozen=True)
class BackupRead(ReadModel):
    store: str
    path: str
    size: int


@dataclasses.dataclass(frozen=True)
class RestoreRead(ReadModel):
    store: str
    restored_from: str
    revision: str
    previous_store_backup: str | None  # where the replaced store was saved


@dataclasses.dataclass(frozen=True)
class CheckRead(ReadModel):
    """One check of :meth:`MaintenanceService.check`: its name, what it looked at, problems."""

    name: str  # integrity | foreign-keys | search-index | citations
    checked: str
    ok: bool
    problems: tuple[str, ...]


def _check(name: str, checked: str, problems: list[str] | tuple[str, ...]) -> CheckRead:
    return CheckRead(name, checked, not problems, tuple(problems))


@dataclasses.dataclass(frozen=True)
class StoreCheckRead(ReadModel):
    store: str
    ok: bool
    checks: tuple[CheckRead, ...]


def known_revisions() -> set[str]:
    """Every schema revision this app's migrations know."""
    from alembic.script import ScriptDirectory

    from briefing_app.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def validate_backup(source: Path) -> str:
    """The schema revision of a backup file, or StoreError saying why it cannot be restored."""
    try:
        facts = inspect_file(source)
    except StoreError as exc:
        raise StoreError(f"{exc.message}; nothing was restored") from exc
    if facts.integrity:
        raise StoreError(f"{source}: the file is damaged ({facts.integrity[0]}); "
                         "nothing was restored")
    if facts.revision is None:
        raise StoreError(f"{source}: not a Briefing App store (no schema version); "
                         "nothing was restored")
    if facts.revision not in known_revisions():
        raise StoreError(f"{source}: schema version {facts.revision!r} is unknown to this "
                         "version of the app; nothing was restored")
    if facts.foreign_key_problems:
        raise StoreError(f"{source}: {facts.foreign_key_problems} rows point at missing "
                         "rows; nothing was restored")
    return facts.revision


def _keep_replaced(store_path: Path, backup_dir: Path | None) -> Path | None:
    """Save the store about to be replaced; a damaged one is copied byte for byte."""
    if backup_dir is None or not store_path.exists() or store_path.stat().st_size == 0:
        return None
    try:
        return make_automatic_backup(backup_dir, store_path, "before-restore")
    except StoreError:
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir / f"{series_prefix(store_path)}{stamp}-damaged{SUFFIX}"
        shutil.copy2(store_path, target)
        return target


def restore_store(store_path: Path, source: Path, backup_dir: Path | None) -> RestoreRead:
    """Replace the store at ``store_path`` with the backup ``source`` (checked first).

    Works on a store that no longer opens: a damaged store is kept byte for
    byte and replaced as a file. The caller migrates the result (open it).
    """
    store_path = Path(store_path)
    source = Path(source).expanduser()
    if source.exists() and store_path.exists() and source.resolve() == store_path.resolve():
        raise StoreError(f"{source}: is the store itself; nothing was restored")
    revision = validate_backup(source)
    kept = _keep_replaced(store_path, backup_dir)
    incoming = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            target = sqlite3.connect(store_path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                # one step: the store's pages are replaced whole or not at all, and
                # other processes with the store open see the change safely
                incoming.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError:
            # the current store is too damaged to write into: replace the file
            copy_database(incoming, store_path)
            for leftover in ("-wal", "-shm"):
                Path(f"{store_path}{leftover}").unlink(missing_ok=True)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{store_path}: restore from {source} failed ({exc})") from exc
    finally:
        incoming.close()
    return RestoreRead(str(store_path), str(source), revision,
                       str(kept) if kept is not None else None)


class MaintenanceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _file_only(self, what: str, instead: str) -> None:
        """A team store's backups, restores and checks are its server's, not the app's."""
        from briefing_app.store.postgres import is_team_store

        if is_team_store(self.store):
            raise StoreError(f"{self.store.path}: a team store is not {what} by the app; "
                             f"its IT officer {instead} on the server")

    def backup(self, target: Path) -> BackupRead:
        """Write a consistent copy of the store to ``target`` (replaced if it exists)."""
        self._file_only("backed up", "backs it up with pg_dump")
        target = Path(target).expanduser()
        if target.is_dir():
            raise StoreError(f"{target}: is a folder; give the backup file's name")
        if not target.parent.is_dir():
            raise StoreError(f"{target}: the folder {target.parent} does not exist")
        if target.exists() and target.resolve() == self.store.path.resolve():
            raise StoreError(f"{target}: is the store itself; choose another file")
        backup_file(self.store.path, target, passphrase=self.store.passphrase,
                    connect=lambda: self.store.connect(read_only=True))
        return BackupRead(str(self.store.path), str(target), target.stat().st_size)

    def restore(self, source: Path) -> RestoreRead:
        """Replace the store's content with the backup at ``source``.

        The file is checked first; the store it replaces is kept as an
        automatic backup ("before-restore").
        """
        self._file_only("restored", "restores it with pg_restore")
        self.store.close()
        if self.store.read_only or self.store.encrypted:
            self.store.session()  # refused on a read-only store
            raise StoreError(f"{self.store.path}: the store is encrypted; restore is not "
                             "supported yet (copy the backup file over it)")
        result = restore_store(self.store.path, source, self.store.backup_dir)
        self.store.migrate()
        return result

    def check(self) -> StoreCheckRead:
        """Integrity, foreign keys, the search index and citation spans.

        On a team store the server keeps the integrity of its files and enforces every
        reference itself, so only the search indexes and the citations are checked.
        """
        from briefing_app.store.postgres import is_team_store

        checks: list[CheckRead] = []
        with self.store.read() as db:
            if not is_team_store(self.store):
                integrity = integrity_problems(db)
                checks.append(_check("integrity", "the database file", integrity))
                dangling = foreign_key_problems(db)
                checks.append(_check(
                    "foreign-keys", "every reference between rows",
                    tuple(f"{table} row {rowid}: points at a missing {parent} row"
                          for table, rowid, parent in dangling)))
            paragraphs = queries.count_rows(db, "paragraph")
            checks.append(_check("search-index", f"{paragraphs} indexed paragraphs",
                                 index_problems(db)))
            citations = queries.count_rows(db, "citation")
            outside = queries.citations_outside_letters(db)
            checks.append(_check(
                "citations", f"{citations} citations",
                tuple(f"citation {r['id']} ({r['item_kind']} {r['item_id']}): span "
                      f"{r['start']}–{r['end']} is not the quoted passage of letter "
                      f"{r['letter_id']}" for r in outside)))
        return StoreCheckRead(str(self.store.path), all(c.ok for c in checks), tuple(checks))
