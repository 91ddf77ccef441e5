"""Billing use cases: catalogue, settings, invoices, payments, packages, receipts; all audited.

Every write runs in one transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE,
see `_locked`), so two invoices issued at the same moment are numbered one after the other and
a payment checks the balance it changes. Issued invoices are refused here with
LockedRecordError and, should any other code path try, by the triggers of migration 0005.

The ledger (see `ClientAccount`): balance = invoiced - credited - paid + refunded, where `paid`
is money received. Money not applied to an invoice is credit: account credit, or what is left
in a prepaid package. Package credit and account credit pay invoices without being new money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from practice.billing.models import (
    AllocationRow,
    BillingSettingsRow,
    InvoiceLineRow,
    InvoiceLineTaxRow,
    InvoiceRow,
    NumberSequenceRow,
    PackageRow,
    PaymentRow,
    ReceiptRow,
    RefundRow,
    ServiceRow,
    ServiceTaxRow,
    TaxRateRow,
)
from practice.billing.money import (
    MAX_AMOUNT,
    from_cents,
    is_cents,
    line_tax,
    rate_from_milli,
    rate_to_milli,
    split_cents,
    to_cents,
)
from practice.billing.records import (
    ZERO,
    Allocation,
    BillingSettings,
    ClientAccount,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    InvoiceSummary,
    LineForm,
    LineTax,
    Package,
    Payment,
    PaymentForm,
    PaymentMethod,
    Receipt,
    Refund,
    Service,
    ServiceForm,
    ServiceKind,
    TaxLine,
    TaxRate,
    TaxRateForm,
    UnitRule,
)
from practice.bounds import day_errors, is_whole, latest_planned
from practice.clients.models import ClientRow
from practice.errors import LockedRecordError, NotFoundError, ValidationError
from practice.store import audit
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id, name_taken
from practice.text import clean, name_key, single_line
from practice.visits.models import VisitRow
from practice.visits.records import PLACES_OF_SERVICE, VisitStatus

Errors = dict[str, str]
MAX_QUANTITY = 1000  # units of one line: a year of daily visits is 365
MAX_NAME = 120
MAX_TAX_NAME = 40
MAX_DURATION_MINUTES = 600  # a catalogue service: a 10-hour course is already generous
MAX_PACKAGE_VISITS = 100
MAX_NUMBER_DIGITS = 9
MAX_PAYMENT_TERMS_DAYS = 365


# ---------------------------------------------------------------- transactions


def _today() -> date:
    return date.today()


# ---------------------------------------------------------------- tax rates


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
        row = _existing(session, TaxRateRow, tax_rate_id, "tax rate")
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
        _audit(
            db,
            session,
            "update" if old else "create",
            "tax_rate",
            row.id,
            None,
            f"Tax rate {saved.label} saved",
            audit.diff(old, asdict(saved)),
        )
        return saved


def archive_tax_rate(db: Database, tax_rate_id: int, archived: bool = True) -> TaxRate:
    """Hide a rate from new lines (or bring it back); lines that used it keep it."""
    with db.transaction() as session:
        row = get_or_raise(session, TaxRateRow, tax_rate_id, "tax rate")
        row.archived = archived
        saved = _tax_rate(row)
        _audit(
            db,
            session,
            "archive" if archived else "restore",
            "tax_rate",
            row.id,
            None,
            f"Tax rate {saved.label} {'archived' if archived else 'restored'}",
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
    if not _is_decimal(rate) or not Decimal(rate).is_finite():  # type: ignore[arg-type]
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


# ---------------------------------------------------------------- services


def list_services(
    db: Database, *, include_archived: bool = False, kind: ServiceKind | None = None
) -> list[Service]:
    with db.read() as session:
        query = select(ServiceRow).order_by(ServiceRow.kind.desc(), ServiceRow.name, ServiceRow.id)
        if not include_archived:
            query = query.where(ServiceRow.archived.is_(False))
        if kind is not None:
            query = query.where(ServiceRow.kind == str(kind))
        return [_service(session, row) for row in session.scalars(query)]


def get_service(db: Database, service_id: int) -> Service:
    with db.read() as session:
        return _service(session, get_or_raise(session, ServiceRow, service_id, "service"))


def save_service(db: Database, form: ServiceForm, service_id: int | None = None) -> Service:
    """Add a service or package to the catalogue, or change one (issued invoices keep theirs)."""
    form = _clean_service(form)
    with db.transaction() as session:
        row = _existing(session, ServiceRow, service_id, "service")
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
        _audit(
            db,
            session,
            "update" if old else "create",
            "service",
            row.id,
            None,
            f"Service {saved.name} saved",
            audit.diff(old, new),
        )
        return saved


def archive_service(db: Database, service_id: int, archived: bool = True) -> Service:
    """Take a service off the pick lists (or put it back); nothing billed with it changes."""
    with db.transaction() as session:
        row = get_or_raise(session, ServiceRow, service_id, "service")
        row.archived = archived
        saved = _service(session, row)
        _audit(
            db,
            session,
            "archive" if archived else "restore",
            "service",
            row.id,
            None,
            f"Service {saved.name} {'archived' if archived else 'restored'}",
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
    errors.update(_price_errors("price", form.price))
    if form.duration_minutes is not None and (
        not _whole(form.duration_minutes) or not 1 <= form.duration_minutes <= MAX_DURATION_MINUTES
    ):
        errors["duration_minutes"] = f"A duration is 1 to {MAX_DURATION_MINUTES} minutes."
    bad = [c for c in form.billing_codes if len(c) != 5 or not c.isalnum()]
    if bad:
        errors["billing_codes"] = f"A CPT code has 5 characters, such as 97124; not {bad[0]}."
    if form.modifier and (len(form.modifier) > 2 or not form.modifier.isalnum()):
        errors["modifier"] = "A modifier has 2 characters, such as 59 or GP."
    errors.update(_tax_rate_errors(session, form.tax_rate_ids))
    if form.kind is ServiceKind.PACKAGE:
        if (
            not _whole(form.package_visits)
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


def _service(session: Session, row: ServiceRow) -> Service:
    rates = session.scalars(
        select(TaxRateRow)
        .join(ServiceTaxRow, ServiceTaxRow.tax_rate_id == TaxRateRow.id)
        .where(ServiceTaxRow.service_id == row.id)
        .order_by(TaxRateRow.id)
    ).all()
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


# ---------------------------------------------------------------- settings


def get_settings(db: Database) -> BillingSettings:
    with db.read() as session:
        return _settings(session)


def save_settings(db: Database, settings: BillingSettings) -> BillingSettings:
    settings = _checked_settings(settings)
    with db.transaction() as session:
        row = session.scalar(select(BillingSettingsRow).limit(1))
        old = asdict(_settings(session))
        if row is None:
            row = BillingSettingsRow()
            session.add(row)
        for name, value in asdict(settings).items():
            setattr(row, name, str(value) if name == "unit_rule" else value)
        session.flush()
        _audit(
            db,
            session,
            "update",
            "billing_settings",
            row.id,
            None,
            "Billing settings saved",
            audit.diff(old, asdict(settings)),
        )
        return settings


def _settings(session: Session) -> BillingSettings:
    row = session.scalar(select(BillingSettingsRow).limit(1))
    if row is None:
        return BillingSettings()
    return BillingSettings(
        invoice_prefix=row.invoice_prefix,
        credit_note_prefix=row.credit_note_prefix,
        number_digits=row.number_digits,
        payment_terms_days=row.payment_terms_days,
        unit_rule=UnitRule(row.unit_rule),
        place_of_service=row.place_of_service,
        receipt_wording=row.receipt_wording,
        invoice_notes=row.invoice_notes,
    )


def _checked_settings(settings: BillingSettings) -> BillingSettings:
    settings = replace(
        settings,
        invoice_prefix=single_line(settings.invoice_prefix),
        credit_note_prefix=single_line(settings.credit_note_prefix),
        receipt_wording=single_line(settings.receipt_wording),
        invoice_notes=clean(settings.invoice_notes),
    )
    errors: Errors = {}
    for name in ("invoice_prefix", "credit_note_prefix"):
        prefix = getattr(settings, name)
        try:
            rendered = render_prefix(prefix, 2026)
        except ValueError:
            errors[name] = "Use plain text and {year} only, e.g. {year}- or INV-."
            continue
        if len(rendered) > 30:
            errors[name] = "Keep the prefix to 30 characters."
    if not errors and render_prefix(settings.invoice_prefix, 2026) == render_prefix(
        settings.credit_note_prefix, 2026
    ):
        errors["credit_note_prefix"] = "Credit notes need a prefix of their own, e.g. CN-."
    if not _whole(settings.number_digits) or not 1 <= settings.number_digits <= MAX_NUMBER_DIGITS:
        errors["number_digits"] = f"Numbers have 1 to {MAX_NUMBER_DIGITS} digits."
    if not _whole(settings.payment_terms_days) or not (
        0 <= settings.payment_terms_days <= MAX_PAYMENT_TERMS_DAYS
    ):
        errors["payment_terms_days"] = (
            f"Payment terms are 0 (due on receipt) to {MAX_PAYMENT_TERMS_DAYS} days."
        )
    if settings.unit_rule not in tuple(UnitRule):
        errors["unit_rule"] = "Choose the CMS 8-minute rule or the per-code rule."
    if settings.place_of_service not in PLACES_OF_SERVICE:
        errors["place_of_service"] = "Choose a place-of-service code, such as 11 (office)."
    if not settings.receipt_wording or len(settings.receipt_wording) > 200:
        errors["receipt_wording"] = "Receipts need a wording of up to 200 characters."
    if errors:
        raise ValidationError(errors)
    return replace(settings, unit_rule=UnitRule(settings.unit_rule))


def render_prefix(prefix: str, year: int) -> str:
    """'{year}-' -> '2026-'. ValueError for any other placeholder or brace.

    Not str.format: '{year:>999999999}' would build a gigabyte of padding.
    """
    rest = prefix.replace("{year}", "")
    if "{" in rest or "}" in rest:
        raise ValueError("Use plain text and {year} only.")
    return prefix.replace("{year}", str(year))


# ---------------------------------------------------------------- invoices: drafts


def create_invoice(
    db: Database,
    client_id: int,
    lines: Sequence[LineForm],
    *,
    notes: str | None = None,
    terms: str | None = None,
    created_on: date | None = None,
) -> Invoice:
    """A draft invoice by hand (no lines is fine for a draft; issuing needs one)."""
    _check_day("created_on", created_on, "The invoice date")
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        settings = _settings(session)
        row = InvoiceRow(
            kind=str(InvoiceKind.INVOICE),
            client_id=client.id,
            created_on=created_on or _today(),
            currency=practice_currency(db),
            notes=clean(notes) if notes is not None else settings.invoice_notes,
            terms=clean(terms) if terms is not None else _terms_text(settings),
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        _write_lines(session, row, lines)
        _audit(
            db,
            session,
            "create",
            "invoice",
            row.id,
            client.id,
            "Draft invoice created",
            {"lines": [None, len(lines)]},
        )
        return _invoice(session, row)


def update_draft(
    db: Database,
    invoice_id: int,
    lines: Sequence[LineForm] | None = None,
    *,
    notes: str | None = None,
    terms: str | None = None,
) -> Invoice:
    """Replace a draft's lines and/or its notes and terms. An issued invoice is locked."""
    with db.transaction() as session:
        row = _draft(session, invoice_id)
        old = _audit_view(_invoice(session, row))
        if lines is not None:
            for line in _line_rows(session, row.id):
                _delete_line(session, line)
            session.flush()
            _write_lines(session, row, lines)
        if notes is not None:
            row.notes = clean(notes)
        if terms is not None:
            row.terms = clean(terms)
        row.updated_at = utcnow()
        saved = _invoice(session, row)
        _audit(
            db,
            session,
            "update",
            "invoice",
            row.id,
            row.client_id,
            "Draft invoice changed",
            audit.diff(old, _audit_view(saved)),
        )
        return saved


def add_line(db: Database, invoice_id: int, line: LineForm) -> Invoice:
    with db.transaction() as session:
        row = _draft(session, invoice_id)
        _write_lines(session, row, [line], start=len(_line_rows(session, row.id)))
        row.updated_at = utcnow()
        saved = _invoice(session, row)
        _audit(
            db,
            session,
            "update",
            "invoice",
            row.id,
            row.client_id,
            f"Line added: {saved.lines[-1].description}",
        )
        return saved


def remove_line(db: Database, invoice_id: int, line_id: int) -> Invoice:
    with db.transaction() as session:
        row = _draft(session, invoice_id)
        line = session.get(InvoiceLineRow, line_id) if is_id(line_id) else None
        if line is None or line.invoice_id != row.id:
            raise NotFoundError(f"Invoice {invoice_id} has no line {line_id}.")
        description = line.description
        _delete_line(session, line)
        session.flush()
        for position, other in enumerate(_line_rows(session, row.id)):
            other.position = position
        _store_totals(session, row)
        row.updated_at = utcnow()
        _audit(
            db, session, "update", "invoice", row.id, row.client_id, f"Line removed: {description}"
        )
        return _invoice(session, row)


def delete_draft(db: Database, invoice_id: int) -> None:
    """Throw a draft away (it never had a number). Issued invoices are voided instead."""
    with db.transaction() as session:
        row = _draft(session, invoice_id)
        for line in _line_rows(session, row.id):
            _delete_line(session, line)
        session.flush()
        _audit(db, session, "delete", "invoice", row.id, row.client_id, "Draft invoice deleted")
        session.delete(row)


# ---------------------------------------------------------------- invoices: issue, bill, void


def issue_invoice(db: Database, invoice_id: int, *, issued_on: date | None = None) -> Invoice:
    """Give a draft the next number of the gapless sequence and lock it for good.

    Lines drawn from a prepaid package are paid from the package as the invoice is issued.
    """
    _check_day("issued_on", issued_on, "The issue date")
    with db.transaction() as session:
        row = _draft(session, invoice_id)
        _issue(db, session, row, issued_on or _today())
        return _invoice(session, row)


def bill_visit(
    db: Database,
    visit_id: int,
    service_id: int | None = None,
    *,
    issue: bool = True,
    use_package: bool = True,
    issued_on: date | None = None,
) -> Invoice:
    """Bill one visit: one line for the service (by default the one matching the visit's length).

    When the client has a package of that service with visits left, the line is priced from
    the package and paid with package credit as the invoice is issued.
    """
    return bill_visits(
        db, [visit_id], service_id, issue=issue, use_package=use_package, issued_on=issued_on
    )


def bill_visits(
    db: Database,
    visit_ids: Sequence[int],
    service_id: int | None = None,
    *,
    issue: bool = True,
    use_package: bool = True,
    issued_on: date | None = None,
) -> Invoice:
    """One invoice for several visits of one client, a line per visit."""
    if not visit_ids:
        raise ValidationError({"visits": "Choose at least one visit to bill."})
    _check_day("issued_on", issued_on, "The issue date")
    with db.transaction() as session:
        visits = [get_or_raise(session, VisitRow, vid, "visit") for vid in dict.fromkeys(visit_ids)]
        _check_billable(session, visits)
        services = _treatment_services(session)
        chosen = (
            get_or_raise(session, ServiceRow, service_id, "service")
            if service_id is not None
            else None
        )
        if chosen is not None and chosen.kind != ServiceKind.TREATMENT:
            raise ValidationError({"service_id": "Bill a visit with a treatment, not a package."})
        row = InvoiceRow(
            kind=str(InvoiceKind.INVOICE),
            client_id=visits[0].client_id,
            created_on=_today(),
            currency=practice_currency(db),
            notes=_settings(session).invoice_notes,
            terms=_terms_text(_settings(session)),
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        for position, visit in enumerate(sorted(visits, key=lambda v: v.starts_at)):
            service = chosen or _service_for(visit, services)
            package = _open_package(session, visit.client_id, service.id) if use_package else None
            day = visit.starts_at.astimezone().date()
            if package is None:
                _write_lines(
                    session,
                    row,
                    [LineForm(service_id=service.id, visit_id=visit.id, service_date=day)],
                    start=position,
                )
            else:
                _write_package_line(session, row, position, service, package, visit.id, day)
        _audit(
            db,
            session,
            "create",
            "invoice",
            row.id,
            row.client_id,
            f"Invoice for {len(visits)} visit(s)",
            {"visits": [None, [v.id for v in visits]]},
        )
        if issue:
            _issue(db, session, row, issued_on or _today())
        else:
            _store_totals(session, row)
        return _invoice(session, row)


def void_invoice(
    db: Database, invoice_id: int, reason: str, *, voided_on: date | None = None
) -> Invoice:
    """Cancel an issued invoice with a credit note for its full amount; returns the credit note.

    What was paid on the invoice is released: money becomes account credit (refund it or apply
    it to another invoice) and package credit goes back to its package, visit included.
    """
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the invoice is voided; it is kept on record."})
    _check_day("voided_on", voided_on, "The void date")
    with db.transaction() as session:
        row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
        if row.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoice": "A credit note cannot be voided."})
        if row.status == "draft":
            raise ValidationError({"invoice": "A draft has no number yet; delete it instead."})
        if row.status == "void":
            raise ValidationError({"invoice": f"Invoice {row.number} is already void."})
        note = InvoiceRow(
            kind=str(InvoiceKind.CREDIT_NOTE),
            client_id=row.client_id,
            created_on=voided_on or _today(),
            currency=row.currency,
            notes=f"Voids invoice {row.number}: {reason}",
            terms="",
            credits_invoice_id=row.id,
            created_by=db.actor,
        )
        session.add(note)
        session.flush()
        for line in _line_rows(session, row.id):
            copy = InvoiceLineRow(
                invoice_id=note.id,
                **{c: getattr(line, c) for c in _LINE_COPY},
            )
            session.add(copy)
            session.flush()
            for tax in _tax_rows(session, line.id):
                session.add(
                    InvoiceLineTaxRow(line_id=copy.id, **{c: getattr(tax, c) for c in _TAX_COPY})
                )
        session.flush()
        for payment_id, applied in _applied_by_payment(session, row.id):
            if applied:
                session.add(
                    AllocationRow(payment_id=payment_id, invoice_id=row.id, amount_cents=-applied)
                )
        row.status = "void"
        row.void_reason = reason
        row.voided_at = utcnow()
        row.updated_at = utcnow()
        session.flush()
        _issue(db, session, note, voided_on or _today())
        _audit(
            db,
            session,
            "void",
            "invoice",
            row.id,
            row.client_id,
            f"Invoice {row.number} voided by credit note {note.number}",
            {"reason": [None, reason]},
        )
        return _invoice(session, note)


_LINE_COPY = (
    "position",
    "description",
    "service_id",
    "quantity",
    "unit_price_cents",
    "discount_cents",
    "net_cents",
    "tax_cents",
    "visit_id",
    "service_date",
    "package_id",
)
_TAX_COPY = ("tax_rate_id", "name", "rate_milli", "registration", "amount_cents")


def next_number(
    db: Database, kind: InvoiceKind = InvoiceKind.INVOICE, on: date | None = None
) -> str:
    """The number the next invoice (or credit note) issued on `on` will get: a preview.

    The same function numbers at issue time, inside the write lock, so the preview and the
    issued number can only differ if another invoice was issued in between.
    """
    with db.read() as session:
        return _next_number(session, kind, on or _today())[1]


def _next_number(session: Session, kind: InvoiceKind, on: date) -> tuple[str, str, int]:
    """(sequence key, number, its value) for the next number of this kind and prefix."""
    settings = _settings(session)
    credit_note = kind == InvoiceKind.CREDIT_NOTE
    prefix = render_prefix(
        settings.credit_note_prefix if credit_note else settings.invoice_prefix, on.year
    )
    key = f"{kind}:{prefix}"
    sequence = session.get(NumberSequenceRow, key)
    value = sequence.next_value if sequence is not None else 1
    return key, f"{prefix}{value:0{settings.number_digits}d}", value


def _issue(db: Database, session: Session, row: InvoiceRow, issued_on: date) -> None:
    lines = _line_rows(session, row.id)
    if not lines:
        raise ValidationError({"lines": "An invoice needs at least one line before it is issued."})
    settings = _settings(session)
    credit_note = row.kind == InvoiceKind.CREDIT_NOTE
    key, number, next_value = _next_number(session, InvoiceKind(row.kind), issued_on)
    sequence = session.get(NumberSequenceRow, key)
    if sequence is None:
        sequence = NumberSequenceRow(key=key, next_value=next_value)
        session.add(sequence)
    sequence.next_value = next_value + 1
    _store_totals(session, row)
    row.number = number
    row.status = "issued"
    row.issued_on = issued_on
    row.issued_at = utcnow()
    row.due_on = None if credit_note else issued_on + timedelta(days=settings.payment_terms_days)
    row.updated_at = utcnow()
    session.flush()
    _audit(
        db,
        session,
        "issue",
        "invoice",
        row.id,
        row.client_id,
        f"{'Credit note' if credit_note else 'Invoice'} {number} issued",
        {"number": [None, number], "total": [None, str(from_cents(row.total_cents))]},
    )
    if not credit_note:
        _pay_from_packages(db, session, row, lines, issued_on)


def _check_billable(session: Session, visits: list[VisitRow]) -> None:
    if len({v.client_id for v in visits}) > 1:
        raise ValidationError({"visits": "One invoice bills the visits of one client."})
    for visit in visits:
        if visit.status != VisitStatus.COMPLETED:
            raise ValidationError(
                {"visits": "Only completed visits are billed; add a fee line by hand instead."}
            )
        billed = session.scalar(
            select(InvoiceRow.number)
            .join(InvoiceLineRow, InvoiceLineRow.invoice_id == InvoiceRow.id)
            .where(
                InvoiceLineRow.visit_id == visit.id,
                InvoiceRow.kind == str(InvoiceKind.INVOICE),
                InvoiceRow.status != "void",
            )
            .limit(1)
        )
        if billed is not None or _billed_in_draft(session, visit.id):
            where = f"invoice {billed}" if billed else "a draft invoice"
            day = visit.starts_at.astimezone().date().isoformat()
            raise ValidationError({"visits": f"The visit of {day} is already billed on {where}."})


def _billed_in_draft(session: Session, visit_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(InvoiceLineRow)
            .join(InvoiceRow, InvoiceLineRow.invoice_id == InvoiceRow.id)
            .where(InvoiceLineRow.visit_id == visit_id, InvoiceRow.status == "draft")
        )
    )


def _treatment_services(session: Session) -> list[ServiceRow]:
    return list(
        session.scalars(
            select(ServiceRow)
            .where(ServiceRow.kind == str(ServiceKind.TREATMENT), ServiceRow.archived.is_(False))
            .order_by(ServiceRow.id)
        )
    )


def _service_for(visit: VisitRow, services: list[ServiceRow]) -> ServiceRow:
    """The treatment whose length is nearest the visit's (ties: the earliest added)."""
    timed = [s for s in services if s.duration_minutes]
    if not timed:
        raise ValidationError(
            {"service_id": "Add a service with a duration to the catalogue to bill visits."}
        )
    return min(timed, key=lambda s: abs((s.duration_minutes or 0) - visit.duration_minutes))


# ---------------------------------------------------------------- lines and totals


@dataclass(frozen=True, slots=True)
class _TaxSpec:
    tax_rate_id: int | None
    name: str
    rate_milli: int
    registration: str


def _write_lines(
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
        _insert_line(session, invoice.id, start + index, columns, taxes)
    session.flush()
    _store_totals(session, invoice)


def _insert_line(
    session: Session,
    invoice_id: int,
    position: int,
    columns: dict[str, Any],
    taxes: Sequence[_TaxSpec],
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
) -> tuple[tuple[dict[str, Any], list[_TaxSpec]], Errors]:
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
        errors |= _invoice_day_errors("service_date", form.service_date, "The date of service")
    if not _whole(form.quantity) or not 1 <= form.quantity <= MAX_QUANTITY:
        errors["quantity"] = f"The quantity is a whole number from 1 to {MAX_QUANTITY}."
    price = form.unit_price
    if price is None:
        price = from_cents(service.price_cents) if service else None
    if price is None:
        errors["unit_price"] = "Enter a price or choose a service."
    else:
        errors.update(_price_errors("unit_price", price))
    errors.update(_price_errors("discount", form.discount, what="A discount"))
    if not errors and price is not None and form.discount > price * form.quantity:
        errors["discount"] = "The discount is more than the line."
    rate_ids = form.tax_rate_ids
    if rate_ids is None:
        rate_ids = _service_rate_ids(session, service.id) if service else ()
    errors.update(_tax_rate_errors(session, rate_ids))
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
    taxes = [_TaxSpec(r.id, r.name, r.rate_milli, r.registration) for r in rates if r]
    return (columns, taxes), errors


def _price_errors(name: str, amount: object, what: str = "A price") -> Errors:
    if not _is_decimal(amount) or not is_cents(amount):
        return {name: f"{what} is an amount in cents at most, such as 95.00."}
    assert isinstance(amount, (int, type(ZERO)))
    if amount < 0:
        return {name: f"{what} cannot be negative."}
    if amount > MAX_AMOUNT:
        return {name: f"{what} above {MAX_AMOUNT:,} is surely a typo."}
    return {}


def _tax_rate_errors(session: Session, rate_ids: Sequence[int]) -> Errors:
    for rate_id in rate_ids:
        row = session.get(TaxRateRow, rate_id) if is_id(rate_id) else None
        if row is None or row.archived:
            return {"tax_rate_ids": f"Unknown tax rate {rate_id!r}; add it in billing settings."}
    return {}


def _service_rate_ids(session: Session, service_id: int) -> tuple[int, ...]:
    query = select(ServiceTaxRow.tax_rate_id).where(ServiceTaxRow.service_id == service_id)
    return tuple(session.scalars(query.order_by(ServiceTaxRow.tax_rate_id)))


def _store_totals(session: Session, row: InvoiceRow) -> None:
    lines = _line_rows(session, row.id)
    row.subtotal_cents = sum(line.unit_price_cents * line.quantity for line in lines)
    row.discount_cents = sum(line.discount_cents for line in lines)
    row.tax_cents = sum(line.tax_cents for line in lines)
    row.total_cents = row.subtotal_cents - row.discount_cents + row.tax_cents


def _delete_line(session: Session, line: InvoiceLineRow) -> None:
    for tax in _tax_rows(session, line.id):
        session.delete(tax)
    session.flush()
    session.delete(line)


def _line_rows(session: Session, invoice_id: int) -> list[InvoiceLineRow]:
    query = select(InvoiceLineRow).where(InvoiceLineRow.invoice_id == invoice_id)
    return list(session.scalars(query.order_by(InvoiceLineRow.position, InvoiceLineRow.id)))


def _tax_rows(session: Session, line_id: int) -> list[InvoiceLineTaxRow]:
    query = select(InvoiceLineTaxRow).where(InvoiceLineTaxRow.line_id == line_id)
    return list(session.scalars(query.order_by(InvoiceLineTaxRow.id)))


def _draft(session: Session, invoice_id: int) -> InvoiceRow:
    row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
    if row.status != "draft":
        raise LockedRecordError(
            f"Invoice {row.number} is issued and cannot be changed; void it with a credit note."
        )
    return row


# ---------------------------------------------------------------- reading invoices


def get_invoice(db: Database, invoice_id: int) -> Invoice:
    with db.read() as session:
        return _invoice(session, get_or_raise(session, InvoiceRow, invoice_id, "invoice"))


def invoice_by_number(db: Database, number: str) -> Invoice:
    with db.read() as session:
        row = session.scalar(select(InvoiceRow).where(InvoiceRow.number == single_line(number)))
        if row is None:
            raise NotFoundError(f"No invoice or credit note numbered {number}.")
        return _invoice(session, row)


def invoices_for_visit(db: Database, visit_id: int) -> list[Invoice]:
    """Every invoice (and credit note) with a line for this visit, oldest first."""
    if not is_id(visit_id):
        return []
    with db.read() as session:
        ids = session.scalars(
            select(InvoiceLineRow.invoice_id).where(InvoiceLineRow.visit_id == visit_id).distinct()
        ).all()
        return [_invoice(session, session.get(InvoiceRow, i)) for i in sorted(ids)]  # type: ignore[arg-type]


def list_invoices(
    db: Database,
    client_id: int | None = None,
    status: InvoiceStatus | None = None,
    *,
    kind: InvoiceKind | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[InvoiceSummary]:
    """Invoices and credit notes, newest first; since/until filter on the issue date."""
    if client_id is not None and not is_id(client_id):
        return []
    with db.read() as session:
        query = _summary_query()
        if client_id is not None:
            query = query.where(InvoiceRow.client_id == client_id)
        if kind is not None:
            query = query.where(InvoiceRow.kind == str(kind))
        if since is not None:
            query = query.where(InvoiceRow.issued_on >= since)
        if until is not None:
            query = query.where(InvoiceRow.issued_on <= until)
        if status is not None:
            query = query.where(_status_sql() == str(status))
        query = query.order_by(
            InvoiceRow.issued_on.is_(None).desc(), InvoiceRow.issued_on.desc(), InvoiceRow.id.desc()
        )
        if limit is not None:
            query = query.limit(limit)
        return [_summary(r) for r in session.execute(query)]


def _paid_sql() -> Any:
    return (
        select(func.coalesce(func.sum(AllocationRow.amount_cents), 0))
        .where(AllocationRow.invoice_id == InvoiceRow.id)
        .scalar_subquery()
    )


def _credited_sql() -> Any:
    note = InvoiceRow.__table__.alias("credit_note")
    return (
        select(func.coalesce(func.sum(note.c.total_cents), 0))
        .where(note.c.credits_invoice_id == InvoiceRow.id)
        .scalar_subquery()
    )


def _status_sql() -> Any:
    paid = _paid_sql()
    return case(
        (InvoiceRow.status == "draft", "draft"),
        (InvoiceRow.status == "void", "void"),
        (InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE), "issued"),
        (paid >= InvoiceRow.total_cents, "paid"),
        (paid > 0, "partly_paid"),
        else_="issued",
    )


def _summary_query() -> Any:
    name = func.trim(ClientRow.given_name + " " + ClientRow.family_name)
    return select(
        InvoiceRow.id,
        InvoiceRow.kind,
        InvoiceRow.client_id,
        name.label("client_name"),
        InvoiceRow.number,
        InvoiceRow.status,
        InvoiceRow.created_on,
        InvoiceRow.issued_on,
        InvoiceRow.due_on,
        InvoiceRow.total_cents,
        _paid_sql().label("paid"),
        _credited_sql().label("credited"),
    ).join(ClientRow, ClientRow.id == InvoiceRow.client_id)


def _summary(r: Any) -> InvoiceSummary:
    kind = InvoiceKind(r.kind)
    status = _status(r.status, kind, r.total_cents, r.paid, r.credited)
    return InvoiceSummary(
        id=r.id,
        kind=kind,
        client_id=r.client_id,
        client_name=r.client_name,
        number=r.number,
        status=status,
        created_on=r.created_on,
        issued_on=r.issued_on,
        due_on=r.due_on,
        total=from_cents(r.total_cents),
        paid=from_cents(r.paid),
        balance=from_cents(_balance(kind, r.status, r.total_cents, r.paid, r.credited)),
    )


def _status(stored: str, kind: InvoiceKind, total: int, paid: int, credited: int) -> InvoiceStatus:
    if stored == "draft":
        return InvoiceStatus.DRAFT
    if stored == "void":
        return InvoiceStatus.VOID
    if kind is InvoiceKind.CREDIT_NOTE:
        return InvoiceStatus.ISSUED
    if paid >= total:
        return InvoiceStatus.PAID
    return InvoiceStatus.PARTLY_PAID if paid > 0 else InvoiceStatus.ISSUED


def _balance(kind: InvoiceKind, stored: str, total: int, paid: int, credited: int) -> int:
    if kind is InvoiceKind.CREDIT_NOTE or stored == "draft":
        return 0
    return total - credited - paid


def _invoice(session: Session, row: InvoiceRow) -> Invoice:
    lines = []
    tax_lines: dict[tuple[str, int], list[int]] = {}
    registrations: dict[tuple[str, int], str] = {}
    for line in _line_rows(session, row.id):
        taxes = _tax_rows(session, line.id)
        for tax in taxes:
            key = (tax.name, tax.rate_milli)
            sums = tax_lines.setdefault(key, [0, 0])
            sums[0] += line.net_cents
            sums[1] += tax.amount_cents
            registrations[key] = registrations.get(key) or tax.registration
        lines.append(
            InvoiceLine(
                id=line.id,
                position=line.position,
                description=line.description,
                service_id=line.service_id,
                quantity=line.quantity,
                unit_price=from_cents(line.unit_price_cents),
                discount=from_cents(line.discount_cents),
                taxes=tuple(
                    LineTax(
                        t.tax_rate_id,
                        t.name,
                        rate_from_milli(t.rate_milli),
                        from_cents(t.amount_cents),
                    )
                    for t in taxes
                ),
                visit_id=line.visit_id,
                service_date=line.service_date,
                package_id=line.package_id,
            )
        )
    kind = InvoiceKind(row.kind)
    paid = (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
                AllocationRow.invoice_id == row.id
            )
        )
        or 0
    )
    note = session.scalar(select(InvoiceRow).where(InvoiceRow.credits_invoice_id == row.id))
    credited = note.total_cents if note else 0
    original = session.get(InvoiceRow, row.credits_invoice_id) if row.credits_invoice_id else None
    client = session.get(ClientRow, row.client_id)
    receipts = session.scalar(
        select(func.count()).select_from(ReceiptRow).where(ReceiptRow.invoice_id == row.id)
    )
    return Invoice(
        id=row.id,
        kind=kind,
        client_id=row.client_id,
        client_name=f"{client.given_name} {client.family_name}".strip() if client else "",
        number=row.number,
        status=_status(row.status, kind, row.total_cents, paid, credited),
        created_on=row.created_on,
        issued_on=row.issued_on,
        due_on=row.due_on,
        lines=tuple(lines),
        tax_lines=tuple(
            TaxLine(
                name,
                rate_from_milli(milli),
                from_cents(t),
                from_cents(a),
                registrations[(name, milli)],
            )
            for (name, milli), (t, a) in sorted(tax_lines.items())
        ),
        subtotal=from_cents(row.subtotal_cents),
        discount_total=from_cents(row.discount_cents),
        tax_total=from_cents(row.tax_cents),
        total=from_cents(row.total_cents),
        paid=from_cents(paid),
        credited=from_cents(credited),
        balance=from_cents(_balance(kind, row.status, row.total_cents, paid, credited)),
        currency=row.currency,
        notes=row.notes,
        terms=row.terms,
        credit_note_id=note.id if note else None,
        credits_invoice_id=row.credits_invoice_id,
        credits_invoice_number=original.number if original else None,
        void_reason=row.void_reason,
        issued_at=row.issued_at,
        receipts_issued=receipts or 0,
    )


# ---------------------------------------------------------------- payments and refunds


def record_payment(db: Database, client_id: int, form: PaymentForm) -> Payment:
    """Money received (or account credit applied), spread over invoices.

    With allocations, each amount goes to that invoice; with `invoice_id`, the amount goes to
    that invoice; with neither, to the client's open invoices, oldest first. Whatever is left
    over is refused unless `as_credit` keeps it as account credit. Nothing is saved on error.
    """
    method = _method(form.method)
    errors = _price_errors("amount", form.amount, what="An amount")
    if not errors and form.amount <= 0:
        errors["amount"] = "Enter an amount above zero."
    if method is PaymentMethod.PACKAGE_CREDIT:
        errors["method"] = "Package credit is used by billing a visit the package covers."
    reference, note = single_line(form.reference), clean(form.note)
    if len(reference) > 120:
        errors["reference"] = "Keep the reference to 120 characters."
    if form.received_on is not None:
        errors |= day_errors("received_on", form.received_on, _today(), what="The payment date")
    if errors:
        raise ValidationError(errors)
    amount = to_cents(form.amount)
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        plan = _allocation_plan(session, client.id, form, amount)
        left = amount - sum(a for _, a in plan)
        if method is PaymentMethod.ACCOUNT_CREDIT:
            available = _account_credit(session, client.id)
            if amount > available:
                raise ValidationError(
                    {"amount": f"The client has {from_cents(available)} of account credit."}
                )
            if left:
                raise ValidationError(
                    {"amount": "Account credit can only pay invoices; choose which ones."}
                )
        elif left and not form.as_credit:
            owed = from_cents(amount - left)
            raise ValidationError(
                {
                    "amount": f"This is more than the {owed} owed on the chosen invoices; "
                    "record the rest as account credit or lower the amount."
                }
            )
        row = PaymentRow(
            client_id=client.id,
            method=str(method),
            amount_cents=amount,
            received_on=form.received_on or _today(),
            reference=reference,
            note=note,
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        for invoice_id, applied in plan:
            session.add(
                AllocationRow(payment_id=row.id, invoice_id=invoice_id, amount_cents=applied)
            )
        session.flush()
        _audit(
            db,
            session,
            "create",
            "payment",
            row.id,
            client.id,
            f"{method.label} payment of {from_cents(amount)}",
            {
                "allocations": [None, [[i, str(from_cents(a))] for i, a in plan]],
                "credit": [None, str(from_cents(left))],
            },
        )
        return _payment(session, row)


def _allocation_plan(
    session: Session, client_id: int, form: PaymentForm, amount: int
) -> list[tuple[int, int]]:
    """(invoice id, cents) pairs for a payment, checked against each invoice's balance."""
    wanted: list[tuple[int, int]] = []
    if form.allocations:
        parts: dict[int, int] = {}
        for invoice_id, part in form.allocations:
            errors = _price_errors("allocations", part, what="An allocation")
            if errors or part <= 0:
                raise ValidationError({"allocations": "Each allocation is an amount above zero."})
            parts[invoice_id] = parts.get(invoice_id, 0) + to_cents(part)
        wanted = list(parts.items())
        if sum(a for _, a in wanted) > amount:
            raise ValidationError({"allocations": "The allocations add up to more than paid."})
        for invoice_id, part in wanted:
            row = _open_invoice(session, client_id, invoice_id)
            balance = _invoice_balance(session, row)
            if part > balance:
                raise ValidationError(
                    {"allocations": f"Invoice {row.number} has only {from_cents(balance)} owing."}
                )
        return wanted
    if form.invoice_id is not None:
        row = _open_invoice(session, client_id, form.invoice_id)
        balance = _invoice_balance(session, row)
        return [(row.id, min(amount, balance))] if balance else []
    left = amount
    for row in _open_invoices(session, client_id):
        if not left:
            break
        part = min(left, _invoice_balance(session, row))
        if part:
            wanted.append((row.id, part))
            left -= part
    return wanted


def refund_payment(
    db: Database,
    payment_id: int,
    amount: Any,
    reason: str,
    *,
    refunded_on: date | None = None,
    method: PaymentMethod | None = None,
) -> Refund:
    """Give money back from a payment: only what is credit (not applied to an invoice).

    To refund a paid invoice, void it first: its payments become credit. A package is refunded
    for what is left of it, in one go, and closes.
    """
    reason = clean(reason)
    errors = _price_errors("amount", amount, what="A refund")
    if not errors and amount <= 0:
        errors["amount"] = "Enter an amount above zero."
    if not reason:
        errors["reason"] = "Say why the money is refunded; it is kept on record."
    if refunded_on is not None:
        errors.update(day_errors("refunded_on", refunded_on, _today(), what="The refund date"))
    given = _method(method) if method is not None else None
    if given is not None and not given.is_money:
        errors["method"] = "A refund is paid back in money."
    if errors:
        raise ValidationError(errors)
    cents = to_cents(amount)
    with db.transaction() as session:
        row = get_or_raise(session, PaymentRow, payment_id, "payment")
        paid_with = PaymentMethod(row.method)
        if not paid_with.is_money:
            raise ValidationError({"payment": f"{paid_with.label} is not money to refund."})
        unapplied = _unapplied(session, row)
        package = session.get(PackageRow, row.package_id) if row.package_id else None
        if package is not None:
            left = package.value_cents - _package_drawn(session, package.id)
            if _refunded(session, row.id):
                raise ValidationError({"amount": "This package has already been refunded."})
            if cents != left:
                raise ValidationError(
                    {"amount": f"A package is refunded for what is left of it: {from_cents(left)}."}
                )
        else:
            available = min(unapplied, _account_credit(session, row.client_id))
            if cents > available:
                raise ValidationError(
                    {
                        "amount": f"Only {from_cents(available)} of this payment is credit; "
                        "void the invoice it paid first to refund more."
                    }
                )
        refund = RefundRow(
            payment_id=row.id,
            client_id=row.client_id,
            amount_cents=cents,
            method=str(given or paid_with),
            refunded_on=refunded_on or _today(),
            reason=reason,
            created_by=db.actor,
        )
        session.add(refund)
        session.flush()
        _audit(
            db,
            session,
            "refund",
            "payment",
            row.id,
            row.client_id,
            f"Refund of {from_cents(cents)}",
            {"reason": [None, reason]},
        )
        return _refund(refund)


def get_payment(db: Database, payment_id: int) -> Payment:
    with db.read() as session:
        return _payment(session, get_or_raise(session, PaymentRow, payment_id, "payment"))


def list_payments(
    db: Database, client_id: int | None = None, *, invoice_id: int | None = None
) -> list[Payment]:
    """Payments of a client, or those applied to one invoice, newest first."""
    if not all(is_id(i) for i in (client_id, invoice_id) if i is not None):
        return []
    with db.read() as session:
        query = select(PaymentRow).order_by(PaymentRow.received_on.desc(), PaymentRow.id.desc())
        if client_id is not None:
            query = query.where(PaymentRow.client_id == client_id)
        if invoice_id is not None:
            paying = select(AllocationRow.payment_id).where(AllocationRow.invoice_id == invoice_id)
            query = query.where(PaymentRow.id.in_(paying))
        return [_payment(session, row) for row in session.scalars(query)]


def _payment(session: Session, row: PaymentRow) -> Payment:
    allocations = session.execute(
        select(AllocationRow.invoice_id, InvoiceRow.number, AllocationRow.amount_cents)
        .join(InvoiceRow, InvoiceRow.id == AllocationRow.invoice_id)
        .where(AllocationRow.payment_id == row.id)
        .order_by(AllocationRow.id)
    ).all()
    refunds = session.scalars(
        select(RefundRow).where(RefundRow.payment_id == row.id).order_by(RefundRow.id)
    )
    return Payment(
        id=row.id,
        client_id=row.client_id,
        amount=from_cents(row.amount_cents),
        method=PaymentMethod(row.method),
        received_on=row.received_on,
        reference=row.reference,
        note=row.note,
        allocations=tuple(Allocation(i, n, from_cents(a)) for i, n, a in allocations),
        refunds=tuple(_refund(r) for r in refunds),
        package_id=row.package_id,
    )


def _refund(row: RefundRow) -> Refund:
    return Refund(
        id=row.id,
        payment_id=row.payment_id,
        amount=from_cents(row.amount_cents),
        method=PaymentMethod(row.method),
        refunded_on=row.refunded_on,
        reason=row.reason,
    )


def _method(value: object) -> PaymentMethod:
    try:
        return PaymentMethod(value)
    except ValueError:
        raise ValidationError({"method": f"Unknown payment method {value!r}."}) from None


def _open_invoice(session: Session, client_id: int, invoice_id: int) -> InvoiceRow:
    row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
    if row.client_id != client_id:
        raise ValidationError({"invoice_id": "That invoice belongs to another client."})
    if row.kind != InvoiceKind.INVOICE or row.status != "issued":
        what = {"draft": "is a draft; issue it first", "void": "is void"}.get(row.status, "")
        raise ValidationError(
            {"invoice_id": f"Invoice {row.number or ''} {what or 'cannot be paid'}."}
        )
    return row


def _open_invoices(session: Session, client_id: int) -> list[InvoiceRow]:
    query = select(InvoiceRow).where(
        InvoiceRow.client_id == client_id,
        InvoiceRow.kind == str(InvoiceKind.INVOICE),
        InvoiceRow.status == "issued",
        _paid_sql() < InvoiceRow.total_cents,
    )
    return list(session.scalars(query.order_by(InvoiceRow.issued_on, InvoiceRow.id)))


def _invoice_balance(session: Session, row: InvoiceRow) -> int:
    paid = session.scalar(
        select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
            AllocationRow.invoice_id == row.id
        )
    )
    return 0 if row.status != "issued" else row.total_cents - (paid or 0)


def _applied_by_payment(session: Session, invoice_id: int) -> list[tuple[int, int]]:
    rows = session.execute(
        select(AllocationRow.payment_id, func.sum(AllocationRow.amount_cents))
        .where(AllocationRow.invoice_id == invoice_id)
        .group_by(AllocationRow.payment_id)
        .order_by(AllocationRow.payment_id)
    ).all()
    return [(pid, total) for pid, total in rows]


def _applied(session: Session, payment_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
                AllocationRow.payment_id == payment_id
            )
        )
        or 0
    )


def _refunded(session: Session, payment_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(RefundRow.amount_cents), 0)).where(
                RefundRow.payment_id == payment_id
            )
        )
        or 0
    )


def _unapplied(session: Session, row: PaymentRow) -> int:
    return row.amount_cents - _applied(session, row.id) - _refunded(session, row.id)


# ---------------------------------------------------------------- packages


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
    paid_with = _method(method)
    if not paid_with.is_money:
        raise ValidationError({"method": "A package is bought with money."})
    if received_on is not None and (
        errors := day_errors("received_on", received_on, _today(), what="The payment date")
    ):
        raise ValidationError(errors)
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        service = get_or_raise(session, ServiceRow, service_id, "service")
        if service.kind != ServiceKind.PACKAGE or service.archived:
            raise ValidationError({"service_id": "Choose a package from the catalogue."})
        assert service.package_visits and service.package_service_id
        rates = [session.get(TaxRateRow, rid) for rid in _service_rate_ids(session, service.id)]
        taxes = [[r.id, r.name, r.rate_milli, r.registration] for r in rates if r]
        shares = split_cents(service.price_cents, service.package_visits)
        value = sum(net + sum(line_tax(net, t[2]) for t in taxes) for net in shares)
        day = received_on or _today()
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
        _audit(
            db,
            session,
            "create",
            "package",
            package.id,
            client.id,
            f"Package sold: {service.name} for {from_cents(value)} ({paid_with.label})",
        )
        return _package(session, package)


def packages_for(db: Database, client_id: int, *, include_used: bool = False) -> list[Package]:
    """A client's packages, oldest first; by default only those with visits left."""
    if not is_id(client_id):
        return []
    with db.read() as session:
        return [p for p in _packages(session, client_id) if include_used or p.remaining > 0]


def _packages(session: Session, client_id: int) -> list[Package]:
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
    refunded = _refunded(session, purchase.id)
    drawn = _package_drawn(session, row.id)
    return Package(
        id=row.id,
        client_id=row.client_id,
        service_id=row.service_id,
        name=row.name,
        visit_service_id=row.visit_service_id,
        visits=row.visits,
        used=_package_used(session, row.id),
        price=from_cents(row.price_cents),
        value=from_cents(row.value_cents),
        remaining_value=from_cents(row.value_cents - drawn - refunded),
        bought_on=row.bought_on,
        payment_id=purchase.id,
        closed=refunded > 0,
    )


def _package_drawn(session: Session, package_id: int) -> int:
    return (
        session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0))
            .join(PaymentRow, PaymentRow.id == AllocationRow.payment_id)
            .where(
                PaymentRow.package_id == package_id,
                PaymentRow.method == str(PaymentMethod.PACKAGE_CREDIT),
            )
        )
        or 0
    )


def _package_used(session: Session, package_id: int) -> int:
    """Visits taken: package lines on invoices that are not void (drafts hold their visit)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(InvoiceLineRow)
            .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
            .where(
                InvoiceLineRow.package_id == package_id,
                InvoiceRow.kind == str(InvoiceKind.INVOICE),
                InvoiceRow.status != "void",
            )
        )
        or 0
    )


def _open_package(session: Session, client_id: int, service_id: int) -> PackageRow | None:
    rows = session.scalars(
        select(PackageRow)
        .where(PackageRow.client_id == client_id, PackageRow.visit_service_id == service_id)
        .order_by(PackageRow.bought_on, PackageRow.id)
    )
    for row in rows:
        if _package(session, row).remaining > 0:
            return row
    return None


def _write_package_line(
    session: Session,
    invoice: InvoiceRow,
    position: int,
    service: ServiceRow,
    package: PackageRow,
    visit_id: int,
    day: date,
) -> None:
    """The visit at its share of what is left of the package, taxed as the package was sold."""
    used = _package_used(session, package.id)
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
    line = _insert_line(
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
        [_TaxSpec(t[0], t[1], t[2], t[3]) for t in package.taxes],
    )
    line.package_id = package.id
    session.flush()


def _pay_from_packages(
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


# ---------------------------------------------------------------- accounts


def client_account(db: Database, client_id: int) -> ClientAccount:
    with db.read() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        return _account(session, client.id, practice_currency(db))


def _account(session: Session, client_id: int, currency: str) -> ClientAccount:
    def total(query: Any) -> int:
        return session.scalar(query) or 0

    issued = (InvoiceRow.client_id == client_id) & (InvoiceRow.status != "draft")
    invoiced = total(
        select(func.sum(InvoiceRow.total_cents)).where(
            issued, InvoiceRow.kind == str(InvoiceKind.INVOICE)
        )
    )
    credited = total(
        select(func.sum(InvoiceRow.total_cents)).where(
            issued, InvoiceRow.kind == str(InvoiceKind.CREDIT_NOTE)
        )
    )
    money = [str(m) for m in PaymentMethod if m.is_money]
    paid = total(
        select(func.sum(PaymentRow.amount_cents)).where(
            PaymentRow.client_id == client_id, PaymentRow.method.in_(money)
        )
    )
    refunded = total(
        select(func.sum(RefundRow.amount_cents)).where(RefundRow.client_id == client_id)
    )
    applied = total(
        select(func.sum(AllocationRow.amount_cents))
        .join(PaymentRow, PaymentRow.id == AllocationRow.payment_id)
        .where(PaymentRow.client_id == client_id)
    )
    packages = _packages(session, client_id)
    package_credit = sum(to_cents(p.remaining_value) for p in packages)
    owed = invoiced - credited - applied
    credit = paid - refunded - applied  # money held: on account or in packages
    return ClientAccount(
        client_id=client_id,
        invoiced=from_cents(invoiced),
        credited=from_cents(credited),
        paid=from_cents(paid),
        refunded=from_cents(refunded),
        owed=from_cents(owed),
        account_credit=from_cents(credit - package_credit),
        package_credit=from_cents(package_credit),
        packages=tuple(packages),
        currency=currency,
    )


def _account_credit(session: Session, client_id: int) -> int:
    return to_cents(_account(session, client_id, "").account_credit)


# ---------------------------------------------------------------- receipts


def issue_receipt(
    db: Database, invoice_id: int, *, action: str = "print", to_file: str | None = None
) -> Receipt:
    """Record that a receipt is printed: the first is the original, later ones are duplicates.

    The audit entry is the printout's own: `action` "print", or "export" with the file.
    """
    with db.transaction() as session:
        row = get_or_raise(session, InvoiceRow, invoice_id, "invoice")
        if row.kind != InvoiceKind.INVOICE or row.status == "draft":
            raise ValidationError({"invoice": "Receipts are for issued invoices."})
        if row.status == "void":
            raise ValidationError({"invoice": f"Invoice {row.number} is void; no receipt."})
        paid = row.total_cents - _invoice_balance(session, row)
        if paid <= 0 and row.total_cents > 0:
            raise ValidationError(
                {"invoice": f"Nothing is paid on invoice {row.number} yet; print the invoice."}
            )
        count = (
            session.scalar(
                select(func.count()).select_from(ReceiptRow).where(ReceiptRow.invoice_id == row.id)
            )
            or 0
        )
        receipt = ReceiptRow(invoice_id=row.id, number=count + 1, issued_by=db.actor)
        session.add(receipt)
        session.flush()
        what = "Receipt" if count == 0 else f"Duplicate receipt ({count + 1})"
        where = f" exported to {to_file}" if to_file else ""
        details = {"document": "receipt", "invoice_id": row.id, "copy": count + 1, "file": to_file}
        _audit(
            db,
            session,
            action,
            "receipt",
            receipt.id,
            row.client_id,
            f"{what} for invoice {row.number}{where}",
            {name: [None, value] for name, value in details.items() if value is not None},
        )
        return _receipt(receipt)


def receipts_for(db: Database, invoice_id: int) -> list[Receipt]:
    if not is_id(invoice_id):
        return []
    with db.read() as session:
        rows = session.scalars(
            select(ReceiptRow)
            .where(ReceiptRow.invoice_id == invoice_id)
            .order_by(ReceiptRow.number)
        )
        return [_receipt(r) for r in rows]


def _receipt(row: ReceiptRow) -> Receipt:
    return Receipt(row.id, row.invoice_id, row.number, row.issued_at, row.issued_by)


# ---------------------------------------------------------------- helpers


def practice_currency(db: Database) -> str:
    from practice.clients.service import get_profile

    profile = get_profile(db)
    return profile.currency if profile else "USD"


def _terms_text(settings: BillingSettings) -> str:
    days = settings.payment_terms_days
    return "Due on receipt." if days == 0 else f"Due within {days} days."


def _audit_view(invoice: Invoice) -> dict[str, Any]:
    return {
        "lines": [
            [line.description, line.quantity, str(line.unit_price), str(line.discount)]
            for line in invoice.lines
        ],
        "notes": invoice.notes,
        "terms": invoice.terms,
        "total": str(invoice.total),
    }


def _audit(
    db: Database,
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    client_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.log(
        db,
        session,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_id=client_id,
        summary=summary,
        changes=changes,
    )


def _whole(value: object) -> bool:
    return is_whole(value)


def _check_day(field: str, day: date | None, what: str) -> None:
    """A date given for an invoice: a real one (see `_invoice_day_errors`)."""
    if day is not None:
        errors = _invoice_day_errors(field, day, what)
        if errors:
            raise ValidationError(errors)


def _invoice_day_errors(field: str, day: object, what: str) -> Errors:
    """An invoice may be dated ahead (a package for next month), within the planning horizon;
    money received or paid back never is (see record_payment and refund_payment)."""
    today = _today()
    return day_errors(field, day, today, what=what, latest=latest_planned(today))


def _existing(session: Session, table: Any, row_id: int | None, label: str) -> Any:
    """The row being changed, or None when a new one is being added."""
    return None if row_id is None else get_or_raise(session, table, row_id, label)


def _is_decimal(value: object) -> bool:
    return isinstance(value, (int, type(ZERO))) and not isinstance(value, bool)
