"""plans: technique library, treatment plans, diagnoses, goals, planned techniques, precautions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 06:57:56.884152
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('technique',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deep', sa.Boolean(), nullable=False),
    sa.Column('point_pressure', sa.Boolean(), nullable=False),
    sa.Column('default_cpt', sa.String(length=5), nullable=False),
    sa.Column('built_in', sa.Boolean(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technique')),
    sa.UniqueConstraint('code', name=op.f('uq_technique_code'))
    )
    op.create_table('treatment_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('physician_id', sa.Integer(), nullable=True),
    sa.Column('referral_date', sa.Date(), nullable=True),
    sa.Column('referral_reason', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('frequency_count', sa.Integer(), nullable=False),
    sa.Column('frequency_weeks', sa.Integer(), nullable=False),
    sa.Column('length_weeks', sa.Integer(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reevaluation_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_treatment_plan_ends_after_start')),
    sa.CheckConstraint('frequency_count > 0', name=op.f('ck_treatment_plan_frequency_positive')),
    sa.CheckConstraint('frequency_weeks > 0', name=op.f('ck_treatment_plan_frequency_period_positive')),
    sa.CheckConstraint('length_weeks > 0', name=op.f('ck_treatment_plan_length_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_treatment_plan_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['physician_id'], ['physician.id'], name=op.f('fk_treatment_plan_physician_id_physician'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_plan'))
    )
    with op.batch_alter_table('treatment_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_plan_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_treatment_plan_status'), ['status'], unique=False)

    op.create_table('plan_diagnosis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_plan_diagnosis_plan_id_treatment_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_diagnosis')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_plan_diagnosis_code'),
    sa.UniqueConstraint('plan_id', 'position', name='uq_plan_diagnosis_position')
    )
    with op.batch_alter_table('plan_diagnosis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_diagnosis_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('measure', sa.String(length=240), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('status_override', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_plan_goal_plan_id_treatment_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal'))
    )
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_precaution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_alert', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_plan_precaution_plan_id_treatment_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_precaution'))
    )
    with op.batch_alter_table('plan_precaution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_precaution_plan_id'), ['plan_id'], unique=False)

    op.create_table('planned_technique',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('technique_code', sa.String(length=40), nullable=False),
    sa.Column('technique_name', sa.String(length=120), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('muscle', sa.String(length=60), nullable=False),
    sa.Column('pressure', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_planned_technique_minutes_positive')),
    sa.CheckConstraint('pressure BETWEEN 1 AND 5', name=op.f('ck_planned_technique_pressure_1_5')),
    sa.ForeignKeyConstraint(['plan_id'], ['treatment_plan.id'], name=op.f('fk_planned_technique_plan_id_treatment_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_technique'))
    )
    with op.batch_alter_table('planned_technique', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_technique_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('planned_technique_id', sa.Integer(), nullable=False),
    sa.Column('alert', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=120), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['planned_technique_id'], ['planned_technique.id'], name=op.f('fk_plan_acknowledgement_planned_technique_id_planned_technique'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_acknowledgement'))
    )
    with op.batch_alter_table('plan_acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_acknowledgement_planned_technique_id'), ['planned_technique_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_acknowledgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_acknowledgement_planned_technique_id'))

    op.drop_table('plan_acknowledgement')
    with op.batch_alter_table('planned_technique', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_technique_plan_id'))

    op.drop_table('planned_technique')
    with op.batch_alter_table('plan_precaution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_precaution_plan_id'))

    op.drop_table('plan_precaution')
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goal_plan_id'))

    op.drop_table('plan_goal')
    with op.batch_alter_table('plan_diagnosis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_diagnosis_plan_id'))

    op.drop_table('plan_diagnosis')
    with op.batch_alter_table('treatment_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_plan_status'))
        batch_op.drop_index(batch_op.f('ix_treatment_plan_client_id'))

    op.drop_table('treatment_plan')
    op.drop_table('technique')
