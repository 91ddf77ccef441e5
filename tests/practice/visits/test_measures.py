"""Clinical arithmetic against its published sources: NRS and PSFS change, the 8-minute rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.visits import measures
from practice.visits.measures import (
    PAIN_BEFORE,
    PSFS,
    PSFS_ITEM,
    Direction,
    HeadacheMonth,
    custom_measure,
    headache_months,
    judge_change,
    psfs_mean,
    timed_units,
)


@pytest.mark.parametrize(
    ("baseline", "latest", "meaningful"),
    [
        (8, 6, True),  # 2 points (25%)
        (8, 7, False),  # 1 point, 12.5%
        (10, 8, True),  # 2 points, 20%
        (10, 7, True),  # 3 points, exactly 30%
        (3, 2, True),  # 1 point but 33%
        (5, 4, False),  # 1 point, 20%
        (7, 5, True),  # 2 points, 29%
        (4, 3, False),  # 1 point, exactly 25%
        (6, 6, False),
    ],
)
def test_pain_nrs_change_follows_farrar_2001(baseline: int, latest: int, meaningful: bool) -> None:
    """Farrar et al. 2001 (Pain 94:149-158): a reduction of 2 points or 30% on the 0-10 NRS
    is clinically important."""
    change = judge_change(PAIN_BEFORE, baseline, latest)
    assert change.meaningful is meaningful
    assert change.delta == latest - baseline
    assert "Farrar" in change.source and "94:149-158" in change.source


def test_thirty_percent_is_met_exactly_despite_binary_fractions() -> None:
    """Farrar et al. 2001: 30% counts. 3.5 -> 2.45 (a monthly mean, say) is 30% exactly, though
    binary floats make it 29.999...; 6 -> 4.3 is 28% and under 2 points."""
    assert judge_change(PAIN_BEFORE, 3.5, 2.45).meaningful
    assert not judge_change(PAIN_BEFORE, 6, 4.3).meaningful


def test_pain_getting_worse_is_judged_on_points_only() -> None:
    """Farrar's 30% describes improvement; a rise from 2 to 3 (50%) is not an important change."""
    rise = judge_change(PAIN_BEFORE, 2, 3)
    assert rise.direction is Direction.WORSENED and not rise.meaningful
    big_rise = judge_change(PAIN_BEFORE, 3, 5)
    assert big_rise.direction is Direction.WORSENED and big_rise.meaningful


def test_percent_is_none_from_a_zero_baseline() -> None:
    change = judge_change(PAIN_BEFORE, 0, 3)
    assert change.percent is None and change.meaningful


@pytest.mark.parametrize(
    ("baseline", "latest", "meaningful"),
    [(3.0, 5.0, True), (3.0, 4.9, False), (4.3, 6.7, True), (6.0, 4.0, True), (5.0, 6.5, False)],
)
def test_psfs_mean_change_uses_the_mdc_of_2_points(
    baseline: float, latest: float, meaningful: bool
) -> None:
    """Stratford et al. 1995 (Physiotherapy Canada 47:258-263), PSFS MDC90: 2 points for the
    mean score."""
    change = judge_change(PSFS, baseline, latest)
    assert change.meaningful is meaningful
    assert "Stratford" in change.source and "MDC90" in change.source


def test_a_single_psfs_activity_needs_3_points() -> None:
    """Stratford et al. 1995, PSFS MDC90: 3 points for a single activity."""
    assert judge_change(PSFS_ITEM, 2, 5).meaningful
    assert not judge_change(PSFS_ITEM, 2, 4).meaningful


def test_higher_psfs_is_better() -> None:
    assert judge_change(PSFS, 3, 6).direction is Direction.IMPROVED
    assert judge_change(PSFS, 6, 3).direction is Direction.WORSENED
    assert judge_change(PSFS, 6, 6).direction is Direction.UNCHANGED


def test_the_psfs_score_is_the_mean_of_the_activities() -> None:
    """Stratford et al. 1995: the PSFS score is the average of the activity scores."""
    assert psfs_mean([2, 4, 9]) == 5
    assert psfs_mean([7]) == 7
    with pytest.raises(ValueError):
        psfs_mean([])


def test_headache_days_use_the_fifty_percent_responder_threshold() -> None:
    assert judge_change(measures.HEADACHE_DAYS, 12, 6).meaningful
    assert not judge_change(measures.HEADACHE_DAYS, 12, 7).meaningful
    assert "Unconfirmed" in measures.HEADACHE_DAYS.source


def test_pain_extent_has_no_mcid_so_no_change_is_called_meaningful() -> None:
    change = judge_change(measures.PAIN_EXTENT, 30.0, 5.0)
    assert change.direction is Direction.IMPROVED and not change.meaningful


def test_a_custom_measure_uses_the_therapists_mcid_and_direction() -> None:
    grip = custom_measure(3, "Grip strength", 0, 80, True, mcid=6.5, unit="kg")
    assert grip.code == "custom:3"
    assert judge_change(grip, 20, 27).meaningful
    assert not judge_change(grip, 20, 26).meaningful
    assert judge_change(grip, 20, 10).direction is Direction.WORSENED
    no_mcid = custom_measure(4, "Steps", 0, 10, True, mcid=None)
    assert not judge_change(no_mcid, 0, 10).meaningful


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
        (82, 5),
        (83, 6),
    ],
)
def test_timed_units_follow_the_cms_eight_minute_table(minutes: int, units: int) -> None:
    """CMS 8-minute rule (Medicare Claims Processing Manual, ch. 5 s. 20.2): 8-22 minutes = 1
    unit, 23-37 = 2, 38-52 = 3, 53-67 = 4; a remainder of 8 minutes or more adds a unit."""
    assert timed_units(minutes) == units


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError):
        timed_units(-1)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=500))
def test_timed_units_never_fall_as_minutes_rise(minutes: int, more: int) -> None:
    assert timed_units(minutes) <= timed_units(minutes + more)


@given(st.integers(min_value=0, max_value=10_000))
def test_timed_units_add_exactly_one_per_fifteen_minutes(minutes: int) -> None:
    assert timed_units(minutes + 15) == timed_units(minutes) + 1


def test_headache_days_and_intensity_are_counted_per_month_with_gaps_as_zero() -> None:
    diary = [
        (date(2026, 1, 5), 6),
        (date(2026, 1, 5), 8),  # twice on one day: one headache day at its worst
        (date(2026, 1, 20), 4),
        (date(2026, 3, 2), 3),
    ]
    assert headache_months(diary) == [
        HeadacheMonth(date(2026, 1, 1), 2, 6.0),
        HeadacheMonth(date(2026, 2, 1), 0, None),
        HeadacheMonth(date(2026, 3, 1), 1, 3.0),
    ]
    assert headache_months([]) == []


def test_headache_months_cross_the_new_year() -> None:
    months = headache_months([(date(2025, 12, 30), 5), (date(2026, 1, 2), 5)])
    assert [m.month for m in months] == [date(2025, 12, 1), date(2026, 1, 1)]
