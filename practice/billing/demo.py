"""Demo billing: a catalogue, a tax rate, invoices for most completed visits, payments, packages.

Invoices are written with bulk inserts (a 10,000-client demo stays quick) in the order the
locking triggers allow: drafts with their lines, then the issue (number, date, status). The few
special cases (a credit note, a refund, packages) go through the service like a person would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from practice.billing import service as billing
from practice.billing.models import (
    InvoiceLineRow,
    InvoiceRow,
    NumberSequenceRow,
    PaymentRow,
)
from practice.billing.money import line_tax, rate_to_milli
from practice.billing.records import (
    MONEY_METHODS,
    PaymentMethod,
    ServiceForm,
    ServiceKind,
    TaxRateForm,
)
from practice.billing.service import render_prefix
from practice.store.base import utcnow
from practice.store.bulk import bulk_transaction
from practice.store.database import Database
from practice.visits.models import VisitRow
from practice.visits.records import VisitStatus

BILLED_SHARE = 0.9  # of completed visits
PAID_SHARE = 0.85  # of invoices, paid on the day
PARTLY_SHARE = 0.06  # of invoices, part paid
# What a massage practice pays in tax, by currency (DOMAIN.md section 7): HST in Ontario, VAT
# above the UK threshold, none on most US massage.
TAXES = {"CAD": ("HST", "13"), "GBP": ("VAT", "20"), "EUR": ("VAT", "19"), "AUD": ("GST", "10")}


@dataclass(frozen=True, slots=True)
class BillingDemoResult:
    invoices: int
    payments: int
    credit_notes: int
    packages: int


def generate_billing(
    db: Database, rng: random.Random, today: date | None = None
) -> BillingDemoResult:
    today = today or date.today()
    currency = billing.practice_currency(db)
    rate_ids: tuple[int, ...] = ()
    if currency in TAXES:
        name, rate = TAXES[currency]
        rate_ids = (
            billing.save_tax_rate(db, TaxRateForm(name, Decimal(rate), "812345678RT0001")).id,
        )
    sixty = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("110.00"), 60, rate_ids, ("97124",))
    )
    ninety = billing.save_service(
        db, ServiceForm("90-min medical massage", Decimal("155.00"), 90, rate_ids, ("97124",))
    )
    thirty = billing.save_service(
        db, ServiceForm("30-min focused treatment", Decimal("65.00"), 30, rate_ids, ("97140",))
    )
    package = billing.save_service(
        db,
        ServiceForm(
            "5 x 60-min medical massage",
            Decimal("495.00"),
            None,
            rate_ids,
            kind=ServiceKind.PACKAGE,
            package_visits=5,
            package_service_id=sixty.id,
        ),
    )
    services = [(30, thirty), (60, sixty), (90, ninety)]
    taxes = tuple(
        (r.id, r.name, rate_to_milli(r.rate), r.registration)
        for r in billing.list_tax_rates(db)
        if r.id in rate_ids
    )
    with db.read() as session:
        visits = session.execute(
            select(VisitRow.id, VisitRow.client_id, VisitRow.starts_at, VisitRow.duration_minutes)
            .where(VisitRow.status == str(VisitStatus.COMPLETED))
            .order_by(VisitRow.starts_at, VisitRow.id)
        ).all()
        first_invoice = (session.scalar(select(func.max(InvoiceRow.id))) or 0) + 1
        first_payment = (session.scalar(select(func.max(PaymentRow.id))) or 0) + 1
        first_line = (session.scalar(select(func.max(InvoiceLineRow.id))) or 0) + 1
    # The last visits of two clients are kept for the package demo below.
    package_clients = list(dict.fromkeys(v.client_id for v in reversed(visits)))[:2]
    kept = {next(v.id for v in reversed(visits) if v.client_id == cid) for cid in package_clients}
    rows = _Rows(first_invoice, first_payment, first_line)
    nearest: dict[int, Any] = {}  # the service of the closest length, by visit length
    for visit in visits:
        if visit.id in kept or rng.random() > BILLED_SHARE:
            continue
        minutes = visit.duration_minutes
        service = nearest.get(minutes)
        if service is None:
            service = nearest[minutes] = min(services, key=lambda s: abs(s[0] - minutes))[1]
        day = visit.starts_at.astimezone().date()
        rows.add(rng, visit, service.id, service.name, service.price, taxes, day, today)
    _insert(db, rows)
    credit_notes = packages = 0
    paid = [i for i, amount in rows.paid_in_full.items() if amount]
    if paid:
        voided = rng.choice(paid)
        billing.void_invoice(db, voided, "Billed at the wrong rate; re-issued", voided_on=today)
        credit_notes = 1
        payment = billing.list_payments(db, invoice_id=voided)[0]
        billing.refund_payment(db, payment.id, payment.amount, "Overpaid: refunded by e-transfer")
    for client_id in package_clients:
        billing.sell_package(db, client_id, package.id, PaymentMethod.CARD, received_on=today)
        visit_id = next(v.id for v in reversed(visits) if v.client_id == client_id)
        billing.bill_visit(db, visit_id, sixty.id, issued_on=today)
        packages += 1
    return BillingDemoResult(
        invoices=len(rows.invoices) + 2 * packages,
        payments=len(rows.payments) + 3 * packages,
        credit_notes=credit_notes,
        packages=packages,
    )


def _stamp(moment: datetime) -> str:
    """A UTC instant as SQLAlchemy writes DateTime to SQLite (naive UTC, microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class _Rows:
    """Row tuples for the raw bulk insert, in the column order of the SQL in `_insert`."""

    def __init__(self, next_invoice: int, next_payment: int, next_line: int) -> None:
        self.next_invoice = next_invoice
        self.next_payment = next_payment
        self.next_line = next_line
        self.now = _stamp(utcnow())
        self.invoices: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.taxes: list[tuple[Any, ...]] = []
        self.issues: list[tuple[int, date]] = []
        self.payments: list[tuple[Any, ...]] = []
        self.allocations: list[tuple[Any, ...]] = []
        self.paid_in_full: dict[int, int] = {}

    def add(
        self,
        rng: random.Random,
        visit: Any,
        service_id: int,
        name: str,
        price: Decimal,
        taxes: tuple[tuple[int, str, int, str], ...],
        day: date,
        today: date,
    ) -> None:
        invoice_id, line_id = self.next_invoice, self.next_line
        self.next_invoice += 1
        self.next_line += 1
        net = int(price * 100)
        amounts = [line_tax(net, milli) for _, _, milli, _ in taxes]
        total = net + sum(amounts)
        iso = day.isoformat()
        self.invoices.append(
            (invoice_id, visit.client_id, iso, net, sum(amounts), total, self.now, self.now)
        )
        self.lines.append(
            (line_id, invoice_id, name, service_id, net, net, sum(amounts), visit.id, iso)
        )
        for (rate_id, tax_name, milli, registration), amount in zip(taxes, amounts, strict=True):
            self.taxes.append((line_id, rate_id, tax_name, milli, registration, amount))
        self.issues.append((invoice_id, day))
        roll = rng.random()
        recent = (today - day).days < 14
        if roll < PAID_SHARE and not (recent and roll > 0.75):
            self._pay(rng, visit.client_id, invoice_id, total, iso)
            self.paid_in_full[invoice_id] = total
        elif roll < PAID_SHARE + PARTLY_SHARE:
            self._pay(rng, visit.client_id, invoice_id, total // 2, iso)

    def _pay(
        self, rng: random.Random, client_id: int, invoice_id: int, cents: int, iso: str
    ) -> None:
        payment_id = self.next_payment
        self.next_payment += 1
        method = rng.choice([*MONEY_METHODS[:4], MONEY_METHODS[1]])  # card is the usual
        self.payments.append((payment_id, client_id, str(method), cents, iso, self.now))
        self.allocations.append((payment_id, invoice_id, cents, self.now))


_SQL = {
    "invoice": "INSERT INTO invoice (id, kind, client_id, status, created_on, currency, notes, "
    "terms, subtotal_cents, discount_cents, tax_cents, total_cents, void_reason, created_at, "
    "created_by, updated_at) VALUES (?, 'invoice', ?, 'draft', ?, '{currency}', '', '', ?, 0, "
    "?, ?, '', ?, 'demo', ?)",
    "line": "INSERT INTO invoice_line (id, invoice_id, position, description, service_id, "
    "quantity, unit_price_cents, discount_cents, net_cents, tax_cents, visit_id, service_date) "
    "VALUES (?, ?, 0, ?, ?, 1, ?, 0, ?, ?, ?, ?)",
    "tax": "INSERT INTO invoice_line_tax (line_id, tax_rate_id, name, rate_milli, registration, "
    "amount_cents) VALUES (?, ?, ?, ?, ?, ?)",
    "issue": "UPDATE invoice SET status = 'issued', number = ?, issued_on = ?, issued_at = ?, "
    "due_on = ? WHERE id = ?",
    "payment": "INSERT INTO payment (id, client_id, method, amount_cents, received_on, "
    "reference, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, '', '', ?, 'demo')",
    "allocation": "INSERT INTO payment_allocation (payment_id, invoice_id, amount_cents, "
    "created_at) VALUES (?, ?, ?, ?)",
}


def _insert(db: Database, rows: _Rows) -> None:
    """Drafts and lines first, then the issue (the triggers lock issued invoices).

    Plain sqlite3 executemany in the service's transaction: the demo writes tens of thousands
    of rows, and the values are already in the form SQLAlchemy would store.
    """
    if not rows.invoices:
        return
    settings = billing.get_settings(db)
    currency = billing.practice_currency(db)
    counters: dict[str, int] = {}
    issues = []
    for invoice_id, day in sorted(rows.issues, key=lambda r: (r[1], r[0])):
        prefix = render_prefix(settings.invoice_prefix, day.year)
        counters[prefix] = counters.get(prefix, 0) + 1
        number = f"{prefix}{counters[prefix]:0{settings.number_digits}d}"
        due = day + timedelta(days=settings.payment_terms_days)
        issues.append((number, day.isoformat(), rows.now, due.isoformat(), invoice_id))
    with bulk_transaction(db) as session:
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(_SQL["invoice"].format(currency=currency), rows.invoices)
        cursor.executemany(_SQL["line"], rows.lines)
        cursor.executemany(_SQL["tax"], rows.taxes)
        cursor.executemany(_SQL["issue"], issues)
        cursor.executemany(_SQL["payment"], rows.payments)
        cursor.executemany(_SQL["allocation"], rows.allocations)
        cursor.close()
        for prefix, count in counters.items():
            session.merge(NumberSequenceRow(key=f"invoice:{prefix}", next_value=count + 1))
