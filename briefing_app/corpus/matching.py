"""Does a passage report on a commitment? The text side of the follow-up finder.

A commitment and a passage are each read into a :class:`Profile`: the
content words they hold (folded, lightly stemmed, the genre's filler words
left out), the pairs of content words that follow each other ("return
decisions", "transport operators"), the third countries they name (names and
adjectives: "Tunisian" is Tunisia) and the specific terms of the field
(instruments such as a Memorandum of Understanding or the safe third country
concept, actors such as Frontex or the EU Asylum Agency). :func:`score`
weighs what the two share:

- each shared specific term counts :data:`TERM_WEIGHT`, each shared country
  :data:`COUNTRY_WEIGHT`: these say *what* a passage is about;
- each shared content word counts its rarity in the store (its inverse
  document frequency, given by the caller from the full-text index), half
  again when the word stands in the commitment's sentence that holds its
  deadline (the deadline's subject: "a recommendation by Spring 2023");
- each shared pair of words counts the mean rarity of its two words again;
- the words' part is damped for long passages, as BM25 damps long
  documents, so a long letter's paragraph does not win on length alone.

A passage sharing no term, no country and no pair of words, or whose words
weigh less than :data:`MIN_WORDS_SCORE`, does not report on the commitment
(score 0). Nothing here reads the store: the service gives the texts and the
word statistics.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from briefing_app.corpus.countries import countries_in
from briefing_app.text import fold, plain

TERM_WEIGHT = 6.0
COUNTRY_WEIGHT = 3.0
#: Countries past this many add one point each: a list of partners is not a subject.
COUNTRIES_COUNTED = 3
#: A term the commitment names only in brackets ("(safe third country, …)") weighs this
#: share of :data:`TERM_WEIGHT`: it is said in passing, not the subject.
ASIDE_SHARE = 0.5
#: The rarity (idf) from which a word is specific: held by about one passage in twenty.
SPECIFIC_RARITY = 3.0
#: A word the passage shares only by its stem ("returns" for "return") weighs this share.
STEMMED_SHARE = 0.8
#: The least score of a passage sharing a term, a country or a pair of words.
MIN_SCORE = 6.0
#: Added for a passage that reports: it says what has happened or now stands.
REPORT_BONUS = 4.0
#: How a report says what happened or stands (English, French, German, Italian).
REPORT_CUES = re.compile(
    r"\b(?:has|have) (?:now |already |just )?(?:been|\w+ed)\b|\bnow\b|\bsince\b|\bso far\b|"
    r"\b(?:was|were) (?:adopted|signed|launched|completed|agreed|reached|concluded|"
    r"presented|published|deployed)\b|\bis (?:now )?(?:operational|in place|under way|"
    r"underway|pending|on the table)\b|\bstill\b|\blast (?:week|month|year)\b|"
    r"\ba été\b|\bont été\b|\bdésormais\b|\bdepuis\b|\bwurden?\b|\bseit\b|"
    r"\binzwischen\b|\bè stat[oa]\b|\bsono stat[ie]\b", re.IGNORECASE)
#: The weight of a word in the commitment's deadline sentence, against 1 elsewhere.
FOCUS_WEIGHT = 1.5
#: Below this, shared words alone (no term, country or pair) do not make a follow-up.
MIN_WORDS_SCORE = 9.0
#: Passage length (content words) from which the words' part is damped.
LONG_PASSAGE = 45

_WORD = re.compile(r"[^\W\d_](?:[\w’'-]*[^\W_])?")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fast_fold(text: str) -> str:
    """``text`` without case and diacritics, as :func:`briefing_app.text.fold` folds words
    (white space kept as it is): the finder folds whole passages, so this one works at the
    speed of the regular-expression engine."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def words_of(text: str) -> set[str]:
    """The folded words of ``text``, as the unstemmed index holds them."""
    return {word.strip("'’-") for word in _WORD.findall(fast_fold(text))}

#: Function words and the genre's filler: words every letter on migration uses.
STOP_WORDS = frozenset(fold(word) for word in """
a about above across after again against all almost along already also although always am
among an and another any are around as at be because been before being below between both
but by can cannot could did do does doing done down during each either else enough even
ever every few for from further had has have having he her here hers him his how however
i if in into is it its itself just least less like made make many may me might more most
much must my near need needs neither never no nor not now of off on once one only or other
others our ours out over own per rather same shall she should since so some still such
than that the their them then there these they this those through thus to too towards
under until up upon us very via was we well were what when where whether which while who
whom whose why will with within without would yet you your
ensure ensuring order including include includes particular particularly regard regards
regarding view way ways terms basis well-known already able new also key further
dear colleagues colleague sincerely yours letter letters annex annexes year years month
months today time first second last next recent recently immediate current
eu european union member states state commission commissioner council president minister
ministers presidency work working works worked continue continued take taken support
supported important importance need necessary number level levels area areas approach
effective effectively efforts effort action actions measure measures point points step
steps set progress use used using make making given give strong stronger stronger
""".split())


@dataclass(frozen=True)
class Term:
    """A specific term of the field: one key, the ways letters write it."""

    key: str
    label: str
    pattern: re.Pattern[str]


def _terms(*entries: tuple[str, str]) -> tuple[Term, ...]:
    return tuple(Term(fold(label).replace(" ", "-"), label, re.compile(pattern, re.IGNORECASE))
                 for label, pattern in entries)


#: Instruments, procedures and actors a follow-up names as its commitment does. Patterns
#: are matched on the plain text, case-insensitively; each is one idea however written.
SPECIFIC_TERMS = _terms(
    ("Memorandum of Understanding", r"\bMemorand(?:um|a) of Understanding\b|\bMoUs?\b|"
                                    r"\bprotocole d'accord\b|\bAbsichtserklärung\b"),
    ("Talent Partnership", r"\bTalent Partnerships?\b|\bTalentpartnerschaft\w*|"
                          r"\bpartenariats? (?:pour|de|destinés à attirer) (?:les )?talents\b"),
    ("Talent Pool", r"\bTalent Pool\b"),
    ("safe third country", r"\bsafe third[- ]countr(?:y|ies)\b|\bpays tiers? sûrs?\b|"
                          r"\bsichere\w* Drittstaat\w*"),
    ("safe country of origin", r"\bsafe countr(?:y|ies) of origin\b|\bpays d'origine sûrs?\b|"
                              r"\bsichere\w* Herkunfts(?:staat|länder)\w*"),
    ("transport operators", r"\btransport operators?\b|\bcarriers?\b|\bairlines?\b|"
                           r"\bferry (?:companies|operators)\b|\bshipping companies\b|"
                           r"\btransporteurs?\b|\bBeförderungsunternehmen\b"),
    ("Dublin", r"\bDublin (?:Regulation|rules|transfers?|Roadmap|system|procedures?|cases?)\b|"
               r"\b(?:transferts?|règlement|feuille de route) (?:de )?Dublin\b|\bDublin-\w+"),
    ("return decisions", r"\breturn (?:decisions?|orders?)\b|each other'?s decisions\b|"
                        r"\bdécisions? de retour\b|\bRückkehrentscheidung\w*"),
    ("mutual recognition", r"\bmutual(?:ly)? recogni[sz]\w+|"
                          r"\brecogni[sz]\w* (?:each other|one another)|"
                          r"\breconnaissance mutuelle\b|\bgegenseitige\w* Anerkennung\b"),
    ("Schengen Information System", r"\bSchengen Information System\b|\bSIS\b"),
    ("anti-smuggling", r"\banti-smuggling\b|\bsmuggl\w+|\bfollow the money\b|\bpasseurs?\b|"
                      r"\btrafic de migrants\b|\bSchleus\w+|\bSchlepp\w+"),
    ("trafficking in human beings", r"\btraffick\w+"),
    ("readmission", r"\breadmission\b|\bréadmission\b|\bRückübernahme\w*"),
    ("resettlement", r"\bresettle\w*|\bréinstallation\b|\bNeuansiedlung\w*"),
    ("complementary pathways", r"\bcomplementary pathways?\b|\blegal pathways?\b|"
                               r"\bsafe and legal (?:avenues|pathways|routes)\b"),
    ("legal migration", r"\blegal migration\b|\blabour migration\b|\bskilled workers?\b"),
    ("solidarity mechanism", r"\bsolidarity mechanism\b|\bSolidarity Platform\b|"
                             r"\bsolidarity pool\b|\bmécanisme de solidarité\b|"
                             r"\bSolidaritätsmechanismus\b"),
    ("relocation", r"\brelocat\w+|\brelocalisation\b|\bUmverteilung\w*"),
    ("visa policy alignment", r"\bvisa (?:policy )?alignment\b"),
    ("visa suspension mechanism", r"\bvisa suspension mechanism\b"),
    ("Article 25a", r"\bArticle 25a\b|\bVisa Code\b"),
    ("return hubs", r"\breturn hubs?\b"),
    ("border procedure", r"\b(?:accelerated )?border procedures?\b|\bprocédures? (?:à|aux) la "
                        r"frontière\b|\bGrenzverfahren\b"),
    ("screening", r"\bscreening\b"),
    ("registration", r"\bregist(?:ration|ered|er)\b|\bEurodac\b|\bfingerprint\w*|"
                    r"\benregistrement\b|\bRegistrierung\b"),
    ("status agreements", r"\bstatus agreements?\b|\bFrontex agreements?\b"),
    ("situational awareness", r"\bsituational awareness\b|\bearly warning\b|\bEUROSUR\b|"
                              r"\bborder surveillance system\b"),
    ("search and rescue", r"\bsearch and rescue\b|\brecherche et (?:de )?sauvetage\b|"
                         r"\bSeenotrettung\b"),
    ("reception conditions", r"\breception (?:conditions|standards|capacity|systems?)\b"),
    ("temporary protection", r"\btemporary protection\b"),
    ("EU-Turkey Statement", r"\bEU-T(?:urkey|ürkiye) Statement\b"),
    ("instrumentalisation", r"\binstrumentali[sz]\w+|\bhybrid (?:attacks?|threats?|warfare)\b"),
    ("Global Alliance", r"\bGlobal Alliance\b"),
    ("Return Coordinator", r"\bReturn Coordinator\b|\bHigh-Level Network\b"),
    ("Frontex", r"\bFrontex\b|\bEuropean Border and Coast Guard\b"),
    ("EU Asylum Agency", r"\bEU Asylum Agency\b|\bEUAA\b|\bEuropean Union Agency for Asylum\b"
                         r"|\bEASO\b"),
    ("Europol", r"\bEuropol\b"),
    ("Eurojust", r"\bEurojust\b"),
    ("UNHCR", r"\bUNHCR\b"),
    ("IOM", r"\bIOM\b"),
    ("eu-LISA", r"\beu-LISA\b"),
)


def _terms_in(flat: str) -> dict[str, str]:
    """The specific terms of a text (key -> the words as first written)."""
    return {term.key: found.group(0) for term in SPECIFIC_TERMS
            if (found := term.pattern.search(flat)) is not None}


@dataclass(frozen=True)
class Profile:
    """What a text is about, as the finder compares it."""

    #: content stems -> the first surface form (folded) the text writes them in
    words: Mapping[str, str]
    pairs: frozenset[tuple[str, str]]
    countries: frozenset[str]
    terms: frozenset[str]
    #: the stems of the sentence holding the deadline (empty when there is none)
    focus: frozenset[str] = frozenset()
    #: the terms named only inside brackets
    asides: frozenset[str] = frozenset()
    length: int = 0  # content words, repeats counted
    #: every folded form the text writes (a word shared as written outranks a shared stem)
    forms: frozenset[str] = frozenset()
    reports: bool = False  # it says what has happened or now stands


@dataclass(frozen=True)
class Match:
    """Why a passage reports on a commitment, and how strongly."""

    score: float
    terms: tuple[str, ...]  # the labels of the shared specific terms
    countries: tuple[str, ...]  # ISO codes
    words: tuple[str, ...]  # the shared content words, rarest first


NO_MATCH = Match(0.0, (), (), ())


@lru_cache(maxsize=65536)
def stem(folded: str) -> str:
    """A light English stem of a folded word: "decisions", "decision" -> "decision";
    "returns", "returned", "returning" -> "return"; "countries" -> "countr"."""
    word = folded.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("ly") and len(word) >= 8:  # "irregularly" -> "irregular"
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("y") and len(word) >= 5:
        word = word[:-1]
    return word


#: Endings taken off, the longest first: "recognition", "recognises", "recognised" and
#: "recognise" share "recogn"; "organisation" and "organise" share "organ".
_SUFFIXES = ("isations", "izations", "isation", "ization", "itions", "ations", "ition",
             "ation", "ings", "ises", "izes", "ised", "ized", "ing", "ise", "ize", "ies",
             "ied", "ed", "es", "s")


def _folded_words(folded_text: str) -> list[tuple[str, str, int, int]]:
    """The content words of an already folded text: (stem, word, start, end)."""
    found = []
    for match in _WORD.finditer(folded_text):
        word = match.group(0).strip("'’-")
        if len(word) < 3 or word in STOP_WORDS:
            continue
        found.append((stem(word), word, match.start(), match.end()))
    return found


def content_words(text: str) -> list[tuple[str, str]]:
    """The content words of ``text`` in order, each as (stem, folded form)."""
    return [(root, word) for root, word, _, _ in _folded_words(fast_fold(text))]


_BRACKETS = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=16384)
def _cached_profile(text: str, deadline: str | None) -> Profile:
    flat = " ".join(plain(text).split())
    folded = fast_fold(flat)
    found = _folded_words(folded)
    pairs: set[tuple[str, str]] = set()
    words: dict[str, str] = {}
    for index, (root, word, start, _end) in enumerate(found):
        words.setdefault(root, word)
        # a pair: two content words with at most a short function word between them
        if index and start - found[index - 1][3] <= 6:
            pairs.add((found[index - 1][0], root))
    focus: frozenset[str] = frozenset()
    if deadline:
        wanted = fast_fold(" ".join(deadline.split()))
        for sentence in re.split(r"(?<=[.;:])\s+", folded):
            if wanted in sentence:
                focus = frozenset(root for root, _, _, _ in _folded_words(sentence))
                break
    terms = frozenset(_terms_in(flat))
    outside = frozenset(_terms_in(_BRACKETS.sub(" ", flat))) if "(" in flat else terms
    return Profile(words=words, pairs=frozenset(pairs), countries=frozenset(countries_in(flat)),
                   terms=terms, focus=focus, asides=terms - outside, length=len(found),
                   forms=frozenset(word for _, word, _, _ in found),
                   reports=REPORT_CUES.search(flat) is not None)


#: How a letter's frame begins (copies, enclosures, references, an addressee): never a report.
_FRAME = re.compile(
    r"^\W*(?:c\.\s?c\.|cc\b|copy\b|copies\b|copie|kopie|encl\w*|enclosures?\b|"
    r"annex(?:es)?\s*:|subject\s*:|objet\s*:|betreff\s*:|ref(?:erence)?\.?\s*:|"
    r"to the attention|à l'attention|an die)", re.IGNORECASE)
_HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|H\.E|Mme|M|Frau|Herr)\b\.?\s+[A-ZÀ-Þ]")
#: A passage shorter than this (in words) is a line of the frame, not a report.
MIN_PASSAGE_WORDS = 8


def is_report_passage(text: str) -> bool:
    """Whether a passage can report on anything: prose, not a line of the letter's frame (a
    list of people in copy, an address, a reference, a heading)."""
    flat = " ".join(plain(text).split())
    words = _WORD.findall(flat)
    if len(words) < MIN_PASSAGE_WORDS or _FRAME.match(flat):
        return False
    # a list of people: a title-and-name every dozen words or so
    return len(_HONORIFIC.findall(flat)) * 12 < len(words) or len(words) > 120


def term_phrases(text: str) -> list[str]:
    """The specific terms of ``text`` as it writes them (the first time each)."""
    return list(_terms_in(" ".join(plain(text).split())).values())


def profile(text: str, deadline: str | None = None) -> Profile:
    """What ``text`` is about; ``deadline`` (as the letter writes it: "by Spring 2023")
    marks the sentence whose words weigh more."""
    return _cached_profile(text, deadline)


_LABELS = {term.key: term.label for term in SPECIFIC_TERMS}


def term_label(key: str) -> str:
    return _LABELS.get(key, key)


def idf(documents: int, holding: int) -> float:
    """The rarity of a word held by ``holding`` of ``documents`` passages (BM25's idf)."""
    return math.log(1.0 + (documents - holding + 0.5) / (holding + 0.5))


#: A passage holding this share of a commitment's words, and not much more, restates it
#: (a copy of the letter, a quotation): it does not report on it.
RESTATED_SHARE = 0.85


def restates(commitment: Profile, passage: Profile, shared: int) -> bool:
    return (bool(commitment.words) and shared >= RESTATED_SHARE * len(commitment.words)
            and passage.length <= 1.3 * max(commitment.length, 1))


def score(commitment: Profile, passage: Profile, rarity: Callable[[str], float]) -> Match:
    """How strongly ``passage`` reports on ``commitment``; ``rarity`` gives a folded
    word's idf (see :func:`idf`)."""
    terms = commitment.terms & passage.terms
    countries = commitment.countries & passage.countries
    shared = [root for root in commitment.words if root in passage.words]
    # as the search ranks them: a word shared as written before one shared by its stem
    weight = {root: rarity(commitment.words[root])
              * (1.0 if commitment.words[root] in passage.forms else STEMMED_SHARE)
              for root in shared}
    words_score = sum(weight[root] * (FOCUS_WEIGHT if root in commitment.focus else 1.0)
                      for root in shared)
    pairs = commitment.pairs & passage.pairs
    words_score += sum((weight.get(a, 0.0) + weight.get(b, 0.0)) / 2 for a, b in pairs)
    # a pair of common words ("irregular migration") says nothing specific
    specific = {(a, b) for a, b in pairs if min(weight.get(a, 0.0), weight.get(b, 0.0))
                >= SPECIFIC_RARITY}
    if passage.length > LONG_PASSAGE:
        words_score /= math.sqrt(passage.length / LONG_PASSAGE)
    if not terms and not countries and not specific and words_score < MIN_WORDS_SCORE:
        return NO_MATCH
    if restates(commitment, passage, len(shared)):
        return NO_MATCH
    term_score = sum(TERM_WEIGHT * (ASIDE_SHARE if term in commitment.asides else 1.0)
                     for term in terms)
    country_score = COUNTRY_WEIGHT * min(len(countries), COUNTRIES_COUNTED) + max(
        0, len(countries) - COUNTRIES_COUNTED)
    total = term_score + country_score + words_score
    if total < MIN_SCORE:
        return NO_MATCH
    if passage.reports:
        total += REPORT_BONUS
    rarest = sorted(shared, key=lambda root: -weight[root])
    return Match(round(total, 3), tuple(sorted(term_label(t) for t in terms)),
                 tuple(sorted(countries)), tuple(commitment.words[r] for r in rarest))
