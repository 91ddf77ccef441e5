"""Reading invoices: one invoice with its lines and payments, and the invoice list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
from practice.bounds import is_whole
from practice.clients.models import ClientRow
from practice.errors import NotFoundError, ValidationError
from practice.store.database import Database
from practice.store.rows import MAX_ID, get_or_raise, is_id, sharing_values
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


# The invoice list as one query: each invoice with what was paid and credited against it, and
# its status and balance worked out by the rules of `_status` and `_balance` (which read one
# invoice), so rows come out as the list shows them. The sums are read once per invoice into
# a MATERIALIZED table: written as a subquery, SQLite folded it into the outer query and read
# an invoice's payments once for each of the four places `paid` is named (48 against 33 ms
# for 10,339 invoices). The status is a column of `shown`, so that filtering on it works on a
# server too (PostgreSQL does not let WHERE name a column of the SELECT it belongs to).
_LIST = """
WITH listed AS MATERIALIZED (
    SELECT i.id, i.kind, i.client_id, trim(c.given_name || ' ' || c.family_name) AS client_name,
           i.number, i.status AS stored, i.created_on, i.issued_on, i.due_on, i.total_cents,
           (SELECT COALESCE(SUM(a.amount_cents), 0) FROM payment_allocation AS a
            WHERE a.invoice_id = i.id) AS paid,
           (SELECT COALESCE(SUM(n.total_cents), 0) FROM invoice AS n
            WHERE n.credits_invoice_id = i.id) AS credited
    FROM invoice AS i JOIN client AS c ON c.id = i.client_id
    {where}
), shown AS (
    SELECT id, kind, client_id, client_name, number,
           CASE WHEN stored IN ('draft', 'void') THEN stored
                WHEN kind = 'credit_note' THEN 'issued'
                WHEN paid >= total_cents THEN 'paid'
                WHEN paid > 0 THEN 'partly_paid'
                ELSE 'issued' END AS status,
           CAST(created_on AS TEXT) AS created_day, CAST(issued_on AS TEXT) AS issued_day,
           CAST(due_on AS TEXT) AS due_day, total_cents, paid,
           CASE WHEN kind = 'credit_note' OR stored = 'draft' THEN 0
                ELSE total_cents - credited - paid END AS balance,
           issued_on
    FROM listed
)
SELECT id, kind, client_id, client_name, number, status, created_day, issued_day, due_day,
       total_cents, paid, balance
FROM shown
{status}
ORDER BY issued_on IS NULL DESC, issued_on DESC, id DESC
{limit}
"""


_UNIQUE = (0, 4)  # an invoice's id and number: shared by no other row


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
    if limit is not None and (not is_whole(limit) or limit < 0):
        raise ValidationError({"limit": "Show a whole number of invoices, 0 or more."})
    if client_id is not None and not is_id(client_id):
        return []
    for name, day in (("since", since), ("until", until)):
        if day is not None and not isinstance(day, date):
            raise ValidationError({name: "Pick a day."})
    where, parameters = [], []
    for condition, value in (
        ("i.client_id = ?", client_id),
        ("i.kind = ?", None if kind is None else str(kind)),
        ("i.issued_on >= ?", None if since is None else since.isoformat()),
        ("i.issued_on <= ?", None if until is None else until.isoformat()),
    ):
        if value is not None:
            where.append(condition)
            parameters.append(value)
    if status is not None:
        parameters.append(str(status))
    if limit is not None:
        parameters.append(min(limit, MAX_ID))
    sql = _LIST.format(
        where=f"WHERE {' AND '.join(where)}" if where else "",
        status="WHERE status = ?" if status is not None else "",
        limit="LIMIT ?" if limit is not None else "",
    )
    with db.read() as session:
        raw = db.raw_connection(session)
        rows = raw.execute(sql, parameters)
        width = len(InvoiceSummary._fields)
        return sharing_values(rows, InvoiceSummary._make, width, unique=_UNIQUE)


def _status(stored: str, kind: InvoiceKind, total: int, paid: int, credited: int) -> InvoiceStatus:
    """An invoice's status from what is stored and paid (the list works it out in `_LIST`)."""
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
        version=row.version,
    )
