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
    cc_entries,
    kind_of,
    paragraphs_of,
    place_date_reference,
    roman_line,
    runs_of,
    title_of,
)
from briefing_app.corpus.gazetteer import CAPITALS, HONORIFICS, member_state_in
from briefing_app.corpus.parsed import (
    ParsedAnnex,
    ParsedLetter,
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
    is_institution,
    is_office,
    join_title,
    leading_title,
    organisation_named,
    role_of,
    split_honorific,
)
from briefing_app.domain.dates import find_date
from briefing_app.text import display_name, one_line

_SECOND_PERSON = re.compile(r"\s(?:Mr|Ms|Mrs|Dr|Prof|Sir|Dame|Mme|Herr|Frau)\.?\s")
#: A line naming the kind of document, not its sender ("JOINT LETTER", "Invitation letter").
_DOCUMENT_TYPE = re.compile(r"^(?:joint|invitation|open)?\s*(?:letter|note|memo|statement)$",
                            re.IGNORECASE)


# --------------------------------------------------------------------------- parser


class LetterParser:
    """One parse of one letter; use :func:`parse_letter`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.document = Document(text)
        self.lines = self.document.lines
        self.is_name = NameTest(text)
        self.roles: list[ParsedRole] = []
        self.joint = False  # signed by several people
        self.letterhead: list[str] = []  # the letterhead's institution lines
        self.used: set[int] = set()  # line indexes consumed by people, dates, references

    def _find(self, pattern: re.Pattern[str], lo: int = 0, hi: int | None = None,
              longest: int = 200) -> Line | None:
        for line in self.lines[lo:hi]:
            if len(line.text) <= longest and pattern.match(line.text):
                return line
        return None

    def parse(self) -> ParsedLetter:
        salutation = next((line for line in self.lines if len(line.text) <= 90
                           and SALUTATION.match(line.text) and self._salutation_shaped(line)),
                          None)
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
        self._attention(self.lines[:tail_start])
        self._cc(self.lines)
        self._addressed_to(header)
        sender = self._sender(header)
        self._recipients(self.lines[header_end:tail_start])
        self._recipients(header)
        signatories = self._signatories(tail)
        self.joint = len(signatories) > 1
        annexes = self._annexes(tail)
        self._recipients(tail, after_signature=True)
        if sender is not None and sender.country_code is None and place in CAPITALS and \
                any(is_institution(line) and not organisation_named(line)
                    for line in self.letterhead):
            sender.country, sender.country_code = CAPITALS[place]
        self._link_sender_and_signatories(sender, signatories)
        rank = {"sender": 0, "attention": 1, "recipient": 2, "signatory": 3, "cc": 4}
        self.roles.sort(key=lambda role: (rank.get(role.role, 5), role.start))
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
            kind=kind_of(header, subject, signatories, sender),
            reference=reference,
            salutation=salutation.text if salutation else None,
            subject=subject,
            roles=self.roles,
            commitments=commitments,
            paragraphs=paragraphs_of(self.document),
            annexes=annexes,
            page_breaks=[ln.start for ln in self.lines if ln.page_break],
        )
        letter.title = title_of(letter)
        return letter

    # -- the letter's frame -----------------------------------------------------------

    @staticmethod
    def _salutation_shaped(line: Line) -> bool:
        """A salutation is a short address ending the line ("Dear colleagues,")."""
        text = line.text
        if len(text.split()) > 12:
            return False
        return text.endswith((",", ":", "!")) or (
            text.casefold().startswith("dear") and len(text.split()) <= 5)

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
        if ("," in rest or "(" in rest) or _SECOND_PERSON.search(rest) or not self.is_name(rest):
            return None  # "Mr A Mr B": two names run together name nobody
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
        """The sender's name and office from the letterhead (before the salutation).

        Institution lines ("EUROPEAN COMMISSION", "Bundesministerium des Innern")
        give the organisation; office lines ("THE PRESIDENT", "Le Ministre") the
        title. A letterhead with an office and no name is completed from the
        signature (:meth:`_link_sender_and_signatories`).
        """
        org_lines: list[str] = []
        title_lines: list[str] = []
        name_line: Line | None = None
        block_end: Line | None = None
        previous_end = -1
        for block in runs_of(header, apart=self.used):
            if title_lines and any(index in self.used
                                   for index in range(previous_end + 1, block[0].index)):
                break  # past the date or reference: the letterhead is over
            previous_end = block[-1].index
            if any(ATTENTION.match(line.text) for line in block):
                break
            stop = False
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
                    stop = True  # an address block ("Mr Name"): the letterhead is over
                    break
                if _DOCUMENT_TYPE.match(text) or re.match(r"^To\b", text):
                    continue
                if is_office(text):
                    title_lines.append(text)
                    block_end = line
                elif text.isupper() or is_institution(text):
                    org_lines.append(text)
                elif name_line is None:
                    title_lines.append(text)
                    block_end = line
            if name_line is not None or stop:
                break
        self.letterhead = org_lines
        organisation = organisation_named(", ".join(org_lines + title_lines))
        title = join_title(title_lines, wrapped=False)
        if name_line is None:
            if not title or len(title) > 120:
                return None
            # an office without a name ("The Director-General (acting)"): the
            # signatory fills in the name later
            assert block_end is not None
            country = member_state_in(" ".join([*org_lines, title]))
            return ParsedRole("sender", "", None, title, organisation,
                              country[0] if country else None, country[1] if country else None,
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
            start_line, skip = head, 1
            if text in HONORIFICS and number + 1 < len(lines):  # "Frau" on its own line
                head = lines[number + 1]
                text, skip = f"{text} {head.text}", 2
            honorific, rest = split_honorific(text)
            office, rest = leading_title(rest)
            if honorific is None or "," in rest or not self.is_name(rest):
                continue
            title_lines: list[str] = [office] if office else []
            end = head
            for line in lines[number + skip:number + skip + 7]:
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
            role = role_of("recipient", rest, join_title(title_lines, wrapped=False),
                           None, start_line.start, end.end, honorific=honorific)
            if role.country_code is None and not organisation_named(role.title or ""):
                role.country, role.country_code = self._address_country(lines, end)
            self.roles.append(role)
            self.used.update(range(start_line.index, end.index + 1))

    @staticmethod
    def _address_country(lines: list[Line], end: Line) -> tuple[str | None, str | None]:
        """The Member State an address block ends with ("Sweden", "République tchèque")."""
        position = next((n for n, line in enumerate(lines) if line.index == end.index), None)
        if position is None:
            return None, None
        for line in lines[position + 1:position + 5]:
            if line.blank:
                break
            found = member_state_in(line.text) or CAPITALS.get(line.text.strip().rstrip(","))
            if found:
                return found
        return None, None

    def _addressed_to(self, header: list[Line]) -> None:
        """A "To:" line naming the addressee: "To: Ms Name, Commissioner for…"."""
        for line in header:
            match = re.match(r"^(?:To|An|À|A|Destinataire)\s*:\s*(?P<rest>.+)$", line.text)
            if not match or line.index in self.used:
                continue
            for entry in cc_entries(match["rest"]):
                name, _, title = entry.partition(",")
                if self.is_name(split_honorific(name)[1]):
                    self.roles.append(role_of("recipient", name, one_line(title) or None, None,
                                              line.start, line.end))
                    self.used.add(line.index)

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
            if person is None and SIGNATURE_MARK.fullmatch(head.text):
                position += 1
                continue
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
                        SIGNATURE_MARK.fullmatch(line.text) is not None or \
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
        if sender is None and len(signatories) == 1 and not self.joint:
            signer = signatories[0]
            sender = ParsedRole("sender", signer.name, signer.honorific, signer.title,
                                signer.organisation, signer.country, signer.country_code,
                                signer.start, signer.end)
            self.roles.insert(0, sender)
            return
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
                signer.country = signer.country or sender.country
                signer.country_code = signer.country_code or sender.country_code

def parse_letter(text: str) -> ParsedLetter:
    """Parse the text of one letter. The text itself is kept as it is."""
    return LetterParser(text).parse()
