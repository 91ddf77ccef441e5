"""The US superbill, read back from the PDF: provider, patient, diagnoses, services, totals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import (
    PaymentForm,
    PaymentMethod,
    ServiceForm,
    SuperbillVisit,
    UnitRule,
)
from practice.billing.superbill import superbill
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm, PhysicianForm, PracticeProfile
from practice.documents.superbill import superbill_pdf
from practice.plans import service as plans
from practice.plans.records import PlanForm
from practice.store import Database
from tests.practice.billing.conftest import make_visit
from tests.practice.documents import billing_samples as samples

Pages = Callable[[bytes], list[str]]
TODAY = date(2026, 4, 2)


@pytest.fixture
def provider(profile: PracticeProfile) -> PracticeProfile:
    return replace(profile, npi="1245319599", tax_id="12-3456789")


@pytest.fixture
def client() -> Client:
    return Client(
        id=7,
        given_name="Chloé",
        family_name="O'Brien",
        date_of_birth=date(1985, 3, 12),
        address="45 Oak Avenue\nSpringfield, IL 62701",
    )


def _text(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_a_superbill_with_six_dates_and_three_diagnoses_fits_on_one_page(
    provider: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    pages = pdf_pages(superbill_pdf(provider, client, samples.superbill(6), TODAY))
    text = _text(pages)
    assert len(pages) == 1
    for expected in (
        "Superbill",
        "Services from Feb 1, 2026 to Mar 31, 2026",
        "Name Chloé O'Brien",
        "Date of birth Mar 12, 1985",
        "45 Oak Avenue Springfield, IL 62701",
        "Referred by (box 17) Dr. Dmitri Petrov",
        "Referrer NPI (17b) 1234567893",
        "Name (box 33) Jane O'Brien, LMT",
        "NPI (box 33a) 1245319599",
        "Tax ID, TIN (box 25) 12-3456789",
        "A M54.50 Low back pain, unspecified",
        "B M62.830 Muscle spasm of back",
        "C G44.209 Tension-type headache, unspecified, not intractable",
        "Feb 2, 2026 11 97140 59 Manual therapy techniques · 30 min AB 2 $70.00",
        "Mar 9, 2026 11 97110 Therapeutic exercise · 15 min C 1 $35.00",
        "Total charges $630.00",
        "Amount paid $575.00",
        "Balance due $55.00",
        "Units: CMS 8-minute rule.",
        "POS 11 = Office.",
        "Signature of Jane O'Brien, LMT",
    ):
        assert expected in text
    assert text.count("97140 59") == 6


def test_the_unit_rule_and_payer_warnings_are_printed(
    provider: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    bill = samples.superbill(2)
    warned = replace(bill.visits[0], warnings=("97124 and 97140 on the same day: check.",))
    bill = replace(bill, unit_rule=UnitRule.PER_CODE, visits=(warned, *bill.visits[1:]))
    text = _text(pdf_pages(superbill_pdf(provider, client, bill, TODAY)))
    assert "Units: per code." in text
    assert "CMS 8-minute" not in text
    assert "97124 and 97140 on the same day: check." in text


def test_a_superbill_without_diagnoses_or_visits_says_so(
    provider: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    bill = replace(samples.superbill(0), diagnoses=(), referring_physician="")
    text = _text(pdf_pages(superbill_pdf(provider, client, bill, TODAY)))
    assert "No diagnosis on the treatment plan for this period." in text
    assert "No completed visits in this period." in text
    assert "No referring provider" in text
    assert "Total charges $0.00" in text


def test_many_visits_run_on_with_the_table_header_repeated(
    provider: PracticeProfile, client: Client, pdf_pages: Pages
) -> None:
    bill = samples.superbill(4)
    visits: list[SuperbillVisit] = [
        replace(v, service_date=v.service_date + timedelta(days=7 * k))
        for k in range(8)
        for v in bill.visits
    ]
    pages = pdf_pages(superbill_pdf(provider, client, replace(bill, visits=tuple(visits)), TODAY))
    assert len(pages) > 1
    for page in pages:
        assert "Chloé O'Brien · DOB Mar 12, 1985" in page
    assert all("CPT" in page for page in pages[:-1])
    assert "Total charges $3,360.00" in _text(pages[-1:])


def test_markup_and_unicode_print_literally(provider: PracticeProfile, pdf_pages: Pages) -> None:
    for given in ("<b>Smith", "Ελένη", "Дмитрий", "김민지", "山田"):
        client = Client(id=7, given_name=given, family_name="& Co</b>")
        bill = replace(samples.superbill(1), referring_physician="Dr. <i>Ng</i> & Partners")
        text = _text(pdf_pages(superbill_pdf(provider, client, bill, TODAY)))
        assert f"{given} & Co</b>" in text
        assert "Dr. <i>Ng</i> & Partners" in text


def test_a_superbill_is_only_for_its_own_client(provider: PracticeProfile, client: Client) -> None:
    with pytest.raises(ValueError, match="client"):
        superbill_pdf(provider, replace(client, id=8), samples.superbill(1), TODAY)


def test_a_superbill_from_the_service_prints_its_codes_and_charges(
    db: Database, provider: PracticeProfile, pdf_pages: Pages
) -> None:
    clients.save_profile(db, provider)
    doctor = clients.create_physician(db, PhysicianForm(name="Dr. Ana Ruiz", npi="1234567893"))
    client = clients.create_client(
        db,
        ClientForm(
            given_name="Ελένη",
            family_name="O'Brien",
            date_of_birth=date(1985, 3, 12),
            physician_id=doctor.id,
        ),
    )
    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("100.00"), 60, (), ("97140",), "59")
    )
    today = date.today()
    plans.create_plan(
        db,
        client.id,
        PlanForm(
            start_date=today - timedelta(days=20),
            frequency_count=1,
            length_weeks=6,
            diagnoses=("M54.50", "M62.830"),
        ),
    )
    for days_ago in (3, 10):
        visit = make_visit(db, client.id, ("myofascial_release", 40), days_ago=days_ago)
        invoice = billing.bill_visit(db, visit, massage.id)
    billing.record_payment(
        db, client.id, PaymentForm(Decimal("100.00"), PaymentMethod.CARD, today, invoice.id)
    )
    bill = superbill(db, client.id, today - timedelta(days=14), today)
    text = _text(pdf_pages(superbill_pdf(provider, client, bill, today)))
    assert "Name Ελένη O'Brien" in text
    assert "Referred by (box 17) Dr. Ana Ruiz" in text
    assert "A M54.50" in text and "B M62.830" in text
    assert text.count("97140 59 Manual therapy techniques · 40 min AB 3 $100.00") == 2
    assert "Total charges $200.00" in text
    assert "Amount paid $100.00" in text
    assert "Balance due $100.00" in text
