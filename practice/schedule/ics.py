"""Calendar out: the therapist's appointments as an .ics feed, and one appointment for a client.

No clinical detail ever leaves in a calendar: no notes, no diagnosis, no plan; the feed names
clients by their initials unless the therapist chose full names. Times are written in UTC, so
every calendar program places them right whatever its own zone. The feed is kept current in
a folder the therapist chooses (a synced folder lets a phone calendar subscribe): call
`refresh_feed` after changes; it writes through a temporary file and a rename.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.clients.models import PracticeProfileRow
from practice.errors import ValidationError
from practice.schedule import queries
from practice.schedule.files import write_atomically
from practice.schedule.models import AppointmentRow
from practice.schedule.records import Appointment, AppointmentState
from practice.schedule.reminders import policy_text
from practice.schedule.settings import settings_in
from practice.store.database import Database

if TYPE_CHECKING:  # icalendar (10 MiB, 80 modules) loads with the first calendar written
    from icalendar import Calendar, Event

FEED_NAME = "fascia-appointments.ics"
PAST_DAYS = 60  # how far back the feed reaches; the future is all in
PRODID = "-//Fascia//Schedule//EN"


def feed(db: Database, *, full_names: bool | None = None, now: datetime | None = None) -> bytes:
    """The calendar of appointments from PAST_DAYS ago on, cancelled ones left out."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = settings_in(session)
        names = settings.calendar_full_names if full_names is None else full_names
        profile = session.scalar(select(PracticeProfileRow).limit(1))
        conditions = (
            AppointmentRow.starts_at >= now - timedelta(days=PAST_DAYS),
            AppointmentRow.status != "cancelled",
        )
        found = queries.read(session, *conditions)
        stamps = _stamps(session, *conditions)
    calendar = _calendar("Appointments")
    location = profile.address if profile else ""
    for appointment in found:
        if appointment.state is AppointmentState.CANCELLED:
            continue  # a visit cancelled in the note editor
        who = appointment.client_name if names else appointment.client_initials
        summary = " · ".join(p for p in (who, appointment.service_name) if p)
        calendar.add_component(_event(appointment, summary, location, stamps))
    return calendar.to_ical()


def invitation(db: Database, appointment_id: int) -> bytes:
    """One appointment for the client's own calendar: when, where, and the cancellation policy."""
    with db.read() as session:
        appointment = queries.read_one(session, appointment_id)
        profile = session.scalar(select(PracticeProfileRow).limit(1))
        policy = policy_text(settings_in(session).fees)
        stamps = _stamps(session, AppointmentRow.id == appointment.id)
    practice = (profile.practice_name or profile.therapist_name) if profile else ""
    calendar = _calendar(practice or "Appointment")
    event = _event(
        appointment,
        f"Appointment at {practice}" if practice else "Appointment",
        profile.address if profile else "",
        stamps,
    )
    phone = f"\n\nPhone: {profile.phone}" if profile and profile.phone else ""
    event.add("description", f"{policy}{phone}")
    calendar.add_component(event)
    return calendar.to_ical()


def write_invitation(db: Database, appointment_id: int, path: Path) -> Path:
    """Save one appointment's .ics for the client (to attach, or hand over on a stick)."""
    if path.is_dir() or not path.parent.is_dir():
        raise ValidationError({"out": f"{path} is not a file in an existing folder."})
    return write_atomically(path, invitation(db, appointment_id), _parse)


def invitation_name(appointment: Appointment) -> str:
    """The file name offered: the day and time, never the client's name or service."""
    return f"Appointment {appointment.local_start:%Y-%m-%d %H%M}.ics"


def write_feed(
    db: Database, path: Path, *, full_names: bool | None = None, now: datetime | None = None
) -> Path:
    """Write the feed to `path` (temporary file, fsync, parsed back, then renamed)."""
    if path.is_dir() or not path.parent.is_dir():
        raise ValidationError({"out": f"{path} is not a file in an existing folder."})
    data = feed(db, full_names=full_names, now=now)
    return write_atomically(path, data, _parse)


def refresh_feed(db: Database, *, now: datetime | None = None) -> Path | None:
    """Rewrite the feed in the folder chosen in the settings; None when none is chosen.

    The UI calls this after a write that changed appointments (or on a timer); it is cheap.
    """
    with db.read() as session:
        folder = settings_in(session).calendar_folder
    if not folder:
        return None
    target = Path(folder)
    if not target.is_dir():
        raise ValidationError(
            {"calendar_folder": f"The calendar folder {folder} is missing; choose it again."}
        )
    return write_feed(db, target / FEED_NAME, now=now)


def _parse(data: bytes) -> Calendar:
    """Read a written calendar back (the check before the rename)."""
    from icalendar import Calendar

    return Calendar.from_ical(data)


def _calendar(name: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(
    appointment: Appointment,
    summary: str,
    location: str,
    stamps: dict[int, tuple[datetime, datetime]],
) -> Event:
    from icalendar import Event

    created, updated = stamps.get(appointment.id, (appointment.starts_at, appointment.starts_at))
    event = Event()
    event.add("uid", f"appointment-{appointment.id}-{created:%Y%m%dT%H%M%S}@fascia")
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location.replace("\n", ", "))
    confirmed = appointment.state is not AppointmentState.BOOKED
    event.add("status", "CONFIRMED" if confirmed else "TENTATIVE")
    event.add("transp", "OPAQUE")
    return event


def _stamps(session: Session, *conditions: Any) -> dict[int, tuple[datetime, datetime]]:
    """Created and last-changed times (stable UIDs; DTSTAMP tells a calendar what changed)."""
    query = select(AppointmentRow.id, AppointmentRow.created_at, AppointmentRow.updated_at)
    rows = session.execute(query.where(*conditions))
    return {aid: (created, updated) for aid, created, updated in rows}
