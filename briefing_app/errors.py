"""Errors a person can act on, kept apart from bugs.

A :class:`UserError` carries a message fit to show as it is: it names the
file, row or field at fault and, where useful, what to do. The CLI prints it
as one line (exit 1); the GUI shows it in a dialog. Any other exception is a
bug: it is logged with its traceback to the user log directory.
"""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """A problem with the user's input or environment, not with the code."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """The requested item does not exist in the store."""


class InvalidInput(UserError):
    """A file, row or field the user gave cannot be used."""


class StoreError(UserError):
    """The store cannot be opened or is not a Briefing App store."""


class BuildCancelled(UserError):
    """The user cancelled a long action (a pack build); nothing was written."""


class TableProblems(InvalidInput):
    """A table with rows that cannot be imported; nothing was written.

    ``problems`` holds every bad cell; each reads ``FILE:ROW:COLUMN: what is
    wrong`` (the header is row 1, as a spreadsheet numbers it).
    """

    def __init__(self, file: str, problems: Sequence[object]) -> None:
        count = len(problems)
        super().__init__(f"{file}: {count} {'problem' if count == 1 else 'problems'} "
                         "in the table; nothing was imported")
        self.problems = tuple(problems)
