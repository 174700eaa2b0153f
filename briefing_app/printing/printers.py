"""The queues: is there such a printer, in what state, and which one is the default.

:func:`printer_status` asks CUPS about a queue or class (Get-Printer-Attributes)
and is how :func:`~briefing_app.printing.jobs.submit` says "no such printer"
before ``lp`` runs, and how following a job tells a stopped queue from a slow
one. :func:`default_printer` finds the destination ``lp`` would use without
``-d``, the way the CUPS commands do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass

from briefing_app.printing.ipp import (
    CLIENT_ERROR_NOT_FOUND,
    CUPS_GET_DEFAULT,
    GET_PRINTER_ATTRIBUTES,
    KEYWORD,
    NAME,
    PRINTER_STATES,
    PRINTER_TAG,
    URI,
    IppError,
    IppResponse,
    attribute_strings,
    ipp_request,
    requesting_user,
)
from briefing_app.printing.server import (
    COMMAND_TIMEOUT,
    CupsServer,
    PrintError,
    command_env,
    cups_server,
    last_line,
)

PRINTER_ATTRIBUTES = ("printer-name", "printer-state", "printer-state-reasons",
                      "printer-state-message", "printer-is-accepting-jobs")


@dataclass(frozen=True)
class PrinterStatus:
    """A queue as CUPS reports it."""

    name: str
    state: int
    reasons: tuple[str, ...] = ()
    message: str = ""
    accepting: bool = True

    @property
    def state_name(self) -> str:
        return PRINTER_STATES.get(self.state, f"state {self.state}")

    @property
    def stopped(self) -> bool:
        return self.state == 5


def printer_status_from(response: IppResponse, name: str) -> PrinterStatus:
    """The queue's state from a Get-Printer-Attributes reply."""
    printer = response.group(PRINTER_TAG)
    state = printer.get("printer-state", [None])[0]
    if not isinstance(state, int):
        raise IppError(f"CUPS did not give the state of printer {name!r}")
    accepting = printer.get("printer-is-accepting-jobs", [True])[0]
    return PrinterStatus(name=str(printer.get("printer-name", [name])[0] or name), state=state,
                         reasons=attribute_strings(printer.get("printer-state-reasons")),
                         message=str(printer.get("printer-state-message", [""])[0] or "").strip(),
                         accepting=bool(accepting))


def printer_status(name: str, *, server: CupsServer | None = None) -> PrinterStatus:
    """Get-Printer-Attributes of a queue or class; :class:`PrintError` when there is none."""
    quoted = urllib.parse.quote(name, safe="")
    for kind in ("printers", "classes"):
        response = ipp_request(GET_PRINTER_ATTRIBUTES, [
            (URI, "printer-uri", f"ipp://localhost/{kind}/{quoted}"),
            (NAME, "requesting-user-name", requesting_user()),
            (KEYWORD, "requested-attributes", PRINTER_ATTRIBUTES),
        ], server=server, resource=f"/{kind}/{quoted}")
        if response.ok:
            return printer_status_from(response, name)
        if response.status != CLIENT_ERROR_NOT_FOUND:
            raise PrintError(f"printer {name!r}: CUPS refused to describe it "
                             f"({response.status_name}: {response.status_message})")
    raise PrintError(f"printer {name!r}: no such printer on CUPS ({server or cups_server()}); "
                     "'lpstat -p' lists the printers")


def parse_lpstat_default(text: str) -> str | None:
    """The destination in ``lpstat -d`` output, or None for "no system default destination"."""
    for line in text.splitlines():
        match = re.match(r"\s*(?:system )?default destination:\s*(\S+)", line)
        if match:
            return match.group(1)
    return None


def default_printer(*, server: CupsServer | None = None) -> str:
    """The destination ``lp`` uses without ``-d``: ``LPDEST``/``PRINTER``, the user's
    lpoptions, else the server's default (as ``lpstat -d`` reports it).

    Raises :class:`PrintError` when there is none, naming what to do, and
    :class:`CupsUnavailable` when the scheduler does not answer.
    """
    server = server or cups_server()
    lpstat = shutil.which("lpstat")
    name: str | None = None
    if lpstat is not None:
        try:
            result = subprocess.run([lpstat, "-d"], capture_output=True, text=True,
                                    env=command_env(server), timeout=COMMAND_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrintError(f"cannot ask CUPS for the default printer ({exc})") from None
        name = parse_lpstat_default(result.stdout)
        problem = next((line for line in (result.stdout + result.stderr).splitlines()
                        if "error" in line.lower()), None)
        if name is None and problem:
            # e.g. LPDEST names a printer that does not exist (said on stdout, exit 0)
            raise PrintError(f"no default printer: {last_line(problem)}")
    if name is None:
        # lpstat says "no system default destination" when cupsd is down, too: ask it
        response = ipp_request(CUPS_GET_DEFAULT, [
            (NAME, "requesting-user-name", requesting_user()),
            (KEYWORD, "requested-attributes", ("printer-name",)),
        ], server=server)
        if response.ok:
            name = response.first(PRINTER_TAG, "printer-name")
    if not name:
        raise PrintError("no default printer: give one with --printer NAME ('lpstat -p' lists "
                         "the printers) or set one with 'lpoptions -d NAME'")
    return str(name)
