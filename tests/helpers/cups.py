"""A real, private CUPS scheduler for the printing tests, with a cups-pdf queue.

Each test session gets its own ``cupsd`` (Debian's cups and printer-driver-cups-pdf):
its own configuration, spool and state folders in a temporary folder, listening
only on its own domain socket (no TCP port). ``CUPS_SERVER`` points every CUPS
client of the session at that socket (``lp``, ``lpstat``, Qt's print support and
the app's :mod:`briefing_app.printing`), so the tests never send a job to the
machine's own printers and never disturb a scheduler someone else is using.

The scheduler is started in the foreground (``cupsd -f``) as our own child
process: stopping it ends exactly that process, and the session fixture stops it
at the end of the session whatever the tests did. cups-pdf writes its files into
``~/PDF`` of the job's owner (``Out ${HOME}/PDF`` in /etc/cups/cups-pdf.conf), so
a job sent by root lands in /root/PDF.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

QUEUE = "BriefingPDF"
SERVER_BIN = Path("/usr/lib/cups")
TEST_BACKEND = "briefing-test"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def session_socket() -> Path:
    """The socket of this test session's scheduler (the folder is made when it starts)."""
    return Path(tempfile.gettempdir()) / f"briefing-app-cups-{os.getpid()}" / "cups.sock"


def unavailable() -> str | None:
    """Why a real CUPS cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return "needs root to run a private cupsd"
    missing = [tool for tool in ("cupsd", "lp", "lpstat", "lpadmin", "cupsenable",
                                 "cupsdisable", "cancel") if shutil.which(tool) is None]
    if missing:
        return f"needs Debian's cups ({', '.join(missing)} not found)"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "needs Debian's printer-driver-cups-pdf"
    return None


def pdf_folder() -> Path:
    """Where cups-pdf writes the jobs this process sends (its owner's ~/PDF)."""
    return Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"


def wait_until(condition: Callable[[], object], timeout: float, what: str,
               interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


#: A backend that fails every job (exit 1: "failed"; with .../stop, exit 4: "stop the queue").
_TEST_BACKEND_SCRIPT = """#!/bin/sh
if [ $# -eq 0 ]; then
    echo 'direct briefing-test "Unknown" "Briefing App test printer that fails"'
    exit 0
fi
[ $# -lt 6 ] && cat > /dev/null
echo "ERROR: The test printer is out of order" >&2
case "$DEVICE_URI" in
    *stop*) exit 4 ;;
    *) exit 1 ;;
esac
"""

_POLICY = """\
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit Create-Job Print-Job Print-URI Validate-Job>
    Order deny,allow
  </Limit>
  <Limit Send-Document Send-URI Hold-Job Release-Job Restart-Job Purge-Jobs \
Set-Job-Attributes Create-Job-Subscription Renew-Subscription Cancel-Subscription \
Get-Notifications Reprocess-Job Cancel-Current-Job Suspend-Current-Job Resume-Job \
Cancel-My-Jobs Close-Job CUPS-Move-Job CUPS-Get-Document>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit CUPS-Add-Modify-Printer CUPS-Delete-Printer CUPS-Add-Modify-Class \
CUPS-Delete-Class CUPS-Set-Default CUPS-Get-Devices>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Pause-Printer Resume-Printer Enable-Printer Disable-Printer \
Pause-Printer-After-Current-Job Hold-New-Jobs Release-Held-New-Jobs Deactivate-Printer \
Activate-Printer Restart-Printer Shutdown-Printer Startup-Printer Promote-Job \
Schedule-Job-After Cancel-Jobs CUPS-Accept-Jobs CUPS-Reject-Jobs>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Cancel-Job CUPS-Authenticate-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""


class CupsServer:
    """A private ``cupsd`` under ``root``, listening on ``root/cups.sock`` only."""

    # Its printers and jobs live in ``root``: a scheduler started again on the same
    # root has the same queues, and the jobs it had not finished.

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "cups.sock"
        self.process: subprocess.Popen[bytes] | None = None

    # -- the environment of its clients ----------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        """The environment of a CUPS client that talks to this scheduler."""
        return {**os.environ, "CUPS_SERVER": str(self.socket), "LC_ALL": "C", "LANG": "C"}

    def run(self, *command: str, check: bool = True,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """A CUPS command (``lpstat``, ``lpadmin``…) against this scheduler."""
        return subprocess.run(list(command), capture_output=True, text=True, env=self.env,
                              check=check, timeout=timeout)

    # -- start and stop ---------------------------------------------------------------

    def _server_bin(self) -> Path:
        """CUPS's programs (filters, backends…) by links to Debian's, plus the test backend."""
        bin_folder = self.root / "bin"
        backends = bin_folder / "backend"
        backends.mkdir(parents=True, exist_ok=True)
        for entry in SERVER_BIN.iterdir():
            if entry.name != "backend" and not (bin_folder / entry.name).exists():
                (bin_folder / entry.name).symlink_to(entry)
        for backend in (SERVER_BIN / "backend").iterdir():
            if not (backends / backend.name).exists():
                (backends / backend.name).symlink_to(backend)
        failing = backends / TEST_BACKEND
        failing.write_text(_TEST_BACKEND_SCRIPT, encoding="utf-8")
        failing.chmod(0o755)
        return bin_folder

    def _write_config(self) -> tuple[Path, Path]:
        etc = self.root / "etc"
        for folder in ("etc", "spool/tmp", "state", "cache", "log"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        (etc / "ppd").mkdir(exist_ok=True)
        files = etc / "cups-files.conf"
        files.write_text(
            "SystemGroup root lpadmin\n"
            "PeerCred on\n"
            f"ServerRoot {etc}\n"
            f"ServerBin {self._server_bin()}\n"
            f"RequestRoot {self.root / 'spool'}\n"
            f"TempDir {self.root / 'spool/tmp'}\n"
            f"StateDir {self.root / 'state'}\n"
            f"CacheDir {self.root / 'cache'}\n"
            f"ErrorLog {self.root / 'log/error_log'}\n"
            f"AccessLog {self.root / 'log/access_log'}\n"
            f"PageLog {self.root / 'log/page_log'}\n"
            f"Printcap {self.root / 'state/printcap'}\n"
            "CreateSelfSignedCerts no\n", encoding="utf-8")
        conf = etc / "cupsd.conf"
        conf.write_text(
            "LogLevel info\n"
            "MaxLogSize 0\n"
            f"Listen {self.socket}\n"
            "Browsing No\n"
            "WebInterface No\n"
            "DefaultAuthType Basic\n"
            "ErrorPolicy stop-printer\n"
            "PreserveJobHistory Yes\n"
            "<Location />\n  Order allow,deny\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n</Location>\n"
            + _POLICY, encoding="utf-8")
        return conf, files

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def scheduler_answers(self) -> bool:
        result = self.run("lpstat", "-r", check=False, timeout=10)
        return result.stdout.strip() == "scheduler is running"

    def start(self, timeout: float = 30) -> None:
        """Start the scheduler (again: its printers and jobs are kept in ``root``)."""
        if self.running:
            return
        conf, files = self._write_config()
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        command = ["cupsd", "-f", "-c", str(conf), "-s", str(files)]
        if shutil.which("setpriv"):
            # a test process that dies (even by a crash) takes its scheduler with it
            command = ["setpriv", "--pdeathsig", "TERM", *command]
        log = (self.root / "log" / "cupsd.out").open("ab")
        try:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env=self.env)
        finally:
            log.close()
        try:
            wait_until(lambda: not self.running or (self.socket.exists()
                                                    and self.scheduler_answers()),
                       timeout, "cupsd to answer")
        except TimeoutError:
            self.stop()
            raise
        if not self.running:
            raise RuntimeError(f"cupsd exited at once: {self.log_tail()}")

    def stop(self, *, timeout: float = 20) -> None:
        """Stop the scheduler this object started (SIGTERM, then SIGKILL)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def log_tail(self, lines: int = 20) -> str:
        text = ""
        for name in ("cupsd.out", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                text += path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- queues -------------------------------------------------------------------------

    def add_pdf_queue(self, name: str = QUEUE) -> str:
        """A cups-pdf queue, enabled and accepting jobs."""
        self.run("lpadmin", "-p", name, "-v", "cups-pdf:/", "-E", "-P", str(CUPS_PDF_PPD))
        return name

    def add_failing_queue(self, name: str, *, stop: bool = False) -> str:
        """A queue whose printer fails every job: CUPS aborts the job, or (``stop``) the
        backend stops the queue, with the message "The test printer is out of order"."""
        self.run("lpadmin", "-p", name, "-E", "-v", f"{TEST_BACKEND}:/{'stop' if stop else 'fail'}",
                 "-o", "printer-error-policy=abort-job")
        return name

    def has_queue(self, name: str) -> bool:
        return self.run("lpstat", "-p", name, check=False).returncode == 0

    def disable(self, name: str, reason: str = "Paused for a test") -> None:
        self.run("cupsdisable", "-r", reason, name)

    def enable(self, name: str) -> None:
        self.run("cupsenable", name)
        self.run("cupsaccept", name)

    def cancel_all(self, name: str) -> None:
        """Cancel and forget every job of the queue (none is left to print later)."""
        self.run("cancel", "-a", "-x", name, check=False)

    def jobs(self, name: str, which: str = "not-completed") -> list[str]:
        """The ids (``QUEUE-N``) of the queue's jobs: ``not-completed``, ``completed``, ``all``."""
        out = self.run("lpstat", "-W", which, "-o", name, check=False).stdout
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def ready(self, name: str = QUEUE) -> str:
        """Make sure the scheduler runs and ``name`` is an idle, enabled, empty queue."""
        if not self.running:
            self.start()
        if not self.has_queue(name):
            self.add_pdf_queue(name)
        self.cancel_all(name)
        self.enable(name)
        return name


def printed_file(job_name: str, job_id: int, timeout: float = 90) -> Path:
    """The file cups-pdf wrote for job ``job_id`` named ``job_name``, once it is complete.

    cups-pdf names it after the job's title and id (``TITLE…-job_N.pdf``, with a few
    characters of its own after the title). Every session's scheduler numbers its
    jobs from 1 and all of them write into the same folder, so a test gives its
    job a name of its own and finds the file by name and id.
    """
    folder = pdf_folder()

    def written() -> list[Path]:
        return sorted(folder.glob(f"{job_name}*-job_{job_id}.pdf")) if folder.exists() else []

    wait_until(written, timeout, f"cups-pdf to write {job_name}…-job_{job_id}.pdf in {folder}")
    [path] = written()
    wait_until(lambda: subprocess.run(["pdfinfo", str(path)], capture_output=True)
               .returncode == 0, 30, f"{path} to be complete")
    return path


@dataclass(frozen=True)
class CupsQueue:
    """A cups-pdf queue ready for a test: idle, enabled, accepting, with no jobs."""

    name: str
    server: CupsServer
    folder: Path  # where cups-pdf writes what it prints
