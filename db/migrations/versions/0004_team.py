"""The team: who made each change and on which machine, and what a briefcase syncs.

Both dialects:

* ``origin`` (the machine a change came from) on the three audit trails
  (status changes, commitment reviews, follow-up reviews), and the importer
  and machine of each letter;
* ``syncconflict``: an item whose status, RAG or owner changed both at the
  team store and in a briefcase since the briefcase last synchronised; it
  keeps both values, with their authors, machines and times, until a person
  chooses.

PostgreSQL only (the team store):

* every identifier becomes a 64-bit integer, so a briefcase's records made
  offline can take identifiers from a block of their own
  (:mod:`briefing_app.store.briefcase`);
* ``sync_change``: one row per row written, in commit order's sequence, filled
  by a trigger on every table; a briefcase's sync reads what changed since
  its last one from it. The trigger takes a shared advisory lock for the rest
  of the writing transaction, so a sync that takes the lock exclusively knows
  every change up to the newest sequence number is committed;
* ``sync_briefcase``: the briefcases checked out of the team store, with how
  far the team store has received each one's changes (a sync interrupted after the
  team store committed is not applied twice).

Revision ID: 0004_team
Revises: 0003_follow_ups
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime
from alembic import op

revision = '0004_team'
down_revision = '0003_follow_ups'
branch_labels = None
depends_on = None

#: The tables a briefcase carries, with their primary keys.
SYNCED = {
    'letter': ('id',), 'lettercorrection': ('id',), 'paragraph': ('id',), 'annex': ('id',),
    'person': ('id',), 'letterrole': ('id',), 'commitmentseries': ('id',),
    'commitment': ('id',), 'partnercountry': ('id',), 'instrument': ('id',),
    'commitmentcountry': ('commitment_id', 'country_id'), 'indicator': ('id',),
    'citation': ('id',), 'statuschange': ('id',), 'reviewchange': ('id',),
    'followup': ('id',), 'followupreview': ('id',), 'meeting': ('id',),
    'briefingpack': ('id',), 'packbuild': ('id',), 'syncconflict': ('id',),
}

#: The shared/exclusive advisory lock of the change log (see the module docstring).
LOG_LOCK = 72_050_001


def _side(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f'{prefix}_status', AutoString(), nullable=False),
        sa.Column(f'{prefix}_rag', AutoString(), nullable=False),
        sa.Column(f'{prefix}_owner', AutoString(), nullable=True),
        sa.Column(f'{prefix}_note', AutoString(), nullable=True),
        sa.Column(f'{prefix}_author', AutoString(), nullable=False),
        sa.Column(f'{prefix}_origin', AutoString(), nullable=True),
        sa.Column(f'{prefix}_changed_at', UTCDateTime(), nullable=False),
        sa.Column(f'{prefix}_change_id', sa.Integer(), sa.ForeignKey('statuschange.id'),
                  nullable=True),
    ]


def upgrade() -> None:
    for table in ('statuschange', 'reviewchange', 'followupreview'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('origin', AutoString(), nullable=True))
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_by', AutoString(), nullable=True))
        batch_op.add_column(sa.Column('origin', AutoString(), nullable=True))
    op.create_table(
        'syncconflict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_kind', AutoString(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        *_side('team'),
        *_side('briefcase'),
        sa.Column('briefcase', AutoString(), nullable=True),
        sa.Column('detected_at', UTCDateTime(), nullable=False),
        sa.Column('resolved_at', UTCDateTime(), nullable=True),
        sa.Column('resolved_by', AutoString(), nullable=True),
        sa.Column('resolution_change_id', sa.Integer(), sa.ForeignKey('statuschange.id'),
                  nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_syncconflict_item', 'syncconflict', ['item_kind', 'item_id'])
    if op.get_bind().dialect.name == "postgresql":
        _team_store()


def _team_store() -> None:
    bind = op.get_bind()
    columns = bind.execute(sa.text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'integer' "
        "AND (column_name = 'id' OR column_name LIKE '%\\_id') "
        "AND table_name <> 'alembic_version' ORDER BY table_name, column_name")).fetchall()
    for table, column in columns:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE bigint')
    op.execute("""
        CREATE TABLE sync_change (
            seq bigserial PRIMARY KEY,
            table_name text NOT NULL,
            row_key text NOT NULL,
            op char(1) NOT NULL,
            briefcase bigint,
            at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute("CREATE INDEX ix_sync_change_row ON sync_change (table_name, row_key)")
    op.execute("""
        CREATE TABLE sync_briefcase (
            id bigserial PRIMARY KEY,
            name text NOT NULL,
            machine text,
            author text,
            checked_out_at timestamptz NOT NULL DEFAULT now(),
            last_sync_at timestamptz,
            acknowledged_through bigint NOT NULL DEFAULT 0
        )""")
    op.execute(f"""
        CREATE FUNCTION briefing_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            rec jsonb;
            key text;
        BEGIN
            PERFORM pg_advisory_xact_lock_shared({LOG_LOCK});
            IF TG_OP = 'DELETE' THEN rec := to_jsonb(OLD); ELSE rec := to_jsonb(NEW); END IF;
            SELECT string_agg(rec ->> column_name, '|' ORDER BY ordinality) INTO key
              FROM unnest(TG_ARGV) WITH ORDINALITY AS c(column_name, ordinality);
            INSERT INTO sync_change (table_name, row_key, op, briefcase)
            VALUES (TG_TABLE_NAME, key, left(TG_OP, 1),
                    nullif(current_setting('briefing.briefcase', true), '')::bigint);
            RETURN NULL;
        END $$""")
    for table, key in SYNCED.items():
        arguments = ", ".join(f"'{column}'" for column in key)
        op.execute(f"CREATE TRIGGER {table}_log AFTER INSERT OR UPDATE OR DELETE ON "
                   f'"{table}" FOR EACH ROW EXECUTE FUNCTION briefing_log_change({arguments})')


def downgrade() -> None:
    raise NotImplementedError("0004_team: a store keeps its authors and conflicts")
