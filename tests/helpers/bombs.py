"""Hostile attachments built in a few milliseconds: zip and PDF decompression bombs.

Nothing here is committed as a binary: each file is written by the test that
uses it. A megabyte of deflated zeros inflates to a gigabyte; it is made by
compressing one megabyte with a full flush and repeating the flushed block
(after a full flush the compressor starts afresh, so every block is the same).
"""

from __future__ import annotations

import functools
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

MB = 1024 * 1024
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Brussels, 3 March 2024) Tj 0 -20 Td (Dear Minister,) Tj ET"


@functools.cache
def deflated_zeros(megabytes: int) -> bytes:
    """Raw deflate data (no header) of ``megabytes`` MiB of zero bytes."""
    block = bytes(MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (megabytes - 1) + packer.flush()


@functools.cache
def crc_of_zeros(megabytes: int) -> int:
    block, crc = bytes(MB), 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return crc


def zlib_zeros(megabytes: int) -> bytes:
    """``/FlateDecode`` data of zeros (the checksum at the end is never reached)."""
    return b"\x78\xda" + deflated_zeros(megabytes) + b"\0\0\0\0"


# ------------------------------------------------------------------------------- zip

Member = tuple[str, bytes, int, int, int]  # name, packed data, method, declared size, crc


def zip_bytes(members: list[Member]) -> bytes:
    """A zip of members whose data is packed already, with the sizes given."""
    out = io.BytesIO()
    central = []
    for name, data, method, size, crc in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc,
                              len(data), size, len(encoded), 0) + encoded + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21,
                                   crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
                       + encoded)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(directory), start, 0))
    return out.getvalue()


def _deflated(content: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush()


def repacked(document: bytes, part: str, megabytes: int, *, declared: int | None = None) -> bytes:
    """``document`` (a .docx or .xlsx) with ``part`` replaced by ``megabytes`` MiB of zeros,
    declared as that size (or as ``declared`` bytes: a lie)."""
    members: list[Member] = []
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for info in archive.infolist():
            if info.filename == part:
                members.append((part, deflated_zeros(megabytes), 8,
                                megabytes * MB if declared is None else declared,
                                crc_of_zeros(megabytes)))
            else:
                content = archive.read(info)
                members.append((info.filename, _deflated(content), 8, len(content),
                                zlib.crc32(content)))
    return zip_bytes(members)


def word_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Dear Minister,")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["number", "status"])
    sheet.append([1, "done"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def many_parts(count: int) -> bytes:
    return zip_bytes([(f"word/part{n}.xml", b"<a/>", 0, 4, zlib.crc32(b"<a/>"))
                      for n in range(count)])


# ------------------------------------------------------------------------------- PDF


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the numbered objects (1 is the catalog) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, trailer, xref))
    return out.getvalue()


def stream(data: bytes, filters: str = "") -> bytes:
    named = f" /Filter {filters}".encode() if filters else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), named) + data + b"\nendstream"


def pages_pdf(contents: list[bytes], *, page_extra: bytes = b"", extra: tuple[bytes, ...] = (),
              trailer: bytes = b"") -> bytes:
    """One page per content stream (given as the stream object); object 3 is a font,
    ``extra`` objects follow the pages."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(len(contents)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(contents), kids), FONT]
    for n, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R%s >>"
                       % (5 + 2 * n, page_extra))
        objects.append(content)
    return pdf_bytes([*objects, *extra], trailer)


def aes_pdf() -> bytes:
    """A PDF encrypted with AES-256 (revision 6), as Acrobat protects one."""
    def hexed(size: int) -> bytes:
        return b"<" + os.urandom(size).hex().encode() + b">"

    encrypt = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /CF << /StdCF << /CFM /AESV3 "
               b"/AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF /O " + hexed(48)
               + b" /U " + hexed(48) + b" /OE " + hexed(32) + b" /UE " + hexed(32)
               + b" /Perms " + hexed(16) + b" >>")
    identifier = b"<" + b"ab" * 16 + b">"
    return pages_pdf([stream(TEXT)], extra=(encrypt,),
                     trailer=b" /Encrypt 6 0 R /ID [%s %s]" % (identifier, identifier))


def text_pdf(path: Path, *, user_password: str | None = None) -> Path:
    """A real letter page set by ReportLab, encrypted (RC4) if a user password is given."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Brussels, 3 March 2024")
    page.drawString(72, 690, "Dear Minister,")
    page.drawString(72, 660, "Thank you for your letter.")
    page.showPage()
    page.save()
    data = out.getvalue()
    if user_password is not None:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=user_password, owner_password="owner secret",
                       algorithm="RC4-128")
        encrypted = io.BytesIO()
        writer.write(encrypted)
        data = encrypted.getvalue()
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------- XML inside a zip

#: An entity bomb ("billion laughs"): nine levels of ten, a thousand million "lol"s.
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE bomb [<!ENTITY lol0 "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10)
                     for level in range(1, 10)) + b"]>")


def with_part(document: bytes, part: str, content: bytes) -> bytes:
    """``document`` (a .docx or .xlsx) with ``part`` holding ``content`` instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == part
                            else source.read(info))
    return out.getvalue()


def laughing_document() -> bytes:
    body = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            b'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    return with_part(word_document(), "word/document.xml", LAUGHS + body)


def laughing_workbook() -> bytes:
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
             b"</sheetData></worksheet>")
    return with_part(workbook(), "xl/worksheets/sheet1.xml", LAUGHS + sheet)


def fonts_pdf(fonts: int, megabytes: int) -> bytes:
    """One page of text in ``fonts`` fonts, each with a ``/ToUnicode`` map of ``megabytes``
    MiB of zeros (pypdf inflates and keeps every map it reads)."""
    first = 6  # objects 1-5: catalog, pages, font, page, content
    names = b" ".join(b"/G%d %d 0 R" % (n, first + 2 * n) for n in range(fonts))
    content = b"BT " + b"".join(b"/G%d 12 Tf 72 %d Td (Dear Minister,) Tj " % (n, 700 - n)
                                for n in range(fonts)) + b"ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
               FONT, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /Font << /F1 3 0 R %s >> >> /Contents 5 0 R >>" % names,
               stream(content)]
    for n in range(fonts):
        objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>"
                       % (first + 2 * n + 1))
        objects.append(stream(zlib_zeros(megabytes), "/FlateDecode"))
    return pdf_bytes(objects)


def shared_pages_pdf(pages: int) -> bytes:
    """``pages`` pages, each its own small object, all showing one content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids), FONT,
                      stream(TEXT), *[page] * pages])
