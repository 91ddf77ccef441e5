"""Invoice lines and their taxes: checked, written and totalled inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.billing.models import (
    InvoiceLineRow,
    InvoiceLineTaxRow,
    InvoiceRow,
    ServiceRow,
    ServiceTaxRow,
    TaxRateRow,
)
from practice.billing.money import from_cents, line_tax, to_cents
from practice.billing.records import LineForm, ServiceKind
from practice.billing.rules import (
    MAX_QUANTITY,
    Errors,
    invoice_day_errors,
    price_errors,
    tax_rate_errors,
)
from practice.bounds import is_whole
from practice.errors import LockedRecordError, ValidationError
from practice.store.rows import get_or_raise, is_id
from practice.text import single_line
from practice.visits.models import VisitRow


@dataclass(frozen=True, slots=True)
class TaxSpec:
    tax_rate_id: int | None
    name: str
    rate_milli: int
    registration: str


def write_lines(
    session: Session, invoice: InvoiceRow, lines: Sequence[LineForm], start: int = 0
) -> None:
    """Validate every line first, then write them all (nothing is written if one is wrong)."""
    errors: Errors = {}
    checked = []
    for index, form in enumerate(lines):
        values, line_errors = _checked_line(session, invoice, form)
        prefix = f"Line {start + index + 1}: " if len(lines) > 1 or start else ""
        for name, message in line_errors.items():
            errors.setdefault(name, prefix + message)
        checked.append(values)
    if errors:
        raise ValidationError(errors)
    for index, (columns, taxes) in enumerate(checked):
        insert_line(session, invoice.id, start + index, columns, taxes)
    session.flush()
    store_totals(session, invoice)


def insert_line(
    session: Session,
    invoice_id: int,
    position: int,
    columns: dict[str, Any],
    taxes: Sequence[TaxSpec],
) -> InvoiceLineRow:
    net = columns["unit_price_cents"] * columns["quantity"] - columns["discount_cents"]
    amounts = [line_tax(net, tax.rate_milli) for tax in taxes]
    line = InvoiceLineRow(
        invoice_id=invoice_id, position=position, net_cents=net, tax_cents=sum(amounts), **columns
    )
    session.add(line)
    session.flush()
    for tax, amount in zip(taxes, amounts, strict=True):
        session.add(
            InvoiceLineTaxRow(
                line_id=line.id,
                tax_rate_id=tax.tax_rate_id,
                name=tax.name,
                rate_milli=tax.rate_milli,
                registration=tax.registration,
                amount_cents=amount,
            )
        )
    return line


def _checked_line(
    session: Session, invoice: InvoiceRow, form: LineForm
) -> tuple[tuple[dict[str, Any], list[TaxSpec]], Errors]:
    errors: Errors = {}
    service = session.get(ServiceRow, form.service_id) if is_id(form.service_id) else None
    if form.service_id is not None and (service is None or service.archived):
        errors["service_id"] = "That service is not in the catalogue (or is archived)."
    if service is not None and service.kind == ServiceKind.PACKAGE:
        errors["service_id"] = "Sell a package with sell_package; it is paid in advance."
    description = single_line(form.description) or (service.name if service else "")
    if not description:
        errors["description"] = "Describe the line or choose a service."
    if form.service_date is not None:
        errors |= invoice_day_errors("service_date", form.service_date, "The date of service")
    if not is_whole(form.quantity) or not 1 <= form.quantity <= MAX_QUANTITY:
        errors["quantity"] = f"The quantity is a whole number from 1 to {MAX_QUANTITY}."
    price = form.unit_price
    if price is None:
        price = from_cents(service.price_cents) if service else None
    if price is None:
        errors["unit_price"] = "Enter a price or choose a service."
    else:
        errors.update(price_errors("unit_price", price))
    errors.update(price_errors("discount", form.discount, what="A discount"))
    if not errors and price is not None and form.discount > price * form.quantity:
        errors["discount"] = "The discount is more than the line."
    rate_ids = form.tax_rate_ids
    if rate_ids is None:
        rate_ids = service_rate_ids(session, service.id) if service else ()
    errors.update(tax_rate_errors(session, rate_ids))
    visit = session.get(VisitRow, form.visit_id) if is_id(form.visit_id) else None
    if form.visit_id is not None and (visit is None or visit.client_id != invoice.client_id):
        errors["visit_id"] = "That visit is not one of this client's."
    if errors:
        return ({}, []), errors
    assert price is not None
    service_date = form.service_date or (visit.starts_at.astimezone().date() if visit else None)
    columns = {
        "description": description,
        "service_id": service.id if service else None,
        "quantity": form.quantity,
        "unit_price_cents": to_cents(price),
        "discount_cents": to_cents(form.discount),
        "visit_id": form.visit_id,
        "service_date": service_date,
    }
    rates = [session.get(TaxRateRow, rid) for rid in dict.fromkeys(rate_ids)]
    taxes = [TaxSpec(r.id, r.name, r.rate_milli, r.registration) for r in rates if r]
    return (columns, taxes), errors


def service_rate_ids(session: Session, service_id: int) -> tuple[int, ...]:
    query = select(ServiceTaxRow.tax_rate_id).where(ServiceTaxRow.service_id == service_id)
    return tuple(session.scalars(query.order_by(ServiceTaxRow.tax_rate_id)))


def store_totals(session: Session, row: InvoiceRow) -> None:
    lines = line_rows(session, row.id)
    row.subtotal_cents = sum(line.unit_price_cents * line.quantity for line in lines)
    row.discount_cents = sum(line.discount_cents for line in lines)
    row.tax_cents = sum(line.tax_cents for line in lines)
    row.total_cents = row.subtotal_cents - row.discount_cents + row.tax_cents


def delete_line(session: Session, line: InvoiceLineRow) -> None:
    for tax in tax_rows(session, line.id):
        session.delete(tax)
    session.flush()
    session.delete(line)


def line_rows(session: Session, invoice_id: int) -> list[InvoiceLineRow]:
    query = select(InvoiceLineRow).where(InvoiceLineRow.invoice_id == invoice_id)
    return list(session.scalars(query.order_by(InvoiceLineRow.position, InvoiceLineRow.id)))


def tax_rows(session: Session, line_id: int) -> list[InvoiceLineTaxRow]:
    query = select(InvoiceLineTaxRow).where(InvoiceLineTaxRow.line_id == line_id)
    return list(session.scalars(query.order_by(InvoiceLineTaxRow.id)))


def draft_row(session: Session, invoice_id: int) -> InvoiceRow:
    row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
    if row.status != "draft":
        raise LockedRecordError(
            f"Invoice {row.number} is issued and cannot be changed; void it with a credit note."
        )
    return row
