"""The demo practice's schedule: every past visit as its appointment, series from the plans.

Past appointments are written in bulk from the demo visits (a 10,000-client demo stays quick):
completed visits are linked, so their state (completed, note signed, billed) follows the visit;
demo visits marked cancelled or no-show become cancellations (some late) and no-shows. The fee
policy is applied to the most recent of those through the service, so a few fee invoices
exist. The future is booked through the service as a therapist would: a series for each active
plan in a free weekly slot, a few appointments today, and the waitlist for those who did not fit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from practice.billing import service as billing
from practice.billing.records import ServiceKind
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.plans.models import PlanRow
from practice.schedule import missed, reminders, series, service, waitlist
from practice.schedule.models import AppointmentRow
from practice.schedule.records import (
    AppointmentForm,
    ScheduleSettings,
    WaitlistForm,
    Wants,
    WarningKind,
)
from practice.schedule.settings import get_settings, save_settings
from practice.store.audit import AuditEntry
from practice.store.bulk import bulk_transaction, insert_rows
from practice.store.database import Database
from practice.visits.models import VisitRow

# The weekly grid a solo therapist books: 60 minutes plus the 15-minute buffer, lunch at noon.
SLOT_TIMES = (time(9), time(10, 15), time(13), time(14, 15), time(15, 30))
BLOCKING = (WarningKind.OVERLAP, WarningKind.BUFFER, WarningKind.BREAK)
REASONS = ("Sick", "Car trouble", "Work meeting ran late", "Childcare", "Weather", "Forgot")
MAX_PROPOSALS = 60  # active plans tried for the weekly grid (it holds 25 weekly slots)
BILLED_FEES = 8  # the most recent missed appointments whose fee goes through billing
LATE_SHARE = 0.4  # of demo cancellations


@dataclass(frozen=True, slots=True)
class ScheduleDemoResult:
    past: int
    series: int
    upcoming: int
    waitlist: int
    fees_billed: int


def generate_schedule(db: Database, seed: int = 1, today: date | None = None) -> ScheduleDemoResult:
    """Fill the schedule from the demo visits and plans (run after visits, plans and billing)."""
    rng = random.Random(f"schedule {seed}")
    today = today or date.today()
    settings = get_settings(db)
    save_settings(db, ScheduleSettings(time_zone=settings.time_zone))
    settings = get_settings(db)
    services = _timed(db)
    past = _past(db, rng, settings, services)
    fees = _fees(db, rng)
    made, left_over = _series(db, today)
    upcoming = _today(db, rng, today, settings, services)
    waiting = _waitlist(db, rng, left_over or _with_series(db))
    reminders.queue_due(db)
    return ScheduleDemoResult(past, made, upcoming, waiting, fees)


def _past(db: Database, rng: random.Random, settings: ScheduleSettings, services: list) -> int:  # type: ignore[type-arg]
    with db.read() as session:
        visits = session.execute(
            select(
                VisitRow.id,
                VisitRow.client_id,
                VisitRow.starts_at,
                VisitRow.duration_minutes,
                VisitRow.status,
                VisitRow.created_at,
            ).order_by(VisitRow.starts_at, VisitRow.id)
        ).all()
    rows: list[dict[str, Any]] = []
    nearest: dict[int, int | None] = {}  # the service of the closest length, by visit length
    for visit_id, client_id, starts_at, minutes, status, created in visits:
        service_id = nearest.get(minutes, -1)
        if service_id == -1:
            service_id = nearest[minutes] = (
                min(services, key=lambda s: abs(s.duration_minutes - minutes)).id
                if services
                else None
            )
        booked = starts_at - timedelta(days=rng.randint(2, 21))
        row = {
            "client_id": client_id,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes),
            "time_zone": settings.time_zone,
            "service_id": service_id,
            "status": "arrived",
            "series_id": None,
            "occurrence": None,
            "visit_id": visit_id,
            "notes": "",
            "cancelled_at": None,
            "cancel_reason": "",
            "late_cancel": False,
            "fee_cents": None,
            "fee_note": "",
            "fee_invoice_id": None,
            "created_at": booked,
            "created_by": db.actor,
            "updated_at": created,
        }
        if status == "no_show":
            row["status"] = "no_show"
        elif status == "cancelled":
            late = rng.random() < LATE_SHARE
            notice = (
                timedelta(hours=rng.randint(2, 20)) if late else timedelta(days=rng.randint(2, 6))
            )
            row |= {
                "status": "cancelled",
                "cancelled_at": starts_at - notice,
                "cancel_reason": rng.choice(REASONS),
                "late_cancel": late,
                "visit_id": None,  # a cancelled booking never became a visit
            }
        rows.append(row)
    if not rows:
        return 0
    with bulk_transaction(db) as session:
        insert_rows(session, AppointmentRow, rows)
        insert_rows(
            session,
            AuditEntry,
            [
                {
                    "at": datetime.now(UTC),
                    "actor": db.actor,
                    "action": "create",
                    "entity": "appointment",
                    "entity_id": None,
                    "client_id": None,
                    "summary": f"Demo schedule: {len(rows)} past appointments from the visits",
                    "changes": {},
                }
            ],
        )
    return len(rows)


def _fees(db: Database, rng: random.Random) -> int:
    """Apply the fee policy to the latest missed appointments, through the service: the
    demo rows are marked booked again and then cancelled late or marked no-show."""
    with db.read() as session:
        latest = session.execute(
            select(AppointmentRow.id, AppointmentRow.status, AppointmentRow.cancelled_at)
            .where((AppointmentRow.status == "no_show") | AppointmentRow.late_cancel.is_(True))
            .order_by(AppointmentRow.starts_at.desc())
            .limit(BILLED_FEES)
        ).all()
    billed = 0
    for appointment_id, status, cancelled_at in latest:
        with db.transaction() as session:
            row = session.get(AppointmentRow, appointment_id)
            assert row is not None
            visit_id, starts_at = row.visit_id, row.starts_at
            row.status, row.late_cancel, row.visit_id = "booked", False, None
        if status == "no_show":
            now = starts_at + timedelta(hours=1)
            outcome = missed.mark_no_show(db, appointment_id, now=now, bill=False)
            with db.transaction() as session:
                row = session.get(AppointmentRow, appointment_id)
                assert row is not None
                row.visit_id = visit_id  # the no-show visit of the demo history
        else:
            reason = rng.choice(REASONS)
            outcome = missed.cancel(db, appointment_id, reason, now=cancelled_at, bill=False)
        if outcome.fee is not None and outcome.fee.amount > 0:
            missed.bill_fee(db, appointment_id, issue=True)  # past fees were issued long ago
            billed += 1
    return billed


def _series(db: Database, today: date) -> tuple[int, list[int]]:
    """A weekly series for each active plan, in the free slots of the grid; who did not fit."""
    with db.read() as session:
        plans = session.execute(
            select(PlanRow.id, PlanRow.client_id)
            .join(ClientRow, ClientRow.id == PlanRow.client_id)
            .where(
                PlanRow.status == "active", PlanRow.end_date > today, ClientRow.archived.is_(False)
            )
            .order_by(PlanRow.id)
        ).all()
    free = [(day, at) for at in SLOT_TIMES for day in range(5)]
    sixty = next((s.id for s in _timed(db) if s.duration_minutes == 60), None)
    made, left_over = 0, []
    for plan_id, client_id in plans[:MAX_PROPOSALS]:
        if not free:
            left_over.append(client_id)  # the week is full: they wait for a slot
            continue
        weekday, at = free[0]
        try:
            proposal = series.propose_for_plan(
                db, plan_id, at=at, weekday=weekday, from_day=today + timedelta(days=1)
            )
        except ValidationError:
            continue  # its visits are all done or booked
        days = proposal.rule.weekdays or (proposal.first_start.weekday(),)
        slot = [(d, proposal.first_start.time()) for d in days]
        if any(s not in free for s in slot):
            left_over.append(client_id)
            continue
        form = replace(proposal.form(), duration_minutes=60, service_id=sixty)
        if series.create_series(db, form, confirm=True).saved:
            made += 1
            for s in slot:
                free.remove(s)
    return made, left_over[:6]


def _timed(db: Database) -> list[Any]:
    services = billing.list_services(db, kind=ServiceKind.TREATMENT)
    return sorted((s for s in services if s.duration_minutes), key=lambda s: s.id)


def _today(
    db: Database,
    rng: random.Random,
    today: date,
    settings: ScheduleSettings,
    services: list,  # type: ignore[type-arg]
) -> int:
    """Three appointments today, even on a day off, where the series left room: the first
    confirmed, those whose time has come marked arrived."""
    with db.read() as session:
        clients = list(
            session.scalars(
                select(VisitRow.client_id)
                .join(ClientRow, ClientRow.id == VisitRow.client_id)
                .where(ClientRow.archived.is_(False))
                .distinct()
                .limit(40)
            )
        )
    if not clients or not services:
        return 0
    zone = settings.zone
    now = datetime.now(UTC)
    made = 0
    for at in SLOT_TIMES:
        start = datetime.combine(today, at, zone)
        # A day off or an hour already gone is no reason to leave Today empty in the demo:
        # only another appointment in the way is.
        warnings = service.check_slot(db, start, duration_minutes=60, now=now)
        if any(w.kind in BLOCKING for w in warnings):
            continue
        form = AppointmentForm(rng.choice(clients), start, 60, service_id=services[0].id)
        outcome = service.book(db, form, confirm=True, now=now)
        if outcome.saved and outcome.appointment is not None:
            made += 1
            if start <= now and today == now.astimezone(zone).date():
                service.mark_arrived(db, outcome.appointment.id, now=now)
            elif made == 1:
                service.confirm_appointment(db, outcome.appointment.id)
        if made == 3:
            break
    return made


def _with_series(db: Database) -> list[int]:
    """Clients with a series, some of whom would take an earlier slot."""
    with db.read() as session:
        query = select(AppointmentRow.client_id).where(AppointmentRow.series_id.is_not(None))
        return list(session.scalars(query.distinct().limit(4)))


def _waitlist(db: Database, rng: random.Random, clients: list[int]) -> int:
    count = 0
    for client_id in clients[:6]:
        wants = Wants.REGULAR if rng.random() < 0.6 else Wants.EARLIER
        days = frozenset(rng.sample(range(5), k=rng.randint(1, 3)))
        form = WaitlistForm(client_id, wants, 60, weekdays=days, earliest=time(9), latest=time(17))
        waitlist.join(db, form)
        count += 1
    return count
