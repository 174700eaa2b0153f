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

from briefing_app.corpus.blocks import Block, Document, Line, is_heading_line
from briefing_app.corpus.commitments import read_commitments
from briefing_app.corpus.frame import (
    action_points_of,
    cc_entries,
    measures_of,
    place_date_reference,
    roman_line,
    runs_of,
)
from briefing_app.corpus.parsed import (
    ParsedAnnex,
    ParsedLetter,
    ParsedParagraph,
    ParsedRole,
)
from briefing_app.corpus.patterns import (
    ANNEX_ENTRY,
    ATTENTION,
    CC,
    CLOSING,
    ENCLOSURE,
    SALUTATION,
    SIGNATURE_MARK,
    SUBJECT,
)
from briefing_app.corpus.people import (
    NameTest,
    is_address,
    is_contact,
    join_title,
    role_of,
    split_honorific,
)
from briefing_app.domain.dates import find_date
from briefing_app.text import display_name, one_line

_LIST_LINE = re.compile(r"^\s*(?:\d{1,2}\.|[-•])\s+")


# --------------------------------------------------------------------------- parser


class LetterParser:
    """One parse of one letter; use :func:`parse_letter`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.document = Document(text)
        self.lines = self.document.lines
        self.is_name = NameTest(text)
        self.roles: list[ParsedRole] = []
        self.used: set[int] = set()  # line indexes consumed by people, dates, references

    def _find(self, pattern: re.Pattern[str], lo: int = 0, hi: int | None = None,
              longest: int = 200) -> Line | None:
        for line in self.lines[lo:hi]:
            if len(line.text) <= longest and pattern.match(line.text):
                return line
        return None

    def parse(self) -> ParsedLetter:
        salutation = self._find(SALUTATION, longest=90)
        if salutation is not None and not self._salutation_shaped(salutation):
            salutation = None
        closing = self._closing(salutation)
        subject_line = self._find(SUBJECT, 0, salutation.index if salutation else None)
        opening = salutation or subject_line
        body_start = opening.index + 1 if opening else 0
        header_end = salutation.index if salutation else (
            subject_line.index if subject_line else self._header_end())
        tail_start = closing.index + 1 if closing else self._signature_start(body_start)

        header = self.lines[:header_end]
        place, letter_date, reference = place_date_reference(header, self.used)
        tail = self.lines[tail_start:]
        if letter_date is None:  # dated near the signature, or on a line of its own
            tail_place, letter_date, tail_reference = place_date_reference(
                [*tail, *self.lines[header_end:tail_start]], self.used, longest=50)
            place = place or tail_place
            reference = reference or tail_reference
        sender = self._sender(header)
        self._attention(self.lines[:tail_start])
        self._recipients(self.lines[header_end:tail_start])
        signatories = self._signatories(tail)
        self._cc(self.lines)
        annexes = self._annexes(tail)
        self._recipients(tail, after_signature=True)
        self._link_sender_and_signatories(sender, signatories)
        for position, role in enumerate(self.roles):
            role.position = position

        subject = None
        if subject_line:
            match = SUBJECT.match(subject_line.text)
            assert match
            subject = one_line(match["s"] or match["l"])
            following = subject_line
            while self._full_width(following) and following.index + 1 < len(self.lines):
                following = self.lines[following.index + 1]  # a subject wrapped over lines
                if following.blank or SALUTATION.match(following.text):
                    break
                subject = one_line(f"{subject} {following.text}")
        elif salutation is not None:
            subject = self._bold_subject(header)

        commitments = read_commitments(self._body_blocks(body_start, tail_start), letter_date)
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
            action_points=action_points_of(commitments),
            measures=measures_of(commitments),
            commitments=commitments,
            paragraphs=self._paragraphs(),
            annexes=annexes,
            page_breaks=[ln.start for ln in self.lines if ln.page_break],
        )
        letter.title = self._title(letter)
        return letter

    # -- the letter's frame -----------------------------------------------------------

    @staticmethod
    def _salutation_shaped(line: Line) -> bool:
        """A salutation is a short address ending the line ("Dear colleagues,")."""
        text = line.text
        return len(text.split()) <= 12 and (text.endswith((",", ":", "!")) or len(text) <= 60)

    def _closing(self, salutation: Line | None) -> Line | None:
        """The closing formula: the last one after the salutation (a P.S. may follow)."""
        lo = salutation.index + 1 if salutation else 0
        found = [line for line in self.lines[lo:] if len(line.text) <= 260
                 and CLOSING.match(line.text)]
        if not found:
            return None
        # the first one that is followed by a signature; else the first
        for line in found:
            following = [ln for ln in self.lines[line.index + 1:line.index + 6] if ln.text]
            if following and self._person_line(following[0]) is not None:
                return line
        return found[0]

    def _header_end(self) -> int:
        """Without a salutation: the letterhead is the short lines before the first prose."""
        for block in self.document.blocks:
            if block.kind == "paragraph" and len(block.text) > 160:
                return block.lines[0].index
        return 0

    def _signature_start(self, body_start: int) -> int:
        """Without a closing formula: where a signature (a name after the prose) begins."""
        content = [ln for ln in self.lines[body_start:] if ln.text and not ln.page_number]
        for position in range(len(content) - 1, max(-1, len(content) - 16), -1):
            line = content[position]
            if CC.match(line.text) or ENCLOSURE.match(line.text):
                continue
            previous = content[position - 1] if position else None
            after = content[position + 1:]
            if self._person_line(line) is not None and previous is not None and \
                    previous.text.endswith((".", "!")) and len(previous.text) > 40 and \
                    not any(len(ln.text) > 120 and not CC.match(ln.text) for ln in after):
                return line.index
        return len(self.lines)

    def _full_width(self, line: Line) -> bool:
        """A line of hard-wrapped prose (it runs to the text's wrap width)."""
        width = self.document.width
        return 50 <= width < 120 and len(line.raw.rstrip()) >= width * 0.8

    def _person_line(self, line: Line) -> tuple[str | None, str] | None:
        """(honorific, name) when the line is a person's name, else None."""
        text = SIGNATURE_MARK.sub("", line.text).strip().rstrip(",")
        honorific, rest = split_honorific(text)
        if ("," in rest or "(" in rest) or not self.is_name(rest):
            return None
        return honorific, rest

    def _body_blocks(self, body_start: int, tail_start: int) -> list[Block]:
        """The blocks that can hold commitments: the body and any annex after the signature."""
        blocks: list[Block] = []
        annex_started = False
        for block in self.document.blocks:
            first = block.lines[0].index
            if first < body_start or any(line.index in self.used for line in block.lines):
                continue
            if first >= tail_start - 1 and not annex_started:
                if block.kind == "heading" and self._person_line(block.lines[0]) is None:
                    annex_started = True
                else:
                    continue
            blocks.append(block)
        return blocks

    # -- letterhead -----------------------------------------------------------------

    def _bold_subject(self, header: list[Line]) -> str | None:
        """A bold line just before the salutation that is not a name: the subject."""
        content = [ln for ln in header if ln.text]
        for line in reversed(content[-3:]):
            if line.bold and line.index not in self.used and len(line.text.split()) >= 3 and \
                    self._person_line(line) is None and not find_date(line.text):
                return one_line(line.text)
        return None

    def _sender(self, header: list[Line]) -> ParsedRole | None:
        """The sender's name and office from the letterhead (before the salutation)."""
        org_lines: list[str] = []
        title_lines: list[str] = []
        name_line: Line | None = None
        block_end: Line | None = None
        for block in runs_of(header, apart=self.used):
            if any(ATTENTION.match(line.text) or CC.match(line.text) for line in block):
                break
            for position, line in enumerate(block):
                text = line.text
                if is_contact(text) or ("," in text and not self.is_name(text)):
                    break
                person = self._person_line(line)
                if name_line is None and person is not None and person[0] is None:
                    name_line = line
                    block_end = line
                    # the office follows the name in the same block
                    for follower in block[position + 1:]:
                        if is_contact(follower.text) or self._person_line(follower):
                            break
                        title_lines.append(follower.text)
                        block_end = follower
                    break
                if person is not None:
                    return None  # an address block ("Mr Name"), not a letterhead
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
        elif "european council" in joined_org.casefold():
            organisation = "European Council"
        elif "european parliament" in joined_org.casefold():
            organisation = "European Parliament"
        title = join_title(title_lines, wrapped=False)
        if name_line is None:
            if not title or len(title) > 120:
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

    def _attention(self, lines: list[Line]) -> None:
        """The "To the attention of:" list: one person per line, "Name, Title"."""
        start = next((ln for ln in lines if ATTENTION.match(ln.text)), None)
        if start is None:
            return
        entries: list[tuple[Line, str]] = []
        first = ATTENTION.match(start.text)
        assert first
        rest = first["rest"] or first["rest2"] or first["rest3"]
        if rest:
            entries.append((start, rest))
        previous: Line = start
        for line in lines[start.index + 1:]:
            if line.blank:
                continue
            honorific, _ = split_honorific(line.text)
            if honorific is None:
                wrapped = self.document.width and (
                    len(previous.raw.rstrip()) >= self.document.width * 0.8
                    or re.search(r"\b(?:of|the|and|for|to|in)$", previous.text))
                if line.index != previous.index + 1 or not entries or not wrapped or \
                        SUBJECT.match(line.text):
                    break
                last_line, last_text = entries[-1]  # a title wrapped onto the next line
                entries[-1] = (last_line, f"{last_text} {line.text}")
                self.used.add(line.index)
                previous = line
                continue
            previous = line
            entries.append((line, line.text))
        for line, entry in entries:
            name, _, title = entry.partition(",")
            if not self.is_name(split_honorific(name)[1]):
                continue
            self.roles.append(role_of("attention", name, one_line(title) or None, None,
                                      line.start, line.end))
            self.used.add(line.index)

    def _recipients(self, lines: list[Line], *, after_signature: bool = False) -> None:
        """Address blocks: "Mr Name" alone on a line, then the office, then an address."""
        for number, head in enumerate(lines):
            if head.blank or head.index in self.used:
                continue
            text = re.sub(r"^(?:To|An|À|A)\s*:\s*", "", head.text)
            honorific, rest = split_honorific(text)
            if honorific is None or "," in rest or not self.is_name(rest):
                continue
            title_lines: list[str] = []
            end = head
            for line in lines[number + 1:number + 8]:
                if line.blank:
                    if line.index > end.index + 1:
                        break  # two blank lines end the block
                    continue
                if is_contact(line.text) or len(title_lines) == 3 or len(line.text) > 90 or \
                        self._full_width(line) or \
                        self._person_line(line) is not None or CC.match(line.text) or \
                        line.index in self.used or line.text.endswith("."):
                    break
                title_lines.append(line.text)
                end = line
            if after_signature and not title_lines:
                continue
            self.roles.append(role_of("recipient", rest, join_title(title_lines, wrapped=False),
                                      None, head.start, end.end, honorific=honorific))
            self.used.update(range(head.index, end.index + 1))

    # -- signature, copies, enclosures -------------------------------------------------

    def _stops_signatures(self, line: Line) -> bool:
        return bool(CC.match(line.text) or ENCLOSURE.match(line.text) or line.heading_level
                    or (is_heading_line(line) and self._person_line(line) is None))

    def _signatories(self, tail: list[Line]) -> list[ParsedRole]:
        """Signature blocks after the closing: a name, then 0–3 title lines, one per person."""
        found: list[ParsedRole] = []
        content = [ln for ln in tail if ln.text and not ln.page_number and not ln.page_break]
        position = 0
        skipped = 0
        while position < len(content):
            head = content[position]
            if self._stops_signatures(head) or head.index in self.used:
                break
            person = self._person_line(head)
            if person is None:
                if found or skipped >= 2 or len(head.text) > 60:
                    break
                skipped += 1  # "(signed)", a place and date line before the name
                position += 1
                continue
            honorific, name = person
            titles: list[Line] = []
            position += 1
            while position < len(content) and len(titles) < 3:
                line = content[position]
                if self._stops_signatures(line) or self._person_line(line) is not None or \
                        line.index - (titles[-1] if titles else head).index > 5 or \
                        is_address(line.text) or line.index in self.used:
                    break
                titles.append(line)
                position += 1
            title = join_title([ln.text for ln in titles], wrapped=True)
            end = titles[-1] if titles else head
            role = role_of("signatory", name, title, None, head.start, end.end,
                           honorific=honorific)
            found.append(role)
            self.roles.append(role)
            self.used.update(range(head.index, end.index + 1))
        return found

    def _cc(self, lines: list[Line]) -> None:
        """Copies: "c.c.:", "cc:", "Copy:", "Copies to" — one entry per line or per ";"."""
        start = next((ln for ln in lines if len(ln.text) < 400 and CC.match(ln.text)), None)
        if start is None:
            return
        first = CC.match(start.text)
        assert first
        pieces: list[tuple[Line, str]] = [(start, first["rest"])]
        gap = False
        for line in lines[start.index + 1:]:
            if line.blank:
                gap = True
                continue
            if ENCLOSURE.match(line.text) or line.heading_level:
                break
            last = pieces[-1][1].rstrip()
            if gap and last and not last.endswith((";", ",")) and \
                    split_honorific(line.text)[0] is None:
                break  # a blank line, then something else than the next entry
            gap = False
            pieces.append((line, line.text))
        for line, piece in pieces:
            for entry in cc_entries(piece):
                match = re.match(r"^(?P<name>[^()]+?)\s*(?:\((?P<org>[^()]+)\))?$", entry)
                if not match:
                    continue
                name, _, title = match["name"].partition(",")
                name = re.sub(r"\s+[-–—]\s+.*$", "", name)
                if not self.is_name(split_honorific(name)[1]):
                    continue
                self.roles.append(role_of("cc", name, one_line(title) or None, match["org"],
                                          line.start, line.end))
                self.used.add(line.index)

    def _annexes(self, tail: list[Line]) -> list[ParsedAnnex]:
        annexes: list[ParsedAnnex] = []
        in_enclosure = False
        for line in tail:
            enclosure = ENCLOSURE.match(line.text)
            if enclosure:
                in_enclosure = True
                rest = enclosure["rest"]
            elif in_enclosure and line.text.lower().startswith("annex"):
                rest = line.text
            else:
                in_enclosure = in_enclosure and not line.blank
                if line.heading_level and not roman_line(line):
                    annexes.append(ParsedAnnex(f"{len(annexes) + 1}", line.text, line.start,
                                               line.end))
                continue
            entry = ANNEX_ENTRY.search(rest)
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

    def _kind(self, header: list[Line], subject: str | None, signatories: list[ParsedRole],
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

    # -- passages ----------------------------------------------------------------------

    def _paragraphs(self) -> list[ParsedParagraph]:
        """Searchable passages: blocks of text, list items each on their own.

        Text without blank lines between its paragraphs is split where the
        document model ends a paragraph.
        """
        paragraphs: list[ParsedParagraph] = []
        starts = {block.lines[0].index for block in self.document.blocks}
        for run in runs_of(self.lines):
            piece: list[Line] = []
            long_run = len(run) > 12
            for line in run:
                if piece and (_LIST_LINE.match(line.raw) or (long_run and line.index in starts)):
                    paragraphs.append(self._paragraph(len(paragraphs), piece))
                    piece = []
                piece.append(line)
            if piece:
                paragraphs.append(self._paragraph(len(paragraphs), piece))
        return paragraphs

    @staticmethod
    def _paragraph(ordinal: int, run: list[Line]) -> ParsedParagraph:
        text = " ".join(ln.text for ln in run)
        return ParsedParagraph(ordinal, run[0].start, run[-1].end, one_line(text))


def parse_letter(text: str) -> ParsedLetter:
    """Parse the text of one letter. The text itself is kept as it is."""
    return LetterParser(text).parse()
