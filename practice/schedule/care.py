"""Appointment to visit to bill: start the visit note from an appointment, then bill it.

`start_visit` opens the visit note through the visits service, pre-filled from the appointment
(date, time, length) and the client's course of care: the active plan's planned techniques (or,
without a plan, the last visit's treatment log) and what the last note carried over. Deep work
on a client whose alerts restrict it is not written into the note: an acknowledgement is the
therapist's own act on the day, so those lines come back in `VisitStart.to_acknowledge` with
the alerts, for the note editor to offer. The appointment is then linked to its visit and from
there its state follows the visit (note signed) and the visit's invoice (billed).

Visits and the schedule are separate transactions. Should Fascia stop between creating the
visit and linking it, the next `start_visit` finds that visit (same client, same start, not
linked) and links it rather than opening a second note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import select

from practice.billing import service as billing
from practice.billing.records import Invoice
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.rules import Alert
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.schedule import queries
from practice.schedule.models import AppointmentRow
from practice.schedule.records import Appointment, AppointmentState
from practice.schedule.service import log
from practice.store.database import Database
from practice.store.rows import get_or_raise
from practice.visits import service as visits
from practice.visits.models import VisitRow
from practice.visits.records import TreatmentInput, VisitDraft, VisitRecord
from practice.visits.techniques import alerts_to_acknowledge


@dataclass(frozen=True, slots=True)
class VisitStart:
    """The visit note an appointment became, and what is left for the therapist to decide."""

    appointment: Appointment
    visit: VisitRecord
    to_acknowledge: tuple[TreatmentInput, ...]  # planned deep work under the alerts below
    alerts: tuple[Alert, ...]  # the client's alerts on the day, to acknowledge or heed
    created: bool  # False when the appointment already had its visit

    @property
    def changes(self) -> Changes:
        return Changes.of("visit", "appointment", client_id=self.appointment.client_id)


def start_visit(db: Database, appointment_id: int, *, today: date | None = None) -> VisitStart:
    """Open the appointment's visit note (or return the one it already has)."""
    appointment = queries.get_appointment(db, appointment_id)
    alerts = tuple(clients.alerts_for(db, appointment.client_id, appointment.day))
    if appointment.visit_id is not None:
        record = visits.get_visit(db, appointment.visit_id)
        return VisitStart(appointment, record, (), alerts, created=False)
    if appointment.state not in (
        AppointmentState.BOOKED,
        AppointmentState.CONFIRMED,
        AppointmentState.ARRIVED,
    ):
        raise ValidationError(
            {"state": f"This appointment is {appointment.state.label.lower()}; it has no visit."}
        )
    today = today or datetime.now(UTC).astimezone(appointment.local_start.tzinfo).date()
    if appointment.day > today:
        raise ValidationError(
            {
                "starts_at": f"This appointment is on {appointment.day.isoformat()}; its note "
                "is started on the day."
            }
        )
    visit_id = _unlinked_visit(db, appointment)
    held: tuple[TreatmentInput, ...] = ()
    if visit_id is None:
        draft, held = _draft(db, appointment, alerts)
        try:
            visit_id = visits.create_visit(db, appointment.client_id, draft, today).visit.id
        except ValidationError:
            # Carried-over lines that no longer pass (a technique archived since): start the
            # note bare and hand every line to the editor instead.
            bare = VisitDraft(draft.visit, draft.note)
            visit_id = visits.create_visit(db, appointment.client_id, bare, today).visit.id
            held = draft.treatments + held
    linked = _link(db, appointment.id, visit_id)
    return VisitStart(linked, visits.get_visit(db, visit_id), held, alerts, created=True)


def bill_appointment(
    db: Database, appointment_id: int, *, issue: bool = True, use_package: bool = True
) -> Invoice:
    """Bill the appointment's visit with the appointment's service (Billing's `bill_visit`)."""
    appointment = queries.get_appointment(db, appointment_id)
    if appointment.visit_id is None:
        raise ValidationError({"visit": "Start the visit note from the appointment first."})
    return billing.bill_visit(
        db, appointment.visit_id, appointment.service_id, issue=issue, use_package=use_package
    )


def _draft(
    db: Database, appointment: Appointment, alerts: tuple[Alert, ...]
) -> tuple[VisitDraft, tuple[TreatmentInput, ...]]:
    """The pre-filled note and the planned lines held back for an acknowledgement."""
    draft = visits.start_from_last_visit(db, appointment.client_id, appointment.starts_at)
    place = billing.get_settings(db).place_of_service
    form = replace(
        draft.visit,
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        place_of_service=place,
    )
    plan = plans.active_plan(db, appointment.client_id)
    lines = draft.treatments
    if plan is not None and plan.techniques:
        lines = tuple(
            TreatmentInput(
                technique=t.technique,
                minutes=t.minutes,
                regions=t.regions,
                pressure=t.pressure,
                notes=t.notes,
                name=t.name,
                deep=t.restricted,
            )
            for t in plan.techniques
        )
    ready: list[TreatmentInput] = []
    held: list[TreatmentInput] = []
    room = appointment.duration_minutes
    for line in lines:
        fits = isinstance(line.minutes, int) and line.minutes <= room
        if alerts_to_acknowledge(alerts, line) or not fits:
            held.append(line)
        else:
            ready.append(line)
            room -= line.minutes
    return VisitDraft(form, draft.note, tuple(ready)), tuple(held)


def _unlinked_visit(db: Database, appointment: Appointment) -> int | None:
    """A visit of this client at this exact start that no appointment claims."""
    linked = select(AppointmentRow.visit_id).where(AppointmentRow.visit_id.is_not(None))
    query = select(VisitRow.id).where(
        VisitRow.client_id == appointment.client_id,
        VisitRow.starts_at == appointment.starts_at,
        VisitRow.id.not_in(linked),
    )
    with db.read() as session:
        return session.scalar(query.limit(1))


def _link(db: Database, appointment_id: int, visit_id: int) -> Appointment:
    with db.transaction() as session:
        row = get_or_raise(session, AppointmentRow, appointment_id, "appointment")
        if row.visit_id is not None and row.visit_id != visit_id:
            raise ValidationError({"visit": "This appointment already has its visit note."})
        old = row.status
        row.visit_id = visit_id
        if row.status in (AppointmentState.BOOKED, AppointmentState.CONFIRMED):
            row.status = str(AppointmentState.ARRIVED)
        session.flush()
        saved = queries.read_one(session, row.id)
        log(db, session, saved, "visit", "Visit note started from the appointment", {
            "visit_id": [None, visit_id],
            "status": [old, row.status],
        })  # fmt: skip
        return saved
