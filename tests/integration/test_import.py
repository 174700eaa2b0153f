"""Importing letters: idempotent, all-or-nothing per file, clear about bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing_app.services import open_services
from tests.helpers.cli import cli
from tests.helpers.store import LETTER_000, LETTER_002, SEED_DIR, dump, seed_text


def test_importing_a_seed_letter_again_changes_nothing(seeded_path: Path, tmp_path: Path) -> None:
    before = dump(seeded_path)
    for name in sorted(p.name for p in SEED_DIR.glob("*.txt")):
        copy = tmp_path / f"copy-{name}"
        shutil.copyfile(SEED_DIR / name, copy)
        result = cli("--db", seeded_path, "import", copy)
        assert result.code == 0, result.err
        assert "unchanged (already in the store as letter" in result.out
    assert dump(seeded_path) == before


def test_importing_twice_into_an_empty_store(empty_path: Path) -> None:
    first = cli("--db", empty_path, "import", SEED_DIR / LETTER_002, "--format", "json")
    assert first.code == 0
    [imported] = first.json()
    assert (imported["outcome"], imported["letter_id"]) == ("imported", 1)
    assert imported["message"] == "22 people named"
    after_first = dump(empty_path)
    second = cli("--db", empty_path, "import", SEED_DIR / LETTER_002, "--format", "json")
    assert [r["outcome"] for r in second.json()] == ["unchanged"]
    assert dump(empty_path) == after_first


def test_an_empty_file_is_refused_by_name_and_nothing_changes(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = dump(seeded_path)
    result = cli("--db", seeded_path, "import", empty)
    assert result.code == 1
    assert result.err == f"briefing-app: {empty}: the file is empty\n"
    assert result.out == ""
    assert dump(seeded_path) == before


def test_a_binary_file_is_refused_by_name_and_nothing_changes(seeded_path: Path,
                                                              tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    before = dump(seeded_path)
    result = cli("--db", seeded_path, "import", binary)
    assert result.code == 1
    assert result.err == (f"briefing-app: {binary}: not a text letter "
                          "(the file holds binary data)\n")
    assert dump(seeded_path) == before


def test_a_windows_1252_letter_keeps_its_accented_names(empty_path: Path, tmp_path: Path) -> None:
    text = seed_text(LETTER_002)
    # Windows-1252 has š, í, ä, è, Å and the typographic dash, but not ė or ă:
    # keep the part of the letter it can encode, as an office laptop would save it.
    start = text.index("Yours sincerely,")
    body = (text[:start] + "Yours sincerely,\n\n\n\nMr Vít Rakušan\nMinister of the Interior of "
            "the Czech Republic\n\n\n\nMr Lauri Läänemets\nMinister of Interior of the Republic "
            "of Estonia\n")
    letter = tmp_path / "joint-letter-ansi.txt"
    letter.write_bytes(body.encode("cp1252"))
    result = cli("--db", empty_path, "import", letter)
    assert result.code == 0, result.err
    services = open_services(empty_path, create=False)
    names = {p.name: p for p in services.catalogue.people()}
    detail = services.letters.get(1)
    services.close()
    assert detail.encoding == "cp1252"
    assert "Vít Rakušan" in names and "Lauri Läänemets" in names and "Åsa Webber" in names
    assert names["Vít Rakušan"].country == "Czechia"
    assert "— such as the hybrid attacks" in detail.text


def test_good_and_bad_files_together(empty_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = cli("--db", empty_path, "import", SEED_DIR / LETTER_000, bad)
    assert result.code == 1
    assert "imported as letter 1" in result.out
    assert result.err == f"briefing-app: {bad}: not a text letter (the file holds binary data)\n"
    services = open_services(empty_path, create=False)
    assert [x.source_name for x in services.letters.list()] == [LETTER_000]
    services.close()
