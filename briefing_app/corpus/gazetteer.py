"""Names the parser recognises: honorifics, EU Member States, organisations, actors."""

from __future__ import annotations

import re

HONORIFICS = ("Mr", "Ms", "Mrs", "Dr", "Prof", "Sir", "Dame", "H.E.", "Monsieur", "Madame",
              "Mme", "M.", "Herr", "Frau", "Signor", "Signora", "Sig.", "Sig.ra", "On.", "Dott.",
              "Sr.", "Sra.", "Don", "Doña", "Dhr.", "Mevr.", "Pan", "Pani")

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


#: Member States as their own languages name them, and their capitals (a national
#: ministry writing from its capital).
_NATIVE_NAMES: dict[str, tuple[str, str]] = {
    "République française": ("France", "FR"), "RÉPUBLIQUE FRANÇAISE": ("France", "FR"),
    "Bundesrepublik Deutschland": ("Germany", "DE"), "Republik Österreich": ("Austria", "AT"),
    "Repubblica Italiana": ("Italy", "IT"), "Reino de España": ("Spain", "ES"),
    "Koninkrijk der Nederlanden": ("Netherlands", "NL"), "República Portuguesa": ("Portugal", "PT"),
    "Rzeczpospolita Polska": ("Poland", "PL"), "Česká republika": ("Czechia", "CZ"),
    "République tchèque": ("Czechia", "CZ"), "Tschechische Republik": ("Czechia", "CZ"),
    "Belgique": ("Belgium", "BE"), "Belgien": ("Belgium", "BE"), "BELGIQUE": ("Belgium", "BE"),
    "BELGIEN": ("Belgium", "BE"), "Deutschland": ("Germany", "DE"), "Allemagne": ("Germany", "DE"),
    "Österreich": ("Austria", "AT"), "Autriche": ("Austria", "AT"), "Espagne": ("Spain", "ES"),
    "Spanien": ("Spain", "ES"), "España": ("Spain", "ES"), "Italie": ("Italy", "IT"),
    "Italien": ("Italy", "IT"), "Grèce": ("Greece", "GR"), "Griechenland": ("Greece", "GR"),
    "Pologne": ("Poland", "PL"), "Polen": ("Poland", "PL"), "Suède": ("Sweden", "SE"),
    "Schweden": ("Sweden", "SE"), "Pays-Bas": ("Netherlands", "NL"),
    "Niederlande": ("Netherlands", "NL"), "Frankreich": ("France", "FR"),
    "Hongrie": ("Hungary", "HU"), "Ungarn": ("Hungary", "HU"), "Danemark": ("Denmark", "DK"),
    "Dänemark": ("Denmark", "DK"), "Finlande": ("Finland", "FI"), "Finnland": ("Finland", "FI"),
    "Irlande": ("Ireland", "IE"), "Irland": ("Ireland", "IE"), "Roumanie": ("Romania", "RO"),
    "Rumänien": ("Romania", "RO"), "Bulgarie": ("Bulgaria", "BG"), "Bulgarien": ("Bulgaria", "BG"),
    "Croatie": ("Croatia", "HR"), "Kroatien": ("Croatia", "HR"), "Chypre": ("Cyprus", "CY"),
    "Zypern": ("Cyprus", "CY"), "Slovaquie": ("Slovakia", "SK"), "Slowakei": ("Slovakia", "SK"),
    "Slovénie": ("Slovenia", "SI"), "Slowenien": ("Slovenia", "SI"), "Lettonie": ("Latvia", "LV"),
    "Lettland": ("Latvia", "LV"), "Lituanie": ("Lithuania", "LT"), "Litauen": ("Lithuania", "LT"),
    "Estonie": ("Estonia", "EE"), "Estland": ("Estonia", "EE"), "Malte": ("Malta", "MT"),
}
CAPITALS: dict[str, tuple[str, str]] = {
    "Vienna": ("Austria", "AT"), "Wien": ("Austria", "AT"), "Sofia": ("Bulgaria", "BG"),
    "Zagreb": ("Croatia", "HR"), "Nicosia": ("Cyprus", "CY"), "Prague": ("Czechia", "CZ"),
    "Praha": ("Czechia", "CZ"), "Copenhagen": ("Denmark", "DK"), "København": ("Denmark", "DK"),
    "Tallinn": ("Estonia", "EE"), "Helsinki": ("Finland", "FI"), "Paris": ("France", "FR"),
    "Berlin": ("Germany", "DE"), "Athens": ("Greece", "GR"), "Budapest": ("Hungary", "HU"),
    "Dublin": ("Ireland", "IE"), "Rome": ("Italy", "IT"), "Roma": ("Italy", "IT"),
    "Riga": ("Latvia", "LV"), "Vilnius": ("Lithuania", "LT"), "Valletta": ("Malta", "MT"),
    "The Hague": ("Netherlands", "NL"), "Den Haag": ("Netherlands", "NL"),
    "Amsterdam": ("Netherlands", "NL"), "Warsaw": ("Poland", "PL"), "Warszawa": ("Poland", "PL"),
    "Lisbon": ("Portugal", "PT"), "Lisboa": ("Portugal", "PT"), "Bucharest": ("Romania", "RO"),
    "Bratislava": ("Slovakia", "SK"), "Ljubljana": ("Slovenia", "SI"), "Madrid": ("Spain", "ES"),
    "Stockholm": ("Sweden", "SE"),
}


def member_state_in(text: str) -> tuple[str, str] | None:
    """The Member State a title names ("…of the Hellenic Republic" -> Greece, GR)."""
    match = _MEMBER_STATE_PATTERN.search(text)
    if match:
        return MEMBER_STATE_NAMES[match.group(1)]
    return next((state for name, state in _NATIVE_NAMES.items() if name in text), None)


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
    madam sir ladies gentlemen dear sincerely regards letter joint invitation note memo
    memorandum statement declaration communication ministre ministère république française
    français direction directeur directrice générale général cabinet commissaire présidente
    président secrétaire représentation permanente ambassadeur bundesministerium ministerium
    bundesministerin bundesminister ministerin staatssekretär staatssekretärin parlamentarische
    kommission kommissarin kommissar europäische präsident präsidentin botschafter
    ständige vertretung ministero ministro ministerio ministra ministerstvo ministerie
    república repubblica republik""".split()
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
    Prague Riga Rome Sofia Stockholm Tallinn Valletta Vienna Vilnius Warsaw Zagreb Bruxelles
    Brüssel Bruxelas Bruselas Wien Roma Praha Warszawa Lisboa København Den Haag Geneva
    Genève Strasbourg Luxemburg Milan Munich München Hamburg Marseille Lyon Barcelona
    Valencia Seville Naples Turin Palermo Antwerp Rotterdam Gdańsk Kraków Thessaloniki
    Porto Tampere Gothenburg Malmö Aarhus Cork Lille Bordeaux Nice Toulouse Bonn
    Frankfurt Luxembourg""".split()
) | {"The Hague", "Den Haag", "Frankfurt am Main"}
