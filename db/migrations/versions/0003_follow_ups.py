"""Follow-ups: the passages of later letters that report on a commitment.

Adds the follow-up table and its review trail, a second full-text index of
the paragraphs that folds case and diacritics but does not stem (so an exact
word ranks before a stemmed one, and a name matches as a name), its
vocabulary (how many paragraphs hold each word), and a full-text index of
the commitments' texts (which commitments a new letter's passage may report
on).

Revision ID: 0003_follow_ups
Revises: 0002_commitments
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003_follow_ups'
down_revision = '0002_commitments'
branch_labels = None
depends_on = None


def _external_index(name: str, table: str, tokenize: str) -> None:
    """An external-content FTS5 index of ``table.text``, kept in step by triggers."""
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(text, content='{table}', "
               f"content_rowid='id', tokenize='{tokenize}')")
    op.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {name}(rowid, text) VALUES (new.id, new.text); END")
    op.execute(f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {name}({name}, rowid, text) VALUES ('delete', old.id, old.text); END")
    op.execute(f"CREATE TRIGGER {name}_au AFTER UPDATE OF text ON {table} BEGIN "
               f"INSERT INTO {name}({name}, rowid, text) VALUES ('delete', old.id, old.text); "
               f"INSERT INTO {name}(rowid, text) VALUES (new.id, new.text); END")
    op.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")


def upgrade() -> None:
    op.create_table(
        'followup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('commitment_id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), nullable=True),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('quote', sa.Text(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('found_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('reviewed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('status_change_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['status_change_id'], ['statuschange.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('commitment_id', 'letter_id', 'start', 'end'),
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_commitment_id'), ['commitment_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_followup_letter_id'), ['letter_id'], unique=False)
    op.create_table(
        'followupreview',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('follow_up_id', sa.Integer(), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('old_state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('new_state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('status_change_id', sa.Integer(), nullable=True),
        sa.Column('author', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('reverts_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['follow_up_id'], ['followup.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reverts_id'], ['followupreview.id']),
        sa.ForeignKeyConstraint(['status_change_id'], ['statuschange.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('followupreview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followupreview_follow_up_id'), ['follow_up_id'],
                              unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # the same two indexes as GIN indexes on the folded text's vectors: 'simple' does
        # not stem (exact words), 'english' stems as the paragraphs' index does
        op.execute("CREATE INDEX paragraph_exact ON paragraph USING gin "
                   "(to_tsvector('simple'::regconfig, briefing_fold(text)))")
        op.execute("CREATE INDEX commitment_fts ON commitment USING gin "
                   "(to_tsvector('english'::regconfig, briefing_fold(text)))")
        return
    # the paragraphs folded but not stemmed: exact words, names as names
    _external_index('paragraph_exact', 'paragraph', 'unicode61 remove_diacritics 2')
    op.execute("CREATE VIRTUAL TABLE paragraph_exact_vocab USING fts5vocab(paragraph_exact, 'row')")
    # the commitments' texts, stemmed like the paragraphs
    _external_index('commitment_fts', 'commitment', 'porter unicode61 remove_diacritics 2')


def downgrade() -> None:
    raise NotImplementedError("0003_follow_ups: a store keeps its follow-ups")
