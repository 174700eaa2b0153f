"""The letters: who signed them, the annexes in full, and the numbered sources."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from briefing_app.reporting.content import (
    AnnexesSection,
    SignatoriesSection,
    SourcesSection,
    long_date,
    short_date,
)
from briefing_app.reporting.flowables.base import (
    Context,
    data_table,
    facts_table,
    heading,
    link,
    subheading,
)
from briefing_app.reporting.flowables.paragraph import Paragraph
from briefing_app.reporting.flowables.style import MUTED, hexcolour
from briefing_app.reporting.flowables.text import clip, paragraphs, text

#: Longer passages are shown by their beginning in the sources list (the letter is annexed).
QUOTE_LIMIT = 240


def signatories(ctx: Context, section: SignatoriesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "Who signed each letter, by country (people of the EU "
                                "institutions under their organisation). For a letter that "
                                "names no signatory, its sender.")
    if not section.groups:
        return [*out, Paragraph("No signatures recorded.", s.body)]
    letters: dict[int, tuple[str, int]] = {}  # letter id -> (label, signatures)
    for group in section.groups:
        for sig in group.signatures:
            label = f"Annex {sig.letter_annex}" if sig.letter_annex else f"Letter {sig.letter_id}"
            count = letters.get(sig.letter_id, (label, 0))[1]
            letters[sig.letter_id] = (label, count + 1)
    titles = {sig.letter_id: sig for g in section.groups for sig in g.signatures}
    key_rows = [[Paragraph(link(f"<b>{label}</b>", titles[letter_id].letter_anchor), s.cell),
                 Paragraph(text(titles[letter_id].letter_title), s.cell),
                 Paragraph(short_date(titles[letter_id].letter_date, "undated"), s.cell),
                 Paragraph(str(count), s.cell)]
                for letter_id, (label, count) in sorted(
                    letters.items(), key=lambda item: (len(item[1][0]), item[1][0], item[0]))]
    out.append(data_table(ctx, ["Letter", "Title", "Date", "Signed by"], key_rows,
                          ctx.cols(0.11, 0.63, 0.14, 0.12)))
    out.append(Spacer(1, 5 * mm))
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for group in section.groups:
        first = len(rows) + 1
        for i, sig in enumerate(group.signatures):
            label, _ = letters[sig.letter_id]
            name = (f"<b>{text(group.name)}</b>" if i == 0 else
                    f'<font color="{hexcolour(MUTED)}">{text(group.name)}</font>')
            rows.append([Paragraph(name, s.cell),
                         Paragraph(f"<b>{text(sig.name)}</b>", s.cell),
                         Paragraph(text(sig.title or "—"), s.cell),
                         Paragraph(link(label, sig.letter_anchor), s.cell)])
        if first > 1:
            extra.append(("LINEABOVE", (0, first), (-1, first), 0.7, MUTED))
    out.append(data_table(ctx, ["Country", "Name", "Title as written", "Letter"], rows,
                          ctx.cols(0.19, 0.27, 0.41, 0.13), extra=extra, zebra=False))
    return out

def annexes(ctx: Context, section: AnnexesSection) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = []
    if section.opening:
        out += heading(ctx, section, "The source letters, each reproduced in full as it was "
                                     "received; corrections are listed beside the text, "
                                     "never made in it.")
        for letter in section.letters:
            title = link(text(letter.title), letter.anchor)
            out.append(Paragraph(f"<b>Annex {letter.label}</b>  {title}", s.body))
    for letter in section.letters if section.in_full else ():
        out.append(PageBreak())
        out += subheading(ctx, letter.anchor, f"Annex {letter.label}: {letter.title}",
                          running=f"Annex {letter.label}")
        facts: list[tuple[str, Any]] = [
            ("Date", Paragraph(text(long_date(letter.date, "not stated in the letter")),
                               s.cell)),
            ("Place", Paragraph(text(letter.place or "not stated"), s.cell)),
            ("Kind", Paragraph(text(letter.kind), s.cell)),
        ]
        if letter.reference:
            facts.append(("Reference", Paragraph(text(letter.reference), s.cell)))
        facts += [("Source file", Paragraph(text(letter.source_name), s.cell)),
                  ("SHA-256", Paragraph(text(letter.sha256), s.cell_small))]
        out.append(facts_table(ctx, facts, 28 * mm))
        for original, corrected, note in letter.corrections:
            extra = f" ({text(note)})" if note else ""
            out.append(Paragraph(f"<b>Correction recorded:</b> “{text(original)}” should read "
                                 f"“{text(corrected)}”{extra}.", s.muted))
        out.append(Spacer(1, 5 * mm))
        out += paragraphs(letter.text, s.letter)
    return out


def sources(ctx: Context, section: SourcesSection) -> list[Flowable]:
    s = ctx.styles
    out = heading(ctx, section, "Every passage of the letters this pack cites, numbered in "
                                "order of first use. Character positions count from the "
                                "start of the letter's original text.")
    if not section.sources:
        return [*out, Paragraph("This pack cites no passages.", s.body)]
    rows = []
    for line in section.sources:
        where = text(clip(line.letter_title, 90))
        if line.annex_label:
            where = link(f"Annex {line.annex_label}", line.annex_anchor) + ": " + where
        where += f'<br/><font size="7" color="{hexcolour(MUTED)}">characters ' \
                 f"{line.start}–{line.end}</font>"
        used = f'<font size="7" color="{hexcolour(MUTED)}">Used by: ' \
               f"{text('; '.join(line.used_by))}</font>"
        quote = f"“{text(line.quote)}”"
        if len(line.quote) > QUOTE_LIMIT:
            cut = line.quote.rfind(" ", 0, QUOTE_LIMIT)
            quote = (f"“{text(line.quote[:cut if cut > 0 else QUOTE_LIMIT])} …” "
                     f'<font size="7" color="{hexcolour(MUTED)}">(beginning of a passage of '
                     f"{len(line.quote)} characters: see the letter)</font>")
        rows.append([Paragraph(f'<a name="{line.anchor}"/><b>{line.number}</b>', s.cell),
                     Paragraph(f"{quote}<br/>{used}", s.cell),
                     Paragraph(where, s.cell)])
    out.append(data_table(ctx, ["No.", "Passage", "Letter"], rows, ctx.cols(0.06, 0.62, 0.32)))
    return out

