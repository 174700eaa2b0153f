"""Render the five bundled seed letters (db/seed/*.txt) as a person receives them.

The seed letters are markdown-ish text (``**bold**``, ``# heading``,
``1.`` and ``-`` lists). Letters arrive as plain text, Word files and PDFs,
so each seed letter is written out here as:

* ``seed-NNN.txt``: plain text without any markdown, hard-wrapped at 72
  columns, list numbers kept, bullets as "•", a blank line between paragraphs;
* ``seed-002-noblank.txt`` (the 15-minister joint letter only): the same
  without blank lines between paragraphs;
* ``seed-NNN.docx`` (python-docx): real bold and italic runs, real heading
  styles ("Heading 1"…), real "List Number" / "List Bullet" paragraphs whose
  numbers come from the numbering definitions (no number is typed);
* ``seed-NNN.pdf`` (ReportLab canvas): DejaVu Serif, bold faces for bold, larger
  type for headings, a running header and page numbers in the footer, and long
  words hyphenated at some line ends;
* ``seed-NNN.md``: the seed text itself, byte for byte (the baseline).

Every rendering of seed letter NNN has the truth ``seed-NNN.truth.json``
(see :func:`truth_name`). The output is deterministic: the same bytes for the
same seed (the .docx and .pdf carry fixed metadata dates).

Usage: ``python tests/corpus/render_seed.py OUT_DIR`` (prints the files written).
"""

from __future__ import annotations

import io
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "db" / "seed"
WIDTH = 72

#: seed letter number -> its file in db/seed
SEED_FILES = {f.name[:3]: f for f in sorted(SEED.glob("[0-9][0-9][0-9]_*.txt"))}


def truth_name(rendered: str) -> str:
    """The truth file of a rendered file: ``seed-002-noblank.txt`` -> ``seed-002.truth.json``."""
    match = re.match(r"(seed-\d{3})", rendered)
    if not match:
        raise ValueError(f"{rendered}: not a rendering of a seed letter")
    return f"{match.group(1)}.truth.json"


# --------------------------------------------------------------------------- the model


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """A paragraph, heading or list item; ``lines`` are its hard lines, each a list of runs."""

    kind: str  # "para" | "heading" | "number" | "bullet"
    lines: list[list[Run]] = field(default_factory=list)
    level: int = 0  # heading level (1..), bullet nesting (0..)
    number: int | None = None
    gap_before: bool = True  # starts a new paragraph group (blank line before it in the seed)

    def plain_lines(self) -> list[str]:
        return ["".join(r.text for r in line) for line in self.lines]


def inline_runs(text: str) -> list[Run]:
    """``*a **b** c*`` -> runs; each marker toggles its emphasis."""
    runs: list[Run] = []
    bold = italic = False
    for piece in re.split(r"(\*{1,3})", text):
        if not piece:
            continue
        if set(piece) == {"*"}:
            if len(piece) in (1, 3):
                italic = not italic
            if len(piece) in (2, 3):
                bold = not bold
            continue
        runs.append(Run(piece, bold, italic))
    return runs


_NUMBER = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^(\s*)-\s+(.*)$")
_HEADING = re.compile(r"^(#+)\s+(.*)$")


def parse_seed(text: str) -> list[Block]:
    blocks: list[Block] = []
    for group in re.split(r"\n\s*\n", text.strip("\n")):
        lines = [ln.rstrip() for ln in group.split("\n") if ln.strip()]
        first_in_group = True
        current: Block | None = None
        for line in lines:
            heading = _HEADING.match(line)
            number = _NUMBER.match(line)
            bullet = _BULLET.match(line)
            if heading:
                current = Block("heading", [inline_runs(heading.group(2))],
                                level=len(heading.group(1)))
            elif number:
                current = Block("number", [inline_runs(number.group(2))],
                                number=int(number.group(1)))
            elif bullet:
                current = Block("bullet", [inline_runs(bullet.group(2))],
                                level=len(bullet.group(1)) // 2)
            elif current is not None and current.kind == "para":
                current.lines.append(inline_runs(line.strip()))
                continue
            else:
                current = Block("para", [inline_runs(line.strip())])
            current.gap_before = first_in_group
            first_in_group = False
            blocks.append(current)
    for block in blocks:  # no run may be empty of text but spaces at a line's ends
        for line in block.lines:
            if line:
                line[0].text = line[0].text.lstrip()
                line[-1].text = line[-1].text.rstrip()
    return blocks


# --------------------------------------------------------------------------- plain text


def plain_text(blocks: list[Block], *, blank_lines: bool = True) -> str:
    out: list[str] = []
    for block in blocks:
        if blank_lines and out and block.gap_before:
            out.append("")
        if block.kind == "number":
            prefix, indent = f"{block.number}. ", " " * len(f"{block.number}. ")
        elif block.kind == "bullet":
            prefix = "   " * block.level + "• "
            indent = " " * len(prefix)
        else:
            prefix = indent = ""
        for i, line in enumerate(block.plain_lines()):
            out.extend(textwrap.wrap(line, WIDTH, initial_indent=prefix if i == 0 else indent,
                                     subsequent_indent=indent, break_long_words=False,
                                     break_on_hyphens=False) or [""])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- Word


def write_docx(blocks: list[Block], path: Path) -> None:
    from datetime import datetime

    import docx

    document = docx.Document()
    props = document.core_properties
    props.author, props.title = "Briefing App corpus", path.stem
    props.created = props.modified = datetime(2024, 1, 1)
    props.last_modified_by, props.revision = "render_seed", 1
    expected = 1
    for block in blocks:
        if block.kind == "heading":
            paragraph = document.add_paragraph(style=f"Heading {min(block.level - 1, 3) or 1}")
        elif block.kind == "number":
            if block.number != expected:
                raise ValueError(f"{path.name}: list numbers jump to {block.number}")
            expected += 1
            paragraph = document.add_paragraph(style="List Number")
        elif block.kind == "bullet":
            paragraph = document.add_paragraph(
                style="List Bullet" if block.level == 0 else "List Bullet 2")
        else:
            paragraph = document.add_paragraph()
        for i, line in enumerate(block.lines):
            for j, run in enumerate(line):
                word_run = paragraph.add_run(run.text)
                word_run.bold = run.bold or None
                word_run.italic = run.italic or None
                if i < len(block.lines) - 1 and j == len(line) - 1:
                    word_run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    _fixed_zip(buffer.getvalue(), path)


def _fixed_zip(data: bytes, path: Path) -> None:
    """Rewrite a .docx with fixed member dates, so the same letter gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))


# --------------------------------------------------------------------------- PDF

PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 72.0, 72.0, 80.0, 72.0
BODY = 10.5
LEADING = 13.5
HEADING_SIZES = {1: 16.0, 2: 14.0, 3: 12.5, 4: 12.0}


FACES = {(False, False): "DejaVuSerif", (True, False): "DejaVuSerif-Bold",
         (False, True): "DejaVuSerif-Italic", (True, True): "DejaVuSerif-BoldItalic"}


def _register_fonts() -> None:
    """The bundled DejaVu Serif faces (the standard Helvetica has no "ė" or "ă")."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for face in FACES.values():
        if face not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(face, str(REPO / "resources" / "fonts" / f"{face}.ttf")))


def _font(bold: bool, italic: bool) -> str:
    return FACES[(bold, italic)]


def _hyphen_split(word: str, room: float, font: str, size: float) -> tuple[str, str] | None:
    """Split a long word so that its head and a hyphen fit in ``room``: (head-, tail)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    core = word.rstrip(".,;:)")
    if len(core) < 9 or not core.isalpha():
        return None
    for cut in range(len(core) - 4, 3, -1):
        head = word[:cut]
        # cut after a vowel followed by a consonant, as a hyphenator would
        if head[-1] in "aeiou" and word[cut] not in "aeiou" \
                and stringWidth(head + "-", font, size) <= room:
            return head + "-", word[cut:]
    return None


class PdfWriter:
    def __init__(self, path: Path, header: str) -> None:
        from reportlab.pdfgen import canvas

        _register_fonts()
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1,
                                    pageCompression=0)
        self.canvas.setTitle(path.stem)
        self.canvas.setAuthor("Briefing App corpus")
        self.header = header
        self.page = 1
        self.y = PAGE_H - TOP
        self.hyphens = 0
        self._furniture()

    def _furniture(self) -> None:
        c = self.canvas
        c.setFont("DejaVuSerif", 8)
        c.drawRightString(PAGE_W - RIGHT, PAGE_H - 40, self.header)
        c.line(LEFT, PAGE_H - 46, PAGE_W - RIGHT, PAGE_H - 46)
        c.drawCentredString(PAGE_W / 2, 36, f"Page {self.page}")

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self.page += 1
            self.y = PAGE_H - TOP
            self._furniture()

    def gap(self, height: float) -> None:
        self.y -= height

    def line_of_runs(self, runs: list[Run], x0: float, size: float, *,
                     prefix: str | None = None, prefix_x: float = 0.0) -> None:
        """Lay out one hard line of runs, wrapping at the right margin."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        words: list[tuple[str, str]] = []  # (word, font); "" marks a space
        for run in runs:
            for piece in re.split(r"(\s+)", run.text):
                if piece:
                    words.append(("" if piece.isspace() else piece, _font(run.bold, run.italic)))
        right = PAGE_W - RIGHT
        lines: list[list[tuple[str, str]]] = [[]]
        x = x0
        space = stringWidth(" ", "DejaVuSerif", size)
        pending_space = False
        queue = list(words)
        while queue:
            word, font = queue.pop(0)
            if word == "":
                pending_space = bool(lines[-1])
                continue
            width = stringWidth(word, font, size)
            start = x + (space if pending_space else 0)
            if start + width <= right or not lines[-1]:
                if pending_space:
                    lines[-1].append(("", font))
                lines[-1].append((word, font))
                x = start + width
            else:
                room = right - start
                split = _hyphen_split(word, room, font, size) if self.hyphens_wanted() else None
                if split:
                    self.hyphens += 1
                    if pending_space:
                        lines[-1].append(("", font))
                    lines[-1].append((split[0], font))
                    queue.insert(0, (split[1], font))
                else:
                    queue.insert(0, (word, font))
                lines.append([])
                x = x0
            pending_space = False
        for i, line in enumerate(lines):
            self._need(size * 1.3)
            self.y -= size * 1.3
            c = self.canvas
            if i == 0 and prefix:
                c.setFont("DejaVuSerif", size)
                c.drawString(prefix_x, self.y, prefix)
            # one text object per line, one string per run of a font
            pieces: list[list[str]] = []
            for word, font in line:
                text = " " if word == "" else word
                if pieces and pieces[-1][0] == font:
                    pieces[-1][1] += text
                else:
                    pieces.append([font, text])
            text_object = c.beginText(x0, self.y)
            for font, text in pieces:
                text_object.setFont(font, size)
                text_object.textOut(text)
            c.drawText(text_object)

    def hyphens_wanted(self) -> bool:
        return True  # every line end where a long word can be cut

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def write_pdf(blocks: list[Block], path: Path, header: str) -> None:
    pdf = PdfWriter(path, header)
    for index, block in enumerate(blocks):
        if index and block.gap_before:
            pdf.gap(LEADING * 0.8)
        if block.kind == "heading":
            size = HEADING_SIZES.get(block.level, 12.0)
            pdf.gap(4)
            for line in block.lines:
                pdf.line_of_runs(line, LEFT, size)
            pdf.gap(3)
        elif block.kind in ("number", "bullet"):
            indent = LEFT + 24 + 18 * block.level
            marker = f"{block.number}." if block.kind == "number" else "•"
            for i, line in enumerate(block.lines):
                pdf.line_of_runs(line, indent, BODY, prefix=marker if i == 0 else None,
                                 prefix_x=indent - 22)
        else:
            for line in block.lines:
                pdf.line_of_runs(line, LEFT, BODY)
    pdf.save()


# --------------------------------------------------------------------------- all of it


def render(out_dir: Path) -> list[Path]:
    """Write every rendering of every seed letter into ``out_dir``; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number, source in SEED_FILES.items():
        text = source.read_text(encoding="utf-8")
        blocks = parse_seed(text)
        stem = f"seed-{number}"
        md = out_dir / f"{stem}.md"
        md.write_bytes(source.read_bytes())
        plain = out_dir / f"{stem}.txt"
        plain.write_text(plain_text(blocks), encoding="utf-8")
        written += [md, plain]
        if number == "002":
            noblank = out_dir / f"{stem}-noblank.txt"
            noblank.write_text(plain_text(blocks, blank_lines=False), encoding="utf-8")
            written.append(noblank)
        word = out_dir / f"{stem}.docx"
        write_docx(blocks, word)
        pdf = out_dir / f"{stem}.pdf"
        write_pdf(blocks, pdf, header=f"Seed letter {number} – evaluation rendering")
        written += [word, pdf]
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: render_seed.py OUT_DIR", file=sys.stderr)
        return 2
    for path in render(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
