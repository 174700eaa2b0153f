"""Build a large synthetic store for the start-up and search benchmarks.

    .venv/bin/python bench/make_synthetic_store.py --out /tmp/bench/synthetic-10k.sqlite3

The store is created and migrated the official way (``Store(path, create=True)``
runs Alembic) and the bundled seed is loaded through the seed service, so the
five real letters, their measures, action points, people and partner countries
are there. Then N synthetic letters are bulk-inserted with the standard
``sqlite3`` module in one transaction: ``letter`` rows, their ``paragraph`` rows
(each paragraph's text is the exact slice of the letter's original text; the
FTS5 index follows through the store's triggers), and ``person`` /
``letterrole`` rows for senders, recipients, signatories and people in copy.

The prose is drawn from a word-bigram chain trained on the seed letters
(``db/seed/*.txt``), so word frequencies, rare terms, country and agency names
look like the real corpus. Everything but the import time stamps is
deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from briefing_app.services import open_services  # noqa: E402
from briefing_app.text import fold, plain  # noqa: E402

SEED_DIR = REPO / "db" / "seed"
BATCH = 500  # letters generated, then inserted, per step

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# ----------------------------------------------------------------------------- people


@dataclass(frozen=True)
class Author:
    """Someone who sends, receives or signs letters, with the title a letter gives them."""

    name: str
    honorific: str | None
    title: str
    short: str  # how a letter title names them: "Minister Rakušan"
    header: str  # first line of a letter they send
    place: str
    kind: str  # the letter kind when they send it
    country: str | None = None
    country_code: str | None = None
    organisation: str | None = None


def _minister(name: str, honorific: str, country: str, code: str, capital: str,
              ministry: str = "Minister of the Interior") -> Author:
    surname = name.split()[-1]
    return Author(name, honorific, f"{ministry} of {country}", f"Minister {surname}",
                  f"{ministry.upper()} OF {country.upper()}", capital, "letter",
                  country=country, country_code=code)


def _commission(name: str, honorific: str | None, title: str, short: str,
                kind: str = "commissioner letter") -> Author:
    return Author(name, honorific, title, short, "EUROPEAN COMMISSION", "Brussels", kind,
                  organisation="European Commission")


MINISTERS = (
    _minister("Vít Rakušan", "Mr", "the Czech Republic", "CZ", "Prague"),
    _minister("Agnė Bilotaitė", "Ms", "the Republic of Lithuania", "LT", "Vilnius"),
    _minister("Marian-Cătălin Predoiu", "Mr", "Romania", "RO", "Bucharest",
              "Minister of Internal Affairs"),
    _minister("Lauri Läänemets", "Mr", "the Republic of Estonia", "EE", "Tallinn"),
    _minister("Gerhard Karner", "Mr", "the Republic of Austria", "AT", "Vienna",
              "Federal Minister of the Interior"),
    _minister("Matteo Piantedosi", "Mr", "the Italian Republic", "IT", "Rome"),
    _minister("Kalin Stoyanov", "Mr", "the Republic of Bulgaria", "BG", "Sofia"),
    _minister("Dimitris Kairidis", "Mr", "the Hellenic Republic", "GR", "Athens",
              "Minister of Migration and Asylum"),
    _minister("Rihards Kozlovskis", "Mr", "the Republic of Latvia", "LV", "Riga"),
    _minister("Byron Camilleri", "Mr", "the Republic of Malta", "MT", "Valletta",
              "Minister for Home Affairs"),
    _minister("Tomasz Siemoniak", "Mr", "the Republic of Poland", "PL", "Warsaw"),
    _minister("Mari Rantanen", "Ms", "the Republic of Finland", "FI", "Helsinki"),
    _minister("Nancy Faeser", "Ms", "the Federal Republic of Germany", "DE", "Berlin",
              "Federal Minister of the Interior"),
    _minister("Gérald Darmanin", "Mr", "the French Republic", "FR", "Paris"),
    _minister("Fernando Grande-Marlaska", "Mr", "the Kingdom of Spain", "ES", "Madrid"),
    _minister("José Luís Carneiro", "Mr", "the Portuguese Republic", "PT", "Lisbon",
              "Minister of Internal Administration"),
    _minister("Sándor Pintér", "Mr", "Hungary", "HU", "Budapest"),
    _minister("Davor Božinović", "Mr", "the Republic of Croatia", "HR", "Zagreb"),
    _minister("Boštjan Poklukar", "Mr", "the Republic of Slovenia", "SI", "Ljubljana"),
    _minister("Matúš Šutaj Eštok", "Mr", "the Slovak Republic", "SK", "Bratislava"),
    _minister("Nicole de Moor", "Ms", "the Kingdom of Belgium", "BE", "Brussels",
              "Secretary of State for Asylum and Migration"),
    _minister("Léon Gloden", "Mr", "the Grand Duchy of Luxembourg", "LU", "Luxembourg",
              "Minister for Home Affairs"),
    _minister("Maria Malmer Stenergard", "Ms", "the Kingdom of Sweden", "SE", "Stockholm",
              "Minister for Migration"),
    _minister("Kaare Dybvad Bek", "Mr", "the Kingdom of Denmark", "DK", "Copenhagen",
              "Minister for Immigration and Integration"),
    _minister("Helen McEntee", "Ms", "Ireland", "IE", "Dublin", "Minister for Justice"),
    _minister("Konstantinos Ioannou", "Mr", "the Republic of Cyprus", "CY", "Nicosia"),
    _minister("Eric van der Burg", "Mr", "the Kingdom of the Netherlands", "NL", "The Hague",
              "Minister for Migration"),
)

COMMISSION = (
    _commission("Ursula von der Leyen", None, "President of the European Commission",
                "President von der Leyen", "commission letter"),
    _commission("Ylva Johansson", "Ms", "Commissioner for Home Affairs",
                "Commissioner Johansson"),
    _commission("Magnus Brunner", "Mr", "Commissioner for Internal Affairs and Migration",
                "Commissioner Brunner"),
    _commission("Margaritis Schinas", "Mr", "Vice-President for Promoting our European Way "
                "of Life", "Vice-President Schinas"),
    _commission("Dubravka Šuica", "Ms", "Commissioner for the Mediterranean",
                "Commissioner Šuica"),
    _commission("Olivér Várhelyi", "Mr", "Commissioner for Neighbourhood and Enlargement",
                "Commissioner Várhelyi"),
    _commission("Beate Gminder", "Ms", "Director-General (acting), DG Migration and Home "
                "Affairs", "DG HOME", "DG letter"),
)

# Officials who receive copies: generated from name parts, deterministically.
FIRST_NAMES = ("Ana", "Jiří", "Žaneta", "Łukasz", "Søren", "Ágnes", "Ioana", "Mārtiņš",
               "Gintautas", "Eleni", "Jérôme", "Zoë", "Björn", "Ewa", "Tõnu", "Dārta",
               "Mihály", "Ştefan", "Renée", "Oğuz")
LAST_NAMES = ("Novák", "Kowalczyk", "Jørgensen", "Szabó", "Popescu", "Bērziņš",
              "Kazlauskas", "Papadopoulou", "Lefèvre", "Müller", "Ó Briain", "Dvořák",
              "Tamm", "Horvát", "Ionescu", "Vázquez", "Mäkinen", "Ferreira", "Gauci", "Żak")
AGENCIES = ("Frontex", "EU Asylum Agency", "Europol", "eu-LISA", "European External Action "
            "Service", "Council General Secretariat", "DG NEAR", "DG INTPA")


def _officials(rng: random.Random, count: int) -> list[Author]:
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    officials = []
    for first, last in pairs[:count]:
        agency = rng.choice(AGENCIES)
        honorific = rng.choice(("Mr", "Ms"))
        officials.append(Author(f"{first} {last}", honorific, f"Head of Unit, {agency}",
                                f"{agency} ({last})", agency.upper(), "Brussels", "letter",
                                organisation=agency))
    return officials


# ------------------------------------------------------------------------------ prose

_PROSE_NOISE = re.compile(r"@|\+\d|\.{3,}|^\W*$|Tel\.|www\.")
_LEAD = re.compile(r"^(?:\(?\d+[.)]|[-•–]|[IVX]+\.)\s+")
_NUMBER = re.compile(r"^\(?\d+[.)]$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")

TOPICS = ("the implementation of the Pact on Migration and Asylum", "returns and readmission",
          "anti-smuggling partnerships", "the Central Mediterranean route",
          "the Western Balkans route", "the Eastern Mediterranean", "solidarity and "
          "responsibility sharing", "secondary movements", "legal pathways and Talent "
          "Partnerships", "visa policy and Article 25a of the Visa Code", "the external "
          "borders", "search and rescue", "the Common Implementation Plan", "Frontex "
          "operational support", "the EU Asylum Agency", "cooperation with Tunisia",
          "cooperation with Mauritania", "the Eastern land border", "instrumentalisation "
          "of migrants", "reception capacity", "the digitalisation of asylum procedures",
          "the return rate", "voluntary returns and reintegration", "new solutions to "
          "address irregular migration", "preparing the next Council")

MENTIONS = (
    "{name} underlined the need for swift progress on {topic}.",
    "As discussed with {name}, we should take stock of {topic} before the next Council.",
    "I thank {name} for the constructive exchange on {topic}.",
    "The proposals of {name} on {topic} deserve our full support.",
    "Together with {country}, we will report on {topic} by the end of the year.",
    "Arrivals from {country} remain a concern, in particular as regards {topic}.",
)


def seed_sentences() -> list[list[str]]:
    """The prose sentences of the seed letters, as lists of words."""
    sentences: list[list[str]] = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            text = " ".join(plain(block).split())
            text = _LEAD.sub("", text)
            if len(text) < 60 or _PROSE_NOISE.search(text):
                continue
            for sentence in _SENTENCE_END.split(text):
                words = sentence.split()
                while words and _NUMBER.match(words[-1]):  # "… and Europol. 6."
                    words.pop()
                capitals = sum(1 for word in words if word[:1].isupper())
                # leave out address blocks, signature blocks and cc lists
                if (len(words) >= 5 and capitals <= len(words) / 2
                        and words[0] not in ("Mr", "Ms", "Dr")):
                    sentences.append(words)
    if not sentences:
        raise SystemExit(f"no prose found in {SEED_DIR}")
    return sentences


class Prose:
    """A word-bigram chain over the seed letters: plausible, repetitive policy prose."""

    MAX_WORDS = 45

    def __init__(self, sentences: list[list[str]], rng: random.Random) -> None:
        self.rng = rng
        self.starts = [words[0] for words in sentences]
        chain: dict[str, list[str]] = {}
        for words in sentences:
            for current, following in zip(words, [*words[1:], ""], strict=True):
                chain.setdefault(current, []).append(following)
        self.chain = chain

    def sentence(self) -> list[str]:
        random_ = self.rng.random
        chain = self.chain
        word = self.starts[int(random_() * len(self.starts))]
        words = [word]
        while len(words) < self.MAX_WORDS:
            following = chain.get(word)
            if not following:
                break
            word = following[int(random_() * len(following))]
            if not word:  # the end of a seed sentence
                break
            words.append(word)
            if len(words) > 6 and word[-1] in ".!?":
                break
        last = words[-1]
        if last[-1] not in ".!?":
            words[-1] = last.rstrip(",;:–-") + "."
        return words



# ----------------------------------------------------------------------------- letters


@dataclass
class Role:
    author: Author
    role: str  # sender | recipient | signatory | attention | cc
    position: int
    name_as_written: str
    paragraph: int  # index of the paragraph that writes the name
    start: int = 0
    end: int = 0


@dataclass
class SyntheticLetter:
    title: str
    date: date | None
    place: str | None
    kind: str
    reference: str | None
    salutation: str
    subject: str | None
    paragraphs: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    def layout(self) -> tuple[str, list[tuple[int, int, str]]]:
        """The original text and each paragraph's (start, end, text); sets the roles' spans."""
        spans: list[tuple[int, int, str]] = []
        offset = 0
        for text in self.paragraphs:
            spans.append((offset, offset + len(text), text))
            offset += len(text) + 2
        original = "\n\n".join(self.paragraphs) + "\n"
        for role in self.roles:
            start, _end, text = spans[role.paragraph]
            found = text.find(role.name_as_written)
            if found < 0:  # a bug in this generator, not in the app
                raise AssertionError(f"{role.name_as_written!r} not in {text!r}")
            role.start = start + found
            role.end = role.start + len(role.name_as_written)
        return original, spans


def _as_written(author: Author, rng: random.Random) -> str:
    """Names are sometimes written with the surname in capitals, as in the seed."""
    if rng.random() < 0.25:
        *first, last = author.name.split()
        return " ".join([*first, last.upper()])
    return author.name


def _date_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class LetterFactory:
    def __init__(self, rng: random.Random, words: int, countries: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.prose = Prose(seed_sentences(), rng)
        self.countries = countries or ["Tunisia", "Libya", "Türkiye"]
        self.officials = _officials(rng, 160)
        self.senders = [*MINISTERS, *COMMISSION]
        self.people = [*self.senders, *self.officials]
        self.first_day = date(2019, 1, 1)
        self.days = (date(2025, 12, 31) - self.first_day).days

    def _mention(self) -> str:
        rng = self.rng
        template = rng.choice(MENTIONS)
        person = rng.choice(MINISTERS if rng.random() < 0.7 else COMMISSION)
        return template.format(name=person.short, topic=rng.choice(TOPICS),
                               country=rng.choice(self.countries))

    def _body(self, words: int, shares: list[float]) -> list[str]:
        """Paragraphs of about ``words`` words in all, split by ``shares``."""
        rng = self.rng
        paragraphs: list[str] = []
        written = 0
        goal = 0.0
        for share in shares:
            goal += share * words
            sentences: list[str] = []
            while written < goal - 6 or not sentences:
                if rng.random() < 0.04:
                    sentence = self._mention()
                    written += sentence.count(" ") + 1
                else:
                    parts = self.prose.sentence()
                    sentence = " ".join(parts)
                    written += len(parts)
                sentences.append(sentence)
            paragraphs.append(" ".join(sentences))
        return paragraphs

    def letter(self) -> SyntheticLetter:
        rng = self.rng
        joint = rng.random() < 0.05
        signatories: list[Author] = []
        if joint:
            signatories = rng.sample(MINISTERS, rng.randint(3, 15))
            sender = signatories[0]
            recipient = rng.choice(COMMISSION[:3])
            kind = "joint letter"
        else:
            sender = rng.choice(self.people if rng.random() < 0.3 else self.senders)
            recipient = rng.choice([p for p in self.senders if p is not sender])
            kind = sender.kind
        topic = rng.choice(TOPICS)
        day = (self.first_day + timedelta(days=rng.randrange(self.days))
               if rng.random() < 0.9 else None)
        place = None if joint or rng.random() < 0.08 else sender.place
        reference = None
        if sender.organisation == "European Commission" and rng.random() < 0.6:
            reference = f"Ares ({day.year if day else 2024}){rng.randrange(10**6, 10**7)}"
        if joint:
            title = (f"Joint letter of {len(signatories)} ministers to {recipient.short} "
                     f"on {topic}")
        else:
            title = f"{sender.short} to {recipient.short} on {topic}"
        sender_written = _as_written(sender, rng)
        recipient_written = _as_written(recipient, rng)
        salutation = "Dear colleagues," if joint else rng.choice(
            ("Dear Minister,", "Dear colleague,", f"Dear {recipient.short},",
             f"Dear {recipient.name.split()[0]},"))
        subject = f"Subject: {topic[0].upper()}{topic[1:]}" if rng.random() < 0.3 else None
        cc = (rng.sample([p for p in self.officials if p is not sender], rng.randint(1, 4))
              if rng.random() < 0.35 else [])

        # letterhead, place and date, addressee, salutation
        head = [", ".join(p.place for p in signatories) if joint else sender.header]
        dateline = ", ".join(filter(None, (place, _date_text(day) if day else None, reference)))
        if dateline:
            head.append(dateline)
        addressed = len(head)
        addressee = f"{recipient.honorific or ''} {recipient_written}, {recipient.title}"
        head.append(("To the attention of: " if joint else "") + addressee.strip())
        head.append(salutation)
        if subject:
            head[-1] = f"{subject}. {salutation}"
        # signature and copies
        if joint:
            closing = ["Yours sincerely, " + "; ".join(f"{p.name}, {p.title}"
                                                       for p in signatories)]
        else:
            closing = [f"Yours sincerely, {sender_written}, {sender.title}"]
        if cc:
            closing.append("cc: " + ", ".join(f"{p.name} ({p.organisation})" for p in cc))
        # the body: 8 to 12 paragraphs in all, about --words words in all
        body_count = max(2, rng.randint(8, 12) - len(head) - len(closing))
        body_words = max(40, self.words - sum(len(t.split()) for t in (*head, *closing)))
        weights = [rng.uniform(0.6, 1.4) for _ in range(body_count)]
        body = self._body(body_words, [w / sum(weights) for w in weights])

        signed = len(head) + len(body)
        roles: list[Role] = []
        if joint:
            roles.extend(Role(p, "signatory", i, p.name, signed)
                         for i, p in enumerate(signatories))
            roles.append(Role(recipient, "attention", len(roles), recipient_written,
                              addressed))
        else:
            roles.append(Role(sender, "sender", 0, sender_written, signed))
            roles.append(Role(recipient, "recipient", 1, recipient_written, addressed))
        roles.extend(Role(p, "cc", i, p.name, signed + 1)
                     for i, p in enumerate(cc, start=len(roles)))
        return SyntheticLetter(title=title, date=day, place=place, kind=kind,
                               reference=reference, salutation=salutation, subject=subject,
                               paragraphs=[*head, *body, *closing], roles=roles)


# ------------------------------------------------------------------------------ store


@dataclass
class Totals:
    letters: int = 0
    paragraphs: int = 0
    words: int = 0
    roles: int = 0
    people_added: int = 0
    generate_s: float = 0.0
    insert_s: float = 0.0


def _person_ids(db: sqlite3.Connection) -> dict[str, int]:
    return {key: person_id for person_id, key in db.execute("SELECT id, key FROM person")}


def _person_id(db: sqlite3.Connection, ids: dict[str, int], author: Author,
               totals: Totals) -> int:
    key = fold(author.name)
    if key not in ids:
        cursor = db.execute(
            "INSERT INTO person (key, name, honorific, organisation, country, country_code) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (key, author.name, author.honorific, author.organisation, author.country,
             author.country_code))
        ids[key] = cursor.lastrowid or 0
        totals.people_added += 1
    return ids[key]


def insert_batch(db: sqlite3.Connection, letters: list[SyntheticLetter], first_id: int,
                 stamp: datetime, person_ids: dict[str, int], seen: set[str],
                 totals: Totals) -> None:
    """Insert letters with ids from ``first_id``, their paragraphs and roles."""
    letter_rows = []
    paragraph_rows = []
    role_rows = []
    for letter_id, letter in enumerate(letters, start=first_id):
        original, spans = letter.layout()
        digest = hashlib.sha256(original.encode("utf-8")).hexdigest()
        if digest in seen:  # the unique index would refuse it anyway
            raise AssertionError("two synthetic letters came out identical")
        seen.add(digest)
        imported = (stamp + timedelta(seconds=letter_id)).strftime("%Y-%m-%d %H:%M:%S.000000")
        letter_rows.append((
            letter_id, letter.title, letter.date.isoformat() if letter.date else None,
            letter.place, letter.kind, letter.reference, letter.salutation, letter.subject,
            original, f"synthetic_{letter_id:06d}.txt", digest, "utf-8", imported))
        for ordinal, (start, end, text) in enumerate(spans):
            paragraph_rows.append((letter_id, ordinal, start, end, text))
            totals.words += text.count(" ") + 1
        for role in letter.roles:
            role_rows.append((
                letter_id, _person_id(db, person_ids, role.author, totals), role.role,
                role.position, role.name_as_written, role.author.honorific, role.author.title,
                role.author.organisation, role.start, role.end))
    db.executemany(
        "INSERT INTO letter (id, title, date, place, kind, reference, salutation, subject, "
        "original_text, source_name, sha256, encoding, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", letter_rows)
    db.executemany(
        'INSERT INTO paragraph (letter_id, ordinal, start, "end", text) VALUES (?, ?, ?, ?, ?)',
        paragraph_rows)
    db.executemany(
        "INSERT INTO letterrole (letter_id, person_id, role, position, name_as_written, "
        'honorific, title, organisation, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        role_rows)
    totals.letters += len(letter_rows)
    totals.paragraphs += len(paragraph_rows)
    totals.roles += len(role_rows)


def build(out: Path, letters: int, words: int, seed: int) -> Totals:
    """Create and seed the store ``out``, then add ``letters`` synthetic letters to it."""
    started = time.perf_counter()
    services = open_services(out, create=True)  # Store(path, create=True): runs Alembic
    try:
        services.seed.load()
    finally:
        services.close()
    seeded = time.perf_counter()
    print(f"migrated and seeded {out} in {seeded - started:.2f} s")

    totals = Totals()
    rng = random.Random(seed)
    db = sqlite3.connect(out, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark store
        db.execute("PRAGMA cache_size = -262144")  # 256 MiB while the FTS index is built
        countries = [row[0] for row in db.execute("SELECT name FROM partnercountry ORDER BY id")]
        factory = LetterFactory(rng, words, countries)
        stamp = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
        person_ids = _person_ids(db)
        seen = {row[0] for row in db.execute("SELECT sha256 FROM letter")}
        first_id = (db.execute("SELECT COALESCE(MAX(id), 0) FROM letter").fetchone()[0]) + 1
        db.execute("BEGIN")
        try:
            done = 0
            while done < letters:
                count = min(BATCH, letters - done)
                t0 = time.perf_counter()
                batch = [factory.letter() for _ in range(count)]
                t1 = time.perf_counter()
                insert_batch(db, batch, first_id + done, stamp, person_ids, seen, totals)
                t2 = time.perf_counter()
                totals.generate_s += t1 - t0
                totals.insert_s += t2 - t1
                done += count
                if done % 2000 == 0 or done == letters:
                    print(f"  {done:>7,} letters  ({time.perf_counter() - seeded:.1f} s)")
            t0 = time.perf_counter()
            db.execute("COMMIT")
            totals.insert_s += time.perf_counter() - t0
        except BaseException:
            db.execute("ROLLBACK")
            raise
        t0 = time.perf_counter()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        checkpoint_s = time.perf_counter() - t0
    finally:
        db.close()
    elapsed = time.perf_counter() - started
    size = out.stat().st_size
    print(f"built {totals.letters:,} synthetic letters "
        f"({totals.paragraphs:,} paragraphs, {totals.words:,} words, "
        f"{totals.words / max(totals.letters, 1):.0f} words/letter), "
        f"{totals.roles:,} roles, {totals.people_added} new people")
    print(f"time: {elapsed:.1f} s total = {seeded - started:.1f} s migrate+seed, "
        f"{totals.generate_s:.1f} s generate, {totals.insert_s:.1f} s insert+FTS, "
        f"{checkpoint_s:.1f} s checkpoint")
    print(f"store: {out} {size / 2**20:.1f} MiB")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the store file to create")
    parser.add_argument("--letters", type=int, default=10_000, help="synthetic letters to add")
    parser.add_argument("--words", type=int, default=800, help="words per letter (about)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (texts, names)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    if args.letters < 0 or args.words < 50:
        parser.error("--letters must be 0 or more and --words at least 50")
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists (use --force to replace it)")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    build(args.out, args.letters, args.words, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
