"""documents: issued physician summaries and printouts, stored with their exact PDF

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 08:15:00

Plus SQLite triggers that make an issued document immutable: it is a copy of what was sent.
"""

from alembic import op

from practice.store import guards
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

IMMUTABLE = "An issued document cannot be changed or deleted; issue a new one."
TRIGGERS = {
    "issued_document_immutable_update": "BEFORE UPDATE ON issued_document",
    "issued_document_immutable_delete": "BEFORE DELETE ON issued_document",
}


def upgrade() -> None:
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("physician_name", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_issued_document_sha256_hex")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_issued_document_client_id_client"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["treatment_plan.id"],
            name=op.f("fk_issued_document_plan_id_treatment_plan"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
    )
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_issued_document_client_id"), ["client_id"], unique=False
        )

    guards.create_guards(op, {name: (when, IMMUTABLE) for name, when in TRIGGERS.items()})


def downgrade() -> None:
    guards.drop_guards(op, TRIGGERS)
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_document_client_id"))

    op.drop_table("issued_document")
