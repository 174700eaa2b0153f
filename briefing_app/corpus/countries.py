"""Third countries as letters name them: names, adjectives, older names -> ISO codes.

"Libyan Coastguard" -> LY, "Turkey" and "Türkiye" -> TR, "Tunisian authorities"
-> TN. EU Member States are left out on purpose: a commitment's countries are
the partners it is about, not the Member States that carry it out.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

#: ISO 3166-1 alpha-2 -> the words that name the country (names first, then adjectives).
_NAMES: dict[str, str] = {
    # Western Balkans, Eastern neighbourhood, Türkiye
    "AL": "Albania|Albanian|Albanians|Albanie|Albanien|albanais|albanisch",
    "BA": "Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia|Bosnian|Bosnie-Herzégovine"
          "|Bosnien und Herzegowina|Bosnien-Herzegowina",
    "ME": "Montenegro|Montenegrin|Monténégro",
    "MK": "North Macedonia|Republic of North Macedonia|Macedonia|North Macedonian|Macedonian"
          "|Macédoine du Nord|Nordmazedonien",
    "RS": "Serbia|Serbian|Serbians|Serbie|Serbien|serbe|serbisch",
    "XK": "Kosovo|Kosovar|Kosovan",
    "TR": "Türkiye|Turkiye|Turkey|Turkish|Republic of Türkiye|Turquie|Türkei|turc|turque"
          "|türkisch|türkischen|Turquía|Turchia"
          "|turco|turca",
    "UA": "Ukraine|Ukrainian|Ukrainians|ukrainien|ukrainienne|ukrainisch|ukrainischen",
    "MD": "Moldova|Republic of Moldova|Moldovan|Moldavie|Moldau|Republik Moldau",
    "BY": "Belarus|Belarusian|Byelorussia|Biélorussie|Bélarus|Weißrussland|biélorusse|belarussisch",
    "RU": "Russia|Russian Federation|Russian|Russie|Russland|russe|russisch|russischen",
    "GE": "Georgia|Georgian|Géorgie|Georgien|géorgien",
    "AM": "Armenia|Armenian",
    "AZ": "Azerbaijan|Azerbaijani",
    "NO": "Norway|Norwegian",
    "CH": "Switzerland|Swiss",
    "IS": "Iceland|Icelandic",
    "GB": "United Kingdom|Britain|Great Britain|British|UK",
    # North Africa and the Middle East
    "MA": "Morocco|Moroccan|Moroccans|Maroc|Marokko|marocain|marocaine|marocains|marocaines"
          "|marokkanisch|marokkanischen|Marruecos"
          "|Marocco|marocchino|marocchina|marroquí",
    "DZ": "Algeria|Algerian|Algerians|Algérie|Algerien|algérien|algérienne|algerisch|Argelia"
          "|algerino|algerina|argelino",
    "TN": "Tunisia|Tunisian|Tunisians|Tunisie|Tunesien|tunisien|tunisienne|tunisiens|tunisiennes"
          "|tunesisch|tunesischen|Túnez"
          "|tunisino|tunisina|tunisini|tunisine|tunecino|tunecina",
    "LY": "Libya|Libyan|Libyans|Libye|Libyen|libyen|libyenne|libyens|libysch|libyschen|Libia"
          "|libico|libica|libici|libiche|libio|libia",
    "EG": "Egypt|Egyptian|Egyptians|Égypte|Egypte|Ägypten|égyptien|égyptienne|ägyptisch"
          "|ägyptischen|Egipto|Egitto"
          "|egiziano|egiziana|egipcio|egipcia",
    "MR": "Mauritania|Mauritanian|Mauritanians|Mauritanie|Mauretanien|mauritanien|mauritanienne"
          "|mauritano|mauritana",
    "LB": "Lebanon|Lebanese|Liban|Libanon|libanais|libanaise|libanesisch",
    "SY": "Syria|Syrian Arab Republic|Syrian|Syrians|Syrie|Syrien|syrien|syrienne|syrisch"
          "|syrischen",
    "JO": "Jordan|Jordanian|Jordanians|Jordanie|Jordanien",
    "IQ": "Iraq|Iraqi|Iraqis|Irak|irakien|irakisch",
    "IR": "Iran|Islamic Republic of Iran|Iranian|Iranians",
    "IL": "Israel|Israeli|Israelis",
    "PS": "Palestine|State of Palestine|Palestinian Territories|Gaza|West Bank|Palestinian"
          "|Palestinians",
    "SA": "Saudi Arabia|Saudi",
    "YE": "Yemen|Yemeni",
    "AE": "United Arab Emirates|UAE|Emirati",
    "QA": "Qatar|Qatari",
    "KW": "Kuwait|Kuwaiti",
    # Sub-Saharan Africa
    "SN": "Senegal|Senegalese|Sénégal|sénégalais|sénégalaise|senegalesisch"
          "|senegalese",
    "GM": "Gambia|The Gambia|Gambian|Gambians|Gambie",
    "GN": "Guinea|Republic of Guinea|Guinea-Conakry|Guinean|Guineans|Guinée",
    "GW": "Guinea-Bissau|Bissau-Guinean",
    "ML": "Mali|Malian|Malians|malien|malienne",
    "NE": "Niger|Nigerien|Nigeriens|nigérien|nigérienne",
    "NG": "Nigeria|Nigerian|Nigerians",
    "BF": "Burkina Faso|Burkinabe|Burkinabè",
    "CI": "Côte d'Ivoire|Cote d'Ivoire|Côte d’Ivoire|Ivory Coast|Ivorian|Ivorians|ivoirien"
          "|ivoirienne|ivoiriens"
          "|Costa d'Avorio|Costa de Marfil",
    "GH": "Ghana|Ghanaian|Ghanaians",
    "CM": "Cameroon|Cameroonian|Cameroonians",
    "TD": "Chad|Chadian|Chadians|Tchad|Tschad",
    "SD": "Sudan|Sudanese|Soudan",
    "SS": "South Sudan|South Sudanese",
    "ER": "Eritrea|Eritrean|Eritreans|Érythrée|érythréen",
    "ET": "Ethiopia|Ethiopian|Ethiopians|Éthiopie|Äthiopien",
    "SO": "Somalia|Somali|Somalis|Somalie",
    "KE": "Kenya|Kenyan|Kenyans",
    "UG": "Uganda|Ugandan",
    "RW": "Rwanda|Rwandan",
    "CD": "Democratic Republic of the Congo|DR Congo|DRC|Congolese",
    "CG": "Republic of the Congo|Congo-Brazzaville",
    "SL": "Sierra Leone|Sierra Leonean",
    "LR": "Liberia|Liberian",
    "CV": "Cabo Verde|Cape Verde|Cape Verdean",
    "BJ": "Benin|Beninese",
    "TG": "Togo|Togolese",
    "DJ": "Djibouti|Djiboutian",
    "GQ": "Equatorial Guinea|Equatoguinean",
    "PG": "Papua New Guinea",
    "ZA": "South Africa|South African",
    # Asia
    "AF": "Afghanistan|Afghan|Afghans|afghan|afghane|afghanisch|afghanischen",
    "PK": "Pakistan|Pakistani|Pakistanis",
    "BD": "Bangladesh|Bangladeshi|Bangladeshis|Bangladesch",
    "IN": "India|Indians",
    "LK": "Sri Lanka|Sri Lankan",
    "NP": "Nepal|Nepalese|Nepali",
    "CN": "China|People's Republic of China|Chinese",
    "VN": "Viet Nam|Vietnam|Vietnamese",
    "PH": "Philippines|Filipino|Filipinos",
    "ID": "Indonesia|Indonesian",
    "MM": "Myanmar|Burma|Burmese",
    "UZ": "Uzbekistan|Uzbek",
    "TJ": "Tajikistan|Tajik",
    "KG": "Kyrgyzstan|Kyrgyz",
    "KZ": "Kazakhstan|Kazakh",
    "TM": "Turkmenistan|Turkmen",
    # The Americas
    "US": "United States|United States of America|USA",
    "CA": "Canada|Canadian",
    "MX": "Mexico|Mexican",
    "VE": "Venezuela|Venezuelan|Venezuelans",
    "CO": "Colombia|Colombian|Colombians",
    "PE": "Peru|Peruvian",
    "BR": "Brazil|Brazilian",
    "CU": "Cuba|Cuban",
    "HT": "Haiti|Haitian",
    "AR": "Argentina|Argentinian|Argentine",
}

_WORD = re.compile(r"[^\W\d_][\w'’]*")
_JOIN = re.compile(r"[ \t-]+|\s+")


@cache
def _names() -> tuple[dict[tuple[str, ...], str], dict[str, int]]:
    """Each name as its words -> ISO code, and for each word that begins a name the most
    words a name beginning with it has."""
    table: dict[tuple[str, ...], str] = {}
    for code, names in _NAMES.items():
        for name in names.split("|"):
            table[tuple(_WORD.findall(name))] = code
    firsts: dict[str, int] = {}
    for words in table:
        firsts[words[0]] = max(firsts.get(words[0], 0), len(words))
    return table, firsts


def countries_in(text: str) -> list[str]:
    """The ISO codes of the third countries ``text`` names, in the order they first appear.

    "the EU-Turkey Statement" and "the Bulgaria-Türkiye border" name TR; names are
    matched with their case (English names and adjectives have capitals, French and
    German adjectives none: "les autorités tunisiennes"); "Guinea" inside
    "Guinea-Bissau" and "Papua New Guinea" is not Guinea (the longest name wins at
    each place). The text is read word by word, so a long letter costs no more
    than its length.
    """
    table, firsts = _names()
    words = [(match.group(0), match.start(), match.end()) for match in _WORD.finditer(text)]
    found: list[str] = []
    position = 0
    while position < len(words):
        matched = 0
        longest = firsts.get(words[position][0], 0)
        for size in range(min(longest, len(words) - position), 0, -1):
            run = words[position:position + size]
            # the words of one name stand apart by spaces or a hyphen only
            if size > 1 and any(not _JOIN.fullmatch(text[left[2]:right[1]])
                                for left, right in itertools.pairwise(run)):
                continue
            code = table.get(tuple(word for word, _, _ in run))
            if code is not None:
                if code not in found:
                    found.append(code)
                matched = size
                break
        position += matched or 1
    return found


def names_of(code: str) -> tuple[str, ...]:
    """The words that name the country ``code`` (names, then adjectives); none if unknown."""
    names = _NAMES.get(code.upper())
    return tuple(names.split("|")) if names else ()
