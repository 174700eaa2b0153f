"""Who makes a change, and on which machine: what every audit row records.

The author is, in order: the name configured in the user's settings
(``identity.json``: ``{"name": "…", "machine": "…"}``) or the
``BRIEFING_APP_AUTHOR`` variable; on a team store, the role the person signed
in with (``TeamStore.author`` is the configured name, else that role); and else
the operating-system account. The machine is the configured one, else the
computer's host name.

A unit of work puts its store's author in force for the changes it makes
(:func:`acting_as`), so the services, which record ``author or
current_author()``, write the signed-in role without being told.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import lru_cache

from briefing_app import paths

log = logging.getLogger(__name__)

FILE_NAME = "identity.json"
AUTHOR_ENV_VAR = "BRIEFING_APP_AUTHOR"
#: The longest name kept (a configured name is a person's, not a document).
MAX_NAME = 120

_acting: ContextVar[str | None] = ContextVar("briefing_app_author", default=None)


@lru_cache(maxsize=1)
def _configured() -> dict[str, str]:
    path = paths.user_config_dir() / FILE_NAME
    try:
        if path.stat().st_size > 16 * 1024:
            raise ValueError("larger than 16 KB")
        document = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(document, dict):
            raise ValueError("expected a JSON object")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s: ignored (%s)", path, exc)
        return {}
    return {key: str(value).strip()[:MAX_NAME] for key, value in document.items()
            if key in ("name", "machine") and isinstance(value, str) and value.strip()}


def forget_configuration() -> None:
    """Read ``identity.json`` again on the next change (after the settings changed)."""
    _configured.cache_clear()


def configured_author() -> str | None:
    """The name the person configured, if any (the variable wins over the file)."""
    named = os.environ.get(AUTHOR_ENV_VAR, "").strip()
    return named[:MAX_NAME] if named else _configured().get("name")


def system_author() -> str:
    """The operating-system account name."""
    try:
        return getpass.getuser()
    except Exception:  # no user name available (rare sandboxes)
        return "unknown"


def current_author() -> str:
    """Who is making a change (see the module docstring)."""
    return _acting.get() or configured_author() or system_author()


def current_origin() -> str:
    """The machine a change is made on."""
    configured = _configured().get("machine")
    if configured:
        return configured
    try:
        return socket.gethostname() or "unknown"
    except OSError:
        return "unknown"


def begin_acting(author: str | None) -> Token[str | None]:
    """Put ``author`` in force (None: the configured or system name) until
    :func:`end_acting` with the token returned."""
    return _acting.set(author)


def end_acting(token: Token[str | None]) -> None:
    _acting.reset(token)


@contextmanager
def acting_as(author: str | None) -> Iterator[None]:
    """Record ``author`` (when not None) as the author of the changes made inside."""
    token = _acting.set(author)
    try:
        yield
    finally:
        _acting.reset(token)
