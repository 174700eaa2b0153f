"""A real PostgreSQL server of the test session's own.

``initdb`` makes a cluster in a temporary folder; the server listens on a Unix
socket in that folder, where every role is trusted (the tests' own connections,
only this machine's root and ``postgres`` accounts can open the folder), and
on a free port of 127.0.0.1, where every role must give its password
(scram-sha-256): the tests of passwords connect there, as a person's
computer connects to the team store. It is stopped at the end of the
session, also when a test fails. Run as root (CI), the server runs as the
``postgres`` account, as PostgreSQL refuses root.

The binaries are Debian's (``/usr/lib/postgresql/N/bin``, installed by
``packaging/bootstrap.py`` with the package ``postgresql``), or any on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The role the tests connect as (the cluster's superuser).
ROLE = "briefing"
#: Who may connect how: anyone over the socket, only with a password over TCP.
HBA = """\
local all all trust
host all all 127.0.0.1/32 scram-sha-256
"""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                    else 0)
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


@dataclass
class PostgresServer:
    folder: Path
    bin: Path
    as_user: list[str] = field(default_factory=list)
    databases: int = 0
    #: The TCP port on 127.0.0.1 (passwords required there).
    port: int = 0

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *command], capture_output=True, text=True,
                              check=check, timeout=120)

    def start(self) -> None:
        data = self.folder / "data"
        self.socket_dir.mkdir()
        if self.as_user:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", ROLE, "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        (data / "pg_hba.conf").write_text(HBA, encoding="utf-8")
        self.port = free_port()
        # 127.0.0.2 is this machine too, but the app counts it as another (only
        # 127.0.0.1 is named local): a test sees TLS demanded of a server without it
        options = (f"-c listen_addresses='127.0.0.1,127.0.0.2' -c port={self.port} "
                   f"-c unix_socket_directories='{self.socket_dir}' "
                   "-c password_encryption=scram-sha-256 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l",
                  str(self.folder / "server.log"), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                  "-w", "stop", check=False)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database of this server (over its socket)."""
        return self.socket_url(database, ROLE)

    def socket_url(self, database: str, role: str) -> str:
        """The URL of ``database`` over the socket as ``role`` (trusted: no password)."""
        return (f"postgresql+psycopg://{role}@/{database}?host={self.socket_dir}"
                f"&port={self.port}")

    def tcp_url(self, database: str, role: str) -> str:
        """The URL a person uses: ``role`` over TCP to 127.0.0.1 (a password is asked)."""
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run ``sql`` as the superuser (roles, grants) in ``database``."""
        import psycopg

        with psycopg.connect(dbname=database, user=ROLE, host=str(self.socket_dir),
                             port=self.port, autocommit=True) as connection:
            connection.execute(sql)

    def new_database(self, prefix: str = "store", *, template: str | None = None) -> str:
        """A fresh database, empty or a copy of the database ``template`` (which nobody
        may be connected to); its URL."""
        self.databases += 1
        name = f"{prefix}_{os.getpid()}_{self.databases}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)


def start_server() -> PostgresServer | None:
    """A running server in a new temporary folder, or None without PostgreSQL."""
    found = binaries()
    if found is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="briefing-app-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    server = PostgresServer(folder, found, as_user)
    try:
        server.start()
    except BaseException:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return server
