"""The numbers and dates a person could mean, and the checks every service makes with them.

A value outside these bounds is a typo, a stuck key or garbage from another program, never a
fact about a client: the services refuse it with a plain message on its field. The clinical
scales (NRS 0-10, pressure 1-5 ...) keep their own bounds next to their definitions; these
are the ones shared across features.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

# The oldest person on record lived to 122; a birth date further back is a mistyped year.
MAX_AGE_YEARS = 120
# A working life. Visits, charts, intakes, scores and payments entered from paper records go
# back at most this far; record-keeping rules ask for 10 years after the last visit (or to
# age 28 for a minor), so nothing older is ever typed in on purpose.
RECORD_HISTORY_YEARS = 60
# Plans run for at most 104 weeks (plans.checks.MAX_LENGTH_WEEKS), so nothing is booked or
# planned more than two years ahead.
PLANNING_HORIZON = timedelta(days=2 * 366)
# A therapist's own score runs within a million either way (steps a day, grams, seconds);
# bigger numbers on a hand-scored measure are typos.
MEASURE_LIMIT = 1_000_000.0

# Filters (history, audit trail) from before the first or to after the last day any record
# can carry mean "from the start" and "to the end".
FIRST_FILTER_DAY = date(1900, 1, 1)
LAST_FILTER_DAY = date(2999, 12, 31)

Errors = dict[str, str]


# ---------------------------------------------------------------- numbers


def is_whole(value: object) -> bool:
    """An int that is not a bool (True is 1 to Python, not to a therapist)."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole_in(value: object, low: int, high: int) -> bool:
    return is_whole(value) and low <= value <= high  # type: ignore[operator]


def as_real(value: object) -> float | None:
    """A finite number as a float (int, float or Decimal; not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    if isinstance(value, int) and abs(value) > 2**53:
        return None  # beyond what a float holds exactly; never a score anyway
    number = float(value)
    return number if math.isfinite(number) else None


def real_in(value: object, low: float, high: float) -> bool:
    number = as_real(value)
    return number is not None and low <= number <= high


# ---------------------------------------------------------------- dates


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def oldest_birth_date(today: date) -> date:
    return years_before(today, MAX_AGE_YEARS)


def earliest_record(today: date) -> date:
    return years_before(today, RECORD_HISTORY_YEARS)


def latest_planned(today: date) -> date:
    return today + PLANNING_HORIZON


def filter_day(day: date) -> date:
    """A filter's day moved into the range any record can carry (a datetime counts by its date)."""
    if isinstance(day, datetime):
        day = day.date()
    return min(max(day, FIRST_FILTER_DAY), LAST_FILTER_DAY)


def is_day(value: object) -> bool:
    """A date, and not a datetime (which would not compare with one)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def day_errors(
    field: str,
    day: object,
    today: date,
    *,
    what: str = "The date",
    earliest: date | None = None,
    latest: date | None = None,
) -> Errors:
    """{field: message} unless `day` is a date from `earliest` to `latest`.

    By default a record's date: no more than RECORD_HISTORY_YEARS back, and not in the future.
    """
    if not is_day(day):
        return {field: f"{what} is missing or not a date."}
    earliest = earliest or earliest_record(today)
    latest = latest or today
    if day > latest:
        if latest == today:
            return {field: f"{what} is in the future."}
        return {field: f"{what} is after {latest.isoformat()}; check the year."}
    if day < earliest:
        return {field: f"{what} is before {earliest.isoformat()}; check the year."}
    return {}


def moment_errors(
    field: str,
    moment: object,
    today: date,
    *,
    what: str = "The time",
    latest: date | None = None,
) -> Errors:
    """{field: message} unless `moment` is a timezone-aware datetime on a day a record can have
    (`day_errors`, on the date where it was entered).

    Checked before anything converts it: a year-1 or year-9999 time cannot even be moved to
    another time zone.
    """
    if not isinstance(moment, datetime):
        return {field: f"{what} is missing or not a date and time."}
    if moment.tzinfo is None or moment.utcoffset() is None:
        return {field: f"{what} needs its time zone."}
    return day_errors(field, moment.date(), today, what=what, latest=latest)
