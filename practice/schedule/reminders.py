"""Reminders, offline first: rendered and queued in the database, sent or called later.

`queue_due` writes one reminder per appointment time coming up within the practice's reminder
window: an email when the client has an address, else a call for the printable call list.
The text carries the date, time, place and cancellation policy only, never clinical detail.
Sending is `mailer.send_due`; this module only fills and manages the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import babel.dates
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from practice.changes import Changes
from practice.clients.models import ClientRow, PracticeProfileRow
from practice.dates import DEFAULT_LOCALE, babel_locale, format_time
from practice.errors import ValidationError
from practice.schedule.checks import display_name
from practice.schedule.models import AppointmentRow, ReminderRow
from practice.schedule.records import FeePolicy, ScheduleSettings, zone_info
from practice.schedule.settings import settings_in, template_errors
from practice.store import audit
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise
from practice.text import clean

CHANGED = Changes.of("appointment")


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    appointment_id: int
    client_id: int
    client_name: str
    channel: str  # "email" or "call"
    to_address: str  # the email address, or the phone number to call
    subject: str
    body: str
    status: str  # queued, sending (outcome unknown), sent, dropped
    for_starts_at: datetime
    due_at: datetime
    attempts: int
    last_error: str  # the mail server's words after the last failed attempt
    message_id: str | None
    sent_at: datetime | None


class QueueState(StrEnum):
    """Where a reminder stands, as the queue screen says it."""

    PENDING = "pending"  # queued, its time not come yet
    HELD = "held"  # due: waits for the next send (offline, or not sent yet) or the call
    FAILED = "failed"  # the server refused it; still queued, with the server's words
    UNCERTAIN = "uncertain"  # a send stopped midway: check the Sent folder, then decide
    SENT = "sent"  # sent, or the call made
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {
            "pending": "Pending",
            "held": "Held",
            "failed": "Failed",
            "uncertain": "Sent?",
            "sent": "Sent",
            "dropped": "Dropped",
        }[self]


def queue_state(reminder: Reminder, now: datetime) -> QueueState:
    if reminder.status == "sent":
        return QueueState.SENT
    if reminder.status == "dropped":
        return QueueState.DROPPED
    if reminder.status == "sending":
        return QueueState.UNCERTAIN
    if reminder.last_error:
        return QueueState.FAILED
    return QueueState.HELD if reminder.due_at <= now else QueueState.PENDING


@dataclass(frozen=True, slots=True)
class QueueResult:
    emails: int
    calls: int
    unreachable: int  # clients with neither an email address nor a phone number

    @property
    def changes(self) -> Changes:
        return CHANGED if self.emails or self.calls else Changes()


@dataclass(frozen=True, slots=True)
class CallList:
    """Who to phone, for the printable call list (practice/documents/call_list.py)."""

    made_on: date
    time_zone: str
    policy: str  # the cancellation policy, to read out
    calls: tuple[Reminder, ...]


def policy_text(fees: FeePolicy) -> str:
    """The cancellation policy in one or two plain sentences, as reminders and consents say it."""
    hours = fees.late_cancel_hours
    notice = (
        f"Please give at least {hours} hours' notice to cancel or change your appointment."
        if hours
        else "Please let us know as early as you can if you need to cancel."
    )
    charges = []
    if fees.late_cancel_percent and hours:
        charges.append(f"late cancellations are charged {fees.late_cancel_percent}% of the fee")
    if fees.no_show_percent:
        charges.append(f"missed appointments {fees.no_show_percent}%")
    if not charges:
        return notice
    waived = " (the first one is waived)" if fees.waive_first else ""
    return f"{notice} {_capital(' and '.join(charges))}{waived}."


def render(
    settings: ScheduleSettings, profile: PracticeProfileRow | None, first_name: str, local: datetime
) -> tuple[str, str]:
    """The subject and body of one reminder. Templates were checked when saved; any field
    they name is one of these."""
    locale = profile.locale if profile is not None else DEFAULT_LOCALE
    values = {
        "name": first_name,
        "date": babel.dates.format_date(local.date(), "full", locale=babel_locale(locale)),
        "time": format_time(local.replace(tzinfo=None), locale),
        "practice": (profile.practice_name or profile.therapist_name) if profile else "",
        "therapist": profile.therapist_name if profile else "",
        "address": profile.address if profile else "",
        "phone": profile.phone if profile else "",
        "policy": policy_text(settings.fees),
    }
    return settings.reminder_subject.format_map(values), settings.reminder_body.format_map(values)


def queue_due(db: Database, now: datetime | None = None) -> QueueResult:
    """Queue a reminder for every booked or confirmed appointment starting within the window
    that has none yet for its current time. Safe to run as often as you like."""
    now = now or datetime.now(UTC)
    emails = calls = unreachable = 0
    with db.transaction() as session:
        settings = settings_in(session)
        profile = session.scalar(select(PracticeProfileRow).limit(1))
        window = now + timedelta(hours=settings.reminder_hours)
        for row, client in _due_appointments(session, now, window):
            channel, address = _contact(client)
            if not channel:
                unreachable += 1
                continue
            local = row.starts_at.astimezone(zone_info(row.time_zone))
            subject, body = render(settings, profile, client.preferred_name or client.given_name,
                                   local)  # fmt: skip
            if channel == "call":
                subject = f"Call {display_name(client.given_name, client.preferred_name, client.family_name)}"  # noqa: E501
            session.add(
                ReminderRow(
                    appointment_id=row.id,
                    client_id=row.client_id,
                    channel=channel,
                    for_starts_at=row.starts_at,
                    due_at=max(now, row.starts_at - timedelta(hours=settings.reminder_hours)),
                    to_address=address,
                    subject=subject,
                    body=body,
                )
            )
            emails += channel == "email"
            calls += channel == "call"
    return QueueResult(emails, calls, unreachable)


def outbox(db: Database, statuses: tuple[str, ...] = ("queued", "sending")) -> list[Reminder]:
    """Reminders in these states, the soonest first."""
    with db.read() as session:
        return _reminders(session, ReminderRow.status.in_(statuses))


def recent(db: Database, now: datetime | None = None, days: int = 30) -> list[Reminder]:
    """Everything still queued or uncertain, and what was sent or dropped in the last `days`."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    with db.read() as session:
        return _reminders(
            session,
            or_(
                ReminderRow.status.in_(("queued", "sending")),
                ReminderRow.updated_at >= since,
            ),
        )


SAMPLE_NAME = "Alex"


def preview(db: Database, subject: str, body: str, now: datetime | None = None) -> tuple[str, str]:
    """The subject and body as a client would read them, for an appointment next Tuesday at
    10:00 (the practice's details filled in). ValidationError names a template that is wrong."""
    subject = clean(subject) if isinstance(subject, str) else ""  # as settings.checked does
    body = body.strip() if isinstance(body, str) else ""
    errors = template_errors("reminder_subject", subject) | template_errors("reminder_body", body)
    if errors:
        raise ValidationError(errors)
    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = settings_in(session)
        profile = session.scalar(select(PracticeProfileRow).limit(1))
    today = now.astimezone(settings.zone).date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    local = datetime.combine(tuesday, time(10), settings.zone)
    sample = replace(settings, reminder_subject=subject, reminder_body=body)
    return render(sample, profile, SAMPLE_NAME, local)


def call_list(db: Database, now: datetime | None = None) -> CallList:
    """The calls still to make, soonest appointment first."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = settings_in(session)
        calls = _reminders(session, ReminderRow.status == "queued", ReminderRow.channel == "call")
    return CallList(
        now.astimezone(settings.zone).date(),
        settings.time_zone,
        policy_text(settings.fees),
        tuple(calls),
    )


def mark_called(db: Database, reminder_id: int) -> Reminder:
    """The client was phoned (or a message left)."""
    return _set_status(db, reminder_id, "sent", ("queued",), "Reminder call made", "call")


def mark_sent(db: Database, reminder_id: int) -> Reminder:
    """An uncertain email (left in `sending`) was found in the Sent folder: it went out."""
    return _set_status(db, reminder_id, "sent", ("sending",), "Reminder marked sent", "email")


def retry(db: Database, reminder_id: int) -> Reminder:
    """Send an uncertain email again; it keeps its Message-ID, so a copy is recognisable."""
    return _set_status(db, reminder_id, "queued", ("sending",), "Reminder queued again", "email")


def drop(db: Database, reminder_id: int) -> Reminder:
    """Take a queued reminder out of the queue (a wrong address, a client who asked not to)."""
    return _set_status(db, reminder_id, "dropped", ("queued", "sending"), "Reminder dropped", None)


def drop_queued(session: Session, appointment_id: int) -> None:
    """Remove the reminders of an appointment that were never tried (it moved or ended)."""
    session.execute(
        delete(ReminderRow).where(
            ReminderRow.appointment_id == appointment_id, ReminderRow.status == "queued"
        )
    )


# ---------------------------------------------------------------- used by the mailer


def due_emails(session: Session, now: datetime) -> list[Reminder]:
    """Queued emails whose time has come and whose appointment is still ahead and pending."""
    pending = select(AppointmentRow.id).where(
        AppointmentRow.status.in_(("booked", "confirmed")),
        AppointmentRow.visit_id.is_(None),
        AppointmentRow.starts_at > now,
    )
    return _reminders(
        session,
        ReminderRow.status == "queued",
        ReminderRow.channel == "email",
        ReminderRow.due_at <= now,
        ReminderRow.appointment_id.in_(pending),
    )


def uncertain_count(session: Session) -> int:
    query = select(func.count()).select_from(ReminderRow).where(ReminderRow.status == "sending")
    return session.scalar(query) or 0


def set_outcome(session: Session, reminder_id: int, **values: object) -> None:
    session.execute(
        update(ReminderRow)
        .where(ReminderRow.id == reminder_id)
        .values(updated_at=utcnow(), **values)
    )


def _due_appointments(
    session: Session, now: datetime, window: datetime
) -> list[tuple[AppointmentRow, ClientRow]]:
    reminded = select(ReminderRow.id).where(
        ReminderRow.appointment_id == AppointmentRow.id,
        ReminderRow.for_starts_at == AppointmentRow.starts_at,
    )
    query = (
        select(AppointmentRow, ClientRow)
        .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
        .where(
            AppointmentRow.starts_at > now,
            AppointmentRow.starts_at <= window,
            AppointmentRow.status.in_(("booked", "confirmed")),
            AppointmentRow.visit_id.is_(None),
            ~reminded.exists(),
        )
        .order_by(AppointmentRow.starts_at)
    )
    return [(row, client) for row, client in session.execute(query).tuples()]


def _contact(client: ClientRow) -> tuple[str, str]:
    if client.email.strip():
        return "email", client.email.strip()
    phone = client.phone_mobile.strip() or client.phone_other.strip()
    return ("call", phone) if phone else ("", "")


def _reminders(session: Session, *conditions: object) -> list[Reminder]:
    query = (
        select(ReminderRow, ClientRow.given_name, ClientRow.preferred_name, ClientRow.family_name)
        .join(ClientRow, ClientRow.id == ReminderRow.client_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(ReminderRow.for_starts_at, ReminderRow.id)
    )
    return [
        _reminder(row, display_name(given, preferred, family))
        for row, given, preferred, family in session.execute(query).tuples()
    ]


def _reminder(row: ReminderRow, client_name: str) -> Reminder:
    return Reminder(
        id=row.id,
        appointment_id=row.appointment_id,
        client_id=row.client_id,
        client_name=client_name,
        channel=row.channel,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        status=row.status,
        for_starts_at=row.for_starts_at,
        due_at=row.due_at,
        attempts=row.attempts,
        last_error=row.last_error,
        message_id=row.message_id,
        sent_at=row.sent_at,
    )


def _set_status(
    db: Database,
    reminder_id: int,
    status: str,
    allowed: tuple[str, ...],
    summary: str,
    channel: str | None,
) -> Reminder:
    with db.transaction() as session:
        row = get_or_raise(session, ReminderRow, reminder_id, "reminder")
        if row.status not in allowed or (channel is not None and row.channel != channel):
            raise ValidationError(
                {
                    "status": f"This {row.channel} reminder is {row.status}; it cannot be "
                    f"{summary.split()[-1].lower()} now."
                }
            )
        old = row.status
        row.status = status
        if status == "sent":
            row.sent_at = utcnow()
        session.flush()
        audit.log(
            db,
            session,
            action="reminder",
            entity="reminder",
            entity_id=row.id,
            client_id=row.client_id,
            summary=summary,
            changes={"status": [old, status]},
        )
        client = session.get(ClientRow, row.client_id)
        name = (
            display_name(client.given_name, client.preferred_name, client.family_name)
            if client
            else ""
        )
        return _reminder(row, name)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
