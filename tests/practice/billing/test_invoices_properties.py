"""Property tests of invoices: drafts, lines, issuing, billing visits and credit notes.

Any price, discount, quantity, tax, date or id: only the project's own errors; a refusal
changes nothing; every invoice saved adds up, in cents, within bounds, on a plausible date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from practice.billing import service as billing
from practice.billing.money import MAX_AMOUNT
from practice.billing.records import Invoice, InvoiceStatus, LineForm
from practice.bounds import PLANNING_HORIZON
from practice.store import Database
from tests.practice.billing.conftest import Shop, make_visit
from tests.practice.fuzz import (
    KNOWN,
    days,
    floats,
    forms,
    fuzz,
    huge_ints,
    ids,
    known,
    long_reprs,
    money,
    mostly,
    name_text,
    outcome,
    recent_days,
    row_ids,
    text,
    whole,
)

pytestmark = long_reprs
TODAY = date.today()


def line_forms(service_id: int, rate_id: int, junk: bool = True) -> st.SearchStrategy[LineForm]:
    """Invoice lines for the massage or typed by hand; with `junk`, up to two fields are junk."""
    valid = {
        "description": st.just("") | name_text,
        "service_id": st.sampled_from([service_id, None]),
        "quantity": st.integers(1, 3),
        "unit_price": st.decimals(min_value=1, max_value=200, places=2),
        "discount": st.decimals(min_value=0, max_value=1, places=2),
        "tax_rate_ids": st.none() | st.just((rate_id,)),
        "service_date": st.none() | recent_days,
    }
    bad = {
        "description": text,
        "service_id": row_ids,
        "quantity": whole(1, 1000),
        "unit_price": st.none() | money,
        "discount": money,
        "tax_rate_ids": st.lists(row_ids, max_size=2).map(tuple),
        "visit_id": row_ids,
        "service_date": days,
    }
    return forms(LineForm, valid, bad if junk else {})


def _adds_up(invoice: Invoice) -> None:
    lines = invoice.lines
    assert invoice.subtotal == sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    assert invoice.total == invoice.subtotal - invoice.discount_total + invoice.tax_total
    assert all(0 <= line.discount <= line.unit_price * line.quantity for line in lines)
    assert all(0 <= line.unit_price <= MAX_AMOUNT for line in lines)
    assert invoice.created_on <= TODAY + PLANNING_HORIZON


@fuzz
@given(
    data=st.data(),
    which=mostly(st.just(KNOWN), row_ids),
    notes=st.none() | text,
    created_on=st.none() | mostly(recent_days, days),
    issued_on=st.none() | mostly(recent_days, days),
    reason=mostly(name_text, text),
    line_id=row_ids,
)
def test_drafts_are_refused_or_saved_adding_up_then_issued_and_voided(
    shared_shop: Shop,
    data: st.DataObject,
    which: object,
    notes: str | None,
    created_on: date | None,
    issued_on: date | None,
    reason: str,
    line_id: object,
) -> None:
    db: Database = shared_shop.db
    massage, hst = shared_shop.massage.id, shared_shop.hst.id
    lines = mostly(
        st.lists(line_forms(massage, hst, junk=False), min_size=1, max_size=3),
        st.lists(line_forms(massage, hst), max_size=3),
    )
    draft = outcome(
        db,
        lambda: billing.create_invoice(
            db,
            known(which, shared_shop.client_id),
            data.draw(lines),
            notes=notes,
            created_on=created_on,
        ),
    )
    if draft is None:
        return
    _adds_up(draft)
    changed = outcome(db, lambda: billing.update_draft(db, draft.id, data.draw(lines), terms=notes))
    if changed is not None:
        _adds_up(changed)
    extra = data.draw(line_forms(massage, hst))
    outcome(db, lambda: billing.add_line(db, draft.id, extra))
    current = billing.get_invoice(db, draft.id)
    first = current.lines[0].id if current.lines else 1
    outcome(db, lambda: billing.remove_line(db, draft.id, known(line_id, first)))
    issued = outcome(db, lambda: billing.issue_invoice(db, draft.id, issued_on=issued_on))
    if issued is None:
        outcome(db, lambda: billing.delete_draft(db, draft.id))
        return
    _adds_up(issued)
    assert issued.number and issued.issued_on is not None
    note = outcome(db, lambda: billing.void_invoice(db, issued.id, reason, voided_on=issued_on))
    if note is not None:
        assert note.total == issued.total and note.credits_invoice_id == issued.id


@fuzz
@given(
    visits=mostly(st.just([KNOWN]), st.lists(row_ids, max_size=3)),
    service=mostly(st.none(), row_ids),
    issue=st.booleans(),
    use_package=st.booleans(),
    issued_on=st.none() | mostly(recent_days, days),
    days_ago=st.integers(1, 30),
)
def test_billing_any_visits_refuses_or_makes_one_invoice_that_adds_up(
    shared_shop: Shop,
    visits: list[object],
    service: object,
    issue: bool,
    use_package: bool,
    issued_on: date | None,
    days_ago: int,
) -> None:
    db = shared_shop.db
    visit_id = make_visit(db, shared_shop.client_id, ("effleurage", 30), days_ago=days_ago)
    chosen = [known(v, visit_id) for v in visits]
    service_id = None if service is None else known(service, shared_shop.massage.id)
    invoice = outcome(
        db,
        lambda: billing.bill_visits(
            db, chosen, service_id, issue=issue, use_package=use_package, issued_on=issued_on
        ),
    )
    if invoice is not None:
        _adds_up(invoice)
        assert {line.visit_id for line in invoice.lines} == set(chosen)
        assert all(line.service_date <= TODAY for line in invoice.lines if line.service_date)
    for read in (billing.invoices_for_visit, billing.receipts_for):
        outcome(db, lambda read=read: read(db, visits[0] if visits else visit_id))  # type: ignore[misc]
    outcome(db, lambda: billing.list_invoices(db, known(service, shared_shop.client_id)))
    assert all(
        i.issued_on is None or i.issued_on <= TODAY + timedelta(days=800)
        for i in billing.list_invoices(db)
    )


@fuzz
@given(
    client=ids(),
    status=st.none() | st.sampled_from(list(InvoiceStatus)) | st.text(max_size=12),
    since=st.none() | days | st.integers(),
    until=st.none() | days | st.text(max_size=10),
    limit=st.none() | whole(-5, 50) | huge_ints | floats,
)
def test_the_invoice_list_refuses_bad_filters_plainly_and_lists_only_what_they_ask(
    shared_shop: Shop, client: object, status: object, since: object, until: object, limit: object
) -> None:
    db = shared_shop.db
    rows = outcome(
        db,
        lambda: billing.list_invoices(
            db,
            client,
            status,
            since=since,
            until=until,
            limit=limit,  # type: ignore[arg-type]
        ),
    )
    if rows is None:
        return
    if isinstance(limit, int):
        assert len(rows) <= limit
    for row in rows:
        assert client is None or row.client_id == client
        assert status is None or row.status == status
        assert since is None or (row.issued_on is not None and row.issued_on >= since)
        assert until is None or (row.issued_on is not None and row.issued_on <= until)
