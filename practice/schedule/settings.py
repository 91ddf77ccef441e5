"""The practice's schedule settings: zone, working hours, buffer, fee policy, calendar, mailbox.

One row. Until it is saved the defaults apply, with the computer's own IANA zone; the first
booking stores them, so the practice's zone is pinned and a laptop carried across a border
does not move every appointment.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.changes import Changes
from practice.errors import ValidationError
from practice.schedule.models import ScheduleSettingsRow
from practice.schedule.records import (
    FeePolicy,
    MailSettings,
    ScheduleSettings,
    WorkingDay,
    zone_info,
)
from practice.store import audit
from practice.store.database import Database
from practice.text import clean, is_email

Errors = dict[str, str]
FALLBACK_ZONE = "UTC"
TEMPLATE_FIELDS = frozenset(
    {"name", "date", "time", "practice", "therapist", "address", "phone", "policy"}
)
MAX_TEMPLATE = 10_000
MAX_BUFFER_MINUTES = 240
MAX_NOTICE_HOURS = 24 * 7
SETTINGS_CHANGED = Changes.of("settings", "appointment")
_CACHE: WeakKeyDictionary[Any, ScheduleSettings] = WeakKeyDictionary()


def system_zone_name() -> str:
    """The computer's IANA zone (tzlocal reads it on every platform); UTC if it has none."""
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
    except (ZoneInfoNotFoundError, LookupError, ValueError, OSError):
        return FALLBACK_ZONE
    return name if name and is_zone(name) else FALLBACK_ZONE


def is_zone(name: object) -> bool:
    if not isinstance(name, str) or not name or name != name.strip() or len(name) > 64:
        return False
    if name.lower() == "localtime" or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        zone_info(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_names() -> list[str]:
    """The IANA zones a settings screen offers, sorted."""
    return sorted(available_timezones())


def defaults() -> ScheduleSettings:
    return ScheduleSettings(time_zone=system_zone_name())


def get_settings(db: Database) -> ScheduleSettings:
    with db.read() as session:
        return settings_in(session)


def settings_in(session: Session) -> ScheduleSettings:
    """The settings as stored (cached per open database: only `save_settings` and the first
    booking write them, and one process at a time holds a practice folder)."""
    engine = session.get_bind()
    cached = _CACHE.get(engine)
    if cached is not None:
        return cached
    row = session.scalar(select(ScheduleSettingsRow).limit(1))
    if row is None:
        return defaults()
    settings = _CACHE[engine] = _from_row(row)
    return settings


def pin_settings(session: Session) -> ScheduleSettings:
    """The settings, stored first if they never were (inside a write transaction)."""
    row = session.scalar(select(ScheduleSettingsRow).limit(1))
    if row is not None:
        return _from_row(row)
    settings = defaults()
    row = ScheduleSettingsRow()
    _to_row(row, settings)
    session.add(row)
    session.flush()
    return settings


def save_settings(db: Database, settings: ScheduleSettings) -> ScheduleSettings:
    """Validate and store (a weekday not given is a day off); existing appointments keep the
    moment and the zone they were booked in (`hours.zone_change_note` says so in words)."""
    settings = checked(settings)
    settings = replace(settings, working_hours=_complete_week(settings.working_hours))
    with db.transaction() as session:
        row = session.scalar(select(ScheduleSettingsRow).limit(1))
        old = _audit_view(_from_row(row)) if row is not None else {}
        if row is None:
            row = ScheduleSettingsRow()
            session.add(row)
        _to_row(row, settings)
        session.flush()
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="schedule_settings",
            entity_id=row.id,
            summary="Schedule settings saved",
            changes=audit.diff(old, _audit_view(settings)),
        )
    _CACHE.pop(db.engine, None)
    return settings


def checked(settings: ScheduleSettings) -> ScheduleSettings:
    """The settings cleaned, or ValidationError naming every field that is wrong."""
    settings = replace(
        settings,
        time_zone=clean(settings.time_zone) if isinstance(settings.time_zone, str) else "",
        calendar_folder=clean(settings.calendar_folder),
        reminder_subject=clean(settings.reminder_subject),
        reminder_body=(settings.reminder_body or "").strip(),
        mail=MailSettings(
            clean(settings.mail.host),
            settings.mail.port,
            clean(settings.mail.username),
            clean(settings.mail.sender),
        ),
    )
    errors: Errors = {}
    if not is_zone(settings.time_zone):
        errors["time_zone"] = (
            "Choose the practice's time zone from the list (e.g. America/Toronto)."
        )
    if not _whole_in(settings.buffer_minutes, 0, MAX_BUFFER_MINUTES):
        errors["buffer_minutes"] = (
            f"The buffer between sessions is 0 to {MAX_BUFFER_MINUTES} minutes."
        )
    errors |= working_hours_errors(settings.working_hours)
    errors |= _fee_errors(settings.fees)
    if settings.calendar_folder and not Path(settings.calendar_folder).is_dir():
        errors["calendar_folder"] = "Choose a folder that exists (a synced folder works well)."
    if not _whole_in(settings.reminder_hours, 1, 24 * 14):
        errors["reminder_hours"] = "Reminders go out 1 hour to 14 days before the appointment."
    errors |= template_errors("reminder_subject", settings.reminder_subject)
    errors |= template_errors("reminder_body", settings.reminder_body)
    errors |= mail_errors(settings.mail)
    if settings.send_automatically is not False and not (
        settings.send_automatically is True and settings.mail.configured
    ):
        errors["send_automatically"] = (
            "Set up the mailbox (server, user name and sender) before reminders go out "
            "automatically."
        )
    if errors:
        raise ValidationError(errors)
    return settings


def working_hours_errors(days: Sequence[WorkingDay]) -> Errors:
    errors: Errors = {}
    seen = set()
    for day in days:
        key = f"working_hours[{day.weekday}]"
        if not _whole_in(day.weekday, 0, 6) or day.weekday in seen:
            errors["working_hours"] = "Give each weekday (0 = Monday to 6 = Sunday) once."
            continue
        seen.add(day.weekday)
        if (day.start is None) != (day.end is None):
            errors[key] = "A working day has both a start and an end, or neither (a day off)."
        elif not all(_clock(t) for t in (day.start or time(), day.end or time())):
            errors[key] = "Working hours are clock times."
        elif day.open and day.start >= day.end:  # type: ignore[operator]
            errors[key] = "The working day ends before it starts."
        elif day.breaks and not day.open:
            errors[key] = "A day off has no breaks."
        elif _break_problem(day):
            errors[key] = _break_problem(day)
    return errors


def template_errors(name: str, text: str) -> Errors:
    """A reminder template may use only the known {fields} (no attribute or index access)."""
    if not text:
        return {name: "Write the reminder text."}
    if len(text) > MAX_TEMPLATE:
        return {name: f"Keep the reminder under {MAX_TEMPLATE:,} characters."}
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return {name: "A brace is not closed; write {date}, {time} ... or double it: {{."}
    known = ", ".join(f"{{{f}}}" for f in sorted(TEMPLATE_FIELDS))
    for _, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if field_name not in TEMPLATE_FIELDS or spec or conversion:
            return {name: f"Unknown placeholder {{{field_name}}}; use {known}."}
    return {}


def _break_problem(day: WorkingDay) -> str:
    pairs = tuple(day.breaks) if isinstance(day.breaks, tuple | list) else None
    if pairs is None or not all(
        isinstance(p, tuple | list) and len(p) == 2 and all(_clock(t) for t in p) for p in pairs
    ):
        return "A break is a start and an end time."
    previous = day.start
    for start, end in sorted(pairs):
        if start >= end:
            return "A break ends before it starts."
        if previous is None or day.end is None or start < previous or end > day.end:
            return "Breaks fall within the working day and do not overlap."
        previous = end
    return ""


def _clock(value: object) -> bool:
    """A wall-clock time of day (an aware time cannot be compared with the others)."""
    return isinstance(value, time) and value.tzinfo is None


def _fee_errors(fees: FeePolicy) -> Errors:
    errors: Errors = {}
    if not _whole_in(fees.late_cancel_hours, 0, MAX_NOTICE_HOURS):
        errors["late_cancel_hours"] = (
            f"The notice for cancelling is 0 to {MAX_NOTICE_HOURS} hours (24 or 48 usual)."
        )
    if not _whole_in(fees.late_cancel_percent, 0, 100):
        errors["late_cancel_percent"] = "The late cancellation fee is 0 to 100% of the fee."
    if not _whole_in(fees.no_show_percent, 0, 100):
        errors["no_show_percent"] = "The no-show fee is 0 to 100% of the fee."
    if not isinstance(fees.waive_first, bool):
        errors["waive_first"] = "Waive the first: yes or no."
    return errors


def mail_errors(mail: MailSettings) -> Errors:
    errors: Errors = {}
    if not _whole_in(mail.port, 1, 65535):
        errors["smtp_port"] = "The mail server port is 1 to 65535 (587 for STARTTLS)."
    if mail.host and (len(mail.host) > 255 or any(c.isspace() for c in mail.host)):
        errors["smtp_host"] = "Give the mail server's name, such as smtp.example.com."
    if len(mail.username) > 255:
        errors["smtp_username"] = "The user name is at most 255 characters."
    if mail.sender and (not is_email(mail.sender) or len(mail.sender) > 255):
        errors["smtp_sender"] = "The sender is an email address, such as hello@example.com."
    if any((mail.host, mail.username, mail.sender)) and not mail.configured:
        errors["smtp_host"] = "Give the mail server, the user name and the sender address."
    return errors


def _whole_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# ---------------------------------------------------------------- rows


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _time(text: str) -> time:
    return datetime.strptime(text, "%H:%M").time()


def _week_json(days: Sequence[WorkingDay]) -> list[dict[str, Any]]:
    return [
        {
            "weekday": d.weekday,
            "start": _hhmm(d.start) if d.start else None,
            "end": _hhmm(d.end) if d.end else None,
            "breaks": [[_hhmm(a), _hhmm(b)] for a, b in sorted(d.breaks)],
        }
        for d in sorted(days, key=lambda d: d.weekday)
    ]


def _week(data: list[dict[str, Any]]) -> tuple[WorkingDay, ...]:
    days = {
        int(d["weekday"]): WorkingDay(
            int(d["weekday"]),
            _time(d["start"]) if d.get("start") else None,
            _time(d["end"]) if d.get("end") else None,
            tuple((_time(a), _time(b)) for a, b in d.get("breaks") or ()),
        )
        for d in data or ()
    }
    return tuple(days.get(weekday, WorkingDay(weekday)) for weekday in range(7))


def _from_row(row: ScheduleSettingsRow) -> ScheduleSettings:
    return ScheduleSettings(
        time_zone=row.time_zone if is_zone(row.time_zone) else system_zone_name(),
        buffer_minutes=row.buffer_minutes,
        working_hours=_week(row.working_hours),
        fees=FeePolicy(
            row.late_cancel_hours, row.late_cancel_percent, row.no_show_percent, row.waive_first
        ),
        calendar_folder=row.calendar_folder,
        calendar_full_names=row.calendar_full_names,
        reminder_hours=row.reminder_hours,
        reminder_subject=row.reminder_subject,
        reminder_body=row.reminder_body,
        mail=MailSettings(row.smtp_host, row.smtp_port, row.smtp_username, row.smtp_sender),
        send_automatically=bool(row.send_automatically),
    )


def _to_row(row: ScheduleSettingsRow, settings: ScheduleSettings) -> None:
    row.time_zone = settings.time_zone
    row.buffer_minutes = settings.buffer_minutes
    row.working_hours = _week_json(_complete_week(settings.working_hours))
    row.late_cancel_hours = settings.fees.late_cancel_hours
    row.late_cancel_percent = settings.fees.late_cancel_percent
    row.no_show_percent = settings.fees.no_show_percent
    row.waive_first = settings.fees.waive_first
    row.calendar_folder = settings.calendar_folder
    row.calendar_full_names = settings.calendar_full_names
    row.reminder_hours = settings.reminder_hours
    row.reminder_subject = settings.reminder_subject
    row.reminder_body = settings.reminder_body
    row.smtp_host = settings.mail.host
    row.smtp_port = settings.mail.port
    row.smtp_username = settings.mail.username
    row.smtp_sender = settings.mail.sender
    row.send_automatically = settings.send_automatically


def _complete_week(days: Sequence[WorkingDay]) -> tuple[WorkingDay, ...]:
    given = {d.weekday: d for d in days}
    return tuple(given.get(weekday, WorkingDay(weekday)) for weekday in range(7))


def _audit_view(settings: ScheduleSettings) -> dict[str, Any]:
    view = asdict(settings)
    view["working_hours"] = _week_json(settings.working_hours)
    return view
