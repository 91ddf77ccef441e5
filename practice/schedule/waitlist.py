"""The waitlist: clients who want an earlier or a regular slot, offered freed time in join order.

When an appointment is cancelled, `suggestions` takes the free stretch around it (from the
appointment before plus the buffer to the one after less the buffer, within the working day
and up to any break) and offers it to the clients whose wishes fit: the length they need, the
weekdays and hours they can come and, for an earlier slot, a time before the one they have.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.changes import Changes
from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.schedule import checks, service
from practice.schedule.models import AppointmentRow, WaitlistRow
from practice.schedule.records import (
    AppointmentForm,
    Outcome,
    ScheduleSettings,
    WaitlistEntry,
    WaitlistForm,
    WaitlistSuggestion,
    Wants,
)
from practice.schedule.settings import settings_in
from practice.store import audit
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id

MAX_SUGGESTIONS = 10


def join(db: Database, form: WaitlistForm) -> WaitlistEntry:
    """Put a client on the waitlist (their place is the moment they join)."""
    form = _checked(form)
    with db.transaction() as session:
        client = get_or_raise(session, ClientRow, form.client_id, "client")
        if client.archived:
            raise ValidationError({"client_id": "This client is archived; restore them first."})
        row = WaitlistRow(
            client_id=form.client_id,
            wants=str(form.wants),
            duration_minutes=form.duration_minutes,
            service_id=form.service_id,
            weekdays=sum(1 << d for d in form.weekdays),
            earliest=form.earliest,
            latest=form.latest,
            notes=form.notes,
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        _log(db, session, row, "create", f"On the waitlist: {form.wants.label.lower()}")
        return _entries(session, WaitlistRow.id == row.id)[0]


def change(db: Database, entry_id: int, form: WaitlistForm) -> WaitlistEntry:
    """Change what a waiting client wants; their place in the line stays."""
    form = _checked(form)
    with db.transaction() as session:
        row = _open_row(session, entry_id)
        if form.client_id != row.client_id:
            raise ValidationError({"client_id": "An entry stays with its client; add a new one."})
        old = _view(row)
        row.wants = str(form.wants)
        row.duration_minutes = form.duration_minutes
        row.service_id = form.service_id
        row.weekdays = sum(1 << d for d in form.weekdays)
        row.earliest, row.latest, row.notes = form.earliest, form.latest, form.notes
        session.flush()
        audit.log(
            db,
            session,
            action="update",
            entity="waitlist_entry",
            entity_id=row.id,
            client_id=row.client_id,
            summary="Waitlist wish changed",
            changes=audit.diff(old, _view(row)),
        )
        return _entries(session, WaitlistRow.id == row.id)[0]


def book(
    db: Database,
    entry_id: int,
    starts_at: datetime,
    ends_at: datetime,
    *,
    confirm: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Give a waiting client an offered slot and take them off the waitlist, together.

    A client who wants an earlier slot has their next booked appointment moved to it (they
    keep one appointment, not two); anyone else gets a new booking. Warnings (the slot was
    taken meanwhile, the buffer ...) come back unsaved as from `service.book`, and the client
    stays on the waitlist.
    """

    def work(session: Session) -> Outcome:
        row = _open_row(session, entry_id)
        later = _later_booking(session, row, starts_at) if row.wants == Wants.EARLIER else None
        form = service.checked_booking(
            AppointmentForm(
                row.client_id,
                starts_at,
                ends_at=ends_at,
                service_id=later.service_id if later is not None else row.service_id,
                notes=later.notes if later is not None else "",
            )
        )
        if later is not None:
            outcome = service.update_in(db, session, later.id, form, confirm=confirm, now=now)
            done = "moved to a freed, earlier slot"
        else:
            outcome = service.book_in(db, session, form, confirm=confirm, now=now)
            done = "booked a freed slot"
        row.closed_at, row.closed_reason = utcnow(), "Booked from the waitlist"
        _log(db, session, row, "close", f"Off the waitlist: {done}")
        return outcome

    return service.attempt(db, False, work, lambda warnings: Outcome(False, None, warnings))


def leave(db: Database, entry_id: int, reason: str = "") -> None:
    """Take a client off the waitlist (booked, or no longer wanted); the entry is kept."""
    reason = checks.note_text(reason, "reason")
    with db.transaction() as session:
        row = get_or_raise(session, WaitlistRow, entry_id, "waitlist entry")
        if row.closed_at is not None:
            return
        row.closed_at, row.closed_reason = utcnow(), reason
        _log(db, session, row, "close", f"Off the waitlist{': ' + reason if reason else ''}")


def waitlist(db: Database) -> list[WaitlistEntry]:
    """Everyone waiting, in the order they joined."""
    with db.read() as session:
        return _entries(session, WaitlistRow.closed_at.is_(None))


def suggestions(
    db: Database, starts_at: datetime, ends_at: datetime, *, now: datetime | None = None
) -> tuple[WaitlistSuggestion, ...]:
    """Who on the waitlist could take the free time around starts_at-ends_at, first come first."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = settings_in(session)
        lower, upper = free_stretch(session, settings, starts_at, ends_at)
        lower = max(lower, _next_quarter(now))
        if upper <= lower:
            return ()
        found = []
        # The freed time itself first (what the client was told is free), else the stretch's
        # first moment that suits them.
        preferred = min(max(starts_at, lower), upper)
        for entry in _entries(session, WaitlistRow.closed_at.is_(None), now=now):
            offer = _offer(session, settings, entry, preferred, upper) or _offer(
                session, settings, entry, lower, upper
            )
            if offer is not None:
                found.append(WaitlistSuggestion(entry, *offer))
            if len(found) == MAX_SUGGESTIONS:
                break
        return tuple(found)


def free_stretch(
    session: Session, settings: ScheduleSettings, starts_at: datetime, ends_at: datetime
) -> tuple[datetime, datetime]:
    """The free time around a slot: neighbours plus buffers, the working day, breaks."""
    buffer = timedelta(minutes=settings.buffer_minutes)
    local_day = starts_at.astimezone(settings.zone).date()
    opens, closes, breaks = checks.day_hours(local_day, settings)
    lower = max(opens or starts_at, starts_at - timedelta(hours=12))
    upper = min(closes or ends_at, ends_at + timedelta(hours=12))
    for other in checks.busy_near(session, lower, upper, 0):
        if other.ends_at <= starts_at:
            lower = max(lower, other.ends_at + buffer)
        elif other.starts_at >= ends_at:
            upper = min(upper, other.starts_at - buffer)
    for begins, finishes in breaks:
        if finishes <= starts_at:
            lower = max(lower, finishes)
        elif begins >= ends_at:
            upper = min(upper, begins)
    return min(lower, starts_at), max(upper, ends_at)


def _later_booking(session: Session, row: WaitlistRow, starts_at: object) -> AppointmentRow | None:
    """The client's next booked or confirmed appointment after `starts_at` (an earlier wish
    improves on it)."""
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        return None
    query = (
        select(AppointmentRow)
        .where(
            AppointmentRow.client_id == row.client_id,
            AppointmentRow.status.in_(("booked", "confirmed")),
            AppointmentRow.visit_id.is_(None),
            AppointmentRow.starts_at > starts_at,
        )
        .order_by(AppointmentRow.starts_at)
        .limit(1)
    )
    return session.scalar(query)


def _open_row(session: Session, entry_id: int) -> WaitlistRow:
    row = get_or_raise(session, WaitlistRow, entry_id, "waitlist entry")
    if row.closed_at is not None:
        raise ValidationError({"entry": "This client is no longer on the waitlist."})
    return row


def _view(row: WaitlistRow) -> dict[str, object]:
    return {
        "wants": row.wants,
        "duration_minutes": row.duration_minutes,
        "service_id": row.service_id,
        "weekdays": row.weekdays,
        "earliest": row.earliest.isoformat() if row.earliest else None,
        "latest": row.latest.isoformat() if row.latest else None,
        "notes": row.notes,
    }


def _offer(
    session: Session,
    settings: ScheduleSettings,
    entry: WaitlistEntry,
    lower: datetime,
    upper: datetime,
) -> tuple[datetime, datetime] | None:
    form, zone = entry.form, settings.zone
    local = lower.astimezone(zone)
    if form.weekdays and local.weekday() not in form.weekdays:
        return None
    start = lower
    if form.earliest is not None:
        start = max(start, datetime.combine(local.date(), form.earliest, zone).astimezone(UTC))
    end = start + timedelta(minutes=form.duration_minutes)
    if end > upper:
        return None
    if form.latest is not None and end > datetime.combine(local.date(), form.latest, zone):
        return None
    later = entry.next_appointment
    if form.wants is Wants.EARLIER and later is not None and start >= later:
        return None
    clash = select(AppointmentRow.id).where(
        AppointmentRow.client_id == form.client_id,
        AppointmentRow.status != "cancelled",
        AppointmentRow.starts_at < end,
        AppointmentRow.ends_at > start,
    )
    if session.scalar(clash.limit(1)) is not None:
        return None
    return start, end


def _entries(
    session: Session, *conditions: object, now: datetime | None = None
) -> list[WaitlistEntry]:
    now = now or datetime.now(UTC)
    upcoming = (
        select(AppointmentRow.starts_at)
        .where(
            AppointmentRow.client_id == WaitlistRow.client_id,
            AppointmentRow.status.in_(("booked", "confirmed")),
            AppointmentRow.starts_at > now,
        )
        .order_by(AppointmentRow.starts_at)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(WaitlistRow, ClientRow, upcoming)
        .join(ClientRow, ClientRow.id == WaitlistRow.client_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(WaitlistRow.joined_at, WaitlistRow.id)
    )
    return [
        WaitlistEntry(
            id=row.id,
            client_id=row.client_id,
            client_name=checks.display_name(
                client.given_name, client.preferred_name, client.family_name
            ),
            form=WaitlistForm(
                client_id=row.client_id,
                wants=Wants(row.wants),
                duration_minutes=row.duration_minutes,
                service_id=row.service_id,
                weekdays=frozenset(d for d in range(7) if row.weekdays >> d & 1),
                earliest=row.earliest,
                latest=row.latest,
                notes=row.notes,
            ),
            joined_at=row.joined_at,
            next_appointment=next_start.replace(tzinfo=UTC) if next_start else None,
        )
        for row, client, next_start in session.execute(query).tuples()
    ]


def _checked(form: WaitlistForm) -> WaitlistForm:
    errors: dict[str, str] = {}
    if not is_id(form.client_id):
        errors["client_id"] = "Choose the client."
    if form.service_id is not None and not is_id(form.service_id):
        errors["service_id"] = "Choose a service from the catalogue."
    try:
        wants = Wants(form.wants)
    except ValueError:
        errors["wants"] = "An earlier slot or a regular slot."
        wants = Wants.EARLIER
    length = form.duration_minutes
    if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= 480:
        errors["duration_minutes"] = "The length needed is 1 to 480 minutes."
    days = form.weekdays
    if not isinstance(days, frozenset | set) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days
    ):
        errors["weekdays"] = "Weekdays are 0 (Monday) to 6 (Sunday)."
    times = (form.earliest, form.latest)
    if not all(t is None or (isinstance(t, time) and t.tzinfo is None) for t in times):
        errors["earliest"] = "Give the hours as clock times."
    elif form.earliest is not None and form.latest is not None and form.latest <= form.earliest:
        errors["latest"] = "The latest time is before the earliest."
    try:
        notes = checks.note_text(form.notes)
    except ValidationError as error:
        errors |= error.errors
        notes = ""
    if errors:
        raise ValidationError(errors)
    return replace(form, wants=wants, weekdays=frozenset(days), notes=notes)


def _next_quarter(moment: datetime) -> datetime:
    """The next quarter hour: nobody is offered a slot that starts in two minutes."""
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(15 - moment.minute % 15) % 15 + 15)


def _log(db: Database, session: Session, row: WaitlistRow, action: str, summary: str) -> None:
    audit.log(
        db,
        session,
        action=action,
        entity="waitlist_entry",
        entity_id=row.id,
        client_id=row.client_id,
        summary=summary,
        changes={"duration_minutes": [None, row.duration_minutes], "wants": [None, row.wants]},
    )


CHANGED = Changes.of("appointment")
