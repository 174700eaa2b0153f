"""Where the CUPS scheduler is, how the CUPS commands are run against it, and the errors.

Everything else in :mod:`briefing_app.printing` talks to one scheduler: the one
the CUPS commands of this user talk to, as chosen by ``CUPS_SERVER``,
``~/.cups/client.conf`` and ``/etc/cups/client.conf`` (the same rules as the
commands). This module finds it (:func:`cups_server`), gives ``lp``/``lpstat``/
``cancel`` the same server and English messages (:func:`command_env`), reads
their last word (:func:`last_line`), and holds the errors that say printing
could not start (:class:`PrintError`, :class:`CupsUnavailable`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefing_app.errors import UserError

#: How long ``lp``, ``lpstat`` or ``cancel`` may run (seconds).
COMMAND_TIMEOUT = 120


@dataclass(frozen=True)
class CupsServer:
    """Where the CUPS scheduler listens: a domain socket path, or host and port."""

    path: str | None = None
    host: str = "localhost"
    port: int = 631

    @property
    def spec(self) -> str:
        """The server as ``CUPS_SERVER`` names it (for the ``lp`` run beside us)."""
        return self.path if self.path else f"{self.host}:{self.port}"

    def __str__(self) -> str:
        return self.spec


class PrintError(UserError):
    """Printing could not start: no CUPS, no such printer, a refused job."""


class CupsUnavailable(PrintError):
    """The CUPS scheduler does not answer; ``reason`` says how (no socket, refused…)."""

    def __init__(self, server: CupsServer, reason: str) -> None:
        super().__init__(f"the CUPS print service is not running or does not answer "
                         f"({server}: {reason})")
        self.server = server
        self.reason = reason


def _client_conf_server(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        words = line.split()
        if len(words) >= 2 and words[0].lower() == "servername":
            return words[1]
    return None


def parse_server(value: str) -> CupsServer:
    """A ``CUPS_SERVER`` value: ``/path/cups.sock``, ``host``, ``host:port``, ``[v6]:port``
    (a ``/version=…`` suffix, as CUPS allows, is ignored)."""
    value = value.strip()
    if value.startswith(("/", "~")):
        return CupsServer(path=os.path.expanduser(value))
    value = re.sub(r"^ipps?://", "", value).split("/version=")[0].rstrip("/")
    host, port = value, 631
    match = re.fullmatch(r"\[(?P<host>[^\]]+)\](?::(?P<port>\d+))?|(?P<name>[^:]+)(?::(?P<p>\d+))?",
                         value)
    if match:
        host = match.group("host") or match.group("name") or "localhost"
        port = int(match.group("port") or match.group("p") or 631)
    return CupsServer(host=host or "localhost", port=port)


def cups_server() -> CupsServer:
    """The scheduler the CUPS commands of this user talk to.

    ``CUPS_SERVER``, else ``ServerName`` of ``~/.cups/client.conf`` then of
    ``/etc/cups/client.conf``, else the local domain socket when it exists,
    else ``localhost:631``.
    """
    named = os.environ.get("CUPS_SERVER", "").strip() or \
        _client_conf_server(Path.home() / ".cups" / "client.conf") or \
        _client_conf_server(Path("/etc/cups/client.conf"))
    if named:
        return parse_server(named)
    for candidate in ("/run/cups/cups.sock", "/var/run/cups/cups.sock"):
        if Path(candidate).exists():
            return CupsServer(path=candidate)
    return CupsServer()


def command_env(server: CupsServer) -> dict[str, str]:
    """The environment of ``lp``/``lpstat``/``cancel``: the same server, messages in English."""
    return {**os.environ, "CUPS_SERVER": server.spec, "LC_ALL": "C", "LANG": "C"}


def last_line(text: str) -> str:
    """The last non-blank line a CUPS command wrote, without its ``lp: `` prefix."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return re.sub(r"^(\S*/)?(lp|lpstat|cancel): ", "", last)
