"""The practice's week, buffer, fee policy and zone as the settings screen sends them: breaks typed
as text, every bad value refused by field, and what a change of zone does to appointments."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import ValidationError
from practice.schedule import queries, service
from practice.schedule.hours import (
    DayDraft,
    format_breaks,
    parse_breaks,
    week_from,
    with_week,
    zone_change_note,
)
from practice.schedule.records import AppointmentForm, FeePolicy, ScheduleSettings
from practice.schedule.settings import checked, get_settings, save_settings
from tests.practice.schedule.conftest import NOW, ZONE, Practice, local

PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ODD_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([math.nan, math.inf, -math.inf, 15.5, True, None, "15", -1, 10**12]),
)
CLOCKS = st.times().map(lambda t: t.replace(second=0, microsecond=0))
BREAK_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.tuples(CLOCKS, CLOCKS), max_size=4).map(
        lambda pairs: ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in pairs)
    ),
    st.sampled_from(["", "12:00-13:00", "24:00-25:00", "9:61-10:00", "x" * 600, "١٢:٠٠-١٣:٠٠"]),
)
DRAFTS = st.builds(DayDraft, st.integers(0, 6), st.booleans(), CLOCKS, CLOCKS, BREAK_TEXT)


def _monday(start: time, end: time, breaks: str = "") -> tuple[DayDraft, ...]:
    days_off = (DayDraft(d, False, time(9), time(17)) for d in range(1, 7))
    return (DayDraft(0, True, start, end, breaks), *days_off)


def test_breaks_are_read_in_the_ways_people_write_them() -> None:
    expected = ((time(12), time(13)), (time(15, 30), time(15, 45)))
    for text in (
        "12:00-13:00, 15:30-15:45",
        "15:30–15:45; 12:00 – 13:00",
        "12h00 to 13h00\n15.30-15.45",
    ):
        assert parse_breaks(text) == expected
    assert parse_breaks("   ") == ()
    assert parse_breaks(format_breaks(expected)) == expected


def test_a_break_that_is_not_a_time_is_refused_by_its_day() -> None:
    with pytest.raises(ValidationError) as error:
        week_from(_monday(time(9), time(17), "lunch at noon"))
    assert "is not a break" in error.value.errors["working_hours[0]"]
    with pytest.raises(ValidationError, match="not a time of day"):
        parse_breaks("12:00-24:30")


def test_an_end_before_the_start_or_overlapping_breaks_are_refused_by_day(
    practice: Practice,
) -> None:
    stored = get_settings(practice.db)
    with pytest.raises(ValidationError) as error:
        with_week(stored, _monday(time(17), time(9)))
    assert "ends before it starts" in error.value.errors["working_hours[0]"]
    with pytest.raises(ValidationError) as error:
        with_week(stored, _monday(time(9), time(17), "12:00-13:00, 12:30-14:00"))
    assert "do not overlap" in error.value.errors["working_hours[0]"]
    with pytest.raises(ValidationError) as error:
        with_week(replace(stored, buffer_minutes=-5), _monday(time(9), time(17), "noon"))
    assert {"buffer_minutes", "working_hours[0]"} <= set(error.value.errors)
    assert get_settings(practice.db) == stored


def test_a_day_unticked_is_a_day_off_whatever_its_breaks_said(practice: Practice) -> None:
    stored = get_settings(practice.db)
    week = _monday(time(8), time(12))
    week = (week[0], DayDraft(1, False, time(9), time(17), "not read"), *week[2:])
    saved = save_settings(practice.db, with_week(stored, week))
    assert saved.day(0).start == time(8) and saved.day(0).breaks == ()
    assert not saved.day(1).open
    assert get_settings(practice.db).working_weekdays == (0,)


def test_changing_the_zone_moves_no_appointment_and_the_note_says_so(practice: Practice) -> None:
    booked = service.book(
        practice.db, AppointmentForm(practice.client_id, local(2026, 2, 24, 10), 60), now=NOW
    )
    assert booked.appointment is not None
    save_settings(practice.db, replace(get_settings(practice.db), time_zone="Europe/Paris"))
    kept = queries.get_appointment(practice.db, booked.appointment.id)
    assert kept.starts_at == datetime(2026, 2, 24, 15, tzinfo=UTC)  # the same moment
    assert kept.time_zone == ZONE
    week = queries.week_schedule(practice.db, date(2026, 2, 24))
    assert week.time_zone == "Europe/Paris"  # the week view draws it at 16:00 Paris
    note = zone_change_note(ZONE, "Europe/Paris", date(2026, 2, 20))
    assert "keep their moment in time" in note and "16:00 in Europe/Paris" in note
    assert zone_change_note(ZONE, ZONE, date(2026, 2, 20)) == ""


@PROPERTY
@given(text=BREAK_TEXT)
def test_breaks_text_gives_clock_times_or_a_message_never_a_crash(text: str) -> None:
    try:
        breaks = parse_breaks(text)
    except ValidationError as error:
        assert set(error.errors) == {"breaks"}
        return
    assert all(a.tzinfo is None and b.tzinfo is None for a, b in breaks)
    assert list(breaks) == sorted(breaks)
    assert parse_breaks(format_breaks(breaks)) == breaks


@PROPERTY
@given(days=st.lists(DRAFTS, max_size=8), buffer=ODD_NUMBERS)
def test_any_week_typed_is_stored_whole_or_refused_with_nothing_changed(
    practice: Practice, days: list[DayDraft], buffer: object
) -> None:
    stored = get_settings(practice.db)
    try:
        saved = save_settings(
            practice.db,
            with_week(replace(stored, buffer_minutes=buffer), days),  # type: ignore[arg-type]
        )
    except ValidationError as error:
        assert error.errors
        assert get_settings(practice.db) == stored
        return
    assert get_settings(practice.db) == saved
    assert 0 <= saved.buffer_minutes <= 240
    for day in saved.working_hours:
        if not day.open:
            assert day.breaks == ()
            continue
        assert day.start < day.end  # type: ignore[operator]
        edges = [day.start, *(t for pair in day.breaks for t in pair), day.end]
        assert edges == sorted(edges)
        assert all(a < b for a, b in day.breaks)
    save_settings(practice.db, stored)


@PROPERTY
@given(
    notice=ODD_NUMBERS,
    late=ODD_NUMBERS,
    no_show=ODD_NUMBERS,
    waive=st.sampled_from([True, False, None, 1]),
)
def test_a_fee_policy_out_of_range_is_refused_by_field(
    notice: object, late: object, no_show: object, waive: object
) -> None:
    policy = FeePolicy(notice, late, no_show, waive)  # type: ignore[arg-type]
    try:
        kept = checked(ScheduleSettings(time_zone="UTC", fees=policy)).fees
    except ValidationError as error:
        assert set(error.errors) <= {
            "late_cancel_hours",
            "late_cancel_percent",
            "no_show_percent",
            "waive_first",
        }
        return
    assert 0 <= kept.late_cancel_hours <= 168
    assert 0 <= kept.late_cancel_percent <= 100 and 0 <= kept.no_show_percent <= 100
    assert type(kept.late_cancel_hours) is int and isinstance(kept.waive_first, bool)
