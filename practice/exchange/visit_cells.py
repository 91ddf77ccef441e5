"""How the cells of an appointment export are read: visit moments, times of day, durations and
statuses, in the ways the common tools write them.

Each reader returns the value or raises ValueError; `visit_import` turns that into a message on
the row's field. Nothing here guesses beyond the text: a date without a time of day says so
(the time is None) and the caller decides what to store.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from decimal import Decimal

from practice.exchange.formats import squeeze
from practice.exchange.importing import parse_day
from practice.visits.records import VisitStatus

MAX_MINUTES_TEXT = 7  # digits: more is no visit length, and int() of it stays cheap
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}")
_CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?(?![\d:])"
)
_HOUR_ONLY = re.compile(r"(?<![\d:])(\d{1,2})\s*([AaPp])\.?[Mm]\.?(?!\w)")
_MINUTES = re.compile(r"^(\d{1,7})\s*(?:m|min|mins|minute|minutes)?\.?$", re.IGNORECASE)
_HOURS_MINUTES = re.compile(r"^(\d{1,3}):(\d{2})$")
_HOURS = re.compile(
    r"^(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:h|hr|hrs|hour|hours)\.?"
    r"(?:\s*(\d{1,3})\s*(?:m|min|mins|minute|minutes)?\.?)?$",
    re.IGNORECASE,
)

STATUS_WORDS: dict[VisitStatus, frozenset[str]] = {
    VisitStatus.COMPLETED: frozenset(
        {
            "",
            "arrived",
            "attended",
            "checkedin",
            "checkedout",
            "complete",
            "completed",
            "done",
            "kept",
            "seen",
            "show",
            "showed",
        }
    ),
    VisitStatus.CANCELLED: frozenset(
        {
            "cancelled",
            "canceled",
            "cancellation",
            "latecancelled",
            "latecanceled",
            "latecancellation",
            "cancelledbyclient",
            "cancelledbypatient",
            "cancelledbypractitioner",
        }
    ),
    VisitStatus.NO_SHOW: frozenset(
        {"noshow", "noshowed", "didnotarrive", "didnotattend", "dna", "missed"}
    ),
}
_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"", "no", "n", "false", "0"})


def moment_of(text: str, day_first: bool) -> tuple[date, time | None, tzinfo | None]:
    """The day, the time of day if the text has one, and the offset if it names one:
    '2024-03-05T14:30:00Z', '2024-03-05 14:30', '05/03/2024 2:30 PM', 'March 5, 2024'."""
    text = text.strip()
    if _ISO_DATE_ONLY.match(text):
        return parse_day(text, day_first), None, None
    if _ISO_MOMENT.match(text):
        moment = datetime.fromisoformat(text)
        return moment.date(), moment.time().replace(microsecond=0), moment.tzinfo
    return parse_day(text, day_first), clock_in(text), None


def clock_in(text: str) -> time | None:
    """The time of day written in `text` ('14:30', '2:30 PM', '2pm'), or None when it has none;
    ValueError for one that is no time ('25:00', '13 PM')."""
    found = _CLOCK.search(text)
    if found:
        return _clock(int(found[1]), int(found[2]), found[3])
    bare = _HOUR_ONLY.search(text)
    return _clock(int(bare[1]), 0, bare[2]) if bare else None


def _clock(hour: int, minute: int, half: str | None) -> time:
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} {half}M")
        hour = hour % 12 + (12 if half in "Pp" else 0)
    return time(hour, minute)  # ValueError past 23:59


def minutes_of(text: str) -> int:
    """A visit length in minutes: '60', '60 min', '1:30', '1 h 30 min', '1.5 hours'."""
    text = text.strip()
    if found := _MINUTES.match(text):
        return int(found[1])
    if found := _HOURS_MINUTES.match(text):
        return int(found[1]) * 60 + int(found[2])
    if found := _HOURS.match(text):
        hours = Decimal(found[1].replace(",", "."))
        return int((hours * 60).to_integral_value()) + int(found[2] or 0)
    raise ValueError(text)


def status_of(text: str) -> VisitStatus:
    """What a status cell says happened: arrived/show -> completed, cancelled (late or not),
    no-show/did not arrive. An empty cell is a visit that happened."""
    word = squeeze(text)
    for status, words in STATUS_WORDS.items():
        if word in words:
            return status
    raise ValueError(text)


def flag_of(text: str, *, any_text_is_yes: bool = False) -> bool:
    """A yes/no cell ('true', 'Yes', 'x'); for a cancellation column a date means yes too."""
    word = text.strip().casefold()
    if word in _NO:
        return False
    if word in _YES or any_text_is_yes:
        return True
    raise ValueError(text)
