"""Billing printouts: an invoice or credit note, a receipt, a superbill for the insurer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from practice.billing import service as billing
from practice.billing.records import Invoice
from practice.errors import NotFoundError, ValidationError
from practice.printouts import gather
from practice.printouts.output import (
    Document,
    Printout,
    action,
    deliver,
    target,
    written,
)
from practice.store.database import Database


def invoice_pdf(db: Database, invoice_id: int, *, to_file: Path | None = None) -> Printout:
    """An invoice or a credit note as it stands (a draft or a voided one is stamped so)."""
    out = target(db, to_file)
    return deliver(db, make_invoice(db, invoice_id), out)


def make_invoice(db: Database, invoice_id: int) -> Printout:
    """The printout, not yet handed over (nor audited): `invoice_pdf` delivers it."""
    from practice.documents.invoice import invoice_pdf as render
    from practice.documents.invoice import invoice_title

    invoice = _invoice(db, invoice_id)
    client = gather.client(db, invoice.client_id)
    title = invoice_title(invoice)
    data = render(
        gather.profile(db),
        client,
        invoice,
        billing.get_settings(db),
        billing.list_payments(db, invoice_id=invoice.id),
        billing.list_services(db, include_archived=True),
    )
    made = Printout(
        document=Document.CREDIT_NOTE if invoice.is_credit_note else Document.INVOICE,
        title=title,
        file_name=gather.file_name(title, client),
        client_id=client.id,
        entity="invoice",
        entity_id=invoice.id,
        records={"invoice_id": invoice.id, "number": invoice.number},
        data=data,
    )
    return made


def receipt_pdf(db: Database, invoice_id: int, *, to_file: Path | None = None) -> Printout:
    """The receipt for what is paid on an invoice. Each one is counted: the first is the
    original, every later one is marked DUPLICATE with its copy number."""
    from practice.documents.receipt import receipt_number
    from practice.documents.receipt import receipt_pdf as render

    out = target(db, to_file)
    invoice = _invoice(db, invoice_id)
    client = gather.client(db, invoice.client_id)
    profile = gather.profile(db)
    settings = billing.get_settings(db)
    receipt = billing.issue_receipt(
        db, invoice.id, action=action(out), to_file=None if out is None else str(out)
    )
    payments = billing.list_payments(db, invoice_id=invoice.id)
    number = receipt_number(invoice)
    copy = f" (DUPLICATE, copy {receipt.number})" if receipt.duplicate else ""
    made = Printout(
        document=Document.RECEIPT,
        title=f"Receipt {number}{copy}",
        file_name=gather.file_name(
            f"Receipt {number}{' duplicate' if receipt.duplicate else ''}", client
        ),
        client_id=client.id,
        entity="receipt",
        entity_id=receipt.id,
        records={"invoice_id": invoice.id, "number": invoice.number, "copy": receipt.number},
        data=render(profile, client, invoice, receipt, payments, settings),
        touches=frozenset({"invoice"}),  # the invoice shows how many receipts were printed
    )
    return written(made, out)


def superbill_pdf(
    db: Database, client_id: int, since: date, until: date, *, to_file: Path | None = None
) -> Printout:
    """The client's signed, billed visits from `since` to `until` for their insurer."""
    from practice.billing.superbill import superbill
    from practice.documents.superbill import superbill_pdf as render

    out = target(db, to_file)
    client = gather.client(db, client_id)
    profile = gather.profile(db)
    bill = superbill(db, client.id, since, until)
    if not bill.visits:
        raise ValidationError(
            {
                "client": f"{client.legal_name} has no billed visits from {since.isoformat()} "
                f"to {until.isoformat()}."
            }
        )
    period = f"{since.isoformat()} to {until.isoformat()}"
    made = Printout(
        document=Document.SUPERBILL,
        title=f"Superbill of {len(bill.visits)} visit{'s' * (len(bill.visits) != 1)}, {period}",
        file_name=gather.file_name("Superbill", client, period),
        client_id=client.id,
        entity="client",
        entity_id=client.id,
        records={"since": since, "until": until, "visit_ids": [v.visit_id for v in bill.visits]},
        data=render(profile, client, bill),
    )
    return deliver(db, made, out)


def _invoice(db: Database, invoice_id: int) -> Invoice:
    try:
        return billing.get_invoice(db, invoice_id)
    except NotFoundError as error:
        raise ValidationError({"invoice": str(error)}) from None
