"""The printing module's pure parts: job names, lp/lpstat output, IPP bytes, messages."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from briefing_app.errors import InvalidInput
from briefing_app.printing import (
    BEGIN_COLLECTION,
    BOOLEAN,
    CHARSET,
    END_COLLECTION,
    ENUM,
    GET_JOB_ATTRIBUTES,
    INTEGER,
    KEYWORD,
    LANGUAGE,
    MEMBER_NAME,
    NAME,
    NAME_WITH_LANGUAGE,
    TEXT,
    URI,
    CupsServer,
    IppError,
    JobStatus,
    PrinterStatus,
    PrintJob,
    PrintOutcome,
    decode_response,
    describe_reasons,
    encode_request,
    inspect_pdf,
    job_status_from,
    outcome_of,
    parse_lpstat_default,
    parse_request_id,
    parse_server,
    printer_status_from,
    safe_job_name,
)


@pytest.mark.parametrize(("title", "name"), [
    ("2024-04-29 Ministerial conference - pack v1.pdf",
     "2024-04-29_Ministerial_conference-pack_v1"),
    ("2024-04-29 Ministerial Conference - pack v1", "2024-04-29_Ministerial_Conference-pack_v1"),
    ("Vít Rakušan – briefing.PDF", "Vit_Rakusan-briefing"),
    ("Straße, Øresund & Łódź", "Strasse_Oresund_Lodz"),
    ("Türkiye / Lebanon: \"lines\" (v2)", "Turkiye_Lebanon_lines_v2"),
    ("  pack   v1  ", "pack_v1"),
    ("pack v1.2.pdf", "pack_v1.2"),
    ("..hidden..pdf", "hidden"),
    ("a--b__c", "a-b_c"),
    ("", "briefing-pack"),
    ("   ", "briefing-pack"),
    (".pdf", "briefing-pack"),
    ("???", "briefing-pack"),
    ("Ελληνικά", "briefing-pack"),
])
def test_safe_job_name(title: str, name: str) -> None:
    assert safe_job_name(title) == name


def test_a_long_title_is_cut_at_a_word_boundary() -> None:
    title = "2025-03-13 Justice and Home Affairs Council - migration state of play - pack v12.pdf"
    assert safe_job_name(title) == "2025-03-13_Justice_and_Home_Affairs_Council-migration_state"
    assert len(safe_job_name(title)) <= 60
    assert safe_job_name("x" * 200) == "x" * 60
    assert safe_job_name("abc def ghi", limit=8) == "abc_def"


@given(st.text())
def test_every_job_name_is_short_plain_ascii(title: str) -> None:
    name = safe_job_name(title)
    assert re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,58}[A-Za-z0-9])?", name), name
    assert "  " not in name and " " not in name


def test_lp_request_ids() -> None:
    assert parse_request_id("request id is BriefingPDF-12 (1 file(s))\n") == ("BriefingPDF", 12)
    assert parse_request_id("request id is HP-LaserJet-4-1234 (1 file(s))") == (
        "HP-LaserJet-4", 1234)
    assert parse_request_id("request id is BriefingPDF-3 (0 file(s))") == ("BriefingPDF", 3)
    assert parse_request_id("") is None
    assert parse_request_id("lp: The printer or class does not exist.") is None


def test_lpstat_default() -> None:
    assert parse_lpstat_default("system default destination: BriefingPDF\n") == "BriefingPDF"
    assert parse_lpstat_default("system default destination: Office/duplex\n") == \
        "Office/duplex"
    assert parse_lpstat_default("no system default destination\n") is None
    assert parse_lpstat_default("lpstat: error - LPDEST environment variable names "
                                'non-existent destination "Nope".\n') is None


def test_cups_server_values() -> None:
    assert parse_server("/run/cups/cups.sock") == CupsServer(path="/run/cups/cups.sock")
    assert parse_server("printhost") == CupsServer(host="printhost", port=631)
    assert parse_server("printhost:8631") == CupsServer(host="printhost", port=8631)
    assert parse_server("localhost:631/version=1.1") == CupsServer(host="localhost", port=631)
    assert parse_server("[::1]:632") == CupsServer(host="::1", port=632)
    assert CupsServer(path="/tmp/s.sock").spec == "/tmp/s.sock"
    assert CupsServer(host="localhost").spec == "localhost:631"


def test_an_ipp_request_is_encoded_byte_for_byte() -> None:
    request = encode_request(GET_JOB_ATTRIBUTES, 7, [
        (URI, "job-uri", "ipp://localhost/jobs/12"),
        (NAME, "requesting-user-name", "root"),
        (KEYWORD, "requested-attributes", ("job-state", "job-state-reasons")),
    ])
    assert request == (
        b"\x02\x00" b"\x00\x09" b"\x00\x00\x00\x07"
        b"\x01"
        b"\x47" b"\x00\x12" b"attributes-charset" b"\x00\x05" b"utf-8"
        b"\x48" b"\x00\x1b" b"attributes-natural-language" b"\x00\x02" b"en"
        b"\x45" b"\x00\x07" b"job-uri" b"\x00\x17" b"ipp://localhost/jobs/12"
        b"\x42" b"\x00\x14" b"requesting-user-name" b"\x00\x04" b"root"
        b"\x44" b"\x00\x14" b"requested-attributes" b"\x00\x09" b"job-state"
        b"\x44" b"\x00\x00" b"\x00\x11" b"job-state-reasons"
        b"\x03"
    )
    assert b"\x21\x00\x06job-id\x00\x04\x00\x00\x00\x0c" in encode_request(
        0x000B, 1, [(INTEGER, "job-id", 12)])
    assert b"\x22\x00\x01x\x00\x01\x01" in encode_request(0x000B, 1, [(BOOLEAN, "x", True)])


def attribute(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(value)) \
        + value


def job_reply() -> bytes:
    """A Get-Job-Attributes reply as cupsd writes one, with a collection and an
    out-of-band value to step over."""
    return (
        b"\x02\x00" b"\x00\x00" b"\x00\x00\x00\x07"
        + b"\x01"
        + attribute(CHARSET, "attributes-charset", b"utf-8")
        + attribute(LANGUAGE, "attributes-natural-language", b"en")
        + attribute(TEXT, "status-message", b"successful-ok")
        + b"\x02"
        + attribute(INTEGER, "job-id", struct.pack(">i", 12))
        + attribute(ENUM, "job-state", struct.pack(">i", 8))
        + attribute(KEYWORD, "job-state-reasons", b"aborted-by-system")
        + attribute(KEYWORD, "", b"job-completed-with-errors")
        + attribute(TEXT, "job-printer-state-message", "Filter failed – sorry".encode())
        + attribute(URI, "job-printer-uri", b"ipp://localhost/printers/BriefingPDF")
        + attribute(NAME_WITH_LANGUAGE, "job-name", b"\x00\x02en\x00\x04pack")
        + attribute(BEGIN_COLLECTION, "media-col", b"")
        + attribute(MEMBER_NAME, "", b"media-size")
        + attribute(BEGIN_COLLECTION, "", b"")
        + attribute(MEMBER_NAME, "", b"x-dimension")
        + attribute(INTEGER, "", struct.pack(">i", 21000))
        + attribute(END_COLLECTION, "", b"")
        + attribute(END_COLLECTION, "", b"")
        + attribute(INTEGER, "job-impressions-completed", struct.pack(">i", 3))
        + attribute(0x13, "job-state-message", b"")  # no-value
        + b"\x03"
    )


def test_an_ipp_reply_is_decoded_exactly() -> None:
    reply = decode_response(job_reply())
    assert (reply.version, reply.status, reply.request_id, reply.ok) == ((2, 0), 0, 7, True)
    assert reply.status_message == "successful-ok"
    assert [tag for tag, _ in reply.groups] == [1, 2]
    assert reply.group(2) == {
        "job-id": [12],
        "job-state": [8],
        "job-state-reasons": ["aborted-by-system", "job-completed-with-errors"],
        "job-printer-state-message": ["Filter failed – sorry"],
        "job-printer-uri": ["ipp://localhost/printers/BriefingPDF"],
        "job-name": ["pack"],
        "media-col": [None],
        "job-impressions-completed": [3],
        "job-state-message": [None],
    }
    status = job_status_from(reply, 12)
    assert status == JobStatus(job_id=12, state=8,
                               reasons=("aborted-by-system", "job-completed-with-errors"),
                               message="Filter failed – sorry", printer="BriefingPDF")
    assert (status.state_name, status.finished) == ("aborted", True)
    outcome = outcome_of(PrintJob("BriefingPDF", 12, "pack", pages=57), status)
    assert outcome is not None and outcome.status == "failed"
    assert outcome.message() == (
        "Not printed: job 12 on BriefingPDF was aborted (aborted by CUPS (aborted-by-system, "
        "job-completed-with-errors); CUPS says 'Filter failed – sorry')")


def test_a_printer_reply_is_decoded_exactly() -> None:
    reply = decode_response(
        b"\x02\x00\x00\x00\x00\x00\x00\x02" + b"\x01"
        + attribute(CHARSET, "attributes-charset", b"utf-8")
        + b"\x04"
        + attribute(NAME, "printer-name", b"BriefingPDF")
        + attribute(ENUM, "printer-state", struct.pack(">i", 5))
        + attribute(KEYWORD, "printer-state-reasons", b"paused")
        + attribute(TEXT, "printer-state-message", b"Out of paper")
        + attribute(BOOLEAN, "printer-is-accepting-jobs", b"\x01")
        + b"\x03")
    status = printer_status_from(reply, "BriefingPDF")
    assert status == PrinterStatus(name="BriefingPDF", state=5, reasons=("paused",),
                                   message="Out of paper", accepting=True)
    assert (status.state_name, status.stopped) == ("stopped", True)


def test_an_error_status_and_a_cut_reply() -> None:
    reply = decode_response(b"\x02\x00\x04\x06\x00\x00\x00\x09\x01"
                            + attribute(TEXT, "status-message", b"Job #99 does not exist.")
                            + b"\x03")
    assert (reply.ok, reply.status_name, reply.status_message) == (
        False, "client-error-not-found", "Job #99 does not exist.")
    with pytest.raises(IppError, match="cut short"):
        decode_response(job_reply()[:60])
    with pytest.raises(IppError, match="not an IPP reply"):
        decode_response(b"<html>")


@pytest.mark.parametrize(("state", "reasons", "expected"), [
    (9, ("job-completed-successfully",), "completed"),
    (9, ("processing-to-stop-point",), "completed"),
    (9, ("job-completed-with-errors",), "failed"),
    (8, ("aborted-by-system",), "failed"),
    (7, ("job-canceled-by-user",), "failed"),
    (6, ("job-completed-with-errors",), "failed"),
    (6, (), None),
    (5, ("job-printing",), None),
    (4, ("job-hold-until-specified",), None),
    (3, (), None),
])
def test_which_job_states_are_an_end(state: int, reasons: tuple[str, ...],
                                     expected: str | None) -> None:
    outcome = outcome_of(PrintJob("Q", 4, "n"), JobStatus(4, state, reasons))
    assert (outcome.status if outcome else None) == expected


def test_a_cancelled_job_and_a_stopped_one_say_why() -> None:
    job = PrintJob("BriefingPDF", 5, "pack")
    cancelled = outcome_of(job, JobStatus(5, 7, ("job-canceled-by-user",)))
    assert cancelled is not None and cancelled.message() == (
        "Not printed: job 5 on BriefingPDF was cancelled (cancelled by its owner "
        "(job-canceled-by-user))")
    stopped = outcome_of(job, JobStatus(5, 6, ("job-completed-with-errors", "job-printing"),
                                        "loadFilename failed: invalid password"))
    assert stopped is not None and stopped.message() == (
        "Not printed: job 5 on BriefingPDF stopped on an error (job-completed-with-errors; "
        "CUPS says 'loadFilename failed: invalid password'); it stays in the queue, stopped: "
        "cancel it with 'cancel BriefingPDF-5'")


def test_outcome_messages() -> None:
    def outcome(status: str, **fields: object) -> str:
        values: dict[str, object] = {"printer": "BriefingPDF", "job_id": 12, "pages": 57,
                                     **fields}
        return PrintOutcome(status=status, **values).message()  # type: ignore[arg-type]

    assert outcome("completed") == "Printed: 57 pages on BriefingPDF (job 12)."
    assert outcome("completed", pages=1) == "Printed: 1 page on BriefingPDF (job 12)."
    assert outcome("completed", copies=3) == \
        "Printed: 57 pages × 3 copies on BriefingPDF (job 12)."
    assert outcome("completed", pages=None) == "Printed: on BriefingPDF (job 12)."
    assert outcome("completed", printer="/tmp/out.pdf", job_id=None) == \
        "Printed: 57 pages to /tmp/out.pdf."
    assert outcome("failed", reason="job 12 on BriefingPDF was aborted") == \
        "Not printed: job 12 on BriefingPDF was aborted"
    assert outcome("queued", reason="the queue is stopped") == \
        "Still queued on BriefingPDF (job 12): the queue is stopped"
    assert outcome("unknown", reason="CUPS no longer knows job 12") == \
        "Not confirmed on BriefingPDF (job 12): CUPS no longer knows job 12"
    assert outcome("sent", printer="HP", job_id=None) == \
        "Sent: 57 pages to HP; that print system does not report whether it printed."
    document = PrintOutcome(status="completed", printer="Q", job_id=1, pages=2).to_dict()
    assert document == {"status": "completed", "printer": "Q", "job_id": 1, "pages": 2,
                        "copies": 1, "reason": "", "job_state": None, "state_reasons": [],
                        "message": "Printed: 2 pages on Q (job 1)."}


def test_reasons_in_words() -> None:
    assert describe_reasons(("printer-stopped",)) == "the queue is stopped (printer-stopped)"
    assert describe_reasons(("job-hold-until-specified", "x-vendor")) == \
        "the job is held (job-hold-until-specified, x-vendor)"
    assert describe_reasons(("x-vendor",)) == "x-vendor"
    assert describe_reasons(()) == ""


def test_what_cannot_be_sent_to_cups(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"missing\.pdf: no such file$"):
        inspect_pdf(tmp_path / "missing.pdf")
    with pytest.raises(InvalidInput, match=r"is a folder, not a PDF$"):
        inspect_pdf(tmp_path)
    text = tmp_path / "letter.pdf"
    text.write_text("Dear Commissioner,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"letter\.pdf: not a PDF file$"):
        inspect_pdf(text)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    plain = tmp_path / "plain.pdf"
    with plain.open("wb") as handle:
        writer.write(handle)
    assert inspect_pdf(plain) == 3
    writer.encrypt("secret", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InvalidInput, match="needs a password to open, so CUPS cannot print"):
        inspect_pdf(locked)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\nnot really a PDF\n%%EOF\n")
    assert inspect_pdf(damaged) is None  # CUPS may try; its job says what became of it
