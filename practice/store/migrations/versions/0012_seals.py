"""seals: a hash chain over every final record; REPLACE and the audit log refused

* seal: one row per sealed record state, each an HMAC chained to the previous one
  (practice/store/seal/).
* INSERT OR REPLACE and UPDATE OR REPLACE delete the row they collide with without firing the
  DELETE triggers (unless recursive_triggers is on, which a tamperer's connection never is):
  BEFORE INSERT triggers refuse a row whose id (or other unique key) is a locked row's, and no
  locked table's id ever changes.
* Indexes on measure_value.visit_id and headache_entry.visit_id (a visit is sealed with them).
* The audit log, the seals and consent signatures are append-only (a consent may only be
  withdrawn, once).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 11:20:00
"""

from alembic import op

from practice.store import guards
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

LOCKED = "signed visit notes cannot be changed; add an amendment"
INVOICE_LOCKED = "issued invoices cannot be changed; void them with a credit note"
APPEND_ONLY = "this record is final: it cannot be replaced, changed or deleted"
CONSENT = "a consent signature cannot be changed or deleted; it can only be withdrawn"


def _signed(visit_id: str) -> str:
    return f"(SELECT signed_at FROM visit WHERE id = {visit_id}) IS NOT NULL"


def _issued(invoice_id: str) -> str:
    return f"(SELECT status FROM invoice WHERE id = {invoice_id}) != 'draft'"


def _exists(table: str, where: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} AS old WHERE {where})"


_VISIT_CHILDREN = ("treatment_entry", "measure_value", "headache_entry")
_FINAL = (
    "amendment", "payment", "payment_allocation", "refund", "issued_document",
    "audit_entry", "seal", "consent",
)
_CONSENT_KEPT = (
    "id", "client_id", "form_id", "signed_at", "signer_name", "guardian_name",
    "guardian_relation", "sensitive_areas", "recorded_by",
)

# Trigger name -> (when it fires, message).
TRIGGERS: dict[str, tuple[str, str]] = {
    "visit_replace_guard": (
        "BEFORE INSERT ON visit WHEN "
        + _exists("visit", "old.id = NEW.id AND old.signed_at IS NOT NULL"),
        LOCKED,
    ),
    **{
        f"{table}_replace_guard": (
            f"BEFORE INSERT ON {table} WHEN "
            + _exists(table, f"old.id = NEW.id AND {_signed('old.visit_id')}"),
            LOCKED,
        )
        for table in _VISIT_CHILDREN
    },
    "body_chart_replace_guard": (
        "BEFORE INSERT ON body_chart WHEN "
        + _exists("body_chart", "old.id = NEW.id OR old.supersedes_id = NEW.supersedes_id"),
        "body chart versions are never changed or deleted; save a new version",
    ),
    "invoice_replace_guard": (
        "BEFORE INSERT ON invoice WHEN "
        + _exists(
            "invoice",
            "(old.id = NEW.id OR old.number = NEW.number "
            "OR old.credits_invoice_id = NEW.credits_invoice_id) AND old.status != 'draft'",
        ),
        INVOICE_LOCKED,
    ),
    "invoice_number_guard": (
        "BEFORE UPDATE ON invoice WHEN "
        + _exists(
            "invoice",
            "old.id != NEW.id AND old.status != 'draft' AND (old.number = NEW.number "
            "OR old.credits_invoice_id = NEW.credits_invoice_id)",
        ),
        INVOICE_LOCKED,
    ),
    "invoice_line_replace_guard": (
        "BEFORE INSERT ON invoice_line WHEN "
        + _exists("invoice_line", f"old.id = NEW.id AND {_issued('old.invoice_id')}"),
        INVOICE_LOCKED,
    ),
    "invoice_line_tax_replace_guard": (
        "BEFORE INSERT ON invoice_line_tax WHEN "
        + _exists(
            "invoice_line_tax",
            "old.id = NEW.id AND "
            + _issued("(SELECT invoice_id FROM invoice_line WHERE id = old.line_id)"),
        ),
        INVOICE_LOCKED,
    ),
    "receipt_replace_guard": (
        "BEFORE INSERT ON receipt WHEN "
        + _exists(
            "receipt",
            "old.id = NEW.id OR (old.invoice_id = NEW.invoice_id AND old.number = NEW.number)",
        ),
        APPEND_ONLY,
    ),
    **{
        f"{table}_replace_guard": (
            f"BEFORE INSERT ON {table} WHEN " + _exists(table, "old.id = NEW.id"),
            APPEND_ONLY,
        )
        for table in _FINAL
    },
    **{
        f"{table}_id_fixed": (f"BEFORE UPDATE ON {table} WHEN NEW.id IS NOT OLD.id", APPEND_ONLY)
        for table in ("visit", *_VISIT_CHILDREN, "invoice", "invoice_line", "invoice_line_tax")
    },
    **{
        f"{table}_append_only_{event.lower()}": (f"BEFORE {event} ON {table}", APPEND_ONLY)
        for table in ("audit_entry", "seal")
        for event in ("UPDATE", "DELETE")
    },
    "consent_signature_update": (
        "BEFORE UPDATE ON consent WHEN OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL "
        "OR NOT (" + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _CONSENT_KEPT) + ")",
        CONSENT,
    ),
    "consent_signature_delete": ("BEFORE DELETE ON consent", CONSENT),
}

# SQLite's INSERT OR REPLACE guards (PostgreSQL has no such statement).
REPLACE_GUARDS = {n: t for n, t in TRIGGERS.items() if n.endswith("_replace_guard")}


def upgrade() -> None:
    op.create_table('seal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('chain', sa.String(length=64), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seal'))
    )
    op.create_index('ix_seal_kind_entity_id', 'seal', ['kind', 'entity_id', 'id'], unique=False)
    # Sealing a signed visit reads its measures and diary entries by visit.
    op.create_index('ix_measure_value_visit_id', 'measure_value', ['visit_id'], unique=False)
    op.create_index('ix_headache_entry_visit_id', 'headache_entry', ['visit_id'], unique=False)
    guards.create_guards(op, {n: t for n, t in TRIGGERS.items() if n not in REPLACE_GUARDS})
    guards.create_guards(op, REPLACE_GUARDS, replace_only=True)
    if guards.dialect(op.get_bind()) == "postgresql":
        from practice.store.seal.chain import server_queue_statements

        for statement in server_queue_statements():  # SQLite's are each connection's own
            op.execute(statement)


def downgrade() -> None:
    guards.drop_guards(op, TRIGGERS)
    if guards.dialect(op.get_bind()) == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS seal_due() CASCADE")
    op.drop_index('ix_headache_entry_visit_id', table_name='headache_entry')
    op.drop_index('ix_measure_value_visit_id', table_name='measure_value')
    op.drop_index('ix_seal_kind_entity_id', table_name='seal')
    op.drop_table('seal')
