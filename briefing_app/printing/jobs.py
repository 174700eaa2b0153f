"""A print job: sending the PDF to a queue with ``lp``, reading its state, cancelling it.

:func:`submit` checks the PDF and the queue, then runs ``lp`` with the safe job
name and the document under that name, and returns the :class:`PrintJob` CUPS
accepted (or raises :class:`~briefing_app.printing.server.PrintError` with
CUPS's reason); :func:`check_pdf` and :func:`inspect_pdf` say beforehand whether
a file can be sent at all. :func:`job_status` reads the job's state over IPP as a
:class:`JobStatus`; :func:`cancel_job` runs ``cancel``. What the state means for
the person who printed is :mod:`briefing_app.printing.following`'s job.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from briefing_app.errors import InvalidInput, NotFound
from briefing_app.printing.ipp import (
    CLIENT_ERROR_NOT_FOUND,
    GET_JOB_ATTRIBUTES,
    JOB_STATES,
    JOB_TAG,
    KEYWORD,
    NAME,
    URI,
    IppError,
    IppResponse,
    attribute_strings,
    ipp_request,
    requesting_user,
)
from briefing_app.printing.names import document_named, safe_job_name
from briefing_app.printing.printers import printer_status
from briefing_app.printing.server import (
    COMMAND_TIMEOUT,
    CupsServer,
    PrintError,
    command_env,
    cups_server,
    last_line,
)

JOB_ATTRIBUTES = ("job-id", "job-state", "job-state-reasons", "job-state-message",
                  "job-printer-state-message", "job-printer-uri", "job-name",
                  "job-impressions-completed")


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
    return JobStatus(job_id=job_id, state=state,
                     reasons=attribute_strings(job.get("job-state-reasons")),
                     message=str(message).strip(), printer=printer)


def job_status(job_id: int, *, server: CupsServer | None = None) -> JobStatus:
    """Get-Job-Attributes: raises :class:`NotFound` when CUPS does not know the job."""
    response = ipp_request(GET_JOB_ATTRIBUTES, [
        (URI, "job-uri", f"ipp://localhost/jobs/{job_id}"),
        (NAME, "requesting-user-name", requesting_user()),
        (KEYWORD, "requested-attributes", JOB_ATTRIBUTES),
    ], server=server, resource="/jobs/")
    if response.status == CLIENT_ERROR_NOT_FOUND:
        raise NotFound(f"job {job_id}: CUPS does not know it")
    if not response.ok:
        raise IppError(f"CUPS refused to tell the state of job {job_id} "
                       f"({response.status_name}: {response.status_message})", response.status)
    return job_status_from(response, job_id)


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
    # lp sends the file's own name as the document name: give it the file under the
    # safe name too (see document_named)
    with document_named(path, name) as document:
        try:
            result = subprocess.run([*command, str(document)], capture_output=True,
                                    text=True, env=command_env(server),
                                    timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PrintError(f"printer {printer!r}: lp did not finish in {COMMAND_TIMEOUT} s"
                             ) from None
        except OSError as exc:
            raise PrintError(f"printer {printer!r}: cannot run lp ({exc})") from None
    if result.returncode != 0:
        reason = last_line(result.stderr or result.stdout) or "the print job was refused"
        raise PrintError(f"printer {printer!r} refused the job: {reason}")
    request = parse_request_id(result.stdout)
    if request is None:
        raise PrintError(f"printer {printer!r}: lp did not say which job it queued "
                         f"({last_line(result.stdout) or 'no output'})")
    return PrintJob(printer=request[0], job_id=request[1], name=name, pages=pages,
                    copies=copies, server=server)


def cancel_job(job: PrintJob) -> None:
    """Ask CUPS to cancel the job (``cancel QUEUE-N``); errors are left to the follow-up."""
    command = shutil.which("cancel")
    if command is None:
        return
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run([command, job.request_id], capture_output=True, text=True,
                       env=command_env(job.server), timeout=COMMAND_TIMEOUT)
