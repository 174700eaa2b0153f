"""Names the parser recognises: honorifics, EU Member States, organisations, actors."""

from __future__ import annotations

import re

HONORIFICS = ("Mr", "Ms", "Mrs", "Dr", "Prof", "Sir", "Dame", "H.E.")

#: EU Member States: the names letters use for them -> (short name, ISO code).
#: Longer forms come first so that "Czech Republic" wins over a bare match.
MEMBER_STATE_NAMES: dict[str, tuple[str, str]] = {
    "Hellenic Republic": ("Greece", "GR"),
    "Czech Republic": ("Czechia", "CZ"),
    "Kingdom of the Netherlands": ("Netherlands", "NL"),
    "Grand Duchy of Luxembourg": ("Luxembourg", "LU"),
    "Slovak Republic": ("Slovakia", "SK"),
    "Austria": ("Austria", "AT"),
    "Belgium": ("Belgium", "BE"),
    "Bulgaria": ("Bulgaria", "BG"),
    "Croatia": ("Croatia", "HR"),
    "Cyprus": ("Cyprus", "CY"),
    "Czechia": ("Czechia", "CZ"),
    "Denmark": ("Denmark", "DK"),
    "Estonia": ("Estonia", "EE"),
    "Finland": ("Finland", "FI"),
    "France": ("France", "FR"),
    "Germany": ("Germany", "DE"),
    "Greece": ("Greece", "GR"),
    "Hungary": ("Hungary", "HU"),
    "Ireland": ("Ireland", "IE"),
    "Italian Republic": ("Italy", "IT"),
    "Italy": ("Italy", "IT"),
    "Latvia": ("Latvia", "LV"),
    "Lithuania": ("Lithuania", "LT"),
    "Luxembourg": ("Luxembourg", "LU"),
    "Malta": ("Malta", "MT"),
    "Netherlands": ("Netherlands", "NL"),
    "Poland": ("Poland", "PL"),
    "Portugal": ("Portugal", "PT"),
    "Romania": ("Romania", "RO"),
    "Slovakia": ("Slovakia", "SK"),
    "Slovenia": ("Slovenia", "SI"),
    "Spain": ("Spain", "ES"),
    "Sweden": ("Sweden", "SE"),
}

_MEMBER_STATE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in MEMBER_STATE_NAMES) + r")\b"
)


def member_state_in(text: str) -> tuple[str, str] | None:
    """The Member State a title names ("…of the Hellenic Republic" -> Greece, GR)."""
    match = _MEMBER_STATE_PATTERN.search(text)
    return MEMBER_STATE_NAMES[match.group(1)] if match else None


#: Words that mark a line as an organisation or office rather than a person's name.
OFFICE_WORDS = frozenset(
    """commission commissioner european union president minister ministry director
    directorate general directorate-general council parliament republic kingdom affairs
    secretary representative cabinet head adviser office agency member dear yours
    brussels annex enclosure the of for and to representation permanent government embassy
    delegation secretariat presidency services department unit ministers members leaders
    colleagues heads states state national federal agency authorities board committee group
    team police coastguard guard border borders migration asylum home interior justice
    conclusions summary introduction background contents excellency excellencies honourable
    madam sir ladies gentlemen dear sincerely regards""".split()
)

#: Bodies that lead or support operational measures, as the letters name them.
ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("Commission", r"\bCommission\b"),
        ("Member States", r"\bMember States\b"),
        ("Frontex", r"\bFrontex\b"),
        ("EU Asylum Agency", r"\bEU Asylum Agency\b"),
        ("Europol", r"\bEuropol\b"),
        ("Eurojust", r"\bEurojust\b"),
        ("UNHCR", r"\bUNHCR\b"),
        ("IOM", r"\bIOM\b"),
    )
)


def actors_in(text: str) -> list[str]:
    """The actors ``text`` names, in the fixed order of :data:`ACTORS`."""
    return [name for name, pattern in ACTORS if pattern.search(text)]


def organisation_of(title: str | None) -> str | None:
    """The organisation an EU office belongs to, read from its title."""
    if not title:
        return None
    folded = title.casefold()
    if any(word in folded for word in ("commission", "commissioner", "directorate-general",
                                       "cabinet of president", "director-general")):
        return "European Commission"
    return None

#: Places letters are written from: the EU seats and the Member States' capitals.
PLACES = frozenset(
    """Brussels Luxembourg Strasbourg Frankfurt Amsterdam Athens Berlin Bratislava
    Bucharest Budapest Copenhagen Dublin Helsinki Lisbon Ljubljana Madrid Nicosia Paris
    Prague Riga Rome Sofia Stockholm Tallinn Valletta Vienna Vilnius Warsaw Zagreb""".split()
) | {"The Hague"}
