"""records: who signed, chart versions, measures bound to visits and locked with them

* visit.signed_by_id and amendment.author_id name the practitioner; visit.signing_
  acknowledgements keeps what was acknowledged at signing (no consent on file, say).
* body_chart rows become versions: supersedes_id links an edit to the drawing it replaced,
  and no version is ever changed or deleted.
* headache_entry.visit_id binds a diary entry to the visit it was reported at; measure values
  and diary entries of a signed visit are locked like its note.

A batch rebuild drops a table's triggers, so the triggers of the rebuilt tables are read first
and created again after.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:47:52.297465
"""

from alembic import op

from practice.store import guards
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LOCKED = "signed visit notes cannot be changed; add an amendment"
VERSIONED = "body chart versions are never changed or deleted; save a new version"


def _signed(visit_id: str) -> str:
    return f"(SELECT signed_at FROM visit WHERE id = {visit_id}) IS NOT NULL"


def _owned_by_signed_visit(table: str) -> dict[str, str]:
    return {
        f"{table}_locked_insert": f"BEFORE INSERT ON {table} WHEN {_signed('NEW.visit_id')}",
        f"{table}_locked_update": (
            f"BEFORE UPDATE ON {table} "
            f"WHEN {_signed('OLD.visit_id')} OR {_signed('NEW.visit_id')}"
        ),
        f"{table}_locked_delete": f"BEFORE DELETE ON {table} WHEN {_signed('OLD.visit_id')}",
    }


TRIGGERS: dict[str, tuple[str, str]] = {
    **{
        name: (when, LOCKED)
        for table in ("measure_value", "headache_entry")
        for name, when in _owned_by_signed_visit(table).items()
    },
    "body_chart_version_update": ("BEFORE UPDATE ON body_chart", VERSIONED),
    "body_chart_version_delete": ("BEFORE DELETE ON body_chart", VERSIONED),
}


def upgrade() -> None:
    kept = guards.set_triggers_aside(op)
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_amendment_author_id_practitioner'), 'practitioner', ['author_id'], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('body_chart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_body_chart_supersedes_id', ['supersedes_id'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_body_chart_supersedes_id_body_chart'), 'body_chart', ['supersedes_id'], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('headache_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_headache_entry_visit_id_visit'), 'visit', ['visit_id'], ['id'], ondelete='RESTRICT')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signing_acknowledgements', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_foreign_key(batch_op.f('fk_visit_signed_by_id_practitioner'), 'practitioner', ['signed_by_id'], ['id'], ondelete='RESTRICT')
    for statement in kept:
        op.execute(statement)
    guards.create_guards(op, TRIGGERS)


def downgrade() -> None:
    guards.drop_guards(op, TRIGGERS)
    kept = guards.set_triggers_aside(op)
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visit_signed_by_id_practitioner'), type_='foreignkey')
        batch_op.drop_column('signing_acknowledgements')
        batch_op.drop_column('signed_by_id')
    with op.batch_alter_table('headache_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_headache_entry_visit_id_visit'), type_='foreignkey')
        batch_op.drop_column('visit_id')
    with op.batch_alter_table('body_chart', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_body_chart_supersedes_id_body_chart'), type_='foreignkey')
        batch_op.drop_index('ix_body_chart_supersedes_id')
        batch_op.drop_column('supersedes_id')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_amendment_author_id_practitioner'), type_='foreignkey')
        batch_op.drop_column('author_id')
    for statement in kept:
        op.execute(statement)
