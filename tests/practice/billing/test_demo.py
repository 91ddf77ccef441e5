"""The demo practice's billing: invoices for most visits, payments, a credit note, packages."""

from __future__ import annotations

from decimal import Decimal

from practice.billing import reports
from practice.billing import service as billing
from practice.billing.records import InvoiceKind, InvoiceStatus, LineForm
from practice.clients import service as clients
from practice.demo import generate


def test_demo_bills_most_visits_and_every_account_balances(db) -> None:
    result = generate(db, clients_count=30, seed=4)
    assert result.invoices > result.visits * 0.6
    notes = billing.list_invoices(db, kind=InvoiceKind.CREDIT_NOTE)
    assert len(notes) == 1
    statuses = {i.status for i in billing.list_invoices(db, kind=InvoiceKind.INVOICE)}
    assert {InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID, InvoiceStatus.VOID} <= statuses
    assert reports.ageing(db).over_90 > 0
    with_packages = 0
    for row in clients.search_clients(db, include_archived=True):
        account = billing.client_account(db, row.id)
        assert account.balance == account.owed - account.credit
        assert account.owed >= 0 and account.account_credit >= 0
        with_packages += bool(account.packages)
    assert with_packages == 2
    numbers = [i.number for i in billing.list_invoices(db, kind=InvoiceKind.INVOICE)]
    assert len(numbers) == len(set(numbers))


def test_every_list_row_says_what_the_invoice_itself_says(db) -> None:
    """The list works status and balance out in SQL, the invoice in Python: they agree on
    drafts, issued, partly paid, paid, void invoices and credit notes; filters pick the rows
    the unfiltered list holds."""
    generate(db, clients_count=12, seed=9)
    someone = billing.list_invoices(db)[0].client_id
    billing.create_invoice(db, someone, [LineForm("Hot stones", unit_price=Decimal("25.00"))])
    rows = billing.list_invoices(db)
    assert {row.status for row in rows} >= {
        InvoiceStatus.DRAFT,
        InvoiceStatus.PAID,
        InvoiceStatus.PARTLY_PAID,
        InvoiceStatus.VOID,
    }
    for row in rows:
        invoice = billing.get_invoice(db, row.id)
        seen = (row.kind, row.status, row.number, row.client_id, row.total, row.paid)
        assert seen == (
            invoice.kind,
            invoice.status,
            invoice.number,
            invoice.client_id,
            invoice.total,
            invoice.paid,
        )
        assert (row.created_on, row.issued_on, row.due_on) == (
            invoice.created_on,
            invoice.issued_on,
            invoice.due_on,
        )
        shown_balance = invoice.balance if row.status is not InvoiceStatus.DRAFT else 0
        assert row.balance == (0 if row.kind is InvoiceKind.CREDIT_NOTE else shown_balance)
    client_id = someone
    for status in InvoiceStatus:
        assert billing.list_invoices(db, client_id, status) == [
            r for r in rows if r.client_id == client_id and r.status is status
        ]
    issued = sorted(r.issued_on for r in rows if r.issued_on)
    since, until = issued[len(issued) // 4], issued[3 * len(issued) // 4]
    assert (
        billing.list_invoices(db, since=since, until=until, limit=5)
        == [r for r in rows if r.issued_on and since <= r.issued_on <= until][:5]
    )
