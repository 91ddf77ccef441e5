"""What the property tests of every service throw at it, and what they check afterwards.

Each service entry point gets arbitrary text (any Unicode, 0 to 100,000 characters, with the
controls and invisible characters people paste by accident), numbers (NaN, infinities, huge,
negative, exotic Decimals, floats where ints belong, bools), dates from year 1 to 9999 and ids
that cannot exist. `outcome` runs one call and checks the two promises: nothing but a
FasciaError escapes, a refused call changes nothing, and what an accepted call saved is clean.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from practice.errors import FasciaError
from practice.store import Database
from practice.store.schema import is_search_index

T = TypeVar("T")
TODAY = date.today()
MAX_TEXT = 100_000

# Few examples each: the suite runs every service and must stay well under a minute.
# FASCIA_FUZZ_EXAMPLES=500 digs deeper when there is time.
fuzz = settings(
    max_examples=int(os.environ.get("FASCIA_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# A failing example may hold 100,000 characters; hypothesis warns that printing it is long.
long_reprs = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# ---------------------------------------------------------------- strategies: text

# What people paste by accident, and what the cleaner must keep or drop.
NASTY = (
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9f",
    "\t",
    "\r\n",
    "\r",
    "\u00ad",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u2066",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "\u3164",
    "\U000e0041",
    "\u0301",
    "ß",
    "İ",
    "ﬁ",
    "Ａ",
    "é",
    "e\u0301",
    "👨\u200d👩\u200d👧",
    "שרה כהן",
    "محمد علي",
    "김민지",
    "=1+1",
    "@SUM(A1)",
    "-2",
    " ",
    "\u00a0",
    "\u3000",
)
_piece = st.one_of(st.text(max_size=12), st.sampled_from(NASTY))
short_text = st.lists(_piece, max_size=6).map("".join)
# Long texts are built by repetition: hypothesis draws at most a few kilobytes per example.
long_text = st.builds(
    lambda piece, times: (piece * times)[:MAX_TEXT],
    st.text(min_size=1, max_size=16) | st.sampled_from(NASTY),
    st.integers(min_value=1, max_value=MAX_TEXT),
)
text = st.one_of(short_text, short_text, short_text, long_text)
# Something a name field accepts: a real name, with whatever may cling to it.
NAMES = ("Ana", "Chloé", "김민지", "שרה", "محمد", "Siobhán", "陳大文", "Bea 🌻", "Étirements")
name_text = st.builds(
    lambda before, name, after: before + name + after,
    st.sampled_from(("", " ", "\u200b", "\x00", "\u202e")),
    st.sampled_from(NAMES),
    st.text(max_size=20),
)

# ---------------------------------------------------------------- strategies: numbers

EXOTIC_DECIMALS = tuple(
    Decimal(v)
    for v in (
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1E+30",
        "-1E+30",
        "1E-30",
        "-0",
        "0E-10",
        "123456789012345678901234567890.12",
        "1.005",
        "999999.999",
        "1000000.01",
        "9.975",
    )
)
huge_ints = st.integers(min_value=2**63 - 2, max_value=2**80) | st.integers(
    min_value=-(2**80), max_value=-(2**63) + 2
)
floats = st.floats(allow_nan=True, allow_infinity=True)
decimals = st.one_of(
    st.sampled_from(EXOTIC_DECIMALS),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-1000, max_value=2000, places=2),
)


def whole(low: int, high: int) -> st.SearchStrategy[Any]:
    """Mostly sensible whole numbers, and every kind of number that is not one."""
    return st.one_of(
        st.integers(min_value=low, max_value=high),
        st.integers(min_value=low - 3, max_value=high + 3),
        st.integers(),
        huge_ints,
        floats,
        st.booleans(),
        decimals,
    )


def real(low: float, high: float) -> st.SearchStrategy[Any]:
    """Mostly sensible numbers, and every kind of value that is no finite number."""
    return st.one_of(
        st.floats(min_value=low, max_value=high),
        st.integers(min_value=math.floor(low), max_value=math.ceil(high)),
        floats,
        huge_ints,
        st.booleans(),
        decimals,
    )


money = st.one_of(
    st.decimals(min_value=0, max_value=500, places=2),
    st.integers(min_value=-5, max_value=500),
    decimals,
    floats,
    huge_ints,
    st.booleans(),
)


def ids(*known: int) -> st.SearchStrategy[Any]:
    """Ids of rows that exist, and ids that cannot: 0, negative, 2**63 and above, floats, bools."""
    return st.one_of(
        st.sampled_from(known) if known else st.nothing(),
        st.integers(min_value=-3, max_value=50),
        huge_ints,
        st.floats(),
        st.booleans(),
    )


KNOWN = "the row the test made"  # never an id: `known(drawn, real_id)` turns it into one
row_ids = st.one_of(st.just(KNOWN), st.just(KNOWN), ids())


def known(drawn: object, real_id: int) -> Any:
    """The id to pass: the real row's for KNOWN, else the drawn (probably impossible) id."""
    return real_id if drawn == KNOWN else drawn


# ---------------------------------------------------------------- strategies: dates

days = st.one_of(
    st.dates(min_value=TODAY - timedelta(days=800), max_value=TODAY),
    st.dates(min_value=TODAY - timedelta(days=10), max_value=TODAY + timedelta(days=10)),
    st.dates(),  # year 1 to 9999
    st.sampled_from((date.min, date.max, date(1, 1, 2), date(9999, 12, 30))),
)
recent_days = st.dates(min_value=TODAY - timedelta(days=300), max_value=TODAY)
zones = st.one_of(
    st.just(UTC),
    st.builds(
        timezone,
        st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23)),
    ),
)
moments = st.one_of(
    st.builds(
        lambda day, hour, zone: datetime.combine(day, datetime.min.time(), zone).replace(hour=hour),
        days,
        st.integers(min_value=0, max_value=23),
        zones,
    ),
    st.datetimes(timezones=st.none() | zones),
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 1, 1), timezones=zones),
)


@st.composite
def forms(
    draw: st.DrawFn,
    cls: Callable[..., T],
    valid: dict[str, st.SearchStrategy[Any]],
    junk: dict[str, st.SearchStrategy[Any]],
) -> T:
    """`cls` built from valid values, with up to two of them swapped for junk.

    About a third of the forms are entirely valid, so saving gets exercised as much as refusing.
    """
    values = {name: draw(strategy) for name, strategy in valid.items()}
    chosen = draw(st.lists(st.sampled_from(sorted(junk)), max_size=2, unique=True)) if junk else []
    for name in chosen:
        values[name] = draw(junk[name])
    return cls(**values)


def mostly(valid: st.SearchStrategy[T], junk: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Three times in four a valid value, else junk."""
    return st.one_of(valid, valid, valid, junk)


def enum_or_junk(enum: type[Enum]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(list(enum)), st.sampled_from([m.value for m in enum]), text)


# ---------------------------------------------------------------- checks


def fingerprint(db: Database) -> list[tuple[str, int, int | None]]:
    """Rows and highest rowid of every table, in one query: any insert or delete changes it."""
    with db.engine.connect() as connection:
        tables = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).scalars()
        # The client search index follows the client table (some of its tables have no rowid).
        query = " UNION ALL ".join(
            f"SELECT '{table}', count(*), max(rowid) FROM \"{table}\""
            for table in list(tables)
            if not is_search_index(table)
        )
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def outcome(
    db: Database, call: Callable[[], T], *, before: Any = None, stored: bool = True
) -> T | None:
    """Run `call`: None when refused with a FasciaError (and nothing changed), else its result,
    checked to hold nothing invalid (unless `stored` is False: a draft handed back to edit, not
    saved). Any other exception fails the test.

    `before` is (read, value): the read must still give the value after a refused call that
    could have changed a row in place (an update).
    """
    snapshot = fingerprint(db)
    try:
        result = call()
    except FasciaError as error:
        event(f"{_name(call)} refused: {type(error).__name__}")
        assert fingerprint(db) == snapshot, "a refused call changed the database"
        if before is not None:
            read, value = before
            assert read() == value, "a refused call changed the record"
        return None
    event(f"{_name(call)} accepted")
    if stored:
        assert_clean(result)
    return result


def _name(call: Callable[[], Any]) -> str:
    """The service function a lambda calls, for the statistics (--hypothesis-show-statistics)."""
    names = [n for n in call.__code__.co_names if not n.startswith("_")]
    return names[min(1, len(names) - 1)] if names else "call"  # module.function(...)


# Characters no saved text may hold. Tabs and line breaks are allowed (notes keep them).
_FORBIDDEN = (
    {chr(c) for c in range(32) if chr(c) not in "\t\n"}
    | {
        "\x7f",
        "\x85",
        "\u00ad",
        "\u200b",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\ufffe",
        "\uffff",
        "\u3164",
    }
    | {chr(c) for c in range(0x80, 0xA0)}
)
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def assert_clean(value: Any, where: str = "result") -> None:
    """Every text, number and date inside `value` is one a person could have meant."""
    if isinstance(value, str):
        bad = {ch for ch in value if ch in _FORBIDDEN or "\ud800" <= ch <= "\udfff"}
        assert not bad, f"{where} holds {sorted(bad)!r}"
        if ".autosaved" not in where:  # typing kept as typed, spaces and all
            assert value == value.strip(), f"{where} keeps surrounding whitespace"
    elif isinstance(value, bool) or value is None or isinstance(value, bytes | Enum):
        return
    elif isinstance(value, float):
        assert math.isfinite(value), f"{where} is {value}"
    elif isinstance(value, Decimal):
        assert value.is_finite() and abs(value) <= 10**9, f"{where} is {value}"
    elif isinstance(value, int):
        assert -(2**63) < value < 2**63, f"{where} is {value}"
    elif isinstance(value, date) and ".autosaved" not in where:  # kept as typed
        day = value.date() if isinstance(value, datetime) else value
        assert FIRST_DAY <= day <= LAST_DAY, f"{where} is {value}"
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert_clean(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_clean(key, f"{where} key")
            assert_clean(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | frozenset | set):
        for i, item in enumerate(value):
            assert_clean(item, f"{where}[{i}]")
