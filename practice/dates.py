"""One way to write dates and times, from the practice's locale (Babel), on screen and paper."""

from __future__ import annotations

import functools
from datetime import date, datetime

import babel
import babel.dates

DEFAULT_LOCALE = "en_US"


@functools.cache
def babel_locale(code: str) -> babel.Locale:
    """The Babel locale for a profile's locale string; US English if it cannot be understood."""
    try:
        return babel.Locale.parse((code or DEFAULT_LOCALE).replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return babel.Locale.parse(DEFAULT_LOCALE)


@functools.lru_cache(maxsize=4096)
def format_day(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """A date as the practice's locale writes it, medium length: 'Mar 5, 2025', '5 Mar 2025'."""
    return babel.dates.format_date(day, format="medium", locale=babel_locale(locale))


def format_time(moment: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """A local clock time as the locale writes it ('2:05 PM', '14:05')."""
    local = moment.astimezone() if moment.tzinfo else moment
    return babel.dates.format_time(local, format="short", locale=babel_locale(locale))


def format_moment(moment: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """A date and local time: '6 Dec 2026 14:02' in the locale's own order."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{format_day(local.date(), locale)} {format_time(local, locale)}"
