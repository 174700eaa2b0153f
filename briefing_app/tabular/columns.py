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

from briefing_app.domain import kinds
from briefing_app.domain.kinds import ACTION_POINTS, COUNTRIES, INDICATORS, MEASURES

LIST_SEPARATOR = "; "

#: Every exported list (:data:`briefing_app.domain.kinds.EXPORTED`) and its columns, in order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "letters": ("id", "date", "title", "kind", "place", "reference", "source_name", "sha256",
                "imported_at"),
    "action-points": ("number", "letter_id", "title", "status", "rag", "owner", "notes",
                      "as_of", "source", "stale", "last_changed", "stalled", "text"),
    "measures": ("number", "letter_id", "section", "section_title", "deadline", "due_date",
                 "overdue", "lead_actors", "countries", "status", "rag", "owner", "notes",
                 "as_of", "source", "stale", "last_changed", "stalled", "text"),
    "commitments": ("id", "series", "series_title", "letter_id", "position", "number",
                    "section", "title", "deadline", "due_date", "actors", "countries", "state",
                    "status", "rag", "owner", "as_of", "source", "stale", "text"),
    "countries": ("iso", "name", "routes", "instruments", "status", "rag", "status_note",
                  "owner", "notes", "measures", "indicators", "as_of", "source", "stale",
                  "last_changed", "stalled"),
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
KEY_COLUMNS = {kind.name: kind.key for kind in kinds.EXPORTED}


@dataclass(frozen=True)
class ImportSpec:
    """What an import of one kind reads."""

    key: str  # the column rows are matched by
    noun: str  # "measure"
    read: tuple[str, ...]  # the columns whose values are imported
    narrowing: str | None = None  # an optional column that tells items with one key apart


TRACKED_READ = ("status", "rag", "owner", "notes")

#: What an import of each kind (:data:`briefing_app.domain.kinds.IMPORTED`) reads.
IMPORTS: dict[str, ImportSpec] = {
    kind.name: ImportSpec(kind.key, kind.noun, read, narrowing)
    for kind, read, narrowing in (
        (ACTION_POINTS, TRACKED_READ, "letter_id"),
        (MEASURES, TRACKED_READ, "letter_id"),
        (COUNTRIES, TRACKED_READ, None),
        (INDICATORS, ("value", "approximate", "display", "period", "as_of"), None),
    )
}

#: The kinds that can be exported and imported (the desktop app asks the table
#: service instead: :meth:`~briefing_app.services.tables.TableService.export_kinds`).
EXPORT_KINDS = kinds.names(kinds.EXPORTED)
IMPORT_KINDS = kinds.names(kinds.IMPORTED)
TABLE_SUFFIXES = (".csv", ".xlsx")


def normalise_header(name: object) -> str:
    """A header as typed ("Due date ", "ISO") as a column name ("due_date", "iso")."""
    text = "" if name is None else str(name)
    return "_".join(text.replace("-", " ").replace("_", " ").split()).casefold()
