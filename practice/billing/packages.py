"""Prepaid packages: sold as a payment, drawn on visit by visit as invoices are issued."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.billing.ledger import package_drawn, package_used, payment_method, refunded_cents
from practice.billing.lines import TaxSpec, insert_line, service_rate_ids
from practice.billing.models import (
    AllocationRow,
    InvoiceLineRow,
    InvoiceRow,
    PackageRow,
    PaymentRow,
    ServiceRow,
    TaxRateRow,
)
from practice.billing.money import from_cents, line_tax, split_cents, to_cents
from practice.billing.records import InvoiceKind, Package, PaymentMethod, ServiceKind
from practice.billing.rules import current_day
from practice.bounds import day_errors
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.text import single_line


def sell_package(
    db: Database,
    client_id: int,
    service_id: int,
    method: PaymentMethod,
    *,
    received_on: date | None = None,
    reference: str = "",
) -> Package:
    """Sell a prepaid package, paid now in full (price plus the tax of each visit).

    Each visit billed later is priced at its share of the package and paid from it; the receipt
    of that visit shows the date of service, as insurers require.
    """
    paid_with = payment_method(method)
    if not paid_with.is_money:
        raise ValidationError({"method": "A package is bought with money."})
    if received_on is not None and (
        errors := day_errors("received_on", received_on, current_day(), what="The payment date")
    ):
        raise ValidationError(errors)
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        service = get_or_raise(session, ServiceRow, service_id, "service")
        if service.kind != ServiceKind.PACKAGE or service.archived:
            raise ValidationError({"service_id": "Choose a package from the catalogue."})
        assert service.package_visits and service.package_service_id
        rates = [session.get(TaxRateRow, rid) for rid in service_rate_ids(session, service.id)]
        taxes = [[r.id, r.name, r.rate_milli, r.registration] for r in rates if r]
        shares = split_cents(service.price_cents, service.package_visits)
        value = sum(net + sum(line_tax(net, t[2]) for t in taxes) for net in shares)
        day = received_on or current_day()
        package = PackageRow(
            client_id=client.id,
            service_id=service.id,
            visit_service_id=service.package_service_id,
            name=service.name,
            visits=service.package_visits,
            price_cents=service.price_cents,
            value_cents=value,
            taxes=taxes,
            bought_on=day,
        )
        session.add(package)
        session.flush()
        payment = PaymentRow(
            client_id=client.id,
            method=str(paid_with),
            amount_cents=value,
            received_on=day,
            reference=single_line(reference),
            note=f"Package: {service.name}",
            package_id=package.id,
            created_by=db.actor,
        )
        session.add(payment)
        session.flush()
        audit.log(
            db,
            session,
            action="create",
            entity="package",
            entity_id=package.id,
            client_id=client.id,
            summary=f"Package sold: {service.name} for {from_cents(value)} ({paid_with.label})",
        )
        return _package(session, package)


def packages_for(db: Database, client_id: int, *, include_used: bool = False) -> list[Package]:
    """A client's packages, oldest first; by default only those with visits left."""
    if not is_id(client_id):
        return []
    with db.read() as session:
        return [p for p in client_packages(session, client_id) if include_used or p.remaining > 0]


def client_packages(session: Session, client_id: int) -> list[Package]:
    rows = session.scalars(
        select(PackageRow).where(PackageRow.client_id == client_id).order_by(PackageRow.id)
    )
    return [_package(session, row) for row in rows]


def _package(session: Session, row: PackageRow) -> Package:
    purchase = session.scalar(
        select(PaymentRow).where(
            PaymentRow.package_id == row.id,
            PaymentRow.method != str(PaymentMethod.PACKAGE_CREDIT),
        )
    )
    assert purchase is not None
    refunded = refunded_cents(session, purchase.id)
    drawn = package_drawn(session, row.id)
    return Package(
        id=row.id,
        client_id=row.client_id,
        service_id=row.service_id,
        name=row.name,
        visit_service_id=row.visit_service_id,
        visits=row.visits,
        used=package_used(session, row.id),
        price=from_cents(row.price_cents),
        value=from_cents(row.value_cents),
        remaining_value=from_cents(row.value_cents - drawn - refunded),
        bought_on=row.bought_on,
        payment_id=purchase.id,
        closed=refunded > 0,
    )


def open_package(session: Session, client_id: int, service_id: int) -> PackageRow | None:
    rows = session.scalars(
        select(PackageRow)
        .where(PackageRow.client_id == client_id, PackageRow.visit_service_id == service_id)
        .order_by(PackageRow.bought_on, PackageRow.id)
    )
    for row in rows:
        if _package(session, row).remaining > 0:
            return row
    return None


def write_package_line(
    session: Session,
    invoice: InvoiceRow,
    position: int,
    service: ServiceRow,
    package: PackageRow,
    visit_id: int,
    day: date,
) -> None:
    """The visit at its share of what is left of the package, taxed as the package was sold."""
    used = package_used(session, package.id)
    drawn_net = (
        session.scalar(
            select(func.coalesce(func.sum(InvoiceLineRow.net_cents), 0))
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(
                InvoiceLineRow.package_id == package.id,
                InvoiceRow.kind == str(InvoiceKind.INVOICE),
                InvoiceRow.status != "void",
            )
        )
        or 0
    )
    net = split_cents(package.price_cents - drawn_net, package.visits - used)[0]
    line = insert_line(
        session,
        invoice.id,
        position,
        {
            "description": f"{service.name} ({package.name}, visit {used + 1} of {package.visits})",
            "service_id": service.id,
            "quantity": 1,
            "unit_price_cents": net,
            "discount_cents": 0,
            "visit_id": visit_id,
            "service_date": day,
        },
        [TaxSpec(t[0], t[1], t[2], t[3]) for t in package.taxes],
    )
    line.package_id = package.id
    session.flush()


def pay_from_packages(
    db: Database, session: Session, invoice: InvoiceRow, lines: list[InvoiceLineRow], day: date
) -> None:
    for line in lines:
        if line.package_id is None:
            continue
        package = session.get(PackageRow, line.package_id)
        assert package is not None
        info = _package(session, package)
        amount = min(line.net_cents + line.tax_cents, to_cents(info.remaining_value))
        if amount <= 0:
            continue
        payment = PaymentRow(
            client_id=invoice.client_id,
            method=str(PaymentMethod.PACKAGE_CREDIT),
            amount_cents=amount,
            received_on=day,
            note=f"From package: {package.name}",
            package_id=package.id,
            created_by=db.actor,
        )
        session.add(payment)
        session.flush()
        session.add(
            AllocationRow(payment_id=payment.id, invoice_id=invoice.id, amount_cents=amount)
        )
        session.flush()
