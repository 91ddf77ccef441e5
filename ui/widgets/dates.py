"""Dates on screen in the practice's one style (practice/dates.py, Babel, the practice locale).

The locale is the open practice's (`use_locale` when a practice is attached or its profile
saved); every screen writes days and moments through `day` and `moment`, never strftime.
"""

from __future__ import annotations

from datetime import date, datetime

import babel.dates

from practice.dates import DEFAULT_LOCALE, babel_locale, format_day, format_moment, format_time

_locale = DEFAULT_LOCALE


def use_locale(locale: str | None) -> None:
    global _locale
    _locale = locale or DEFAULT_LOCALE


def locale() -> str:
    return _locale


def day(value: date | datetime | None) -> str:
    """'Mar 5, 2026' (en_US), '5 mars 2026' (fr_CA); a moment gives its local day; None gives ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value.astimezone() if value.tzinfo else value).date()
    return format_day(value, _locale)


def long_day(value: date) -> str:
    """A day with its weekday, for what is planned: 'Sunday, June 14, 2026'."""
    return babel.dates.format_date(value, format="full", locale=babel_locale(_locale))


def moment(value: datetime | None) -> str:
    """A date and local clock time, 'Mar 5, 2026 2:05 PM'; None gives ''."""
    return format_moment(value, _locale) if value is not None else ""


def clock(value: datetime) -> str:
    """A local clock time, '2:05 PM' or '14:05'."""
    return format_time(value, _locale)


def axis(value: date, pattern: str) -> str:
    """A chart axis label in the locale's words: `pattern` is a CLDR skeleton ('dMMM', 'yMMM')."""
    return babel.dates.format_skeleton(pattern, value, locale=babel_locale(_locale))
