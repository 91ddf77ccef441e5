"""Property tests of treatment plans, goals and planned techniques: any input, no crash, no junk."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.plans import checks, goals, service
from practice.plans.records import (
    GoalForm,
    GoalKind,
    GoalStatus,
    PlanForm,
    PlannedTechniqueForm,
    PlanStatus,
)
from practice.store import Database
from tests.practice.fuzz import (
    KNOWN,
    days,
    enum_or_junk,
    forms,
    fuzz,
    known,
    long_reprs,
    mostly,
    name_text,
    outcome,
    real,
    row_ids,
    short_text,
    text,
    whole,
)

pytestmark = long_reprs
TODAY = date.today()

plan_forms = forms(
    PlanForm,
    valid={
        "start_date": st.dates(TODAY - timedelta(days=60), TODAY + timedelta(days=30)),
        "frequency_count": st.integers(1, 3),
        "length_weeks": st.integers(4, 12),
        "frequency_weeks": st.integers(1, 2),
        "referral_date": st.none() | st.dates(TODAY - timedelta(days=90), TODAY),
        "referral_reason": text,
        "precautions": st.lists(name_text | text, max_size=3).map(tuple),
        "notes": text,
    },
    junk={
        "start_date": days,
        "frequency_count": whole(1, 7),
        "length_weeks": whole(1, 104),
        "frequency_weeks": whole(1, 12),
        "physician_id": row_ids,
        "referral_date": days,
        "reevaluation_date": days,
        "diagnoses": st.lists(short_text | st.sampled_from(["M54.50", "m54.5", "G44.209"])).map(
            tuple
        ),
    },
)
goal_forms = forms(
    GoalForm,
    valid={
        "kind": st.just(GoalKind.MEASURABLE),
        "text": text,
        "measure": st.just("pain_before"),
        "baseline": st.sampled_from([7, 8.5]),
        "target": st.sampled_from([2, 3.5]),
    },
    junk={
        "kind": enum_or_junk(GoalKind),
        "text": text,
        "measure": text | st.sampled_from(["psfs", "psfs:stairs", "custom:1", "custom:²"]),
        "baseline": real(0, 10),
        "target": real(0, 10),
    },
)
planned = forms(
    PlannedTechniqueForm,
    valid={
        "technique": st.sampled_from(["effleurage", "petrissage", "myofascial_release"]),
        "minutes": st.integers(5, 30),
        "pressure": st.integers(1, 3),
        "regions": st.sampled_from([("B_LOW_BACK_R",), ("B_LOW_BACK_L", "B_LOW_BACK_R")]),
        "notes": text,
    },
    junk={
        "technique": text,
        "minutes": whole(1, 120),
        "pressure": whole(1, 5),
        "regions": st.lists(text, max_size=2).map(tuple),
        "muscle": text | st.just("upper_trapezius_R"),
    },
)


@fuzz
@given(form=plan_forms, which=mostly(st.just(KNOWN), row_ids), status=enum_or_junk(PlanStatus))
def test_plans_are_refused_or_saved_with_dates_and_counts_a_person_could_mean(
    shared_db: Database, form: PlanForm, which: object, status: object
) -> None:
    client = clients.create_client(shared_db, ClientForm("Ana", "Peña"))
    plan = outcome(shared_db, lambda: service.create_plan(shared_db, known(which, client.id), form))
    if plan is None:
        return
    assert checks.validate_plan(plan.form()) == plan.form()
    assert plan.end_date == service.plan_end(plan.start_date, plan.length_weeks)
    updated = outcome(shared_db, lambda: service.update_plan(shared_db, plan.id, form))
    assert updated is None or updated.form() == plan.form()
    outcome(shared_db, lambda: service.set_status(shared_db, plan.id, status))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.plans_for(shared_db, which))  # type: ignore[arg-type]
    outcome(shared_db, lambda: service.active_plan(shared_db, which))  # type: ignore[arg-type]


@fuzz
@given(
    goal=goal_forms,
    line=planned,
    which=mostly(st.just(KNOWN), row_ids),
    status=st.none() | enum_or_junk(GoalStatus),
)
def test_goals_and_planned_techniques_are_refused_or_saved_in_range(
    shared_db: Database,
    goal: GoalForm,
    line: PlannedTechniqueForm,
    which: object,
    status: object,
) -> None:
    client = clients.create_client(shared_db, ClientForm("Kofi", "Mensah"))
    plan = service.create_plan(shared_db, client.id, PlanForm(TODAY, 1, 6))
    plan_id = known(which, plan.id)
    added = outcome(shared_db, lambda: service.add_goal(shared_db, plan_id, goal))
    if added is not None:
        measure = goals.goal_measure(added.measure)
        assert goals.goal_errors(added.form(), measure) == {}
        outcome(shared_db, lambda: service.update_goal(shared_db, added.id, goal))
        outcome(shared_db, lambda: service.set_goal_status(shared_db, added.id, status))  # type: ignore[arg-type]
    technique = outcome(shared_db, lambda: service.add_planned_technique(shared_db, plan_id, line))
    if technique is not None:
        assert 1 <= technique.minutes <= 120 and 1 <= technique.pressure <= 5
        outcome(shared_db, lambda: service.remove_planned_technique(shared_db, technique.id))
    outcome(shared_db, lambda: service.remove_planned_technique(shared_db, which))  # type: ignore[arg-type]
