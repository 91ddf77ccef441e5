"""billing: tax rates, services, invoices and lines, payments, packages, number sequences

Plus SQLite triggers that lock an issued invoice (see TRIGGERS below).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 08:15:00
"""

from alembic import op

from practice.store import guards
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


LOCKED = "issued invoices cannot be changed; void them with a credit note"
APPEND_ONLY = "payments, allocations, refunds and receipts cannot be changed or deleted"

# Every column of an issued invoice stays as issued; voiding may set only these.
VOID_COLUMNS = ("status", "void_reason", "voided_at", "updated_at")
INVOICE_COLUMNS = (
    "id", "kind", "client_id", "number", "created_on", "issued_on", "issued_at", "due_on",
    "currency", "notes", "terms", "subtotal_cents", "discount_cents", "tax_cents",
    "total_cents", "credits_invoice_id", "created_at", "created_by",
)


def _issued(invoice_id: str) -> str:
    return f"(SELECT status FROM invoice WHERE id = {invoice_id}) != 'draft'"


def _line_issued(line_id: str) -> str:
    return _issued(f"(SELECT invoice_id FROM invoice_line WHERE id = {line_id})")


def _owned(table: str, issued) -> dict[str, str]:
    """Insert, update and delete guards for rows that belong to one invoice."""
    return {
        f"{table}_locked_insert": f"BEFORE INSERT ON {table} WHEN {issued('NEW')}",
        f"{table}_locked_update": (
            f"BEFORE UPDATE ON {table} WHEN {issued('OLD')} OR {issued('NEW')}"
        ),
        f"{table}_locked_delete": f"BEFORE DELETE ON {table} WHEN {issued('OLD')}",
    }


_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in INVOICE_COLUMNS)
_VOIDING = f"OLD.status = 'issued' AND NEW.status = 'void' AND {_UNCHANGED}"

# Trigger name -> (when it fires, message). Issuing is the one update of a draft row; after that
# an invoice only ever becomes void (its credit note is a new row). Batch-mode migrations that
# recreate one of these tables drop its triggers: such a migration must create them again
# (tests/practice/billing/test_locking.py checks that they exist at head).
TRIGGERS: dict[str, tuple[str, str]] = {
    "invoice_locked_update": (
        f"BEFORE UPDATE ON invoice WHEN OLD.status != 'draft' AND NOT ({_VOIDING})",
        LOCKED,
    ),
    "invoice_locked_delete": ("BEFORE DELETE ON invoice WHEN OLD.status != 'draft'", LOCKED),
    **{
        name: (when, LOCKED)
        for name, when in _owned(
            "invoice_line", lambda row: _issued(f"{row}.invoice_id")
        ).items()
    },
    **{
        name: (when, LOCKED)
        for name, when in _owned(
            "invoice_line_tax", lambda row: _line_issued(f"{row}.line_id")
        ).items()
    },
    **{
        f"{table}_append_only_{event.lower()}": (f"BEFORE {event} ON {table}", APPEND_ONLY)
        for table in ("payment", "payment_allocation", "refund", "receipt")
        for event in ("UPDATE", "DELETE")
    },
}


def _create_triggers() -> None:
    guards.create_guards(op, TRIGGERS)


def _drop_triggers() -> None:
    guards.drop_guards(op, TRIGGERS)


def upgrade() -> None:
    op.create_table('billing_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_prefix', sa.String(length=40), nullable=False),
    sa.Column('credit_note_prefix', sa.String(length=40), nullable=False),
    sa.Column('number_digits', sa.Integer(), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('unit_rule', sa.String(length=20), nullable=False),
    sa.Column('place_of_service', sa.String(length=2), nullable=False),
    sa.Column('receipt_wording', sa.Text(), nullable=False),
    sa.Column('invoice_notes', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_settings'))
    )
    op.create_table('number_sequence',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('next_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_number_sequence'))
    )
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('billing_codes', sa.String(length=80), nullable=False),
    sa.Column('modifier', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('package_visits', sa.Integer(), nullable=True),
    sa.Column('package_service_id', sa.Integer(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_service_price_not_negative')),
    sa.ForeignKeyConstraint(['package_service_id'], ['service.id'], name=op.f('fk_service_package_service_id_service'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service'))
    )
    op.create_table('tax_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('rate_milli', sa.Integer(), nullable=False),
    sa.Column('registration', sa.String(length=60), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rate_milli >= 0 AND rate_milli <= 100000', name=op.f('ck_tax_rate_percent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_rate'))
    )
    op.create_table('service_tax',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('tax_rate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_tax_service_id_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tax_rate_id'], ['tax_rate.id'], name=op.f('fk_service_tax_tax_rate_id_tax_rate'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('service_id', 'tax_rate_id', name=op.f('pk_service_tax'))
    )
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('subtotal_cents', sa.Integer(), nullable=False),
    sa.Column('discount_cents', sa.Integer(), nullable=False),
    sa.Column('tax_cents', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('credits_invoice_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(status = 'draft') = (number IS NULL)", name=op.f('ck_invoice_numbered_when_issued')),
    sa.CheckConstraint("status IN ('draft', 'issued', 'void')", name=op.f('ck_invoice_status_known')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_invoice_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['credits_invoice_id'], ['invoice.id'], name=op.f('fk_invoice_credits_invoice_id_invoice'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('credits_invoice_id', name=op.f('uq_invoice_credits_invoice_id')),
    sa.UniqueConstraint('number', name=op.f('uq_invoice_number'))
    )
    op.create_index('ix_invoice_client_id_created_on', 'invoice', ['client_id', 'created_on'], unique=False)
    op.create_index('ix_invoice_status_issued_on', 'invoice', ['status', 'issued_on'], unique=False)
    op.create_table('package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('visit_service_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('taxes', sa.JSON(), nullable=False),
    sa.Column('bought_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('visits > 0', name=op.f('ck_package_visits_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_package_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_package_service_id_service'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_service_id'], ['service.id'], name=op.f('fk_package_visit_service_id_service'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package'))
    )
    op.create_index(op.f('ix_package_client_id'), 'package', ['client_id'], unique=False)
    op.create_table('invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('discount_cents', sa.Integer(), nullable=False),
    sa.Column('net_cents', sa.Integer(), nullable=False),
    sa.Column('tax_cents', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('service_date', sa.Date(), nullable=True),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('discount_cents >= 0', name=op.f('ck_invoice_line_discount_not_negative')),
    sa.CheckConstraint('net_cents >= 0', name=op.f('ck_invoice_line_net_not_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_invoice_line_quantity_positive')),
    sa.CheckConstraint('unit_price_cents >= 0', name=op.f('ck_invoice_line_price_not_negative')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_invoice_line_invoice_id_invoice'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], name=op.f('fk_invoice_line_package_id_package'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_invoice_line_service_id_service'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_invoice_line_visit_id_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line'))
    )
    op.create_index(op.f('ix_invoice_line_invoice_id'), 'invoice_line', ['invoice_id'], unique=False)
    op.create_index(op.f('ix_invoice_line_visit_id'), 'invoice_line', ['visit_id'], unique=False)
    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payment_amount_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_payment_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], name=op.f('fk_payment_package_id_package'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    op.create_index('ix_payment_client_id_received_on', 'payment', ['client_id', 'received_on'], unique=False)
    op.create_index(op.f('ix_payment_package_id'), 'payment', ['package_id'], unique=False)
    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_receipt_invoice_id_invoice'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('invoice_id', 'number', name='uq_receipt_invoice_number')
    )
    op.create_table('invoice_line_tax',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('tax_rate_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('rate_milli', sa.Integer(), nullable=False),
    sa.Column('registration', sa.String(length=60), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['invoice_line.id'], name=op.f('fk_invoice_line_tax_line_id_invoice_line'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tax_rate_id'], ['tax_rate.id'], name=op.f('fk_invoice_line_tax_tax_rate_id_tax_rate'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line_tax'))
    )
    op.create_index(op.f('ix_invoice_line_tax_line_id'), 'invoice_line_tax', ['line_id'], unique=False)
    op.create_table('payment_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_payment_allocation_invoice_id_invoice'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_allocation_payment_id_payment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocation'))
    )
    op.create_index(op.f('ix_payment_allocation_invoice_id'), 'payment_allocation', ['invoice_id'], unique=False)
    op.create_index(op.f('ix_payment_allocation_payment_id'), 'payment_allocation', ['payment_id'], unique=False)
    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('refunded_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_refund_amount_positive')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_refund_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund'))
    )
    op.create_index(op.f('ix_refund_client_id'), 'refund', ['client_id'], unique=False)
    op.create_index(op.f('ix_refund_payment_id'), 'refund', ['payment_id'], unique=False)

    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_index(op.f('ix_refund_payment_id'), table_name='refund')
    op.drop_index(op.f('ix_refund_client_id'), table_name='refund')
    op.drop_table('refund')
    op.drop_index(op.f('ix_payment_allocation_payment_id'), table_name='payment_allocation')
    op.drop_index(op.f('ix_payment_allocation_invoice_id'), table_name='payment_allocation')
    op.drop_table('payment_allocation')
    op.drop_index(op.f('ix_invoice_line_tax_line_id'), table_name='invoice_line_tax')
    op.drop_table('invoice_line_tax')
    op.drop_table('receipt')
    op.drop_index(op.f('ix_payment_package_id'), table_name='payment')
    op.drop_index('ix_payment_client_id_received_on', table_name='payment')
    op.drop_table('payment')
    op.drop_index(op.f('ix_invoice_line_visit_id'), table_name='invoice_line')
    op.drop_index(op.f('ix_invoice_line_invoice_id'), table_name='invoice_line')
    op.drop_table('invoice_line')
    op.drop_index(op.f('ix_package_client_id'), table_name='package')
    op.drop_table('package')
    op.drop_index('ix_invoice_status_issued_on', table_name='invoice')
    op.drop_index('ix_invoice_client_id_created_on', table_name='invoice')
    op.drop_table('invoice')
    op.drop_table('service_tax')
    op.drop_table('tax_rate')
    op.drop_table('service')
    op.drop_table('number_sequence')
    op.drop_table('billing_settings')
