"""Payments, refunds, credit, packages and receipts; the ledger always balances (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.billing import service as billing
from practice.billing.records import InvoiceStatus, LineForm, PaymentForm, PaymentMethod
from practice.errors import ValidationError
from tests.practice.billing.conftest import make_visit

D = Decimal


def _issued(shop, price: str = "100.00") -> int:
    draft = billing.create_invoice(
        shop.db, shop.client_id, [LineForm("Massage", unit_price=D(price))]
    )
    return billing.issue_invoice(shop.db, draft.id).id


def test_partial_and_split_payments_settle_an_invoice(shop) -> None:
    first, second = _issued(shop), _issued(shop, "50.00")
    billing.record_payment(
        shop.db, shop.client_id, PaymentForm(D("30.00"), PaymentMethod.CASH, invoice_id=first)
    )
    assert billing.get_invoice(shop.db, first).status is InvoiceStatus.PARTLY_PAID
    billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(
            D("120.00"), PaymentMethod.CARD, allocations=((first, D("70.00")), (second, D("50.00")))
        ),
    )
    assert billing.get_invoice(shop.db, first).status is InvoiceStatus.PAID
    assert billing.get_invoice(shop.db, second).balance == 0
    assert billing.client_account(shop.db, shop.client_id).balance == 0


def test_a_gift_certificate_pays_like_money_and_keeps_its_number(shop) -> None:
    from datetime import date

    from practice.billing import reports

    invoice = _issued(shop)
    payment = billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(
            D("100.00"), PaymentMethod.GIFT_CERTIFICATE, invoice_id=invoice, reference="GC-0042"
        ),
    )
    assert payment.reference == "GC-0042"
    assert billing.get_invoice(shop.db, invoice).status is InvoiceStatus.PAID
    today = date.today()
    by_method = {r.key: r.received for r in reports.revenue(shop.db, today, today).by_method}
    assert by_method == {"Gift certificate": D("100.00")}


def test_paying_more_than_owed_needs_account_credit(shop) -> None:
    invoice = _issued(shop)
    with pytest.raises(ValidationError) as error:
        billing.record_payment(
            shop.db,
            shop.client_id,
            PaymentForm(D("150.00"), PaymentMethod.CASH, invoice_id=invoice),
        )
    assert "amount" in error.value.errors
    assert billing.list_payments(shop.db, shop.client_id) == []
    billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(D("150.00"), PaymentMethod.CASH, invoice_id=invoice, as_credit=True),
    )
    account = billing.client_account(shop.db, shop.client_id)
    assert (account.owed, account.account_credit, account.balance) == (0, D("50.00"), D("-50.00"))
    later = _issued(shop, "40.00")
    billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(D("40.00"), PaymentMethod.ACCOUNT_CREDIT, invoice_id=later),
    )
    assert billing.client_account(shop.db, shop.client_id).account_credit == D("10.00")
    with pytest.raises(ValidationError):  # only 10.00 of credit is left
        billing.record_payment(
            shop.db, shop.client_id, PaymentForm(D("20.00"), PaymentMethod.ACCOUNT_CREDIT)
        )


def test_a_refund_gives_back_credit_only(shop) -> None:
    invoice = _issued(shop)
    payment = billing.record_payment(
        shop.db, shop.client_id, PaymentForm(D("100.00"), PaymentMethod.CARD, invoice_id=invoice)
    )
    with pytest.raises(ValidationError):
        billing.refund_payment(shop.db, payment.id, D("10.00"), "Client asked")
    billing.void_invoice(shop.db, invoice, "Treatment cut short")
    refund = billing.refund_payment(shop.db, payment.id, D("100.00"), "Treatment cut short")
    assert refund.method is PaymentMethod.CARD
    account = billing.client_account(shop.db, shop.client_id)
    assert (account.balance, account.owed, account.credit) == (0, 0, 0)


def test_a_package_is_drawn_down_by_visits_and_pays_them(shop) -> None:
    package = billing.sell_package(shop.db, shop.client_id, shop.package.id, PaymentMethod.CARD)
    assert package.value == D("508.50")  # 450.00 + 13 % on each 90.00 visit
    assert package.remaining == 5
    invoice = billing.bill_visit(shop.db, make_visit(shop.db, shop.client_id, ("effleurage", 50)))
    assert invoice.total == D("101.70")
    assert invoice.status is InvoiceStatus.PAID
    assert "visit 1 of 5" in invoice.lines[0].description
    [left] = billing.packages_for(shop.db, shop.client_id)
    assert (left.remaining, left.remaining_value) == (4, D("406.80"))
    account = billing.client_account(shop.db, shop.client_id)
    assert account.package_credit == D("406.80")
    assert account.balance == -account.credit
    billing.void_invoice(shop.db, invoice.id, "Visit entered twice")
    assert billing.packages_for(shop.db, shop.client_id)[0].remaining == 5


def test_billing_a_visit_twice_is_refused(shop) -> None:
    visit = make_visit(shop.db, shop.client_id, ("effleurage", 50))
    invoice = billing.bill_visit(shop.db, visit)
    assert invoice.lines[0].visit_id == visit
    assert invoice.number is not None
    with pytest.raises(ValidationError, match="already billed"):
        billing.bill_visit(shop.db, visit)


def test_the_first_receipt_is_the_original_then_duplicates(shop) -> None:
    invoice = _issued(shop)
    with pytest.raises(ValidationError):
        billing.issue_receipt(shop.db, invoice)
    billing.record_payment(
        shop.db, shop.client_id, PaymentForm(D("100.00"), PaymentMethod.CASH, invoice_id=invoice)
    )
    first = billing.issue_receipt(shop.db, invoice)
    second = billing.issue_receipt(shop.db, invoice)
    assert (first.duplicate, second.duplicate) == (False, True)
    assert billing.get_invoice(shop.db, invoice).receipts_issued == 2


_STEP = st.one_of(
    st.tuples(st.just("invoice"), st.integers(1, 30000)),
    st.tuples(st.just("pay"), st.integers(1, 40000), st.booleans()),
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(st.just("refund"), st.integers(1, 40000)),
    st.tuples(st.just("credit"), st.integers(1, 20000)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(_STEP, max_size=12))
def test_any_sequence_keeps_the_ledger_consistent(shop, steps) -> None:
    """balance = invoiced - credited - paid + refunded = owed - credit, never below -credit."""
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    cid = clients.create_client(shop.db, ClientForm(given_name="김민지")).id
    issued: list[int] = []
    for step in steps:
        try:
            if step[0] == "invoice":
                draft = billing.create_invoice(
                    shop.db, cid, [LineForm("Massage", unit_price=D(step[1]) / 100)]
                )
                issued.append(billing.issue_invoice(shop.db, draft.id).id)
            elif step[0] == "pay":
                billing.record_payment(
                    shop.db,
                    cid,
                    PaymentForm(D(step[1]) / 100, PaymentMethod.CASH, as_credit=step[2]),
                )
            elif step[0] == "void" and issued:
                billing.void_invoice(shop.db, issued[step[1] % len(issued)], "mistake")
            elif step[0] == "refund":
                for payment in billing.list_payments(shop.db, cid):
                    if payment.method.is_money and payment.unapplied > 0:
                        billing.refund_payment(
                            shop.db, payment.id, min(payment.unapplied, D(step[1]) / 100), "asked"
                        )
                        break
            elif step[0] == "credit":
                billing.record_payment(
                    shop.db, cid, PaymentForm(D(step[1]) / 100, PaymentMethod.ACCOUNT_CREDIT)
                )
        except ValidationError:
            pass  # refused input changes nothing; the checks below prove it
        account = billing.client_account(shop.db, cid)
        assert (
            account.balance == account.invoiced - account.credited - account.paid + account.refunded
        )
        assert account.owed >= 0
        assert account.account_credit >= 0
        assert account.balance == account.owed - account.credit
        invoices = billing.list_invoices(shop.db, cid)
        assert sum(i.balance for i in invoices) == account.owed
        assert all(i.balance >= 0 for i in invoices)


@pytest.mark.parametrize("amount", [D("1E+30"), D("NaN"), D("sNaN"), D("-Infinity"), D("0.001")])
def test_an_impossible_payment_amount_is_refused_with_a_message(shop, amount: Decimal) -> None:
    invoice_id = _issued(shop)
    with pytest.raises(ValidationError) as error:
        billing.record_payment(
            shop.db, shop.client_id, PaymentForm(amount, PaymentMethod.CASH, invoice_id=invoice_id)
        )
    assert set(error.value.errors) == {"amount"}
    assert billing.list_payments(shop.db, shop.client_id) == []


def test_a_payment_dated_in_the_future_or_in_year_1_is_refused(shop) -> None:
    from datetime import date, timedelta

    invoice_id = _issued(shop)
    for day in (date.today() + timedelta(days=1), date(1, 1, 1)):
        form = PaymentForm(D("10.00"), PaymentMethod.CASH, received_on=day, invoice_id=invoice_id)
        with pytest.raises(ValidationError) as error:
            billing.record_payment(shop.db, shop.client_id, form)
        assert set(error.value.errors) == {"received_on"}
    assert billing.list_payments(shop.db, shop.client_id) == []


def test_allocating_twice_to_one_invoice_cannot_pay_it_beyond_its_total(shop) -> None:
    invoice_id = _issued(shop)  # 100.00
    twice = ((invoice_id, D("60.00")), (invoice_id, D("60.00")))
    with pytest.raises(ValidationError, match=r"only 100\.00 owing"):
        billing.record_payment(
            shop.db, shop.client_id, PaymentForm(D("120.00"), PaymentMethod.CARD, allocations=twice)
        )
    assert billing.get_invoice(shop.db, invoice_id).paid == 0


def test_ids_beyond_what_sqlite_holds_are_not_found_rather_than_a_crash(shop) -> None:
    from practice.errors import NotFoundError

    for huge in (2**63, 2**64 + 1, -(2**63) - 1):
        with pytest.raises(NotFoundError):
            billing.record_payment(shop.db, huge, PaymentForm(D("10.00"), PaymentMethod.CASH))
        with pytest.raises(NotFoundError):
            billing.get_invoice(shop.db, huge)
        assert billing.list_payments(shop.db, huge) == []
        assert billing.invoices_for_visit(shop.db, huge) == []
