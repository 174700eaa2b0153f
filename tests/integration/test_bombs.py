"""Hostile attachments: a decompression bomb, a damaged, encrypted or empty PDF, and a
file that trips one of the PDF reader's own limits are each refused in one line naming
the file, by the real command line in a child process, which stays small and leaves the
store as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing_app.corpus import limits
from tests.helpers import bombs
from tests.helpers.bombs import MB, TEXT, pages_pdf, stream
from tests.helpers.cli import REPO, Result
from tests.helpers.store import dump

#: The most a child may grow to while it refuses a bomb.
PEAK_LIMIT_MB = 400

#: Runs the command line, then writes the process's peak resident size (kB) to $PEAK_FILE:
#: VmHWM, the high-water mark of this program's memory (ru_maxrss would count the size of
#: the pytest process the child was forked from).
MEASURED = """\
import atexit, os, runpy, sys
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["PEAK_FILE"], "w") as handle:
        handle.write(peak)
atexit.register(report)
sys.argv = ["briefing-app", *sys.argv[1:]]
runpy.run_module("briefing_app", run_name="__main__")
"""

#: What each refusal took, printed at the end of the run (pytest -s, or -rA).
MEASURES: list[str] = []


def measured_cli(tmp_path: Path, *args: str | Path) -> tuple[Result, float]:
    """``python -m briefing_app ARGS`` in a child process: its result and peak size in MB."""
    peak_file = tmp_path / "peak.txt"
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", MEASURED, *[str(a) for a in args]], capture_output=True,
        text=True, cwd=REPO, timeout=120,
        env={**os.environ, "PEAK_FILE": str(peak_file), "PYTHONPATH": str(REPO)})
    elapsed = time.monotonic() - started
    peak = int(peak_file.read_text()) / 1024
    file = next(a for a in args if isinstance(a, Path) and a.suffix != ".sqlite3")
    MEASURES.append(f"{file.name}: peak {peak:.0f} MB, {elapsed:.1f} s")
    return Result(completed.returncode, completed.stdout, completed.stderr), peak


def store_state(path: Path) -> tuple[dict[str, str], dict[str, list[tuple[object, ...]]]]:
    """SHA-256 of the store file (and of its write-ahead log where it holds anything),
    and every row of every table."""
    files = {suffix: Path(f"{path}{suffix}") for suffix in ("", "-wal")}
    digests = {suffix: hashlib.sha256(file.read_bytes()).hexdigest()
               for suffix, file in files.items() if file.exists() and file.stat().st_size}
    return digests, dump(path)


def refused(tmp_path: Path, store: Path, command: tuple[str, ...], path: Path,
            message: str) -> float:
    """Run ``command path``; check the one-line refusal, exit 1, and the untouched store."""
    before = store_state(store)
    result, peak = measured_cli(tmp_path, "--db", store, *command, path)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"briefing-app: {path}: {message}\n"
    assert store_state(store) == before
    return peak


@pytest.fixture(scope="module", autouse=True)
def _report_measures() -> Iterator[None]:
    yield None
    if MEASURES:
        print("\n" + "\n".join(MEASURES))


# ------------------------------------------------------------------------- zip bombs

LETTER_LIMIT = "its content would inflate past 200 MB (the limit for a letter)"
TABLE_LIMIT = "its content would inflate past 100 MB (the limit for a table)"


def docx_bomb() -> bytes:
    return bombs.repacked(bombs.word_document(), "word/document.xml", 2048)


def xlsx_bomb() -> bytes:
    return bombs.repacked(bombs.workbook(), "xl/worksheets/sheet1.xml", 2048)


@pytest.mark.parametrize(("name", "build", "command", "message"), [
    ("bomb.docx", docx_bomb, ("import",), f"refused: {LETTER_LIMIT}"),
    ("bomb.xlsx", xlsx_bomb, ("import-table", "measures"), f"refused: {TABLE_LIMIT}"),
    # the central directory lies: 4,000 bytes declared, 2 GB inside
    ("liar.docx", lambda: bombs.repacked(bombs.word_document(), "word/document.xml", 2048,
                                         declared=4000), ("import",),
     "refused: its part word/document.xml inflates past the size the file declares for it "
     "(a decompression bomb?)"),
    ("liar.xlsx", lambda: bombs.repacked(bombs.workbook(), "xl/worksheets/sheet1.xml", 2048,
                                         declared=4000), ("import-table", "measures"),
     "refused: its part xl/worksheets/sheet1.xml inflates past the size the file declares "
     "for it (a decompression bomb?)"),
    # within the size limit, but packed a thousand to one
    ("packed.docx", lambda: bombs.repacked(bombs.word_document(), "word/document.xml", 50),
     ("import",), "refused: its part word/document.xml would inflate more than 100 times "
                  "its packed size (the limit for a letter)"),
    ("parts.xlsx", lambda: bombs.many_parts(1001), ("import-table", "measures"),
     "refused: it holds 1,001 parts, more than 1,000 (the limit for a table)"),
    # refused before zipfile makes an object of each of its 40,000 entries
    ("directory.docx", lambda: bombs.many_parts(40_000), ("import",),
     "refused: its zip directory is larger than 1 MB (the limit for a letter)"),
])
def test_a_zip_bomb_is_refused_in_one_line(tmp_path: Path, seeded_path: Path, name: str,
                                           build: Callable[[], bytes],
                                           command: tuple[str, ...], message: str) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    if name.startswith("bomb"):
        assert path.stat().st_size < 3 * MB  # about 2 MB on disk, 2 GB inflated
    peak = refused(tmp_path, seeded_path, command, path, message)
    assert peak < PEAK_LIMIT_MB


@pytest.mark.parametrize(("name", "build", "command", "message"), [
    ("laughs.docx", bombs.laughing_document, ("import",),
     "not a Word document that can be read (the file is damaged: XMLSyntaxError)"),
    ("laughs.xlsx", bombs.laughing_workbook, ("import-table", "measures"),
     "not an Excel workbook (.xlsx) that can be read (the file is damaged: ParseError)"),
    ("broken.xlsx", lambda: bombs.with_part(bombs.workbook(), "xl/worksheets/sheet1.xml",
                                            b"<worksheet><sheetData><row"),
     ("import-table", "measures"),
     "not an Excel workbook (.xlsx) that can be read (the file is damaged: ParseError)"),
])
def test_an_entity_bomb_or_broken_xml_is_refused_in_one_line(
        tmp_path: Path, seeded_path: Path, name: str, build: Callable[[], bytes],
        command: tuple[str, ...], message: str) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    assert refused(tmp_path, seeded_path, command, path, message) < PEAK_LIMIT_MB


def test_the_bombs_really_inflate_to_gigabytes() -> None:
    """The zip bombs are what they claim: the zeros inside inflate to 2 GB."""
    packed = bombs.deflated_zeros(2048)
    assert len(packed) < 3 * MB
    inflater, size, rest = zlib.decompressobj(-15), 0, packed
    while rest:
        size += len(inflater.decompress(rest, 64 * MB))
        rest = inflater.unconsumed_tail
    assert size == 2048 * MB


def test_an_honest_letter_and_table_still_pass_the_zip_checks() -> None:
    limits.check_zip(bombs.word_document(), "letter.docx", limits.LETTER_ZIP)
    limits.check_zip(bombs.workbook(), "table.xlsx", limits.TABLE_ZIP)
    limits.check_zip(b"PK\x03\x04 but not a zip", "broken.docx", limits.LETTER_ZIP)


# ------------------------------------------------------------------------- PDF bombs

STREAM_LIMIT = "refused: a stream in it would inflate past 20 MB (the limit for one stream " \
               "of a letter)"


def pdf_bombs() -> list[tuple[str, Callable[[], bytes], str]]:
    return [
        # one FlateDecode content stream: 1 MB on disk, 1 GB inflated
        ("bomb.pdf", lambda: pages_pdf([stream(bombs.zlib_zeros(1024), "/FlateDecode")]),
         STREAM_LIMIT),
        # deflated twice: 20 kB on disk, 8 GB inflated
        ("twice.pdf", lambda: pages_pdf([stream(zlib.compress(bombs.zlib_zeros(8192), 9),
                                                "[/FlateDecode /FlateDecode]")]),
         STREAM_LIMIT),
        # four pages of 15 MB each: every stream within its limit, the letter not
        ("pages.pdf", lambda: pages_pdf([stream(bombs.zlib_zeros(15), "/FlateDecode")] * 4),
         "refused: its pages would inflate past 50 MB of content (the limit for a letter)"),
        # fifty fonts with a /ToUnicode map of 19 MB each: 1 MB on disk, 950 MB inflated
        ("fonts.pdf", lambda: bombs.fonts_pdf(50, 19),
         "refused: its pages would inflate past 50 MB of content (the limit for a letter)"),
        ("runs.pdf", lambda: pages_pdf([stream(zlib.compress(
            b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 250_000 + b"ET", 9), "/FlateDecode")]),
         "refused: its pages hold more than 200,000 pieces of text (the limit for a letter)"),
        ("drawing.pdf", lambda: pages_pdf([stream(zlib.compress(b"0 0 m " * 60_000, 9),
                                                  "/FlateDecode")] * 12),
         "refused: its pages hold more than 2,000,000 drawing instructions (the limit for a "
         "letter)"),
        ("thick.pdf", lambda: pages_pdf([stream(TEXT)] * 2001),
         "refused: it has more than 2,000 pages (the limit for a letter)"),
        # 90,000 pages in 14 MB: refused before pypdf has made an object of each
        ("thicker.pdf", lambda: bombs.shared_pages_pdf(90_000),
         "refused: it has more than 2,000 pages (the limit for a letter)"),
    ]


@pytest.mark.parametrize(("name", "build", "message"), pdf_bombs(),
                         ids=[b[0] for b in pdf_bombs()])
def test_a_pdf_bomb_is_refused_in_one_line(tmp_path: Path, seeded_path: Path, name: str,
                                           build: Callable[[], bytes], message: str) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    if name == "bomb.pdf":
        assert path.stat().st_size < 2 * MB
    peak = refused(tmp_path, seeded_path, ("import",), path, message)
    assert peak < PEAK_LIMIT_MB


# -------------------------------------------------------------------- hostile PDFs


def nested_arrays() -> bytes:
    return pages_pdf([stream(TEXT)], page_extra=b" /Deep " + b"[" * 5000 + b"]" * 5000)


@pytest.mark.parametrize(("name", "build", "message"), [
    ("garbage.pdf", lambda tmp: (tmp / "garbage.pdf").write_bytes(
        b"%PDF-1.4\n" + bytes(range(256)) * 20),
     "not a PDF that can be read (Stream has ended unexpectedly)"),
    ("truncated.pdf", lambda tmp: (tmp / "truncated.pdf").write_bytes(
        bombs.text_pdf(tmp / "whole.pdf").read_bytes()[:700]),
     "not a PDF that can be read (Stream has ended unexpectedly)"),
    ("locked.pdf", lambda tmp: bombs.text_pdf(tmp / "locked.pdf", user_password="secret"),
     "the PDF is protected by a password"),
    ("aes.pdf", lambda tmp: (tmp / "aes.pdf").write_bytes(bombs.aes_pdf()),
     "the PDF is encrypted in a way this installation cannot open; ask for a copy without "
     "protection"),
    ("blank.pdf", lambda tmp: (tmp / "blank.pdf").write_bytes(
        pages_pdf([stream(b"0 0 m 100 100 l S")])),
     "no text layer in this PDF (a scanned image?); import a text-based PDF or the original "
     "Word file"),
    # pypdf's own LimitReachedError: more tokens in one content stream than it parses
    ("tokens.pdf", lambda tmp: (tmp / "tokens.pdf").write_bytes(pages_pdf([stream(
        zlib.compress(b"0 0 m " * 70_000, 9), "/FlateDecode")])),
     "refused: the PDF goes past a limit of its reader (Reached maximum number of tokens "
     "per stream)"),
    # pypdf's RecursionError, which it words "Error reading PDF file."
    ("nested.pdf", lambda tmp: (tmp / "nested.pdf").write_bytes(nested_arrays()),
     "refused: its objects are nested too deeply to be read"),
])
def test_a_hostile_pdf_ends_in_one_line(tmp_path: Path, seeded_path: Path, name: str,
                                        build: Callable[[Path], object], message: str) -> None:
    build(tmp_path)
    refused(tmp_path, seeded_path, ("import",), tmp_path / name, message)


def test_a_pdf_locked_only_against_changes_is_read(tmp_path: Path, seeded_path: Path) -> None:
    """An empty user password (an owner password only stops printing or copying) opens
    in every reader without asking: the letter is imported."""
    path = bombs.text_pdf(tmp_path / "owner-only.pdf", user_password="")
    result, _ = measured_cli(tmp_path, "--db", seeded_path, "import", path, "--format",
                             "json")
    assert (result.code, result.err) == (0, "")
    assert [r["outcome"] for r in result.json()] == ["imported"]
