"""Use cases shared by the command line and the desktop app.

Services are the only layer that commits (one unit of work per user action)
and they return plain read models. Open them with :func:`open_services`.

Reads need only the standard library; the ORM (SQLModel/SQLAlchemy, about
half a second to import) loads on the first write, so the desktop app shows
its data without waiting for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from briefing_app.errors import StoreError
from briefing_app.paths import shown_url
from briefing_app.services.catalogue import CatalogueService
from briefing_app.services.commitments import CommitmentService
from briefing_app.services.follow_ups import FollowUpService
from briefing_app.services.letters import LetterService
from briefing_app.services.search import SearchService
from briefing_app.services.tracking import TrackingService
from briefing_app.store.engine import Store

if TYPE_CHECKING:
    from briefing_app.services.maintenance import MaintenanceService
    from briefing_app.services.packs import PackService
    from briefing_app.services.review import ReviewService
    from briefing_app.services.seed import SeedService
    from briefing_app.services.tables import TableService
    from briefing_app.services.team import TeamService
    from briefing_app.store.team_access import Ask


class Services:
    """Every service over one open store."""

    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self.today = today
        self.letters = LetterService(store)
        self.tracking = TrackingService(store, today=today)
        self.catalogue = CatalogueService(store)
        self.commitments = CommitmentService(store, today=today)
        self.follow_ups = FollowUpService(store, today=today)
        self.search = SearchService(store)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        """Backups, restore and the store check."""
        from briefing_app.services.maintenance import MaintenanceService

        return MaintenanceService(self.store)

    @cached_property
    def review(self) -> ReviewService:
        """Accept, reject, edit, merge and split commitments, each undoable."""
        from briefing_app.services.review import ReviewService

        return ReviewService(self.store)

    @cached_property
    def team(self) -> TeamService:
        """The conflicts briefcase syncs found, and their resolution."""
        from briefing_app.services.team import TeamService

        return TeamService(self.store)

    @cached_property
    def seed(self) -> SeedService:
        from briefing_app.services.seed import SeedService

        return SeedService(self.store)

    @cached_property
    def packs(self) -> PackService:
        """Meetings and briefing packs (loaded on first use: it brings the PDF pipeline)."""
        from briefing_app.services.packs import PackService

        return PackService(self.store, tracking=self.tracking, catalogue=self.catalogue,
                           letters=self.letters, today=self.today)

    @cached_property
    def tables(self) -> TableService:
        """Export to CSV/XLSX, table import and summaries (loaded on first use: pandas)."""
        from briefing_app.services.tables import TableService

        return TableService(self.store, tracking=self.tracking, catalogue=self.catalogue,
                            letters=self.letters)

    def set_stale_after_months(self, months: int) -> None:
        """Flag items stale after ``months`` months from now on (the desktop app calls this
        once the adviser saved the setting with ``preferences.save_preferences``)."""
        from briefing_app.services.preferences import check_stale_months

        checked = check_stale_months(months)
        self.tracking._stale_months = checked
        self.commitments._stale_months = checked

    @property
    def read_only(self) -> bool:
        """True when the store refuses changes (a write-protected location, or a team
        store the person signed in to as a reader): show a banner."""
        return self.store.read_only

    @property
    def team_refusal(self) -> str | None:
        """Why a team store refuses changes, in one line ("… bob is a reader of the team
        store; changes are refused"); None for a store file, or a store that takes them."""
        refusal = getattr(self.store, "refusal", None)
        return refusal if isinstance(refusal, str) else None

    def daily_backup(self, cancelled: Callable[[], bool] | None = None) -> Path | None:
        """The backup of the day's first open, when the store was opened without it
        (``open_services(..., daily_backup_on_open=False)``): the file made, or None.

        Runs in a worker thread (a connection of its own); a failure is logged,
        not raised; ``cancelled()`` stops it (None, and the next open makes it).
        """
        return self.store.daily_backup(cancelled)

    def warm_up(self) -> None:
        """Load the write side (the ORM) now, e.g. while a person reads the first view."""
        import briefing_app.services.recording
        import briefing_app.store.unit_of_work  # noqa: F401

    def close(self) -> None:
        self.store.close()


def store_is_encrypted(path: Path | str) -> bool:
    """True if the store at ``path`` is encrypted: the app then asks for its passphrase
    (a team store's URL never is)."""
    from briefing_app.paths import is_team_url
    from briefing_app.store.engine import is_encrypted

    return not is_team_url(path) and is_encrypted(Path(path))


def open_services(path: Path | str, *, create: bool = True, today: date | None = None,
                  read_only: bool | None = None, passphrase: str | None = None,
                  daily_backup_on_open: bool = True,
                  ask_password: Ask | None = None) -> Services:
    """Open (and migrate) the store at ``path`` and build the services over it.

    ``path`` is a store file, or a team store's URL (``postgresql://…``,
    :class:`~briefing_app.store.postgres.TeamStore`; ``ask_password`` asks
    the person for its password when the server wants one that neither
    ``~/.pgpass`` nor the keyring holds). ``read_only=None`` detects a
    write-protected location (a team store: a reader's role);
    ``passphrase`` opens (or, for a new store, creates) an encrypted store.
    With ``daily_backup_on_open=False`` the day's first backup is left to
    :meth:`Services.daily_backup` (the desktop app runs it in the background).
    """
    from briefing_app.paths import is_team_url

    if is_team_url(path):
        from briefing_app.store.postgres import TeamStore

        if passphrase is not None:
            raise StoreError(f"{shown_url(str(path))}: a passphrase is for an encrypted store "
                             "file; a team store's password comes from ~/.pgpass, the keyring "
                             "or the terminal")
        team = TeamStore(str(path), read_only=bool(read_only), ask_password=ask_password)
        # a TeamStore has the face of a Store the services use (read, session,
        # check_writable, read_only, path)
        return Services(cast(Store, team), today=today)
    return Services(Store(Path(path), create=create, read_only=read_only,
                          passphrase=passphrase, daily_backup_on_open=daily_backup_on_open),
                    today=today)


__all__ = ["Services", "open_services", "store_is_encrypted"]
