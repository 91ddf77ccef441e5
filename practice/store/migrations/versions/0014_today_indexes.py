"""today indexes: visits by state and time, notes not signed, invoices and payments by day

Today's cards and this week's figures read visits, invoices and payments by period; without
these they scanned whole tables (seconds on a 10,000-client practice). Plain CREATE INDEX: no
table is rebuilt, so the visit table keeps its triggers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:20:00
"""

from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_visit_status_starts_at', 'visit', ['status', 'starts_at'])
    op.create_index(
        'ix_visit_signed_at_status_starts_at', 'visit', ['signed_at', 'status', 'starts_at']
    )
    op.create_index('ix_invoice_issued_on', 'invoice', ['issued_on'])
    op.create_index('ix_payment_received_on', 'payment', ['received_on'])


def downgrade() -> None:
    op.drop_index('ix_payment_received_on', table_name='payment')
    op.drop_index('ix_invoice_issued_on', table_name='invoice')
    op.drop_index('ix_visit_signed_at_status_starts_at', table_name='visit')
    op.drop_index('ix_visit_status_starts_at', table_name='visit')
