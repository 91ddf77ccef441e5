"""visits: visit, SOAP note, treatment log, amendments, templates, measures, headache diary

Plus SQLite triggers that lock a signed visit (see TRIGGERS below).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 05:40:55.084502
"""

from alembic import op

from practice.store import guards
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


LOCKED = "signed visit notes cannot be changed; add an amendment"
APPEND_ONLY = "amendments cannot be changed or deleted"
NOT_SIGNED = "only a signed visit note can be amended; edit the draft instead"


def _signed(visit_id: str) -> str:
    return f"(SELECT signed_at FROM visit WHERE id = {visit_id}) IS NOT NULL"


def _owned_by_signed_visit(table: str) -> dict[str, str]:
    """Insert, update and delete guards for a table whose rows belong to one visit."""
    return {
        f"{table}_locked_insert": f"BEFORE INSERT ON {table} WHEN {_signed('NEW.visit_id')}",
        f"{table}_locked_update": (
            f"BEFORE UPDATE ON {table} "
            f"WHEN {_signed('OLD.visit_id')} OR {_signed('NEW.visit_id')}"
        ),
        f"{table}_locked_delete": f"BEFORE DELETE ON {table} WHEN {_signed('OLD.visit_id')}",
    }


# Trigger name -> (when it fires, message). A signed visit row refuses every change; signing
# itself is the one update of a row whose signed_at is still NULL. Batch-mode migrations that
# recreate one of these tables drop its triggers: such a migration must create them again
# (tests/practice/visits/test_locking.py checks that they exist at head).
TRIGGERS: dict[str, tuple[str, str]] = {
    "visit_locked_update": ("BEFORE UPDATE ON visit WHEN OLD.signed_at IS NOT NULL", LOCKED),
    "visit_locked_delete": ("BEFORE DELETE ON visit WHEN OLD.signed_at IS NOT NULL", LOCKED),
    **{
        name: (when, LOCKED)
        for table in ("soap_note", "treatment_entry", "body_chart")
        for name, when in _owned_by_signed_visit(table).items()
    },
    "amendment_append_only_update": ("BEFORE UPDATE ON amendment", APPEND_ONLY),
    "amendment_append_only_delete": ("BEFORE DELETE ON amendment", APPEND_ONLY),
    "amendment_signed_only": (
        f"BEFORE INSERT ON amendment WHEN NOT {_signed('NEW.visit_id')}",
        NOT_SIGNED,
    ),
}


def _create_triggers() -> None:
    guards.create_guards(op, TRIGGERS)


def _drop_triggers() -> None:
    guards.drop_guards(op, TRIGGERS)


def upgrade() -> None:
    op.create_table('measure_definition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('min_value', sa.Float(), nullable=False),
    sa.Column('max_value', sa.Float(), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('mcid', sa.Float(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('max_value > min_value', name=op.f('ck_measure_definition_range_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_definition')),
    sa.UniqueConstraint('name', name=op.f('uq_measure_definition_name'))
    )
    op.create_table('visit_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('structure', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_template')),
    sa.UniqueConstraint('name', name=op.f('uq_visit_template_name'))
    )
    op.create_table('headache_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('duration_hours', sa.Float(), nullable=False),
    sa.Column('intensity', sa.Integer(), nullable=False),
    sa.Column('medication_taken', sa.Boolean(), nullable=False),
    sa.Column('medication', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('intensity BETWEEN 0 AND 10', name=op.f('ck_headache_entry_intensity_nrs')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_headache_entry_client_id_client'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_headache_entry'))
    )
    with op.batch_alter_table('headache_entry', schema=None) as batch_op:
        batch_op.create_index('ix_headache_entry_client_id_occurred_on', ['client_id', 'occurred_on'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place_of_service', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('signed_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_visit_duration_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_visit_client_id_client'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_client_id_starts_at', ['client_id', 'starts_at'], unique=False)

    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_amendment_visit_id_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_visit_id'), ['visit_id'], unique=False)

    op.create_table('measure_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('custom_measure_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint("(measure = 'custom') = (custom_measure_id IS NOT NULL)", name=op.f('ck_measure_value_custom_has_definition')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_measure_value_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['custom_measure_id'], ['measure_definition.id'], name=op.f('fk_measure_value_custom_measure_id_measure_definition'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_measure_value_visit_id_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_value'))
    )
    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.create_index('ix_measure_value_client_id_measured_on', ['client_id', 'measured_on'], unique=False)

    op.create_table('soap_note',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('complaint', sa.Text(), nullable=False),
    sa.Column('pain_before', sa.Integer(), nullable=True),
    sa.Column('changes_since_last', sa.Text(), nullable=False),
    sa.Column('sleep', sa.Text(), nullable=False),
    sa.Column('stress', sa.Text(), nullable=False),
    sa.Column('medication_changes', sa.Text(), nullable=False),
    sa.Column('goals_today', sa.Text(), nullable=False),
    sa.Column('posture', sa.Text(), nullable=False),
    sa.Column('tone', sa.Text(), nullable=False),
    sa.Column('texture', sa.Text(), nullable=False),
    sa.Column('taut_bands', sa.Text(), nullable=False),
    sa.Column('tenderness_grade', sa.Integer(), nullable=True),
    sa.Column('trigger_points', sa.JSON(), nullable=False),
    sa.Column('range_of_motion', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('pain_after', sa.Integer(), nullable=True),
    sa.Column('released', sa.Text(), nullable=False),
    sa.Column('not_released', sa.Text(), nullable=False),
    sa.Column('next_focus', sa.Text(), nullable=False),
    sa.Column('frequency', sa.String(length=120), nullable=False),
    sa.Column('home_care', sa.Text(), nullable=False),
    sa.Column('referrals', sa.Text(), nullable=False),
    sa.Column('re_evaluation_on', sa.Date(), nullable=True),
    sa.Column('autosave', sa.JSON(), nullable=True),
    sa.Column('autosaved_at', sa.DateTime(), nullable=True),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('pain_after BETWEEN 0 AND 10', name=op.f('ck_soap_note_pain_after_nrs')),
    sa.CheckConstraint('pain_before BETWEEN 0 AND 10', name=op.f('ck_soap_note_pain_before_nrs')),
    sa.CheckConstraint('tenderness_grade BETWEEN 0 AND 4', name=op.f('ck_soap_note_tenderness_grade_0_iv')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_soap_note_visit_id_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_soap_note'))
    )
    op.create_table('treatment_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('technique_code', sa.String(length=40), nullable=False),
    sa.Column('technique_name', sa.String(length=120), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('pressure', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('deep', sa.Boolean(), nullable=False),
    sa.Column('acknowledgements', sa.JSON(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_treatment_entry_minutes_positive')),
    sa.CheckConstraint('pressure BETWEEN 1 AND 5', name=op.f('ck_treatment_entry_pressure_1_5')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_treatment_entry_visit_id_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_entry'))
    )
    with op.batch_alter_table('treatment_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_entry_visit_id'), ['visit_id'], unique=False)

    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table('treatment_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_entry_visit_id'))

    op.drop_table('treatment_entry')
    op.drop_table('soap_note')
    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_value_client_id_measured_on')

    op.drop_table('measure_value')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_visit_id'))

    op.drop_table('amendment')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_client_id_starts_at')

    op.drop_table('visit')
    with op.batch_alter_table('headache_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_headache_entry_client_id_occurred_on')

    op.drop_table('headache_entry')
    op.drop_table('visit_template')
    op.drop_table('measure_definition')
