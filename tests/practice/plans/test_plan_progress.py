"""A plan against the visits: visits done and due, goal status from the scores, re-evaluation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from practice.plans import service
from practice.plans.progress import plan_progress
from practice.plans.records import GoalForm, GoalKind, GoalStatus, PlanForm
from practice.store import Database
from practice.visits import outcomes
from practice.visits import service as visits
from practice.visits.records import PsfsItem, SoapNote, VisitDraft, VisitForm, VisitStatus

TODAY = date.today()
START = TODAY - timedelta(days=20)  # the plan is in its third week
PLAN = PlanForm(
    start_date=START, frequency_count=1, length_weeks=6, reevaluation_date=START + timedelta(4)
)


def visit(db: Database, client_id: int, day: date, pain: int | None = None, **form: object) -> None:
    starts_at = datetime.combine(day, time(10)).astimezone()
    draft = VisitDraft(VisitForm(starts_at, **form), SoapNote(pain_before=pain))  # type: ignore[arg-type]
    visits.create_visit(db, client_id, draft)


def test_visits_done_count_completed_visits_within_the_plan_dates(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    visit(db, client_id, START - timedelta(days=3))  # before the plan
    visit(db, client_id, START)
    visit(db, client_id, START + timedelta(days=7))
    visit(db, client_id, START + timedelta(days=10), status=VisitStatus.CANCELLED)
    visit(db, client_id, START + timedelta(days=14), status=VisitStatus.NO_SHOW)
    visit(db, client_id, START + timedelta(days=15))
    progress = plan_progress(db, plan.id)
    assert progress.visits_done == 3
    assert progress.visit_dates == (START, START + timedelta(7), START + timedelta(15))
    assert progress.visits_planned == 6
    assert progress.visits_due == 3  # weekly, in the third week


def test_goal_status_is_computed_from_the_visits_scores(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    pain = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=3)
    )
    stairs = service.add_goal(
        db,
        plan.id,
        GoalForm(GoalKind.MEASURABLE, measure="psfs:Climb stairs", baseline=3, target=8),
    )
    sleep = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="sleep_quality", baseline=4, target=8)
    )
    walk = service.add_goal(db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Walk the dog daily"))
    visit(db, client_id, START, pain=7)
    visit(db, client_id, START + timedelta(days=7), pain=6)
    visit(db, client_id, START + timedelta(days=14), pain=5)
    day = START + timedelta(days=14)
    outcomes.record_psfs(db, client_id, day, [PsfsItem("climb stairs", 8), PsfsItem("Sit", 2)])
    service.set_goal_status(db, walk.id, GoalStatus.PARTIAL)

    goals = {g.goal.id: g for g in plan_progress(db, plan.id).goals}
    assert (goals[pain.id].status, goals[pain.id].latest, goals[pain.id].source) == (
        GoalStatus.PARTIAL,
        5.0,
        "measured",
    )
    assert goals[pain.id].measure_name == "Pain before treatment (NRS)"
    assert goals[stairs.id].status is GoalStatus.MET  # matched whatever the case
    assert goals[stairs.id].measure_name == "PSFS: Climb stairs"
    assert (goals[sleep.id].status, goals[sleep.id].source) == (
        GoalStatus.NOT_MET,
        "no scores yet",
    )
    assert (goals[walk.id].status, goals[walk.id].source) == (
        GoalStatus.PARTIAL,
        "set by the therapist",
    )


def test_scores_from_before_the_plan_do_not_count(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    goal = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=3)
    )
    visit(db, client_id, START - timedelta(days=2), pain=2)
    [progress] = plan_progress(db, plan.id).goals
    assert progress.goal == goal
    assert (progress.status, progress.latest) == (GoalStatus.NOT_MET, None)


def test_a_passed_reevaluation_date_is_overdue(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, PLAN)
    progress = plan_progress(db, plan.id)
    assert progress.next_reevaluation == START + timedelta(days=4)
    assert progress.reevaluation_overdue
    later = service.update_plan(db, plan.id, replace(PLAN, reevaluation_date=TODAY))
    assert not plan_progress(db, later.id).reevaluation_overdue


def test_a_plan_that_has_not_started_has_no_visits_due(db: Database, client_id: int) -> None:
    plan = service.create_plan(
        db, client_id, replace(PLAN, start_date=TODAY + timedelta(7), reevaluation_date=None)
    )
    progress = plan_progress(db, plan.id)
    assert (progress.visits_due, progress.visits_done, progress.visits_planned) == (0, 0, 6)
