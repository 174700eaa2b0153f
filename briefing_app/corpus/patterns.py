"""How letters of the genre word their parts, in the languages EU ministries write in.

Each pattern matches the plain text of one line (emphasis already removed, see
:class:`briefing_app.corpus.blocks.Line`). They are deliberately about the
form of a part ("Objet :", "Mit freundlichen Grüßen"), never about one letter.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

#: Salutations: "Dear colleagues,", "Honourable Ministers,", "Excellency,", "Madam, Sir,",
#: "Monsieur le Ministre,", "Sehr geehrte Frau Ministerin,", a mail-merge "Dear «Title»,".
SALUTATION = re.compile(
    r"^(?:"
    r"(?:My\s+)?Dear\b"
    r"|Honou?rable\b|(?:Your\s+)?Excellenc(?:y|ies)\b|Distinguished\b|Esteemed\b"
    r"|Madam\b|Madame\b|Mesdames\b|Messieurs\b|Sir\b|Sirs\b"
    r"|Monsieur\b|Chers?\b|Chères?\b"
    r"|Sehr\s+geehrte[rn]?\b|Liebe[rn]?\b|Hochverehrte[rn]?\b"
    r"|Gentil[ei]ssim[oa]|Gentile\b|Egregi[oa]\b|Car[oia]\b|Car[ie]\s"
    r"|Estimad[oa]s?\b|Querid[oa]s?\b|Señor(?:a|as|es)?\b"
    r"|Geachte\b|Beste\b"
    r"|Caro\b|Exm[oa]s?\.?\b|Senhor(?:a|as|es)?\b"
    r"|Szanown[iya]\b|Vážen[ýá]\b|Hyvä\b|Kära\b|Kære\b"
    r")",
    _I,
)

#: Closing formulas, alone on their line or opening the last sentence (French).
CLOSING = re.compile(
    r"^(?:"
    r"Yours\s+(?:sincerely|faithfully|truly|ever|respectfully)"
    r"|(?:Sincerely|Faithfully|Respectfully|Cordially)(?:\s+yours)?"
    r"|(?:With\s+)?(?:my\s+)?(?:very\s+)?(?:kind(?:est)?|best|warm(?:est)?|sincere)\s+(?:regards|wishes)"
    r"|(?:Kind|Best|Warm)\s+regards|Regards|Best\s+wishes|With\s+(?:my\s+)?(?:respect|gratitude)"
    r"|Yours"
    r"|(?:Je\s+vous\s+prie\s+d['’]agréer|Veuillez\s+agréer|Veuillez\s+croire|Recevez)\b.*"
    r"|(?:Avec\s+)?(?:mes\s+)?(?:sincères\s+|meilleures\s+|cordiales\s+)?salutations\b.*"
    r"|Cordialement|Bien\s+(?:à\s+vous|cordialement)|Très\s+cordialement|Amitiés"
    r"|Mit\s+(?:den\s+)?(?:freundlichen|besten|herzlichen|kollegialen|vorzüglicher)\s+\w+.*"
    r"|Freundliche\s+Grüße|Hochachtungsvoll|Beste\s+Grüße|Herzliche\s+Grüße"
    r"|(?:Con\s+i\s+migliori|Cordiali|Distinti)\s+saluti|Cordialmente"
    r"|Atentamente|Un\s+(?:cordial\s+)?saludo|Saludos\s+cordiales|Reciba\b.*"
    r"|Met\s+vriendelijke\s+groet(?:en)?|Hoogachtend|Met\s+hoogachting"
    r"|Com\s+os\s+melhores\s+cumprimentos|Atenciosamente|Com\s+elevada\s+consideração"
    r"|Z\s+wyrazami\s+szacunku|S\s+pozdravem|Med\s+vänliga\s+hälsningar|Med\s+venlig\s+hilsen"
    r")\s*[,.!]?$",
    _I,
)

#: Subject lines: "Subject:", "Re:", "Objet :", "Betreff:", "Oggetto:", "Asunto:".
SUBJECT = re.compile(
    r"^(?:(?:Subject|Subj\.|Re|Ref(?:erence)?\s*:\s*Re|Object|Objet|Concerns|Concerning|Topic"
    r"|Betreff|Betr\.|Gegenstand|Oggetto|Asunto|Assunto|Onderwerp|Temat|Předmět|Ärende|Vedr\.?)"
    r"\s*:\s*(?P<s>.+)"
    r"|(?P<l>(?:(?:Joint|Invitation|Open)\s+)?Letter\s+(?:from|on|to|by)\b.+))$",
    _I,
)

#: "To the attention of:", "For the attention of", "À l'attention de", "Zu Händen".
ATTENTION = re.compile(
    r"^(?:(?:To|For)\s+the\s+)?(?:attention\s+of|attn\.?)\s*:?\s*(?P<rest>.*)$"
    r"|^(?:[AÀ]\s+l['’])?attention\s+de\s*:?\s*(?P<rest2>.*)$"
    r"|^(?:Zu\s+Händen|z\.\s?Hd\.?)\s*:?\s*(?P<rest3>.*)$",
    _I,
)

#: Copies: "c.c.:", "cc:", "Copy:", "Copies to", "Copie :", "Kopie an:", "In copy:".
CC = re.compile(
    r"^(?:(?:c\.\s?c\.|cc\b)\s*:?"
    r"|(?:copy(?:\s+to)?|copies(?:\s+to)?|in\s+copy|with\s+a\s+copy\s+to"
    r"|copie(?:s)?(?:\s+à)?|en\s+copie|kopie(?:\s+an)?|in\s+kopie|nachrichtlich"
    r"|copia(?:\s+a)?|per\s+conoscenza|distribution)\s*:)\s*(?P<rest>.*)$",
    _I,
)

#: Enclosures: "Enclosure:", "Enclosures (2)", "Annex:", "Encl.", "Attachment:", "Anlage:",
#: "Pièce jointe :".
ENCLOSURE = re.compile(
    r"^(?:Enclosures?|Encl\.|Annex(?:es)?|Attachments?|Annexes?|Anlagen?|Pièces?\s+jointes?|"
    r"P\.\s?J\.|Allegat[oi])\s*(?:\(\d+\))?\s*:\s*(?P<rest>.*)$",
    _I,
)
ANNEX_ENTRY = re.compile(r"Annex\s+(?P<label>[IVX\d]+)\s*[:.–-]\s*(?P<title>.+?)\s*$", _I)
#: A sentence in the body pointing to what comes with the letter.
ATTACHED = re.compile(r"\b(?:attached\s+hereto|enclosed\s+(?:herewith|please\s+find)|"
                      r"please\s+find\s+(?:attached|enclosed)|in\s+(?:the\s+)?annex\s+to\s+this\s+"
                      r"letter)\b", _I)

#: References: an Ares number, "Our ref.", "Ref.:", "N/Réf.", "Unser Zeichen", "File No.".
ARES = re.compile(r"\bAres\s*\(\s*\d{4}\s*\)\s*\d+")
UNIT_REF = re.compile(r"^[A-Z]{2,}(?:\.[A-Z0-9]+)+\s*/")
LABELLED_REF = re.compile(
    r"^(?:Our|Your|My)\s+ref(?:erence)?\.?\s*(?:no\.?)?\s*:?\s*(?P<r>\S.*)$"
    r"|^Ref(?:erence)?\.?\s*(?:no\.?)?\s*:\s*(?P<r2>\S.*)$"
    r"|^(?:N/|V/|Notre\s+|Votre\s+)?R[ée]f(?:[ée]rence)?\.?\s*:\s*(?P<r3>\S.*)$"
    r"|^(?:Unser|Ihr)\s+Zeichen\s*:?\s*(?P<r4>\S.*)$"
    r"|^(?:Aktenzeichen|Geschäftszeichen|Gz\.|Az\.|GZ)\s*:?\s*(?P<r5>\S.*)$"
    r"|^(?:File|Case|Dossier)\s+(?:no\.?|number|ref\.?)\s*:?\s*(?P<r6>\S.*)$"
    r"|^(?:Prot\.|Protocollo|N\.\s?prot\.)\s*(?:n\.?|nr\.?)?\s*:?\s*(?P<r7>\S.*)$",
    _I,
)

#: Marks a signature line carries instead of the hand-written signature.
SIGNATURE_MARK = re.compile(
    r"^(?:/-/|/s/|\(signed\)|\(sgd\.?\)|signed|\(s\.\)|\[signature\])\s*", _I)

#: "Brussels, 26 January 2023", "Fait à Paris, le 3 février 2025", "Done at Brussels".
PLACE_PREFIX = re.compile(r"^(?:Done\s+(?:at|in)|Fait\s+à|Geschehen\s+zu|Fatto\s+a|Hecho\s+en)\s+",
                          _I)

#: Words that open the concluding paragraph of a letter's points.
CONCLUSION = re.compile(r"^(?:Overall|In conclusion|To conclude|In sum|Finally|En conclusion|"
                        r"Abschließend|Zusammenfassend)\b", _I)
