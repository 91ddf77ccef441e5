"""Appointment use cases: book, move, resize, edit, confirm, arrive, check a slot; audited.

Each write validates, then runs in one write transaction (SQLite's lock taken up front) that
fetches the appointments nearby, works out the warnings and either saves or, when there are
warnings the caller has not confirmed, saves nothing and returns them (`Outcome.saved` False).
`strict=True` raises ScheduleConflict instead. Bad input always raises ValidationError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from practice.billing.models import ServiceRow
from practice.clients.models import ClientRow
from practice.errors import NotFoundError, ValidationError
from practice.schedule import checks, queries, reminders
from practice.schedule.models import AppointmentRow
from practice.schedule.records import (
    Appointment,
    AppointmentForm,
    AppointmentState,
    Outcome,
    ScheduleConflict,
    ScheduleSettings,
    SlotWarning,
    zone_info,
)
from practice.schedule.settings import pin_settings, settings_in
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id

T = TypeVar("T")
NOT_PENDING = "Only a booked or confirmed appointment can be {what}; this one is {state}."


class Unsaved(Exception):
    """Internal: rolls a write transaction back when warnings are left to confirm."""

    def __init__(self, warnings: list[SlotWarning]) -> None:
        self.warnings = tuple(warnings)


@dataclass(frozen=True, slots=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    service_id: int | None


# ---------------------------------------------------------------- booking and moving


def book(
    db: Database,
    form: AppointmentForm,
    *,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Book an appointment. Warnings (overlap, buffer, hours, past) come back unsaved unless
    `confirm`; `strict` turns them into ScheduleConflict."""
    form = checked_booking(form)
    return attempt(
        db,
        strict,
        lambda session: book_in(db, session, form, confirm=confirm, now=now),
        lambda warnings: Outcome(False, None, warnings),
    )


def checked_booking(form: AppointmentForm) -> AppointmentForm:
    """The form with its notes cleaned; ValidationError for bad ids or notes."""
    notes = checks.note_text(form.notes)
    _check_ids(form.client_id, form.service_id)
    return replace(form, notes=notes)


def book_in(
    db: Database,
    session: Session,
    form: AppointmentForm,
    *,
    confirm: bool,
    now: datetime | None,
) -> Outcome:
    """Book a checked form inside the caller's write transaction (raises Unsaved on warnings
    not confirmed: run it through `attempt`)."""
    settings = pin_settings(session)
    bookable_client(session, form.client_id)
    slot = _slot(session, settings, form)
    warnings = guard(session, settings, slot.starts_at, slot.ends_at, (), confirm, now)
    row = AppointmentRow(
        client_id=form.client_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        time_zone=settings.time_zone,
        service_id=slot.service_id,
        status=str(AppointmentState.BOOKED),
        notes=form.notes,
        created_by=db.actor,
    )
    session.add(row)
    session.flush()
    saved = queries.read_one(session, row.id)
    log(
        db,
        session,
        saved,
        "create",
        f"Appointment booked for {_when(saved)}",
        audit.diff({}, _view(saved)),
    )
    return Outcome(True, saved, tuple(warnings))


def update(
    db: Database,
    appointment_id: int,
    form: AppointmentForm,
    *,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Change a pending appointment's time, length, client, service or notes.

    A new time sets a confirmed appointment back to booked: the client confirmed the old one.
    """
    form = checked_booking(form)

    def work(session: Session) -> Outcome:
        return update_in(db, session, appointment_id, form, confirm=confirm, now=now)

    def unsaved(warnings: tuple[SlotWarning, ...]) -> Outcome:
        return Outcome(False, queries.get_appointment(db, appointment_id), warnings)

    return attempt(db, strict, work, unsaved)


def update_in(
    db: Database,
    session: Session,
    appointment_id: int,
    form: AppointmentForm,
    *,
    confirm: bool,
    now: datetime | None,
) -> Outcome:
    """Change a pending appointment with a checked form inside the caller's write transaction
    (raises Unsaved on warnings not confirmed: run it through `attempt`)."""
    settings = settings_in(session)
    row = pending_row(session, appointment_id, "changed")
    before = queries.read_one(session, row.id)
    if form.client_id != row.client_id:
        bookable_client(session, form.client_id)
    slot = _slot(session, settings, form, zone_info(row.time_zone))
    warnings = guard(session, settings, slot.starts_at, slot.ends_at, (row.id,), confirm, now)
    row.client_id = form.client_id
    row.service_id = slot.service_id
    row.notes = form.notes
    if (slot.starts_at, slot.ends_at) != (before.starts_at, before.ends_at):
        retime(session, row, slot.starts_at, slot.ends_at)
    session.flush()
    saved = queries.read_one(session, row.id)
    changes = audit.diff(_view(before), _view(saved))
    log(db, session, saved, "update", f"Appointment changed: {_when(saved)}", changes)
    return Outcome(True, saved, tuple(warnings))


def move(
    db: Database,
    appointment_id: int,
    starts_at: datetime,
    *,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Move to a new start, keeping the length (a drag in the week view)."""
    current = queries.get_appointment(db, appointment_id)
    form = _form(current, starts_at=starts_at, duration_minutes=current.duration_minutes)
    return update(db, appointment_id, form, confirm=confirm, strict=strict, now=now)


def resize(
    db: Database,
    appointment_id: int,
    *,
    ends_at: datetime | None = None,
    duration_minutes: int | None = None,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Change the end (a drag of the block's edge) or the length; the start stays."""
    if (ends_at is None) == (duration_minutes is None):
        raise ValidationError({"ends_at": "Give the new end or the new length."})
    current = queries.get_appointment(db, appointment_id)
    form = _form(current, ends_at=ends_at, duration_minutes=duration_minutes)
    return update(db, appointment_id, form, confirm=confirm, strict=strict, now=now)


def check_slot(
    db: Database,
    starts_at: datetime,
    *,
    ends_at: datetime | None = None,
    duration_minutes: int | None = None,
    ignore_id: int | None = None,
    now: datetime | None = None,
) -> tuple[SlotWarning, ...]:
    """The warnings booking this time would give, without booking (one indexed query)."""
    with db.read() as session:
        settings = settings_in(session)
        start, end = checks.slot_times(
            starts_at, settings.zone, duration_minutes=duration_minutes, ends_at=ends_at
        )
        ignore = (ignore_id,) if ignore_id is not None else ()
        busy = checks.busy_near(session, start, end, settings.buffer_minutes, ignore)
        return tuple(
            checks.slot_warnings(
                start, end, settings, busy, now=now, locale=checks.locale_of(session)
            )
        )


# ---------------------------------------------------------------- confirm and arrive


def confirm_appointment(db: Database, appointment_id: int) -> Outcome:
    """The client said they will come (by phone, reply or in person)."""
    with db.transaction() as session:
        row = pending_row(session, appointment_id, "confirmed")
        if row.status == AppointmentState.CONFIRMED:
            return Outcome(True, queries.read_one(session, row.id))
        row.status = str(AppointmentState.CONFIRMED)
        session.flush()
        saved = queries.read_one(session, row.id)
        log(db, session, saved, "confirm", "Appointment confirmed", _state_change("booked", saved))
        return Outcome(True, saved)


def mark_arrived(db: Database, appointment_id: int, *, now: datetime | None = None) -> Outcome:
    """The client is here. Only on the appointment's own day."""
    now = now or datetime.now(UTC)
    with db.transaction() as session:
        row = pending_row(session, appointment_id, "marked arrived")
        current = queries.read_one(session, row.id)
        if now.astimezone(current.local_start.tzinfo).date() != current.day:
            raise ValidationError(
                {"state": f"This appointment is on {current.day.isoformat()}, not today."}
            )
        old = row.status
        row.status = str(AppointmentState.ARRIVED)
        session.flush()
        saved = queries.read_one(session, row.id)
        log(db, session, saved, "arrive", "Client arrived", _state_change(old, saved))
        return Outcome(True, saved)


# ---------------------------------------------------------------- helpers shared in the package


def pending_row(session: Session, appointment_id: object, what: str) -> AppointmentRow:
    """The appointment's row if it is still booked or confirmed, else a plain refusal."""
    row = get_or_raise(session, AppointmentRow, appointment_id, "appointment")
    state = queries.read_one(session, row.id).state
    if not state.pending:
        raise ValidationError({"state": NOT_PENDING.format(what=what, state=state.label.lower())})
    return row


def retime(session: Session, row: AppointmentRow, starts_at: datetime, ends_at: datetime) -> None:
    """Give a row a new time: its confirmation and unsent reminders were for the old one."""
    row.starts_at, row.ends_at = starts_at, ends_at
    if row.status == AppointmentState.CONFIRMED:
        row.status = str(AppointmentState.BOOKED)
    reminders.drop_queued(session, row.id)


def log(
    db: Database,
    session: Session,
    appointment: Appointment,
    action: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.log(
        db,
        session,
        action=action,
        entity="appointment",
        entity_id=appointment.id,
        client_id=appointment.client_id,
        summary=summary,
        changes=changes or {},
    )


def attempt(
    db: Database,
    strict: bool,
    work: Callable[[Session], T],
    unsaved: Callable[[tuple[SlotWarning, ...]], T],
) -> T:
    """Run `work` in a write transaction. When it raises Unsaved (warnings left to confirm)
    the transaction is rolled back and `unsaved(warnings)` answers instead, or with `strict`
    ScheduleConflict is raised."""
    try:
        with db.transaction() as session:
            return work(session)
    except Unsaved as stopped:
        if strict:
            raise ScheduleConflict(stopped.warnings) from None
        return unsaved(stopped.warnings)


def guard(
    session: Session,
    settings: ScheduleSettings,
    starts_at: datetime,
    ends_at: datetime,
    ignore: tuple[int, ...],
    confirm: bool,
    now: datetime | None,
) -> list[SlotWarning]:
    """The warnings for a time; raises Unsaved when there are some and they are not confirmed."""
    busy = checks.busy_near(session, starts_at, ends_at, settings.buffer_minutes, ignore)
    warnings = checks.slot_warnings(
        starts_at,
        ends_at,
        settings,
        busy,
        now=now or datetime.now(UTC),
        locale=checks.locale_of(session),
    )
    if warnings and not confirm:
        raise Unsaved(warnings)
    return warnings


def _slot(
    session: Session,
    settings: ScheduleSettings,
    form: AppointmentForm,
    zone: ZoneInfo | None = None,
) -> Slot:
    """The form's times in UTC; a naive time is read in `zone` (the practice's by default)."""
    service = treatment_service(session, form.service_id)
    zone = zone or settings.zone
    start, end = checks.slot_times(
        form.starts_at,
        zone,
        duration_minutes=form.duration_minutes,
        ends_at=form.ends_at,
        default_minutes=service.duration_minutes if service is not None else None,
    )
    return Slot(start, end, service.id if service is not None else None)


def treatment_service(session: Session, service_id: int | None) -> ServiceRow | None:
    if service_id is None:
        return None
    service = session.get(ServiceRow, service_id)
    if service is None or service.archived or service.kind != "treatment":
        raise ValidationError({"service_id": "Choose a treatment from the service catalogue."})
    if not service.duration_minutes:
        raise ValidationError(
            {
                "service_id": f"{service.name} has no length; give it a duration in the catalogue "
                "or type the appointment's length."
            }
        )
    return service


def bookable_client(session: Session, client_id: int) -> None:
    client = session.get(ClientRow, client_id)
    if client is None:
        raise NotFoundError(f"No client with id {client_id}.")
    if client.archived:
        raise ValidationError({"client_id": "This client is archived; restore them to book."})


def _check_ids(client_id: object, service_id: object) -> None:
    if not is_id(client_id):
        raise ValidationError({"client_id": "Choose the client."})
    if service_id is not None and not is_id(service_id):
        raise ValidationError({"service_id": "Choose a treatment from the service catalogue."})


def _form(current: Appointment, **changes: Any) -> AppointmentForm:
    values: dict[str, Any] = {
        "client_id": current.client_id,
        "starts_at": current.starts_at,
        "service_id": current.service_id,
        "notes": current.notes,
    }
    return AppointmentForm(**(values | changes))


def _when(appointment: Appointment) -> str:
    return appointment.local_start.strftime("%Y-%m-%d %H:%M")


def _view(appointment: Appointment) -> dict[str, Any]:
    return {
        "client_id": appointment.client_id,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "service_id": appointment.service_id,
        "notes": appointment.notes,
        "state": appointment.state,
    }


def _state_change(old: str, saved: Appointment) -> dict[str, Any]:
    return {"state": [old, str(saved.state)]}
