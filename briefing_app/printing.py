"""Print a PDF on a CUPS queue and find out, from CUPS itself, whether it printed.

``lp`` exiting 0 only means the scheduler took the job. What happens next is
told by the job's state, which this module reads with IPP Get-Job-Attributes
from the local CUPS server (the same server ``lp`` talks to): ``completed``,
``aborted``, ``canceled``, or still ``pending``/``processing`` with the reasons
CUPS gives (``printer-stopped``, ``job-hold-until-specified``…). A scheduler
that stops answering before the job is done is a failure, never a success.

    job = submit(path, "BriefingPDF", title="2024-04-29 JHA Council - pack v1")
    outcome = follow(job, progress=progress, cancelled=cancelled)
    print(outcome.message())   # "Printed: 57 pages on BriefingPDF (job 12)."

Only the standard library is used: ``lp``/``lpstat``/``cancel`` as
subprocesses, and a minimal IPP encoder/decoder over ``http.client`` to the
server's domain socket (or ``localhost:631``), as chosen by ``CUPS_SERVER``,
``~/.cups/client.conf`` and ``/etc/cups/client.conf`` (the same rules as the
CUPS commands). No Qt: the GUI runs :func:`submit` and :func:`follow` in a
worker thread and passes its ``progress``/``cancelled`` callbacks.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing_app.errors import InvalidInput, NotFound, UserError

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

#: How long :func:`follow` waits for a job to complete (seconds) by default.
DEFAULT_WAIT = 120.0
#: How long a job may sit on a stopped queue, or held, before it is reported as
#: still queued: it will not move until someone acts.
STOPPED_GRACE = 10.0
#: How long the scheduler may be unreachable while a job is followed (a restart)
#: before the job is reported as failed.
RECONNECT_GRACE = 3.0
POLL_INTERVAL = 0.4
#: Longest job name sent to CUPS (characters).
MAX_JOB_NAME = 60
FALLBACK_JOB_NAME = "briefing-pack"

COMMAND_TIMEOUT = 120


class PrintError(UserError):
    """Printing could not start: no CUPS, no such printer, a refused job."""


class CupsUnavailable(PrintError):
    """The CUPS scheduler does not answer; ``reason`` says how (no socket, refused…)."""

    def __init__(self, server: CupsServer, reason: str) -> None:
        super().__init__(f"the CUPS print service is not running or does not answer "
                         f"({server}: {reason})")
        self.server = server
        self.reason = reason


# ------------------------------------------------------------------------------ job names

_FOLDED = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-",
})


def safe_job_name(title: str, limit: int = MAX_JOB_NAME) -> str:
    """A short ASCII job name for CUPS: letters, digits, ``.``, ``_`` and ``-`` only.

    ``"2024-04-29 Ministerial conference - pack v1.pdf"`` gives
    ``"2024-04-29_Ministerial_conference-pack_v1"``: a trailing ``.pdf`` is
    dropped, accents are folded (Rakušan → Rakusan), spaces and any other
    character become ``_``, separators around a ``-`` merge into it, and the name
    is cut at ``limit`` characters. It is never empty.
    """
    text = re.sub(r"\.pdf\s*$", "", title.strip(), flags=re.IGNORECASE)
    text = unicodedata.normalize("NFKD", text.translate(_FOLDED))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLDED)
    text = re.sub(r"[^A-Za-z0-9.\-]+", "_", text)
    text = re.sub(r"[_.]*-[-_.]*", "-", text)   # "_-_" and "--" become "-"
    text = re.sub(r"_{2,}", "_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = text.strip("._-")
    if len(text) > limit:
        cut = text[:limit]
        boundary = max(cut.rfind("_"), cut.rfind("-"))
        text = (cut[:boundary] if boundary >= limit // 2 else cut).rstrip("._-")
    return text or FALLBACK_JOB_NAME


# ---------------------------------------------------------------------------- the server


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


def _command_env(server: CupsServer) -> dict[str, str]:
    """The environment of ``lp``/``lpstat``/``cancel``: the same server, messages in English."""
    return {**os.environ, "CUPS_SERVER": server.spec, "LC_ALL": "C", "LANG": "C"}


# ----------------------------------------------------------------------------------- IPP

IPP_VERSION = (2, 0)
# operations
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B
CUPS_GET_DEFAULT = 0x4001
# delimiter tags
OPERATION_TAG, JOB_TAG, END_TAG, PRINTER_TAG, UNSUPPORTED_TAG = 0x01, 0x02, 0x03, 0x04, 0x05
# value tags
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
OCTET_STRING, DATE_TIME, RESOLUTION, RANGE = 0x30, 0x31, 0x32, 0x33
BEGIN_COLLECTION, TEXT_WITH_LANGUAGE, NAME_WITH_LANGUAGE, END_COLLECTION = 0x34, 0x35, 0x36, 0x37
TEXT, NAME, KEYWORD, URI, URI_SCHEME, CHARSET, LANGUAGE, MIME_TYPE, MEMBER_NAME = (
    0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A)
# status codes
SUCCESSFUL_OK = 0x0000
CLIENT_ERROR_NOT_FOUND = 0x0406

#: job-state (RFC 8011 §5.3.7)
JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped",
              7: "canceled", 8: "aborted", 9: "completed"}
#: printer-state (RFC 8011 §5.4.11)
PRINTER_STATES = {3: "idle", 4: "processing", 5: "stopped"}

_STRING_TAGS = {OCTET_STRING, TEXT, NAME, KEYWORD, URI, URI_SCHEME, CHARSET, LANGUAGE,
                MIME_TYPE, MEMBER_NAME}
_STATUS_NAMES = {
    0x0400: "client-error-bad-request", 0x0401: "client-error-forbidden",
    0x0402: "client-error-not-authenticated", 0x0403: "client-error-not-authorized",
    0x0404: "client-error-not-possible", 0x0406: "client-error-not-found",
    0x0407: "client-error-gone", 0x0500: "server-error-internal-error",
    0x0501: "server-error-operation-not-supported", 0x0506: "server-error-not-accepting-jobs",
}


class IppError(Exception):
    """A reply that is not IPP, or an IPP status that is not success."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class IppResponse:
    """A decoded IPP reply: its status and its attribute groups, in order."""

    version: tuple[int, int]
    status: int
    request_id: int
    groups: tuple[tuple[int, dict[str, list[Any]]], ...]

    def group(self, tag: int) -> dict[str, list[Any]]:
        """The first group with this delimiter tag (empty when there is none)."""
        return next((attrs for t, attrs in self.groups if t == tag), {})

    def first(self, tag: int, name: str, default: Any = None) -> Any:
        values = self.group(tag).get(name)
        return values[0] if values else default

    @property
    def status_name(self) -> str:
        return _STATUS_NAMES.get(self.status, f"0x{self.status:04x}")

    @property
    def status_message(self) -> str:
        return str(self.first(OPERATION_TAG, "status-message", "") or "")

    @property
    def ok(self) -> bool:
        return self.status < 0x0100


def _encode_value(tag: int, value: object) -> bytes:
    if tag in (INTEGER, ENUM):
        return struct.pack(">i", int(value))  # type: ignore[call-overload]
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def encode_request(operation: int, request_id: int,
                   attributes: Sequence[tuple[int, str, object]]) -> bytes:
    """An IPP request: version 2.0, the operation, and one operation-attributes group.

    ``attributes`` are ``(value_tag, name, value)``; a list or tuple value is
    sent as one attribute with several values. The charset and natural
    language attributes, which must come first, are added here.
    """
    out = bytearray(struct.pack(">BBHI", *IPP_VERSION, operation, request_id))
    out.append(OPERATION_TAG)
    everything: list[tuple[int, str, object]] = [
        (CHARSET, "attributes-charset", "utf-8"),
        (LANGUAGE, "attributes-natural-language", "en"),
        *attributes,
    ]
    for tag, name, value in everything:
        values = list(value) if isinstance(value, list | tuple) else [value]
        for index, one in enumerate(values):
            encoded_name = name.encode("ascii") if index == 0 else b""
            encoded = _encode_value(tag, one)
            out += struct.pack(">BH", tag, len(encoded_name)) + encoded_name
            out += struct.pack(">H", len(encoded)) + encoded
    out.append(END_TAG)
    return bytes(out)


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in (TEXT_WITH_LANGUAGE, NAME_WITH_LANGUAGE) and len(raw) >= 4:
        language_length = struct.unpack(">H", raw[:2])[0]
        start = 2 + language_length + 2
        return raw[start:].decode("utf-8", errors="replace")
    if tag == RANGE and len(raw) == 8:
        return struct.unpack(">ii", raw)
    if tag == RESOLUTION and len(raw) == 9:
        return struct.unpack(">iiB", raw)
    if 0x10 <= tag <= 0x1F:  # out-of-band: unsupported, unknown, no-value
        return None
    if tag in _STRING_TAGS or tag >= 0x40:
        return raw.decode("utf-8", errors="replace")
    return raw  # dateTime and other octets, kept as they are


def decode_response(data: bytes) -> IppResponse:
    """Decode an IPP reply. Collections are skipped (their attribute's value is None)."""
    if len(data) < 9:
        raise IppError(f"not an IPP reply ({len(data)} bytes)")
    major, minor, status, request_id = struct.unpack(">BBHI", data[:8])
    position = 8
    groups: list[tuple[int, dict[str, list[Any]]]] = []
    current: dict[str, list[Any]] | None = None
    last_name = ""
    depth = 0
    try:
        while True:
            tag = data[position]
            position += 1
            if tag == END_TAG:
                break
            if tag < 0x10:  # a new attribute group
                current = {}
                groups.append((tag, current))
                continue
            name_length = struct.unpack(">H", data[position:position + 2])[0]
            position += 2
            name = data[position:position + name_length].decode("utf-8", errors="replace")
            position += name_length
            value_length = struct.unpack(">H", data[position:position + 2])[0]
            position += 2
            raw = data[position:position + value_length]
            if len(raw) != value_length:
                raise IndexError
            position += value_length
            if tag == BEGIN_COLLECTION:
                depth += 1
                if depth > 1:
                    continue
                value: Any = None
            elif tag == END_COLLECTION:
                depth -= 1
                continue
            elif depth > 0:
                continue  # a member of a collection
            else:
                value = _decode_value(tag, raw)
            if current is None:
                raise IppError("IPP reply: an attribute before any group")
            if name:
                last_name = name
                current.setdefault(name, []).append(value)
            elif last_name:
                current[last_name].append(value)  # one more value of the attribute before
    except (IndexError, struct.error):
        raise IppError("IPP reply is cut short or malformed") from None
    return IppResponse((major, minor), status, request_id, tuple(groups))


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over the scheduler's domain socket."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self._socket_path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


_request_ids = iter(range(1, 2**31))


def ipp_request(operation: int, attributes: Sequence[tuple[int, str, object]], *,
                server: CupsServer | None = None, resource: str = "/",
                timeout: float = 10.0) -> IppResponse:
    """Send one IPP request to the scheduler and decode its reply.

    Raises :class:`CupsUnavailable` when the scheduler does not answer, and
    :class:`IppError` for a reply that is not IPP or an HTTP error.
    """
    server = server or cups_server()
    body = encode_request(operation, next(_request_ids), attributes)
    connection: http.client.HTTPConnection
    if server.path:
        connection = _UnixHTTPConnection(server.path, timeout)
    else:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request("POST", resource, body, {"Content-Type": "application/ipp"})
        reply = connection.getresponse()
        data = reply.read()
    except (OSError, http.client.HTTPException) as exc:
        raise CupsUnavailable(server, _os_reason(exc)) from None
    finally:
        connection.close()
    if reply.status != 200:
        raise IppError(f"CUPS answered HTTP {reply.status} {reply.reason}")
    return decode_response(data)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such socket"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer in time"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection was closed"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


# ------------------------------------------------------------------------ state of things


JOB_ATTRIBUTES = ("job-id", "job-state", "job-state-reasons", "job-state-message",
                  "job-printer-state-message", "job-printer-uri", "job-name",
                  "job-impressions-completed")
PRINTER_ATTRIBUTES = ("printer-name", "printer-state", "printer-state-reasons",
                      "printer-state-message", "printer-is-accepting-jobs")


@dataclass(frozen=True)
class JobStatus:
    """A job as CUPS reports it (job-state 3..9 and its reasons)."""

    job_id: int
    state: int
    reasons: tuple[str, ...] = ()
    message: str = ""  # job-printer-state-message, else job-state-message
    printer: str | None = None  # from job-printer-uri

    @property
    def state_name(self) -> str:
        return JOB_STATES.get(self.state, f"state {self.state}")

    @property
    def finished(self) -> bool:
        return self.state >= 7


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


def _strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if v not in (None, "", "none"))


def job_status_from(response: IppResponse, job_id: int) -> JobStatus:
    """The job's state from a Get-Job-Attributes reply."""
    job = response.group(JOB_TAG)
    state = job.get("job-state", [None])[0]
    if not isinstance(state, int):
        raise IppError(f"CUPS did not give the state of job {job_id}")
    message = (job.get("job-printer-state-message", [""])[0]
               or job.get("job-state-message", [""])[0] or "")
    uri = job.get("job-printer-uri", [None])[0]
    printer = urllib.parse.unquote(str(uri).rstrip("/").rsplit("/", 1)[-1]) if uri else None
    return JobStatus(job_id=job_id, state=state, reasons=_strings(job.get("job-state-reasons")),
                     message=str(message).strip(), printer=printer)


def printer_status_from(response: IppResponse, name: str) -> PrinterStatus:
    """The queue's state from a Get-Printer-Attributes reply."""
    printer = response.group(PRINTER_TAG)
    state = printer.get("printer-state", [None])[0]
    if not isinstance(state, int):
        raise IppError(f"CUPS did not give the state of printer {name!r}")
    accepting = printer.get("printer-is-accepting-jobs", [True])[0]
    return PrinterStatus(name=str(printer.get("printer-name", [name])[0] or name), state=state,
                         reasons=_strings(printer.get("printer-state-reasons")),
                         message=str(printer.get("printer-state-message", [""])[0] or "").strip(),
                         accepting=bool(accepting))


def job_status(job_id: int, *, server: CupsServer | None = None) -> JobStatus:
    """Get-Job-Attributes: raises :class:`NotFound` when CUPS does not know the job."""
    response = ipp_request(GET_JOB_ATTRIBUTES, [
        (URI, "job-uri", f"ipp://localhost/jobs/{job_id}"),
        (NAME, "requesting-user-name", _user()),
        (KEYWORD, "requested-attributes", JOB_ATTRIBUTES),
    ], server=server, resource="/jobs/")
    if response.status == CLIENT_ERROR_NOT_FOUND:
        raise NotFound(f"job {job_id}: CUPS does not know it")
    if not response.ok:
        raise IppError(f"CUPS refused to tell the state of job {job_id} "
                       f"({response.status_name}: {response.status_message})", response.status)
    return job_status_from(response, job_id)


def printer_status(name: str, *, server: CupsServer | None = None) -> PrinterStatus:
    """Get-Printer-Attributes of a queue or class; :class:`PrintError` when there is none."""
    quoted = urllib.parse.quote(name, safe="")
    for kind in ("printers", "classes"):
        response = ipp_request(GET_PRINTER_ATTRIBUTES, [
            (URI, "printer-uri", f"ipp://localhost/{kind}/{quoted}"),
            (NAME, "requesting-user-name", _user()),
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
                                    env=_command_env(server), timeout=COMMAND_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrintError(f"cannot ask CUPS for the default printer ({exc})") from None
        name = parse_lpstat_default(result.stdout)
        problem = next((line for line in (result.stdout + result.stderr).splitlines()
                        if "error" in line.lower()), None)
        if name is None and problem:
            # e.g. LPDEST names a printer that does not exist (said on stdout, exit 0)
            raise PrintError(f"no default printer: {_last_line(problem)}")
    if name is None:
        # lpstat says "no system default destination" when cupsd is down, too: ask it
        response = ipp_request(CUPS_GET_DEFAULT, [
            (NAME, "requesting-user-name", _user()),
            (KEYWORD, "requested-attributes", ("printer-name",)),
        ], server=server)
        if response.ok:
            name = response.first(PRINTER_TAG, "printer-name")
    if not name:
        raise PrintError("no default printer: give one with --printer NAME ('lpstat -p' lists "
                         "the printers) or set one with 'lpoptions -d NAME'")
    return str(name)


# ------------------------------------------------------------------------------ submitting


@dataclass(frozen=True)
class PrintJob:
    """A job CUPS has accepted."""

    printer: str
    job_id: int
    name: str  # the job name sent (see safe_job_name)
    pages: int | None = None  # pages of one copy, when known
    copies: int = 1
    server: CupsServer = field(default_factory=cups_server)

    @property
    def request_id(self) -> str:
        return f"{self.printer}-{self.job_id}"


def parse_request_id(text: str) -> tuple[str, int] | None:
    """``("BriefingPDF", 12)`` from lp's "request id is BriefingPDF-12 (1 file(s))"."""
    match = re.search(r"request id is (\S+)-(\d+)\b", text)
    return (match.group(1), int(match.group(2))) if match else None


_PAGE_RANGE = re.compile(r"\d+(-\d+)?(,\d+(-\d+)?)*")


def check_pdf(path: Path) -> Path:
    """``path`` is a readable file that starts as a PDF does; else :class:`InvalidInput`."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a PDF") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if b"%PDF-" not in head:
        raise InvalidInput(f"{path}: not a PDF file")
    return path


def inspect_pdf(path: Path) -> int | None:
    """Check the PDF can be sent to CUPS; its number of pages when pypdf can read it.

    Raises :class:`InvalidInput` for a missing file, a file that is not a PDF, and
    a PDF that needs a password to open (CUPS's filters cannot open it: measured,
    pdftopdf stops with "invalid password"). An unusual PDF that pypdf cannot
    read gives None: CUPS may still print it, and its job says whether it did.
    """
    check_pdf(path)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(f"{path}: the PDF needs a password to open, so CUPS cannot "
                               "print it; open it in a PDF viewer and print from there")
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, NotImplementedError):
        return None


def submit(path: Path, printer: str, *, title: str | None = None, copies: int = 1,
           page_range: str | None = None, pages: int | None = None,
           server: CupsServer | None = None) -> PrintJob:
    """Queue the PDF at ``path`` on CUPS queue ``printer`` with ``lp``; CUPS's job.

    The job is named :func:`safe_job_name` of ``title`` (default: the file's
    name), and the document is sent under that name too. ``page_range`` is lp's
    ``-P`` (``"3-5"``, ``"1,4-6"``). ``pages`` is the number of pages one copy
    has (for the report). A refused job raises :class:`PrintError` with the
    reason CUPS gave.
    """
    server = server or cups_server()
    check_pdf(path)
    if copies < 1 or copies > 999:
        raise InvalidInput(f"copies: {copies} is not between 1 and 999")
    if page_range is not None and not _PAGE_RANGE.fullmatch(page_range):
        raise InvalidInput(f"pages: {page_range!r} is not a page range such as 3-5 or 1,4-6")
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError("CUPS's 'lp' command is not installed; cannot print")
    # no such queue, or no CUPS: say so now ("Office/duplex" is an instance of Office)
    printer_status(printer.split("/", 1)[0], server=server)
    name = safe_job_name(title if title is not None else path.name)
    command = [lp, "-d", printer, "-t", name, "-n", str(copies)]
    if page_range:
        command += ["-P", page_range]
    # lp sends the file's own name as the document name, and Debian's cupsd 2.4.2
    # segfaults on a document name with a space (measured on a cups-pdf queue:
    # "a b.pdf" kills the scheduler, "a_b.pdf" prints). So lp is given the file
    # under the safe job name, through a link in a private folder.
    with tempfile.TemporaryDirectory(prefix="briefing-print-") as folder:
        document = Path(folder) / f"{name}.pdf"
        try:
            document.symlink_to(path.resolve())
        except OSError:  # no symbolic links here: a copy does as well
            shutil.copyfile(path, document)
        try:
            result = subprocess.run([*command, str(document)], capture_output=True,
                                    text=True, env=_command_env(server),
                                    timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PrintError(f"printer {printer!r}: lp did not finish in {COMMAND_TIMEOUT} s"
                             ) from None
        except OSError as exc:
            raise PrintError(f"printer {printer!r}: cannot run lp ({exc})") from None
    if result.returncode != 0:
        reason = _last_line(result.stderr or result.stdout) or "the print job was refused"
        raise PrintError(f"printer {printer!r} refused the job: {reason}")
    request = parse_request_id(result.stdout)
    if request is None:
        raise PrintError(f"printer {printer!r}: lp did not say which job it queued "
                         f"({_last_line(result.stdout) or 'no output'})")
    return PrintJob(printer=request[0], job_id=request[1], name=name, pages=pages,
                    copies=copies, server=server)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return re.sub(r"^(\S*/)?(lp|lpstat|cancel): ", "", last)


def cancel_job(job: PrintJob) -> None:
    """Ask CUPS to cancel the job (``cancel QUEUE-N``); errors are left to the follow-up."""
    command = shutil.which("cancel")
    if command is None:
        return
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run([command, job.request_id], capture_output=True, text=True,
                       env=_command_env(job.server), timeout=COMMAND_TIMEOUT)


# ------------------------------------------------------------------------------- following

COMPLETED, FAILED, QUEUED, UNKNOWN = "completed", "failed", "queued", "unknown"
#: Handed to a print system that does not report back (the GUI's Windows path).
SENT = "sent"

_REASONS = {
    "job-canceled-by-user": "cancelled by its owner",
    "job-canceled-by-operator": "cancelled by an operator",
    "job-canceled-at-device": "cancelled at the printer",
    "aborted-by-system": "aborted by CUPS",
    "job-aborted-by-system": "aborted by CUPS",
    "document-format-error": "the printer could not read the document",
    "document-unprintable-error": "the document could not be printed",
    "document-access-error": "CUPS could not read the document",
    "printer-stopped": "the queue is stopped",
    "printer-stopped-partly": "the queue is partly stopped",
    "paused": "the queue is paused",
    "job-hold-until-specified": "the job is held",
    "job-held-for-authentication": "the job waits for a password",
    "job-held-for-review": "the job is held for review",
    "resources-are-not-ready": "the printer is not ready",
    "job-incoming": "the job is still arriving",
    "job-queued": "waiting its turn",
    "job-printing": "printing",
    "processing-to-stop-point": "stopping",
}


def describe_reasons(reasons: Sequence[str]) -> str:
    """CUPS's state reasons in words, with the keywords themselves."""
    words = [_REASONS[r] for r in reasons if r in _REASONS]
    keywords = ", ".join(reasons)
    if words and keywords:
        return f"{'; '.join(dict.fromkeys(words))} ({keywords})"
    return keywords


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a print job, as CUPS reported it.

    ``status`` is ``completed`` (CUPS finished the job; or a file was written),
    ``failed`` (refused, aborted, cancelled, or the scheduler went away),
    ``queued`` (still waiting when the follow-up gave up), ``unknown`` (CUPS no
    longer says) or ``sent`` (given to a print system that does not report back).
    """

    status: str
    printer: str
    job_id: int | None
    pages: int | None = None
    copies: int = 1
    reason: str = ""
    job_state: str | None = None
    state_reasons: tuple[str, ...] = ()

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED

    def _what(self) -> str:
        if self.pages is None:
            return ""
        what = f"{self.pages} page{'' if self.pages == 1 else 's'}"
        if self.copies > 1:
            what += f" × {self.copies} copies"
        return what + " "

    def message(self) -> str:
        """One line for a person: "Printed: 57 pages on BriefingPDF (job 12)."."""
        job = f" (job {self.job_id})" if self.job_id is not None else ""
        if self.status == COMPLETED:
            where = "on" if self.job_id is not None else "to"
            return f"Printed: {self._what()}{where} {self.printer}{job}."
        if self.status == QUEUED:
            return f"Still queued on {self.printer}{job}: {self.reason}"
        if self.status == UNKNOWN:
            return f"Not confirmed on {self.printer}{job}: {self.reason}"
        if self.status == SENT:
            return (f"Sent: {self._what()}to {self.printer}; that print system does not "
                    "report whether it printed.")
        return f"Not printed: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "printer": self.printer, "job_id": self.job_id,
                "pages": self.pages, "copies": self.copies, "reason": self.reason,
                "job_state": self.job_state, "state_reasons": list(self.state_reasons),
                "message": self.message()}


def _outcome(job: PrintJob, status: str, reason: str, seen: JobStatus | None) -> PrintOutcome:
    return PrintOutcome(status=status, printer=job.printer, job_id=job.job_id,
                        pages=job.pages, copies=job.copies, reason=reason,
                        job_state=seen.state_name if seen else None,
                        state_reasons=seen.reasons if seen else ())


#: Reasons that only say where a job was on its way; CUPS 2.4 leaves some of them on
#: finished jobs, where they mean nothing.
_TRANSIENT = {"processing-to-stop-point", "job-printing", "job-queued", "job-incoming"}


def _detail(status: JobStatus, printer: PrinterStatus | None = None) -> str:
    reasons = [r for r in status.reasons
               if not ((status.finished or status.state == 6) and r in _TRANSIENT)]
    parts = [describe_reasons(reasons)]
    message = status.message or (printer.message if printer else "")
    if message:
        parts.append(f"CUPS says {message!r}")
    return "; ".join(p for p in parts if p)


def outcome_of(job: PrintJob, status: JobStatus) -> PrintOutcome | None:
    """The outcome of a job that has come to an end, None while it is on its way.

    The end is job-state 7 (canceled), 8 (aborted) or 9 (completed), and also 6
    (processing-stopped) with ``job-completed-with-errors``: CUPS stops a job
    whose filters failed (a PDF it cannot read), and it stays so until someone
    acts.
    """
    label = f"job {job.job_id} on {job.printer}"
    detail = _detail(status)
    why = f" ({detail})" if detail else ""
    if status.state == 9:
        if "job-completed-with-errors" in status.reasons:
            return _outcome(job, FAILED, f"{label} finished with errors{why}", status)
        return _outcome(job, COMPLETED, "", status)
    if status.state == 8:
        return _outcome(job, FAILED, f"{label} was aborted{why}", status)
    if status.state == 7:
        return _outcome(job, FAILED, f"{label} was cancelled{why}", status)
    if status.state == 6 and "job-completed-with-errors" in status.reasons:
        return _outcome(job, FAILED, f"{label} stopped on an error{why}; it stays in the "
                        f"queue, stopped: cancel it with 'cancel {job.request_id}'", status)
    return None


def follow(job: PrintJob, *, timeout: float = DEFAULT_WAIT,
           stopped_grace: float = STOPPED_GRACE, reconnect_grace: float = RECONNECT_GRACE,
           interval: float = POLL_INTERVAL, progress: Progress | None = None,
           cancelled: Cancelled | None = None,
           clock: Callable[[], float] = time.monotonic,
           sleep: Callable[[float], None] = time.sleep) -> PrintOutcome:
    """Watch the job until CUPS reports it finished; the truthful outcome.

    Gives up (``queued``) after ``timeout`` seconds, or after ``stopped_grace``
    seconds on a stopped queue or a held job (it will not move by itself). A
    scheduler unreachable for ``reconnect_grace`` seconds is a failure. When
    ``cancelled()`` turns true the job is cancelled in CUPS and reported as
    such. ``progress(done, total, label)`` is told each change of state.
    """
    start = clock()
    stuck_since: float | None = None
    lost_since: float | None = None
    lost_reason = ""
    last: JobStatus | None = None
    last_label = ""
    cancel_asked = False
    while True:
        now = clock()
        try:
            status = job_status(job.job_id, server=job.server)
        except CupsUnavailable as exc:
            lost_since = lost_since if lost_since is not None else now
            lost_reason = f"no answer on {exc.server}: {exc.reason}"
            if now - lost_since >= reconnect_grace:
                return _outcome(job, FAILED, (
                    f"the CUPS scheduler stopped before job {job.job_id} on {job.printer} "
                    f"finished ({lost_reason}); it may print if CUPS starts again"), last)
            sleep(interval)
            continue
        except NotFound:
            return _outcome(job, UNKNOWN, f"CUPS no longer knows job {job.job_id}, so whether "
                            "it printed cannot be told", last)
        except IppError as exc:
            if now - start >= timeout:
                return _outcome(job, UNKNOWN, str(exc), last)
            sleep(interval)
            continue
        lost_since = None
        last = status
        finished = outcome_of(job, status)
        if finished is not None:
            if cancel_asked and status.state == 7:
                return _outcome(job, FAILED, f"job {job.job_id} on {job.printer} was "
                                "cancelled (you stopped it)", status)
            return finished
        if cancelled is not None and cancelled() and not cancel_asked:
            cancel_asked = True
            cancel_job(job)
            continue
        printer: PrinterStatus | None = None
        if status.state in (3, 4, 6):  # a stopped queue leaves its jobs pending, no reason
            try:
                printer = printer_status(job.printer, server=job.server)
            except UserError:
                printer = None
        stuck = status.state in (4, 6) or "printer-stopped" in status.reasons or \
            (printer is not None and printer.stopped)
        label = f"{status.state_name.capitalize()} on {job.printer} (job {job.job_id})"
        if status.reasons:
            label += f": {describe_reasons(status.reasons)}"
        if progress is not None and label != last_label:
            progress(2 if status.state in (5, 6) else 1, 3, label)
        last_label = label
        if stuck:
            stuck_since = stuck_since if stuck_since is not None else now
            if now - stuck_since >= stopped_grace or now - start >= timeout:
                return _outcome(job, QUEUED, _stuck_reason(job, status, printer), status)
        else:
            stuck_since = None
            if now - start >= timeout:
                return _outcome(job, QUEUED, (
                    f"job {job.job_id} is still {status.state_name} after {timeout:g} s"
                    + (f" ({_detail(status)})" if _detail(status) else "")), status)
        if cancel_asked and now - start >= timeout:
            return _outcome(job, QUEUED, f"job {job.job_id} did not stop when cancelled "
                            f"({_detail(status)})", status)
        sleep(interval)


def _stuck_reason(job: PrintJob, status: JobStatus, printer: PrinterStatus | None) -> str:
    if printer is not None and printer.stopped:
        why = "the queue is stopped"
        details = [", ".join(printer.reasons),
                   f"CUPS says {printer.message!r}" if printer.message else ""]
        then = "it prints when the queue is resumed"
    else:
        why = "the job is held" if status.state == 4 else f"the job is {status.state_name}"
        details = [", ".join(status.reasons),
                   f"CUPS says {status.message!r}" if status.message else ""]
        then = "it prints when it is released" if status.state == 4 else "it may print later"
    detail = "; ".join(d for d in details if d)
    return (f"{why}" + (f" ({detail})" if detail else "")
            + f"; {then}, or cancel it with 'cancel {job.request_id}'")


def print_pdf(path: Path, printer: str | None = None, *, title: str | None = None,
              copies: int = 1, page_range: str | None = None, pages: int | None = None,
              timeout: float = DEFAULT_WAIT, progress: Progress | None = None,
              cancelled: Cancelled | None = None,
              server: CupsServer | None = None) -> PrintOutcome:
    """Submit the PDF (to ``printer`` or the default printer) and follow it to its end."""
    server = server or cups_server()
    if pages is None:
        pages = inspect_pdf(path)
    name = printer or default_printer(server=server)
    if progress is not None:
        progress(0, 3, f"Sending to {name}")
    job = submit(path, name, title=title, copies=copies, page_range=page_range, pages=pages,
                 server=server)
    if progress is not None:
        progress(1, 3, f"Queued on {job.printer} (job {job.job_id})")
    return follow(job, timeout=timeout, progress=progress, cancelled=cancelled)
