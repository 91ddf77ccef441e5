"""Recurring series: RFC 5545 rules, wall-clock time across DST, plans, this / following / all."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.records import PlanForm, PlannedTechniqueForm
from practice.schedule import queries, rules, series
from practice.schedule.records import AppointmentState, WarningKind
from practice.schedule.rules import Frequency, RecurrenceRule
from practice.schedule.series import Scope, SeriesForm
from practice.techniques.library import seed_techniques
from tests.practice.schedule.conftest import NOW, Practice, local

WEEKLY_8 = RecurrenceRule(count=8)


def weekly(p: Practice, start: datetime, rule: RecurrenceRule = WEEKLY_8) -> series.SeriesOutcome:
    outcome = series.create_series(
        p.db, SeriesForm(p.client_id, start, rule, service_id=p.massage.id), now=NOW
    )
    assert outcome.saved, [w.message for w in outcome.warnings]
    return outcome


# ---------------------------------------------------------------- rules


def test_rules_read_and_write_rfc_5545() -> None:
    rule = rules.parse_rule("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8")
    assert rule == RecurrenceRule(Frequency.WEEKLY, 2, (1,), 8)
    assert rule.to_rfc() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"
    assert rule.describe() == "Every 2 weeks on Tuesday, 8 times"
    until = rules.parse_rule("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260505T235959")
    assert until.describe() == "Weekly on Monday and Thursday until 2026-05-05"
    assert rules.parse_rule(until.to_rfc()) == until


@pytest.mark.parametrize(
    "text",
    ["FREQ=WEEKLY;BYSETPOS=1;COUNT=3", "FREQ=HOURLY;COUNT=2", "nonsense", "FREQ=WEEKLY;COUNT=x"],
)
def test_rules_fascia_cannot_keep_are_refused_in_words(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        rules.parse_rule(text)
    assert error.value.errors["rule"]


def test_a_series_with_no_end_is_refused(practice: Practice) -> None:
    form = SeriesForm(practice.client_id, local(2026, 3, 3, 10), RecurrenceRule(), 60)
    with pytest.raises(ValidationError) as error:
        series.create_series(practice.db, form, now=NOW)
    assert "needs an end" in error.value.errors["count"]
    assert rules.rule_errors(rules.parse_rule("FREQ=WEEKLY"))["count"] == rules.NO_END


def test_weekly_for_8_weeks_and_every_2_weeks_on_tuesday() -> None:
    zone = ZoneInfo("America/Toronto")
    eight = rules.expand(RecurrenceRule(count=8), datetime(2026, 3, 3, 10), zone)
    assert len(eight) == 8 and eight[-1].local == datetime(2026, 4, 21, 10)
    fortnightly = RecurrenceRule(interval=2, weekdays=(1,), count=4)
    dates = [o.local.date() for o in rules.expand(fortnightly, datetime(2026, 3, 2, 10), zone)]
    assert dates == [date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 31), date(2026, 4, 14)]


@pytest.mark.parametrize(
    ("zone", "first", "before", "after"),
    [
        # Toronto springs forward on 8 March 2026 and falls back on 1 November 2026.
        ("America/Toronto", datetime(2026, 2, 24, 10), 15, 14),
        ("America/Toronto", datetime(2026, 10, 20, 10), 14, 15),
        # Paris springs forward on 29 March 2026 and falls back on 25 October 2026.
        ("Europe/Paris", datetime(2026, 3, 17, 10), 9, 8),
        ("Europe/Paris", datetime(2026, 10, 13, 10), 8, 9),
    ],
)
def test_a_weekly_10_oclock_stays_at_10_local_across_daylight_saving(
    zone: str, first: datetime, before: int, after: int
) -> None:
    occurrences = rules.expand(RecurrenceRule(count=6), first, zone)
    assert {o.starts_at.astimezone(ZoneInfo(zone)).hour for o in occurrences} == {10}
    utc_hours = [o.starts_at.astimezone(UTC).hour for o in occurrences]
    assert utc_hours[0] == before and utc_hours[-1] == after


def test_a_booked_series_keeps_10_local_in_toronto_across_the_change(practice: Practice) -> None:
    outcome = weekly(practice, local(2026, 2, 24, 10))
    assert len(outcome.appointments) == 8
    assert {a.local_start.time() for a in outcome.appointments} == {time(10)}
    assert [a.starts_at.hour for a in outcome.appointments[:3]] == [15, 15, 14]


def test_a_time_the_clock_skips_lands_an_hour_later() -> None:
    occurrences = rules.expand(
        RecurrenceRule(count=2), datetime(2026, 3, 1, 2, 30), "America/Toronto"
    )
    skipped = occurrences[1].starts_at.astimezone(ZoneInfo("America/Toronto"))
    assert skipped.time() == time(3, 30)


def test_expansion_never_runs_past_its_limits() -> None:
    daily = RecurrenceRule(Frequency.DAILY, count=rules.MAX_OCCURRENCES)
    assert len(rules.expand(daily, datetime(2026, 1, 1, 9), "UTC")) == rules.MAX_OCCURRENCES
    assert rules.rule_errors(RecurrenceRule(count=rules.MAX_OCCURRENCES + 1))["count"]
    far = RecurrenceRule(until=date(2040, 1, 1))
    assert "five years" in rules.rule_errors(far, date(2026, 1, 1))["until"]


# ---------------------------------------------------------------- booking a series


def test_a_series_warns_per_occurrence_and_books_all_or_nothing(practice: Practice) -> None:
    from practice.schedule import service
    from practice.schedule.records import AppointmentForm

    service.book(
        practice.db,
        AppointmentForm(practice.caller_id, local(2026, 3, 17, 10), duration_minutes=60),
        now=NOW,
    )
    form = SeriesForm(
        practice.client_id, local(2026, 3, 3, 10), WEEKLY_8, service_id=practice.massage.id
    )
    unsaved = series.create_series(practice.db, form, now=NOW)
    assert not unsaved.saved
    assert [(w.kind, w.occurrence) for w in unsaved.warnings] == [
        (WarningKind.OVERLAP, datetime(2026, 3, 17, 14, tzinfo=UTC))
    ]
    assert queries.client_appointments(practice.db, practice.client_id) == []
    booked = series.create_series(practice.db, form, confirm=True, now=NOW)
    assert booked.saved and len(booked.appointments) == 8


def test_preview_lists_the_dates_before_booking(practice: Practice) -> None:
    rule = RecurrenceRule(interval=2, weekdays=(1,), count=3)
    form = SeriesForm(practice.client_id, local(2026, 3, 2, 10), rule, 60)
    assert [o.local.date() for o in series.preview(practice.db, form)] == [
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 31),
    ]


# ---------------------------------------------------------------- changing


def test_changing_this_one_moves_only_it(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    series.change_series(
        practice.db, made[2].id, Scope.THIS, starts_at=local(2026, 3, 18, 14), now=NOW
    )
    after = series.series_appointments(practice.db, made[0].series_id)  # type: ignore[arg-type]
    assert [a.local_start.hour for a in after] == [10, 10, 14, 10, 10, 10, 10, 10]
    assert after[2].local_start.date() == date(2026, 3, 18)


def test_changing_this_and_following_splits_the_series(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    old_series = made[0].series_id
    outcome = series.change_series(
        practice.db, made[4].id, Scope.FOLLOWING, starts_at=local(2026, 4, 1, 15), now=NOW
    )
    assert outcome.saved and outcome.series is not None
    assert outcome.series.id != old_series
    assert outcome.series.rule.count == 4 and outcome.series.first_local == local(2026, 4, 1, 15)
    assert series.get_series(practice.db, old_series).rule.count == 4  # type: ignore[arg-type]
    everything = queries.client_appointments(practice.db, practice.client_id)
    assert [(a.local_start.weekday(), a.local_start.hour) for a in everything] == [(1, 10)] * 4 + [
        (2, 15)
    ] * 4
    assert [a.id for a in everything] == [a.id for a in made]  # the same appointments, moved


def test_changing_all_leaves_what_already_happened(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    later = datetime(2026, 3, 12, 12, tzinfo=UTC)  # after the first two
    outcome = series.change_series(
        practice.db, made[5].id, Scope.ALL, starts_at=local(2026, 3, 17, 13), now=later
    )
    assert outcome.saved
    hours = [
        a.local_start.hour for a in queries.client_appointments(practice.db, practice.client_id)
    ]
    assert hours == [10, 10, 13, 13, 13, 13, 13, 13]


def test_a_shorter_rule_removes_the_appointments_it_no_longer_needs(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    outcome = series.change_series(
        practice.db, made[0].id, Scope.ALL, rule=RecurrenceRule(count=5), now=NOW
    )
    assert len(outcome.removed) == 3
    assert len(queries.client_appointments(practice.db, practice.client_id)) == 5


def test_a_change_onto_another_booking_asks_first(practice: Practice) -> None:
    from practice.schedule import service
    from practice.schedule.records import AppointmentForm

    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    service.book(
        practice.db,
        AppointmentForm(practice.caller_id, local(2026, 3, 25, 14), duration_minutes=60),
        now=NOW,
    )
    outcome = series.change_series(
        practice.db, made[3].id, Scope.FOLLOWING, starts_at=local(2026, 3, 25, 14), now=NOW
    )
    assert not outcome.saved and outcome.warnings[0].kind is WarningKind.OVERLAP
    hours = {
        a.local_start.hour for a in queries.client_appointments(practice.db, practice.client_id)
    }
    assert hours == {10}


def test_cancelling_this_and_following_ends_the_series(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    outcome = series.cancel_series(practice.db, made[3].id, Scope.FOLLOWING, "Discharged", now=NOW)
    assert len(outcome.appointments) == 5
    assert {a.state for a in outcome.appointments} == {AppointmentState.CANCELLED}
    assert outcome.series is not None and outcome.series.rule.count == 3
    states = [a.state for a in queries.client_appointments(practice.db, practice.client_id)]
    assert states[:3] == [AppointmentState.BOOKED] * 3


def test_a_scope_that_is_not_one_of_the_three_is_refused(practice: Practice) -> None:
    made = weekly(practice, local(2026, 3, 3, 10)).appointments
    with pytest.raises(ValidationError, match="this one"):
        series.change_series(practice.db, made[0].id, "some", now=NOW)  # type: ignore[arg-type]


# ---------------------------------------------------------------- from a plan


def _plan(p: Practice, count: int, weeks: int, length: int, start: date) -> int:
    seed_techniques(p.db)
    plan = plans.create_plan(
        p.db,
        p.client_id,
        PlanForm(
            start_date=start, frequency_count=count, frequency_weeks=weeks, length_weeks=length
        ),
        today=start,
    )
    plans.add_planned_technique(
        p.db, plan.id, PlannedTechniqueForm("myofascial_release", 40, regions=("B_LOW_BACK_R",))
    )
    return plan.id


def test_a_plan_of_two_visits_a_week_for_six_weeks_proposes_twelve(practice: Practice) -> None:
    plan_id = _plan(practice, 2, 1, 6, date(2026, 3, 2))
    proposal = series.propose_for_plan(
        practice.db, plan_id, at=time(10), weekday=0, from_day=date(2026, 3, 2), now=NOW
    )
    assert proposal.rule == RecurrenceRule(Frequency.WEEKLY, 1, (0, 3), 12)
    assert proposal.first_start == datetime(2026, 3, 2, 10)
    assert proposal.duration_minutes == 60 and proposal.service_id == practice.massage.id
    assert "2 visits a week for 6 weeks" in proposal.description
    booked = series.create_series(practice.db, proposal.form(), confirm=True, now=NOW)
    days = [a.local_start.date() for a in booked.appointments]
    assert len(days) == 12 and days[-1] <= plans.get_plan(practice.db, plan_id).end_date


def test_a_fortnightly_plan_proposes_every_two_weeks(practice: Practice) -> None:
    plan_id = _plan(practice, 1, 2, 8, date(2026, 3, 2))
    proposal = series.propose_for_plan(
        practice.db, plan_id, weekday=2, from_day=date(2026, 3, 2), now=NOW
    )
    assert proposal.rule == RecurrenceRule(Frequency.WEEKLY, 2, (), 4)
    assert proposal.first_start.date() == date(2026, 3, 4)  # the Wednesday


def test_a_plan_already_booked_has_nothing_left_to_propose(practice: Practice) -> None:
    plan_id = _plan(practice, 1, 1, 3, date(2026, 3, 2))
    proposal = series.propose_for_plan(practice.db, plan_id, from_day=date(2026, 3, 2), now=NOW)
    series.create_series(practice.db, proposal.form(), confirm=True, now=NOW)
    with pytest.raises(ValidationError, match="done or booked"):
        series.propose_for_plan(practice.db, plan_id, from_day=date(2026, 3, 2), now=NOW)
