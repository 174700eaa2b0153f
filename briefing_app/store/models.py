"""The tables of the store.

Plain SQLModel: nothing here is SQLite-specific (that lives in
:mod:`briefing_app.store.engine` and :mod:`briefing_app.store.search`), so a
shared PostgreSQL store stays possible. List-valued fields that are never
queried on their own (lead actors, agenda items, pack options) are stored as
JSON text.
"""

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Letter(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    date: dt.date | None = None
    place: str | None = None
    kind: str = "letter"
    reference: str | None = None
    salutation: str | None = None
    subject: str | None = None
    original_text: str = Field(sa_column=Column(Text, nullable=False))
    source_name: str
    sha256: str = Field(unique=True, index=True)
    encoding: str = "utf-8"
    imported_at: dt.datetime
    #: who imported the letter, and on which machine
    imported_by: str | None = None
    origin: str | None = None


class LetterCorrection(SQLModel, table=True):
    """An edit stored beside the untouched original text."""

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    start: int
    end: int
    original: str
    corrected: str
    note: str = ""
    created_at: dt.datetime


class Paragraph(SQLModel, table=True):
    """A searchable passage of a letter: its span in the original and its plain text."""

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    ordinal: int
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))


class Annex(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    label: str
    title: str
    start: int
    end: int


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: folded form of the name (case and diacritics removed): one person, several spellings
    key: str = Field(unique=True, index=True)
    name: str
    honorific: str | None = None
    organisation: str | None = None
    country: str | None = None
    country_code: str | None = None


class LetterRole(SQLModel, table=True):
    """A person's part on one letter, with the name and title as that letter writes them."""

    __table_args__ = (UniqueConstraint("letter_id", "person_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str  # sender | signatory | recipient | attention | cc
    position: int = 0
    name_as_written: str
    honorific: str | None = None
    title: str | None = None
    organisation: str | None = None
    start: int
    end: int


class CommitmentSeries(SQLModel, table=True):
    """One series of commitments of a letter: its points of action, its measures, its proposals.

    ``key`` is unique across the store and never changes: the parsed key
    ("measures") if it was free, else the key suffixed with the letter's id
    ("measures-7").
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    title: str
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")


class Commitment(SQLModel, table=True):
    """One commitment a letter makes: an item of one of its series, with a status once accepted.

    ``state`` is the review state: a commitment read from a letter a person
    imported is ``proposed`` until they accept (or reject) it; only accepted
    commitments are tracked.
    """

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="commitmentseries.id", index=True, ondelete="CASCADE")
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    position: int
    number: int | None = Field(default=None, index=True)
    marker: str | None = None
    section: str | None = None
    section_title: str | None = None
    title: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    deadline: str | None = None
    due_date: dt.date | None = None
    actors: str = "[]"  # JSON list of names
    countries: str = "[]"  # JSON list of ISO 3166-1 alpha-2 codes
    state: str = "proposed"  # proposed | accepted | rejected
    status: str = "no evidence"
    rag: str = "grey"
    owner: str | None = None
    notes: str | None = None
    start: int = 0
    end: int = 0


class PartnerCountry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    iso: str = Field(unique=True, index=True, max_length=2)
    name: str
    aliases: str = "[]"  # JSON list: spellings used to find the country in texts
    routes: str = "[]"  # JSON list from the route vocabulary
    status: str = "no evidence"
    rag: str = "grey"
    status_note: str | None = None
    owner: str | None = None
    notes: str | None = None


class Instrument(SQLModel, table=True):
    """A cooperation instrument with a partner country (MoU, readmission agreement…)."""

    id: int | None = Field(default=None, primary_key=True)
    country_id: int = Field(foreign_key="partnercountry.id", index=True, ondelete="CASCADE")
    kind: str
    name: str
    state: str


class CommitmentCountry(SQLModel, table=True):
    """Which partner countries a commitment names (the country × measure matrix)."""

    commitment_id: int = Field(foreign_key="commitment.id", primary_key=True,
                               ondelete="CASCADE")
    country_id: int = Field(foreign_key="partnercountry.id", primary_key=True,
                            ondelete="CASCADE")


class Indicator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    label: str
    value: float
    unit: str
    approximate: bool = False
    display: str
    period: str | None = None
    as_of: dt.date | None = None
    route: str | None = None
    country_id: int | None = Field(default=None, foreign_key="partnercountry.id", index=True)
    letter_id: int | None = Field(default=None, foreign_key="letter.id", index=True)


class Citation(SQLModel, table=True):
    """A link from an item to the exact passage of a letter it came from."""

    __table_args__ = (Index("ix_citation_item", "item_kind", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    item_kind: str  # commitment | country | instrument | indicator | role | meeting
    item_id: int
    start: int
    end: int
    quote: str = Field(sa_column=Column(Text, nullable=False))  # original[start:end], verbatim


class StatusChange(SQLModel, table=True):
    """Every change of a tracked item's status. Never deleted: the audit trail."""

    __table_args__ = (Index("ix_statuschange_item", "item_kind", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_kind: str  # commitment | country
    item_id: int
    old_status: str | None = None
    new_status: str
    old_rag: str | None = None
    new_rag: str
    old_owner: str | None = None
    new_owner: str | None = None
    note: str | None = None
    author: str
    #: the machine the change was made on
    origin: str | None = None
    source: str
    changed_at: dt.datetime
    #: the change this one reverts (an undo), if any
    reverts_id: int | None = Field(default=None, foreign_key="statuschange.id")


class ReviewChange(SQLModel, table=True):
    """One review of commitments (accept, reject, edit, merge, split, or an undo of one).

    ``before`` and ``after`` are JSON objects of the touched commitments'
    rows by id (null for a row that did not exist, or no longer does), so a
    review is undone exactly by writing ``before`` back.
    """

    id: int | None = Field(default=None, primary_key=True)
    action: str  # accept | reject | edit | merge | split | undo
    before: str = Field(sa_column=Column(Text, nullable=False))
    after: str = Field(sa_column=Column(Text, nullable=False))
    author: str
    origin: str | None = None
    changed_at: dt.datetime
    #: the review this one reverts (an undo), if any
    reverts_id: int | None = Field(default=None, foreign_key="reviewchange.id")


class FollowUp(SQLModel, table=True):
    """A passage of a later letter that reports on a commitment: a suggestion of the
    follow-up finder (or of the seed), accepted or dismissed by a person.

    ``start``/``end`` is the passage's span in the letter's original text and
    ``quote`` that span verbatim. An accepted follow-up is evidence; the status
    change it supports, if any, is ``status_change_id``.
    """

    __table_args__ = (UniqueConstraint("commitment_id", "letter_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True, ondelete="CASCADE")
    letter_id: int = Field(foreign_key="letter.id", index=True, ondelete="CASCADE")
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id",
                                     ondelete="SET NULL")
    start: int
    end: int
    quote: str = Field(sa_column=Column(Text, nullable=False))
    score: float = 0.0
    state: str = "suggested"  # suggested | accepted | dismissed
    origin: str = "finder"  # finder | seed | person
    found_at: dt.datetime
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    status_change_id: int | None = Field(default=None, foreign_key="statuschange.id")


class FollowUpReview(SQLModel, table=True):
    """Every accept, dismiss or undo of a follow-up. Never deleted: the audit trail."""

    id: int | None = Field(default=None, primary_key=True)
    follow_up_id: int = Field(foreign_key="followup.id", index=True, ondelete="CASCADE")
    action: str  # accept | dismiss | undo
    old_state: str
    new_state: str
    #: the status change made with this review (an accept with a status), if any
    status_change_id: int | None = Field(default=None, foreign_key="statuschange.id")
    author: str
    origin: str | None = None
    changed_at: dt.datetime
    #: the review this one reverts (an undo), if any
    reverts_id: int | None = Field(default=None, foreign_key="followupreview.id")


class SyncConflict(SQLModel, table=True):
    """An item whose status, RAG or owner changed both at the team store and in a
    briefcase since the briefcase last synchronised.

    Both values stay, with who set them, on which machine and when; the item is
    *in conflict* until a person chooses (``resolved_at``). ``team_*`` is the
    team store's value when the briefcase's changes arrived, ``briefcase_*``
    the briefcase's; ``briefcase`` names the briefcase.
    """

    __table_args__ = (Index("ix_syncconflict_item", "item_kind", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_kind: str  # commitment | country
    item_id: int
    team_status: str
    team_rag: str
    team_owner: str | None = None
    team_note: str | None = None
    team_author: str
    team_origin: str | None = None
    team_changed_at: dt.datetime
    team_change_id: int | None = Field(default=None, foreign_key="statuschange.id")
    briefcase_status: str
    briefcase_rag: str
    briefcase_owner: str | None = None
    briefcase_note: str | None = None
    briefcase_author: str
    briefcase_origin: str | None = None
    briefcase_changed_at: dt.datetime
    briefcase_change_id: int | None = Field(default=None, foreign_key="statuschange.id")
    briefcase: str | None = None
    detected_at: dt.datetime
    resolved_at: dt.datetime | None = None
    resolved_by: str | None = None
    resolution_change_id: int | None = Field(default=None, foreign_key="statuschange.id")


class Meeting(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    formation: str
    title: str
    date: dt.date | None = None
    place: str | None = None
    agenda: str = "[]"  # JSON list of agenda item titles


class BriefingPack(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    title: str
    sections: str = "[]"  # JSON: chosen sections and items, in order
    options: str = "{}"  # JSON: classification, paper size, draft…
    created_at: dt.datetime


class PackBuild(SQLModel, table=True):
    """One generated file of a pack: a pack version."""

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(foreign_key="briefingpack.id", index=True, ondelete="CASCADE")
    version: int
    built_at: dt.datetime
    path: str
    sha256: str
    page_count: int
    options: str = "{}"


#: The tables of the items that carry a status, by their ``item_kind``.
TrackedItem = Commitment | PartnerCountry
TRACKED_MODELS: dict[str, type[TrackedItem]] = {
    "commitment": Commitment,
    "country": PartnerCountry,
}


def _identifiers_are_64_bit() -> None:
    """Every identifier column (``id`` and ``…_id``) is a 64-bit integer on PostgreSQL, as
    migration 0004 made them: a briefcase's records take identifiers from a block far
    above the team store's own. SQLite's INTEGER is 64-bit already, and must stay
    INTEGER for a key to be the row id."""
    from sqlalchemy import BigInteger, Integer

    identifier = BigInteger().with_variant(Integer(), "sqlite")
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            if (column.name == "id" or column.name.endswith("_id")) and \
                    isinstance(column.type, Integer):
                column.type = identifier


_identifiers_are_64_bit()
