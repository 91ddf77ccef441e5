"""The catalogue: tax rates and services (treatments, packages, fees); all audited."""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.billing.models import ServiceRow, ServiceTaxRow, TaxRateRow
from practice.billing.money import from_cents, rate_from_milli, rate_to_milli, to_cents
from practice.billing.records import Service, ServiceForm, ServiceKind, TaxRate, TaxRateForm
from practice.billing.rules import (
    MAX_DURATION_MINUTES,
    MAX_NAME,
    MAX_PACKAGE_VISITS,
    MAX_TAX_NAME,
    Errors,
    existing,
    is_decimal,
    price_errors,
    tax_rate_errors,
)
from practice.bounds import is_whole
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id, name_taken
from practice.text import clean, name_key, single_line


def list_tax_rates(db: Database, *, include_archived: bool = False) -> list[TaxRate]:
    with db.read() as session:
        query = select(TaxRateRow).order_by(TaxRateRow.name, TaxRateRow.id)
        if not include_archived:
            query = query.where(TaxRateRow.archived.is_(False))
        return [_tax_rate(row) for row in session.scalars(query)]


def save_tax_rate(db: Database, form: TaxRateForm, tax_rate_id: int | None = None) -> TaxRate:
    """Add a tax rate, or change one. Invoices already issued keep the rate they were issued at."""
    form = _checked_tax_rate(form)
    with db.transaction() as session:
        row = existing(session, TaxRateRow, tax_rate_id, "tax rate")
        key = name_key(form.name)
        if name_taken(session, TaxRateRow, key, but=tax_rate_id):
            raise ValidationError({"name": f"There is already a tax called '{form.name}'."})
        old = asdict(_tax_rate(row)) if row else {}
        if row is None:
            row = TaxRateRow(name=form.name, rate_milli=0)
            session.add(row)
        row.name, row.name_key, row.rate_milli = form.name, key, rate_to_milli(form.rate)
        row.registration = form.registration
        session.flush()
        saved = _tax_rate(row)
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="tax_rate",
            entity_id=row.id,
            summary=f"Tax rate {saved.label} saved",
            changes=audit.diff(old, asdict(saved)),
        )
        return saved


def archive_tax_rate(db: Database, tax_rate_id: int, archived: bool = True) -> TaxRate:
    """Hide a rate from new lines (or bring it back); lines that used it keep it."""
    with db.transaction() as session:
        row = get_or_raise(session, TaxRateRow, tax_rate_id, "tax rate")
        row.archived = archived
        saved = _tax_rate(row)
        audit.log(
            db,
            session,
            action="archive" if archived else "restore",
            entity="tax_rate",
            entity_id=row.id,
            summary=f"Tax rate {saved.label} {'archived' if archived else 'restored'}",
        )
        return saved


def _checked_tax_rate(form: TaxRateForm) -> TaxRateForm:
    form = replace(form, name=single_line(form.name), registration=single_line(form.registration))
    errors: Errors = {}
    if not form.name:
        errors["name"] = "Name the tax, e.g. HST, GST or VAT."
    elif len(form.name) > MAX_TAX_NAME:
        errors["name"] = f"Keep the tax name to {MAX_TAX_NAME} characters."
    if not _is_rate(form.rate):
        errors["rate"] = (
            "A tax rate is a percentage from 0 to 100 with up to 3 decimals (13, 9.975)."
        )
    if len(form.registration) > 60:
        errors["registration"] = "Keep the registration number to 60 characters."
    if errors:
        raise ValidationError(errors)
    return form


def _is_rate(rate: object) -> bool:
    """A percentage from 0 to 100 with up to 3 decimals, as a Decimal or int."""
    if not is_decimal(rate) or not Decimal(rate).is_finite():  # type: ignore[arg-type]
        return False
    assert isinstance(rate, int | Decimal)
    return 0 <= rate <= 100 and rate == round(rate, 3)


def _tax_rate(row: TaxRateRow) -> TaxRate:
    return TaxRate(
        name=row.name,
        rate=rate_from_milli(row.rate_milli),
        registration=row.registration,
        id=row.id,
        archived=row.archived,
    )


def list_services(
    db: Database, *, include_archived: bool = False, kind: ServiceKind | None = None
) -> list[Service]:
    with db.read() as session:
        query = select(ServiceRow).order_by(ServiceRow.kind.desc(), ServiceRow.name, ServiceRow.id)
        if not include_archived:
            query = query.where(ServiceRow.archived.is_(False))
        if kind is not None:
            query = query.where(ServiceRow.kind == str(kind))
        rows = session.scalars(query).all()
        rates = _rates_of(session, [row.id for row in rows])
        return [_service(session, row, rates.get(row.id, [])) for row in rows]


def get_service(db: Database, service_id: int) -> Service:
    with db.read() as session:
        return _service(session, get_or_raise(session, ServiceRow, service_id, "service"))


def save_service(db: Database, form: ServiceForm, service_id: int | None = None) -> Service:
    """Add a service or package to the catalogue, or change one (issued invoices keep theirs)."""
    form = _clean_service(form)
    with db.transaction() as session:
        row = existing(session, ServiceRow, service_id, "service")
        _check_service(session, form, service_id)
        old = asdict(_service(session, row)) if row else {}
        if row is None:
            row = ServiceRow(name=form.name, price_cents=0)
            session.add(row)
        row.name, row.name_key = form.name, name_key(form.name)
        row.kind = str(form.kind)
        row.price_cents = to_cents(form.price)
        row.duration_minutes = form.duration_minutes
        row.billing_codes = " ".join(form.billing_codes)
        row.modifier = form.modifier
        row.description = form.description
        row.package_visits = form.package_visits
        row.package_service_id = form.package_service_id
        session.flush()
        for link in session.scalars(
            select(ServiceTaxRow).where(ServiceTaxRow.service_id == row.id)
        ):
            session.delete(link)
        session.flush()
        for rate_id in dict.fromkeys(form.tax_rate_ids):
            session.add(ServiceTaxRow(service_id=row.id, tax_rate_id=rate_id))
        session.flush()
        saved = _service(session, row)
        new = asdict(saved)
        new.pop("tax_rates")
        old.pop("tax_rates", None)
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="service",
            entity_id=row.id,
            summary=f"Service {saved.name} saved",
            changes=audit.diff(old, new),
        )
        return saved


def archive_service(db: Database, service_id: int, archived: bool = True) -> Service:
    """Take a service off the pick lists (or put it back); nothing billed with it changes."""
    with db.transaction() as session:
        row = get_or_raise(session, ServiceRow, service_id, "service")
        row.archived = archived
        saved = _service(session, row)
        audit.log(
            db,
            session,
            action="archive" if archived else "restore",
            entity="service",
            entity_id=row.id,
            summary=f"Service {saved.name} {'archived' if archived else 'restored'}",
        )
        return saved


def _clean_service(form: ServiceForm) -> ServiceForm:
    codes = tuple(single_line(code).upper() for code in form.billing_codes if single_line(code))
    try:
        kind = ServiceKind(form.kind)
    except ValueError:
        raise ValidationError({"kind": "A service is a treatment or a package."}) from None
    return replace(
        form,
        name=single_line(form.name),
        description=clean(form.description),
        modifier=single_line(form.modifier).upper(),
        billing_codes=codes,
        kind=kind,
    )


def _check_service(session: Session, form: ServiceForm, service_id: int | None) -> None:
    errors: Errors = {}
    if not form.name:
        errors["name"] = "Name the service, e.g. 60-minute medical massage."
    elif len(form.name) > MAX_NAME:
        errors["name"] = f"Keep the name to {MAX_NAME} characters."
    elif name_taken(session, ServiceRow, name_key(form.name), but=service_id):
        errors["name"] = f"There is already a service called '{form.name}'."
    errors.update(price_errors("price", form.price))
    if form.duration_minutes is not None and (
        not is_whole(form.duration_minutes)
        or not 1 <= form.duration_minutes <= MAX_DURATION_MINUTES
    ):
        errors["duration_minutes"] = f"A duration is 1 to {MAX_DURATION_MINUTES} minutes."
    bad = [c for c in form.billing_codes if len(c) != 5 or not c.isalnum()]
    if bad:
        errors["billing_codes"] = f"A CPT code has 5 characters, such as 97124; not {bad[0]}."
    if form.modifier and (len(form.modifier) > 2 or not form.modifier.isalnum()):
        errors["modifier"] = "A modifier has 2 characters, such as 59 or GP."
    errors.update(tax_rate_errors(session, form.tax_rate_ids))
    if form.kind is ServiceKind.PACKAGE:
        if (
            not is_whole(form.package_visits)
            or not 1 <= (form.package_visits or 0) <= MAX_PACKAGE_VISITS
        ):
            errors["package_visits"] = f"A package holds 1 to {MAX_PACKAGE_VISITS} visits."
        target = (
            session.get(ServiceRow, form.package_service_id)
            if is_id(form.package_service_id)
            else None
        )
        if target is None or target.kind != ServiceKind.TREATMENT or target.id == service_id:
            errors["package_service_id"] = "Choose the treatment each visit of the package is."
    elif form.package_visits is not None or form.package_service_id is not None:
        errors["kind"] = "Only a package holds visits of another service."
    if errors:
        raise ValidationError(errors)


def _rates_of(session: Session, service_ids: list[int]) -> dict[int, list[TaxRateRow]]:
    """Each service's tax rates, in one query (a list of services never reads them one by
    one)."""
    found: dict[int, list[TaxRateRow]] = {}
    if not service_ids:
        return found
    pairs = session.execute(
        select(ServiceTaxRow.service_id, TaxRateRow)
        .join(TaxRateRow, ServiceTaxRow.tax_rate_id == TaxRateRow.id)
        .where(ServiceTaxRow.service_id.in_(service_ids))
        .order_by(TaxRateRow.id)
    )
    for service_id, rate in pairs:
        found.setdefault(service_id, []).append(rate)
    return found


def _service(session: Session, row: ServiceRow, rates: list[TaxRateRow] | None = None) -> Service:
    """A service as the core hands it out; `rates` when read already (`_rates_of`)."""
    if rates is None:
        rates = _rates_of(session, [row.id]).get(row.id, [])
    return Service(
        name=row.name,
        price=from_cents(row.price_cents),
        duration_minutes=row.duration_minutes,
        tax_rate_ids=tuple(r.id for r in rates),
        billing_codes=tuple(row.billing_codes.split()),
        modifier=row.modifier,
        description=row.description,
        kind=ServiceKind(row.kind),
        package_visits=row.package_visits,
        package_service_id=row.package_service_id,
        id=row.id,
        archived=row.archived,
        tax_rates=tuple(_tax_rate(r) for r in rates),
    )
