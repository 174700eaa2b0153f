"""A private X server (Xvfb) for the tests and benchmarks that need a real screen.

    from tests.helpers.xvfb import xvfb

    with xvfb() as server:
        subprocess.run(command, env={**os.environ, **server.env, "QT_QPA_PLATFORM": "xcb"})

The server picks a free display number itself (``-displayfd``: no race with
another server starting at the same time), :func:`xvfb` waits until it
answers the X11 connection handshake, and the server is stopped when the
``with`` block ends, however it ends (an exception, Ctrl+C, or SIGTERM once
:func:`stop_on_sigterm` is in place). On Linux the server is also told to
die with the thread that started it, so even a killed test run leaves no
server behind.

Standard library only: bench scripts import it as well as tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import IO, Any

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0


class XvfbUnavailable(RuntimeError):
    """Xvfb is not installed (Debian: apt-get install xvfb)."""


class XvfbFailed(RuntimeError):
    """Xvfb did not start or did not answer; carries what it printed."""


@dataclass(frozen=True)
class XServer:
    number: int
    pid: int

    @property
    def display(self) -> str:
        return f":{self.number}"

    @property
    def env(self) -> dict[str, str]:
        """What a client needs in its environment to use this server (and no other)."""
        return {"DISPLAY": self.display}


def available() -> bool:
    """True if Xvfb is installed (tests skip otherwise)."""
    return shutil.which("Xvfb") is not None


def _die_with_parent() -> None:  # pragma: no cover (runs in the forked child)
    """Linux: SIGTERM to the server when the thread that started it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _read_display_number(fd: int, process: subprocess.Popen[bytes], deadline: float) -> int:
    """The number Xvfb writes on ``fd`` once it accepts connections."""
    received = b""
    while not received.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise XvfbFailed("Xvfb gave no display number in time")
        ready, _, _ = select.select([fd], [], [], min(left, 0.1))
        if not ready:
            if process.poll() is not None:
                raise XvfbFailed(f"Xvfb exited with code {process.returncode}")
            continue
        chunk = os.read(fd, 64)
        if not chunk:
            raise XvfbFailed(f"Xvfb closed its display pipe (exit code {process.poll()})")
        received += chunk
    return int(received.strip())


def answers(number: int, timeout: float = 1.0) -> bool:
    """True if the X server on display ``number`` completes the X11 handshake."""
    path = f"/tmp/.X11-unix/X{number}"
    # byte order 'l' (little endian), protocol 11.0, no authorisation
    setup = struct.pack("<cxHHHHxx", b"l", 11, 0, 0, 0)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(path)
            connection.sendall(setup)
            reply = connection.recv(8)
    except OSError:
        return False
    return reply[:1] == b"\x01"  # 0 failed, 1 success, 2 authenticate


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _output(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace").strip()


@contextlib.contextmanager
def xvfb(*, width: int = 1600, height: int = 1000, depth: int = 24,
         timeout: float = START_TIMEOUT_S, args: tuple[str, ...] = ()) -> Iterator[XServer]:
    """Start Xvfb on a free display, wait until it answers, stop it at the end."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbUnavailable("Xvfb is not installed (Debian: apt-get install xvfb)")
    with contextlib.ExitStack() as cleanup:
        log = cleanup.enter_context(tempfile.TemporaryFile())
        read_fd, write_fd = os.pipe()
        cleanup.callback(os.close, read_fd)
        try:
            process = subprocess.Popen(
                [binary, "-displayfd", str(write_fd), "-screen", "0",
                 f"{width}x{height}x{depth}", "-nolisten", "tcp", "-noreset", *args],
                pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        finally:
            os.close(write_fd)
        cleanup.callback(_stop, process)
        deadline = time.monotonic() + timeout
        try:
            number = _read_display_number(read_fd, process, deadline)
            while not answers(number):
                if process.poll() is not None:
                    raise XvfbFailed(f"Xvfb exited with code {process.returncode}")
                if time.monotonic() > deadline:
                    raise XvfbFailed(f"Xvfb on :{number} does not answer")
                time.sleep(0.02)
        except XvfbFailed as failure:
            _stop(process)
            raise XvfbFailed(f"{failure}\n{_output(log)}") from None
        yield XServer(number, process.pid)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit for the ``with`` block, so ``finally`` blocks
    (and :func:`xvfb`'s clean-up) run when a script is terminated."""
    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous: Callable[[int, FrameType | None], Any] | int | None = signal.signal(
        signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
