"""Payments and refunds: money received, spread over invoices, and money given back."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.billing.accounts import account_credit_cents
from practice.billing.ledger import (
    invoice_balance,
    package_drawn,
    paid_sql,
    payment_method,
    refunded_cents,
    unapplied_cents,
)
from practice.billing.models import AllocationRow, InvoiceRow, PackageRow, PaymentRow, RefundRow
from practice.billing.money import from_cents, to_cents
from practice.billing.records import (
    Allocation,
    InvoiceKind,
    Payment,
    PaymentForm,
    PaymentMethod,
    Refund,
)
from practice.billing.rules import current_day, price_errors
from practice.bounds import day_errors
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import clean, single_line


def record_payment(db: Database, client_id: int, form: PaymentForm) -> Payment:
    """Money received (or account credit applied), spread over invoices.

    With allocations, each amount goes to that invoice; with `invoice_id`, the amount goes to
    that invoice; with neither, to the client's open invoices, oldest first. Whatever is left
    over is refused unless `as_credit` keeps it as account credit. Nothing is saved on error.
    """
    method = payment_method(form.method)
    errors = price_errors("amount", form.amount, what="An amount")
    if not errors and form.amount <= 0:
        errors["amount"] = "Enter an amount above zero."
    if method is PaymentMethod.PACKAGE_CREDIT:
        errors["method"] = "Package credit is used by billing a visit the package covers."
    reference, note = single_line(form.reference), clean(form.note)
    if len(reference) > 120:
        errors["reference"] = "Keep the reference to 120 characters."
    if form.received_on is not None:
        errors |= day_errors(
            "received_on", form.received_on, current_day(), what="The payment date"
        )
    if errors:
        raise ValidationError(errors)
    amount = to_cents(form.amount)
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        plan = _allocation_plan(session, client.id, form, amount)
        left = amount - sum(a for _, a in plan)
        if method is PaymentMethod.ACCOUNT_CREDIT:
            available = account_credit_cents(session, client.id)
            if amount > available:
                raise ValidationError(
                    {"amount": f"The client has {from_cents(available)} of account credit."}
                )
            if left:
                raise ValidationError(
                    {"amount": "Account credit can only pay invoices; choose which ones."}
                )
        elif left and not form.as_credit:
            owed = from_cents(amount - left)
            raise ValidationError(
                {
                    "amount": f"This is more than the {owed} owed on the chosen invoices; "
                    "record the rest as account credit or lower the amount."
                }
            )
        row = PaymentRow(
            client_id=client.id,
            method=str(method),
            amount_cents=amount,
            received_on=form.received_on or current_day(),
            reference=reference,
            note=note,
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        for invoice_id, applied in plan:
            session.add(
                AllocationRow(payment_id=row.id, invoice_id=invoice_id, amount_cents=applied)
            )
        session.flush()
        audit.log(
            db,
            session,
            action="create",
            entity="payment",
            entity_id=row.id,
            client_id=client.id,
            summary=f"{method.label} payment of {from_cents(amount)}",
            changes={
                "allocations": [None, [[i, str(from_cents(a))] for i, a in plan]],
                "credit": [None, str(from_cents(left))],
            },
        )
        return _payment(session, row)


def _allocation_plan(
    session: Session, client_id: int, form: PaymentForm, amount: int
) -> list[tuple[int, int]]:
    """(invoice id, cents) pairs for a payment, checked against each invoice's balance."""
    wanted: list[tuple[int, int]] = []
    if form.allocations:
        parts: dict[int, int] = {}
        for invoice_id, part in form.allocations:
            errors = price_errors("allocations", part, what="An allocation")
            if errors or part <= 0:
                raise ValidationError({"allocations": "Each allocation is an amount above zero."})
            parts[invoice_id] = parts.get(invoice_id, 0) + to_cents(part)
        wanted = list(parts.items())
        if sum(a for _, a in wanted) > amount:
            raise ValidationError({"allocations": "The allocations add up to more than paid."})
        for invoice_id, part in wanted:
            row = _open_invoice(session, client_id, invoice_id)
            balance = invoice_balance(session, row)
            if part > balance:
                raise ValidationError(
                    {"allocations": f"Invoice {row.number} has only {from_cents(balance)} owing."}
                )
        return wanted
    if form.invoice_id is not None:
        row = _open_invoice(session, client_id, form.invoice_id)
        balance = invoice_balance(session, row)
        return [(row.id, min(amount, balance))] if balance else []
    left = amount
    for row in _open_invoices(session, client_id):
        if not left:
            break
        part = min(left, invoice_balance(session, row))
        if part:
            wanted.append((row.id, part))
            left -= part
    return wanted


def refund_payment(
    db: Database,
    payment_id: int,
    amount: Any,
    reason: str,
    *,
    refunded_on: date | None = None,
    method: PaymentMethod | None = None,
) -> Refund:
    """Give money back from a payment: only what is credit (not applied to an invoice).

    To refund a paid invoice, void it first: its payments become credit. A package is refunded
    for what is left of it, in one go, and closes.
    """
    reason = clean(reason)
    errors = price_errors("amount", amount, what="A refund")
    if not errors and amount <= 0:
        errors["amount"] = "Enter an amount above zero."
    if not reason:
        errors["reason"] = "Say why the money is refunded; it is kept on record."
    if refunded_on is not None:
        errors.update(day_errors("refunded_on", refunded_on, current_day(), what="The refund date"))
    given = payment_method(method) if method is not None else None
    if given is not None and not given.is_money:
        errors["method"] = "A refund is paid back in money."
    if errors:
        raise ValidationError(errors)
    cents = to_cents(amount)
    with db.transaction() as session:
        row = get_or_raise(session, PaymentRow, payment_id, "payment")
        paid_with = PaymentMethod(row.method)
        if not paid_with.is_money:
            raise ValidationError({"payment": f"{paid_with.label} is not money to refund."})
        unapplied = unapplied_cents(session, row)
        package = session.get(PackageRow, row.package_id) if row.package_id else None
        if package is not None:
            left = package.value_cents - package_drawn(session, package.id)
            if refunded_cents(session, row.id):
                raise ValidationError({"amount": "This package has already been refunded."})
            if cents != left:
                raise ValidationError(
                    {"amount": f"A package is refunded for what is left of it: {from_cents(left)}."}
                )
        else:
            available = min(unapplied, account_credit_cents(session, row.client_id))
            if cents > available:
                raise ValidationError(
                    {
                        "amount": f"Only {from_cents(available)} of this payment is credit; "
                        "void the invoice it paid first to refund more."
                    }
                )
        refund = RefundRow(
            payment_id=row.id,
            client_id=row.client_id,
            amount_cents=cents,
            method=str(given or paid_with),
            refunded_on=refunded_on or current_day(),
            reason=reason,
            created_by=db.actor,
        )
        session.add(refund)
        session.flush()
        audit.log(
            db,
            session,
            action="refund",
            entity="payment",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"Refund of {from_cents(cents)}",
            changes={"reason": [None, reason]},
        )
        return _refund(refund)


def get_payment(db: Database, payment_id: int) -> Payment:
    with db.read() as session:
        return _payment(session, get_or_raise(session, PaymentRow, payment_id, "payment"))


def list_payments(
    db: Database, client_id: int | None = None, *, invoice_id: int | None = None
) -> list[Payment]:
    """Payments of a client, or those applied to one invoice, newest first."""
    if not all(is_id(i) for i in (client_id, invoice_id) if i is not None):
        return []
    with db.read() as session:
        query = select(PaymentRow).order_by(PaymentRow.received_on.desc(), PaymentRow.id.desc())
        if client_id is not None:
            query = query.where(PaymentRow.client_id == client_id)
        if invoice_id is not None:
            paying = select(AllocationRow.payment_id).where(AllocationRow.invoice_id == invoice_id)
            query = query.where(PaymentRow.id.in_(paying))
        return [_payment(session, row) for row in session.scalars(query)]


def _payment(session: Session, row: PaymentRow) -> Payment:
    allocations = session.execute(
        select(AllocationRow.invoice_id, InvoiceRow.number, AllocationRow.amount_cents)
        .join(InvoiceRow, InvoiceRow.id == AllocationRow.invoice_id)
        .where(AllocationRow.payment_id == row.id)
        .order_by(AllocationRow.id)
    ).all()
    refunds = session.scalars(
        select(RefundRow).where(RefundRow.payment_id == row.id).order_by(RefundRow.id)
    )
    return Payment(
        id=row.id,
        client_id=row.client_id,
        amount=from_cents(row.amount_cents),
        method=PaymentMethod(row.method),
        received_on=row.received_on,
        reference=row.reference,
        note=row.note,
        allocations=tuple(Allocation(i, n, from_cents(a)) for i, n, a in allocations),
        refunds=tuple(_refund(r) for r in refunds),
        package_id=row.package_id,
    )


def _refund(row: RefundRow) -> Refund:
    return Refund(
        id=row.id,
        payment_id=row.payment_id,
        amount=from_cents(row.amount_cents),
        method=PaymentMethod(row.method),
        refunded_on=row.refunded_on,
        reason=row.reason,
    )


def _open_invoice(session: Session, client_id: int, invoice_id: int) -> InvoiceRow:
    row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
    if row.client_id != client_id:
        raise ValidationError({"invoice_id": "That invoice belongs to another client."})
    if row.kind != InvoiceKind.INVOICE or row.status != "issued":
        what = {"draft": "is a draft; issue it first", "void": "is void"}.get(row.status, "")
        raise ValidationError(
            {"invoice_id": f"Invoice {row.number or ''} {what or 'cannot be paid'}."}
        )
    return row


def _open_invoices(session: Session, client_id: int) -> list[InvoiceRow]:
    query = select(InvoiceRow).where(
        InvoiceRow.client_id == client_id,
        InvoiceRow.kind == str(InvoiceKind.INVOICE),
        InvoiceRow.status == "issued",
        paid_sql() < InvoiceRow.total_cents,
    )
    return list(session.scalars(query.order_by(InvoiceRow.issued_on, InvoiceRow.id)))
