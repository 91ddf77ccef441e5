"""Reading the schedule: one appointment, a day, week or month range, a client's list, Today.

Every reader is one indexed range query on `appointment.starts_at` (Core, no ORM objects)
joined to the client, the service and the linked visit; "billed" is an EXISTS on the visit's
invoice lines. The state a person did not set is derived here (`records.derive_state`).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session

from practice.billing.models import InvoiceLineRow, InvoiceRow, ServiceRow
from practice.clients import service as clients
from practice.clients.models import ClientRow
from practice.clients.rules import Alert
from practice.errors import NotFoundError, ValidationError
from practice.schedule.checks import (
    MAX_MINUTES,
    day_hours,
    display_name,
    initials,
    practice_locale,
)
from practice.schedule.models import AppointmentRow
from practice.schedule.records import (
    Appointment,
    AppointmentState,
    Attendance,
    DayPlan,
    ScheduleRange,
    derive_state,
)
from practice.schedule.settings import settings_in
from practice.store.database import Database
from practice.store.rows import is_id
from practice.visits.models import VisitRow

MAX_RANGE_DAYS = 62  # a month view with the days around it


@dataclass(frozen=True, slots=True)
class TodayItem:
    """A line of Today: the appointment and the client's alerts to show as chips."""

    appointment: Appointment
    alerts: tuple[Alert, ...]


@dataclass(frozen=True, slots=True)
class TodayList:
    day: date
    time_zone: str
    items: tuple[TodayItem, ...]

    @property
    def next_up(self) -> TodayItem | None:
        """The first appointment still to see (not finished, not missed)."""
        return next((i for i in self.items if i.appointment.state.pending), None)


def _billed() -> Any:
    return exists(
        select(InvoiceLineRow.id)
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(
            InvoiceLineRow.visit_id == AppointmentRow.visit_id,
            InvoiceRow.kind == "invoice",
            InvoiceRow.status == "issued",
        )
    )


_COLUMNS = (
    AppointmentRow.id,
    AppointmentRow.client_id,
    ClientRow.given_name,
    ClientRow.preferred_name,
    ClientRow.family_name,
    AppointmentRow.starts_at,
    AppointmentRow.ends_at,
    AppointmentRow.time_zone,
    AppointmentRow.service_id,
    ServiceRow.name,
    AppointmentRow.status,
    AppointmentRow.series_id,
    AppointmentRow.visit_id,
    VisitRow.status,
    VisitRow.signed_at,
    AppointmentRow.notes,
    AppointmentRow.cancelled_at,
    AppointmentRow.cancel_reason,
    AppointmentRow.late_cancel,
    AppointmentRow.fee_cents,
    AppointmentRow.fee_note,
    AppointmentRow.fee_invoice_id,
)


def _query(*conditions: Any) -> Any:
    return (
        select(*_COLUMNS, _billed().label("billed"))
        .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
        .outerjoin(ServiceRow, ServiceRow.id == AppointmentRow.service_id)
        .outerjoin(VisitRow, VisitRow.id == AppointmentRow.visit_id)
        .where(*conditions)
        .order_by(AppointmentRow.starts_at, AppointmentRow.id)
    )


def _appointment(r: Any) -> Appointment:
    (aid, client_id, given, preferred, family, starts, ends, zone, service_id, service_name,
     stored, series_id, visit_id, visit_status, signed_at, notes, cancelled_at, reason, late,
     fee_cents, fee_note, fee_invoice_id, billed) = r  # fmt: skip
    return Appointment(
        id=aid,
        client_id=client_id,
        client_name=display_name(given, preferred, family),
        client_initials=initials(given, family),
        starts_at=starts,
        ends_at=ends,
        time_zone=zone,
        service_id=service_id,
        service_name=service_name or "",
        state=derive_state(stored, visit_status, signed_at is not None, bool(billed)),
        series_id=series_id,
        visit_id=visit_id,
        notes=notes,
        cancelled_at=cancelled_at,
        cancel_reason=reason,
        late_cancel=late,
        fee=Decimal(fee_cents).scaleb(-2) if fee_cents is not None else None,
        fee_note=fee_note,
        fee_invoice_id=fee_invoice_id,
    )


def read(session: Session, *conditions: Any) -> list[Appointment]:
    return [_appointment(r) for r in session.connection().execute(_query(*conditions))]


def read_range(session: Session, start: datetime, end: datetime) -> list[Appointment]:
    """Appointments overlapping start-end: a statement built once, as a week view moving by a
    week asks this again and again."""
    values = {"earliest": start - timedelta(minutes=MAX_MINUTES), "start": start, "end": end}
    return [_appointment(r) for r in session.connection().execute(_range_query(), values)]


@cache
def _range_query() -> Any:
    return _query(
        AppointmentRow.starts_at > bindparam("earliest"),
        AppointmentRow.starts_at < bindparam("end"),
        AppointmentRow.ends_at > bindparam("start"),
    )


def read_one(session: Session, appointment_id: object) -> Appointment:
    found = read(session, AppointmentRow.id == appointment_id) if is_id(appointment_id) else []
    if not found:
        raise NotFoundError(f"No appointment with id {appointment_id}.")
    return found[0]


# ---------------------------------------------------------------- public readers


def get_appointment(db: Database, appointment_id: int) -> Appointment:
    with db.read() as session:
        return read_one(session, appointment_id)


def appointment_for_visit(db: Database, visit_id: int) -> Appointment | None:
    """The appointment a visit was started from, if any (for the note editor's header)."""
    with db.read() as session:
        found = read(session, AppointmentRow.visit_id == visit_id) if is_id(visit_id) else []
    return found[0] if found else None


def appointments_between(db: Database, start: datetime, end: datetime) -> list[Appointment]:
    """Appointments overlapping start-end (aware datetimes), cancelled ones included."""
    _check_span(start, end)
    with db.read() as session:
        return read_range(session, start, end)


def schedule_range(db: Database, first_day: date, days: int) -> ScheduleRange:
    """`days` days from `first_day` in the practice's zone: hours, breaks and appointments.

    What a day (1), week (7) or month view draws in one call; moving by a week is the same
    call a week later.
    """
    if not isinstance(first_day, date) or isinstance(first_day, datetime):
        raise ValidationError({"day": "Give a date."})
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_RANGE_DAYS:
        raise ValidationError({"days": f"Show 1 to {MAX_RANGE_DAYS} days at a time."})
    if not date(1971, 1, 1) <= first_day <= date(2199, 1, 1):
        raise ValidationError({"day": "That date is outside the calendar Fascia keeps."})
    with db.read() as session:
        settings = settings_in(session)
        zone = settings.zone
        bounds = [
            datetime.combine(first_day + timedelta(days=k), time.min, zone).astimezone(UTC)
            for k in range(days + 1)
        ]
        found = read_range(session, bounds[0], bounds[-1])
        locale = practice_locale(session)
    plans = []
    for k in range(days):
        day = first_day + timedelta(days=k)
        opens, closes, breaks = day_hours(day, settings)
        mine = tuple(a for a in found if a.starts_at < bounds[k + 1] and a.ends_at > bounds[k])
        plans.append(DayPlan(day, opens, closes, breaks, mine))
    return ScheduleRange(
        first_day, tuple(plans), settings.time_zone, settings.buffer_minutes, locale
    )


def day_schedule(db: Database, day: date) -> ScheduleRange:
    return schedule_range(db, day, 1)


def week_schedule(db: Database, day: date, first_weekday: int = 0) -> ScheduleRange:
    """The week holding `day`, starting on `first_weekday` (0 = Monday, 6 = Sunday)."""
    if not isinstance(day, date) or first_weekday not in range(7):
        raise ValidationError({"day": "Give a date and a first weekday 0-6."})
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return schedule_range(db, start, 7)


def month_schedule(db: Database, year: int, month: int) -> ScheduleRange:
    if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError({"month": "Give a year and a month 1-12."})
    if not 1971 <= year <= 2198:
        raise ValidationError({"year": "That year is outside the calendar Fascia keeps."})
    return schedule_range(db, date(year, month, 1), monthrange(year, month)[1])


def client_appointments(
    db: Database, client_id: int, *, upcoming: bool = False, now: datetime | None = None
) -> list[Appointment]:
    """A client's appointments, oldest first; only those still ahead with `upcoming`."""
    conditions: list[Any] = [AppointmentRow.client_id == client_id]
    if upcoming:
        conditions.append(AppointmentRow.ends_at > (now or datetime.now(UTC)))
    with db.read() as session:
        return read(session, *conditions) if is_id(client_id) else []


def today(db: Database, day: date | None = None) -> TodayList:
    """The day's appointments in the practice's zone, each with the client's alert chips."""
    day = day or datetime.now(UTC).astimezone(get_zone(db)).date()
    schedule = schedule_range(db, day, 1)
    alerts: dict[int, tuple[Alert, ...]] = {}
    for appointment in schedule.appointments:
        if appointment.client_id not in alerts:
            found = clients.alerts_for(db, appointment.client_id, day)
            alerts[appointment.client_id] = tuple(found)
    return TodayList(
        day,
        schedule.time_zone,
        tuple(TodayItem(a, alerts[a.client_id]) for a in schedule.appointments),
    )


def attendance(db: Database, first_day: date, last_day: date) -> Attendance:
    """Booked, attended, no-shows and cancellations from first_day to last_day inclusive."""
    if last_day < first_day:
        raise ValidationError({"last_day": "The period ends before it starts."})
    schedule_zone = get_zone(db)
    start = datetime.combine(first_day, time.min, schedule_zone).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, schedule_zone).astimezone(UTC)
    with db.read() as session:
        states = [
            a.state
            for a in read(
                session, AppointmentRow.starts_at >= start, AppointmentRow.starts_at < end
            )
        ]
        late = session.scalar(
            select(func.count()).where(
                AppointmentRow.starts_at >= start,
                AppointmentRow.starts_at < end,
                AppointmentRow.late_cancel.is_(True),
            )
        )
    cancelled = states.count(AppointmentState.CANCELLED)
    attended = sum(
        s in (AppointmentState.COMPLETED, AppointmentState.NOTE_SIGNED, AppointmentState.BILLED)
        for s in states
    )
    return Attendance(
        booked=len(states) - cancelled + (late or 0),
        attended=attended,
        no_shows=states.count(AppointmentState.NO_SHOW),
        late_cancellations=late or 0,
        cancellations=cancelled,
    )


def get_zone(db: Database) -> ZoneInfo:
    with db.read() as session:
        return settings_in(session).zone


def _check_span(start: datetime, end: datetime) -> None:
    if not all(isinstance(t, datetime) and t.tzinfo is not None for t in (start, end)):
        raise ValidationError({"start": "Give the range as times with their time zone."})
    if end <= start:
        raise ValidationError({"end": "The range ends before it starts."})
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise ValidationError({"end": f"Ask for at most {MAX_RANGE_DAYS} days at a time."})
