"""The commitments a letter makes, read from its blocks as one or more series.

A letter of the genre states what it commits to in a few recognisable forms:

* **numbered lists** ("1.", "1)", "(1)", "(a)", "i.") — possibly under roman
  section headings ("I. External borders"), numbered on across the sections
  or afresh in each;
* **heading-led points** — a short title (a heading, a bold line, a one-line
  bullet) followed by the paragraphs that explain it;
* **bold-led points** — paragraphs or items opening with bold words;
* **bulleted lists introduced as proposals** ("…endorse the following:");
* **roman-numbered sections** of prose, when nothing inside them is numbered.

Each becomes a series of :class:`~briefing_app.corpus.parsed.ParsedCommitment`
with its number as written (or its position), section, title (its heading or
first clause), full text, deadline and due date (read against the letter's
date), lead actors and partner countries, and the span it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from briefing_app.corpus.blocks import Block, roman_heading
from briefing_app.corpus.countries import countries_in
from briefing_app.corpus.gazetteer import actors_in
from briefing_app.corpus.parsed import ParsedCommitment
from briefing_app.corpus.patterns import CONCLUSION
from briefing_app.domain.dates import find_deadline
from briefing_app.text import one_line

#: What a letter calls its commitments, most specific first: (pattern, title, key).
_SERIES_NAMES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), title, key)
    for pattern, title, key in (
        (r"\boperational\s+measures\b", "Operational measures", "measures"),
        (r"\bpoints?\s+(?:of|for)\s+action\b|\baction\s+points?\b", "Points of action",
         "action-points"),
        (r"\bmeasures\b|\bmesures\b|\bMaßnahmen\b", "Measures", "measures"),
        (r"\bproposals?\b|\bpropositions?\b|\bVorschläge\b", "Proposals", "proposals"),
        (r"\brecommendations?\b|\brecommandations?\b|\bEmpfehlungen\b", "Recommendations",
         "recommendations"),
        (r"\bpriorit(?:y|ies)\b|\bpriorités?\b|\bPrioritäten\b", "Priorities", "priorities"),
        (r"\bactions?\b", "Actions", "actions"),
        (r"\bsteps?\b", "Steps", "steps"),
        (r"\bobjectives?\b|\bobjectifs?\b|\bZiele\b", "Objectives", "objectives"),
        (r"\bprinciples?\b|\bprincipes?\b|\bGrundsätze\b", "Principles", "principles"),
        (r"\bpoints\b", "Points", "points"),
    )
)
_TRIGGER = re.compile(
    r"\b(?:propos\w*|following|endorse|call(?:s|ed)?\s+(?:on|upon)|urge|commit\w*|agree\w*"
    r"|invit\w*|ask|recommend\w*|suggest\w*|measures|actions|steps|points|priorit\w*"
    r"|suivant\w*|folgende\w*|appel\w*|demand\w*|fordern)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:]$")
#: A sentence announcing a series: "10 points of action", "three proposals", "the following".
_ANNOUNCED = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|following|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|suivant\w*|zwei|drei|vier|fünf"
    r"|folgende\w*)\s+(?:\w+\s+){0,2}(?:points?|measures?|proposals?|actions?|priorit\w+|steps?"
    r"|recommendations?|mesures|propositions|Maßnahmen|Vorschläge)\b",
    re.IGNORECASE,
)


@dataclass
class _Point:
    """A commitment being read: its opening block and the blocks that belong to it."""

    head: Block
    title: str | None = None  # when the head is a title (heading-led point)
    body: list[Block] = field(default_factory=list)
    subs: list[Block] = field(default_factory=list)
    section: tuple[str, str] | None = None
    number: int | None = None
    marker: str | None = None


def _title_like(block: Block) -> bool:
    """A short line that names a point rather than saying it: no full stop, few words."""
    text = block.text.lstrip("-–• ").strip()
    return bool(text) and len(text.split()) <= 16 and not _SENTENCE_END.search(text) and \
        len(block.lines) <= 2


def first_clause(text: str) -> str:
    """A commitment's title when it has no heading: its first clause."""
    first = one_line(text.split("\n")[0])
    match = re.search(r"(?<=[^\s.])(?<!\b[A-Z])(?<!\bNo)(?<!\be\.g)(?<!\bi\.e)[.;:](?=\s|$)", first)
    if match:
        first = first[:match.start()]
    if len(first) > 160:
        comma = first.find(", ")
        first = first[:comma] if 20 < comma < 160 else first[:160].rsplit(" ", 1)[0]
    return first.strip()


class CommitmentReader:
    """Reads the series of one letter's body blocks."""

    def __init__(self, blocks: list[Block], letter_date: date | None) -> None:
        self.blocks = blocks
        self.position = {id(block): number for number, block in enumerate(blocks)}
        self.letter_date = letter_date
        self.taken: set[int] = set()  # block positions already in a series

    # -- the whole letter -------------------------------------------------------

    def read(self) -> list[ParsedCommitment]:
        series: list[tuple[int, str | None, list[_Point]]] = []
        series += self._numbered()
        series += self._heading_led()
        series += self._bold_led()
        if not series:
            series += self._bulleted()
        if not series:
            series += self._roman_sections()
        series.sort(key=lambda entry: entry[0])
        found: list[ParsedCommitment] = []
        keys: dict[str, int] = {}
        for first, named, points in series:
            title, key = self._series_name(first, named)
            keys[key] = keys.get(key, 0) + 1
            if keys[key] > 1:
                key = f"{key}-{keys[key]}"
            found += [self._commitment(key, title, position, point)
                      for position, point in enumerate(points, start=1)]
        return found

    # -- numbered lists -----------------------------------------------------------

    def _numbered(self) -> list[tuple[int, str | None, list[_Point]]]:
        """Numbered (or lettered) items, numbered on across sections or afresh in each."""
        runs: list[tuple[int, str | None, list[_Point]]] = []
        points: list[_Point] = []
        first_position = 0
        section: tuple[str, str] | None = None
        section_changed = False
        style: str | None = None
        top_indent = 0
        gap = False  # prose since the last point

        def close() -> None:
            nonlocal points
            if len(points) >= 2:
                runs.append((first_position, None, points))
                for point in points:
                    self.taken.update(self.position[id(b)]
                                      for b in [point.head, *point.subs, *point.body])
            points = []

        for position, block in enumerate(self.blocks):
            if block.kind == "heading":
                roman = roman_heading(block.text)
                if roman:
                    section, section_changed = roman, True
                    gap = True
                elif points and points[-1].title is None:
                    gap = True
                continue
            marker = block.marker
            if block.kind != "item" or marker is None:
                if points and points[-1].title is not None and not section_changed:
                    points[-1].body.append(block)
                else:
                    gap = True
                continue
            value = marker.value or 0
            if points:
                same_level = marker.style == style and block.lines[0].indent <= top_indent + 1
                expected = (points[-1].number or 0) + 1
                if same_level and (value == expected or (value == 1 and section_changed)):
                    pass  # the next point
                elif not same_level and not (gap and marker.style == "bullet"):
                    points[-1].subs.append(block)
                    continue
                else:
                    close()
            if not points:
                if marker.style == "bullet" or value != 1:
                    continue
                style, top_indent, first_position = marker.style, block.lines[0].indent, position
            section_changed, gap = False, False
            point = _Point(block, section=section, number=value, marker=marker.written)
            if _title_like(block) and self._followed_by_prose(position):
                point.title = block.text
            points.append(point)
        close()
        return runs

    def _followed_by_prose(self, position: int) -> bool:
        following = self.blocks[position + 1:position + 2]
        return bool(following) and following[0].kind == "paragraph"

    # -- heading-led and bold-led points -----------------------------------------------

    def _heading_led(self) -> list[tuple[int, str | None, list[_Point]]]:
        """Short titles (headings, bold lines, one-line bullets), each followed by prose."""
        runs: list[tuple[int, str | None, list[_Point]]] = []
        points: list[_Point] = []
        first_position = 0
        section: tuple[str, str] | None = None
        for position, block in enumerate(self.blocks):
            if position in self.taken:
                continue
            roman = roman_heading(block.text) if block.kind == "heading" else None
            if roman:
                section = roman
                continue
            is_title = (block.kind == "heading" and not roman_heading(block.text)
                        and not block.heading_level and _title_like(block)
                        and block.text[:1] not in "—") or (
                block.kind == "item" and block.marker is not None
                and block.marker.style == "bullet" and _title_like(block))
            if is_title and block.kind == "heading" and block.text.isupper():
                is_title = False  # a heading in capitals names a part, not a point
            if is_title and self._followed_by_prose(position):
                if not points:
                    first_position = position
                points.append(_Point(block, title=block.text.lstrip("-–• ").strip(),
                                     section=section))
                continue
            if points and block.kind == "paragraph":
                points[-1].body.append(block)
                continue
            if points and block.kind == "item" and points[-1].body:
                points[-1].body.append(block)
                continue
            if points:
                if len(points) >= 2:
                    runs.append((first_position, None, points))
                points = []
        if len(points) >= 2:
            runs.append((first_position, None, points))
        for _, _, run in runs:
            self._end_last_point(run)
            for point in run:
                self.taken.update(self.position[id(b)] for b in [point.head, *point.body])
        return runs

    @staticmethod
    def _end_last_point(points: list[_Point]) -> None:
        """The last point's text stops where the letter's conclusion begins."""
        last = points[-1]
        for number, block in enumerate(last.body):
            if number and CONCLUSION.match(block.text):
                del last.body[number:]
                break

    def _bold_led(self) -> list[tuple[int, str | None, list[_Point]]]:
        """Paragraphs or items that open with bold words, two or more in a row."""
        runs: list[tuple[int, str | None, list[_Point]]] = []
        group: list[tuple[int, Block, tuple[str, str] | None]] = []
        section: tuple[str, str] | None = None

        def close() -> None:
            if len(group) >= 2:
                points = [_Point(block, title=(block.bold_lead or "").strip(" .:–-"),
                                 section=part) for _, block, part in group]
                runs.append((group[0][0], None, points))
                self.taken.update(position for position, _, _ in group)
            group.clear()

        for position, block in enumerate(self.blocks):
            roman = roman_heading(block.text) if block.kind == "heading" else None
            if roman:
                section = roman  # sections structure the points, they do not end them
                continue
            if position in self.taken or block.kind == "heading" or block.bold:
                close()
                continue
            lead = block.bold_lead
            if lead and len(lead.split()) <= 16 and len(block.text) > len(lead) + 20:
                group.append((position, block, section))
            else:
                close()
        close()
        return runs

    # -- bulleted proposals, roman sections -----------------------------------------------

    def _bulleted(self) -> list[tuple[int, str | None, list[_Point]]]:
        runs: list[tuple[int, str | None, list[_Point]]] = []
        for position, block in enumerate(self.blocks):
            if block.kind != "paragraph" or not block.text.rstrip().endswith(":") or \
                    not _TRIGGER.search(block.text):
                continue
            points: list[_Point] = []
            for later in range(position + 1, len(self.blocks)):
                item = self.blocks[later]
                if item.kind != "item" or later in self.taken:
                    break
                if item.level > 0 and points:
                    points[-1].subs.append(item)
                    continue
                points.append(_Point(item, marker=item.marker.written if item.marker else None))
            if len(points) >= 2:
                runs.append((position + 1, one_line(block.text), points))
        return runs

    def _roman_sections(self) -> list[tuple[int, str | None, list[_Point]]]:
        points: list[_Point] = []
        first_position = 0
        for position, block in enumerate(self.blocks):
            roman = roman_heading(block.text) if block.kind == "heading" else None
            if roman:
                if not points:
                    first_position = position
                points.append(_Point(block, title=roman[1], section=roman,
                                     marker=block.text.split()[0]))
            elif points and block.kind != "heading":
                points[-1].body.append(block)
        return [(first_position, None, points)] if len(points) >= 2 else []

    # -- naming and assembling ---------------------------------------------------------

    def _series_name(self, first: int, named: str | None) -> tuple[str, str]:
        """The series' title and key: from a heading above it or the sentence announcing it."""
        candidates = [named] if named else []
        for block in reversed(self.blocks[max(0, first - 4):first]):
            if block.kind == "heading" and not roman_heading(block.text):
                candidates.append(block.text)
                break
        near = [block.text for block in reversed(self.blocks[max(0, first - 3):first])
                if block.kind == "paragraph"]
        candidates += near
        candidates += [block.text for block in self.blocks[max(0, first - 40):first]
                       if block.kind == "paragraph" and _ANNOUNCED.search(block.text)]
        for text in candidates:
            for pattern, title, key in _SERIES_NAMES:
                if pattern.search(text):
                    return title, key
        return "Commitments", "commitments"

    def _commitment(self, key: str, series_title: str, position: int,
                    point: _Point) -> ParsedCommitment:
        head_text = point.head.text.lstrip("-–• ").strip() if point.title else point.head.text
        if point.title is not None:
            paragraphs = [one_line(block.text) for block in point.body]
            text = _join_paragraphs(paragraphs) or head_text
        else:
            pieces = [one_line(head_text)]
            pieces += ["- " + one_line(sub.text) for sub in point.subs]
            pieces += [one_line(block.text) for block in point.body]
            text = "\n".join(pieces)
        title = point.title or first_clause(text)
        whole = one_line(f"{head_text} {text}" if point.title else text)
        passage = _pledges(whole) if point.title and len(whole) >= 400 else whole
        deadline = find_deadline(passage, self.letter_date)
        last = max([point.head, *point.body, *point.subs], key=lambda block: block.end)
        section = point.section
        return ParsedCommitment(
            series=key, series_title=series_title, position=position,
            number=point.number if point.number is not None else position,
            marker=point.marker, section=section[0] if section else None,
            section_title=section[1] if section else None, title=one_line(title), text=text,
            deadline=deadline.as_written if deadline else None,
            due_date=deadline.due_date if deadline else None,
            actors=actors_in(whole), countries=countries_in(whole),
            start=point.head.start, end=last.end,
        )


#: Words that make a sentence a pledge rather than a report ("we will", "aiming for").
_PLEDGE = re.compile(
    r"\b(?:will|shall|should|must|commit\w*|propos\w*|intend\w*|aim\w*|plan\w*|need\s+to"
    r"|ready\s+to|call\s+(?:on|upon)|invite\w*|urge\w*|agree\w*|devrai\w*|doit|doivent"
    r"|propos\w*|soll\w*|werden|wird|muss\w*)\b",
    re.IGNORECASE,
)


def _pledges(text: str) -> str:
    """The sentences of a long passage that promise something (where its deadlines are)."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text)
    return " ".join(sentence for sentence in sentences if _PLEDGE.search(sentence))


def _join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by blank lines; one split by a page break is joined again."""
    joined: list[str] = []
    for paragraph in (one_line(p) for p in paragraphs if p.strip()):
        if joined and not re.search(r"[.!?:;\"”’)]$", joined[-1]) and paragraph[:1].islower():
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return "\n\n".join(joined)


def read_commitments(blocks: list[Block], letter_date: date | None) -> list[ParsedCommitment]:
    """Every series of commitments in ``blocks`` (the letter's body and annexes)."""
    return CommitmentReader(blocks, letter_date).read()
