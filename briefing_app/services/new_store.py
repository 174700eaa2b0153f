"""Create a store with the bundled seed, so that only a complete store bears the store's name.

A first start (the desktop app with no store yet) creates the store and loads
the seed. Done in place, a failure or a crash half-way would leave a file at
the store's path that the next start takes for a good store: migrated, but
with no letters, and never seeded again. Here the store is built in a hidden
file beside it (``.NAME.PID.new``), the seed is loaded into it (one
transaction), its journal is folded into the file, and only then does the
file take the store's name. On any failure the hidden file is removed and
nothing is at the store's path, so the next start is a first start again.

Write-side code: it loads the ORM (the seed needs it).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from briefing_app.errors import StoreError
from briefing_app.services import Services, open_services
from briefing_app.store.engine import Store

#: ``progress(step, steps, label)``: called before each step.
Progress = Callable[[int, int, str], None]

STEPS = ("Creating the store", "Loading the bundled letters", "Opening the store")
#: A hidden file older than this is the leftover of a start that crashed (a
#: first start takes seconds), not the file of another instance still at work.
STALE_AFTER_S = 600.0
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def building_path(path: Path) -> Path:
    """The hidden file a store is built in before it takes its name."""
    return path.with_name(f".{path.name}.{os.getpid()}.new")


def _remove(database: Path) -> None:
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{database}{suffix}").unlink()


def remove_leftovers(path: Path, *, older_than: float = STALE_AFTER_S) -> list[Path]:
    """Remove the hidden files of first starts that crashed; returns those removed."""
    removed: list[Path] = []
    folder = path.parent
    if not folder.is_dir():
        return removed
    limit = time.time() - older_than
    for candidate in folder.glob(f".{path.name}.*.new"):
        try:
            stale = candidate.stat().st_mtime < limit
        except FileNotFoundError:
            continue
        if stale:
            _remove(candidate)
            removed.append(candidate)
    return removed


def _fold_journal(store: Store) -> None:
    """Write the WAL back into the file, so the file alone is the whole store."""
    with store.read() as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _sync_folder(folder: Path) -> None:
    """Make a new name in ``folder`` survive a power cut (POSIX; a no-op elsewhere)."""
    if sys.platform.startswith("win"):
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems refuse fsync on a folder
        pass
    finally:
        os.close(descriptor)


def _publish(built: Path, path: Path) -> None:
    """Give ``built`` the name ``path``; FileExistsError if a store got there first."""
    try:
        os.link(built, path)  # never replaces an existing file
    except FileExistsError:
        raise
    except OSError:
        # no hard links on this file system: rename, which refuses an existing
        # target on Windows; elsewhere check first (a narrow race, two first starts)
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.rename(built, path)
    else:
        built.unlink()
    _sync_folder(path.parent)


def create_seeded_store(path: Path, *, passphrase: str | None = None,
                        today: date | None = None,
                        progress: Progress | None = None) -> Services:
    """Create the store at ``path`` with the bundled seed and open it.

    ``path`` must not exist. On success the services are open on ``path``; on
    failure the exception is raised and ``path`` still does not exist. If
    another instance of the app creates the store meanwhile, that store is
    opened instead.
    """
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path}: a store is already there")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the store folder ({exc})") from exc
    remove_leftovers(path)
    built = building_path(path)
    _remove(built)

    def step(number: int) -> None:
        if progress is not None:
            progress(number, len(STEPS), STEPS[number])

    try:
        step(0)
        store = Store(built, create=True, backup_dir=None, passphrase=passphrase)
        try:
            step(1)
            Services(store).seed.load()
            _fold_journal(store)
        finally:
            store.close()
        for suffix in ("-wal", "-journal"):
            side = Path(f"{built}{suffix}")
            if side.exists() and side.stat().st_size:
                raise StoreError(f"{path}: the new store could not be written whole "
                                 f"({side.name} is left over)")
        try:
            _publish(built, path)
        except FileExistsError:
            pass  # another instance made it first: open that one
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store ({exc.strerror or exc})") \
                from exc
    finally:
        _remove(built)
    step(2)
    return open_services(path, create=False, today=today, passphrase=passphrase)


__all__ = ["STEPS", "building_path", "create_seeded_store", "remove_leftovers"]
