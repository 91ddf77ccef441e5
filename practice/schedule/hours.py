"""Working hours as a therapist types them: breaks as "12:00-13:00, 15:30-15:45", and what a
change of the practice's time zone does to the appointments already booked.

Plain functions over plain values; `settings.checked` still decides what may be stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from practice.errors import ValidationError
from practice.schedule.records import ScheduleSettings, WorkingDay, zone_info
from practice.schedule.settings import checked

MAX_BREAKS_TEXT = 500  # a dozen breaks fit many times over
BREAKS_EXAMPLE = "12:00\u201313:00, 15:30\u201315:45"
_SEPARATORS = re.compile(r"[,;\n]+")
_BREAK = re.compile(
    r"^\s*(\d{1,2})[:.h](\d{2})\s*(?:-|\u2013|\u2014|to)\s*(\d{1,2})[:.h](\d{2})\s*$",
    re.IGNORECASE,
)


def parse_breaks(text: object, field: str = "breaks") -> tuple[tuple[time, time], ...]:
    """The breaks in `text`, sorted; ValidationError({field: ...}) for anything else.

    Each break is a start and an end clock time ("12:00-13:00", "12:00 to 13:00", "12h00-13h00"),
    separated by commas, semicolons or new lines. An empty text is no break at all.
    """
    if not isinstance(text, str):
        raise ValidationError({field: f"Write the breaks as times, such as {BREAKS_EXAMPLE}."})
    if len(text) > MAX_BREAKS_TEXT:
        raise ValidationError({field: f"Keep the breaks under {MAX_BREAKS_TEXT} characters."})
    found = []
    for part in (p for p in _SEPARATORS.split(text) if p.strip()):
        match = _BREAK.match(part)
        if match is None:
            raise ValidationError(
                {field: f"“{part.strip()[:40]}” is not a break; write, e.g., {BREAKS_EXAMPLE}."}
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
            raise ValidationError({field: f"“{part.strip()}” is not a time of day."})
        found.append((time(h1, m1), time(h2, m2)))
    return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class DayDraft:
    """A weekday as the settings screen holds it: open or not, its hours, its breaks typed."""

    weekday: int
    open: bool
    start: time
    end: time
    breaks: str = ""


def week_from(days: Sequence[DayDraft]) -> tuple[WorkingDay, ...]:
    """The working week typed; ValidationError naming each day whose breaks do not read
    (`working_hours[weekday]`, where `settings.checked` puts the rest of a day's problems)."""
    week, errors = _read_week(days)
    if errors:
        raise ValidationError(errors)
    return week


def with_week(settings: ScheduleSettings, days: Sequence[DayDraft]) -> ScheduleSettings:
    """`settings` with the typed week, checked; one ValidationError names every wrong field."""
    week, typed = _read_week(days)
    try:
        candidate = checked(replace(settings, working_hours=week))
    except ValidationError as error:
        raise ValidationError(error.errors | typed) from None
    if typed:
        raise ValidationError(typed)
    return candidate


def _read_week(days: Sequence[DayDraft]) -> tuple[tuple[WorkingDay, ...], dict[str, str]]:
    """The week (a day whose breaks do not read counts without them) and those days' errors."""
    errors: dict[str, str] = {}
    week = []
    for day in days:
        if not day.open:
            week.append(WorkingDay(day.weekday))
            continue
        try:
            breaks = parse_breaks(day.breaks, f"working_hours[{day.weekday}]")
        except ValidationError as error:
            errors |= error.errors
            breaks = ()
        week.append(WorkingDay(day.weekday, day.start, day.end, breaks))
    return tuple(week), errors


def format_breaks(breaks: Sequence[tuple[time, time]]) -> str:
    """The breaks as `parse_breaks` reads them back."""
    return ", ".join(f"{a:%H:%M}\u2013{b:%H:%M}" for a, b in sorted(breaks))


def zone_change_note(old: str, new: str, today: date) -> str:
    """What changing the practice's zone from `old` to `new` does, in the therapist's words.

    Appointments are stored as moments in UTC with the zone they were booked in
    (`Appointment.time_zone`); saving a new zone moves none of them. The schedule draws every
    appointment in the practice's zone, so one booked at 10:00 in the old zone shows at the
    same moment's clock time in the new one; series already booked go on repeating at the
    old zone's clock (their rule keeps its zone); new bookings and new series use the new zone.
    """
    if old == new:
        return ""
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    moment = datetime.combine(tuesday, time(10), zone_info(old))
    there = moment.astimezone(zone_info(new))
    day = "" if there.date() == tuesday else f" ({there:%a})"
    return (
        f"Appointments already booked keep their moment in time: 10:00 on a Tuesday in {old} "
        f"will show as {there:%H:%M}{day} in {new}. Recurring series already booked go on "
        f"repeating at {old}'s clock. New appointments and series use {new}. To keep "
        "appointments at their clock times, move them after saving."
    )
