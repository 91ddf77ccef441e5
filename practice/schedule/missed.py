"""Cancellations and no-shows, the fee policy, and the fee's invoice line.

A cancellation inside the notice period (the policy's hours before the start) is late. Late
cancellations and no-shows are charged a percent of the service's price; the first one of a
client is waived when the policy says so, and the therapist can waive or charge any one. The
decision is stored with the appointment, and the fee becomes a line on a draft invoice made by
Billing's own service (`billing.service.create_invoice`), so numbering, taxes and the ledger
stay Billing's.

Billing and the schedule are separate transactions: the invoice is created, then linked. Should
Fascia stop between the two, `bill_fee` finds the unlinked invoice by its line (the fee's
description is unique to the appointment) and links it instead of billing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from practice.billing import service as billing
from practice.billing.models import InvoiceLineRow, InvoiceRow, ServiceRow, ServiceTaxRow
from practice.billing.records import Invoice, LineForm
from practice.dates import format_day, format_time
from practice.errors import ValidationError
from practice.schedule import checks, queries, reminders, waitlist
from practice.schedule.models import AppointmentRow
from practice.schedule.records import (
    Appointment,
    AppointmentState,
    FeeDecision,
    FeePolicy,
    Outcome,
    zone_info,
)
from practice.schedule.service import log
from practice.schedule.settings import settings_in
from practice.store.database import Database
from practice.store.rows import get_or_raise
from practice.text import single_line

CENT = Decimal("0.01")


def cancel(
    db: Database,
    appointment_id: int,
    reason: str,
    *,
    now: datetime | None = None,
    charge: bool | None = None,
    bill: bool = True,
) -> Outcome:
    """Cancel with a reason. Inside the notice period the cancellation is late and the fee
    policy applies (`charge` True or False overrides it for this one); with `bill` a fee
    becomes a draft invoice. The answer suggests waitlist clients for the freed time."""
    reason = checks.note_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": "Say why the appointment is cancelled."})
    return _miss(db, appointment_id, AppointmentState.CANCELLED, reason, now, charge, bill)


def mark_no_show(
    db: Database,
    appointment_id: int,
    *,
    now: datetime | None = None,
    charge: bool | None = None,
    bill: bool = True,
) -> Outcome:
    """The client did not come and did not cancel. Only once the appointment has started."""
    return _miss(db, appointment_id, AppointmentState.NO_SHOW, "", now, charge, bill)


def fee_decision(
    kind: AppointmentState,
    price: Decimal | None,
    policy: FeePolicy,
    prior_missed: int,
    charge: bool | None = None,
    what: str = "",
) -> FeeDecision | None:
    """The fee for a late cancellation or a no-show (None when the policy charges nothing).

    `prior_missed` counts the client's earlier late cancellations and no-shows: with
    `waive_first`, the first is not charged. `charge` is the therapist's own call.
    """
    percent = (
        policy.no_show_percent if kind is AppointmentState.NO_SHOW else policy.late_cancel_percent
    )
    if price is None or not percent:
        return None
    if charge is False:
        return FeeDecision(Decimal("0.00"), percent, "Fee waived by the therapist")
    if charge is None and policy.waive_first and prior_missed == 0:
        return FeeDecision(Decimal("0.00"), percent, "First missed appointment: fee waived")
    amount = (price * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return FeeDecision(amount, percent, f"{percent}% of {what}".strip())


def bill_fee(db: Database, appointment_id: int, *, issue: bool = False) -> Invoice:
    """The decided fee of a late cancellation or no-show as an invoice line (a draft unless
    `issue`). Billing it again returns the same invoice."""
    with db.read() as session:
        row = get_or_raise(session, AppointmentRow, appointment_id, "appointment")
        if row.fee_invoice_id is not None:
            return billing.get_invoice(db, row.fee_invoice_id)
        if not row.fee_cents:
            raise ValidationError({"fee": "There is no fee to bill for this appointment."})
        found = _unlinked_invoice(session, row)
        taxes = _tax_ids(session, _pricing_service(session, row))
        day = row.starts_at.astimezone(zone_info(row.time_zone)).date()
        client_id, amount, description = (
            row.client_id,
            Decimal(row.fee_cents).scaleb(-2),
            row.fee_note,
        )
    if found is None:
        line = LineForm(description, unit_price=amount, tax_rate_ids=taxes, service_date=day)
        invoice = billing.create_invoice(db, client_id, [line])
    else:
        invoice = billing.get_invoice(db, found)
    if issue and invoice.number is None:
        invoice = billing.issue_invoice(db, invoice.id)
    with db.transaction() as session:
        row = get_or_raise(session, AppointmentRow, appointment_id, "appointment")
        row.fee_invoice_id = invoice.id
        session.flush()
        saved = queries.read_one(session, row.id)
        log(db, session, saved, "bill", f"Fee billed on invoice {invoice.number or '(draft)'}",
            {"fee_invoice_id": [None, invoice.id]})  # fmt: skip
    return invoice


def _miss(
    db: Database,
    appointment_id: int,
    kind: AppointmentState,
    reason: str,
    now: datetime | None,
    charge: bool | None,
    bill: bool,
) -> Outcome:
    now = now or datetime.now(UTC)
    with db.transaction() as session:
        row = get_or_raise(session, AppointmentRow, appointment_id, "appointment")
        saved, decision = miss_row(db, session, row, kind, reason, now, charge)
    invoice_id = None
    if bill and decision is not None and decision.amount > 0:
        invoice_id = bill_fee(db, saved.id).id
        saved = queries.get_appointment(db, saved.id)
    offers = waitlist.suggestions(db, saved.starts_at, saved.ends_at, now=now)
    return Outcome(True, saved, fee=decision, fee_invoice_id=invoice_id, suggestions=offers)


def miss_row(
    db: Database,
    session: Session,
    row: AppointmentRow,
    kind: AppointmentState,
    reason: str,
    now: datetime,
    charge: bool | None,
) -> tuple[Appointment, FeeDecision | None]:
    """Record a cancellation or no-show on a row, with its fee decision (in the caller's
    transaction); returns the appointment as saved and the decision."""
    if charge is not None and not isinstance(charge, bool):
        raise ValidationError({"charge": "Charge the fee: yes, no, or as the policy says."})
    settings = settings_in(session)
    before = queries.read_one(session, row.id)
    _check_missable(before, kind, now)
    notice = timedelta(hours=settings.fees.late_cancel_hours)
    late = kind is AppointmentState.NO_SHOW or now >= row.starts_at - notice
    decision = None
    if late:
        service = _pricing_service(session, row)
        price = Decimal(service.price_cents).scaleb(-2) if service is not None else None
        what = service.name if service is not None else ""
        prior = _prior_missed(session, row)
        decision = fee_decision(kind, price, settings.fees, prior, charge, what)
    row.status = str(kind)
    row.cancelled_at = now if kind is AppointmentState.CANCELLED else None
    row.cancel_reason = reason
    row.late_cancel = late and kind is AppointmentState.CANCELLED
    if decision is not None:
        row.fee_cents = int(decision.amount * 100)
        row.fee_note = _fee_line(before, kind, decision, checks.practice_locale(session))
    reminders.drop_queued(session, row.id)
    session.flush()
    saved = queries.read_one(session, row.id)
    word = "late " if row.late_cancel else ""
    summary = f"Appointment {word}{'cancelled: ' + reason if reason else 'marked no-show'}"
    changes = {
        "state": [str(before.state), str(kind)],
        "fee": [None, str(decision.amount) if decision else None],
    }
    log(db, session, saved, str(kind), summary, changes)
    return saved, decision


def _check_missable(current: Appointment, kind: AppointmentState, now: datetime) -> None:
    allowed = (AppointmentState.BOOKED, AppointmentState.CONFIRMED)
    if kind is AppointmentState.CANCELLED:
        allowed += (AppointmentState.ARRIVED,)
    if current.state not in allowed:
        what = "cancelled" if kind is AppointmentState.CANCELLED else "marked a no-show"
        raise ValidationError(
            {"state": f"This appointment is {current.state.label.lower()}; it cannot be {what}."}
        )
    if kind is AppointmentState.NO_SHOW and now < current.starts_at:
        raise ValidationError({"state": "An appointment is a no-show only once it has started."})


def _pricing_service(session: Session, row: AppointmentRow) -> ServiceRow | None:
    """The appointment's service, or the treatment nearest its length (as billing does)."""
    if row.service_id is not None:
        return session.get(ServiceRow, row.service_id)
    length = int((row.ends_at - row.starts_at).total_seconds() // 60)
    services = session.scalars(
        select(ServiceRow)
        .where(
            ServiceRow.kind == "treatment",
            ServiceRow.archived.is_(False),
            ServiceRow.duration_minutes.is_not(None),
        )
        .order_by(ServiceRow.id)
    ).all()
    return min(services, key=lambda s: abs((s.duration_minutes or 0) - length), default=None)


def _tax_ids(session: Session, service: ServiceRow | None) -> tuple[int, ...]:
    if service is None:
        return ()
    query = select(ServiceTaxRow.tax_rate_id).where(ServiceTaxRow.service_id == service.id)
    return tuple(session.scalars(query.order_by(ServiceTaxRow.tax_rate_id)))


def _prior_missed(session: Session, row: AppointmentRow) -> int:
    query = select(func.count()).where(
        AppointmentRow.client_id == row.client_id,
        AppointmentRow.id != row.id,
        or_(AppointmentRow.status == "no_show", AppointmentRow.late_cancel.is_(True)),
    )
    return session.scalar(query) or 0


def _fee_line(
    appointment: Appointment, kind: AppointmentState, decision: FeeDecision, locale: str
) -> str:
    """The invoice line: what, when, how much. Unique to the appointment (see `bill_fee`)."""
    local = appointment.local_start
    when = f"{format_day(local.date(), locale)} {format_time(local.replace(tzinfo=None), locale)}"
    no_show = kind is AppointmentState.NO_SHOW
    what = "Missed appointment (no-show)" if no_show else "Late cancellation"
    return f"{what}, {when}: {decision.note}"


def _unlinked_invoice(session: Session, row: AppointmentRow) -> int | None:
    """An invoice already carrying this fee's line but not linked (a stop between the two)."""
    query = (
        select(InvoiceRow.id)
        .join(InvoiceLineRow, InvoiceLineRow.invoice_id == InvoiceRow.id)
        .where(
            InvoiceRow.client_id == row.client_id,
            InvoiceRow.kind == "invoice",
            InvoiceRow.status != "void",
            # As billing stores a line's description (one line, cleaned).
            InvoiceLineRow.description == single_line(row.fee_note),
        )
        .limit(1)
    )
    return session.scalar(query)
