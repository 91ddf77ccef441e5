"""Billing settings and invoice numbering: one function numbers both the preview and the issue."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.billing.models import BillingSettingsRow, NumberSequenceRow
from practice.billing.records import BillingSettings, InvoiceKind, UnitRule
from practice.billing.rules import MAX_NUMBER_DIGITS, MAX_PAYMENT_TERMS_DAYS, Errors, current_day
from practice.bounds import is_whole
from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.text import clean, single_line
from practice.visits.records import PLACES_OF_SERVICE


def get_settings(db: Database) -> BillingSettings:
    with db.read() as session:
        return read_settings(session)


def save_settings(db: Database, settings: BillingSettings) -> BillingSettings:
    settings = _checked_settings(settings)
    with db.transaction() as session:
        row = session.scalar(select(BillingSettingsRow).limit(1))
        old = asdict(read_settings(session))
        if row is None:
            row = BillingSettingsRow()
            session.add(row)
        for name, value in asdict(settings).items():
            setattr(row, name, str(value) if name == "unit_rule" else value)
        session.flush()
        audit.log(
            db,
            session,
            action="update",
            entity="billing_settings",
            entity_id=row.id,
            summary="Billing settings saved",
            changes=audit.diff(old, asdict(settings)),
        )
        return settings


def read_settings(session: Session) -> BillingSettings:
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
    if not is_whole(settings.number_digits) or not 1 <= settings.number_digits <= MAX_NUMBER_DIGITS:
        errors["number_digits"] = f"Numbers have 1 to {MAX_NUMBER_DIGITS} digits."
    if not is_whole(settings.payment_terms_days) or not (
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


def next_number(
    db: Database, kind: InvoiceKind = InvoiceKind.INVOICE, on: date | None = None
) -> str:
    """The number the next invoice (or credit note) issued on `on` will get: a preview.

    The same function numbers at issue time, inside the write lock, so the preview and the
    issued number can only differ if another invoice was issued in between.
    """
    with db.read() as session:
        return number_for(session, kind, on or current_day())[1]


def number_for(session: Session, kind: InvoiceKind, on: date) -> tuple[str, str, int]:
    """(sequence key, number, its value) for the next number of this kind and prefix."""
    settings = read_settings(session)
    credit_note = kind == InvoiceKind.CREDIT_NOTE
    prefix = render_prefix(
        settings.credit_note_prefix if credit_note else settings.invoice_prefix, on.year
    )
    key = f"{kind}:{prefix}"
    sequence = session.get(NumberSequenceRow, key)
    value = sequence.next_value if sequence is not None else 1
    return key, f"{prefix}{value:0{settings.number_digits}d}", value
