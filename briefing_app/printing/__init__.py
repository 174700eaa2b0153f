"""Print a PDF on a CUPS queue and find out, from CUPS itself, whether it printed.

``lp`` exiting 0 only means the scheduler took the job. What happens next is
told by the job's state, which this package reads with IPP Get-Job-Attributes
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

The package, each module with one job (each imports only those above it):

- :mod:`~briefing_app.printing.server`: which scheduler, the CUPS commands'
  environment, :class:`PrintError` and :class:`CupsUnavailable`;
- :mod:`~briefing_app.printing.ipp`: the IPP encoder/decoder and
  :func:`ipp_request`, the transport to the scheduler;
- :mod:`~briefing_app.printing.names`: :func:`safe_job_name` and the document
  file lp is given under that name;
- :mod:`~briefing_app.printing.printers`: a queue's state, the default printer;
- :mod:`~briefing_app.printing.jobs`: :func:`submit` with ``lp``, a job's state,
  :func:`cancel_job`;
- :mod:`~briefing_app.printing.following`: :func:`follow`, :class:`PrintOutcome`
  and :func:`print_pdf`, which submits and follows.

Everything public is importable from ``briefing_app.printing`` itself.
"""

from __future__ import annotations

from briefing_app.printing.following import (
    COMPLETED,
    DEFAULT_WAIT,
    FAILED,
    POLL_INTERVAL,
    QUEUED,
    RECONNECT_GRACE,
    SENT,
    STOPPED_GRACE,
    UNKNOWN,
    Cancelled,
    PrintOutcome,
    Progress,
    describe_reasons,
    follow,
    outcome_of,
    print_pdf,
)
from briefing_app.printing.ipp import (
    BEGIN_COLLECTION,
    BOOLEAN,
    CHARSET,
    CLIENT_ERROR_NOT_FOUND,
    CUPS_GET_DEFAULT,
    DATE_TIME,
    END_COLLECTION,
    END_TAG,
    ENUM,
    GET_JOB_ATTRIBUTES,
    GET_PRINTER_ATTRIBUTES,
    INTEGER,
    IPP_VERSION,
    JOB_STATES,
    JOB_TAG,
    KEYWORD,
    LANGUAGE,
    MEMBER_NAME,
    MIME_TYPE,
    NAME,
    NAME_WITH_LANGUAGE,
    OCTET_STRING,
    OPERATION_TAG,
    PRINTER_STATES,
    PRINTER_TAG,
    RANGE,
    RESOLUTION,
    SUCCESSFUL_OK,
    TEXT,
    TEXT_WITH_LANGUAGE,
    UNSUPPORTED_TAG,
    URI,
    URI_SCHEME,
    IppError,
    IppResponse,
    decode_response,
    encode_request,
    ipp_request,
)
from briefing_app.printing.jobs import (
    JOB_ATTRIBUTES,
    JobStatus,
    PrintJob,
    cancel_job,
    check_pdf,
    inspect_pdf,
    job_status,
    job_status_from,
    parse_request_id,
    submit,
)
from briefing_app.printing.names import (
    FALLBACK_JOB_NAME,
    MAX_JOB_NAME,
    safe_job_name,
)
from briefing_app.printing.printers import (
    PRINTER_ATTRIBUTES,
    PrinterStatus,
    default_printer,
    parse_lpstat_default,
    printer_status,
    printer_status_from,
)
from briefing_app.printing.server import (
    COMMAND_TIMEOUT,
    CupsServer,
    CupsUnavailable,
    PrintError,
    cups_server,
    parse_server,
)

__all__ = [
    "BEGIN_COLLECTION",
    "BOOLEAN",
    "CHARSET",
    "CLIENT_ERROR_NOT_FOUND",
    "COMMAND_TIMEOUT",
    "COMPLETED",
    "CUPS_GET_DEFAULT",
    "DATE_TIME",
    "DEFAULT_WAIT",
    "END_COLLECTION",
    "END_TAG",
    "ENUM",
    "FAILED",
    "FALLBACK_JOB_NAME",
    "GET_JOB_ATTRIBUTES",
    "GET_PRINTER_ATTRIBUTES",
    "INTEGER",
    "IPP_VERSION",
    "JOB_ATTRIBUTES",
    "JOB_STATES",
    "JOB_TAG",
    "KEYWORD",
    "LANGUAGE",
    "MAX_JOB_NAME",
    "MEMBER_NAME",
    "MIME_TYPE",
    "NAME",
    "NAME_WITH_LANGUAGE",
    "OCTET_STRING",
    "OPERATION_TAG",
    "POLL_INTERVAL",
    "PRINTER_ATTRIBUTES",
    "PRINTER_STATES",
    "PRINTER_TAG",
    "QUEUED",
    "RANGE",
    "RECONNECT_GRACE",
    "RESOLUTION",
    "SENT",
    "STOPPED_GRACE",
    "SUCCESSFUL_OK",
    "TEXT",
    "TEXT_WITH_LANGUAGE",
    "UNKNOWN",
    "UNSUPPORTED_TAG",
    "URI",
    "URI_SCHEME",
    "Cancelled",
    "CupsServer",
    "CupsUnavailable",
    "IppError",
    "IppResponse",
    "JobStatus",
    "PrintError",
    "PrintJob",
    "PrintOutcome",
    "PrinterStatus",
    "Progress",
    "cancel_job",
    "check_pdf",
    "cups_server",
    "decode_response",
    "default_printer",
    "describe_reasons",
    "encode_request",
    "follow",
    "inspect_pdf",
    "ipp_request",
    "job_status",
    "job_status_from",
    "outcome_of",
    "parse_lpstat_default",
    "parse_request_id",
    "parse_server",
    "print_pdf",
    "printer_status",
    "printer_status_from",
    "safe_job_name",
    "submit",
]
