"""Recurring series: book from a rule, propose from a plan, change or cancel this / following / all.

A series is a rule and a wall-clock first start in the practice's zone; its appointments are
ordinary appointment rows (each remembers its occurrence, the RFC 5545 RECURRENCE-ID), so the
schedule, the calendar feed and the visit link treat them like any other. A series with no end
is refused.

Changing "this and following" splits the series: the old one is cut before the chosen
occurrence and a new one carries the change from there. "All" changes every appointment still
ahead; those already seen, cancelled or past stay as they were (history is never rewritten),
so when the series has any of those, "all" is a split at the first one still ahead. Pending
appointments keep their ids where the new rule still has a date for them; left-over ones are
removed, extra dates are booked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from practice.changes import NOTHING, Changes
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.course import plan_course
from practice.schedule import checks, missed, queries, rules
from practice.schedule import service as appointments
from practice.schedule.models import AppointmentRow, ReminderRow, SeriesRow
from practice.schedule.records import (
    Appointment,
    AppointmentForm,
    AppointmentState,
    ScheduleSettings,
    SlotWarning,
    zone_info,
)
from practice.schedule.rules import Occurrence, RecurrenceRule
from practice.schedule.service import Unsaved, attempt, log
from practice.schedule.settings import pin_settings, settings_in
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"  # this one and the ones after it
    ALL = "all"  # every one still ahead


@dataclass(frozen=True, slots=True)
class SeriesForm:
    """A series as typed. A naive `first_start` is wall-clock time in the practice's zone."""

    client_id: int
    first_start: datetime
    rule: RecurrenceRule
    duration_minutes: int | None = None  # None: the service's length
    service_id: int | None = None
    notes: str = ""
    plan_id: int | None = None


@dataclass(frozen=True, slots=True)
class Series:
    id: int
    client_id: int
    service_id: int | None
    plan_id: int | None
    rule: RecurrenceRule
    first_local: datetime  # naive, wall clock in `time_zone`
    time_zone: str
    duration_minutes: int
    notes: str

    @property
    def description(self) -> str:
        return f"{self.rule.describe()}, at {self.first_local:%H:%M}"


@dataclass(frozen=True, slots=True)
class SeriesOutcome:
    """Unsaved (with the warnings per occurrence) until the caller confirms them."""

    saved: bool
    series: Series | None
    appointments: tuple[Appointment, ...] = ()  # booked, changed or cancelled by this call
    warnings: tuple[SlotWarning, ...] = ()
    removed: tuple[int, ...] = ()  # pending appointments the change made unnecessary

    @property
    def changes(self) -> Changes:
        if not self.saved:
            return NOTHING
        clients = {a.client_id for a in self.appointments}
        client = next(iter(clients)) if len(clients) == 1 else None
        return Changes.of("appointment", client_id=client)


@dataclass(frozen=True, slots=True)
class SeriesProposal:
    """A series a treatment plan calls for, for the therapist to adjust and book."""

    plan_id: int
    client_id: int
    rule: RecurrenceRule
    first_start: datetime  # naive, wall clock in the practice's zone
    duration_minutes: int
    service_id: int | None
    visits_left: int
    description: str

    def form(self) -> SeriesForm:
        return SeriesForm(
            self.client_id,
            self.first_start,
            self.rule,
            self.duration_minutes,
            self.service_id,
            plan_id=self.plan_id,
        )


# ---------------------------------------------------------------- proposing and booking


def propose_for_plan(
    db: Database,
    plan_id: int,
    *,
    at: time = time(10),
    weekday: int | None = None,
    from_day: date | None = None,
    now: datetime | None = None,
) -> SeriesProposal:
    """The series the plan's frequency and length call for, for the visits still to book.

    '2 visits a week for 6 weeks' becomes weekly on two working days (spread over the week)
    for the visits not yet done or booked, from `from_day` (tomorrow by default) at `at`,
    never past the plan's end.
    """
    plan = plans.get_plan(db, plan_id)
    if plan.status.closed:
        raise ValidationError({"plan": f"This plan is {plan.status.label.lower()}."})
    now = now or datetime.now(UTC)
    settings = _settings(db)
    zone = settings.zone
    from_day = max(from_day or now.astimezone(zone).date() + timedelta(days=1), plan.start_date)
    if from_day > plan.end_date:
        raise ValidationError({"plan": f"This plan ended on {plan.end_date.isoformat()}."})
    course = plan_course(db, plan_id, from_day)
    done = len(course.attended) + len(course.drafts)  # a draft visit took place all the same
    booked = _booked_within(db, plan.client_id, from_day, plan.end_date, zone)
    left = plan.planned_visits - done - booked
    if left <= 0:
        raise ValidationError({"plan": "The plan's visits are all done or booked."})
    weekday = from_day.weekday() if weekday is None else weekday
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ValidationError({"weekday": "A weekday is 0 (Monday) to 6 (Sunday)."})
    rule = rules.plan_rule(
        plan.frequency_count, plan.frequency_weeks, left, weekday, settings.working_weekdays
    )
    days = rule.weekdays or (_working_day(weekday, settings),)
    first = datetime.combine(rules.first_on_or_after(from_day, days), at)
    in_plan = [o for o in rules.expand(rule, first, zone) if o.local.date() <= plan.end_date]
    rule = replace(rule, count=max(1, len(in_plan)))
    minutes = sum(t.minutes for t in plan.techniques)
    duration, service_id = _service_for(db, minutes or 60)
    return SeriesProposal(
        plan_id=plan.id,
        client_id=plan.client_id,
        rule=rule,
        first_start=first,
        duration_minutes=duration,
        service_id=service_id,
        visits_left=left,
        description=f"{rule.describe()} at {first:%H:%M} ({plan.frequency_text}; {left} to book)",
    )


def preview(db: Database, form: SeriesForm) -> list[Occurrence]:
    """The dates a series would book, before booking it (validated like `create_series`)."""
    settings = _settings(db)
    first, rule = _checked(form, settings)
    return rules.expand(rule, first, settings.zone)


def create_series(
    db: Database,
    form: SeriesForm,
    *,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> SeriesOutcome:
    """Book every occurrence of the rule. Warnings come back per occurrence, unsaved, unless
    `confirm` (the whole series is booked or none of it)."""
    notes = checks.note_text(form.notes)
    if form.plan_id is not None and not is_id(form.plan_id):
        raise ValidationError({"plan_id": "No such plan."})

    def work(session: Session) -> SeriesOutcome:
        settings = pin_settings(session)
        first, rule = _checked(form, settings)
        appointments.bookable_client(session, form.client_id)
        service = appointments.treatment_service(session, form.service_id)
        duration = _duration(form.duration_minutes, service.duration_minutes if service else None)
        occurrences = _occurrences(rule, first, settings)
        warnings = _guard_many(session, settings, occurrences, duration, (), confirm, now)
        row = SeriesRow(
            client_id=form.client_id,
            service_id=form.service_id,
            plan_id=form.plan_id,
            rule=rule.to_rfc(),
            first_local=rules.occurrence_key(first),
            time_zone=settings.time_zone,
            duration_minutes=duration,
            notes=notes,
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        made = _insert(db, session, row, occurrences)
        _log_series(db, session, row, f"Series booked: {rule.describe()}", len(made))
        return SeriesOutcome(True, _series(row), made, tuple(warnings))

    return attempt(db, strict, work, lambda w: SeriesOutcome(False, None, (), w))


def get_series(db: Database, series_id: int) -> Series:
    with db.read() as session:
        return _series(get_or_raise(session, SeriesRow, series_id, "series"))


def series_appointments(db: Database, series_id: int) -> list[Appointment]:
    with db.read() as session:
        return queries.read(session, AppointmentRow.series_id == series_id)


# ---------------------------------------------------------------- changing and cancelling


def change_series(
    db: Database,
    appointment_id: int,
    scope: Scope,
    *,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    service_id: int | None = None,
    notes: str | None = None,
    rule: RecurrenceRule | None = None,
    confirm: bool = False,
    strict: bool = False,
    now: datetime | None = None,
) -> SeriesOutcome:
    """Change one appointment of a series, it and the ones after, or all still ahead.

    `starts_at` is this appointment's new start: for following/all, the series moves by the
    same days and takes the new clock time. `rule` replaces the recurrence from here on.
    """
    scope = _scope(scope)
    current = queries.get_appointment(db, appointment_id)
    if current.series_id is None:
        raise ValidationError({"scope": "This appointment is not part of a series."})
    if scope is Scope.THIS:
        form = AppointmentForm(
            current.client_id,
            starts_at or current.starts_at,
            duration_minutes or current.duration_minutes,
            service_id=service_id if service_id is not None else current.service_id,
            notes=current.notes if notes is None else notes,
        )
        done = appointments.update(
            db, appointment_id, form, confirm=confirm, strict=strict, now=now
        )
        found = (done.appointment,) if done.appointment else ()
        return SeriesOutcome(done.saved, get_series(db, current.series_id), found, done.warnings)
    text = checks.note_text(notes) if notes is not None else None
    now = now or datetime.now(UTC)

    def work(session: Session) -> SeriesOutcome:
        settings = settings_in(session)
        series = get_or_raise(session, SeriesRow, current.series_id, "series")
        ahead = _ahead(session, series.id, current, scope, now)
        zone = zone_info(series.time_zone)
        anchor = rules.from_key(ahead[0].occurrence or rules.occurrence_key(_local(ahead[0], zone)))
        first = rules.local_naive(starts_at, zone) if starts_at is not None else anchor
        new_rule = rule or _carried_rule(rules.parse_rule(series.rule), len(ahead), first, anchor)
        rules.validate_rule(new_rule, first.date())
        service = appointments.treatment_service(
            session, service_id if service_id is not None else series.service_id
        )
        length = duration_minutes or (service.duration_minutes if service_id else None)
        duration = _duration(length or series.duration_minutes, None)
        occurrences = _occurrences(new_rule, first, settings, zone)
        ignore = tuple(r.id for r in ahead)
        warnings = _guard_many(session, settings, occurrences, duration, ignore, confirm, now)
        target = _split_or_update(db, session, series, anchor, first, new_rule)
        target.duration_minutes, target.service_id = duration, service.id if service else None
        if text is not None:
            target.notes = text
        changed, removed = _reconcile(db, session, target, ahead, occurrences, text)
        _log_series(db, session, target, f"Series changed ({scope}): {new_rule.describe()}",
                    len(changed))  # fmt: skip
        return SeriesOutcome(True, _series(target), changed, tuple(warnings), removed)

    def unsaved(warnings: tuple[SlotWarning, ...]) -> SeriesOutcome:
        return SeriesOutcome(False, get_series(db, current.series_id), (), warnings)

    return attempt(db, strict, work, unsaved)


def cancel_series(
    db: Database,
    appointment_id: int,
    scope: Scope,
    reason: str,
    *,
    now: datetime | None = None,
    charge: bool | None = None,
    bill: bool = True,
) -> SeriesOutcome:
    """Cancel one appointment, it and the ones after, or all still ahead, and end the series
    there. The fee policy applies to each one inside the notice period, as for one cancel."""
    scope = _scope(scope)
    reason = checks.note_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": "Say why the appointments are cancelled."})
    current = queries.get_appointment(db, appointment_id)
    if current.series_id is None:
        raise ValidationError({"scope": "This appointment is not part of a series."})
    if scope is Scope.THIS:
        done = missed.cancel(db, appointment_id, reason, now=now, charge=charge, bill=bill)
        found = (done.appointment,) if done.appointment else ()
        return SeriesOutcome(True, get_series(db, current.series_id), found)
    now = now or datetime.now(UTC)
    with db.transaction() as session:
        series = get_or_raise(session, SeriesRow, current.series_id, "series")
        ahead = _ahead(session, series.id, current, scope, now)
        zone = zone_info(series.time_zone)
        anchor = rules.from_key(ahead[0].occurrence or rules.occurrence_key(_local(ahead[0], zone)))
        cancelled = []
        for row in ahead:
            saved, decision = missed.miss_row(
                db, session, row, AppointmentState.CANCELLED, reason, now, charge
            )
            cancelled.append((saved, decision))
        _end_before(series, anchor)
        _log_series(db, session, series, f"Series cancelled ({scope}): {reason}", len(ahead))
        outcome_series = _series(series)
    for saved, decision in cancelled:
        if bill and decision is not None and decision.amount > 0:
            missed.bill_fee(db, saved.id)
    found = tuple(queries.get_appointment(db, saved.id) for saved, _ in cancelled)
    return SeriesOutcome(True, outcome_series, found)


# ---------------------------------------------------------------- helpers


def _checked(form: SeriesForm, settings: ScheduleSettings) -> tuple[datetime, RecurrenceRule]:
    if not is_id(form.client_id):
        raise ValidationError({"client_id": "Choose the client."})
    if not isinstance(form.rule, RecurrenceRule):
        raise ValidationError({"rule": "Choose how the series repeats."})
    start, _ = checks.slot_times(form.first_start, settings.zone, duration_minutes=1)
    first = rules.local_naive(start, settings.zone)
    if form.first_start.tzinfo is None:
        first = form.first_start.replace(second=0, microsecond=0)
    return first, rules.validate_rule(form.rule, first.date())


def _occurrences(
    rule: RecurrenceRule, first: datetime, settings: ScheduleSettings, zone: Any = None
) -> list[Occurrence]:
    found = rules.expand(rule, first, zone or settings.zone)
    if not found:
        raise ValidationError({"rule": "This rule gives no dates from the first appointment on."})
    if found[-1].local.year > checks.LAST_YEAR:
        raise ValidationError({"rule": "The series runs past the calendar Fascia keeps."})
    return found


def _duration(given: object, default: int | None) -> int:
    length = default if given is None else given
    start = datetime(2000, 1, 3, 12, tzinfo=UTC)
    _, end = checks.slot_times(start, zone_info("UTC"), duration_minutes=length)
    return int((end - start).total_seconds() // 60)


def _guard_many(
    session: Session,
    settings: ScheduleSettings,
    occurrences: list[Occurrence],
    duration: int,
    ignore: tuple[int, ...],
    confirm: bool,
    now: datetime | None,
) -> list[SlotWarning]:
    length = timedelta(minutes=duration)
    slots = [(o.starts_at, o.starts_at + length, o.starts_at) for o in occurrences]
    busy = checks.busy_near(session, slots[0][0], slots[-1][1], settings.buffer_minutes, ignore)
    warnings = checks.series_warnings(
        slots, settings, busy, now=now or datetime.now(UTC), locale=checks.locale_of(session)
    )
    if warnings and not confirm:
        raise Unsaved(warnings)
    return warnings


def _insert(
    db: Database, session: Session, series: SeriesRow, occurrences: list[Occurrence]
) -> tuple[Appointment, ...]:
    length = timedelta(minutes=series.duration_minutes)
    rows = [
        AppointmentRow(
            client_id=series.client_id,
            starts_at=o.starts_at,
            ends_at=o.starts_at + length,
            time_zone=series.time_zone,
            service_id=series.service_id,
            status=str(AppointmentState.BOOKED),
            series_id=series.id,
            occurrence=rules.occurrence_key(o.local),
            notes=series.notes,
            created_by=db.actor,
        )
        for o in occurrences
    ]
    session.add_all(rows)
    session.flush()
    return tuple(queries.read(session, AppointmentRow.id.in_([r.id for r in rows])))


def _ahead(
    session: Session, series_id: int, current: Appointment, scope: Scope, now: datetime
) -> list[AppointmentRow]:
    """The series' appointments still ahead (booked or confirmed, no visit, not started),
    from this one (following) or from the first (all), in occurrence order."""
    query = (
        select(AppointmentRow)
        .where(
            AppointmentRow.series_id == series_id,
            AppointmentRow.status.in_(("booked", "confirmed")),
            AppointmentRow.visit_id.is_(None),
            AppointmentRow.starts_at >= now,
        )
        .order_by(AppointmentRow.occurrence, AppointmentRow.starts_at)
    )
    rows = list(session.scalars(query))
    if scope is Scope.FOLLOWING:
        if current.id not in {r.id for r in rows}:
            raise ValidationError(
                {"scope": "This appointment is no longer ahead; choose one still to come."}
            )
        key = next(r.occurrence for r in rows if r.id == current.id)
        rows = [r for r in rows if (r.occurrence or "") >= (key or "")]
    if not rows:
        raise ValidationError({"scope": "No appointment of this series is still ahead."})
    return rows


def _carried_rule(
    old: RecurrenceRule, pending: int, first: datetime, anchor: datetime
) -> RecurrenceRule:
    """The old rule moved with the anchor: weekdays shifted by as many days, the same end."""
    shift = (first.date() - anchor.date()).days
    weekdays = tuple(sorted({(d + shift) % 7 for d in old.weekdays}))
    count = pending if old.count is not None else None
    until = old.until + timedelta(days=shift) if old.until is not None and shift > 0 else old.until
    return replace(old, weekdays=weekdays, count=count, until=until)


def _split_or_update(
    db: Database,
    session: Session,
    series: SeriesRow,
    anchor: datetime,
    first: datetime,
    rule: RecurrenceRule,
) -> SeriesRow:
    """Cut the series before `anchor` and start a new one there, or, when nothing comes
    before the anchor, change the series itself."""
    old_rule = rules.parse_rule(series.rule)
    before = [
        o
        for o in rules.expand(old_rule, rules.from_key(series.first_local), series.time_zone)
        if o.local < anchor
    ]
    if not before:
        series.rule, series.first_local = rule.to_rfc(), rules.occurrence_key(first)
        return series
    _end_before(series, anchor, len(before))
    successor = SeriesRow(
        client_id=series.client_id,
        service_id=series.service_id,
        plan_id=series.plan_id,
        rule=rule.to_rfc(),
        first_local=rules.occurrence_key(first),
        time_zone=series.time_zone,
        duration_minutes=series.duration_minutes,
        notes=series.notes,
        created_by=db.actor,
    )
    session.add(successor)
    session.flush()
    return successor


def _end_before(series: SeriesRow, anchor: datetime, count: int | None = None) -> None:
    """Give the series' rule an end just before `anchor` (no change if nothing comes before)."""
    old = rules.parse_rule(series.rule)
    if count is None:
        first = rules.from_key(series.first_local)
        count = sum(o.local < anchor for o in rules.expand(old, first, series.time_zone))
    if count == 0:
        return
    if old.count is not None:
        series.rule = replace(old, count=count).to_rfc()
    else:
        series.rule = replace(old, until=anchor.date() - timedelta(days=1)).to_rfc()


def _reconcile(
    db: Database,
    session: Session,
    series: SeriesRow,
    ahead: list[AppointmentRow],
    occurrences: list[Occurrence],
    notes: str | None,
) -> tuple[tuple[Appointment, ...], tuple[int, ...]]:
    """Pair the appointments ahead with the new dates: keep ids, retime, book or remove."""
    length = timedelta(minutes=series.duration_minutes)
    for row, occurrence in zip(ahead, occurrences, strict=False):
        row.series_id = series.id
        row.occurrence = rules.occurrence_key(occurrence.local)
        row.service_id = series.service_id
        if notes is not None:
            row.notes = notes
        end = occurrence.starts_at + length
        if (row.starts_at, row.ends_at) != (occurrence.starts_at, end):
            appointments.retime(session, row, occurrence.starts_at, end)
    removed = tuple(_remove(db, session, row) for row in ahead[len(occurrences) :])
    session.flush()
    extra = _insert(db, session, series, occurrences[len(ahead) :])
    kept = [r.id for r in ahead[: len(occurrences)]]
    changed = tuple(queries.read(session, AppointmentRow.id.in_(kept))) + extra
    return changed, removed


def _remove(db: Database, session: Session, row: AppointmentRow) -> int:
    """A pending appointment the new rule has no date for: deleted, or cancelled when a
    reminder already went out for it (the client was told of it)."""
    told = session.scalar(
        select(ReminderRow.id).where(
            ReminderRow.appointment_id == row.id, ReminderRow.status.in_(("sending", "sent"))
        )
    )
    appointment = queries.read_one(session, row.id)
    if told is None:
        session.execute(delete(ReminderRow).where(ReminderRow.appointment_id == row.id))
        session.delete(row)
        log(db, session, appointment, "delete", "Removed from the series (no longer needed)")
    else:
        row.status, row.cancelled_at = str(AppointmentState.CANCELLED), datetime.now(UTC)
        row.cancel_reason = "Removed when the series changed"
        log(db, session, appointment, "cancel", "Removed from the series after a reminder")
    return appointment.id


def _local(row: AppointmentRow, zone: Any) -> datetime:
    return row.starts_at.astimezone(zone).replace(tzinfo=None)


def _series(row: SeriesRow) -> Series:
    return Series(
        id=row.id,
        client_id=row.client_id,
        service_id=row.service_id,
        plan_id=row.plan_id,
        rule=rules.parse_rule(row.rule),
        first_local=rules.from_key(row.first_local),
        time_zone=row.time_zone,
        duration_minutes=row.duration_minutes,
        notes=row.notes,
    )


def _log_series(db: Database, session: Session, row: SeriesRow, summary: str, count: int) -> None:
    audit.log(
        db,
        session,
        action="series",
        entity="appointment_series",
        entity_id=row.id,
        client_id=row.client_id,
        summary=summary,
        changes={"rule": [None, row.rule], "appointments": [None, count]},
    )


def _scope(value: object) -> Scope:
    try:
        return Scope(value)
    except ValueError:
        raise ValidationError({"scope": "Change this one, this and following, or all."}) from None


def _settings(db: Database) -> ScheduleSettings:
    with db.read() as session:
        return settings_in(session)


def _working_day(weekday: int, settings: ScheduleSettings) -> int:
    working = settings.working_weekdays or (weekday,)
    return weekday if weekday in working else min(working, key=lambda d: (d - weekday) % 7)


def _booked_within(db: Database, client_id: int, first: date, last: date, zone: Any) -> int:
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    with db.read() as session:
        found = queries.read(
            session,
            AppointmentRow.client_id == client_id,
            AppointmentRow.starts_at >= start,
            AppointmentRow.starts_at < end,
        )
    return sum(a.state.pending for a in found)


def _service_for(db: Database, minutes: int) -> tuple[int, int | None]:
    """The shortest treatment that holds `minutes` of planned work (else the longest), with
    its own length; or the minutes alone when the catalogue has no timed treatment."""
    from practice.billing import service as billing
    from practice.billing.records import ServiceKind

    timed = [s for s in billing.list_services(db, kind=ServiceKind.TREATMENT) if s.duration_minutes]
    if not timed:
        return minutes, None
    roomy = [s for s in timed if (s.duration_minutes or 0) >= minutes]
    best = (
        min(roomy, key=lambda s: (s.duration_minutes, s.id))
        if roomy
        else max(timed, key=lambda s: (s.duration_minutes, -s.id))
    )
    return best.duration_minutes or minutes, best.id
