"""The minimal IPP client: request encoder, reply decoder, and the transport to CUPS.

``lp`` exiting 0 only says the scheduler took a job; what became of it is read
from CUPS over IPP (Get-Job-Attributes, Get-Printer-Attributes,
CUPS-Get-Default). Only the standard library is used: requests are built by
:func:`encode_request`, sent with ``http.client`` over the scheduler's domain
socket (or ``host:port``) by :func:`ipp_request`, and replies are decoded into an
:class:`IppResponse` by :func:`decode_response`. Only what this package asks
for is covered: one operation-attributes group out; any groups back, with
collections skipped.
"""

from __future__ import annotations

import getpass
import http.client
import os
import socket
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefing_app.printing.server import CupsServer, CupsUnavailable, cups_server

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

#: job-state values and their keywords
JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped",
              7: "canceled", 8: "aborted", 9: "completed"}
#: printer-state values and their keywords
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


def requesting_user() -> str:
    """This user's name, for the ``requesting-user-name`` of a request."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def attribute_strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    """An attribute's values as strings, without the empty ones and ``none``."""
    return tuple(str(v) for v in values or () if v not in (None, "", "none"))
