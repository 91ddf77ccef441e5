"""The invoice list's filters, on the practice file and on a clinic's server: each filtered list
is the whole list filtered by what each row says, in the same order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from practice.billing import service as billing
from practice.billing.records import (
    InvoiceKind,
    InvoiceStatus,
    InvoiceSummary,
    LineForm,
    PaymentForm,
    PaymentMethod,
)
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.demo import generate
from practice.store.database import Database
from tests.practice.billing.conftest import build_shop

TODAY = date(2026, 6, 1)


def _check_every_filter(db: Database) -> None:
    everything = billing.list_invoices(db)
    assert len(everything) >= 12
    assert len({row.status_code for row in everything}) >= 3
    keys = [(row.issued_day is None, row.issued_day or "", row.id) for row in everything]
    assert keys == sorted(keys, reverse=True)  # drafts first, then the newest

    def same(listed: list[InvoiceSummary], keep: Callable[[InvoiceSummary], bool]) -> None:
        assert listed == [row for row in everything if keep(row)]

    client = everything[len(everything) // 2].client_id
    since = date.fromisoformat(sorted(r.issued_day for r in everything if r.issued_day)[5])
    same(billing.list_invoices(db, client), lambda r: r.client_id == client)
    for status in InvoiceStatus:
        same(billing.list_invoices(db, status=status), lambda r, s=status: r.status_code == str(s))
    for kind in InvoiceKind:
        same(billing.list_invoices(db, kind=kind), lambda r, k=kind: r.kind_code == str(k))
    same(
        billing.list_invoices(db, since=since),
        lambda r: r.issued_day is not None and r.issued_day >= since.isoformat(),
    )
    same(
        billing.list_invoices(db, until=since),
        lambda r: r.issued_day is not None and r.issued_day <= since.isoformat(),
    )
    assert billing.list_invoices(db, limit=7) == everything[:7]
    assert (
        billing.list_invoices(db, status=InvoiceStatus.PAID, limit=3)
        == [r for r in everything if r.status_code == "paid"][:3]
    )
    # One truth: the list's status and balance (worked out in SQL) are those one invoice's own
    # read works out (`_status`, `_balance`), for every row.
    shown = [(row.id, row.status, row.balance) for row in everything]
    invoices = [billing.get_invoice(db, row.id) for row in everything]
    assert shown == [(i.id, i.status, i.balance) for i in invoices]


def _bill(db: Database) -> None:
    """Invoices of three clients in every state: drafts, issued, partly and fully paid, voided
    (with their credit notes), over two years."""
    shop = build_shop(db)
    others = [
        clients.create_client(db, ClientForm(given_name=given, family_name="Ōtsuka")).id
        for given in ("Ana", "Noa")
    ]
    massage = [LineForm(service_id=shop.massage.id)]
    for n, client in enumerate([shop.client_id, *others] * 5):
        invoice = billing.create_invoice(db, client, massage)
        if n % 5 == 4:
            continue  # a draft
        day = date(2024 + n % 2, 1 + n % 12, 1 + n)
        issued = billing.issue_invoice(db, invoice.id, issued_on=day)
        if n % 5 == 1:
            amount = issued.total if n % 2 else issued.total / 2
            form = PaymentForm(amount, PaymentMethod.CARD, received_on=day, invoice_id=issued.id)
            billing.record_payment(db, client, form)
        elif n % 5 == 2 and n < 10:
            billing.void_invoice(db, issued.id, "Billed twice", voided_on=day)


def test_every_filter_of_the_invoice_list_keeps_the_rows_that_match(db: Database) -> None:
    generate(db, clients_count=8, seed=5, today=TODAY)
    _check_every_filter(db)


def test_every_filter_keeps_the_matching_rows_of_invoices_in_every_state(db: Database) -> None:
    _bill(db)
    _check_every_filter(db)


def test_every_filter_of_the_invoice_list_keeps_the_rows_that_match_on_a_server(
    server_db_factory: Any, tmp_path: Path
) -> None:
    db = server_db_factory(tmp_path / "local")
    try:
        _bill(db)  # the demo writes its invoices through sqlite3 alone
        _check_every_filter(db)
    finally:
        db.close()
