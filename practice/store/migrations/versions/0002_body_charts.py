"""body charts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 05:33:06.191832
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('body_chart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('charted_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('extent_percent', sa.Float(), nullable=False),
    sa.Column('region_count', sa.Integer(), nullable=False),
    sa.Column('wpi', sa.Integer(), nullable=False),
    sa.Column('max_intensity', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_body_chart_client_id_client'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body_chart'))
    )
    with op.batch_alter_table('body_chart', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_body_chart_charted_on'), ['charted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_body_chart_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_body_chart_visit_id'), ['visit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('body_chart', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_chart_visit_id'))
        batch_op.drop_index(batch_op.f('ix_body_chart_client_id'))
        batch_op.drop_index(batch_op.f('ix_body_chart_charted_on'))

    op.drop_table('body_chart')
