"""One unit of work per user action: commit it whole, or leave the store as it was."""

from __future__ import annotations

from contextvars import Token
from types import TracebackType

from sqlmodel import Session

from briefing_app.identity import begin_acting, end_acting
from briefing_app.store.engine import Store


class UnitOfWork:
    """A session that rolls back unless :meth:`commit` was called.

    Usage::

        with UnitOfWork(store) as uow:
            uow.session.add(...)
            uow.commit()
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self.store.session()
        # the store's signed-in author (a team store's role), if it has one, for the
        # changes made inside
        author = getattr(self.store, "author", None)
        self._author: Token[str | None] | None = begin_acting(author) if author else None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.rollback()  # a no-op after commit; discards anything half-done
        self.session.close()
        if self._author is not None:
            end_acting(self._author)

    def commit(self) -> None:
        self.session.commit()
