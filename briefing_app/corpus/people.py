"""People in a letter: honorifics split off, what looks like a name, titles over several
lines, the Member State a title names, and a role built from all of it."""

from __future__ import annotations

import re

from briefing_app.corpus.gazetteer import HONORIFICS, OFFICE_WORDS, member_state_in, organisation_of
from briefing_app.corpus.parsed import ParsedRole
from briefing_app.domain.dates import find_date
from briefing_app.text import one_line

_HONORIFIC = re.compile(
    r"^(?P<h>(?:" + "|".join(re.escape(h.rstrip(".")) for h in HONORIFICS) + r")\.?)"
    r"\s+(?P<rest>.+)$"
)
_PARTICLES = frozenset(
    """von van der den de la le du da di del dos zu ter y""".split()
)
_CONNECTORS = frozenset(
    """of the and for to in de""".split()
)


def split_honorific(text: str) -> tuple[str | None, str]:
    """("Mr", "Gerhard KARNER") from "Mr Gerhard KARNER".

    An initial is not an honorific: "M. OZOLIŅŠ" keeps its "M." (what follows
    an honorific is a full name, two words at least).
    """
    match = _HONORIFIC.match(text.strip())
    if match and len(match["rest"].split()) >= 2:
        second = _HONORIFIC.match(match["rest"].strip())  # "H.E. Ms Maria …"
        if second and len(second["rest"].split()) >= 2:
            return f"{match['h']} {second['h']}", second["rest"].strip()
        return match["h"], match["rest"].strip()
    if match and len(match["h"]) > 2 and match["h"] not in {"Don", "Pan"}:
        return match["h"], match["rest"].strip()
    return None, text.strip()


#: Offices written before a name in an address ("Kommissarin Elena Marković").
LEADING_TITLES = frozenset(
    """commissioner commissaire kommissarin kommissar minister ministre ministerin ministro
    ministra president président présidente präsident präsidentin ambassador ambassadeur
    botschafter botschafterin secretary-general staatssekretär staatssekretärin
    director-general""".split()
)


def leading_title(text: str) -> tuple[str | None, str]:
    """("Kommissarin", "Elena Marković") from "Kommissarin Elena Marković"."""
    words = text.split()
    taken = 0
    while taken < len(words) - 2 and words[taken].casefold() in LEADING_TITLES:
        taken += 1
    if not taken:
        return None, text
    return " ".join(words[:taken]), " ".join(words[taken:])


def looks_like_name(text: str) -> bool:
    """True for "Vít Rakušan", "YLVA JOHANSSON", "Ursula von der Leyen"."""
    words = text.split()
    if not 2 <= len(words) <= 6:
        return False
    capitalised = 0
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        core = word.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
        if not core.isalpha() or not word[0].isupper():
            return False
        if word.casefold().strip(".,") in OFFICE_WORDS:
            return False
        capitalised += 1
    return capitalised >= 2


class NameTest:
    """Whether a line names a person, judged against the words of the whole letter.

    A heading in capitals ("OPERATIONAL MEASURES") looks like a name, but its
    words also appear in lower case in the letter's prose: names do not.
    """

    def __init__(self, text: str) -> None:
        self.common = {word for word in re.findall(r"[^\W\d_]+", text) if word.islower()}

    def __call__(self, text: str) -> bool:
        if not looks_like_name(text):
            return False
        words = [w.strip(".,").casefold() for w in text.split()
                 if w.casefold() not in _PARTICLES and len(w.strip(".,")) > 1]
        return not words or not all(word in self.common for word in words)


_OFFICE = re.compile(
    r"^(?:the|le|la|der|die|il|el|o|de)?\s*(?:(?:acting|deputy|vice|first|executive)[\s-]+)?"
    r"(?:president|commissioner|minister|director(?:-general)?|secretary(?:-general)?|"
    r"ambassador|permanent\s+representative|head|chair(?:man|woman|person)?|"
    r"high\s+representative|ministre|présidente?|commissaire|directeur|directrice|"
    r"secrétaire|ambassadeur|représentante?|präsident(?:in)?|minister(?:in)?|"
    r"bundesminister(?:in)?|staatssekretär(?:in)?|parlamentarische\s+staatssekretär(?:in)?|"
    r"kommissar(?:in)?|botschafter(?:in)?|ministro|ministra|presidente|segretari[oa])\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(?:ministry|ministère|ministerium|bundesministerium|ministerio|ministero|ministerstvo|"
    r"ministerie|commission|council|parliament|directorate|government|gouvernement|"
    r"regierung|governo|gobierno|embassy|ambassade|botschaft|representation|représentation|"
    r"vertretung|secretariat|agency|république|republic|republik|kingdom|royaume|königreich)\b",
    re.IGNORECASE,
)


def is_office(text: str) -> bool:
    """A line naming an office a person holds: "THE PRESIDENT", "Le Ministre"."""
    return bool(_OFFICE.match(text.strip())) and len(text.split()) <= 12


def is_institution(text: str) -> bool:
    """A line naming an institution: "EUROPEAN COMMISSION", "Bundesministerium des Innern"."""
    return bool(_INSTITUTION.search(text)) and not is_office(text)


def organisation_named(text: str) -> str | None:
    """The EU institution a letterhead names, in its English name."""
    folded = text.casefold()
    for needle, name in (("european commission", "European Commission"),
                         ("commission européenne", "European Commission"),
                         ("europäische kommission", "European Commission"),
                         ("european council", "European Council"),
                         ("european parliament", "European Parliament"),
                         ("parlement européen", "European Parliament"),
                         ("council of the european union", "Council of the European Union")):
        if needle in folded:
            return name
    return None


def is_contact(text: str) -> bool:
    """Address, telephone and e-mail lines of a letterhead or address block."""
    if "@" in text or re.match(r"^(?:Tel|Fax|Phone|E-?mail|Mobile)\b", text, re.IGNORECASE):
        return True
    return bool(re.search(r"\d", text)) and not find_date(text)


def is_address(text: str) -> bool:
    """Contact lines that never belong to a title: e-mail, telephone, a street or postcode."""
    if "@" in text or re.match(r"^(?:Tel|Fax|Phone|E-?mail|Mobile|www\.)\b", text, re.IGNORECASE):
        return True
    return bool(re.search(r"\b\d{4,5}\b|\b\d{1,4}\s*,|,\s*\d{1,4}\b", text)) and \
        not find_date(text)


def join_title(lines: list[str], *, wrapped: bool) -> str | None:
    """Join a title written over several lines.

    Signature titles wrap mid-phrase ("Minister of Interior of the Republic of" /
    "Austria"): joined with a space. Address and letterhead lines are separate
    items ("Federal Minister of the Interior" / "Republic of Austria"): joined
    with a comma, unless the first line ends with a connecting word.
    """
    parts = [line for line in (one_line(x) for x in lines) if line]
    if not parts:
        return None
    result = parts[0]
    for part in parts[1:]:
        last_word = result.split()[-1].casefold()
        separator = " " if wrapped or last_word in _CONNECTORS or result.endswith(",") else ", "
        result = f"{result}{separator}{part}"
    return result


def country_of(title: str | None) -> tuple[str | None, str | None]:
    found = member_state_in(title or "")
    return (found[0], found[1]) if found else (None, None)


def role_of(role: str, name_text: str, title: str | None, organisation: str | None,
          start: int, end: int, honorific: str | None = None) -> ParsedRole:
    if honorific is None:
        honorific, name_text = split_honorific(name_text)
    country, code = country_of(title)
    return ParsedRole(
        role=role,
        name=one_line(name_text),
        honorific=honorific,
        title=title,
        organisation=organisation or organisation_of(title),
        country=country,
        country_code=code,
        start=start,
        end=end,
    )
