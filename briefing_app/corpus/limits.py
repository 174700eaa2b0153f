"""How far a letter or a table may inflate: decompression bombs are refused by name.

A Word document and an Excel workbook are zip files; a PDF holds compressed
streams. A file of one megabyte can inflate to gigabytes, so every reader gets
limits before it opens the file:

* a zip (``.docx``, ``.xlsx``) is inspected first (:func:`check_zip`): the
  number of its parts, the sizes its central directory declares, and how much
  each part inflates against its packed size. Declared sizes can lie, so each
  part is then inflated for real, a chunk at a time and thrown away, and
  refused the moment it grows past what was declared or past the limit;
  python-docx and openpyxl only open a file that passed.
* a PDF is read under tighter pypdf limits (:func:`guard_pdf`): each stream
  may inflate to :data:`MAX_PDF_STREAM`, and before any text is extracted the
  pages are counted and their content streams (and the forms they draw)
  inflated one by one and measured, so the whole document's content and its
  number of pieces of text are bounded too. pypdf's own limit errors, a
  recursion too deep, and any other failure inside pypdf or python-docx end as
  one :class:`~briefing_app.errors.InvalidInput` line naming the file.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from briefing_app.errors import InvalidInput, UserError

MB = 1024 * 1024

MAX_LETTER_INFLATED = 200 * MB
"""What all the parts of a Word letter may inflate to together."""
MAX_TABLE_INFLATED = 100 * MB
"""What all the parts of an Excel table may inflate to together (openpyxl holds every cell)."""
MAX_ZIP_MEMBERS = 1_000
"""How many parts a .docx or .xlsx may hold (a letter has a few dozen)."""
MAX_ZIP_RATIO = 100
"""How many times its packed size a part may inflate to (text XML packs 5 to 20 times)."""
MAX_ZIP_DIRECTORY = 1 * MB
"""How large a zip's central directory may be (zipfile makes an object of every entry)."""
ZIP_RATIO_GRACE = 1 * MB
"""Parts smaller than this inflated are not held to :data:`MAX_ZIP_RATIO`."""
ZIP_CHUNK = 1 * MB
"""How much of a part is inflated at a time while it is measured."""

MAX_PDF_PAGES = 2_000
"""How many pages a PDF letter may have."""
MAX_PDF_STREAM = 20 * MB
"""What one stream of a PDF may inflate to (pypdf refuses more)."""
MAX_PDF_CONTENT = 50 * MB
"""What the content streams of all the pages may inflate to together (a page holds ~10 KB)."""
MAX_PDF_TEXT_RUNS = 200_000
"""How many text-showing operations all the pages may hold together (each becomes an object)."""
MAX_PDF_TOKENS = 2_000_000
"""About how many operands and operators all the pages may hold (pypdf parses ~100,000/s)."""
MAX_PDF_FORM_USES = 200
"""How many forms (``/XObject``) a page may draw while its text is extracted."""
MAX_PDF_PARSING_WORK = 200_000
"""How many operands and operators pypdf may parse in one content stream."""
MAX_PDF_FORM_DEPTH = 12
"""How deep forms drawn inside forms are followed when a page's content is measured."""

_TEXT_OPERATORS = (b"Tj", b"TJ", b"'", b'"')
#: A content stream's white space and delimiters as spaces, all else as ``x``: each
#: `` x`` in it is where a token starts.
_TOKEN_STARTS = bytes(0x20 if byte in b" \n\r\t\x00\x0c[]()<>{}/%" else 0x78
                      for byte in range(256))

# pypdf reports what it repairs as log warnings; with no handler configured Python
# would print each on stderr, around the one line a refusal is
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def _megabytes(size: int) -> str:
    return f"{size // MB} MB"


@dataclass(frozen=True)
class ZipKind:
    """What a zip file is to the person importing it, for the messages."""

    noun: str  # "letter", "table": "the limit for a letter"
    limit: int
    unreadable: str  # "not a Word document that can be read"


LETTER_ZIP = ZipKind("letter", MAX_LETTER_INFLATED, "not a Word document that can be read")
TABLE_ZIP = ZipKind("table", MAX_TABLE_INFLATED,
                    "not an Excel workbook (.xlsx) that can be read")


# ------------------------------------------------------------------------------- zip


def check_zip(data: bytes, name: str, kind: ZipKind) -> None:
    """Refuse a zip (``.docx``/``.xlsx``) that holds too many parts or inflates too far.

    Checks the central directory, then inflates every part for real without
    keeping it (:data:`ZIP_CHUNK` at a time). Bytes that are no zip at all
    pass: the reader refuses them in its own words.
    """
    try:
        if _directory_size(data) > MAX_ZIP_DIRECTORY:
            raise InvalidInput(f"{name}: refused: its zip directory is larger than "
                               f"{_megabytes(MAX_ZIP_DIRECTORY)} (the limit for a {kind.noun})")
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InvalidInput(f"{name}: refused: it holds {len(members):,} parts, more than "
                               f"{MAX_ZIP_MEMBERS:,} (the limit for a {kind.noun})")
        if sum(m.file_size for m in members) > kind.limit:
            raise _too_large(name, kind)
        for member in members:
            if _ratio_exceeded(member.file_size, member.compress_size):
                raise _too_packed(name, kind, member)
        inflated = 0
        for member in members:
            inflated += _inflate(archive, member, name, kind, kind.limit - inflated)


def _directory_size(data: bytes) -> int:
    """The size the zip's end record gives its central directory (0 without one).

    zipfile reads that many bytes and makes a ZipInfo of every entry in them, so
    the size is checked before :class:`zipfile.ZipFile` is opened.
    """
    end_record = getattr(zipfile, "_EndRecData", None)  # zipfile's own finder, since 2.x
    if end_record is None:  # pragma: no cover (another Python): the count below still holds
        return 0
    record = end_record(io.BytesIO(data))
    return int(record[5]) if record else 0  # zipfile._ECD_SIZE


def _too_large(name: str, kind: ZipKind) -> InvalidInput:
    return InvalidInput(f"{name}: refused: its content would inflate past "
                        f"{_megabytes(kind.limit)} (the limit for a {kind.noun})")


def _too_packed(name: str, kind: ZipKind, member: zipfile.ZipInfo) -> InvalidInput:
    return InvalidInput(f"{name}: refused: its part {member.filename} would inflate more than "
                        f"{MAX_ZIP_RATIO} times its packed size (the limit for a {kind.noun})")


def _ratio_exceeded(inflated: int, packed: int) -> bool:
    return inflated > ZIP_RATIO_GRACE and inflated > MAX_ZIP_RATIO * max(packed, 1)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, kind: ZipKind,
             budget: int) -> int:
    """How many bytes ``member`` really inflates to; refuses it past its declared size."""
    if member.is_dir():
        return 0
    probe = copy.copy(member)
    # zipfile stops at the declared size; claim more, to see what the data really holds
    probe.file_size = max(member.file_size, budget) + 1
    inflated = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(ZIP_CHUNK):
                inflated += len(chunk)
                if inflated > member.file_size:
                    raise InvalidInput(
                        f"{name}: refused: its part {member.filename} inflates past the size "
                        "the file declares for it (a decompression bomb?)")
                if inflated > budget:
                    raise _too_large(name, kind)
                if _ratio_exceeded(inflated, member.compress_size):
                    raise _too_packed(name, kind, member)
    except UserError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
            ValueError, zlib.error) as exc:
        raise InvalidInput(f"{name}: {kind.unreadable} (the file is damaged: its part "
                           f"{member.filename} cannot be unpacked)") from exc
    return inflated


# ------------------------------------------------------------------- errors of readers


def _raised_in(exc: BaseException, packages: tuple[str, ...]) -> bool:
    """True if the innermost frame of ``exc``'s traceback is in one of ``packages``."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = str(tb.tb_frame.f_globals.get("__name__", ""))
    return any(module == p or module.startswith(p + ".") for p in packages)


def _one_line(exc: UserError) -> UserError:
    if "\n" not in exc.message:
        return exc
    folded = InvalidInput(" ".join(exc.message.split()))
    folded.__cause__ = exc.__cause__
    return folded


def _too_deep(name: str) -> InvalidInput:
    return InvalidInput(f"{name}: refused: its objects are nested too deeply to be read")


@contextmanager
def _reader_errors(name: str, unreadable: str, packages: tuple[str, ...]) -> Iterator[None]:
    """Failures of a document reader on a hostile file as one line naming the file.

    A recursion too deep or memory run out is the file's doing; any other
    exception raised inside ``packages`` is damage the reader did not name.
    An exception raised in our own code stays what it is: a bug.
    """
    try:
        yield
    except UserError as exc:
        folded = _one_line(exc)
        if folded is exc:
            raise
        raise folded from exc.__cause__
    except RecursionError as exc:
        raise _too_deep(name) from exc
    except MemoryError as exc:
        raise InvalidInput(f"{name}: refused: too large to be read in memory") from exc
    except Exception as exc:
        if not _raised_in(exc, packages):
            raise
        raise InvalidInput(f"{name}: {unreadable} (the file is damaged: "
                           f"{type(exc).__name__})") from exc


Reader = Callable[[bytes, str], str]
T = TypeVar("T")


def guard_docx(read: Reader) -> Reader:
    """``read`` (a Word reader) behind :func:`check_zip` and one-line errors."""

    @functools.wraps(read)
    def guarded(data: bytes, name: str) -> str:
        with _reader_errors(name, LETTER_ZIP.unreadable, ("docx", "lxml")):
            check_zip(data, name, LETTER_ZIP)
            return read(data, name)

    return guarded


def guard_xlsx(read: Callable[[bytes, str], T]) -> Callable[[bytes, str], T]:
    """``read`` (an Excel reader) behind :func:`check_zip` and one-line errors (openpyxl's
    XML parser refuses an entity bomb with a ParseError, which then names the file)."""

    @functools.wraps(read)
    def guarded(data: bytes, name: str) -> T:
        with _reader_errors(name, TABLE_ZIP.unreadable, ("openpyxl", "xml", "et_xmlfile")):
            check_zip(data, name, TABLE_ZIP)
            return read(data, name)

    return guarded


# ------------------------------------------------------------------------------- PDF

PDF_UNREADABLE = "not a PDF that can be read"


def _pdf_configuration() -> Any:
    from pypdf import apply_configuration

    # what a stream declares it holds packed stays pypdf's (the file is at most 50 MB);
    # what it may inflate to is ours
    return apply_configuration(
        array_based_stream_maximum_output_length=MAX_PDF_STREAM,
        jbig2_maximum_output_length=MAX_PDF_STREAM,
        lzw_maximum_output_length=MAX_PDF_STREAM,
        run_length_maximum_output_length=MAX_PDF_STREAM,
        zlib_maximum_output_length=MAX_PDF_STREAM,
        brotli_maximum_output_length=MAX_PDF_STREAM,
        image_maximum_buffer_size=MAX_PDF_STREAM,
        stream_decoding_work_maximum_length=4 * MAX_PDF_STREAM,
        stream_parsing_work_maximum_count=MAX_PDF_PARSING_WORK,
        xform_maximum_invocations_per_extraction=MAX_PDF_FORM_USES,
        # nodes of the page tree (pages and the /Pages above them), and their entries
        page_tree_maximum_entries=2 * MAX_PDF_PAGES,
        page_tree_maximum_page_entries=100 * MAX_PDF_PAGES,
    )


def guard_pdf(read: Reader) -> Reader:
    """``read`` (a PDF reader) under the PDF limits, after :func:`check_pdf`."""

    @functools.wraps(read)
    def guarded(data: bytes, name: str) -> str:
        from pypdf.errors import DependencyError, LimitReachedError

        with _reader_errors(name, PDF_UNREADABLE, ("pypdf",)), _pdf_configuration():
            try:
                check_pdf(data, name)
                return read(data, name)
            except DependencyError as exc:  # AES needs the cryptography package
                raise InvalidInput(f"{name}: the PDF is encrypted in a way this installation "
                                   "cannot open; ask for a copy without protection") from exc
            except LimitReachedError as exc:
                detail = " ".join(str(exc).split()).rstrip(".")
                raise InvalidInput(f"{name}: refused: the PDF goes past a limit of its "
                                   f"reader ({detail})") from exc

    return guarded


@dataclass
class _Measure:
    """What a PDF's pages add up to while :func:`check_pdf` measures them."""

    name: str
    content: int = 0
    text_runs: int = 0
    tokens: int = 0

    def add(self, content: int, text_runs: int, tokens: int) -> None:
        self.content += content
        self.text_runs += text_runs
        self.tokens += tokens
        if self.content > MAX_PDF_CONTENT:
            raise InvalidInput(f"{self.name}: refused: its pages would inflate past "
                               f"{_megabytes(MAX_PDF_CONTENT)} of content (the limit for a "
                               "letter)")
        if self.text_runs > MAX_PDF_TEXT_RUNS:
            raise InvalidInput(f"{self.name}: refused: its pages hold more than "
                               f"{MAX_PDF_TEXT_RUNS:,} pieces of text (the limit for a "
                               "letter)")
        if self.tokens > MAX_PDF_TOKENS:
            raise InvalidInput(f"{self.name}: refused: its pages hold more than "
                               f"{MAX_PDF_TOKENS:,} drawing instructions (the limit for a "
                               "letter)")


def check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF with too many pages, or whose pages inflate too far.

    Run under the PDF limits (inside :func:`guard_pdf`). Each content stream,
    and each form a page draws, is inflated on its own and thrown away; a form
    counts once for every use (up to :data:`MAX_PDF_FORM_USES`). An encrypted
    PDF that does not open with an empty password is left to the reader to refuse.
    """
    from pypdf.errors import PdfReadError

    try:
        _measure_pdf(data, name)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:  # as the reader words them
        if isinstance(exc.__cause__ or exc.__context__, RecursionError):
            raise _too_deep(name) from exc  # pypdf words it "Error reading PDF file."
        raise InvalidInput(f"{name}: {PDF_UNREADABLE} ({exc})") from exc


def _measure_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        return
    try:
        pages = len(reader.pages)
    except LimitReachedError as exc:  # the page tree holds more than twice the pages
        if "page tree" not in str(exc):
            raise
        pages = 2 * MAX_PDF_PAGES + 1
    if pages > MAX_PDF_PAGES:
        raise InvalidInput(f"{name}: refused: it has more than {MAX_PDF_PAGES:,} pages "
                           "(the limit for a letter)")
    measure = _Measure(name)
    sizes: dict[int, Sizes] = {}  # id of a form -> its sizes
    fonts: set[int] = set()  # ids of the font streams measured (pypdf keeps each it reads)
    for page in reader.pages:
        streams = [_measure_stream(s, name) for s in _content_streams(page.get("/Contents"))]
        resources = [page.get("/Resources")]
        forms = list(_forms(resources[0], name, sizes, depth=0, found=resources))
        # a page's own content, and its biggest form once for every form it may draw
        uses = min(sum(s[3] for s in streams + forms), MAX_PDF_FORM_USES) if forms else 0
        content, runs, tokens = (sum(s[i] for s in streams)
                                 + uses * max((f[i] for f in forms), default=0)
                                 for i in range(3))
        measure.add(content, runs, tokens)
        for font_resources in resources:  # the fonts' maps and programs, once a document
            for font_stream in _font_streams(font_resources, fonts):
                measure.add(len(_inflated(font_stream, name)), 0, 0)


def _content_streams(contents: Any) -> Iterator[Any]:
    from pypdf.generic import ArrayObject, StreamObject

    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, StreamObject):
        yield contents
    elif isinstance(contents, ArrayObject):
        for item in contents:
            item = item.get_object()
            if isinstance(item, StreamObject):
                yield item


Sizes = tuple[int, int, int, int]
"""(inflated bytes, text-showing operations, tokens, forms or images drawn) of a stream."""


def _inflated(stream: Any, name: str) -> bytes:
    """The data of ``stream``, inflated without pypdf keeping it."""
    from pypdf.errors import LimitReachedError
    from pypdf.filters import decode_stream_data

    try:
        content = decode_stream_data(stream) if "/Filter" in stream else stream.get_data()
    except LimitReachedError as exc:
        raise InvalidInput(f"{name}: refused: a stream in it would inflate past "
                           f"{_megabytes(MAX_PDF_STREAM)} (the limit for one stream of a "
                           "letter)") from exc
    return content.encode("latin-1", "replace") if isinstance(content, str) else content


def _measure_stream(stream: Any, name: str) -> Sizes:
    """The :data:`Sizes` of one stream, inflated and then thrown away."""
    content = _inflated(stream, name)
    runs = sum(content.count(op) for op in _TEXT_OPERATORS)
    return len(content), runs, _tokens(content), content.count(b"Do")


def _tokens(content: bytes) -> int:
    """About how many tokens (operands and operators) a content stream holds."""
    return (b" " + content).translate(_TOKEN_STARTS).count(b" x")


def _resolved(value: Any) -> Any:
    return value.get_object() if value is not None else None


def _forms(resources: Any, name: str, sizes: dict[int, Sizes], depth: int,
           found: list[Any], seen: set[int] | None = None) -> Iterator[Sizes]:
    """The :data:`Sizes` of every form the resources hold, nested ones too.

    ``sizes`` keeps each form's measure for the pages after; ``found`` gets the
    resources of every form; ``seen`` holds the forms of this page already
    followed (a form that draws itself is followed once).
    """
    from pypdf.generic import DictionaryObject, StreamObject

    seen = set() if seen is None else seen
    resources = _resolved(resources)
    if depth > MAX_PDF_FORM_DEPTH or not isinstance(resources, DictionaryObject):
        return
    xobjects = _resolved(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for reference in xobjects.values():
        form = _resolved(reference)
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            continue
        key = id(form)
        if key in seen:
            continue
        seen.add(key)
        if key not in sizes:
            sizes[key] = _measure_stream(form, name)
        yield sizes[key]
        found.append(form.get("/Resources"))
        yield from _forms(form.get("/Resources"), name, sizes, depth + 1, found, seen)


def _font_streams(resources: Any, measured: set[int]) -> Iterator[Any]:
    """The streams text extraction inflates for the fonts of ``resources`` (``/ToUnicode``
    maps, ``/Encoding`` CMaps, embedded font programs) not yet in ``measured``."""
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    resources = _resolved(resources)
    fonts = _resolved(resources.get("/Font")) if isinstance(resources, DictionaryObject) \
        else None
    if not isinstance(fonts, DictionaryObject):
        return
    for font in fonts.values():
        font = _resolved(font)
        if not isinstance(font, DictionaryObject):
            continue
        descendants = _resolved(font.get("/DescendantFonts"))
        parts = [font, *(_resolved(d) for d in descendants)] \
            if isinstance(descendants, ArrayObject) else [font]
        for part in parts:
            if not isinstance(part, DictionaryObject):
                continue
            descriptor = _resolved(part.get("/FontDescriptor"))
            candidates = [part.get("/ToUnicode"), part.get("/Encoding")]
            if isinstance(descriptor, DictionaryObject):
                candidates += [descriptor.get(key)
                               for key in ("/FontFile", "/FontFile2", "/FontFile3")]
            for candidate in map(_resolved, candidates):
                if isinstance(candidate, StreamObject) and id(candidate) not in measured:
                    measured.add(id(candidate))
                    yield candidate
