"""A plan's course: the one computation of visits, baselines, latest scores and goal verdicts.

The Plan tab, the physician summary (screen and paper), the client timeline and the command line
all read a `Course`, so a figure printed for a physician is the figure on the screen.

* The period is the plan's start to its end, or to today while it runs: nothing after a plan
  ends counts for it. A course over plain dates (a summary without a plan) works the same way.
* Visits: attended (completed and signed), drafts (completed, not signed yet) and missed
  (cancelled, no-show) are kept apart; a draft is never counted as a visit on paper.
* Scores count when they are attested: taken outside a visit, or at a signed one.
* A measure's baseline is its last score in the four weeks before the period starts (the
  evaluation visit), else its first score in the period; its latest is the last score in the
  period. A goal uses that same baseline, so the goal row and the outcome table agree; the
  baseline typed into the plan counts only when nothing was measured.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from practice.plans import goals, service
from practice.plans.records import Goal, GoalKind, GoalStatus, Plan, planned_visits
from practice.progress import Progress
from practice.store.database import Database
from practice.visits import measures, outcomes
from practice.visits.measures import Change, Measure
from practice.visits.record_rows import ClientRecord, VisitFact, read_record
from practice.visits.records import VisitStatus

Series = list[tuple[date, float]]
BASELINE_WINDOW = timedelta(weeks=4)
_day = itemgetter(0)
MISSED = frozenset({VisitStatus.CANCELLED, VisitStatus.NO_SHOW})


CourseVisit = VisitFact  # a visit of the course: its day, status, signature, pain, minutes


@dataclass(frozen=True, slots=True)
class MeasureCourse:
    """One measure over the course: baseline, latest and the verdict on the change."""

    measure: Measure
    points: tuple[tuple[date, float], ...]  # the scores within the period, oldest first
    baseline: float
    baseline_on: date
    latest: float
    latest_on: date
    change: Change

    @property
    def code(self) -> str:
        return self.measure.code


@dataclass(frozen=True, slots=True)
class GoalCourse:
    goal: Goal
    measure_name: str  # "" for a functional goal
    baseline: float | None  # the course's baseline for the goal's measure, else the plan's
    baseline_on: date | None  # None when the baseline is the one typed into the plan
    latest: float | None
    latest_on: date | None
    status: GoalStatus
    source: str  # how the status was reached: "measured", "set by the therapist" ...
    change: Change | None  # baseline to latest, with the MCID verdict


@dataclass(frozen=True, slots=True)
class Course:
    client_id: int
    plan: Plan | None
    start: date | None  # None: no plan and no visits, the course is empty
    end: date | None
    attended: tuple[CourseVisit, ...]
    drafts: tuple[CourseVisit, ...]
    missed: tuple[CourseVisit, ...]
    measures: tuple[MeasureCourse, ...]
    activities: Mapping[str, MeasureCourse]  # PSFS activities, by goal series key
    goals: tuple[GoalCourse, ...]
    visits_due: int  # how many visits the plan calls for up to today (0 without a plan)
    reevaluation_overdue: bool

    @property
    def visits_done(self) -> int:
        return len(self.attended)

    @property
    def visits_planned(self) -> int | None:
        return self.plan.planned_visits if self.plan else None

    @property
    def next_reevaluation(self) -> date | None:
        return self.plan.reevaluation_date if self.plan else None

    def measure(self, code: str) -> MeasureCourse | None:
        return next((m for m in self.measures if m.code == code), None)


def plan_course(db: Database, plan_id: int, today: date | None = None) -> Course:
    """The course of one plan from its start to its end (or today while it runs)."""
    today = today or date.today()
    plan = service.get_plan(db, plan_id)
    end = min(plan.end_date, max(today, plan.start_date))
    return course(db, plan.client_id, plan.start_date, end, plan=plan, today=today)


def plan_courses(
    db: Database,
    plan_ids: Sequence[int],
    today: date | None = None,
    progress: Progress | None = None,
) -> dict[int, Course]:
    """Several plans' courses by plan id (the timeline's plan entries): each client's record
    is read once for all of them."""
    today = today or date.today()
    readings: dict[int, Reading] = {}
    courses = {}
    for done, plan_id in enumerate(plan_ids):
        if progress is not None:
            progress.report(done, len(plan_ids), "Counting the plans' visits and goals")
        plan = service.get_plan(db, plan_id)
        end = min(plan.end_date, max(today, plan.start_date))
        courses[plan_id] = course(
            db, plan.client_id, plan.start_date, end, plan=plan, today=today, readings=readings
        )
    return courses


Reading = tuple[ClientRecord, dict[Measure, Series]]  # a client's record and attested series


def course(
    db: Database,
    client_id: int,
    start: date | None,
    end: date | None,
    *,
    plan: Plan | None = None,
    today: date | None = None,
    readings: dict[int, Reading] | None = None,
) -> Course:
    """The course of a client over a period (a plan's, or dates of the therapist's choosing).

    With a plan the period never runs past the plan's end. `readings` keeps each client's
    record once read, for callers computing several courses at once.
    """
    today = today or date.today()
    if plan is not None and end is not None:
        end = min(end, plan.end_date)
    if readings is None or client_id not in readings:
        with db.read() as session:
            record = read_record(session, client_id)
            reading = (record, outcomes.series_of(session, record, signed_only=True))
        if readings is not None:
            readings[client_id] = reading
    record, series = readings[client_id] if readings is not None else reading
    visits = _visits(record, start, end) if start and end else []
    measure_courses = tuple(
        m for m in (_measure_course(k, v, start, end) for k, v in series.items()) if m
    )
    items = _activities(record, start, end) if start and end else {}
    custom = (
        {
            m.definition_id: m
            for m in outcomes.custom_measures(db, include_archived=True)
            if m.definition_id is not None
        }
        if plan is not None and any(g.measure.startswith(goals.CUSTOM_PREFIX) for g in plan.goals)
        else {}
    )
    by_code = {m.code: m for m in measure_courses}
    goal_courses = tuple(
        goal_course(g, by_code, items, custom) for g in (plan.goals if plan else ())
    )
    return Course(
        client_id=client_id,
        plan=plan,
        start=start,
        end=end,
        attended=tuple(v for v in visits if v.status == VisitStatus.COMPLETED and v.signed),
        drafts=tuple(v for v in visits if v.status == VisitStatus.COMPLETED and not v.signed),
        missed=tuple(v for v in visits if v.status in MISSED),
        measures=measure_courses,
        activities=items,
        goals=goal_courses,
        visits_due=_visits_due(plan, today) if plan else 0,
        reevaluation_overdue=(
            plan is not None
            and plan.reevaluation_date is not None
            and plan.reevaluation_date < today
            and not plan.status.closed
        ),
    )


def goal_course(
    goal: Goal,
    by_code: Mapping[str, MeasureCourse],
    activities: Mapping[str, MeasureCourse],
    custom: Mapping[int, Measure],
) -> GoalCourse:
    """A goal against the course: the course's baseline and latest, and the verdict."""
    if goal.kind != GoalKind.MEASURABLE:
        status = goal.status_override or GoalStatus.NOT_MET
        source = "set by the therapist" if goal.status_override else "not assessed yet"
        return GoalCourse(goal, "", None, None, None, None, status, source, None)
    name = goals.measure_label(goal.measure, custom)
    tracked = by_code.get(goal.measure) or activities.get(goals.series_key(goal.measure))
    points: Sequence[tuple[date, float]] = tracked.points if tracked else ()
    baseline = tracked.baseline if tracked else goal.baseline
    baseline_on = tracked.baseline_on if tracked else None
    latest = points[-1] if points else None
    change = tracked.change if tracked else None
    if goal.status_override is not None:
        status, source = goal.status_override, "set by the therapist"
    elif baseline is None or goal.target is None:
        status, source = GoalStatus.NOT_MET, "not assessed yet"
    elif latest is None:
        status, source = GoalStatus.NOT_MET, "no scores yet"
    else:
        status, source = goals.goal_status(baseline, goal.target, list(points)), "measured"
    return GoalCourse(
        goal=goal,
        measure_name=name,
        baseline=baseline,
        baseline_on=baseline_on,
        latest=latest[1] if latest else None,
        latest_on=latest[0] if latest else None,
        status=status,
        source=source,
        change=change,
    )


def _measure_course(
    measure: Measure, series: Series, start: date | None, end: date | None
) -> MeasureCourse | None:
    if start is None or end is None:
        return None
    # Every series is in date order (oldest first): the period is found by bisection.
    first_day = bisect_left(series, start - BASELINE_WINDOW, key=_day)
    starts = bisect_left(series, start, lo=first_day, key=_day)
    ends = bisect_right(series, end, lo=starts, key=_day)
    within, before = series[starts:ends], series[first_day:starts]
    first = before[-1] if before else (within[0] if within else None)
    if first is None or not within:
        return None
    last = within[-1]
    return MeasureCourse(
        measure=measure,
        points=tuple(within),
        baseline=first[1],
        baseline_on=first[0],
        latest=last[1],
        latest_on=last[0],
        change=measures.judge_change(measure, first[1], last[1]),
    )


def _visits(record: ClientRecord, start: date, end: date) -> list[CourseVisit]:
    return [v for v in record.visits if start <= v.day <= end]


def _activities(record: ClientRecord, start: date, end: date) -> dict[str, MeasureCourse]:
    """Each PSFS activity's course, by goal series key (attested scores only)."""
    unsigned = record.unsigned_visits()
    first = start - BASELINE_WINDOW
    found: dict[str, Series] = defaultdict(list)
    for v in record.values:
        if (
            v.measure == measures.PSFS.code
            and first <= v.measured_on <= end
            and v.visit_id not in unsigned
        ):
            found[goals.series_key(goals.psfs_item_code(v.item))].append((v.measured_on, v.value))
    courses = {
        key: _measure_course(measures.PSFS_ITEM, points, start, end)
        for key, points in found.items()
    }
    return {key: c for key, c in courses.items() if c is not None}


def visit_number(course: Course, day: date) -> int:
    """A visit's place in the course: the attended visits before its day, plus one."""
    return sum(1 for v in course.attended if v.day < day) + 1


def _visits_due(plan: Plan, today: date) -> int:
    """Visits the plan calls for from its start through the current week (all, once over)."""
    if today < plan.start_date:
        return 0
    weeks = min(plan.length_weeks, (today - plan.start_date).days // 7 + 1)
    return planned_visits(plan.frequency_count, plan.frequency_weeks, weeks)
