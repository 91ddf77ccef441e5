"""The money sums the ledger is made of: paid, credited, applied, refunded, drawn from packages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.billing.models import AllocationRow, InvoiceLineRow, InvoiceRow, PaymentRow, RefundRow
from practice.billing.records import InvoiceKind, PaymentMethod
from practice.errors import ValidationError


def paid_sql() -> Any:
    return (
        select(func.coalesce(func.sum(AllocationRow.amount_cents), 0))
        .where(AllocationRow.invoice_id == InvoiceRow.id)
        .scalar_subquery()
    )


def payment_method(value: object) -> PaymentMethod:
    try:
        return PaymentMethod(value)
    except ValueError:
        raise ValidationError({"method": f"Unknown payment method {value!r}."}) from None


def invoice_balance(session: Session, row: InvoiceRow) -> int:
    paid = session.scalar(
        select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
            AllocationRow.invoice_id == row.id
        )
    )
    return 0 if row.status != "issued" else row.total_cents - (paid or 0)


def applied_by_payment(session: Session, invoice_id: int) -> list[tuple[int, int]]:
    rows = session.execute(
        select(AllocationRow.payment_id, func.sum(AllocationRow.amount_cents))
        .where(AllocationRow.invoice_id == invoice_id)
        .group_by(AllocationRow.payment_id)
        .order_by(AllocationRow.payment_id)
    ).all()
    return [(pid, total) for pid, total in rows]


def _applied(session: Session, payment_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
                AllocationRow.payment_id == payment_id
            )
        )
        or 0
    )


def refunded_cents(session: Session, payment_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(RefundRow.amount_cents), 0)).where(
                RefundRow.payment_id == payment_id
            )
        )
        or 0
    )


def unapplied_cents(session: Session, row: PaymentRow) -> int:
    return row.amount_cents - _applied(session, row.id) - refunded_cents(session, row.id)


def package_drawn(session: Session, package_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0))
            .join(PaymentRow, PaymentRow.id == AllocationRow.payment_id)
            .where(
                PaymentRow.package_id == package_id,
                PaymentRow.method == str(PaymentMethod.PACKAGE_CREDIT),
            )
        )
        or 0
    )


def package_used(session: Session, package_id: int) -> int:
    """Visits taken: package lines on invoices that are not void (drafts hold their visit)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(InvoiceLineRow)
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(
                InvoiceLineRow.package_id == package_id,
                InvoiceRow.kind == str(InvoiceKind.INVOICE),
                InvoiceRow.status != "void",
            )
        )
        or 0
    )
