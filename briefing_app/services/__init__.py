"""Use cases shared by the command line and the desktop app.

Services are the only layer that commits (one unit of work per user action)
and they return plain read models. Open them with :func:`open_services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from briefing_app.services.catalogue import CatalogueService
from briefing_app.services.letters import LetterService
from briefing_app.services.search import SearchService
from briefing_app.services.seed import SeedService
from briefing_app.services.tracking import TrackingService
from briefing_app.store.engine import Store


@dataclass
class Services:
    """Every service over one open store."""

    store: Store
    letters: LetterService
    tracking: TrackingService
    catalogue: CatalogueService
    search: SearchService
    seed: SeedService

    def close(self) -> None:
        self.store.close()


def open_services(path: Path, *, create: bool = True, today: date | None = None) -> Services:
    """Open (and migrate) the store at ``path`` and build the services over it."""
    store = Store(path, create=create)
    return Services(
        store=store,
        letters=LetterService(store),
        tracking=TrackingService(store, today=today),
        catalogue=CatalogueService(store),
        search=SearchService(store),
        seed=SeedService(store),
    )


__all__ = ["Services", "open_services"]
