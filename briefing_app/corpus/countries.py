"""Third countries as letters name them: names, adjectives, older names -> ISO codes.

"Libyan Coastguard" -> LY, "Turkey" and "Türkiye" -> TR, "Tunisian authorities"
-> TN. EU Member States are left out on purpose: a commitment's countries are
the partners it is about, not the Member States that carry it out.
"""

from __future__ import annotations

import re
from functools import cache

#: ISO 3166-1 alpha-2 -> the words that name the country (names first, then adjectives).
_NAMES: dict[str, str] = {
    # Western Balkans, Eastern neighbourhood, Türkiye
    "AL": "Albania|Albanian|Albanians",
    "BA": "Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia|Bosnian",
    "ME": "Montenegro|Montenegrin",
    "MK": "North Macedonia|Republic of North Macedonia|Macedonia|North Macedonian|Macedonian",
    "RS": "Serbia|Serbian|Serbians",
    "XK": "Kosovo|Kosovar|Kosovan",
    "TR": "Türkiye|Turkiye|Turkey|Turkish|Republic of Türkiye",
    "UA": "Ukraine|Ukrainian|Ukrainians",
    "MD": "Moldova|Republic of Moldova|Moldovan",
    "BY": "Belarus|Belarusian|Byelorussia",
    "RU": "Russia|Russian Federation|Russian",
    "GE": "Georgia|Georgian",
    "AM": "Armenia|Armenian",
    "AZ": "Azerbaijan|Azerbaijani",
    "NO": "Norway|Norwegian",
    "CH": "Switzerland|Swiss",
    "IS": "Iceland|Icelandic",
    "GB": "United Kingdom|Britain|Great Britain|British|UK",
    # North Africa and the Middle East
    "MA": "Morocco|Moroccan|Moroccans",
    "DZ": "Algeria|Algerian|Algerians",
    "TN": "Tunisia|Tunisian|Tunisians",
    "LY": "Libya|Libyan|Libyans",
    "EG": "Egypt|Egyptian|Egyptians",
    "MR": "Mauritania|Mauritanian|Mauritanians",
    "LB": "Lebanon|Lebanese",
    "SY": "Syria|Syrian Arab Republic|Syrian|Syrians",
    "JO": "Jordan|Jordanian|Jordanians",
    "IQ": "Iraq|Iraqi|Iraqis",
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
    "SN": "Senegal|Senegalese",
    "GM": "Gambia|The Gambia|Gambian|Gambians",
    "GN": "Guinea|Republic of Guinea|Guinea-Conakry|Guinean|Guineans",
    "GW": "Guinea-Bissau|Bissau-Guinean",
    "ML": "Mali|Malian|Malians",
    "NE": "Niger|Nigerien|Nigeriens",
    "NG": "Nigeria|Nigerian|Nigerians",
    "BF": "Burkina Faso|Burkinabe|Burkinabè",
    "CI": "Côte d'Ivoire|Cote d'Ivoire|Côte d’Ivoire|Ivory Coast|Ivorian|Ivorians",
    "GH": "Ghana|Ghanaian|Ghanaians",
    "CM": "Cameroon|Cameroonian|Cameroonians",
    "TD": "Chad|Chadian|Chadians",
    "SD": "Sudan|Sudanese",
    "SS": "South Sudan|South Sudanese",
    "ER": "Eritrea|Eritrean|Eritreans",
    "ET": "Ethiopia|Ethiopian|Ethiopians",
    "SO": "Somalia|Somali|Somalis",
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
    "AF": "Afghanistan|Afghan|Afghans",
    "PK": "Pakistan|Pakistani|Pakistanis",
    "BD": "Bangladesh|Bangladeshi|Bangladeshis",
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

@cache
def _pattern() -> re.Pattern[str]:
    alternatives = []
    for code, names in _NAMES.items():
        for name in names.split("|"):
            alternatives.append((name, code))
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    body = "|".join(f"(?P<c{index}>{re.escape(name)})" for index, (name, _) in
                    enumerate(alternatives))
    _pattern.codes = [code for _, code in alternatives]  # type: ignore[attr-defined]
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def countries_in(text: str) -> list[str]:
    """The ISO codes of the third countries ``text`` names, in the order they first appear.

    "the EU-Turkey Statement" and "the Bulgaria-Türkiye border" name TR; a name
    counts only with its capital; "Guinea" inside "Guinea-Bissau" and "Papua New
    Guinea" is not Guinea (the longest name wins at each place).
    """
    pattern = _pattern()
    codes: list[str] = _pattern.codes  # type: ignore[attr-defined]
    found: list[str] = []
    for match in pattern.finditer(text):
        name = match.group(0)
        if name in {"UK", "USA", "UAE", "DRC"} or name[0].isupper():
            code = codes[int((match.lastgroup or "c0")[1:])]
            if code not in found:
                found.append(code)
    return found
