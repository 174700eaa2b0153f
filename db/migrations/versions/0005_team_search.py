"""The team store's search reads words as a local store's does.

PostgreSQL only (a local store's FTS5 indexes are unchanged):

* ``briefing_words(text)``: the folded text (``briefing_fold``: no case, no
  diacritics) with every run of characters that are not letters or digits
  made one space, so PostgreSQL's parser sees the same words as FTS5's
  ``unicode61`` tokenizer (no e-mail addresses, host names, decimals or
  hyphenated words of its own);
* ``briefing_porter``: a text search configuration that stems every word with
  the Porter stemmer (Snowball's ``porter``, the algorithm of FTS5's
  ``porter`` tokenizer) and keeps every word (no stop words: FTS5 has none);
* ``paragraph_search`` and ``commitment_search``: each paragraph's and
  commitment's words, kept by triggers: how many words its text holds (bm25's
  document length, and their average) and its vectors, ``exact`` ('simple':
  words as written) and ``stemmed`` (``briefing_porter``), so a search reads
  stored vectors rather than parsing texts again;
* the three full-text indexes as GIN indexes on those vectors, under the names
  of the local store's: ``paragraph_exact``, ``paragraph_fts`` and
  ``commitment_fts`` (the expression indexes of 0001 and 0003 are dropped).

Revision ID: 0005_team_search
Revises: 0004_team
Create Date: 2026-12-02
"""

from alembic import op

revision = '0005_team_search'
down_revision = '0004_team'
branch_labels = None
depends_on = None

#: (index, table, column) of the GIN indexes.
INDEXES = (("paragraph_exact", "paragraph_search", "exact"),
           ("paragraph_fts", "paragraph_search", "stemmed"),
           ("commitment_fts", "commitment_search", "stemmed"))

#: The token types of PostgreSQL's parser that hold letters (stemmed); numbers are
#: kept as written, as the Porter stemmer leaves them.
_WORD_TOKENS = ("asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, "
                "hword_part, hword_numpart")

#: Each searched table's vectors: (column, text search configuration).
_VECTORS = {"paragraph": (("exact", "simple"), ("stemmed", "briefing_porter")),
            "commitment": (("stemmed", "briefing_porter"),)}


def _search_row(table: str, source: str) -> str:
    """The SELECT of ``{table}_search`` rows (id, words, vectors) from ``source``, a FROM
    clause of rows with ``id`` and ``text``."""
    vectors = ", ".join(f"to_tsvector('{config}'::regconfig, w.words)"
                        for _column, config in _VECTORS[table])
    return ("SELECT w.id, coalesce(array_length(string_to_array(nullif(w.words, ''), ' '), "
            f"1), 0), {vectors} FROM (SELECT s.id, briefing_words(s.text) AS words "
            f"FROM {source}) AS w")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION briefing_words(text) RETURNS text LANGUAGE sql "
        "IMMUTABLE PARALLEL SAFE STRICT AS "
        "$$ SELECT btrim(regexp_replace(briefing_fold($1), '[^[:alnum:]]+', ' ', 'g')) $$")
    op.execute("CREATE TEXT SEARCH DICTIONARY briefing_porter_stem "
               "(TEMPLATE = snowball, Language = porter)")
    op.execute("CREATE TEXT SEARCH CONFIGURATION briefing_porter (COPY = simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION briefing_porter ALTER MAPPING FOR "
               f"{_WORD_TOKENS} WITH briefing_porter_stem")
    for index, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
    for table, vectors in _VECTORS.items():
        columns = [column for column, _config in vectors]
        op.execute(f"CREATE TABLE {table}_search (id bigint PRIMARY KEY REFERENCES "
                   f"{table}(id) ON DELETE CASCADE, words integer NOT NULL, "
                   + ", ".join(f"{column} tsvector NOT NULL" for column in columns) + ")")
        # the vectors out of line (TOAST), so the rows an index scan visits stay small:
        # a common word's matches are found without reading every row's vectors
        op.execute(f"ALTER TABLE {table}_search SET (toast_tuple_target = 128)")
        for column in columns:
            op.execute(f"ALTER TABLE {table}_search ALTER COLUMN {column} SET STORAGE EXTERNAL")
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in ["words", *columns])
        op.execute(f"""
            CREATE FUNCTION briefing_index_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {table}_search (id, words, {", ".join(columns)})
                {_search_row(table, "(SELECT NEW.id, NEW.text) AS s(id, text)")}
                ON CONFLICT (id) DO UPDATE SET {updates};
                RETURN NULL;
            END $$""")
        op.execute(f"CREATE TRIGGER {table}_search AFTER INSERT OR UPDATE OF text "
                   f"ON {table} FOR EACH ROW EXECUTE FUNCTION briefing_index_{table}()")
        op.execute(f"INSERT INTO {table}_search (id, words, {', '.join(columns)}) "
                   + _search_row(table, f"{table} AS s"))
    for index, table, column in INDEXES:
        op.execute(f"CREATE INDEX {index} ON {table} USING gin ({column})")
    for table in _VECTORS:
        # the index's size (rows and words, bm25's average length) from an index-only scan
        op.execute(f"CREATE INDEX {table}_search_words ON {table}_search (words)")


def downgrade() -> None:
    raise NotImplementedError("0005_team_search: the search indexes are rebuilt, not undone")
