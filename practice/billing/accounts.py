"""A client's account: what was invoiced, credited, paid and refunded, and the credit held."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.billing.models import AllocationRow, InvoiceRow, PaymentRow, RefundRow
from practice.billing.money import from_cents, to_cents
from practice.billing.packages import client_packages
from practice.billing.records import ClientAccount, InvoiceKind, PaymentMethod
from practice.billing.rules import currency_of
from practice.clients.models import ClientRow
from practice.store.database import Database
from practice.store.rows import get_or_raise


def client_account(db: Database, client_id: int) -> ClientAccount:
    with db.read() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        return _account(session, client.id, currency_of(session))


def _account(session: Session, client_id: int, currency: str) -> ClientAccount:
    def total(query: Any) -> int:
        return session.scalar(query) or 0

    issued = (InvoiceRow.client_id == client_id) & (InvoiceRow.status != "draft")
    invoiced = total(
        select(func.sum(InvoiceRow.total_cents)).where(
            issued, InvoiceRow.kind == str(InvoiceKind.INVOICE)
        )
    )
    credited = total(
        select(func.sum(InvoiceRow.total_cents)).where(
            issued, InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE)
        )
    )
    money = [str(m) for m in PaymentMethod if m.is_money]
    paid = total(
        select(func.sum(PaymentRow.amount_cents)).where(
            PaymentRow.client_id == client_id, PaymentRow.method.in_(money)
        )
    )
    refunded = total(
        select(func.sum(RefundRow.amount_cents)).where(RefundRow.client_id == client_id)
    )
    applied = total(
        select(func.sum(AllocationRow.amount_cents))
        .join(PaymentRow, PaymentRow.id == AllocationRow.payment_id)
        .where(PaymentRow.client_id == client_id)
    )
    packages = client_packages(session, client_id)
    package_credit = sum(to_cents(p.remaining_value) for p in packages)
    owed = invoiced - credited - applied
    credit = paid - refunded - applied  # money held: on account or in packages
    return ClientAccount(
        client_id=client_id,
        invoiced=from_cents(invoiced),
        credited=from_cents(credited),
        paid=from_cents(paid),
        refunded=from_cents(refunded),
        owed=from_cents(owed),
        account_credit=from_cents(credit - package_credit),
        package_credit=from_cents(package_credit),
        packages=tuple(packages),
        currency=currency,
    )


def account_credit_cents(session: Session, client_id: int) -> int:
    return to_cents(_account(session, client_id, "").account_credit)
