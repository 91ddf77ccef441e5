"""reminders sent automatically: the practice's opt-in, off in every practice that had none

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:37:33.133858
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: existing settings rows read "off" (no table rebuild).
    op.add_column(
        'schedule_settings',
        sa.Column('send_automatically', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table('schedule_settings', schema=None) as batch_op:
        batch_op.drop_column('send_automatically')
