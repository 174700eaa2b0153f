"""Dates as letters write them, and deadlines as measures word them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
#: Month names in the other languages letters to interior ministries are written in.
_FOREIGN_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
)
for _names in _FOREIGN_MONTHS:
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(_name.casefold(), _number)
MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12, "marz": 3, "jänner": 1, "setiembre": 9})

_MONTH_WORDS = "|".join(sorted((m for m in MONTHS), key=len, reverse=True))

#: "15/3/2024", "15.03.2024" (day first, as European letters write them)
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})\b")
#: "26 January 2023", "1st March 2024", "le 1er mars 2025", "3. Februar 2025", "7 de mayo de 2024"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?(?P<m>{_MONTH_WORDS})\.?,?\s+"
    rf"(?:de\s+)?(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
#: "January 26, 2023"
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH_WORDS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
#: ISO "2024-03-15"
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.casefold().rstrip(".")]


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """The first calendar date written in ``text``, with the match that holds it."""
    best: tuple[date, re.Match[str]] | None = None
    for pattern in (_ISO, _NUMERIC, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            try:
                found = date(int(match["y"]), _month(match["m"]), int(match["d"]))
            except ValueError:
                continue
            if best is None or match.start() < best[1].start():
                best = (found, match)
            break
    return best


def parse_date(text: str) -> date | None:
    """The date in ``text`` or None: "Brussels, 15/3/2024" -> 2024-03-15."""
    found = find_date(text)
    return found[0] if found else None


@dataclass(frozen=True)
class Deadline:
    """A deadline as written and the last day it allows."""

    as_written: str
    due_date: date | None


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Each rule: a phrase pattern (with a named group "y" for the year) and the last
# day it allows. Seasons are meteorological (spring = March–May), the reading
# used in EU planning documents.
_DEADLINE_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"\b(?:in|by|during)\s+the\s+first\s+half\s+of\s+(?P<y>\d{4})", re.I),
     lambda y: date(y, 6, 30)),
    (re.compile(r"\b(?:in|by|during)\s+the\s+second\s+half\s+of\s+(?P<y>\d{4})", re.I),
     lambda y: date(y, 12, 31)),
    (re.compile(r"\b(?:in|by|during)\s+the\s+(?P<q>first|second|third|fourth)\s+quarter\s+of\s+"
                r"(?P<y>\d{4})", re.I),
     None),
    (re.compile(r"\bby\s+(?:the\s+)?mid-?\s?(?P<y>\d{4})", re.I), lambda y: date(y, 6, 30)),
    (re.compile(r"\bby\s+(?:the\s+)?end\s+of\s+(?P<y>\d{4})", re.I), lambda y: date(y, 12, 31)),
    (re.compile(r"\bby\s+(?P<s>spring|summer|autumn|fall|winter)\s+(?P<y>\d{4})", re.I), None),
    (re.compile(rf"\bby\s+(?:the\s+end\s+of\s+)?(?P<m>{_MONTH_WORDS})\s+(?P<y>\d{{4}})", re.I),
     None),
    (re.compile(r"\b(?:in|during|by)\s+(?P<y>(?:19|20)\d{2})\b(?!\s+(?:so\s+far|already|alone))",
                re.I), lambda y: date(y, 12, 31)),
]

#: Words that introduce a time limit, in the languages letters are written in.
_BY = (r"(?:by|before|no\s+later\s+than|not\s+later\s+than|until|till"
       r"|d['’]ici\s+(?:au|à\s+la|à|le|la)?|avant\s+(?:le|la)?|au\s+plus\s+tard\s+(?:le|en|au|à)?"
       r"|jusqu['’](?:au|à|en)|bis\s+(?:zum|spätestens)?|spätestens\s+(?:am|zum|bis)?"
       r"|entro\s+(?:il|la)?|antes\s+del?|a\s+más\s+tardar\s+(?:el|en)?|uiterlijk|vóór)")
_END = (r"(?:the\s+end\s+of|la\s+fin\s+(?:de\s+l['’]année|du\s+mois\s+de|de)?|fin|Ende|fine"
        r"|finales\s+de)")
#: Explicit limits: a day, the end of a month, the end of a year, a quarter or half-year.
_EXPLICIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_BY}\s*(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+)?"
                rf"(?P<m>{_MONTH_WORDS})\.?,?\s+(?P<y>\d{{4}})\b", re.I), "day"),
    (re.compile(rf"\b{_BY}\s*(?P<dd>\d{{1,2}})[/.](?P<mm>\d{{1,2}})[/.](?P<y>\d{{4}})\b", re.I),
     "numeric"),
    (re.compile(rf"\b{_BY}\s*(?:{_END}\s+)?(?:(?:the\s+)?(?:month\s+of\s+)?)(?P<m>{_MONTH_WORDS})"
                rf"\s+(?P<y>\d{{4}})\b", re.I), "month"),
    (re.compile(rf"\b{_BY}\s*{_END}\s+(?P<y>\d{{4}})\b", re.I), "year"),
    (re.compile(r"\b(?:(?:by|before)\s+the\s+end\s+of\s+)?(?:in\s+)?the\s+(?P<q>first|second|third"
                r"|fourth)\s+quarter\s+of\s+(?P<y>\d{4})", re.I), "quarter"),
    (re.compile(r"\b(?:im|in)\s+(?P<h>ersten|zweiten)\s+Halbjahr\s+(?P<y>\d{4})", re.I), "half"),
    (re.compile(r"\bau\s+(?:cours\s+du\s+)?(?P<h>premier|second)\s+semestre\s+(?:de\s+)?(?P<y>\d{4})",
                re.I), "half"),
    (re.compile(r"\b(?:bis\s+)?Mitte\s+(?P<y>\d{4})|\bd['’]ici\s+(?:à\s+la\s+)?mi-(?P<y2>\d{4})",
                re.I), "mid"),
)


def _explicit(match: re.Match[str], rule: str) -> date | None:
    groups = match.groupdict()
    year = int(groups.get("y") or groups.get("y2") or 0)
    try:
        if rule == "day":
            return date(year, _month(groups["m"]), int(groups["d"]))
        if rule == "numeric":
            return date(year, int(groups["mm"]), int(groups["dd"]))
        if rule == "month":
            return _end_of_month(year, _month(groups["m"]))
        if rule == "year":
            return date(year, 12, 31)
        if rule == "quarter":
            return _end_of_month(year, _QUARTER_END[groups["q"].casefold()])
        if rule == "half":
            first = groups["h"].casefold() in {"ersten", "premier"}
            return date(year, 6, 30) if first else date(year, 12, 31)
        if rule == "mid":
            return date(year, 6, 30)
    except (KeyError, ValueError):
        return None
    return None


_QUARTER_END = {"first": 3, "second": 6, "third": 9, "fourth": 12}
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30)}


#: Deadlines without a year, read against the letter's date (``reference``): the
#: group "n" says which year ("this" or "next"); a season or month alone is the
#: next one to come.
_RELATIVE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bby\s+the\s+end\s+of\s+(?P<n>this|the|the\s+current|next|the\s+next)\s+year\b",
                re.I), "year"),
    (re.compile(r"\b(?:by|in|during|within)\s+(?P<n>next)\s+year\b", re.I), "year"),
    (re.compile(r"\b(?:by|before|in)\s+the\s+(?P<h>first|second)\s+half\s+of\s+(?P<n>this|the|next)"
                r"\s+year\b", re.I), "half"),
    (re.compile(r"\bby\s+(?:the\s+)?mid-?(?P<n>year|next\s+year)\b", re.I), "mid"),
    (re.compile(r"\b(?:by|before)\s+(?:the\s+)?(?P<n>this|next)?\s*(?P<s>spring|summer|autumn|fall"
                r"|winter)\b(?!\s+\d)", re.I), "season"),
    (re.compile(r"\bby\s+the\s+end\s+of\s+(?P<n>this|the|next)\s+month\b", re.I), "month"),
    (re.compile(rf"\bby\s+(?:the\s+end\s+of\s+)?(?P<m>{_MONTH_WORDS})\b(?!\s+\d)", re.I),
     "named_month"),
)


def _relative(match: re.Match[str], rule: str, reference: date) -> date | None:
    groups = match.groupdict()
    later = 1 if (groups.get("n") or "").casefold().endswith("next year") or (
        groups.get("n") or "").casefold() == "next" else 0
    year = reference.year + later
    if rule == "year":
        return date(year, 12, 31)
    if rule == "half":
        return date(year, 6, 30) if groups["h"].casefold() == "first" else date(year, 12, 31)
    if rule == "mid":
        return date(year, 6, 30)
    if rule == "month":
        month = reference.month + later
        return _end_of_month(reference.year + (month - 1) // 12, (month - 1) % 12 + 1)
    if rule == "season":
        season = groups["s"].casefold()
        due = date(year + 1, 2, 28) if season == "winter" else date(year, *_SEASON_END[season])
        return due if later or due >= reference else date(due.year + 1, due.month, due.day)
    if rule == "named_month":
        month = _month(groups["m"])
        due = _end_of_month(year, month)
        return due if due >= reference else _end_of_month(year + 1, month)
    return None


def find_deadline(text: str, reference: date | None = None) -> Deadline | None:
    """The first deadline phrase in ``text`` ("by mid-2023" -> 2023-06-30), or None.

    ``reference`` is the letter's date: "by the end of this year" is read
    against it; without it such a phrase has no due date.
    """
    hits: list[tuple[int, Deadline]] = []
    for pattern, name in _EXPLICIT_RULES:
        for explicit in pattern.finditer(text):
            due = _explicit(explicit, name)
            if due is not None:
                hits.append((explicit.start(), Deadline(explicit.group(0).strip(), due)))
                break
    for pattern, name in _RELATIVE_RULES:
        found = pattern.search(text)
        if found:
            due = _relative(found, name, reference) if reference else None
            hits.append((found.start(), Deadline(found.group(0), due)))
    for pattern, rule in _DEADLINE_RULES:
        match = pattern.search(text)
        if not match:
            continue
        year = int(match["y"])
        groups = match.groupdict()
        if reference is not None and year < reference.year:
            continue  # a year already past when the letter was written is no time limit
        if groups.get("q"):
            due = _end_of_month(year, _QUARTER_END[groups["q"].casefold()])
        elif groups.get("s"):
            season = groups["s"].casefold()
            due = date(year + 1, 2, 28) if season == "winter" else date(year, *_SEASON_END[season])
        elif groups.get("m"):
            due = _end_of_month(year, _month(groups["m"]))
        else:
            assert callable(rule)
            due = rule(year)
        phrase = match.group(0)
        # "in 2023" also matches inside "in the first half of 2023": keep the longest at a spot
        hits.append((match.start(), Deadline(phrase, due)))
    if not hits:
        return None
    # the earliest phrase wins; at one spot, the longest (most specific) one
    hits.sort(key=lambda hit: (hit[0], -len(hit[1].as_written)))
    return hits[0][1]
