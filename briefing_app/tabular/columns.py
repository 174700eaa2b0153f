"""The column sets of exported tables, and what an import reads back.

The columns are a contract (the README lists them): the same names, in the
same order, whatever the format. Lists are joined with "; ", dates are ISO
(real date cells in XLSX), time stamps ISO with their UTC offset, yes/no for
flags. An import matches rows by the key column and reads only the columns
of :data:`IMPORTS`; the others (the letters' own words, derived figures) are
facts from the letters and are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

LIST_SEPARATOR = "; "

#: Every exported list and its columns, in order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "letters": ("id", "date", "title", "kind", "place", "reference", "source_name", "sha256",
                "imported_at"),
    "action-points": ("number", "letter_id", "title", "status", "rag", "owner", "notes",
                      "last_changed", "stalled", "text"),
    "measures": ("number", "letter_id", "section", "section_title", "deadline", "due_date",
                 "overdue", "lead_actors", "countries", "status", "rag", "owner", "notes",
                 "last_changed", "stalled", "text"),
    "countries": ("iso", "name", "routes", "instruments", "status", "rag", "status_note",
                  "owner", "notes", "measures", "indicators", "last_changed", "stalled"),
    "people": ("id", "name", "honorific", "organisation", "country", "country_code", "roles"),
    "indicators": ("key", "label", "value", "unit", "approximate", "display", "period", "as_of",
                   "route", "country", "letter_id"),
    "status-history": ("id", "changed_at", "item_kind", "item_id", "item", "old_status",
                       "new_status", "old_rag", "new_rag", "old_owner", "new_owner", "note",
                       "author", "source", "reverts_id"),
}

#: Columns written as real dates in XLSX (ISO text in CSV).
DATE_COLUMNS = frozenset({"date", "due_date", "as_of"})

#: The column that names an item, per exported kind (what ``keys=`` selects by).
KEY_COLUMNS = {"letters": "id", "action-points": "number", "measures": "number",
               "countries": "iso", "people": "id", "indicators": "key",
               "status-history": "id"}


@dataclass(frozen=True)
class ImportSpec:
    """What an import of one kind reads."""

    key: str  # the column rows are matched by
    noun: str  # "measure"
    read: tuple[str, ...]  # the columns whose values are imported
    narrowing: str | None = None  # an optional column that tells items with one key apart


TRACKED_READ = ("status", "rag", "owner", "notes")

IMPORTS: dict[str, ImportSpec] = {
    "action-points": ImportSpec("number", "action point", TRACKED_READ, "letter_id"),
    "measures": ImportSpec("number", "measure", TRACKED_READ, "letter_id"),
    "countries": ImportSpec("iso", "partner country", TRACKED_READ),
    "indicators": ImportSpec("key", "indicator",
                             ("value", "approximate", "display", "period", "as_of")),
}

EXPORT_KINDS = tuple(EXPORT_COLUMNS)
IMPORT_KINDS = tuple(IMPORTS)
TABLE_SUFFIXES = (".csv", ".xlsx")


def normalise_header(name: object) -> str:
    """A header as typed ("Due date ", "ISO") as a column name ("due_date", "iso")."""
    text = "" if name is None else str(name)
    return "_".join(text.replace("-", " ").replace("_", " ").split()).casefold()
