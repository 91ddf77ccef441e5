"""What the invoice editor shows: read in one go on the op runner (never on the GUI thread),
and the texts made of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from practice.billing import service
from practice.billing.records import (
    Invoice,
    InvoiceStatus,
    Payment,
    Service,
    ServiceKind,
    TaxRate,
)
from practice.store import Database
from ui.billing.money import MoneyFormat
from ui.widgets import dates


@dataclass(frozen=True, slots=True)
class InvoiceRead:
    """An invoice with what its screen needs: a draft's choices of service and tax, an issued
    invoice's billing codes (archived services too) and the payments applied to it."""

    invoice: Invoice
    money: MoneyFormat
    services: list[Service] = field(default_factory=list)  # offered on a draft's lines
    rates: list[TaxRate] = field(default_factory=list)
    codes: dict[int, Service] = field(default_factory=dict)  # an issued line's service
    payments: list[Payment] = field(default_factory=list)


def read_invoice(db: Database, invoice_id: int) -> InvoiceRead:
    """NotFoundError when the invoice is gone (deleted by someone else meanwhile)."""
    invoice = service.get_invoice(db, invoice_id)
    money = MoneyFormat.of(db)
    if invoice.editable:
        return InvoiceRead(
            invoice,
            money,
            services=service.list_services(db, kind=ServiceKind.TREATMENT),
            rates=service.list_tax_rates(db),
        )
    return InvoiceRead(
        invoice,
        money,
        codes={s.id: s for s in service.list_services(db, include_archived=True)},
        payments=service.list_payments(db, invoice_id=invoice.id),
    )


def details_text(invoice: Invoice) -> str:
    """The line under an invoice's title: client, dates, days overdue, receipts printed."""
    parts = [invoice.client_name]
    if invoice.issued_on:
        parts.append(f"issued {dates.day(invoice.issued_on)}")
    else:
        parts.append(f"created {dates.day(invoice.created_on)}")
    if invoice.due_on and not invoice.is_credit_note:
        parts.append(f"due {dates.day(invoice.due_on)}")
        overdue = invoice.days_overdue(date.today())
        if overdue and invoice.status is not InvoiceStatus.VOID:
            parts.append(f"{overdue} day{'s' if overdue != 1 else ''} overdue")
    if invoice.receipts_issued:
        count = invoice.receipts_issued
        parts.append(f"{count} receipt{'s' if count != 1 else ''} printed")
    return "  ·  ".join(parts)


def issued_rows(
    invoice: Invoice, codes: dict[int, Service], money: MoneyFormat
) -> list[tuple[str, ...]]:
    """An issued invoice's lines as its table shows them (LINE_COLUMNS), with each line's
    billing codes and modifier from its service, archived or not."""
    rows = []
    for line in invoice.lines:
        item = codes.get(line.service_id) if line.service_id else None
        text = " ".join(item.billing_codes) if item else ""
        if item and item.modifier and text:
            text = f"{text} {item.modifier}"
        rows.append(
            (
                dates.day(line.service_date),
                line.description,
                text,
                str(line.quantity),
                money.text(line.unit_price),
                money.text(line.discount) if line.discount else "",
                ", ".join(f"{t.name} {money.text(t.amount)}" for t in line.taxes),
                money.text(line.net),
            )
        )
    return rows
