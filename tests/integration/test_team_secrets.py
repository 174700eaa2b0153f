"""A team store's password is never seen: not in the process list, not in the app's logs,
not in a message; never taken from the command line or the environment.

The command line runs as a real process signing in as alice over TCP, where the
server wants her password (tests/helpers/postgres.py): once with it in a
PGPASSFILE file, once typed at the terminal's prompt (a pseudo-terminal). While
it is connected, held by a lock the test takes on the table it reads, the test
reads every process's command line (``ps -ww -eo args`` and /proc/*/cmdline) and
the child's environment; afterwards the app's log folder and the server's log.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from briefing_app import paths
from tests.helpers.cli import REPO, cli, cli_process
from tests.helpers.postgres import ROLE, PostgresServer
from tests.helpers.team import EDITOR, PASSWORDS

PASSWORD = PASSWORDS[EDITOR]
COMMAND = ("list", "measures", "--format", "json")


def _environment(tmp_path: Path, pgpass: Path | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(HOME=str(tmp_path / "home"), PGPASSFILE=str(pgpass or tmp_path / "no-pgpass"),
               # a keyring installed on the machine must not answer for the test
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


@contextmanager
def _held(server: PostgresServer, database: str) -> Iterator[None]:
    """The table ``list measures`` reads, locked: a reader of it waits, connected."""
    with psycopg.connect(dbname=database, user=ROLE, host=str(server.socket_dir),
                         port=server.port) as connection:
        connection.execute("LOCK TABLE commitment IN ACCESS EXCLUSIVE MODE")
        yield
        connection.rollback()


def _wait_until_connected_and_waiting(server: PostgresServer, database: str) -> None:
    deadline = time.monotonic() + 60
    with psycopg.connect(dbname=database, user=ROLE, host=str(server.socket_dir),
                         port=server.port, autocommit=True) as connection:
        while time.monotonic() < deadline:
            if connection.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE usename = %s AND datname = %s "
                    "AND wait_event_type = 'Lock'", (EDITOR, database)).fetchone():
                return
            time.sleep(0.05)
    raise AssertionError("the command never connected and reached the locked table")


def _no_password_in_process_list(child: int, url: str) -> None:
    secret = PASSWORD.encode()
    if shutil.which("ps"):
        # -ww: every command line whole (ps cuts them to 80 columns off a terminal)
        listing = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True,
                                 check=True).stdout
        assert b"list measures" in listing and url.encode() in listing  # the child is seen
        assert secret not in listing
    seen = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            content = cmdline.read_bytes()
        except OSError:  # a process that ended meanwhile
            continue
        seen += 1
        assert secret not in content, cmdline
    assert seen > 1
    environment = Path(f"/proc/{child}/environ").read_bytes()
    assert b"PGPASSFILE=" in environment and secret not in environment


def _no_password_in_logs(server: PostgresServer) -> None:
    logs = [path for path in paths.user_log_dir().rglob("*") if path.is_file()]
    logs.append(server.folder / "server.log")
    for log in logs:
        assert PASSWORD.encode() not in log.read_bytes(), log


def test_the_password_from_a_pgpass_file_is_never_seen(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{team_server.port}:{team_database}:{EDITOR}:{PASSWORD}\n",
                      encoding="utf-8")
    pgpass.chmod(0o600)  # libpq ignores a password file others can read
    url = team_server.tcp_url(team_database, EDITOR)
    with _held(team_server, team_database):
        child = subprocess.Popen(
            [sys.executable, "-m", "briefing_app", "--db", url, *COMMAND], cwd=REPO,
            env=_environment(tmp_path, pgpass), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _wait_until_connected_and_waiting(team_server, team_database)
            _no_password_in_process_list(child.pid, url)
        except BaseException:
            child.kill()
            child.communicate()
            raise
    out, err = child.communicate(timeout=60)
    assert (child.returncode, err) == (0, b"")
    assert out.count(b'"number":') == 15 and PASSWORD.encode() not in out
    _no_password_in_logs(team_server)


def _read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        assert time.monotonic() < deadline, f"waited for {wanted!r}; saw {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break


def _read_to_end(fd: int, seen: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        seen += chunk


def test_the_password_typed_at_the_prompt_is_never_seen(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    url = team_server.tcp_url(team_database, EDITOR)
    env = _environment(tmp_path, None)  # no password file: the terminal is asked
    with _held(team_server, team_database):
        child, terminal = pty.fork()
        if child == 0:  # the command, on the pseudo-terminal
            try:
                os.chdir(REPO)
                os.execve(sys.executable,
                          [sys.executable, "-m", "briefing_app", "--db", url, *COMMAND], env)
            finally:
                os._exit(127)
        seen = bytearray()
        try:
            prompt = f"Password for {EDITOR}@127.0.0.1:{team_server.port}/{team_database}: "
            _read_until(terminal, prompt.encode(), seen)
            os.write(terminal, PASSWORD.encode() + b"\n")
            _wait_until_connected_and_waiting(team_server, team_database)
            _no_password_in_process_list(child, url)
        except BaseException:
            os.kill(child, 9)
            os.waitpid(child, 0)
            raise
    _read_to_end(terminal, seen)
    os.close(terminal)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0, bytes(seen)
    assert bytes(seen).count(b'"number":') == 15
    assert PASSWORD.encode() not in seen  # not echoed as it was typed
    _no_password_in_logs(team_server)


def test_pgpassword_in_the_environment_is_not_used(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    url = team_server.tcp_url(team_database, EDITOR)
    result = cli_process("--db", url, *COMMAND,
                         env={**_environment(tmp_path, None), "PGPASSWORD": PASSWORD})
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"briefing-app: {url}: the team store asks for alice's password: put it in ~/.pgpass "
        "(or the file PGPASSFILE names) or in the system keyring (service 'briefing-app', "
        f"user 'alice@127.0.0.1:{team_server.port}/{team_database}'), or run the command in "
        "a terminal to type it\n")


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg"])
def test_an_address_with_a_password_is_refused_without_echoing_it(
        team_server: PostgresServer, team_database: str, tmp_path: Path,
        scheme: str) -> None:
    address = f"{scheme}://{EDITOR}:{PASSWORD}@127.0.0.1:{team_server.port}/{team_database}"
    advice = ("the team store's address holds a password, which is refused (it would be "
              "seen in the process list, the shell's history or the environment); remove it "
              "and put the password in ~/.pgpass or the system keyring, or type it when "
              "asked\n")
    env = _environment(tmp_path, None)
    given = cli_process("--db", address, *COMMAND, env=env)
    assert (given.code, given.out, given.err) == (1, "", f"briefing-app: --db: {advice}")
    from_env = cli_process(*COMMAND, env={**env, paths.DB_ENV_VAR: address})
    assert (from_env.code, from_env.out, from_env.err) == (
        1, "", f"briefing-app: BRIEFING_APP_DB: {advice}")
    window = cli("gui", "--db", address)
    assert (window.code, window.err) == (1, f"briefing-app: --db: {advice}")
    _no_password_in_logs(team_server)


def test_the_pgpass_file_in_the_home_folder_is_read_by_libpq(
        team_server: PostgresServer, team_database: str, tmp_path: Path) -> None:
    env = _environment(tmp_path, None)
    del env["PGPASSFILE"]
    pgpass = Path(env["HOME"]) / ".pgpass"
    pgpass.write_text(f"127.0.0.1:{team_server.port}:*:{EDITOR}:{PASSWORD}\n",
                      encoding="utf-8")
    pgpass.chmod(0o600)
    result = cli_process("--db", team_server.tcp_url(team_database, EDITOR), *COMMAND, env=env)
    assert (result.code, result.err, len(result.json())) == (0, "", 15)
