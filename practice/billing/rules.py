"""Billing's limits and the checks its use cases share (amounts, dates, tax rates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.billing.models import TaxRateRow
from practice.billing.money import MAX_AMOUNT, is_cents
from practice.billing.records import ZERO, BillingSettings
from practice.bounds import day_errors, latest_planned
from practice.clients.models import PracticeProfileRow
from practice.errors import ValidationError
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id

Errors = dict[str, str]


MAX_QUANTITY = 1000  # units of one line: a year of daily visits is 365


MAX_NAME = 120


MAX_TAX_NAME = 40


MAX_DURATION_MINUTES = 600  # a catalogue service: a 10-hour course is already generous


MAX_PACKAGE_VISITS = 100


MAX_NUMBER_DIGITS = 9


MAX_PAYMENT_TERMS_DAYS = 365


def current_day() -> date:
    return date.today()


def price_errors(name: str, amount: object, what: str = "A price") -> Errors:
    if not is_decimal(amount) or not is_cents(amount):
        return {name: f"{what} is an amount in cents at most, such as 95.00."}
    assert isinstance(amount, (int, type(ZERO)))
    if amount < 0:
        return {name: f"{what} cannot be negative."}
    if amount > MAX_AMOUNT:
        return {name: f"{what} above {MAX_AMOUNT:,} is surely a typo."}
    return {}


def tax_rate_errors(session: Session, rate_ids: Sequence[int]) -> Errors:
    for rate_id in rate_ids:
        row = session.get(TaxRateRow, rate_id) if is_id(rate_id) else None
        if row is None or row.archived:
            return {"tax_rate_ids": f"Unknown tax rate {rate_id!r}; add it in billing settings."}
    return {}


def practice_currency(db: Database) -> str:
    with db.read() as session:
        return currency_of(session)


def currency_of(session: Session) -> str:
    """The practice's currency, read in the caller's session (USD before a profile is saved)."""
    return session.scalar(select(PracticeProfileRow.currency).limit(1)) or "USD"


def terms_text(settings: BillingSettings) -> str:
    days = settings.payment_terms_days
    return "Due on receipt." if days == 0 else f"Due within {days} days."


def check_day(field: str, day: date | None, what: str) -> None:
    """A date given for an invoice: a real one (see `invoice_day_errors`)."""
    if day is not None:
        errors = invoice_day_errors(field, day, what)
        if errors:
            raise ValidationError(errors)


def invoice_day_errors(field: str, day: object, what: str) -> Errors:
    """An invoice may be dated ahead (a package for next month), within the planning horizon;
    money received or paid back never is (see record_payment and refund_payment)."""
    today = current_day()
    return day_errors(field, day, today, what=what, latest=latest_planned(today))


def existing(session: Session, table: Any, row_id: int | None, label: str) -> Any:
    """The row being changed, or None when a new one is being added."""
    return None if row_id is None else get_or_raise(session, table, row_id, label)


def is_decimal(value: object) -> bool:
    return isinstance(value, (int, type(ZERO))) and not isinstance(value, bool)
