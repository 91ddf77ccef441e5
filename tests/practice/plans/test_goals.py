"""Goal arithmetic: status from a score series (direction-aware) and the checks on targets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from practice.plans.goals import goal_errors, goal_measure, goal_status, progress_share
from practice.plans.records import GoalForm, GoalKind, GoalStatus
from practice.visits import measures

MET, PARTIAL, NOT_MET = GoalStatus.MET, GoalStatus.PARTIAL, GoalStatus.NOT_MET


def series(*values: float) -> list[tuple[date, float]]:
    start = date(2026, 3, 2)
    return [(start + timedelta(weeks=i), float(v)) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ((7, 5, 3), MET),  # reached the target
        ((7, 4, 2), MET),  # went past it
        ((7, 6, 5), PARTIAL),  # 2 of the 4 points planned: half-way
        ((7, 4.5), PARTIAL),
        ((7, 6), NOT_MET),  # a quarter of the way
        ((7, 8), NOT_MET),  # worse
        ((7,), NOT_MET),  # only the baseline visit
        ((), NOT_MET),  # no scores yet
        ((7, 3, 6), NOT_MET),  # the latest score counts, not the best one
    ],
)
def test_pain_goal_seven_to_three_where_lower_is_better(
    values: tuple[float, ...], status: GoalStatus
) -> None:
    assert goal_status(7, 3, series(*values)) is status


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ((3, 8), MET),
        ((3, 9), MET),
        ((3, 5.5), PARTIAL),  # exactly half of the 5 points planned
        ((3, 6), PARTIAL),
        ((3, 5), NOT_MET),
        ((3, 2), NOT_MET),
    ],
)
def test_psfs_activity_goal_three_to_eight_where_higher_is_better(
    values: tuple[float, ...], status: GoalStatus
) -> None:
    assert goal_status(3, 8, series(*values)) is status


def test_progress_share_is_negative_when_things_got_worse() -> None:
    assert progress_share(7, 3, 9) == pytest.approx(-0.5)
    assert progress_share(3, 8, 8) == pytest.approx(1.0)


def test_goal_measure_codes_name_built_in_psfs_activity_and_custom_measures() -> None:
    custom = measures.custom_measure(4, "Grip strength", 0, 60, True, 6.0, "kg")
    assert goal_measure("pain_before") is measures.PAIN_BEFORE
    assert goal_measure("psfs") is measures.PSFS
    assert goal_measure("psfs:Climbing stairs") is measures.PSFS_ITEM
    assert goal_measure("custom:4", {4: custom}) is custom
    assert goal_measure("psfs:") is None
    assert goal_measure("custom:x") is None
    assert goal_measure("pain_after") is None  # a same-day response, not a plan goal


@pytest.mark.parametrize(
    ("baseline", "target", "field", "words"),
    [
        (7, 11, "target", "runs from 0 to 10"),
        (7, -1, "target", "runs from 0 to 10"),
        (12, 3, "baseline", "runs from 0 to 10"),
        (3, 7, "target", "lower is better"),
        (5, 5, "target", "is the baseline"),
        (None, 3, "baseline", "Enter the baseline"),
    ],
)
def test_bad_pain_targets_are_refused_with_a_reason(
    baseline: float | None, target: float, field: str, words: str
) -> None:
    form = GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=baseline, target=target)
    errors = goal_errors(form, measures.PAIN_BEFORE)
    assert words in errors[field]


def test_a_measurable_goal_needs_a_measure_and_a_functional_one_needs_words() -> None:
    assert "measure" in goal_errors(GoalForm(GoalKind.MEASURABLE, baseline=7, target=3), None)
    assert "text" in goal_errors(GoalForm(GoalKind.FUNCTIONAL, text="  "), None)
    assert goal_errors(GoalForm(GoalKind.FUNCTIONAL, text="Carry groceries up"), None) == {}
