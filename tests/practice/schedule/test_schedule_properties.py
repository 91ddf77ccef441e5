"""Property tests: whatever a caller passes, only Fascia's own errors escape the schedule
services and nothing invalid is saved."""

from __future__ import annotations

import contextlib
import math
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import FasciaError
from practice.schedule import missed, queries, rules, series, service, waitlist
from practice.schedule.records import AppointmentForm, WaitlistForm, Wants
from practice.schedule.rules import Frequency, RecurrenceRule
from tests.practice.schedule.conftest import NOW, Practice

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "   ", "김민지 🌻", "שלום", "مرحبا", "x" * 100_001, "\u0000\ud7ff"]),
)
NUMBERS = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([math.nan, math.inf, -math.inf, 1.5, True, "60"]),
)
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.datetimes(
        min_value=datetime(2026, 2, 1),
        max_value=datetime(2026, 12, 31),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]
        ),
    ),
    st.sampled_from([None, "2026-03-03 10:00", date(2026, 3, 3)]),
)


def _valid(p: Practice) -> None:
    """Every stored appointment is whole: it ends after it starts, within 8 hours."""
    conn = sqlite3.connect(p.db.path)
    try:
        bad = conn.execute(
            "SELECT count(*) FROM appointment WHERE ends_at <= starts_at "
            "OR julianday(ends_at) - julianday(starts_at) > 8.0 / 24 + 1e-9 "
            "OR status NOT IN ('booked', 'confirmed', 'arrived', 'cancelled', 'no_show')"
        ).fetchone()[0]
        notes = conn.execute("SELECT max(length(notes)) FROM appointment").fetchone()[0]
    finally:
        conn.close()
    assert bad == 0
    assert notes is None or notes <= 100_000


@PROPERTY
@given(
    start=MOMENTS,
    minutes=NUMBERS,
    notes=TEXT,
    client=st.sampled_from([1, 2, 0, -1, 2**63, "1", None, 99]),
    service_id=st.sampled_from([None, 1, 2, 3, 0, 2**64]),
    end=MOMENTS,
    confirm=st.booleans(),
)
def test_booking_only_raises_fascia_errors_and_saves_only_whole_appointments(
    practice: Practice,
    start: object,
    minutes: object,
    notes: str,
    client: object,
    service_id: object,
    end: object,
    confirm: bool,
) -> None:
    form = AppointmentForm(
        client, start, minutes, end if minutes is None else None, service_id, notes
    )  # type: ignore[arg-type]
    try:
        outcome = service.book(practice.db, form, confirm=confirm, now=NOW)
    except FasciaError:
        pass
    else:
        if outcome.saved:
            assert outcome.appointment is not None
            assert outcome.appointment.ends_at > outcome.appointment.starts_at
    _valid(practice)


@PROPERTY
@given(start=MOMENTS, minutes=NUMBERS, reason=TEXT, charge=st.sampled_from([None, True, False, 1]))
def test_moving_resizing_and_cancelling_only_raise_fascia_errors(
    practice: Practice, start: object, minutes: object, reason: str, charge: object
) -> None:
    form = AppointmentForm(practice.client_id, datetime(2026, 3, 3, 10), 60)
    booked = service.book(practice.db, form, confirm=True, now=NOW).appointment
    assert booked is not None
    for action in (
        lambda: service.move(practice.db, booked.id, start, confirm=True, now=NOW),  # type: ignore[arg-type]
        lambda: service.resize(practice.db, booked.id, duration_minutes=minutes, now=NOW),  # type: ignore[arg-type]
        lambda: service.resize(practice.db, booked.id, ends_at=start, now=NOW),  # type: ignore[arg-type]
        lambda: missed.cancel(practice.db, booked.id, reason, now=NOW, charge=charge),  # type: ignore[arg-type]
        lambda: missed.mark_no_show(practice.db, booked.id, now=NOW),
        lambda: service.confirm_appointment(practice.db, booked.id),
    ):
        with contextlib.suppress(FasciaError):
            action()
    _valid(practice)


@PROPERTY
@given(
    frequency=st.sampled_from([*Frequency, "YEARLY", None]),
    interval=NUMBERS,
    weekdays=st.one_of(st.tuples(), st.lists(st.integers(-2, 9), max_size=4).map(tuple)),
    count=NUMBERS,
    until=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2100, 1, 1))),
    start=MOMENTS,
)
def test_series_only_raise_fascia_errors_and_always_end(
    practice: Practice,
    frequency: object,
    interval: object,
    weekdays: tuple[int, ...],
    count: object,
    until: date | None,
    start: object,
) -> None:
    rule = RecurrenceRule(frequency, interval, weekdays, count, until)  # type: ignore[arg-type]
    form = series.SeriesForm(practice.client_id, start, rule, 60)  # type: ignore[arg-type]
    try:
        outcome = series.create_series(practice.db, form, confirm=True, now=NOW)
    except FasciaError:
        pass
    else:
        assert outcome.saved
        assert 1 <= len(outcome.appointments) <= rules.MAX_OCCURRENCES
    _valid(practice)


@PROPERTY
@given(text=st.text(max_size=80))
def test_any_rule_text_parses_or_is_refused_in_words(text: str) -> None:
    try:
        rule = rules.parse_rule(text)
    except FasciaError as error:
        assert str(error)
    else:
        assert rules.parse_rule(rule.to_rfc()) == rule


@PROPERTY
@given(
    minutes=NUMBERS,
    days=st.one_of(st.frozensets(st.integers(-3, 9), max_size=4), st.just("Mon")),
    earliest=st.one_of(st.none(), st.times(), st.just(time(9, tzinfo=UTC))),
    latest=st.one_of(st.none(), st.times()),
    notes=TEXT,
)
def test_waitlist_wishes_only_raise_fascia_errors(
    practice: Practice, minutes: object, days: object, earliest: object, latest: object, notes: str
) -> None:
    form = WaitlistForm(
        practice.caller_id, Wants.REGULAR, minutes, None, days, earliest, latest, notes
    )  # type: ignore[arg-type]
    try:
        entry = waitlist.join(practice.db, form)
    except FasciaError:
        return
    assert 1 <= entry.form.duration_minutes <= 480
    try:
        changed = waitlist.change(practice.db, entry.id, replace(form, wants=Wants.EARLIER))
    except FasciaError:
        return
    assert changed.form.wants is Wants.EARLIER and changed.joined_at == entry.joined_at


@PROPERTY
@given(day=st.dates(date(1, 1, 1), date(9999, 12, 31)), days=NUMBERS)
def test_range_queries_only_raise_fascia_errors(
    practice: Practice, day: date, days: object
) -> None:
    with contextlib.suppress(FasciaError):
        queries.schedule_range(practice.db, day, days)  # type: ignore[arg-type]


@PROPERTY
@given(start=MOMENTS, end=MOMENTS)
def test_booking_a_waitlist_offer_only_raises_fascia_errors(
    practice: Practice, start: object, end: object
) -> None:
    entry = waitlist.join(practice.db, WaitlistForm(practice.caller_id, Wants.REGULAR, 60))
    try:
        outcome = waitlist.book(practice.db, entry.id, start, end, confirm=True, now=NOW)  # type: ignore[arg-type]
    except FasciaError:
        assert entry.id in [e.id for e in waitlist.waitlist(practice.db)]  # still waiting
    else:
        assert outcome.saved and entry.id not in [e.id for e in waitlist.waitlist(practice.db)]
    _valid(practice)


@PROPERTY
@given(subject=TEXT, body=st.one_of(TEXT, st.sampled_from(["{name", "{0}", "{name!r}", "}"])))
def test_reminder_previews_only_raise_fascia_errors(
    practice: Practice, subject: str, body: str
) -> None:
    from practice.schedule import reminders

    with contextlib.suppress(FasciaError):
        rendered_subject, rendered_body = reminders.preview(practice.db, subject, body, now=NOW)
        assert isinstance(rendered_subject, str) and isinstance(rendered_body, str)


@PROPERTY
@given(to_address=TEXT, host=TEXT, port=NUMBERS)
def test_a_test_message_with_bad_settings_is_refused_before_any_connection(
    to_address: str, host: str, port: object
) -> None:
    from practice.errors import ValidationError
    from practice.schedule import mailer
    from practice.schedule.records import MailSettings

    mail = MailSettings(host, port, "", "")  # type: ignore[arg-type]  # no user: never complete
    try:
        mailer.send_test(mail, to_address, password="x", timeout=0.01)
    except ValidationError as error:
        assert error.errors
    else:
        raise AssertionError("an incomplete mailbox was tried")
