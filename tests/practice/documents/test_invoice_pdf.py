"""The invoice and credit note printouts, read back from the PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import (
    BillingSettings,
    InvoiceKind,
    InvoiceStatus,
    PaymentForm,
    PaymentMethod,
    ServiceForm,
    TaxRateForm,
)
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm, PracticeProfile
from practice.documents.invoice import invoice_pdf
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm
from tests.practice.documents import billing_samples as samples

Pages = Callable[[bytes], list[str]]


@pytest.fixture
def client() -> Client:
    return Client(
        id=7,
        given_name="Chloé",
        family_name="O'Brien",
        address="45 Rue de la Paix\nMontréal, QC H2X 1Y4",
        email="chloe@example.com",
    )


@pytest.fixture
def canadian(profile: PracticeProfile) -> PracticeProfile:
    return replace(profile, credentials="RMT", currency="CAD", locale="en_CA")


def _text(pages: list[str]) -> str:
    """All pages as one line, with the no-break spaces of some locales as plain spaces."""
    joined = " ".join(pages).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(joined.split())


def test_a_rich_invoice_prints_every_line_tax_payment_and_the_balance_on_one_page(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    pages = pdf_pages(
        invoice_pdf(
            canadian, client, invoice, BillingSettings(), samples.PAYMENTS, samples.SERVICES
        )
    )
    text = _text(pages)
    assert len(pages) == 1
    for expected in (
        "Invoice 2026-0007",
        "Bill to Chloé O'Brien 45 Rue de la Paix Montréal, QC H2X 1Y4",
        "Issued Mar 2, 2026",
        "Due Apr 1, 2026",
        "Status Partly paid",
        "GST no. 123456789 RT0001",
        "QST no. 1234567890 TQ0001",
        "Feb 16, 2026 Therapeutic massage, 60 min 97124 1 $95.00 -$15.00 GST, QST $80.00",
        "Arnica gel <b>50 ml</b> 2 $14.50 GST $29.00",
        "Subtotal before discounts $649.00",
        "Discounts -$15.00",
        "Subtotal $634.00",
        "GST 5% on $634.00 $31.70",
        "QST 9.975% on $605.00 $60.36",
        "Total $726.06",
        "Paid -$350.00",
        "Balance due $376.06",
        "Mar 2, 2026 Card VISA ••4242 $200.00",
        "Mar 10, 2026 E-transfer $150.00",
        "Payment is due within 30 days of the invoice date.",
    ):
        assert expected in text
    assert "$99.00" not in text  # a payment of the same client on another invoice


def test_the_printed_totals_add_up_to_the_invoice_total(
    canadian: PracticeProfile, client: Client
) -> None:
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    lines = sum((line.net for line in invoice.lines), Decimal(0))
    taxes = sum((tax.amount for tax in invoice.tax_lines), Decimal(0))
    assert lines + taxes == invoice.total == Decimal("726.06")
    assert invoice.total - invoice.paid == invoice.balance


def test_money_follows_the_practice_locale(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    french = replace(canadian, locale="fr_CA")
    text = _text(pdf_pages(invoice_pdf(french, client, invoice, payments=samples.PAYMENTS)))
    assert "726,06 $" in text
    assert "376,06 $" in text
    german = replace(canadian, currency="EUR", locale="de_DE")
    euro = replace(invoice, currency="EUR")
    assert "726,06 €" in _text(pdf_pages(invoice_pdf(german, client, euro)))


def test_a_draft_says_draft_on_every_page_and_has_no_number(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    lines = [samples.line(k, samples.MASSAGE_60, date(2026, 1, 1 + k % 28)) for k in range(60)]
    draft = samples.invoice(lines, number=None, status=InvoiceStatus.DRAFT)
    pages = pdf_pages(invoice_pdf(canadian, client, draft))
    assert len(pages) > 1
    assert "Draft invoice" in pages[0]
    assert "not a request for payment" in _text(pages)
    for page in pages:
        assert "DRAFT" in page
        assert "2026-0007" not in page


def test_a_long_invoice_repeats_the_table_header_on_every_page(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    lines = [samples.line(k, samples.MASSAGE_60, date(2026, 1, 1 + k % 28)) for k in range(60)]
    pages = pdf_pages(invoice_pdf(canadian, client, samples.invoice(lines)))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Chloé O'Brien · Invoice 2026-0007" in page
        assert f"Page {number} of {len(pages)}" in page
    for page in pages[:-1]:
        assert "Description" in page and "Unit price" in page and "Amount" in page
    assert "Balance due" in pages[-1]


def test_a_voided_invoice_is_marked_void_with_the_reason(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    void = samples.invoice(
        samples.rich_lines()[:3], status=InvoiceStatus.VOID, void_reason="Billed twice"
    )
    text = _text(pdf_pages(invoice_pdf(canadian, client, void)))
    assert "VOID · Cancelled in full by a credit note. Reason: Billed twice" in text
    assert "Status Void" in text
    assert "Credited -$293.19" in text
    assert "Balance due $0.00" in text


def test_a_credit_note_names_the_invoice_it_cancels(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    note = samples.invoice(
        samples.rich_lines()[:2],
        number="CN-0001",
        status=InvoiceStatus.ISSUED,
        kind=InvoiceKind.CREDIT_NOTE,
        credits="2026-0007",
        notes="Voids invoice 2026-0007: Billed twice",
    )
    text = _text(pdf_pages(invoice_pdf(canadian, client, note)))
    assert text.count("Credit note CN-0001") >= 2  # the title and the footer
    assert "Credit note for invoice 2026-0007" in text
    assert "Credited to Chloé O'Brien" in text
    assert "Total credited $201.21" in text
    assert "Voids invoice 2026-0007: Billed twice" in text
    assert "Balance due" not in text


def test_markup_in_names_and_lines_prints_literally(
    canadian: PracticeProfile, pdf_pages: Pages
) -> None:
    client = Client(id=7, given_name="<b>Smith", family_name="& Co</b>", address="<i>1 Main</i>")
    line = samples.line(1, samples.MASSAGE_60, date(2026, 3, 2), description="<br/>Neck & back")
    invoice = samples.invoice([line], notes="Pay by <u>cheque</u> & thanks")
    text = _text(pdf_pages(invoice_pdf(canadian, client, invoice)))
    for literal in ("<b>Smith & Co</b>", "<i>1 Main</i>", "<br/>Neck & back", "<u>cheque</u> &"):
        assert literal in text


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Zoë", "Ñúñez-Ångström"),
        ("Ελένη", "Παπαδοπούλου"),
        ("Дмитрий", "Петров"),
        ("민지", "김"),
        ("花子", "山田"),
    ],
)
def test_client_names_in_any_script_read_back_exactly(
    canadian: PracticeProfile, given: str, family: str, pdf_pages: Pages
) -> None:
    client = Client(id=7, given_name=given, family_name=family)
    invoice = samples.invoice(samples.rich_lines()[:1])
    text = _text(pdf_pages(invoice_pdf(canadian, client, invoice)))
    assert f"{given} {family}" in text


def test_a_reprint_is_byte_identical(canadian: PracticeProfile, client: Client) -> None:
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    first = invoice_pdf(canadian, client, invoice, payments=samples.PAYMENTS)
    assert invoice_pdf(canadian, client, invoice, payments=samples.PAYMENTS) == first


def test_an_invoice_billed_through_the_service_prints_what_the_service_stored(
    db: Database, profile: PracticeProfile, pdf_pages: Pages
) -> None:
    clients.save_profile(db, replace(profile, currency="CAD", locale="en_CA"))
    client = clients.create_client(db, ClientForm(given_name="Ελένη", family_name="O'Brien"))
    hst = billing.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))
    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("100.00"), 60, (hst.id,), ("97124",))
    )
    starts = datetime(2026, 3, 2, 15, tzinfo=UTC)
    visit = visits.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(starts, 60), SoapNote(complaint="Neck"), (TreatmentInput("effleurage", 60),)
        ),
    )
    invoice = billing.bill_visit(db, visit.visit.id, massage.id, issued_on=date(2026, 3, 2))
    billing.record_payment(
        db,
        client.id,
        PaymentForm(Decimal("50.00"), PaymentMethod.CASH, date(2026, 3, 3), invoice.id),
    )
    invoice = billing.get_invoice(db, invoice.id)
    data = invoice_pdf(
        clients.get_profile(db),  # type: ignore[arg-type]
        client,
        invoice,
        billing.get_settings(db),
        billing.list_payments(db, invoice_id=invoice.id),
        billing.list_services(db),
    )
    text = _text(pdf_pages(data))
    assert f"Invoice {invoice.number}" in text
    assert "Ελένη O'Brien" in text
    assert "60-min medical massage 97124 1 $100.00 HST $100.00" in text
    assert "HST 13% on $100.00 $13.00" in text
    assert "Total $113.00" in text
    assert "Mar 3, 2026 Cash $50.00" in text
    assert "Balance due $63.00" in text
    assert "HST no. 123456789RT0001" in text


def test_a_long_description_wraps_inside_its_column(
    canadian: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    words = "Deep tissue work on the upper trapezius and levator scapulae, both sides, 김민지 note"
    line = samples.line(1, samples.MASSAGE_60, date(2026, 3, 2), description=words)
    pages = pdf_pages(invoice_pdf(canadian, client, samples.invoice([line])))
    assert words in _text(pages)
    table_lines = [row for row in pages[0].splitlines() if "Deep tissue" in row]
    assert table_lines and words not in table_lines[0]  # it took more than one line
