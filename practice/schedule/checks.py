"""Checks on an appointment's time: refusals (bad input) and warnings (to confirm).

Refusals raise ValidationError: an end before the start, no length, absurd times. Warnings are
data (`SlotWarning`): an overlap, a buffer cut short, a time outside the working hours or in a
break, a time already past. `slot_warnings` is a plain function over the appointments nearby,
so a week view can run it on the rows it already holds while a block is dragged, and the
service runs the same function on rows fetched in its write transaction before saving.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from practice.clients.models import ClientRow, PracticeProfileRow
from practice.dates import DEFAULT_LOCALE, format_time
from practice.errors import ValidationError
from practice.schedule.models import AppointmentRow
from practice.schedule.records import ScheduleSettings, SlotWarning, WarningKind, minutes
from practice.store.rows import is_id
from practice.text import clean

MAX_MINUTES = 8 * 60  # as a visit: anything longer is a typo
FIRST_YEAR, LAST_YEAR = 1970, 2199
MAX_TEXT = 100_000
Errors = dict[str, str]


@dataclass(frozen=True, slots=True)
class Busy:
    """An appointment that holds its time, as the checks need it."""

    id: int
    client_name: str
    starts_at: datetime  # UTC
    ends_at: datetime


# ---------------------------------------------------------------- refusals


def slot_times(
    starts_at: object,
    zone: ZoneInfo,
    *,
    duration_minutes: object = None,
    ends_at: object = None,
    default_minutes: int | None = None,
) -> tuple[datetime, datetime]:
    """The start and end in UTC, or ValidationError. A naive time is wall clock in `zone`."""
    start = _utc(starts_at, zone, "starts_at", "start")
    end: datetime | None = None
    if ends_at is not None:
        end = _utc(ends_at, zone, "ends_at", "end")
        if end <= start:
            raise ValidationError({"ends_at": "The appointment ends before it starts."})
    else:
        length = default_minutes if duration_minutes is None else duration_minutes
        if length is None:
            raise ValidationError(
                {"duration_minutes": "Give the length: this service has no duration."}
            )
        if not _whole(length) or length < 1:  # type: ignore[operator]
            raise ValidationError(
                {
                    "duration_minutes": "The length must be at least 1 minute; zero or less "
                    "would end the appointment before it starts."
                }
            )
        if length > MAX_MINUTES:  # type: ignore[operator]
            raise ValidationError({"duration_minutes": "An appointment is at most 8 hours."})
        end = start + timedelta(minutes=length)  # type: ignore[arg-type]
    if end - start > timedelta(minutes=MAX_MINUTES):
        raise ValidationError({"ends_at": "An appointment is at most 8 hours."})
    return start, end


def note_text(value: object, field: str = "notes") -> str:
    if not isinstance(value, str):
        raise ValidationError({field: "Notes are text."})
    text = clean(value)
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"Keep this under {MAX_TEXT:,} characters."})
    return text


def id_errors(**ids: object) -> Errors:
    return {name: f"No such {name.removesuffix('_id')}." for name, v in ids.items() if not is_id(v)}


def _utc(value: object, zone: ZoneInfo, field: str, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError({field: f"Give the {what} as a date and time."})
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError({field: f"The {what} is not a plausible date ({value.year})."})
    try:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        moment = aware.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationError({field: f"The {what} is not a plausible date."}) from None
    return moment.replace(second=0, microsecond=0)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------- warnings


def slot_warnings(
    starts_at: datetime,
    ends_at: datetime,
    settings: ScheduleSettings,
    busy: Iterable[Busy],
    *,
    now: datetime | None = None,
    locale: str | Callable[[], str] = DEFAULT_LOCALE,
    occurrence: datetime | None = None,
) -> list[SlotWarning]:
    """Everything to confirm about holding starts_at-ends_at (UTC) beside `busy`.

    `locale` (for the clock times in the messages) may be a function: it is then called
    only when there is a warning to word.
    """
    zone = settings.zone
    locale = _lazy(locale)
    warnings = hours_warnings(starts_at, ends_at, settings, locale)
    buffer = timedelta(minutes=settings.buffer_minutes)
    for other in busy:
        who = f"{other.client_name}'s" if other.client_name else "another"
        span = f"{_clock(other.starts_at, zone, locale)}–{_clock(other.ends_at, zone, locale)}"
        if other.starts_at < ends_at and other.ends_at > starts_at:
            message = f"Overlaps {who} appointment, {span}."
            warnings.append(SlotWarning(WarningKind.OVERLAP, message, other.id))
        elif other.ends_at <= starts_at < other.ends_at + buffer:
            gap = minutes(starts_at - other.ends_at)
            message = (
                f"Leaves {gap} minutes after {who} appointment ({span}); the buffer is "
                f"{settings.buffer_minutes} minutes."
            )
            warnings.append(SlotWarning(WarningKind.BUFFER, message, other.id))
        elif ends_at <= other.starts_at < ends_at + buffer:
            gap = minutes(other.starts_at - ends_at)
            message = (
                f"Leaves {gap} minutes before {who} appointment ({span}); the buffer is "
                f"{settings.buffer_minutes} minutes."
            )
            warnings.append(SlotWarning(WarningKind.BUFFER, message, other.id))
    if now is not None and starts_at < now:
        warnings.append(SlotWarning(WarningKind.PAST, "This time has already passed."))
    if occurrence is not None:
        return [SlotWarning(w.kind, w.message, w.other_id, occurrence) for w in warnings]
    return warnings


def series_warnings(
    slots: Sequence[tuple[datetime, datetime, datetime]],
    settings: ScheduleSettings,
    busy: Sequence[Busy],
    *,
    now: datetime | None = None,
    locale: str | Callable[[], str] = DEFAULT_LOCALE,
) -> list[SlotWarning]:
    """`slot_warnings` for many (start, end, occurrence) slots against one list of `busy`
    (sorted by start): each slot looks only at the appointments that can reach it."""
    starts = [b.starts_at for b in busy]
    reach = timedelta(minutes=MAX_MINUTES + settings.buffer_minutes)
    buffer = timedelta(minutes=settings.buffer_minutes)
    found: list[SlotWarning] = []
    locale = _lazy(locale)
    for start, end, occurrence in slots:
        near = busy[bisect_left(starts, start - reach) : bisect_right(starts, end + buffer)]
        found += slot_warnings(
            start, end, settings, near, now=now, locale=locale, occurrence=occurrence
        )
    return found


def hours_warnings(
    starts_at: datetime,
    ends_at: datetime,
    settings: ScheduleSettings,
    locale: str | Callable[[], str] = DEFAULT_LOCALE,
) -> list[SlotWarning]:
    zone = settings.zone
    start = starts_at.astimezone(zone)
    day = settings.day(start.weekday())
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    if not day.open:
        message = f"{names[day.weekday]} is not a working day."
        return [SlotWarning(WarningKind.OUTSIDE_HOURS, message)]
    assert day.start is not None and day.end is not None
    opens, closes = _at(start.date(), day.start, zone), _at(start.date(), day.end, zone)
    warnings = []
    if starts_at < opens or ends_at > closes:
        hours = f"{_clock(opens, zone, locale)}–{_clock(closes, zone, locale)}"
        message = f"Outside the working hours ({hours})."
        warnings.append(SlotWarning(WarningKind.OUTSIDE_HOURS, message))
    for break_start, break_end in day.breaks:
        begins, finishes = _at(start.date(), break_start, zone), _at(start.date(), break_end, zone)
        if begins < ends_at and finishes > starts_at:
            span = f"{_clock(begins, zone, locale)}–{_clock(finishes, zone, locale)}"
            warnings.append(SlotWarning(WarningKind.BREAK, f"Runs into the {span} break."))
    return warnings


def day_hours(
    day: date, settings: ScheduleSettings
) -> tuple[datetime | None, datetime | None, tuple[tuple[datetime, datetime], ...]]:
    """A day's opening, closing and breaks in UTC (None, None, () on a day off)."""
    hours = settings.day(day.weekday())
    if not hours.open:
        return None, None, ()
    zone = settings.zone
    assert hours.start is not None and hours.end is not None
    breaks = tuple((_at(day, a, zone), _at(day, b, zone)) for a, b in hours.breaks)
    return _at(day, hours.start, zone), _at(day, hours.end, zone), breaks


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _clock(moment: datetime, zone: ZoneInfo, locale: str | Callable[[], str]) -> str:
    code = locale() if callable(locale) else locale
    return format_time(moment.astimezone(zone).replace(tzinfo=None), code)


def _lazy(locale: str | Callable[[], str]) -> str | Callable[[], str]:
    """A locale function called at most once, or the locale itself."""
    return cache(locale) if callable(locale) else locale


# ---------------------------------------------------------------- the appointments nearby


def busy_near(
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    buffer_minutes: int,
    ignore: Collection[int] = (),
) -> list[Busy]:
    """Appointments holding time within the buffer of starts_at-ends_at (one indexed query).

    Appointments last at most MAX_MINUTES, so only those starting in a bounded window before
    `starts_at` can reach it: the start index serves the whole search.
    """
    buffer = timedelta(minutes=buffer_minutes)
    lower, upper = starts_at - buffer, ends_at + buffer
    values = {"earliest": lower - timedelta(minutes=MAX_MINUTES), "upper": upper, "lower": lower}
    return [
        Busy(aid, display_name(given, preferred, family), start, end)
        for aid, given, preferred, family, start, end in session.connection().execute(
            _busy_query(), values
        )
        if aid not in ignore
    ]


@cache
def _busy_query() -> Select[Any]:
    """Built once: the conflict check runs on every drag and must stay well under 1 ms."""
    return (
        select(
            AppointmentRow.id,
            ClientRow.given_name,
            ClientRow.preferred_name,
            ClientRow.family_name,
            AppointmentRow.starts_at,
            AppointmentRow.ends_at,
        )
        .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
        .where(
            AppointmentRow.starts_at > bindparam("earliest"),
            AppointmentRow.starts_at < bindparam("upper"),
            AppointmentRow.ends_at > bindparam("lower"),
            # A cancelled appointment holds no time, nor one marked no-show: the client is not
            # coming, so what is left of it can be booked (the waitlist offers it).
            AppointmentRow.status.not_in(("cancelled", "no_show")),
        )
        .order_by(AppointmentRow.starts_at)
    )


def practice_locale(session: Session) -> str:
    return session.connection().execute(_locale_query()).scalar() or DEFAULT_LOCALE


def locale_of(session: Session) -> Callable[[], str]:
    """The practice's locale, read only if a message needs it."""
    return lambda: practice_locale(session)


@cache
def _locale_query() -> Select[Any]:
    return select(PracticeProfileRow.locale).limit(1)


def display_name(given: str, preferred: str, family: str) -> str:
    return f"{preferred or given} {family}".strip()


def initials(given: str, family: str) -> str:
    """'Chloé O'Brien' -> 'C.O.'; one letter per name, in whatever script it is written."""
    return "".join(f"{name.strip()[0].upper()}." for name in (given, family) if name.strip())
