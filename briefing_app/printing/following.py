"""Following a job until CUPS says it finished, and what became of it, in words.

``lp`` exiting 0 only means the scheduler took the job. :func:`follow` reads the
job's state over and over until it is ``completed``, ``aborted`` or
``canceled`` (or stopped on an error), gives up as ``queued`` on a stopped queue
or a held job, and reports a scheduler that stops answering as a failure,
never a success. :class:`PrintOutcome` is the result and its
:meth:`~PrintOutcome.message` the line shown to the person printing;
:func:`outcome_of` and :func:`describe_reasons` turn CUPS's states and reasons
into it. :func:`print_pdf` is the one call that submits and follows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_app.errors import NotFound, UserError
from briefing_app.printing.ipp import IppError
from briefing_app.printing.jobs import (
    JobStatus,
    PrintJob,
    cancel_job,
    inspect_pdf,
    job_status,
    submit,
)
from briefing_app.printing.printers import PrinterStatus, default_printer, printer_status
from briefing_app.printing.server import CupsServer, CupsUnavailable, cups_server

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
