"""Parse a policy letter of this genre into structured facts with their spans.

The letters are plain text with markdown-ish emphasis: a letterhead (sender
name and office, address, place and date, reference), a salutation, the body,
a closing formula and signature blocks, then enclosures, a "c.c." list and
annexes. Some add a "To the attention of" list, an address block for the
recipient (often at the foot of the first page), page-break markers
(``..../...``), bold action-point headings or numbered measures under roman
section headings.

The parser never changes the text: every fact carries the span
(``start``, ``end``) of the passage it was read from, so the original can be
shown and cited exactly. Names and titles are kept as written (emphasis
markers removed); only honorifics are split off into their own field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from briefing_app.corpus.gazetteer import (
    PLACES,
    actors_in,
)
from briefing_app.corpus.parsed import (
    ParsedActionPoint,
    ParsedAnnex,
    ParsedCommitment,
    ParsedLetter,
    ParsedMeasure,
    ParsedParagraph,
    ParsedRole,
)
from briefing_app.corpus.people import (
    is_contact,
    join_title,
    looks_like_name,
    role_of,
    split_honorific,
)
from briefing_app.domain.dates import find_date, find_deadline
from briefing_app.text import display_name, one_line, plain

# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    end: int
    raw: str

    @property
    def text(self) -> str:
        return plain(self.raw)

    @property
    def blank(self) -> bool:
        return not self.text


_LINE = re.compile(r"[^\r\n]*")
_PAGE_BREAK = re.compile(r"^\*?\s*\.{2,}\s*/\s*\.{2,}\s*\*?$")
_SALUTATION = re.compile(r"^(?:My\s+)?Dear\b", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:Yours\s+(?:sincerely|faithfully|truly|ever)|(?:With\s+)?(?:kind|best|warm)\s+regards|"
    r"Sincerely(?:\s+yours)?|Respectfully)\s*[,.]?$",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^(?:(?:Subject|Re|Object|Concerns)\s*:\s*(?P<s>.+)"
    r"|(?P<l>(?:Joint\s+)?Letter\s+(?:from|on|to)\b.+))$",
    re.IGNORECASE,
)
_ATTENTION = re.compile(r"^(?:To\s+the\s+)?attention\s+of\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_CC = re.compile(r"^(?:c\.\s?c\.|cc|copy\s+to|copies\s+to)\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_ENCLOSURE = re.compile(r"^(?:Enclosures?|Annex(?:es)?)\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_ANNEX_ENTRY = re.compile(r"Annex\s+(?P<label>[IVX\d]+)\s*:\s*(?P<title>.+?)\s*$", re.IGNORECASE)
_ARES = re.compile(r"\bAres\s*\(\s*\d{4}\s*\)\s*\d+")
_UNIT_REF = re.compile(r"^[A-Z]{2,}(?:\.[A-Z0-9]+)+\s*/")
_ACTION_HEADING = re.compile(r"^\s*\*{2,3}\s*-\s*(?P<t>.+?)\s*\*{2,3}\s*$")
_SECTION_HEADING = re.compile(
    r"^\s*#{1,6}\s*\**\s*(?P<r>[IVX]{1,4})\.\s+(?P<t>.+?)\s*\**\s*$"
)
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<t>\S.*)$")
_SUB_BULLET = re.compile(r"^\s+[-•*]\s+(?P<t>\S.*)$")
_LIST_LINE = re.compile(r"^\s*(?:\d{1,2}\.|[-•])\s+")
_CONCLUSION = re.compile(r"^(?:Overall|In conclusion|To conclude|In sum|Finally)\b", re.IGNORECASE)
def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for index, match in enumerate(_LINE.finditer(text)):
        if match.start() < position:  # finditer yields an empty match after each line
            continue
        lines.append(_Line(len(lines), match.start(), match.end(), match.group(0)))
        position = match.end() + 1
        if text.startswith("\r\n", match.end()):
            position += 1
        del index
    return lines


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of non-blank lines, page-break markers left out."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.blank or _PAGE_BREAK.match(line.raw.strip()):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


# --------------------------------------------------------------------------- parser


class LetterParser:
    """One parse of one letter; use :func:`parse_letter`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self.roles: list[ParsedRole] = []
        self.used: set[int] = set()  # line indexes consumed by people, dates, references

    def _find(self, pattern: re.Pattern[str], lo: int = 0, hi: int | None = None) -> _Line | None:
        for line in self.lines[lo:hi]:
            if pattern.match(line.text):
                return line
        return None

    def parse(self) -> ParsedLetter:
        salutation = self._find(_SALUTATION)
        closing = self._find(_CLOSING, salutation.index if salutation else 0)
        subject_line = self._find(_SUBJECT, 0, salutation.index if salutation else None)
        opening = salutation or subject_line
        body_start = opening.index + 1 if opening else 0
        header_end = salutation.index if salutation else (
            subject_line.index if subject_line else 0)
        tail_start = closing.index + 1 if closing else len(self.lines)

        header = self.lines[:header_end]
        place, letter_date, reference = self._place_date_reference(header)
        sender = self._sender(header)
        self._attention(self.lines[:tail_start])
        self._recipients(self.lines[header_end:tail_start])
        signatories = self._signatories(self.lines[tail_start:])
        self._cc(self.lines[tail_start:])
        annexes = self._annexes(self.lines[tail_start:])
        self._link_sender_and_signatories(sender, signatories)
        for position, role in enumerate(self.roles):
            role.position = position

        subject = None
        if subject_line:
            match = _SUBJECT.match(subject_line.text)
            assert match
            subject = one_line(match["s"] or match["l"])

        letter = ParsedLetter(
            text=self.text,
            title="",
            date=letter_date,
            place=place,
            kind=self._kind(header, subject, signatories, sender),
            reference=reference,
            salutation=salutation.text if salutation else None,
            subject=subject,
            roles=self.roles,
            action_points=self._action_points(body_start, tail_start, closing),
            measures=self._measures(),
            paragraphs=self._paragraphs(),
            annexes=annexes,
            page_breaks=[ln.start for ln in self.lines if _PAGE_BREAK.match(ln.raw.strip())],
        )
        letter.title = self._title(letter)
        letter.commitments = commitments_of(letter)
        return letter

    # -- letterhead -----------------------------------------------------------------

    def _place_date_reference(
        self, header: list[_Line]
    ) -> tuple[str | None, date | None, str | None]:
        place: str | None = None
        found_date: date | None = None
        reference: str | None = None
        for line in header:
            text = line.text
            if reference is None and (_ARES.search(text) or _UNIT_REF.match(text)):
                reference = one_line(text)
                self.used.add(line.index)
                continue
            dated = find_date(text)
            if dated and found_date is None and len(text) < 60:
                found_date = dated[0]
                before = text[: dated[1].start()].strip().rstrip(",").strip()
                if before and not re.search(r"\d", before):
                    place = before
                self.used.add(line.index)
                continue
            if place is None and text in PLACES:
                # a place written alone, the date left out ("Brussels")
                place = text
                self.used.add(line.index)
        return place, found_date, reference

    def _sender(self, header: list[_Line]) -> ParsedRole | None:
        """The sender's name and office from the letterhead (before the salutation)."""
        org_lines: list[str] = []
        title_lines: list[str] = []
        name_line: _Line | None = None
        block_end: _Line | None = None
        for block in _blocks(header):
            if any(line.index in self.used for line in block):
                continue
            if any(_ATTENTION.match(line.text) for line in block):
                break
            for position, line in enumerate(block):
                text = line.text
                if is_contact(text) or ("," in text and not looks_like_name(text)):
                    break
                if name_line is None and looks_like_name(split_honorific(text)[1]):
                    name_line = line
                    block_end = line
                    # the office follows the name in the same block
                    for follower in block[position + 1:]:
                        if is_contact(follower.text):
                            break
                        title_lines.append(follower.text)
                        block_end = follower
                    break
                if text.isupper():
                    org_lines.append(text)
                elif name_line is None:
                    title_lines.append(text)
                    block_end = line
            if name_line is not None:
                break
        organisation = None
        joined_org = ", ".join(org_lines + title_lines)
        if "european commission" in joined_org.casefold():
            organisation = "European Commission"
        title = join_title(title_lines, wrapped=False)
        if name_line is None:
            if not title:
                return None
            # an office without a name ("The Director-General (acting)"): the
            # signatory fills in the name later
            assert block_end is not None
            return ParsedRole("sender", "", None, title, organisation, None, None,
                              block_end.start, block_end.end)
        assert block_end is not None
        role = role_of("sender", name_line.text, title, organisation, name_line.start,
                     block_end.end)
        self.used.update(range(name_line.index, block_end.index + 1))
        self.roles.append(role)
        return role

    def _attention(self, lines: list[_Line]) -> None:
        """The "To the attention of:" list: one person per line, "Name, Title"."""
        start = next((ln for ln in lines if _ATTENTION.match(ln.text)), None)
        if start is None:
            return
        entries: list[tuple[_Line, str]] = []
        first = _ATTENTION.match(start.text)
        assert first
        if first["rest"]:
            entries.append((start, first["rest"]))
        for line in lines[start.index + 1:]:
            if line.blank:
                continue
            honorific, _ = split_honorific(line.text)
            if honorific is None:
                break
            entries.append((line, line.text))
        for line, entry in entries:
            name, _, title = entry.partition(",")
            self.roles.append(role_of("attention", name, one_line(title) or None, None,
                                    line.start, line.end))
            self.used.add(line.index)

    def _recipients(self, lines: list[_Line]) -> None:
        """Address blocks: "Mr Name" alone on a line, then the office, then an address."""
        blocks = _blocks(lines)
        for number, block in enumerate(blocks):
            head = block[0]
            if head.index in self.used:
                continue
            honorific, rest = split_honorific(head.text)
            if honorific is None or "," in rest or not looks_like_name(rest):
                continue
            followers = block[1:] or (blocks[number + 1] if number + 1 < len(blocks) else [])
            title_lines: list[str] = []
            end = head
            for line in followers:
                if is_contact(line.text) or len(title_lines) == 3:
                    break
                title_lines.append(line.text)
                end = line
            self.roles.append(role_of("recipient", rest, join_title(title_lines, wrapped=False),
                                    None, head.start, end.end, honorific=honorific))
            self.used.update(range(head.index, end.index + 1))

    def _signatories(self, tail: list[_Line]) -> list[ParsedRole]:
        """Signature blocks after the closing formula: a name, then 0–3 title lines."""
        found: list[ParsedRole] = []
        for block in _blocks(tail):
            head = block[0]
            if _CC.match(head.text) or _ENCLOSURE.match(head.text) or _MD_HEADING.match(head.raw):
                break
            honorific, rest = split_honorific(head.text)
            if not looks_like_name(rest):
                break
            title_block = block[1:4]
            title = join_title([ln.text for ln in title_block], wrapped=True)
            end = title_block[-1] if title_block else head
            role = role_of("signatory", rest, title, None, head.start, end.end,
                         honorific=honorific)
            found.append(role)
            self.roles.append(role)
        return found

    def _cc(self, tail: list[_Line]) -> None:
        """The "c.c.:" list: entries "Ms Name (ORGANISATION);" over one or more lines."""
        start = next((ln for ln in tail if _CC.match(ln.text)), None)
        if start is None:
            return
        first = _CC.match(start.text)
        assert first
        pieces: list[tuple[_Line, str]] = [(start, first["rest"])]
        for line in tail[start.index - tail[0].index + 1:]:
            if line.blank:
                break
            pieces.append((line, line.text))
        for line, piece in pieces:
            for entry in piece.split(";"):
                entry = entry.strip().rstrip(".").strip()
                if not entry:
                    continue
                match = re.match(r"^(?P<name>[^()]+?)\s*(?:\((?P<org>[^()]+)\))?$", entry)
                if not match:
                    continue
                self.roles.append(role_of("cc", match["name"], None, match["org"], line.start,
                                        line.end))

    def _annexes(self, tail: list[_Line]) -> list[ParsedAnnex]:
        annexes: list[ParsedAnnex] = []
        in_enclosure = False
        for line in tail:
            enclosure = _ENCLOSURE.match(line.text)
            if enclosure:
                in_enclosure = True
                rest = enclosure["rest"]
            elif in_enclosure and line.text.lower().startswith("annex"):
                rest = line.text
            else:
                in_enclosure = in_enclosure and not line.blank
                if _MD_HEADING.match(line.raw) and not _SECTION_HEADING.match(line.raw):
                    annexes.append(ParsedAnnex(f"{len(annexes) + 1}", line.text, line.start,
                                               line.end))
                continue
            entry = _ANNEX_ENTRY.search(rest)
            if entry:
                annexes.append(ParsedAnnex(entry["label"], one_line(entry["title"]),
                                           line.start, line.end))
            elif rest:
                annexes.append(ParsedAnnex(f"{len(annexes) + 1}", one_line(rest), line.start,
                                           line.end))
        return annexes

    def _link_sender_and_signatories(self, sender: ParsedRole | None,
                                     signatories: list[ParsedRole]) -> None:
        """Fill what the letterhead and the signature each leave out.

        A letterhead may give the office without the name (DG letters) and a
        signature the name without the office (a President's letters).
        """
        if sender is None:
            return
        if not sender.name and len(signatories) == 1:
            signer = signatories[0]
            sender.name, sender.honorific = signer.name, signer.honorific
            sender.start, sender.end = signer.start, signer.end
            self.roles.insert(0, sender)
        for signer in signatories:
            if display_name(signer.name).casefold() == display_name(sender.name).casefold():
                signer.title = signer.title or sender.title
                signer.organisation = signer.organisation or sender.organisation

    # -- classification -------------------------------------------------------------

    def _kind(self, header: list[_Line], subject: str | None, signatories: list[ParsedRole],
              sender: ParsedRole | None) -> str:
        head = " ".join(line.text for line in header).casefold()
        office = (sender.title or "").casefold() if sender else ""
        if (subject and subject.casefold().startswith("joint letter")) or len(signatories) >= 3:
            return "joint letter"
        if "directorate-general" in head:
            return "DG letter"
        if "president" in office and "european commission" in head:
            return "commission letter"
        if "member of the european commission" in office or "commissioner" in office:
            return "commissioner letter"
        return "letter"

    def _title(self, letter: ParsedLetter) -> str:
        if letter.subject:
            return letter.subject
        senders = letter.people("sender") or letter.people("signatory")
        recipients = letter.people("recipient")
        parts = ["Letter"]
        if senders:
            parts.append(f"from {display_name(senders[0].name)}")
        if recipients:
            parts.append(f"to {display_name(recipients[0].name)}")
        elif letter.salutation and re.search(r"\bcolleagues\b", letter.salutation, re.I):
            parts.append("to colleagues")
        title = " ".join(parts)
        if letter.date:
            title += f", {letter.date.day} {letter.date:%B %Y}"
        return title

    # -- numbered content -----------------------------------------------------------

    def _action_points(self, body_start: int, tail_start: int,
                       closing: _Line | None) -> list[ParsedActionPoint]:
        """Bold bullet headings ("**- Title**") and the paragraphs under each."""
        region = self.lines[body_start:tail_start - 1 if closing else tail_start]
        headings = [ln for ln in region if _ACTION_HEADING.match(ln.raw)]
        if len(headings) < 2:
            return []
        points: list[ParsedActionPoint] = []
        last_index = region[-1].index if region else body_start
        for number, heading in enumerate(headings, start=1):
            match = _ACTION_HEADING.match(heading.raw)
            assert match
            stop = headings[number].index if number < len(headings) else last_index + 1
            blocks = _blocks(self.lines[heading.index + 1:stop])
            if number == len(headings):
                kept: list[list[_Line]] = []
                for block in blocks:
                    if kept and _CONCLUSION.match(block[0].text):
                        break
                    kept.append(block)
                blocks = kept
            paragraphs = [" ".join(ln.text for ln in block) for block in blocks]
            end = blocks[-1][-1].end if blocks else heading.end
            points.append(ParsedActionPoint(number, one_line(plain(match["t"])),
                                            _join_paragraphs(paragraphs), heading.start, end))
        return points

    def _measures(self) -> list[ParsedMeasure]:
        """Numbered measures under roman section headings ("### **I. External borders**")."""
        measures: list[ParsedMeasure] = []
        section: tuple[str, str] | None = None
        current: list[_Line] = []

        def flush() -> None:
            if not current or section is None:
                return
            head = _NUMBERED.match(current[0].raw)
            assert head
            pieces = [one_line(plain(head["t"]))]
            for sub in current[1:]:
                bullet = _SUB_BULLET.match(sub.raw)
                pieces.append("- " + one_line(plain(bullet["t"] if bullet else sub.raw)))
            text = "\n".join(pieces)
            deadline = find_deadline(one_line(text))
            measures.append(ParsedMeasure(
                number=int(head["n"]),
                section=section[0],
                section_title=section[1],
                text=text,
                deadline=deadline.as_written if deadline else None,
                due_date=deadline.due_date if deadline else None,
                lead_actors=actors_in(text),
                start=current[0].start,
                end=current[-1].end,
            ))
            current.clear()

        for line in self.lines:
            heading = _SECTION_HEADING.match(line.raw)
            if heading:
                flush()
                section = (heading["r"], one_line(plain(heading["t"])))
                continue
            if section is None:
                continue
            if _NUMBERED.match(line.raw):
                flush()
                current.append(line)
            elif current and _SUB_BULLET.match(line.raw):
                current.append(line)
            elif current and (line.blank or not line.raw.startswith(" ")):
                flush()
        flush()
        return measures

    def _paragraphs(self) -> list[ParsedParagraph]:
        """Searchable passages: blocks of text, list items each on their own."""
        paragraphs: list[ParsedParagraph] = []
        for block in _blocks(self.lines):
            run: list[_Line] = []
            for line in block:
                if run and _LIST_LINE.match(line.raw):
                    paragraphs.append(self._paragraph(len(paragraphs), run))
                    run = []
                run.append(line)
            if run:
                paragraphs.append(self._paragraph(len(paragraphs), run))
        return paragraphs

    @staticmethod
    def _paragraph(ordinal: int, run: list[_Line]) -> ParsedParagraph:
        text = " ".join(ln.text for ln in run)
        return ParsedParagraph(ordinal, run[0].start, run[-1].end, one_line(text))


def _join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by blank lines; one split by a page break is joined again."""
    joined: list[str] = []
    for paragraph in (one_line(p) for p in paragraphs if p.strip()):
        if joined and not re.search(r"[.!?:;\"”’)]$", joined[-1]) and paragraph[:1].islower():
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return "\n\n".join(joined)


def commitments_of(letter: ParsedLetter) -> list[ParsedCommitment]:
    """The letter's action points and measures as two series of commitments."""
    found: list[ParsedCommitment] = []
    for position, point in enumerate(letter.action_points, start=1):
        found.append(ParsedCommitment(
            series="action-points", series_title="Points of action", position=position,
            number=point.number, marker=None, section=None, section_title=None,
            title=point.title, text=point.text, deadline=None, due_date=None, actors=[],
            countries=[], start=point.start, end=point.end))
    for position, measure in enumerate(letter.measures, start=1):
        found.append(ParsedCommitment(
            series="measures", series_title="Operational measures", position=position,
            number=measure.number, marker=f"{measure.number}.", section=measure.section,
            section_title=measure.section_title, title=one_line(measure.text.split("\n")[0]),
            text=measure.text, deadline=measure.deadline, due_date=measure.due_date,
            actors=list(measure.lead_actors), countries=[], start=measure.start,
            end=measure.end))
    return found


def parse_letter(text: str) -> ParsedLetter:
    """Parse the text of one letter. The text itself is kept as it is."""
    return LetterParser(text).parse()
