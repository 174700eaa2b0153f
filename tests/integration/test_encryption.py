"""Encryption for travel: an SQLCipher store, and password-protected PDF packs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.services import open_services
from briefing_app.store.backup import automatic_backups
from briefing_app.store.engine import Store, is_encrypted
from tests.helpers.cli import REPO, cli

PASSPHRASE = "correct horse battery staple"


def run_with_passphrase(passphrase: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``briefing-app --passphrase-fd N ARGS`` in a process, the passphrase sent down a pipe."""
    read_end, write_end = os.pipe()
    os.write(write_end, passphrase.encode() + b"\n")
    os.close(write_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "briefing_app", "--passphrase-fd", str(read_end),
             *[str(a) for a in args]],
            capture_output=True, text=True, cwd=REPO, pass_fds=(read_end,), timeout=120,
            stdin=subprocess.DEVNULL)
    finally:
        os.close(read_end)


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("encrypted") / "travel.sqlite3"
    made = run_with_passphrase(PASSPHRASE, "--db", store, "init", "--encrypt",
                               "--format", "json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["counts"]["letters"] == 5
    return store


@pytest.fixture
def encrypted(encrypted_template: Path, tmp_path: Path) -> Path:
    store = tmp_path / "travel.sqlite3"
    store.write_bytes(encrypted_template.read_bytes())
    return store


def test_an_encrypted_store_holds_the_seed_and_no_plain_text(encrypted: Path) -> None:
    listed = run_with_passphrase(PASSPHRASE, "--db", encrypted, "list", "letters",
                                 "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 5
    found = run_with_passphrase(PASSPHRASE, "--db", encrypted, "search", "Rakusan",
                                "--format", "json")
    assert found.returncode == 0 and json.loads(found.stdout), found.stderr  # FTS5 works
    assert is_encrypted(encrypted)
    data = encrypted.read_bytes()
    assert not data.startswith(b"SQLite format 3\x00")
    for plain in ("Rakušan", "Frontex", "Dear"):
        assert plain.encode("utf-8") not in data
    db = sqlite3.connect(encrypted)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        db.execute("select * from letter")
    db.close()


def test_the_wrong_or_a_missing_passphrase_is_one_line(encrypted: Path) -> None:
    before = encrypted.read_bytes()
    wrong = run_with_passphrase("not it", "--db", encrypted, "list", "letters")
    assert (wrong.returncode, wrong.stdout, wrong.stderr) == (
        1, "", f"briefing-app: {encrypted}: wrong passphrase (or not a Briefing App store)\n")
    missing = cli("--db", encrypted, "list", "letters")  # stdin is no terminal here
    assert (missing.code, missing.err) == (
        1, f"briefing-app: {encrypted}: the store is encrypted: give the passphrase "
           "(--passphrase-fd N)\n")
    assert encrypted.read_bytes() == before


def test_writes_checks_and_backups_of_an_encrypted_store(encrypted: Path,
                                                         tmp_path: Path) -> None:
    changed = run_with_passphrase(PASSPHRASE, "--db", encrypted, "status", "set", "measures",
                                  "3", "done", "--note", "Rakušan agreed")
    assert changed.returncode == 0, changed.stderr
    checked = run_with_passphrase(PASSPHRASE, "--db", encrypted, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    copy = tmp_path / "copy.sqlite3"
    backed = run_with_passphrase(PASSPHRASE, "--db", encrypted, "backup", "--out", copy)
    assert backed.returncode == 0, backed.stderr
    assert is_encrypted(copy) and "Rakušan".encode() not in copy.read_bytes()
    services = open_services(copy, create=False, passphrase=PASSPHRASE)
    try:
        assert services.store.encrypted
        assert services.tracking.measure("3").status == "done"
    finally:
        services.close()


def test_the_daily_backup_of_an_encrypted_store_is_encrypted(encrypted: Path) -> None:
    Store(encrypted, passphrase=PASSPHRASE).close()
    made = automatic_backups(paths.backups_dir(), encrypted)
    assert len(made) == 1
    assert is_encrypted(made[0])
    with pytest.raises(StoreError, match=r"wrong passphrase \(or not a Briefing App store\)$"):
        Store(made[0], passphrase="nope", backup_dir=None)
    assert Store(made[0], passphrase=PASSPHRASE, backup_dir=None).encrypted


def test_plain_stores_are_not_taken_for_encrypted(seeded_path: Path, tmp_path: Path) -> None:
    assert not is_encrypted(seeded_path)
    assert not is_encrypted(tmp_path / "missing.sqlite3")
    text = tmp_path / "notes.txt"
    text.write_text("shopping list")
    assert not is_encrypted(text)
    refused = cli("--db", seeded_path, "init", "--encrypt")
    assert (refused.code, refused.err) == (
        1, f"briefing-app: {seeded_path}: a store that is not encrypted is already here; "
           "choose another --db\n")


def test_a_pack_with_a_password(services_path_pack: tuple[Path, Path]) -> None:
    pdf, _password_file = services_path_pack
    reader = PdfReader(pdf)
    assert reader.is_encrypted
    assert reader.decrypt("open sesame")
    assert "Ministerial Conference" in reader.pages[0].extract_text()
    closed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert closed.returncode != 0
    opened = subprocess.run(["pdftotext", "-upw", "open sesame", str(pdf), "-"],
                            capture_output=True, text=True)
    assert opened.returncode == 0 and "Ministerial Conference" in opened.stdout


@pytest.fixture
def services_path_pack(seeded_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    password_file = tmp_path / "password.txt"
    password_file.write_text("open sesame\nthe second line is ignored\n", encoding="utf-8")
    pdf = tmp_path / "pack.pdf"
    built = cli("--db", seeded_path, "pack", "build", "--meeting", "1", "--out", pdf,
                "--password-file", password_file, "--format", "json")
    assert built.code == 0, built.err
    options = built.json()["options"]
    assert options["encrypted"] is True
    assert "open sesame" not in json.dumps(built.json())
    listed = cli("--db", seeded_path, "list", "packs", "--format", "json")
    assert "open sesame" not in listed.out
    db = sqlite3.connect(seeded_path)
    assert b"open sesame" not in "\n".join(db.iterdump()).encode()
    db.close()
    return pdf, password_file


def test_an_empty_password_file_is_refused(seeded_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    result = cli("--db", seeded_path, "pack", "build", "--meeting", "1", "--out",
                 tmp_path / "p.pdf", "--password-file", empty)
    assert (result.code, result.err) == (
        1, f"briefing-app: {empty}: the first line (the PDF password) is empty\n")
    assert not (tmp_path / "p.pdf").exists()


def test_a_pack_builds_from_an_encrypted_store(tmp_path: Path) -> None:
    from briefing_app.reporting.spec import PackSpec, SectionChoice
    from briefing_app.services import open_services

    store = tmp_path / "travel.sqlite3"
    services = open_services(store, create=True, passphrase="correct horse")
    services.seed.load()
    services.tracking.set_status("measures", 12, "in progress", note="talks opened")
    build = services.packs.build(
        PackSpec(meeting_id=1, sections=(SectionChoice("cover"), SectionChoice("changes"))),
        tmp_path / "pack.pdf")
    services.close()
    assert build.page_count >= 2
    text = subprocess.run(["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "talks opened" in text
