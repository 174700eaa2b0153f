"""One commitment model: action points and operational measures become commitments.

Every letter's action points become the series "action-points" (title
"Points of action"), its measures the series "measures" (title "Operational
measures"); a key already taken by an earlier letter is suffixed with the
letter's id ("measures-7"). The migrated commitments are accepted. Measures
keep their ids; action points follow them. Status changes, citations and the
country links move to the new ids, so a store keeps its full history.

Revision ID: 0002_commitments
Revises: 0001_baseline
Create Date: 2026-12-02
"""

import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002_commitments'
down_revision = '0001_baseline'
branch_labels = None
depends_on = None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def upgrade() -> None:
    op.create_table(
        'commitmentseries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('commitmentseries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitmentseries_key'), ['key'], unique=True)
        batch_op.create_index(batch_op.f('ix_commitmentseries_letter_id'), ['letter_id'],
                              unique=False)
    op.create_table(
        'commitment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=True),
        sa.Column('marker', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('section', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('section_title', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('deadline', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('actors', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('countries', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('rag', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['series_id'], ['commitmentseries.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_series_id'), ['series_id'], unique=False)
    op.create_table(
        'commitmentcountry',
        sa.Column('commitment_id', sa.Integer(), nullable=False),
        sa.Column('country_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['country_id'], ['partnercountry.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('commitment_id', 'country_id'),
    )
    op.create_table(
        'reviewchange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('after', sa.Text(), nullable=False),
        sa.Column('author', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('reverts_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reverts_id'], ['reviewchange.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    _move_rows(op.get_bind())
    op.drop_table('measurecountry')
    with op.batch_alter_table('operationalmeasure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operationalmeasure_number'))
        batch_op.drop_index(batch_op.f('ix_operationalmeasure_letter_id'))
    op.drop_table('operationalmeasure')
    with op.batch_alter_table('actionpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actionpoint_number'))
        batch_op.drop_index(batch_op.f('ix_actionpoint_letter_id'))
    op.drop_table('actionpoint')


def _move_rows(bind: sa.engine.Connection) -> None:
    run = bind.exec_driver_sql
    measures = run("SELECT * FROM operationalmeasure ORDER BY id").mappings().all()
    points = run("SELECT * FROM actionpoint ORDER BY id").mappings().all()
    spans = {(kind, item_id): (start, end) for kind, item_id, start, end in run(
        "SELECT item_kind, item_id, MIN(start), MAX(\"end\") FROM citation "
        "WHERE item_kind IN ('measure', 'action_point') GROUP BY item_kind, item_id")}
    countries = {}
    for measure_id, iso in run(
            "SELECT mc.measure_id, c.iso FROM measurecountry mc "
            "JOIN partnercountry c ON c.id = mc.country_id ORDER BY c.iso"):
        countries.setdefault(measure_id, []).append(iso)
    series: dict[tuple[int, str], int] = {}
    taken: set[str] = set()

    def series_id(letter_id: int, key: str, title: str) -> int:
        if (letter_id, key) not in series:
            stored = key if key not in taken else f"{key}-{letter_id}"
            taken.add(stored)
            run("INSERT INTO commitmentseries (key, title, letter_id) VALUES (?, ?, ?)",
                (stored, title, letter_id))
            series[(letter_id, key)] = run("SELECT last_insert_rowid()").scalar_one()
        return series[(letter_id, key)]

    def insert(values: dict) -> None:  # type: ignore[type-arg]
        names = ", ".join(f'"{name}"' for name in values)
        run(f"INSERT INTO commitment ({names}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()))

    new_ids: dict[tuple[str, int], int] = {}
    # series keys go to the earliest letter; measures first, so they keep their ids
    for kind, rows, key, title in (("measure", measures, "measures", "Operational measures"),
                                   ("action_point", points, "action-points",
                                    "Points of action")):
        for letter_id in sorted({row["letter_id"] for row in rows}):
            series_id(letter_id, key, title)
    offset = max((row["id"] for row in measures), default=0)
    for row in measures:
        same = sorted(m["number"] for m in measures if m["letter_id"] == row["letter_id"])
        start, end = spans.get(("measure", row["id"]), (0, 0))
        insert({
            "id": row["id"], "series_id": series[(row["letter_id"], "measures")],
            "letter_id": row["letter_id"], "position": same.index(row["number"]) + 1,
            "number": row["number"], "marker": f"{row['number']}.", "section": row["section"],
            "section_title": row["section_title"],
            "title": _one_line(row["text"].split("\n")[0]), "text": row["text"],
            "deadline": row["deadline"], "due_date": row["due_date"],
            "actors": row["lead_actors"], "countries": json.dumps(countries.get(row["id"], [])),
            "state": "accepted", "status": row["status"], "rag": row["rag"],
            "owner": row["owner"], "notes": row["notes"], "start": start, "end": end})
        new_ids[("measure", row["id"])] = row["id"]
    for row in points:
        same = sorted(p["number"] for p in points if p["letter_id"] == row["letter_id"])
        start, end = spans.get(("action_point", row["id"]), (0, 0))
        insert({
            "id": offset + row["id"], "series_id": series[(row["letter_id"], "action-points")],
            "letter_id": row["letter_id"], "position": same.index(row["number"]) + 1,
            "number": row["number"], "marker": None, "section": None, "section_title": None,
            "title": row["title"], "text": row["text"], "deadline": None, "due_date": None,
            "actors": "[]", "countries": "[]", "state": "accepted", "status": row["status"],
            "rag": row["rag"], "owner": row["owner"], "notes": row["notes"], "start": start,
            "end": end})
        new_ids[("action_point", row["id"])] = offset + row["id"]
    for table in ("statuschange", "citation"):
        for (kind, old_id), new_id in new_ids.items():
            run(f"UPDATE {table} SET item_kind = 'commitment', item_id = ? "
                "WHERE item_kind = ? AND item_id = ?", (new_id, kind, old_id))
    run("INSERT INTO commitmentcountry (commitment_id, country_id) "
        "SELECT measure_id, country_id FROM measurecountry")


def downgrade() -> None:
    raise NotImplementedError("0002_commitments: a store is not moved back to two tables")
