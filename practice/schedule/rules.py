"""Recurrence rules (RFC 5545 RRULE, expanded with dateutil) and series proposed from a plan.

A series recurs in wall-clock time: the rule is expanded from a naive local first start and
each occurrence is then placed in the practice's zone, so a weekly 10:00 stays at 10:00 across
daylight-saving changes (its UTC time moves instead). A time that a clock change skips
(02:30 on the spring-forward night) lands an hour later, as the clock reads after the change.
Plain functions over plain data: no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule as du

from practice.errors import ValidationError
from practice.schedule.records import zone_info

MAX_OCCURRENCES = 520  # ten years of weekly visits
MAX_SPAN_DAYS = 5 * 366
MAX_INTERVAL = 52
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DU_FREQ = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
NO_END = "A series needs an end: a number of visits or a last date."


class Frequency(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True, slots=True)
class RecurrenceRule:
    """The supported part of RFC 5545: FREQ, INTERVAL, BYDAY (weekly), and COUNT or UNTIL."""

    frequency: Frequency = Frequency.WEEKLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday; empty: the first appointment's weekday
    count: int | None = None
    until: date | None = None  # the last day, inclusive, in the practice's zone

    def to_rfc(self) -> str:
        """'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8' (UNTIL floats like the series' start)."""
        parts = [f"FREQ={self.frequency}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(self.weekdays)))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        return ";".join(parts)

    def describe(self) -> str:
        """'Every 2 weeks on Tuesday, 8 times'; 'Weekly on Monday and Thursday until 2026-05-05'."""
        unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month"}[self.frequency]
        every = (
            {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly"}[self.frequency]
            if self.interval == 1
            else f"Every {self.interval} {unit}s"
        )
        days = [WEEKDAY_NAMES[d] for d in sorted(self.weekdays)]
        on = f" on {_joined(days)}" if days else ""
        if self.count is not None:
            end = ", once" if self.count == 1 else f", {self.count} times"
        else:
            end = f" until {self.until.isoformat()}" if self.until else ""
        return f"{every}{on}{end}"


def parse_rule(text: str) -> RecurrenceRule:
    """A rule from RRULE text ('RRULE:' prefix optional); ValidationError for anything else."""
    body = (text or "").strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for piece in filter(None, body.upper().split(";")):
        key, sep, value = piece.partition("=")
        if not sep or key in parts:
            raise ValidationError({"rule": f"'{piece}' is not a recurrence rule part."})
        parts[key] = value
    unsupported = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL"}
    if unsupported:
        raise ValidationError(
            {
                "rule": f"{', '.join(sorted(unsupported))} is not supported; use FREQ, INTERVAL, "
                "BYDAY, COUNT or UNTIL."
            }
        )
    try:
        rule = RecurrenceRule(
            frequency=Frequency(parts.get("FREQ", "")),
            interval=_number(parts.get("INTERVAL", "1")),
            weekdays=tuple(WEEKDAY_CODES.index(d) for d in parts["BYDAY"].split(","))
            if "BYDAY" in parts
            else (),
            count=_number(parts["COUNT"]) if "COUNT" in parts else None,
            until=datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
            if "UNTIL" in parts
            else None,
        )
    except ValueError:
        raise ValidationError(
            {"rule": f"'{text}' is not a recurrence rule Fascia can read."}
        ) from None
    return rule


def rule_errors(rule: RecurrenceRule, first: date | None = None) -> dict[str, str]:
    """What is wrong with a rule (every problem at once); an empty dict when it is usable."""
    errors: dict[str, str] = {}
    if not isinstance(rule.frequency, Frequency):
        errors["frequency"] = "Repeat daily, weekly or monthly."
    if not _whole_in(rule.interval, 1, MAX_INTERVAL):
        errors["interval"] = f"Repeat every 1 to {MAX_INTERVAL} days, weeks or months."
    weekdays = rule.weekdays if isinstance(rule.weekdays, tuple) else None
    if weekdays is None or not all(_whole_in(d, 0, 6) for d in weekdays):
        errors["weekdays"] = "Weekdays are 0 (Monday) to 6 (Sunday)."
    elif len(set(weekdays)) != len(weekdays):
        errors["weekdays"] = "Name each weekday once."
    elif weekdays and rule.frequency != Frequency.WEEKLY:
        errors["weekdays"] = "Weekdays go with a weekly series."
    if rule.count is None and rule.until is None:
        errors["count"] = NO_END
    elif rule.count is not None and rule.until is not None:
        errors["count"] = "Give the number of visits or the last date, not both."
    elif rule.count is not None and not _whole_in(rule.count, 1, MAX_OCCURRENCES):
        errors["count"] = f"A series has 1 to {MAX_OCCURRENCES} appointments."
    elif rule.until is not None:
        if not isinstance(rule.until, date) or isinstance(rule.until, datetime):
            errors["until"] = "The last date is a date."
        elif first is not None and rule.until < first:
            errors["until"] = "The last date is before the first appointment."
        elif first is not None and (rule.until - first).days > MAX_SPAN_DAYS:
            errors["until"] = "A series spans at most five years; book a new one after that."
    return errors


def validate_rule(rule: RecurrenceRule, first: date | None = None) -> RecurrenceRule:
    errors = rule_errors(rule, first)
    if errors:
        raise ValidationError(errors)
    return rule


@dataclass(frozen=True, slots=True)
class Occurrence:
    local: datetime  # naive wall-clock time in the series' zone (the RECURRENCE-ID)
    starts_at: datetime  # UTC


def expand(rule: RecurrenceRule, first_local: datetime, zone: ZoneInfo | str) -> list[Occurrence]:
    """Every occurrence of a validated rule, in wall-clock time placed in `zone`.

    The rule's own first occurrence is the first one on or after `first_local` that matches
    it (with BYDAY, the start day itself may not match). Never more than MAX_OCCURRENCES, and
    never past MAX_SPAN_DAYS, whatever the rule says.
    """
    zone = zone_info(zone) if isinstance(zone, str) else zone
    start = first_local.replace(tzinfo=None, second=0, microsecond=0)
    last = start + timedelta(days=MAX_SPAN_DAYS)
    if rule.until is not None:
        last = min(last, datetime.combine(rule.until, time.max))
    generator = du.rrule(
        _DU_FREQ[rule.frequency],
        dtstart=start,
        interval=rule.interval,
        byweekday=tuple(rule.weekdays) or None,
        until=last,  # the rule's own end, or the longest span a series may have
    )
    count = MAX_OCCURRENCES if rule.count is None else min(rule.count, MAX_OCCURRENCES)
    return [
        Occurrence(local, local.replace(tzinfo=zone).astimezone(UTC))
        for local in islice(generator, count)
    ]


def local_naive(moment: datetime, zone: ZoneInfo) -> datetime:
    """Wall-clock time in `zone`, without its zone (how series and occurrences are kept)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)


def occurrence_key(local: datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M")


def from_key(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- proposed from a plan


def plan_rule(
    frequency_count: int,
    frequency_weeks: int,
    visits: int,
    first_weekday: int,
    working_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> RecurrenceRule:
    """'2 visits a week' -> weekly on two working days spread over the week, `visits` times.

    The days start at `first_weekday` and are spread evenly over the working week (Monday
    and Thursday for two, Monday, Wednesday and Friday for three), every `frequency_weeks`.
    """
    working = tuple(sorted(set(working_weekdays))) or (first_weekday,)
    per_period = max(1, min(frequency_count, len(working)))
    if first_weekday not in working:
        first_weekday = next((d for d in working if d > first_weekday), working[0])
    start = working.index(first_weekday)
    step = len(working) / per_period
    days = {working[(start + math.ceil(k * step)) % len(working)] for k in range(per_period)}
    return RecurrenceRule(
        frequency=Frequency.WEEKLY,
        interval=max(1, frequency_weeks),
        weekdays=tuple(sorted(days)) if per_period > 1 else (),
        count=max(1, min(visits, MAX_OCCURRENCES)),
    )


def first_on_or_after(day: date, weekdays: tuple[int, ...]) -> date:
    """The first date on or after `day` that falls on one of `weekdays` (any when empty)."""
    if not weekdays:
        return day
    return next(day + timedelta(days=k) for k in range(7) if (day.weekday() + k) % 7 in weekdays)


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _number(text: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise ValueError(text)
    return int(text)


def _whole_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
