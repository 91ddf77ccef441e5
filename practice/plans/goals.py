"""Plan goals: which outcome measure a goal uses, its checks, and its status from the scores.

A measurable goal names a measure by code: a built-in one of `practice.visits.measures`
(`pain_before`, `psfs`, `sleep_quality` ...), `psfs:<activity>` for one PSFS activity in the
client's words, or `custom:<id>` for a measure the therapist defined.

Status from the latest score on or after the plan's start (direction-aware, since the target
lies on the better side of the baseline):

* met: the latest score reached the target or went past it;
* partial: it moved at least half of the way from the baseline to the target (pain NRS 7 to 3
  is partial from 5 down: half of the planned change, which on that scale is also Farrar's
  2-point MCID);
* not met: less than half-way, worse than the baseline, or no score yet.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date

from practice.bounds import as_real
from practice.plans.records import GoalForm, GoalKind, GoalStatus
from practice.text import clean, fold
from practice.visits import measures
from practice.visits.measures import Measure

PSFS_ITEM_PREFIX = "psfs:"
CUSTOM_PREFIX = "custom:"
PARTIAL_SHARE = 0.5  # of the way from baseline to target
_TOLERANCE = 1e-9
# Built-in measures a goal may use; pain after treatment is a same-day response, not a goal.
GOAL_MEASURES: tuple[Measure, ...] = (
    measures.PAIN_BEFORE,
    measures.PSFS,
    measures.SLEEP_QUALITY,
    measures.HEADACHE_DAYS,
    measures.HEADACHE_INTENSITY,
    measures.PAIN_EXTENT,
)
_BY_CODE = {m.code: m for m in GOAL_MEASURES}

Errors = dict[str, str]
Series = Sequence[tuple[date, float]]


def psfs_item_code(activity: str) -> str:
    """The goal measure code of one PSFS activity: 'psfs:climbing stairs'."""
    return f"{PSFS_ITEM_PREFIX}{clean(activity)}"


def goal_measure(code: str, custom: Mapping[int, Measure] | None = None) -> Measure | None:
    """The measure a goal code names, or None when it names none."""
    if code.startswith(PSFS_ITEM_PREFIX):
        return measures.PSFS_ITEM if clean(code[len(PSFS_ITEM_PREFIX) :]) else None
    if code.startswith(CUSTOM_PREFIX):
        number = code[len(CUSTOM_PREFIX) :]
        return (custom or {}).get(int(number)) if number.isdecimal() else None
    return _BY_CODE.get(code)


@functools.lru_cache(maxsize=4096)
def series_key(code: str) -> str:
    """The key of a goal's score series: PSFS activities match whatever their case or accents."""
    if code.startswith(PSFS_ITEM_PREFIX):
        return PSFS_ITEM_PREFIX + fold(clean(code[len(PSFS_ITEM_PREFIX) :]))
    return code


def measure_label(code: str, custom: Mapping[int, Measure] | None = None) -> str:
    """How a goal's measure is named on screen and paper: 'PSFS: climbing stairs'."""
    if code.startswith(PSFS_ITEM_PREFIX):
        return f"PSFS: {code[len(PSFS_ITEM_PREFIX) :]}"
    measure = goal_measure(code, custom)
    return measure.name if measure else code


def goal_errors(form: GoalForm, measure: Measure | None) -> Errors:
    """Every problem of a goal, keyed by field. `measure` is `goal_measure(form.measure)`."""
    errors: Errors = {}
    if form.kind == GoalKind.FUNCTIONAL:
        if not clean(form.text):
            errors["text"] = "Describe the functional goal in words (e.g. 'carry groceries')."
        return errors
    if form.kind != GoalKind.MEASURABLE:
        return {"kind": "A goal is measurable or functional."}
    if measure is None:
        names = ", ".join(m.code for m in GOAL_MEASURES)
        return {
            "measure": f"Pick the outcome measure this goal is scored on ({names}, "
            f"{PSFS_ITEM_PREFIX}<activity> or a custom measure)."
        }
    scale = f"{measure.minimum:g} to {measure.maximum:g}"
    for field in ("baseline", "target"):
        value = getattr(form, field)
        if value is None:
            errors[field] = f"Enter the {field} score ({measure.name}: {scale})."
        elif (number := as_real(value)) is None:
            errors[field] = f"The {field} is a number ({measure.name}: {scale})."
        elif not measure.contains(number):
            errors[field] = (
                f"{measure.name} runs from {scale}; a {field} of {number:g} is outside it."
            )
    baseline, target = as_real(form.baseline), as_real(form.target)
    if errors or baseline is None or target is None:
        return errors
    change = target - baseline
    if abs(change) < _TOLERANCE:
        errors["target"] = "The target is the baseline; set the score the client aims for."
    elif (change > 0) != measure.higher_is_better:
        better = "higher" if measure.higher_is_better else "lower"
        where = "above" if measure.higher_is_better else "below"
        errors["target"] = (
            f"On {measure.name} {better} is better: the target must be {where} the baseline "
            f"({baseline:g})."
        )
    return errors


def goal_status(baseline: float, target: float, series: Series) -> GoalStatus:
    """Met, partial or not met from the latest score of `series` (oldest first)."""
    if not series:
        return GoalStatus.NOT_MET
    share = progress_share(baseline, target, series[-1][1])
    if share >= 1 - _TOLERANCE:
        return GoalStatus.MET
    if share >= PARTIAL_SHARE - _TOLERANCE:
        return GoalStatus.PARTIAL
    return GoalStatus.NOT_MET


def progress_share(baseline: float, target: float, latest: float) -> float:
    """How far the latest score went from baseline towards target: 0 none, 1 all, <0 worse."""
    planned = target - baseline
    return (latest - baseline) / planned if planned else 0.0
