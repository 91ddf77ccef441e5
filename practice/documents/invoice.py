"""The invoice and credit note printout: who bills whom for what, the tax, what is paid and owed."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from practice.billing.records import (
    BillingSettings,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    Service,
    TaxLine,
)
from practice.clients.records import Client, PracticeProfile
from practice.documents.billing_layout import (
    Column,
    Money,
    Total,
    beside_totals,
    figure,
    figures_table,
    payments_table,
    stamp_line,
    text,
)
from practice.documents.layout import (
    GRID,
    Cell,
    Line,
    build_document,
    cell_text,
    fields,
    heading,
    para,
    side_by_side,
    styles,
)

DRAFT_TITLE = "Draft invoice"
NO_TAX = "–"  # en dash: the line is not taxed

_DETAIL_LABEL = 30 * mm


def invoice_title(invoice: Invoice) -> str:
    """'Invoice 2026-0007', 'Credit note CN-0001', or 'Draft invoice' before it has a number."""
    if invoice.number is None:
        return "Draft credit note" if invoice.is_credit_note else DRAFT_TITLE
    kind = "Credit note" if invoice.is_credit_note else "Invoice"
    return f"{kind} {invoice.number}"


def invoice_pdf(
    profile: PracticeProfile,
    client: Client,
    invoice: Invoice,
    settings: BillingSettings | None = None,
    payments: Sequence[Payment] = (),
    services: Sequence[Service] = (),
) -> bytes:
    """The printable invoice or credit note.

    `payments` are the client's payments (those applied to this invoice are listed) and
    `services` the price list, for the billing codes of each line.
    """
    settings = settings or BillingSettings()
    fmt = Money(invoice.currency, profile.locale)
    title = invoice_title(invoice)
    stamp = _stamp(invoice)
    story: list[Flowable] = []
    if stamp:
        story.append(stamp_line(*stamp))
    story += [Spacer(0, GRID), _parties(client, invoice, fmt)]
    story += [Spacer(0, 2 * GRID), _lines(invoice, services, fmt)]
    story += _summary(invoice, payments, settings, fmt)
    return build_document(
        None,
        profile,
        title,
        story,
        client_line=f"{client.legal_name} · {title}",
        doc_date=invoice.issued_on or invoice.created_on,
        subtitle=_subtitle(invoice),
        watermark=stamp[0] if stamp else "",
    )


def _subtitle(invoice: Invoice) -> str:
    if invoice.is_credit_note and invoice.credits_invoice_number:
        return f"Credit note for invoice {invoice.credits_invoice_number}"
    return ""


def _stamp(invoice: Invoice) -> tuple[str, str] | None:
    """The word across every page of a draft or a voided invoice, and what it means."""
    if invoice.status is InvoiceStatus.DRAFT:
        return "DRAFT", "Not issued yet: this is not a request for payment."
    if invoice.status is InvoiceStatus.VOID:
        why = "Cancelled in full by a credit note."
        if invoice.void_reason.strip():
            why += f" Reason: {invoice.void_reason.strip()}"
        return "VOID", why
    return None


def _parties(client: Client, invoice: Invoice, fmt: Money) -> Flowable:
    s = styles()
    bill_to: list[Flowable] = [
        Line("Credited to" if invoice.is_credit_note else "Bill to", s.label),
        cell_text(client.legal_name, s.strong),
    ]
    bill_to += [cell_text(value) for value in (client.address, client.email) if value.strip()]
    details: list[tuple[str, Cell]]
    if invoice.is_credit_note:
        details = [
            ("Credit note", invoice.number or "Not issued"),
            ("Date", fmt.day(invoice.issued_on or invoice.created_on)),
            ("For invoice", invoice.credits_invoice_number or ""),
        ]
        if invoice.void_reason.strip():
            details.append(("Reason", invoice.void_reason))
    else:
        details = [
            ("Invoice", invoice.number or "Draft, not numbered yet"),
            ("Issued", fmt.day(invoice.issued_on) or "Not issued"),
            ("Due", fmt.day(invoice.due_on) or "Set when issued"),
            ("Status", invoice.status.label),
        ]
    details += [
        (f"{tax.name} no.", tax.registration)
        for tax in _unique_by_name(invoice)
        if tax.registration.strip()
    ]
    return side_by_side(bill_to, fields(details, label_width=_DETAIL_LABEL))


def _unique_by_name(invoice: Invoice) -> list[TaxLine]:
    """One line per tax name: two HST rates still share one registration number."""
    seen: dict[str, TaxLine] = {}
    for tax in invoice.tax_lines:
        seen.setdefault(tax.name, tax)
    return list(seen.values())


def _lines(invoice: Invoice, services: Sequence[Service], fmt: Money) -> Flowable:
    codes = {service.id: ", ".join(service.billing_codes) for service in services}
    has_codes = any(codes.get(line.service_id or 0) for line in invoice.lines)
    has_discount = any(line.discount for line in invoice.lines)
    columns = [Column("Date", 24 * mm), Column("Description", "*")]
    if has_codes:
        columns.append(Column("Code", 15 * mm))
    columns += [Column("Qty", 10 * mm, numeric=True), Column("Unit price", 22 * mm, numeric=True)]
    if has_discount:
        columns.append(Column("Discount", 20 * mm, numeric=True))
    columns += [Column("Tax", 18 * mm), Column("Amount", 24 * mm, numeric=True)]
    rows: list[list[Cell]] = []
    for line in invoice.lines:
        row: list[Cell] = [text(fmt.day(line.service_date)), text(line.description)]
        if has_codes:
            row.append(text(codes.get(line.service_id or 0, "")))
        row += [figure(str(line.quantity)), figure(fmt(line.unit_price))]
        if has_discount:
            row.append(figure(fmt(-line.discount) if line.discount else ""))
        row += [text(_tax_names(line)), figure(fmt(line.net))]
        rows.append(row)
    if not rows:
        return para(None, empty="No lines on this invoice.")
    return figures_table(columns, rows)


def _tax_names(line: InvoiceLine) -> str:
    return ", ".join(tax.name for tax in line.taxes) or NO_TAX


def _summary(
    invoice: Invoice, payments: Sequence[Payment], settings: BillingSettings, fmt: Money
) -> list[Flowable]:
    """Payments, terms and notes on the left; the totals down to the balance on the right."""
    left: list[Flowable] = []
    received = payments_table(invoice.id, payments, fmt)
    if received is not None:
        left += [heading("Payments received"), received]
    notes = invoice.notes.strip() or settings.invoice_notes.strip()
    if not invoice.is_credit_note and invoice.status is not InvoiceStatus.VOID:
        left += [heading("Terms"), cell_text(_terms(invoice, settings))]
    if notes:
        left += [heading("Notes"), cell_text(notes)]
    return [beside_totals(left, _totals(invoice, fmt))]


def _terms(invoice: Invoice, settings: BillingSettings) -> str:
    if invoice.terms.strip():
        return invoice.terms
    days = settings.payment_terms_days
    if days <= 0:
        return "Payment is due on receipt."
    return f"Payment is due within {days} days of the invoice date."


def _totals(invoice: Invoice, fmt: Money) -> list[Total]:
    rows: list[Total] = []
    if invoice.discount_total:
        rows += [
            Total("Subtotal before discounts", fmt(invoice.subtotal)),
            Total("Discounts", fmt(-invoice.discount_total)),
        ]
    rows.append(Total("Subtotal", fmt(invoice.subtotal - invoice.discount_total)))
    rows += [
        Total(tax.label, fmt(tax.amount), note=f"on {fmt(tax.taxable)}")
        for tax in invoice.tax_lines
    ]
    if invoice.is_credit_note:
        rows.append(Total("Total credited", fmt(invoice.total), weight=2))
        return rows
    rows.append(Total("Total", fmt(invoice.total), weight=1))
    if invoice.credited:
        rows.append(Total("Credited", fmt(-invoice.credited)))
    if invoice.paid:
        rows.append(Total("Paid", fmt(-invoice.paid)))
    rows.append(Total("Balance due", fmt(invoice.balance), weight=2))
    return rows
