"""Receipts: a numbered record of a payment against an invoice, issued when printed or sent."""

from __future__ import annotations

from sqlalchemy import func, select

from practice.billing.ledger import invoice_balance
from practice.billing.models import InvoiceRow, ReceiptRow
from practice.billing.records import InvoiceKind, Receipt
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id


def issue_receipt(
    db: Database, invoice_id: int, *, action: str = "print", to_file: str | None = None
) -> Receipt:
    """Record that a receipt is printed: the first is the original, later ones are duplicates.

    The audit entry is the printout's own: `action` "print", or "export" with the file.
    """
    with db.transaction() as session:
        row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
        if row.kind != InvoiceKind.INVOICE or row.status == "draft":
            raise ValidationError({"invoice": "Receipts are for issued invoices."})
        if row.status == "void":
            raise ValidationError({"invoice": f"Invoice {row.number} is void; no receipt."})
        paid = row.total_cents - invoice_balance(session, row)
        if paid <= 0 and row.total_cents > 0:
            raise ValidationError(
                {"invoice": f"Nothing is paid on invoice {row.number} yet; print the invoice."}
            )
        count = (
            session.scalar(
                select(func.count()).select_from(ReceiptRow).where(ReceiptRow.invoice_id == row.id)
            )
            or 0
        )
        receipt = ReceiptRow(invoice_id=row.id, number=count + 1, issued_by=db.actor)
        session.add(receipt)
        session.flush()
        what = "Receipt" if count == 0 else f"Duplicate receipt ({count + 1})"
        where = f" exported to {to_file}" if to_file else ""
        details = {"document": "receipt", "invoice_id": row.id, "copy": count + 1, "file": to_file}
        audit.log(
            db,
            session,
            action=action,
            entity="receipt",
            entity_id=receipt.id,
            client_id=row.client_id,
            summary=f"{what} for invoice {row.number}{where}",
            changes={name: [None, value] for name, value in details.items() if value is not None},
        )
        return _receipt(receipt)


def receipts_for(db: Database, invoice_id: int) -> list[Receipt]:
    if not is_id(invoice_id):
        return []
    with db.read() as session:
        rows = session.scalars(
            select(ReceiptRow)
            .where(ReceiptRow.invoice_id == invoice_id)
            .order_by(ReceiptRow.number)
        )
        return [_receipt(r) for r in rows]


def _receipt(row: ReceiptRow) -> Receipt:
    return Receipt(row.id, row.invoice_id, row.number, row.issued_at, row.issued_by)
