"""What a plan shows against the visits: visits done and due, goal status, next re-evaluation.

Visits are not stored against a plan: a completed visit of the client dated within the plan's
start and end dates counts towards it (a client has at most one active plan at a time). The
two small readers below are the only places that ask `practice.visits` for data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from practice.plans import goals, service
from practice.plans.records import (
    Goal,
    GoalKind,
    GoalProgress,
    GoalStatus,
    Plan,
    PlanProgress,
    planned_visits,
)
from practice.store.database import Database
from practice.visits import measures, outcomes
from practice.visits import service as visits
from practice.visits.measures import Measure
from practice.visits.models import MeasureValueRow
from practice.visits.records import HistoryFilter, VisitStatus

Series = list[tuple[date, float]]


def plan_progress(db: Database, plan_id: int, today: date | None = None) -> PlanProgress:
    today = today or date.today()
    plan = service.get_plan(db, plan_id)
    done = completed_visit_dates(db, plan.client_id, plan.start_date, plan.end_date)
    series = measure_series(db, plan.client_id, since=plan.start_date)
    custom = {
        m.definition_id: m
        for m in outcomes.custom_measures(db, include_archived=True)
        if m.definition_id is not None
    }
    return PlanProgress(
        plan_id=plan.id,
        visits_done=len(done),
        visits_planned=plan.planned_visits,
        visits_due=visits_due(plan, today),
        visit_dates=tuple(done),
        goals=tuple(
            goal_progress(g, series.get(goals.series_key(g.measure), []), custom)
            for g in plan.goals
        ),
        next_reevaluation=plan.reevaluation_date,
        reevaluation_overdue=(
            plan.reevaluation_date is not None
            and plan.reevaluation_date < today
            and not plan.status.closed
        ),
    )


def visits_due(plan: Plan, today: date) -> int:
    """Visits the plan calls for from its start through the current week (all, once over)."""
    if today < plan.start_date:
        return 0
    weeks = min(plan.length_weeks, (today - plan.start_date).days // 7 + 1)
    return planned_visits(plan.frequency_count, plan.frequency_weeks, weeks)


def goal_progress(
    goal: Goal, series: Series, custom: Mapping[int, Measure] | None = None
) -> GoalProgress:
    """A goal's status: the therapist's when set, else computed from the scores (measurable)."""
    latest = series[-1] if series else None
    name = goals.measure_label(goal.measure, custom) if goal.kind == GoalKind.MEASURABLE else ""
    if goal.status_override is not None:
        status, source = goal.status_override, "set by the therapist"
    elif goal.kind == GoalKind.FUNCTIONAL or goal.baseline is None or goal.target is None:
        status, source = GoalStatus.NOT_MET, "not assessed yet"
    elif not series:
        status, source = GoalStatus.NOT_MET, "no scores yet"
    else:
        status, source = goals.goal_status(goal.baseline, goal.target, series), "measured"
    return GoalProgress(
        goal=goal,
        measure_name=name,
        latest=latest[1] if latest else None,
        latest_on=latest[0] if latest else None,
        status=status,
        source=source,
    )


# ---------------------------------------------------------------- reading visits


def completed_visit_dates(db: Database, client_id: int, since: date, until: date) -> list[date]:
    """Dates of the client's completed visits from `since` to `until` inclusive, oldest first."""
    history = visits.visit_history(
        db,
        client_id,
        HistoryFilter(since=since, until=until, statuses=frozenset({VisitStatus.COMPLETED})),
    )
    return sorted(v.starts_at.astimezone().date() for v in history)


def measure_series(db: Database, client_id: int, since: date) -> dict[str, Series]:
    """Scores by goal measure code from `since` on, oldest first; one series per PSFS activity."""
    found: dict[str, Series] = {
        measure.code: [(day, value) for day, value in series if day >= since]
        for measure, series in outcomes.progress_series(db, client_id).items()
    }
    query = (
        select(MeasureValueRow.item, MeasureValueRow.measured_on, MeasureValueRow.value)
        .where(
            MeasureValueRow.client_id == client_id,
            MeasureValueRow.measure == measures.PSFS.code,
            MeasureValueRow.measured_on >= since,
        )
        .order_by(MeasureValueRow.measured_on, MeasureValueRow.id)
    )
    items: dict[str, Series] = defaultdict(list)
    with db.read() as session:
        for item, day, value in session.execute(query):
            items[goals.series_key(goals.psfs_item_code(item))].append((day, value))
    return found | dict(items)
