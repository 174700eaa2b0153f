"""Reaching a team store: its address checked, TLS decided, the password found.

The rules, in the order a connection meets them:

* **no password in the address**: a URL such as ``postgresql://u:secret@h/db``
  (or ``?password=``) is refused, wherever it comes from (``--db``,
  ``BRIEFING_APP_DB``, a caller): an address is seen in the process list, the
  shell's history, the environment and messages. Messages show the address
  through :func:`~briefing_app.paths.shown_url` all the same.
* **no password from the environment**: ``PGPASSWORD`` is removed from the
  process's environment before every connection (:func:`forget_environment_password`),
  so libpq never reads it.
* **TLS to another machine** (:func:`tls_mode`): a server reached over a Unix
  socket, ``localhost``, ``127.0.0.1`` or ``::1`` is local; any other is
  connected to with ``sslmode=verify-full`` unless the URL asks for
  ``require`` or ``verify-ca``; ``disable``, ``allow`` and ``prefer`` are
  refused.
* **the password only when the server asks** (:func:`first_connection`): a
  connection is tried without one (libpq reads ``~/.pgpass``, or the file
  ``PGPASSFILE`` names, by itself); when the server answers that it needs
  a password, the system keyring is asked (service ``briefing-app``, user
  ``USER@HOST:PORT/DB``; only when the optional ``keyring`` package is
  installed with a usable backend), then the person (``ask``: the
  terminal, or a dialog in the desktop app). The password is handed to
  libpq as a connection parameter, never written into an address.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from briefing_app.errors import StoreError
from briefing_app.paths import shown_url, url_has_password

log = logging.getLogger(__name__)

#: The keyring's service name for team store passwords.
KEYRING_SERVICE = "briefing-app"
#: The hosts that are this machine (besides a Unix socket's folder).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: The sslmodes accepted for a server on another machine; the first is the default.
TLS_MODES = ("verify-full", "verify-ca", "require")
#: The sslmodes that may talk to another machine in clear text.
WEAK_MODES = ("disable", "allow", "prefer")
#: What ``ask`` is: (who, attempt) -> the password typed, or None (cancelled).
Ask = Callable[[str, int], str | None]
#: How many times a person may type a password before the open fails.
ATTEMPTS = 3


@dataclass(frozen=True)
class Address:
    """A team store's address, checked: libpq's form and what to add to it."""

    libpq: str  # postgresql://…, as libpq reads it
    shown: str  # what messages show
    params: dict[str, str]
    sslmode: str | None  # set on every connection; None: libpq's default (a local server)


def libpq_url(url: str) -> str:
    """The URL as libpq reads it (``postgresql+psycopg://`` is SQLAlchemy's spelling)."""
    return "postgresql://" + url.split("://", 1)[1]


def refuse_password(url: str) -> None:
    """StoreError when the address carries a password (never echoed)."""
    if url_has_password(url) or "password" in _parse(url, check_password=False):
        raise StoreError(f"{shown_url(url)}: the team store's address holds a password, "
                         "which is refused (it would be seen in the process list, the shell's "
                         "history or the environment); remove it and put the password in "
                         "~/.pgpass or the system keyring, or type it when asked")


def _parse(url: str, *, check_password: bool = True) -> dict[str, str]:
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    if check_password and url_has_password(url):
        refuse_password(url)
    try:
        return {key: str(value) for key, value in conninfo_to_dict(libpq_url(url)).items()}
    except ProgrammingError as exc:
        # a password was ruled out above, so libpq's words can be shown
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreError(f"{shown_url(url)}: not an address of a team store ({reason})") \
            from None


def _hosts(params: Mapping[str, str], environ: Mapping[str, str]) -> list[str]:
    """Where libpq will connect: each ``hostaddr`` if given, else each ``host``
    (the URL's, else ``PGHOSTADDR``/``PGHOST``); [] for the default Unix socket."""
    for key, variable in (("hostaddr", "PGHOSTADDR"), ("host", "PGHOST")):
        value = params.get(key) or environ.get(variable, "")
        if value:
            return [part.strip() for part in value.split(",")]
    return []


def is_local_host(host: str) -> bool:
    """A Unix socket's folder (or an empty host: the default socket), or this machine."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return not host or host.startswith(("/", "@")) or host.lower() in LOCAL_HOSTS


def tls_mode(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The ``sslmode`` every connection to the team store at ``url`` must use.

    None for a local server (libpq's default); for any other, the URL's own
    ``sslmode`` if it is one of :data:`TLS_MODES`, else ``verify-full``; a
    weaker one is a StoreError. A URL naming a ``service`` (pg_service.conf)
    but no host is treated as another machine: where it leads is not known.
    """
    environ = os.environ if environ is None else environ
    params = _parse(url)
    hosts = _hosts(params, environ)
    unknown = not hosts and bool(params.get("service") or environ.get("PGSERVICE"))
    if not unknown and all(is_local_host(host) for host in hosts):
        return None
    mode = params.get("sslmode", "").strip().lower()
    if not mode:
        return TLS_MODES[0]
    if mode in WEAK_MODES:
        raise StoreError(f"{shown_url(url)}: TLS is required for a team store on another "
                         f"machine (sslmode={mode}); leave sslmode out (verify-full) or give "
                         "sslmode=verify-ca or require")
    if mode not in TLS_MODES:
        raise StoreError(f"{shown_url(url)}: sslmode={mode} is not an sslmode libpq knows "
                         "(use verify-full, verify-ca or require)")
    return mode


def check_address(url: str) -> Address:
    """The address of a team store, refused when it holds a password or asks for too
    little TLS (StoreError, in one line without the password)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:  # the double-clickable app leaves the driver out
        log.info("the PostgreSQL driver cannot be imported: %s", exc)
        raise StoreError(f"{shown_url(url)}: this copy of the app opens store files only "
                         "(the PostgreSQL driver psycopg is not in it); a team store needs "
                         "the app installed with its dependencies") from None
    refuse_password(url)
    params = _parse(url)
    return Address(libpq=libpq_url(url), shown=shown_url(url), params=params,
                   sslmode=tls_mode(url))


def forget_environment_password() -> None:
    """Remove ``PGPASSWORD`` from the environment, so libpq never reads it."""
    if os.environ.pop("PGPASSWORD", None) is not None:
        log.info("PGPASSWORD is ignored (a team store's password comes from ~/.pgpass, "
                 "the keyring or the person)")


def needs_password(exc: BaseException) -> bool:
    """Whether a failed connection failed because the server wants a (right) password."""
    text = str(exc).lower()
    return "no password supplied" in text or "password authentication failed" in text


def who(exc: BaseException, address: Address) -> str:
    """``USER@HOST:PORT/DB`` of a connection that failed: the keyring's user name and
    what the prompt names."""
    pgconn = getattr(exc, "pgconn", None)

    def value(attribute: str, key: str, default: str) -> str:
        found = getattr(pgconn, attribute, None) if pgconn is not None else None
        if isinstance(found, bytes) and found:
            return found.decode("utf-8", "replace")
        return address.params.get(key) or default

    return (f"{value('user', 'user', os.environ.get('PGUSER', ''))}@"
            f"{value('host', 'host', 'localhost')}:{value('port', 'port', '5432')}/"
            f"{value('db', 'dbname', '')}")


def keyring_password(user: str) -> str | None:
    """The password the system keyring holds for ``user`` (``USER@HOST:PORT/DB``), or
    None: no ``keyring`` package, no usable backend, or nothing stored."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        if getattr(backend, "priority", 1) <= 0:  # keyring's "fail" backend: none usable
            return None
        found = keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # a locked or broken keyring is not the store's failure
        log.info("the keyring could not be read (%s)", type(exc).__name__)
        return None
    return found if isinstance(found, str) and found else None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _attempt(connect: Callable[[str | None], Any], password: str | None) -> Any:
    """A connection with ``password``, or the server's refusal (a psycopg
    ``OperationalError``, returned) when it wants a (right) password; any other failure
    is raised."""
    import psycopg

    try:
        return connect(password)
    except psycopg.OperationalError as exc:
        if not needs_password(exc):
            raise
        return exc


def _refused(attempt: Any) -> bool:
    import psycopg

    return isinstance(attempt, psycopg.OperationalError)


def first_connection(address: Address, connect: Callable[[str | None], Any],
                     ask: Ask | None) -> tuple[Any, str | None]:
    """The first connection to the team store and the password it took (None: none, or
    the one libpq read from ~/.pgpass). ``connect(password)`` opens one; see the
    module docstring for the order the password is looked for in."""
    refused = _attempt(connect, None)
    if not _refused(refused):
        return refused, None
    user = who(refused, address)
    stored = keyring_password(user)
    if stored is not None:
        attempt = _attempt(connect, stored)
        if not _refused(attempt):
            return attempt, stored
        log.info("the keyring's password for %s was refused", user)
        refused = attempt
    name = user.split("@", 1)[0]
    if ask is None:
        raise StoreError(f"{address.shown}: the team store asks for {name}'s password: put "
                         "it in ~/.pgpass (or the file PGPASSFILE names) or in the system "
                         f"keyring (service '{KEYRING_SERVICE}', user '{user}'), or run the "
                         "command in a terminal to type it")
    for attempt in range(ATTEMPTS):
        typed = ask(user, attempt)
        if typed is None:
            raise StoreError(f"{address.shown}: no password was given for {name}")
        attempt = _attempt(connect, typed)
        if not _refused(attempt):
            return attempt, typed
        refused = attempt
    raise StoreError(f"{address.shown}: {first_line(refused)}")
