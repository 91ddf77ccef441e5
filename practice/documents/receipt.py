"""The receipt for what a client paid on an invoice, with what insurers ask to see on it.

Insurers (and the CMTO's billing standard in Ontario) want: the therapist's name, credentials
and registration number, the HST number if any, the client's own name (never another person's),
the date of each treatment, the amount paid and how, and the therapist's signature. A receipt
printed again is a copy of the same receipt and says DUPLICATE on every page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from practice.billing.records import (
    BillingSettings,
    Invoice,
    InvoiceLine,
    Payment,
    Receipt,
)
from practice.clients.records import Client, PracticeProfile
from practice.documents.billing_layout import (
    Column,
    Money,
    Total,
    beside_totals,
    cells,
    figure,
    figures_table,
    money,
    payments_table,
    signature_line,
    stamp_line,
    text,
)
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    Cell,
    build_document,
    fields,
    format_date,
    heading,
    muted,
    para,
    side_by_side,
    styles,
)
from practice.documents.lines import TextBlock

DUPLICATE = "DUPLICATE"
RECEIPT_PREFIX = "R-"

_LABEL = 34 * mm


def receipt_number(invoice: Invoice) -> str:
    """The receipt's number: the invoice's, marked as a receipt. A duplicate keeps it."""
    return f"{RECEIPT_PREFIX}{invoice.number}"


def receipt_pdf(
    profile: PracticeProfile,
    client: Client,
    invoice: Invoice,
    receipt: Receipt,
    payments: Sequence[Payment],
    settings: BillingSettings | None = None,
) -> bytes:
    """The receipt for the payments applied to `invoice`; a reissue is marked DUPLICATE.

    Refuses (ValueError) to make a receipt out to anyone but the invoice's own client, or for
    an invoice that has no number.
    """
    if client.id != invoice.client_id:
        raise ValueError("A receipt is made out to the invoice's own client only.")
    if invoice.number is None or receipt.invoice_id != invoice.id:
        raise ValueError("A receipt is for an issued invoice, and for that invoice only.")
    settings = settings or BillingSettings()
    locale = profile.locale
    number = receipt_number(invoice)
    title = f"Receipt {number}"
    issued = format_date(receipt.issued_on, locale)
    story: list[Flowable] = []
    if receipt.duplicate:
        story += [
            stamp_line(
                DUPLICATE,
                f"Copy {receipt.number} of this receipt, reissued {issued}. "
                "It records the same payments as the original, not new ones.",
            ),
        ]
    story += [
        Spacer(0, GRID),
        _parties(profile, client, invoice, number, issued, locale),
        heading("Treatments"),
        _treatments(invoice, settings, profile),
        *_paid(invoice, payments, profile),
        signature_line(_signer(profile)),
    ]
    footer = f"{client.legal_name} · {title}"
    return build_document(
        None,
        profile,
        title,
        story,
        client_line=f"{footer} · {DUPLICATE}" if receipt.duplicate else footer,
        doc_date=receipt.issued_on,
        subtitle=f"For invoice {invoice.number}",
        watermark=DUPLICATE if receipt.duplicate else "",
    )


def _parties(
    profile: PracticeProfile,
    client: Client,
    invoice: Invoice,
    number: str,
    issued: str,
    locale: str,
) -> Flowable:
    received_from: list[tuple[str, Cell]] = [
        ("Received from", para(client.legal_name, styles().strong)),
        ("Address", client.address),
        ("Receipt no.", number),
        ("Date of receipt", issued),
        ("Invoice", f"{invoice.number}, {format_date(invoice.issued_on, locale)}")
        if invoice.issued_on
        else ("Invoice", invoice.number),
    ]
    therapist = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    provider: list[tuple[str, Cell]] = [
        ("Treatment by", para(therapist, styles().strong)),
        ("Registration no.", profile.registration_number),
    ]
    if profile.npi.strip():
        provider.append(("NPI", profile.npi))
    provider += [
        (f"{tax.name} no.", tax.registration)
        for tax in invoice.tax_lines
        if tax.registration.strip()
    ]
    if profile.practice_name.strip():
        provider.append(("Practice", profile.practice_name))
    return side_by_side(
        fields(received_from, label_width=_LABEL), fields(provider, label_width=_LABEL)
    )


def _treatments(invoice: Invoice, settings: BillingSettings, profile: PracticeProfile) -> Flowable:
    """Each line with its date: visits under the receipt wording, other items as described."""
    rows: list[list[Cell]] = []
    for line in invoice.lines:
        day = format_date(line.service_date, profile.locale) if line.service_date else ""
        rows.append(
            [
                text(day),
                _what(line, settings),
                figure(str(line.quantity)),
                figure(money(line.total, invoice.currency, profile.locale)),
            ]
        )
    return figures_table(
        [
            Column("Date of treatment", 32 * mm),
            Column("Service", "*"),
            Column("Qty", 10 * mm, numeric=True),
            Column("Amount, tax included", 34 * mm, numeric=True),
        ],
        rows,
    )


_SHORT_WORDING = 400  # characters set as one paragraph; longer wording gets lines of its own


def _what(line: InvoiceLine, settings: BillingSettings) -> Cell:
    """A treatment is named with the practice's receipt wording; anything else by its own name.

    Long wording (or description) prints as plain lines, which split across pages in time
    linear in their length; one rich paragraph would be broken again for every page."""
    if line.visit_id is None or not settings.receipt_wording.strip():
        return text(line.description)
    wording, description = settings.receipt_wording, line.description.strip()
    if len(wording) + len(description) > _SHORT_WORDING:
        parts: list[Flowable] = [TextBlock(wording, cells().text)]
        if description:
            parts.append(TextBlock(description, styles().muted))
        return parts
    markup = rich(wording)
    if description:
        markup += f"<br/>{muted(rich(line.description))}"
    return Paragraph(markup, cells().text)


def _paid(
    invoice: Invoice, payments: Sequence[Payment], profile: PracticeProfile
) -> list[Flowable]:
    """The payments on the left, the invoice total, tax included, paid and owing on the right."""

    fmt = Money(invoice.currency, profile.locale)
    received = payments_table(invoice.id, payments, fmt)
    left: list[Flowable] = [heading("Payments")]
    left.append(received or para(None, empty="No payment recorded on this invoice."))
    totals = [Total("Invoice total", fmt(invoice.total))]
    totals += [Total(f"includes {tax.label}", fmt(tax.amount)) for tax in invoice.tax_lines]
    totals.append(Total("Amount paid", fmt(invoice.paid), weight=2))
    if invoice.balance:
        totals.append(Total("Still owing", fmt(invoice.balance)))
    return [beside_totals(left, totals)]


def _signer(profile: PracticeProfile) -> str:
    """Under the signature line: who signs, with credentials and registration number."""
    name = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    if profile.registration_number.strip():
        name += f" · Reg. no. {profile.registration_number.strip()}"
    return f"Signature of {name}"
