"""The demo practice's billing: invoices for most visits, payments, a credit note, packages."""

from __future__ import annotations

from practice.billing import reports
from practice.billing import service as billing
from practice.billing.records import InvoiceKind, InvoiceStatus
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
