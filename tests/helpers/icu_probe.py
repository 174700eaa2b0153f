"""Ask QtCore for everything it uses ICU for, and print the answers as JSON.

Run as a script in a child process, so that ``LD_LIBRARY_PATH`` can put another
``libicudata`` (the bundle's trimmed one) under the virtual environment's Qt.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, QTimeZone

#: Names as the letters and partner countries spell them, per collating locale.
WORDS = {
    "sv_SE": ["Zoë", "Åsa", "Ärla", "Aalto", "Öberg", "Webber"],
    "de_DE": ["Zoë", "Äpfel", "Apfel", "Öl", "Ozon", "Straße", "Strasse", "Karner"],
    "cs_CZ": ["Chrudim", "Cena", "Hora", "Čech", "Rakušan", "Rakusan"],
    "lt_LT": ["Ylakiai", "Jonas", "Bilotaitė", "Bilotaite"],
    "et_EE": ["Läänemets", "Laanemets", "Zander", "Saar", "Šahh"],
    "tr_TR": ["ılık", "ışık", "iğne", "İzmir", "Izmir", "Türkiye"],
    "pl_PL": ["Łódź", "Lublin", "Żary", "Zamość"],
    "ja_JP": ["か", "カ", "ア", "あ"],
    "zh_CN": ["中", "国", "人"],
}
CODECS = ["windows-1250", "windows-1252", "ISO-8859-2", "IBM852", "KOI8-R", "Shift_JIS",
          "GB18030", "Big5"]


def probe() -> dict[str, object]:
    collated = {}
    for locale, words in WORDS.items():
        collator = QCollator(QLocale(locale))
        collated[locale] = sorted(words, key=collator.sortKey)
    brussels = QTimeZone(b"Europe/Brussels")
    return {
        "collated": collated,
        "codecs": {name: QStringDecoder(name).isValid() for name in CODECS},
        "available_codecs": QStringConverter.availableCodecs(),
        "zone_valid": brussels.isValid(),
        "zone_name_en": brussels.displayName(QTimeZone.TimeType.StandardTime,
                                             QTimeZone.NameType.LongName, QLocale("en_GB")),
        "upper": [QLocale("de_DE").toUpper("straße"), QLocale("tr_TR").toUpper("istanbul")],
        "lower": QLocale("lt_LT").toLower("BILOTAITĖ"),
        "icudata": sorted({line.split()[-1] for line in open("/proc/self/maps", encoding="utf-8")
                           if "libicudata" in line}),
    }


if __name__ == "__main__":
    print(json.dumps(probe(), ensure_ascii=False))
