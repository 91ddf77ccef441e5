"""Property tests of money received and paid back: payments, refunds, packages, receipts.

Any amount, method, date, allocation or id: only the project's own errors; a refusal changes
nothing; no payment is dated after today; no invoice is paid beyond its total; the client's
credit never goes below zero.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from practice.billing import service as billing
from practice.billing.records import (
    MONEY_METHODS,
    InvoiceKind,
    InvoiceStatus,
    LineForm,
    PaymentForm,
    PaymentMethod,
)
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from tests.practice.billing.conftest import Shop
from tests.practice.fuzz import (
    KNOWN,
    days,
    enum_or_junk,
    forms,
    fuzz,
    known,
    long_reprs,
    money,
    mostly,
    name_text,
    outcome,
    recent_days,
    row_ids,
    text,
)

pytestmark = long_reprs
TODAY = date.today()
amounts = mostly(st.decimals(min_value=1, max_value=50, places=2), money)


def _new_client(shop: Shop) -> int:
    """A client of their own for each example, so the ledger checked stays small."""
    return clients.create_client(shop.db, ClientForm("Chloé", "O'Brien")).id


def _open_invoice(shop: Shop, client_id: int) -> int:
    draft = billing.create_invoice(shop.db, client_id, [LineForm(service_id=shop.massage.id)])
    return billing.issue_invoice(shop.db, draft.id).id


def _ledger_holds(db: Database, client_id: int) -> None:
    account = billing.client_account(db, client_id)
    assert account.account_credit >= 0 and account.package_credit >= 0
    for summary in billing.list_invoices(db, client_id, kind=InvoiceKind.INVOICE):
        if summary.status is not InvoiceStatus.VOID:
            assert 0 <= summary.paid <= summary.total
    for payment in billing.list_payments(db, client_id):
        assert payment.amount > 0 and payment.received_on <= TODAY


@fuzz
@given(
    data=st.data(),
    which=mostly(st.just(KNOWN), row_ids),
    target=st.sampled_from(["invoice", "allocations", "oldest", "credit"]),
    invoice=mostly(st.just(KNOWN), row_ids),
)
def test_payments_are_refused_or_recorded_without_overpaying_anything(
    shared_shop: Shop, data: st.DataObject, which: object, target: str, invoice: object
) -> None:
    db = shared_shop.db
    client_id = _new_client(shared_shop)
    invoice_id = known(invoice, _open_invoice(shared_shop, client_id))
    form = data.draw(
        forms(
            PaymentForm,
            valid={
                "amount": st.decimals(min_value=1, max_value=150, places=2),
                "method": st.sampled_from(MONEY_METHODS),
                "received_on": st.none() | recent_days,
                "invoice_id": st.just(invoice_id if target == "invoice" else None),
                "allocations": st.lists(
                    st.tuples(st.just(invoice_id), st.decimals(1, 60, places=2)), max_size=2
                ).map(tuple)
                if target == "allocations"
                else st.just(()),
                "as_credit": st.just(target == "credit"),
                "reference": name_text | st.just(""),
                "note": text,
            },
            junk={
                "amount": money,
                "method": enum_or_junk(PaymentMethod),
                "received_on": days,
                "invoice_id": row_ids,
                "allocations": st.lists(st.tuples(row_ids, money), min_size=1, max_size=2).map(
                    tuple
                ),
                "reference": text,
            },
        )
    )
    payment = outcome(db, lambda: billing.record_payment(db, known(which, client_id), form))
    if payment is not None:
        assert payment.amount == form.amount and payment.received_on <= TODAY
    _ledger_holds(db, client_id)
    outcome(db, lambda: billing.issue_receipt(db, invoice_id))
    outcome(db, lambda: billing.list_payments(db, which, invoice_id=invoice))  # type: ignore[arg-type]


@fuzz
@given(
    amount=amounts,
    reason=mostly(name_text, text),
    refunded_on=st.none() | mostly(recent_days, days),
    method=st.none() | enum_or_junk(PaymentMethod),
    which=mostly(st.just(KNOWN), row_ids),
)
def test_refunds_are_refused_or_paid_from_credit_only(
    shared_shop: Shop,
    amount: object,
    reason: str,
    refunded_on: date | None,
    method: object,
    which: object,
) -> None:
    db = shared_shop.db
    client_id = _new_client(shared_shop)
    credit = billing.record_payment(
        db,
        client_id,
        PaymentForm(Decimal("50.00"), PaymentMethod.CASH, as_credit=True, allocations=()),
    )
    payment_id = known(which, credit.id)
    refund = outcome(
        db,
        lambda: billing.refund_payment(
            db,
            payment_id,
            amount,
            reason,
            refunded_on=refunded_on,
            method=method,  # type: ignore[arg-type]
        ),
    )
    if refund is not None:
        assert 0 < refund.amount <= Decimal("50.00") and refund.refunded_on <= TODAY
        assert refund.method.is_money
    _ledger_holds(db, client_id)


@fuzz
@given(
    which=mostly(st.just(KNOWN), row_ids),
    package=mostly(st.just(KNOWN), row_ids),
    method=mostly(st.sampled_from(MONEY_METHODS), enum_or_junk(PaymentMethod)),
    received_on=st.none() | mostly(recent_days, days),
    reference=mostly(name_text, text),
)
def test_packages_are_refused_or_sold_for_what_they_are_worth(
    shared_shop: Shop,
    which: object,
    package: object,
    method: object,
    received_on: date | None,
    reference: str,
) -> None:
    db = shared_shop.db
    own = _new_client(shared_shop)
    client_id = known(which, own)
    sold = outcome(
        db,
        lambda: billing.sell_package(
            db,
            client_id,
            known(package, shared_shop.package.id),
            method,  # type: ignore[arg-type]
            received_on=received_on,
            reference=reference,
        ),
    )
    if sold is not None:
        assert sold.bought_on <= TODAY and sold.remaining_value == sold.value > 0
    _ledger_holds(db, own)
    outcome(db, lambda: billing.packages_for(db, client_id, include_used=True))
    outcome(db, lambda: billing.client_account(db, client_id))
