"""Reading invoices: one invoice with its lines and payments, and the invoice list."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from practice.billing.ledger import credited_sql, paid_sql
from practice.billing.lines import line_rows, tax_rows
from practice.billing.models import AllocationRow, InvoiceLineRow, InvoiceRow, ReceiptRow
from practice.billing.money import from_cents, rate_from_milli
from practice.billing.records import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    InvoiceSummary,
    LineTax,
    TaxLine,
)
from practice.clients.models import ClientRow
from practice.errors import NotFoundError
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import single_line


def get_invoice(db: Database, invoice_id: int) -> Invoice:
    with db.read() as session:
        return read_invoice(session, get_or_raise(session, InvoiceRow, invoice_id, "invoice"))


def invoice_by_number(db: Database, number: str) -> Invoice:
    with db.read() as session:
        row = session.scalar(select(InvoiceRow).where(InvoiceRow.number == single_line(number)))
        if row is None:
            raise NotFoundError(f"No invoice or credit note numbered {number}.")
        return read_invoice(session, row)


def invoices_for_visit(db: Database, visit_id: int) -> list[Invoice]:
    """Every invoice (and credit note) with a line for this visit, oldest first."""
    if not is_id(visit_id):
        return []
    with db.read() as session:
        ids = session.scalars(
            select(InvoiceLineRow.invoice_id).where(InvoiceLineRow.visit_id == visit_id).distinct()
        ).all()
        return [read_invoice(session, session.get(InvoiceRow, i)) for i in sorted(ids)]  # type: ignore[arg-type]


def list_invoices(
    db: Database,
    client_id: int | None = None,
    status: InvoiceStatus | None = None,
    *,
    kind: InvoiceKind | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[InvoiceSummary]:
    """Invoices and credit notes, newest first; since/until filter on the issue date."""
    if client_id is not None and not is_id(client_id):
        return []
    with db.read() as session:
        query = _summary_query()
        if client_id is not None:
            query = query.where(InvoiceRow.client_id == client_id)
        if kind is not None:
            query = query.where(InvoiceRow.kind == str(kind))
        if since is not None:
            query = query.where(InvoiceRow.issued_on >= since)
        if until is not None:
            query = query.where(InvoiceRow.issued_on <= until)
        if status is not None:
            query = query.where(_status_sql() == str(status))
        query = query.order_by(
            InvoiceRow.issued_on.is_(None).desc(), InvoiceRow.issued_on.desc(), InvoiceRow.id.desc()
        )
        if limit is not None:
            query = query.limit(limit)
        return [_summary(r) for r in session.execute(query)]


def _status_sql() -> Any:
    paid = paid_sql()
    return case(
        (InvoiceRow.status == "draft", "draft"),
        (InvoiceRow.status == "void", "void"),
        (InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE), "issued"),
        (paid >= InvoiceRow.total_cents, "paid"),
        (paid > 0, "partly_paid"),
        else_="issued",
    )


def _summary_query() -> Any:
    name = func.trim(ClientRow.given_name + " " + ClientRow.family_name)
    return select(
        InvoiceRow.id,
        InvoiceRow.kind,
        InvoiceRow.client_id,
        name.label("client_name"),
        InvoiceRow.number,
        InvoiceRow.status,
        InvoiceRow.created_on,
        InvoiceRow.issued_on,
        InvoiceRow.due_on,
        InvoiceRow.total_cents,
        paid_sql().label("paid"),
        credited_sql().label("credited"),
    ).join(ClientRow, ClientRow.id == InvoiceRow.client_id)


def _summary(r: Any) -> InvoiceSummary:
    kind = InvoiceKind(r.kind)
    status = _status(r.status, kind, r.total_cents, r.paid, r.credited)
    return InvoiceSummary(
        id=r.id,
        kind=kind,
        client_id=r.client_id,
        client_name=r.client_name,
        number=r.number,
        status=status,
        created_on=r.created_on,
        issued_on=r.issued_on,
        due_on=r.due_on,
        total=from_cents(r.total_cents),
        paid=from_cents(r.paid),
        balance=from_cents(_balance(kind, r.status, r.total_cents, r.paid, r.credited)),
    )


def _status(stored: str, kind: InvoiceKind, total: int, paid: int, credited: int) -> InvoiceStatus:
    if stored == "draft":
        return InvoiceStatus.DRAFT
    if stored == "void":
        return InvoiceStatus.VOID
    if kind is InvoiceKind.CREDIT_NOTE:
        return InvoiceStatus.ISSUED
    if paid >= total:
        return InvoiceStatus.PAID
    return InvoiceStatus.PARTLY_PAID if paid > 0 else InvoiceStatus.ISSUED


def _balance(kind: InvoiceKind, stored: str, total: int, paid: int, credited: int) -> int:
    if kind is InvoiceKind.CREDIT_NOTE or stored == "draft":
        return 0
    return total - credited - paid


def read_invoice(session: Session, row: InvoiceRow) -> Invoice:
    lines = []
    tax_lines: dict[tuple[str, int], list[int]] = {}
    registrations: dict[tuple[str, int], str] = {}
    for line in line_rows(session, row.id):
        taxes = tax_rows(session, line.id)
        for tax in taxes:
            key = (tax.name, tax.rate_milli)
            sums = tax_lines.setdefault(key, [0, 0])
            sums[0] += line.net_cents
            sums[1] += tax.amount_cents
            registrations[key] = registrations.get(key) or tax.registration
        lines.append(
            InvoiceLine(
                id=line.id,
                position=line.position,
                description=line.description,
                service_id=line.service_id,
                quantity=line.quantity,
                unit_price=from_cents(line.unit_price_cents),
                discount=from_cents(line.discount_cents),
                taxes=tuple(
                    LineTax(
                        t.tax_rate_id,
                        t.name,
                        rate_from_milli(t.rate_milli),
                        from_cents(t.amount_cents),
                    )
                    for t in taxes
                ),
                visit_id=line.visit_id,
                service_date=line.service_date,
                package_id=line.package_id,
            )
        )
    kind = InvoiceKind(row.kind)
    paid = (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
                AllocationRow.invoice_id == row.id
            )
        )
        or 0
    )
    note = session.scalar(select(InvoiceRow).where(InvoiceRow.credits_invoice_id == row.id))
    credited = note.total_cents if note else 0
    original = session.get(InvoiceRow, row.credits_invoice_id) if row.credits_invoice_id else None
    client = session.get(ClientRow, row.client_id)
    receipts = session.scalar(
        select(func.count()).select_from(ReceiptRow).where(ReceiptRow.invoice_id == row.id)
    )
    return Invoice(
        id=row.id,
        kind=kind,
        client_id=row.client_id,
        client_name=f"{client.given_name} {client.family_name}".strip() if client else "",
        number=row.number,
        status=_status(row.status, kind, row.total_cents, paid, credited),
        created_on=row.created_on,
        issued_on=row.issued_on,
        due_on=row.due_on,
        lines=tuple(lines),
        tax_lines=tuple(
            TaxLine(
                name,
                rate_from_milli(milli),
                from_cents(t),
                from_cents(a),
                registrations[(name, milli)],
            )
            for (name, milli), (t, a) in sorted(tax_lines.items())
        ),
        subtotal=from_cents(row.subtotal_cents),
        discount_total=from_cents(row.discount_cents),
        tax_total=from_cents(row.tax_cents),
        total=from_cents(row.total_cents),
        paid=from_cents(paid),
        credited=from_cents(credited),
        balance=from_cents(_balance(kind, row.status, row.total_cents, paid, credited)),
        currency=row.currency,
        notes=row.notes,
        terms=row.terms,
        credit_note_id=note.id if note else None,
        credits_invoice_id=row.credits_invoice_id,
        credits_invoice_number=original.number if original else None,
        void_reason=row.void_reason,
        issued_at=row.issued_at,
        receipts_issued=receipts or 0,
    )
