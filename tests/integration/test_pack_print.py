"""`pack print` and briefing_app.printing against a real CUPS with a cups-pdf queue.

Every test talks to the session's own cupsd (tests/helpers/cups.py); nothing of
CUPS or of the store is mocked. A job's output is found in ~/PDF by its job name
and id and read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app import printing
from briefing_app.printing import safe_job_name
from briefing_app.reporting.spec import PackSpec, parse_sections
from briefing_app.services import open_services
from tests.conftest import QUEUE
from tests.helpers.cli import REPO, cli, cli_process
from tests.helpers.cups import CupsQueue, CupsServer, printed_file, wait_until


@pytest.fixture(autouse=True)
def _no_default_printer_from_outside(monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path) -> None:
    """lp's default printer comes from LPDEST, PRINTER and ~/.cups/lpoptions: none here."""
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@dataclass(frozen=True)
class Printable:
    store: Path
    pack_id: int
    first: Path  # version 1: a file name with spaces, as the app's default names have
    second: Path  # version 2
    pages: tuple[int, int]


def token() -> str:
    """Part of a job name of this test's own (see tests.helpers.cups.printed_file)."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def printable(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Printable:
    folder = tmp_path_factory.mktemp("print")
    store = folder / "store.sqlite3"
    shutil.copyfile(seeded_template, store)
    first = folder / f"2024-04-29 Ministerial conference - pack v1 {token()}.pdf"
    second = folder / f"pack-v2-{token()}.pdf"
    one = cli("--db", store, "pack", "build", "--meeting", "1", "--sections",
              "cover,signatories", "--out", first, "--format", "json")
    assert one.code == 0, one.err
    two = cli("--db", store, "pack", "build", "--pack", str(one.json()["pack_id"]),
              "--sections", "cover,contents,signatories", "--out", second, "--format", "json")
    assert two.code == 0, two.err
    assert one.json()["page_count"] != two.json()["page_count"]
    return Printable(store, one.json()["pack_id"], first, second,
                     (one.json()["page_count"], two.json()["page_count"]))


def pdfinfo_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert match, info.stdout
    return int(match.group(1))


def one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.rstrip("\n")


# ------------------------------------------------------------------------- printing


def test_pack_print_prints_the_latest_build_through_cups_pdf(
        printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    result = cli_process("--db", printable.store, "pack", "print", "--pack",
                         str(printable.pack_id), "--printer", cups_pdf_queue.name)
    assert (result.code, result.err) == (0, "")
    first, second = result.out.splitlines()
    match = re.fullmatch(rf"Printed: {printable.pages[1]} pages on {QUEUE} \(job (\d+)\)\.",
                         first)
    assert match, result.out
    assert second == f"BP-{printable.pack_id:04d} version 2: {printable.second}"
    job_id = int(match.group(1))
    assert f"{QUEUE}-{job_id}" in cups_pdf_queue.server.jobs(QUEUE, "completed")
    printed = printed_file(safe_job_name(printable.second.name), job_id)
    assert pdfinfo_pages(printed) == printable.pages[1]
    assert len(PdfReader(printed).pages) == printable.pages[1]
    printed.unlink()


def test_a_version_whose_file_name_has_spaces_prints_and_cupsd_lives(
        printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    assert " " in printable.first.name
    result = cli("--db", printable.store, "pack", "print", "--pack", str(printable.pack_id),
                 "--version", "1", "--printer", cups_pdf_queue.name, "--format", "json")
    assert result.code == 0, result.err
    document = result.json()
    name = safe_job_name(printable.first.name)
    assert re.fullmatch(r"2024-04-29_Ministerial_conference-pack_v1_[0-9a-f]{8}", name)
    assert {k: document[k] for k in ("pack_id", "version", "file", "job_name", "status",
                                     "printer", "pages", "copies", "job_state")} == {
        "pack_id": printable.pack_id, "version": 1, "file": str(printable.first),
        "job_name": name, "status": "completed", "printer": QUEUE,
        "pages": printable.pages[0], "copies": 1, "job_state": "completed"}
    assert document["message"] == (f"Printed: {printable.pages[0]} pages on {QUEUE} "
                                   f"(job {document['job_id']}).")
    assert cups_pdf_queue.server.scheduler_answers()
    printed = printed_file(name, document["job_id"])
    assert pdfinfo_pages(printed) == printable.pages[0]
    printed.unlink()


def test_a_pdf_file_prints_with_copies(printable: Printable, cups_pdf_queue: CupsQueue,
                                       tmp_path: Path) -> None:
    path = tmp_path / f"Vít Rakušan – lines {token()}.pdf"
    shutil.copyfile(printable.first, path)
    result = cli("pack", "print", path, "--printer", cups_pdf_queue.name, "--copies", "2")
    assert result.code == 0, result.err
    match = re.fullmatch(rf"Printed: {printable.pages[0]} pages × 2 copies on {QUEUE} "
                         rf"\(job (\d+)\)\.\n{re.escape(str(path))}\n", result.out)
    assert match, result.out
    job_id = int(match.group(1))
    reply = printing.ipp_request(printing.GET_JOB_ATTRIBUTES, [
        (printing.URI, "job-uri", f"ipp://localhost/jobs/{job_id}"),
        (printing.NAME, "requesting-user-name", "root"),
        (printing.KEYWORD, "requested-attributes", ("copies", "job-name")),
    ], resource="/jobs/")
    assert reply.group(printing.JOB_TAG) == {"copies": [2],
                                             "job-name": [safe_job_name(path.name)]}
    assert safe_job_name(path.name).startswith("Vit_Rakusan-lines_")
    printed = printed_file(safe_job_name(path.name), job_id)
    # cups-pdf writes one copy: the copies are the printer's to make
    assert pdfinfo_pages(printed) == printable.pages[0]
    printed.unlink()


def test_the_default_printer_is_used(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    result = cli_process("pack", "print", printable.second, env={"PRINTER": QUEUE})
    assert result.code == 0, result.err
    match = re.match(rf"Printed: {printable.pages[1]} pages on {QUEUE} \(job (\d+)\)\.\n",
                     result.out)
    assert match, result.out
    printed_file(safe_job_name(printable.second.name), int(match.group(1))).unlink()


# ------------------------------------------------------------------ what goes wrong


def test_cupsd_dying_mid_job_is_a_failure(printable: Printable,
                                          cups_pdf_queue: CupsQueue) -> None:
    server = cups_pdf_queue.server
    server.disable(QUEUE)  # the job stays pending…
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing_app", "--db", str(printable.store), "pack", "print",
         "--pack", str(printable.pack_id), "--printer", QUEUE, "--wait", "60"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: bool(server.jobs(QUEUE)) or process.poll() is not None, 60,
                   "the job to be queued")
        [job] = server.jobs(QUEUE)
        assert process.poll() is None  # still following the job
        server.stop()  # …and the scheduler goes away before printing it
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out) == (1, "")
    number = job.rsplit("-", 1)[1]
    assert one_line(err).startswith(
        f"briefing-app: Not printed: the CUPS scheduler stopped before job {number} on "
        f"{QUEUE} finished (no answer on {server.socket}: ")
    assert err.rstrip().endswith("it may print if CUPS starts again")


def test_no_such_printer(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    result = cli("pack", "print", printable.first, "--printer", "NoSuchQueue")
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err) == (
        f"briefing-app: printer 'NoSuchQueue': no such printer on CUPS "
        f"({cups_pdf_queue.server.socket}); 'lpstat -p' lists the printers")


def test_no_default_printer(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    result = cli("pack", "print", printable.first)
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err) == (
        "briefing-app: no default printer: give one with --printer NAME ('lpstat -p' lists "
        "the printers) or set one with 'lpoptions -d NAME'")


def test_a_stopped_queue_leaves_the_job_queued(printable: Printable,
                                               cups_pdf_queue: CupsQueue) -> None:
    cups_pdf_queue.server.disable(QUEUE, "Out of paper")
    started = time.monotonic()
    result = cli("--db", printable.store, "pack", "print", "--pack", str(printable.pack_id),
                 "--printer", QUEUE, "--wait", "3")
    assert time.monotonic() - started < 30
    assert (result.code, result.out) == (1, "")
    match = re.fullmatch(
        rf"briefing-app: Still queued on {QUEUE} \(job (\d+)\): the queue is stopped "
        rf"\(paused; CUPS says 'Out of paper'\); it prints when the queue is resumed, or "
        rf"cancel it with 'cancel {QUEUE}-(\d+)'", one_line(result.err))
    assert match and match.group(1) == match.group(2), result.err
    assert cups_pdf_queue.server.jobs(QUEUE) == [f"{QUEUE}-{match.group(1)}"]


def test_no_cupsd_at_all(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    cups_pdf_queue.server.stop()
    result = cli("pack", "print", printable.first, "--printer", QUEUE)
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err) == (
        "briefing-app: the CUPS print service is not running or does not answer "
        f"({cups_pdf_queue.server.socket}: no such socket)")


def test_a_job_cups_aborts(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    queue = cups_pdf_queue.server.add_failing_queue("BriefingBroken")
    result = cli("pack", "print", printable.first, "--printer", queue)
    assert (result.code, result.out) == (1, "")
    assert re.fullmatch(
        rf"briefing-app: Not printed: job \d+ on {queue} was aborted \(CUPS says 'The test "
        r"printer is out of order'\)", one_line(result.err)), result.err


def test_a_pdf_cups_cannot_read(cups_pdf_queue: CupsQueue, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\nnot really a PDF\n%%EOF\n")
    result = cli("pack", "print", damaged, "--printer", QUEUE)
    assert (result.code, result.out) == (1, "")
    match = re.fullmatch(
        rf"briefing-app: Not printed: job (\d+) on {QUEUE} stopped on an error "
        # CUPS reports the filter's own words or, read a moment later, its summary
        r"\(job-completed-with-errors; CUPS says '(?:loadFilename failed: .*|Filter failed)'\); "
        r"it stays in the "
        rf"queue, stopped: cancel it with 'cancel {QUEUE}-(\d+)'", one_line(result.err))
    assert match and match.group(1) == match.group(2), result.err
    # what cups-pdf made of nothing: an empty PDF, named after the owner
    (cups_pdf_queue.folder / f"root_PDF-job_{match.group(1)}.pdf").unlink(missing_ok=True)


def test_a_job_cancelled_by_someone_else(printable: Printable,
                                         cups_pdf_queue: CupsQueue) -> None:
    server = cups_pdf_queue.server
    server.disable(QUEUE)
    job = printing.submit(printable.first, QUEUE, pages=printable.pages[0])
    server.run("cancel", job.request_id)
    outcome = printing.follow(job, timeout=30)
    assert (outcome.status, outcome.job_state) == ("failed", "canceled"), outcome.state_reasons
    assert outcome.message() == f"Not printed: job {job.job_id} on {QUEUE} was cancelled"


def test_cancel_from_the_app_cancels_the_job(printable: Printable,
                                             cups_pdf_queue: CupsQueue) -> None:
    server = cups_pdf_queue.server
    server.disable(QUEUE)
    labels: list[str] = []
    outcome = printing.print_pdf(printable.first, QUEUE, pages=printable.pages[0],
                                 progress=lambda done, total, label: labels.append(label),
                                 cancelled=lambda: True)
    assert outcome.message() == (f"Not printed: job {outcome.job_id} on {QUEUE} was "
                                 "cancelled (you stopped it)")
    assert labels[:2] == [f"Sending to {QUEUE}", f"Queued on {QUEUE} (job {outcome.job_id})"]
    assert server.jobs(QUEUE) == []
    assert f"{QUEUE}-{outcome.job_id}" in server.jobs(QUEUE, "completed")  # ended: canceled


def test_a_held_job_is_still_queued(printable: Printable, cups_pdf_queue: CupsQueue) -> None:
    server = cups_pdf_queue.server
    submitted = server.run("lp", "-d", QUEUE, "-H", "indefinite", str(printable.second))
    request = printing.parse_request_id(submitted.stdout)
    assert request is not None
    job = printing.PrintJob(QUEUE, request[1], "held", server=printing.cups_server())
    outcome = printing.follow(job, timeout=30, stopped_grace=1)
    assert (outcome.status, outcome.job_state) == ("queued", "pending-held")
    assert outcome.message() == (
        f"Still queued on {QUEUE} (job {job.job_id}): the job is held "
        "(job-hold-until-specified); it prints when it is released, or cancel it with "
        f"'cancel {QUEUE}-{job.job_id}'")


@pytest.mark.parametrize("what", ["missing", "not a PDF", "folder"])
def test_files_that_cannot_be_printed(tmp_path: Path, cups_pdf_queue: CupsQueue,
                                      what: str) -> None:
    path = {"missing": tmp_path / "missing.pdf", "not a PDF": tmp_path / "letter.pdf",
            "folder": tmp_path}[what]
    if what == "not a PDF":
        path.write_text("Dear Commissioner,\n", encoding="utf-8")
    before = cups_pdf_queue.server.jobs(QUEUE, "all")
    result = cli("pack", "print", path, "--printer", QUEUE)
    assert (result.code, result.out) == (1, "")
    assert one_line(result.err) == {
        "missing": f"briefing-app: {path}: no such file",
        "not a PDF": f"briefing-app: {path}: not a PDF file",
        "folder": f"briefing-app: {path}: is a folder, not a PDF"}[what]
    assert cups_pdf_queue.server.jobs(QUEUE, "all") == before  # nothing was sent


def test_builds_that_cannot_be_printed(seeded_path: Path, tmp_path: Path,
                                       cups_pdf_queue: CupsQueue) -> None:
    def pack_print(*args: str) -> str:
        result = cli("--db", seeded_path, "pack", "print", *args, "--printer", QUEUE)
        assert (result.code, result.out) == (1, "")
        return one_line(result.err)

    assert pack_print("--pack", "1") == "briefing-app: pack 1: not in the store"
    assert pack_print("--pack", "one") == \
        "briefing-app: pack 'one': give the id printed by 'list packs'"
    services = open_services(seeded_path, create=False)
    try:  # the app can save a pack's definition without building it
        unbuilt = services.packs.save(PackSpec(title="Unbuilt", sections=parse_sections("cover")))
    finally:
        services.close()
    assert pack_print("--pack", str(unbuilt.id)) == (
        f"briefing-app: pack {unbuilt.id}: it has never been built (build it with 'pack build "
        f"--pack {unbuilt.id} --out FILE.pdf')")
    out = tmp_path / "pack.pdf"
    built = cli("--db", seeded_path, "pack", "build", "--title", "Printing", "--sections",
                "cover", "--out", out, "--format", "json")
    assert built.code == 0, built.err
    pack_id = str(built.json()["pack_id"])
    assert pack_print("--pack", pack_id, "--version", "3") == \
        f"briefing-app: BP-{int(pack_id):04d}: no version 3 (built versions: 1)"
    out.write_bytes(out.read_bytes() + b"\n% changed\n")
    assert pack_print("--pack", pack_id) == (
        f"briefing-app: BP-{int(pack_id):04d} version 1: {out} has changed since it was "
        "built (its SHA-256 differs); build the pack again")
    out.unlink()
    assert pack_print("--pack", pack_id) == (
        f"briefing-app: BP-{int(pack_id):04d} version 1: {out}: no such file (moved or "
        "deleted since it was built)")
    password = tmp_path / "password.txt"
    password.write_text("open sesame\n", encoding="utf-8")
    locked = cli("--db", seeded_path, "pack", "build", "--pack", pack_id, "--out",
                 tmp_path / "locked.pdf", "--password-file", password)
    assert locked.code == 0, locked.err
    assert pack_print("--pack", pack_id) == (
        f"briefing-app: BP-{int(pack_id):04d} version 2: {tmp_path / 'locked.pdf'}: the PDF "
        "needs a password to open, so CUPS cannot print it; open it in a PDF viewer and "
        "print from there")
    assert cups_pdf_queue.server.jobs(QUEUE) == []


def test_usage_errors(printable: Printable) -> None:
    both = cli("pack", "print", "--pack", "1", printable.first)
    assert both.code == 2 and "not allowed with argument" in both.err
    version = cli("pack", "print", printable.first, "--version", "1")
    assert (version.code, version.err) == (
        2, "briefing-app: --version goes with --pack ID (see 'briefing-app pack print "
           "--help')\n")
    assert cli("pack", "print").code == 2
    copies = cli("pack", "print", printable.first, "--copies", "0")
    assert (copies.code, copies.err) == (
        1, "briefing-app: copies: 0 is not between 1 and 999\n")


def test_the_fixture_scheduler_is_private(cups_server: CupsServer) -> None:
    assert printing.cups_server() == printing.CupsServer(path=str(cups_server.socket))
    assert cups_server.running and cups_server.socket.is_socket()
