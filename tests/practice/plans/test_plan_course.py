"""A plan's course: visits attended, drafts and missed apart, baselines, goals, re-evaluation.

One computation serves the Plan tab, the physician summary and the command line, so these
tests pin down what every one of them shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from practice.plans import service
from practice.plans.course import plan_course, visit_number
from practice.plans.records import GoalForm, GoalKind, GoalStatus, PlanForm, PlanStatus
from practice.store import Database
from practice.visits import outcomes
from practice.visits import service as visits
from practice.visits.measures import Direction
from practice.visits.records import PsfsItem, SoapNote, VisitDraft, VisitForm, VisitStatus

TODAY = date.today()
START = TODAY - timedelta(days=20)  # the plan is in its third week
PLAN = PlanForm(
    start_date=START, frequency_count=1, length_weeks=6, reevaluation_date=START + timedelta(4)
)


@pytest.fixture(autouse=True)
def _consented(client_id: int, consent: Callable[[int], None]) -> None:
    consent(client_id)


def visit(
    db: Database,
    client_id: int,
    day: date,
    pain: int | None = None,
    *,
    signed: bool = True,
    **form: object,
) -> int:
    starts_at = datetime.combine(day, time(10)).astimezone()
    note = SoapNote(pain_before=pain, complaint="Neck ache")
    draft = VisitDraft(VisitForm(starts_at, **form), note)  # type: ignore[arg-type]
    record = visits.create_visit(db, client_id, draft)
    if signed and record.visit.status == VisitStatus.COMPLETED:
        visits.sign_visit(db, record.visit.id)
    return record.visit.id


def test_attended_drafts_and_missed_visits_are_counted_apart(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    visit(db, client_id, START - timedelta(days=3))  # before the plan
    visit(db, client_id, START)
    visit(db, client_id, START + timedelta(days=7))
    visit(db, client_id, START + timedelta(days=10), status=VisitStatus.CANCELLED)
    visit(db, client_id, START + timedelta(days=14), status=VisitStatus.NO_SHOW)
    visit(db, client_id, START + timedelta(days=15))
    visit(db, client_id, START + timedelta(days=16), signed=False)  # a draft
    course = plan_course(db, plan.id)
    assert course.visits_done == 3
    assert [v.day for v in course.attended] == [START, START + timedelta(7), START + timedelta(15)]
    assert [v.day for v in course.drafts] == [START + timedelta(16)]
    assert [v.status for v in course.missed] == [VisitStatus.CANCELLED, VisitStatus.NO_SHOW]
    assert course.visits_planned == 6
    assert course.visits_due == 3  # weekly, in the third week
    assert visit_number(course, START + timedelta(16)) == 4


def test_visits_and_scores_after_the_plan_ended_never_count_for_it(
    db: Database, client_id: int
) -> None:
    start = TODAY - timedelta(days=60)
    plan = service.create_plan(
        db, client_id, replace(PLAN, start_date=start, length_weeks=4, reevaluation_date=None)
    )
    goal = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=6, target=2)
    )
    visit(db, client_id, start, pain=6)
    visit(db, client_id, start + timedelta(days=14), pain=4)
    visit(db, client_id, TODAY - timedelta(days=2), pain=1)  # a month after the plan ended
    course = plan_course(db, plan.id)
    assert course.end == plan.end_date
    assert course.visits_done == 2
    pain = course.measure("pain_before")
    assert pain is not None and (pain.baseline, pain.latest) == (6.0, 4.0)
    [item] = course.goals
    assert item.goal == goal
    assert (item.baseline, item.latest, item.status) == (6.0, 4.0, GoalStatus.PARTIAL)


def test_a_goal_uses_the_measured_baseline_so_it_agrees_with_the_outcome_table(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=8, target=3)
    )
    visit(db, client_id, START - timedelta(days=5), pain=7)  # the evaluation visit
    visit(db, client_id, START + timedelta(days=7), pain=5)
    visit(db, client_id, START + timedelta(days=14), pain=3)
    course = plan_course(db, plan.id)
    pain = course.measure("pain_before")
    [goal] = course.goals
    assert pain is not None
    assert (pain.baseline, pain.baseline_on) == (7.0, START - timedelta(days=5))
    assert (goal.baseline, goal.baseline_on, goal.latest) == (7.0, pain.baseline_on, 3.0)
    assert goal.status is GoalStatus.MET
    assert goal.change is not None and goal.change.meaningful
    assert goal.change.direction is Direction.IMPROVED


def test_the_baseline_typed_into_the_plan_counts_only_without_scores(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="sleep_quality", baseline=4, target=8)
    )
    [goal] = plan_course(db, plan.id).goals
    assert (goal.baseline, goal.baseline_on, goal.latest) == (4.0, None, None)
    assert (goal.status, goal.source) == (GoalStatus.NOT_MET, "no scores yet")


def test_goal_status_is_computed_from_the_signed_visits_scores(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    pain = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=3)
    )
    stairs = service.add_goal(
        db,
        plan.id,
        GoalForm(GoalKind.MEASURABLE, measure="psfs:Climb stairs", baseline=3, target=8),
    )
    walk = service.add_goal(db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Walk the dog daily"))
    visit(db, client_id, START, pain=7)
    visit(db, client_id, START + timedelta(days=7), pain=6)
    visit(db, client_id, START + timedelta(days=14), pain=5)
    visit(db, client_id, START + timedelta(days=15), pain=2, signed=False)  # not counted
    day = START + timedelta(days=14)
    outcomes.record_psfs(db, client_id, START, [PsfsItem("Climb stairs", 3)])
    outcomes.record_psfs(db, client_id, day, [PsfsItem("climb stairs", 8), PsfsItem("Sit", 2)])
    service.set_goal_status(db, walk.id, GoalStatus.PARTIAL)

    goals = {g.goal.id: g for g in plan_course(db, plan.id).goals}
    assert (goals[pain.id].status, goals[pain.id].latest, goals[pain.id].source) == (
        GoalStatus.PARTIAL,
        5.0,
        "measured",
    )
    assert goals[pain.id].measure_name == "Pain before treatment (NRS)"
    assert goals[stairs.id].status is GoalStatus.MET  # matched whatever the case
    assert (goals[stairs.id].baseline, goals[stairs.id].latest) == (3.0, 8.0)
    assert goals[stairs.id].measure_name == "PSFS: Climb stairs"
    assert (goals[walk.id].status, goals[walk.id].source) == (
        GoalStatus.PARTIAL,
        "set by the therapist",
    )


def test_scores_from_long_before_the_plan_do_not_count(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    goal = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=3)
    )
    visit(db, client_id, START - timedelta(days=40), pain=2)
    [item] = plan_course(db, plan.id).goals
    assert item.goal == goal
    assert (item.status, item.latest, item.baseline) == (GoalStatus.NOT_MET, None, 7.0)


def test_a_passed_reevaluation_date_is_overdue(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    course = plan_course(db, plan.id)
    assert course.next_reevaluation == START + timedelta(days=4)
    assert course.reevaluation_overdue
    later = service.update_plan(db, plan.id, replace(PLAN, reevaluation_date=TODAY))
    assert not plan_course(db, later.id).reevaluation_overdue
    closed = service.set_status(db, plan.id, PlanStatus.COMPLETED)
    assert not plan_course(db, closed.id).reevaluation_overdue


def test_a_plan_that_has_not_started_has_no_visits_due(db: Database, client_id: int) -> None:
    plan = service.create_plan(
        db, client_id, replace(PLAN, start_date=TODAY + timedelta(7), reevaluation_date=None)
    )
    course = plan_course(db, plan.id)
    assert (course.visits_due, course.visits_done, course.visits_planned) == (0, 0, 6)
