"""The receipt for insurers, read back from the PDF: who, what, when, how much, and duplicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import (
    BillingSettings,
    PaymentForm,
    PaymentMethod,
    ServiceForm,
    TaxRateForm,
)
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm, PracticeProfile
from practice.documents.receipt import receipt_pdf
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm
from tests.practice.documents import billing_samples as samples

Pages = Callable[[bytes], list[str]]


@pytest.fixture
def ontario(profile: PracticeProfile) -> PracticeProfile:
    return replace(
        profile, credentials="RMT", registration_number="U1234", currency="CAD", locale="en_CA"
    )


@pytest.fixture
def client() -> Client:
    return Client(id=7, given_name="Chloé", family_name="O'Brien", address="45 Rue de la Paix")


def _text(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def _receipt(ontario: PracticeProfile, client: Client, number: int = 1, **settings: str) -> bytes:
    invoice = samples.invoice(samples.rich_lines(), paid="350.00")
    return receipt_pdf(
        ontario,
        client,
        invoice,
        samples.receipt(number),
        samples.PAYMENTS,
        BillingSettings(**settings),  # type: ignore[arg-type]
    )


def test_a_receipt_shows_what_an_insurer_asks_for(
    ontario: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    pages = pdf_pages(_receipt(ontario, client))
    text = _text(pages)
    assert len(pages) == 1
    for expected in (
        "Receipt R-2026-0007",
        "For invoice 2026-0007",
        "Received from Chloé O'Brien",
        "Treatment by Jane O'Brien, RMT",
        "Registration no. U1234",
        "GST no. 123456789 RT0001",
        "QST no. 1234567890 TQ0001",
        "Date of receipt Mar 20, 2026",
        "Feb 2, 2026 Massage therapy treatment Therapeutic massage, 60 min 1 $109.23",
        "Mar 16, 2026 Massage therapy treatment Follow-up: neck & shoulders 1 $109.23",
        "Arnica gel <b>50 ml</b> 2 $30.45",
        "Mar 2, 2026 Card VISA ••4242 $200.00",
        "Mar 10, 2026 E-transfer $150.00",
        "Invoice total $726.06",
        "includes GST 5% $31.70",
        "Amount paid $350.00",
        "Still owing $376.06",
        "Signature of Jane O'Brien, RMT · Reg. no. U1234",
    ):
        assert expected in text
    assert "DUPLICATE" not in text
    assert "$99.00" not in text


def test_treatments_use_the_wording_from_the_settings(
    ontario: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    text = _text(pdf_pages(_receipt(ontario, client, receipt_wording="Massothérapie & soins")))
    assert text.count("Massothérapie & soins") == 7  # the seven visits, not the product
    assert "Massage therapy treatment" not in text


def test_a_reissued_receipt_says_duplicate_on_every_page(
    ontario: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    lines = [samples.line(k, samples.MASSAGE_60, date(2026, 1, 1 + k % 28)) for k in range(1, 70)]
    invoice = samples.invoice(lines, paid="100.00")
    data = receipt_pdf(ontario, client, invoice, samples.receipt(3), samples.PAYMENTS[:1])
    pages = pdf_pages(data)
    assert len(pages) > 1
    assert "Copy 3 of this receipt, reissued Mar 20, 2026" in _text(pages)
    for page in pages:
        assert page.count("DUPLICATE") >= 2  # the watermark and the footer
        assert "Receipt R-2026-0007" in page


def test_a_receipt_is_never_made_out_to_another_person(
    ontario: PracticeProfile, client: Client
) -> None:
    someone_else = replace(client, id=8, given_name="Marc")
    with pytest.raises(ValueError, match="own client"):
        _receipt(ontario, someone_else)


def test_markup_and_any_script_print_literally(ontario: PracticeProfile, pdf_pages: Pages) -> None:
    for name in ("<b>Smith", "Ελένη", "Дмитрий", "김민지", "Zoë"):
        client = Client(id=7, given_name=name, family_name="& Co</b>")
        assert f"{name} & Co</b>" in _text(pdf_pages(_receipt(ontario, client)))


def test_a_receipt_through_the_service_is_marked_duplicate_the_second_time(
    db: Database, ontario: PracticeProfile, pdf_pages: Pages
) -> None:
    clients.save_profile(db, ontario)
    client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien"))
    hst = billing.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))
    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("100.00"), 60, (hst.id,), ("97124",))
    )
    visit = visits.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(datetime(2026, 3, 2, 15, tzinfo=UTC), 60),
            SoapNote(complaint="Neck"),
            (TreatmentInput("effleurage", 60),),
        ),
    )
    invoice = billing.bill_visit(db, visit.visit.id, massage.id, issued_on=date(2026, 3, 2))
    billing.record_payment(
        db,
        client.id,
        PaymentForm(Decimal("113.00"), PaymentMethod.CARD, date(2026, 3, 2), invoice.id),
    )

    def printed() -> str:
        receipt = billing.issue_receipt(db, invoice.id)
        data = receipt_pdf(
            ontario,
            client,
            billing.get_invoice(db, invoice.id),
            receipt,
            billing.list_payments(db, invoice_id=invoice.id),
            billing.get_settings(db),
        )
        return _text(pdf_pages(data))

    first, second = printed(), printed()
    assert "DUPLICATE" not in first
    assert "Amount paid $113.00" in first
    assert "HST no. 123456789RT0001" in first
    assert "Mar 2, 2026 Massage therapy treatment" in first
    assert "DUPLICATE" in second and "Copy 2 of this receipt" in second
