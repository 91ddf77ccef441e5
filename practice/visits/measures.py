"""Outcome measures and their arithmetic: change against published MCIDs, PSFS, 8-minute rule.

Only measures free to embed (DOMAIN.md section 5): pain NRS, PSFS, a headache diary, a 0-10
sleep-quality rating, pain extent from the body map and measures the therapist defines. No
NDI, ODI, PROMIS, HIT-6 or PSQI text lives in Fascia.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

FARRAR_2001 = (
    "Farrar JT et al. Clinical importance of changes in chronic pain intensity measured on an "
    "11-point numerical pain rating scale. Pain 2001;94:149-158: a change of 2 points or 30% "
    "is clinically important."
)
STRATFORD_1995 = (
    "Stratford P et al. Assessing disability and change on individual patients: a report of a "
    "patient specific measure. Physiotherapy Canada 1995;47:258-263: MDC90 2 points for the "
    "mean score, 3 points for a single activity."
)
SLEEP_NRS = (
    "No published MCID for a 0-10 sleep-quality rating; Fascia uses the 2-point NRS threshold "
    "of Farrar et al. 2001 (Pain 94:149-158) as a guide."
)
HEADACHE_RESPONDER = (
    "Unconfirmed: 50% fewer headache days is the responder threshold used in headache trials "
    "(International Headache Society trial guidelines), not an MCID; treat it as a guide."
)
NO_MCID = "No published MCID; the change is shown without a judgement."
THERAPIST_MCID = "Minimal important change set by the therapist."

NRS_MCID_POINTS = 2.0  # Farrar et al. 2001
NRS_MCID_PERCENT = 30.0  # Farrar et al. 2001
PSFS_MEAN_MDC = 2.0  # Stratford et al. 1995, MDC90 of the mean score
PSFS_ITEM_MDC = 3.0  # Stratford et al. 1995, MDC90 of a single activity
PSFS_MAX_ITEMS = 5
_TOLERANCE = 1e-9  # 7 -> 4.9 on a 0-10 scale is 30%, whatever binary floats make of it


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Measure:
    """What a score means: its range, which way is better and what change counts."""

    code: str
    name: str
    minimum: float
    maximum: float
    higher_is_better: bool
    mcid_points: float | None = None
    mcid_percent: float | None = None  # of the baseline; applies to improvement only
    source: str = NO_MCID
    unit: str = ""
    definition_id: int | None = None  # custom measures only

    def contains(self, value: float) -> bool:
        return self.minimum <= value <= self.maximum


@dataclass(frozen=True, slots=True)
class Change:
    baseline: float
    latest: float
    delta: float  # latest minus baseline
    percent: float | None  # delta as a percentage of the baseline; None when the baseline is 0
    direction: Direction
    meaningful: bool  # reaches the measure's MCID (or MDC)
    source: str


def _nrs(code: str, name: str) -> Measure:
    return Measure(
        code,
        name,
        0,
        10,
        higher_is_better=False,
        mcid_points=NRS_MCID_POINTS,
        mcid_percent=NRS_MCID_PERCENT,
        source=FARRAR_2001,
    )


PAIN_BEFORE = _nrs("pain_before", "Pain before treatment (NRS)")
PAIN_AFTER = _nrs("pain_after", "Pain after treatment (NRS)")
PSFS = Measure(
    "psfs",
    "PSFS (mean of activities)",
    0,
    10,
    higher_is_better=True,
    mcid_points=PSFS_MEAN_MDC,
    source=STRATFORD_1995,
)
PSFS_ITEM = Measure(
    "psfs_item",
    "PSFS single activity",
    0,
    10,
    higher_is_better=True,
    mcid_points=PSFS_ITEM_MDC,
    source=STRATFORD_1995,
)
SLEEP_QUALITY = Measure(
    "sleep_quality", "Sleep quality (0-10)", 0, 10, True, mcid_points=2.0, source=SLEEP_NRS
)
HEADACHE_DAYS = Measure(
    "headache_days",
    "Headache days per month",
    0,
    31,
    higher_is_better=False,
    mcid_percent=50.0,
    source=HEADACHE_RESPONDER,
    unit="days",
)
HEADACHE_INTENSITY = _nrs("headache_intensity", "Headache intensity, monthly mean (NRS)")
PAIN_EXTENT = Measure("pain_extent", "Pain extent (body map)", 0, 100, False, unit="%")

BUILT_IN: tuple[Measure, ...] = (
    PAIN_BEFORE,
    PAIN_AFTER,
    PSFS,
    SLEEP_QUALITY,
    HEADACHE_DAYS,
    HEADACHE_INTENSITY,
    PAIN_EXTENT,
)


def custom_measure(
    definition_id: int,
    name: str,
    minimum: float,
    maximum: float,
    higher_is_better: bool,
    mcid: float | None,
    unit: str = "",
) -> Measure:
    return Measure(
        f"custom:{definition_id}",
        name,
        minimum,
        maximum,
        higher_is_better,
        mcid_points=mcid,
        source=THERAPIST_MCID if mcid is not None else NO_MCID,
        unit=unit,
        definition_id=definition_id,
    )


def judge_change(measure: Measure, baseline: float, latest: float) -> Change:
    """How a score moved from baseline to latest, and whether that reaches the measure's MCID.

    Points count both ways; the percentage thresholds (Farrar's 30%, the 50% headache-day
    responder) describe improvement, so a worsening is judged on points only.
    """
    delta = latest - baseline
    percent = delta / baseline * 100 if baseline else None
    if abs(delta) < _TOLERANCE:
        direction = Direction.UNCHANGED
    elif (delta > 0) == measure.higher_is_better:
        direction = Direction.IMPROVED
    else:
        direction = Direction.WORSENED
    by_points = measure.mcid_points is not None and abs(delta) >= measure.mcid_points - _TOLERANCE
    by_percent = (
        direction is Direction.IMPROVED
        and measure.mcid_percent is not None
        and percent is not None
        and abs(percent) >= measure.mcid_percent - _TOLERANCE
    )
    meaningful = direction is not Direction.UNCHANGED and (by_points or by_percent)
    return Change(baseline, latest, delta, percent, direction, meaningful, measure.source)


def psfs_mean(scores: Sequence[float]) -> float:
    """The PSFS score: the mean of the activity scores (Stratford et al. 1995)."""
    if not scores:
        raise ValueError("a PSFS needs at least one activity")
    return sum(scores) / len(scores)


def timed_units(total_minutes: int) -> int:
    """Billable 15-minute units for the day's timed minutes under the CMS 8-minute rule.

    8-22 minutes = 1 unit, 23-37 = 2, 38-52 = 3, 53-67 = 4, and so on: every full 15 minutes
    is a unit and a remainder of 8 minutes or more adds one.
    """
    if total_minutes < 0:
        raise ValueError("minutes cannot be negative")
    units, remainder = divmod(total_minutes, 15)
    return units + (1 if remainder >= 8 else 0)


@dataclass(frozen=True, slots=True)
class HeadacheMonth:
    month: date  # the first day of the month
    days: int  # days with a headache
    mean_intensity: float | None  # None in a month without headaches


def headache_months(entries: Iterable[tuple[date, int]]) -> list[HeadacheMonth]:
    """Headache days and mean intensity per calendar month from diary entries (day, intensity).

    Months between the first and the last entry without any entry count as 0 headache days:
    the diary was being kept.
    """
    by_month: dict[int, dict[date, int]] = defaultdict(dict)  # year * 12 + month - 1
    for day, intensity in entries:
        worst = by_month[day.year * 12 + day.month - 1]
        if intensity > worst.get(day, 0):
            worst[day] = intensity
        else:
            worst.setdefault(day, intensity)
    if not by_month:
        return []
    months = []
    for index in range(min(by_month), max(by_month) + 1):
        days = by_month.get(index, {})
        mean = sum(days.values()) / len(days) if days else None
        months.append(HeadacheMonth(date(index // 12, index % 12 + 1, 1), len(days), mean))
    return months
