"""A store on a write-protected location opens read-only: reads work, writes are refused.

The tests run as root, and root writes through ``chmod``: a chmod-ed store
would not stop root's writes, nor make ``os.access`` say no. So the behaviour
is tested with an explicit ``read_only=True`` / ``--read-only``, the detection
decision with explicit booleans, and the detection itself in a real process
of the unprivileged ``nobody`` account (``runuser``) on a chmod 555 folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.services import open_services
from briefing_app.store import migrate
from briefing_app.store.backup import automatic_backups
from briefing_app.store.engine import Store, should_open_read_only
from tests.helpers.cli import REPO, cli


def _refusal(store: Path) -> str:
    return (f"briefing-app: {store}: the store is read-only (write-protected location); "
            "changes are disabled\n")


def test_read_only_store_reads_and_refuses_every_write(seeded_path: Path,
                                                       tmp_path: Path) -> None:
    """Explicit --read-only (root ignores chmod, see the module docstring)."""
    before = seeded_path.read_bytes()
    ro = ("--db", seeded_path, "--read-only")
    listed = cli(*ro, "list", "letters", "--format", "json")
    assert listed.code == 0, listed.err
    assert len(listed.json()) == 5
    shown = cli(*ro, "show", "measures", "3", "--format", "json")
    assert (shown.code, shown.json()["number"]) == (0, 3)
    found = cli(*ro, "search", "Rakusan", "--format", "json")
    assert found.code == 0 and found.json()
    assert cli(*ro, "check").code == 0
    assert cli(*ro, "backup", "--out", tmp_path / "copy.sqlite3").code == 0

    letter = tmp_path / "new.txt"
    letter.write_text("Brussels, 2 May 2025\n\nDear Minister,\n\nA letter.\n", encoding="utf-8")
    writes = [
        ("status", "set", "measures", "3", "done"),
        ("import", letter),
        ("meeting", "add", "--formation", "other", "--title", "T"),
        ("pack", "build", "--title", "T", "--out", tmp_path / "p.pdf"),
        ("restore", tmp_path / "copy.sqlite3"),
        ("init",),
    ]
    for words in writes:
        result = cli(*ro, *words)
        assert (result.code, result.out, result.err) == (1, "", _refusal(seeded_path)), words
    assert not (tmp_path / "p.pdf").exists()
    assert seeded_path.read_bytes() == before
    assert automatic_backups(paths.backups_dir(), seeded_path) == []


def test_read_only_services(seeded_path: Path) -> None:
    services = open_services(seeded_path, create=False, read_only=True)
    try:
        assert services.read_only is True
        assert len(services.tracking.measures()) == 15
        with pytest.raises(StoreError) as caught:
            services.tracking.set_status("measures", "3", "done")
        assert caught.value.message == _refusal(seeded_path)[len("briefing-app: "):-1]
    finally:
        services.close()
    writable = open_services(seeded_path, create=False)
    assert writable.read_only is False
    writable.close()


def test_read_only_store_that_needs_an_upgrade_is_refused(
        seeded_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = seeded_path.read_bytes()
    monkeypatch.setattr(migrate, "HEAD", "0002_next")
    with pytest.raises(StoreError, match=r"the store is read-only and needs an upgrade; "
                                         r"copy it to a writable folder$"):
        Store(seeded_path, read_only=True)
    assert seeded_path.read_bytes() == before
    assert automatic_backups(paths.backups_dir(), seeded_path) == []


@pytest.mark.parametrize(("file_writable", "folder_writable", "read_only"), [
    (True, True, False), (False, True, True), (True, False, True), (False, False, True)])
def test_the_read_only_decision(file_writable: bool, folder_writable: bool,
                                read_only: bool) -> None:
    assert should_open_read_only(file_writable, folder_writable) is read_only


def _unprivileged_python() -> list[str] | None:
    """A command running Python as 'nobody' on this tree, or None where that is impossible."""
    runuser = shutil.which("runuser")
    python = "/usr/bin/python3"
    if os.geteuid() != 0 or runuser is None or not os.access(python, os.X_OK):
        return None
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    if version != str(tuple(sys.version_info[:2])):
        return None
    site = next(p for p in sys.path if p.endswith("site-packages"))
    return [runuser, "-u", "nobody", "--", "env", "HOME=/tmp",
            f"XDG_DATA_HOME={tempfile.gettempdir()}/briefing-nobody",
            f"PYTHONPATH={REPO}:{site}", python, "-m", "briefing_app"]


@pytest.fixture
def protected_copy(seeded_path: Path) -> Iterator[Path]:
    """The seeded store in a world-readable, chmod 555 folder (pytest's tmp is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-ro-"))
    store = folder / "store.sqlite3"
    shutil.copyfile(seeded_path, store)
    store.chmod(0o444)
    folder.chmod(0o555)
    yield store
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_a_write_protected_location_is_detected(protected_copy: Path) -> None:
    command = _unprivileged_python()
    if command is None:
        pytest.skip("needs root, runuser and a /usr/bin/python3 of this version")
    before = protected_copy.read_bytes()

    def run(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, "--db", str(protected_copy), *words],
                              capture_output=True, text=True, timeout=120)

    listed = run("list", "letters", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1 + 5
    assert run("show", "countries", "TN").returncode == 0
    searched = run("search", "Rakusan")
    assert searched.returncode == 0 and "Rakušan" in searched.stdout
    changed = run("status", "set", "measures", "3", "done")
    assert (changed.returncode, changed.stderr) == (1, _refusal(protected_copy))
    assert protected_copy.read_bytes() == before
    assert sorted(p.name for p in protected_copy.parent.iterdir()) == ["store.sqlite3"]
