"""Treatment plans through the service: validation, diagnoses, goals, techniques, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from practice.clients import service as clients
from practice.clients.intake import IntakeData
from practice.clients.records import PhysicianForm
from practice.errors import LockedRecordError, ValidationError
from practice.plans import service
from practice.plans.models import PlanAcknowledgementRow
from practice.plans.records import (
    GoalForm,
    GoalKind,
    GoalStatus,
    PlanForm,
    PlannedTechniqueForm,
    PlanStatus,
)
from practice.store import Database, audit
from practice.techniques import library as techniques

TODAY = date.today()
FORM = PlanForm(
    start_date=TODAY,
    frequency_count=1,
    length_weeks=6,
    referral_date=TODAY - timedelta(days=7),
    referral_reason="Chronic low back pain and tension headaches",
    reevaluation_date=TODAY + timedelta(weeks=3),
    diagnoses=("M54.50", "G44.209"),
    precautions=("Prefers the face cradle lowered",),
)


def _audit(db: Database, client_id: int) -> list[audit.AuditRecord]:
    with db.read() as session:
        return audit.entries(session, client_id=client_id)


def test_a_plan_is_saved_with_its_referral_diagnoses_and_dates(
    db: Database, client_id: int
) -> None:
    physician = clients.create_physician(db, PhysicianForm("Dr. Imani Okafor"))
    plan = service.create_plan(db, client_id, replace(FORM, physician_id=physician.id))
    assert plan.status is PlanStatus.ACTIVE
    assert plan.physician_id == physician.id
    assert [(d.position, d.code, d.description) for d in plan.diagnoses] == [
        (1, "M54.50", "Low back pain, unspecified"),
        (2, "G44.209", "Tension-type headache, unspecified, not intractable"),
    ]
    assert plan.end_date == TODAY + timedelta(weeks=6, days=-1)
    assert plan.planned_visits == 6
    assert plan.frequency_text == "1 visit a week for 6 weeks"
    assert service.get_plan(db, plan.id) == plan
    assert _audit(db, client_id)[0].action == "create"


def test_diagnosis_codes_are_normalised(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, replace(FORM, diagnoses=("m5450", " g44.209 ")))
    assert [d.code for d in plan.diagnoses] == ["M54.50", "G44.209"]


def test_m54_5_is_refused_with_its_billable_codes_and_nothing_is_saved(
    db: Database, client_id: int
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_plan(db, client_id, replace(FORM, diagnoses=("M54.2", "M54.5")))
    message = error.value.errors["diagnoses[1]"]
    assert "M54.50 (Low back pain, unspecified)" in message and "M54.59" in message
    assert service.plans_for(db, client_id) == []
    assert [e for e in _audit(db, client_id) if e.entity == "treatment_plan"] == []


def test_an_unknown_code_is_refused_and_nothing_is_saved(db: Database, client_id: int) -> None:
    with pytest.raises(ValidationError, match="is not an ICD-10-CM code"):
        service.create_plan(db, client_id, replace(FORM, diagnoses=("M54.999",)))
    assert service.plans_for(db, client_id) == []


def test_frequency_of_zero_and_an_end_before_the_start_are_refused_together(
    db: Database, client_id: int
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_plan(
            db,
            client_id,
            replace(FORM, frequency_count=0, length_weeks=0, reevaluation_date=None),
        )
    assert "frequency of zero" in error.value.errors["frequency_count"]
    assert "end before it starts" in error.value.errors["length_weeks"]
    assert service.plans_for(db, client_id) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reevaluation_date": TODAY - timedelta(days=1)}, "reevaluation_date"),
        ({"reevaluation_date": TODAY + timedelta(weeks=7)}, "reevaluation_date"),
        ({"referral_date": TODAY + timedelta(days=1)}, "referral_date"),
        ({"frequency_weeks": 0}, "frequency_weeks"),
        ({"frequency_count": 8}, "frequency_count"),
        ({"diagnoses": ("M54.50", "m54.50")}, "diagnoses[1]"),
        ({"physician_id": 999}, "physician_id"),
    ],
)
def test_other_bad_plan_input_is_refused(
    db: Database, client_id: int, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_plan(db, client_id, replace(FORM, **changes))  # type: ignore[arg-type]
    assert field in error.value.errors
    assert service.plans_for(db, client_id) == []


def test_fortnightly_plans_count_their_visits(db: Database, client_id: int) -> None:
    plan = service.create_plan(
        db, client_id, replace(FORM, frequency_weeks=2, length_weeks=5, reevaluation_date=None)
    )
    assert plan.planned_visits == 3
    assert plan.frequency_text == "1 visit every 2 weeks for 5 weeks"


def test_a_client_has_one_active_plan_at_a_time(db: Database, client_id: int) -> None:
    first = service.create_plan(db, client_id, FORM)
    with pytest.raises(ValidationError, match="already has an active plan"):
        service.create_plan(db, client_id, FORM)
    service.set_status(db, first.id, PlanStatus.ON_HOLD)
    second = service.create_plan(db, client_id, FORM)
    assert service.active_plan(db, client_id) == second
    with pytest.raises(ValidationError, match="already has an active plan"):
        service.set_status(db, first.id, PlanStatus.ACTIVE)


def test_a_discharged_plan_is_closed_to_changes(db: Database, client_id: int) -> None:
    created = service.create_plan(db, client_id, FORM)
    plan = service.set_status(db, created.id, PlanStatus.DISCHARGED)
    assert plan.status is PlanStatus.DISCHARGED
    with pytest.raises(LockedRecordError, match="start a new plan"):
        service.set_status(db, plan.id, PlanStatus.ACTIVE)
    with pytest.raises(LockedRecordError):
        service.update_plan(db, plan.id, FORM)
    with pytest.raises(LockedRecordError):
        service.add_goal(db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Sleep through the night"))
    assert [e.changes for e in _audit(db, client_id) if e.action == "status"] == [
        {"status": ["active", "discharged"]}
    ]


def test_update_replaces_diagnoses_and_records_the_change(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, FORM)
    updated = service.update_plan(db, plan.id, replace(FORM, diagnoses=("G44.209", "M54.2")))
    assert [(d.position, d.code) for d in updated.diagnoses] == [(1, "G44.209"), (2, "M54.2")]
    assert _audit(db, client_id)[0].changes["diagnoses"] == [
        ["M54.50", "G44.209"],
        ["G44.209", "M54.2"],
    ]


def test_a_failed_update_changes_nothing(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, FORM)
    with pytest.raises(ValidationError):
        service.update_plan(db, plan.id, replace(FORM, length_weeks=0, diagnoses=("M54.2",)))
    assert service.get_plan(db, plan.id) == plan


# ---------------------------------------------------------------- precautions


def test_precautions_are_filled_in_from_the_alerts_plus_the_therapists_own(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    from_alerts = [p for p in plan.precautions if p.from_alert]
    assert [(p.source_alert, p.level) for p in from_alerts] == [("bleeding_risk", "WARN-DEEP")]
    assert "Light pressure only" in from_alerts[0].text
    assert "Warfarin 5 mg" in from_alerts[0].text
    assert [p.text for p in plan.precautions if not p.from_alert] == [
        "Prefers the face cradle lowered"
    ]
    assert service.precautions_from_alerts(db, anticoagulated_client_id) == from_alerts


def test_a_client_without_alerts_gets_only_their_own_precautions(
    db: Database, client_id: int
) -> None:
    clients.save_intake(db, client_id, IntakeData(recorded_on=date.today()))
    plan = service.create_plan(db, client_id, FORM)
    assert [p.from_alert for p in plan.precautions] == [False]


def test_a_client_without_an_intake_gets_the_missing_history_as_a_precaution(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, FORM)
    from_alerts = [p.text for p in plan.precautions if p.from_alert]
    assert len(from_alerts) == 1 and "No health history on file" in from_alerts[0]


# ---------------------------------------------------------------- goals


def test_measurable_and_functional_goals_are_added_and_audited(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, FORM)
    pain = service.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=3)
    )
    psfs = service.add_goal(
        db,
        plan.id,
        GoalForm(GoalKind.MEASURABLE, measure="psfs: Tie shoes ", baseline=3, target=8),
    )
    words = service.add_goal(
        db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Lift the grandchild", "ignored", 1, 2)
    )
    assert psfs.measure == "psfs:Tie shoes"
    assert (words.measure, words.baseline, words.target) == ("", None, None)
    assert service.get_plan(db, plan.id).goals == (pain, psfs, words)
    assert _audit(db, client_id)[0].summary == "Goal added: Lift the grandchild"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=11), "target"),
        (GoalForm(GoalKind.MEASURABLE, measure="pain_before", baseline=7, target=-1), "target"),
        (GoalForm(GoalKind.MEASURABLE, measure="psfs:Garden", baseline=3, target=11), "target"),
        (GoalForm(GoalKind.MEASURABLE, measure="psfs", baseline=8, target=3), "target"),
        (GoalForm(GoalKind.MEASURABLE, measure="ndi", baseline=30, target=10), "measure"),
        (GoalForm(GoalKind.MEASURABLE, measure="custom:99", baseline=3, target=1), "measure"),
        (GoalForm(GoalKind.FUNCTIONAL, text=""), "text"),
    ],
)
def test_bad_goals_are_refused_and_nothing_is_saved(
    db: Database, client_id: int, form: GoalForm, field: str
) -> None:
    plan = service.create_plan(db, client_id, FORM)
    with pytest.raises(ValidationError) as error:
        service.add_goal(db, plan.id, form)
    assert field in error.value.errors
    assert service.get_plan(db, plan.id).goals == ()


def test_a_goal_can_be_edited_and_its_status_set_by_hand(db: Database, client_id: int) -> None:
    plan = service.create_plan(db, client_id, FORM)
    goal = service.add_goal(db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Garden for an hour"))
    edited = service.update_goal(db, goal.id, GoalForm(GoalKind.FUNCTIONAL, "Garden for 2 hours"))
    assert edited.text == "Garden for 2 hours"
    met = service.set_goal_status(db, goal.id, GoalStatus.MET)
    assert met.status_override is GoalStatus.MET
    assert service.set_goal_status(db, goal.id, None).status_override is None


# ---------------------------------------------------------------- planned techniques

DEEP = PlannedTechniqueForm(
    "deep_tissue", minutes=15, pressure=4, regions=("B_LOW_BACK_R", "B_LOW_BACK_L")
)


def test_deep_work_for_a_client_on_anticoagulants_needs_an_acknowledgement(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    with pytest.raises(ValidationError) as error:
        service.add_planned_technique(db, plan.id, DEEP)
    message = error.value.errors["acknowledged"]
    assert "Deep tissue is deep work" in message
    assert "Bleeding risk (WARN-DEEP)" in message and "Anticoagulants" in message
    assert service.get_plan(db, plan.id).techniques == ()


def test_the_acknowledgement_is_stored_with_who_and_when_and_audited(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    line = service.add_planned_technique(
        db, plan.id, replace(DEEP, acknowledged=frozenset({"bleeding_risk"}))
    )
    [ack] = line.acknowledgements
    assert (ack.alert, ack.level, ack.title, ack.by) == (
        "bleeding_risk",
        "WARN-DEEP",
        "Bleeding risk",
        "test-therapist",
    )
    assert ack.at.tzinfo is not None and "bruising" in ack.why
    assert line.restricted
    assert service.get_plan(db, plan.id).techniques == (line,)
    entries = _audit(db, anticoagulated_client_id)
    assert entries[0].action == "acknowledge"
    assert entries[0].summary == "Deep tissue planned despite alert 'Bleeding risk' (WARN-DEEP)"


def test_point_pressure_and_heavy_pressure_count_as_deep_work(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    trigger_point = PlannedTechniqueForm("trigger_point", 10, 2, muscle="upper_trapezius_R")
    with pytest.raises(ValidationError, match="point pressure work"):
        service.add_planned_technique(db, plan.id, trigger_point)
    firm_strokes = PlannedTechniqueForm("effleurage", 10, 5, ("B_UPPER_BACK_R",))
    with pytest.raises(ValidationError, match=r"pressure 5 \(very deep\) is deep work"):
        service.add_planned_technique(db, plan.id, firm_strokes)
    light = service.add_planned_technique(db, plan.id, replace(firm_strokes, pressure=2))
    assert light.acknowledgements == () and not light.restricted


def test_deep_work_for_a_client_without_alerts_needs_no_acknowledgement(
    db: Database, client_id: int
) -> None:
    plan = service.create_plan(db, client_id, FORM)
    line = service.add_planned_technique(db, plan.id, DEEP)
    assert line.acknowledgements == () and line.restricted


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (PlannedTechniqueForm("reiki", 10, 2, ("B_NECK_R",)), "technique"),
        (PlannedTechniqueForm("effleurage", 0, 2, ("B_NECK_R",)), "minutes"),
        (PlannedTechniqueForm("effleurage", 10, 6, ("B_NECK_R",)), "pressure"),
        (PlannedTechniqueForm("effleurage", 10, 2), "regions"),
        (PlannedTechniqueForm("effleurage", 10, 2, ("B_TAIL",)), "regions"),
        (PlannedTechniqueForm("effleurage", 10, 2, muscle="biceps_R"), "muscle"),
    ],
)
def test_bad_planned_techniques_are_refused(
    db: Database, client_id: int, form: PlannedTechniqueForm, field: str
) -> None:
    plan = service.create_plan(db, client_id, FORM)
    with pytest.raises(ValidationError) as error:
        service.add_planned_technique(db, plan.id, form)
    assert field in error.value.errors
    assert service.get_plan(db, plan.id).techniques == ()


def test_an_archived_technique_cannot_be_planned(db: Database, client_id: int) -> None:
    techniques.set_technique_archived(db, "cupping", True)
    plan = service.create_plan(db, client_id, FORM)
    with pytest.raises(ValidationError, match="archived"):
        service.add_planned_technique(
            db, plan.id, PlannedTechniqueForm("cupping", 5, 2, ("B_UPPER_BACK_R",))
        )


def test_a_removed_technique_leaves_the_plan_but_its_acknowledgement_stays_on_record(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    line = service.add_planned_technique(
        db, plan.id, replace(DEEP, acknowledged=frozenset({"bleeding_risk"}))
    )
    service.remove_planned_technique(db, line.id)
    assert service.get_plan(db, plan.id).techniques == ()
    with db.read() as session:
        assert session.scalars(select(PlanAcknowledgementRow.alert)).all() == ["bleeding_risk"]
    assert _audit(db, anticoagulated_client_id)[0].action == "remove"


def test_a_pressure_off_the_scale_is_refused_before_any_alert_check(
    db: Database, anticoagulated_client_id: int
) -> None:
    plan = service.create_plan(db, anticoagulated_client_id, FORM)
    with pytest.raises(ValidationError) as error:
        service.add_planned_technique(db, plan.id, replace(DEEP, pressure=6))
    assert set(error.value.errors) == {"pressure"}


def test_a_plan_needs_a_start_date(db: Database, client_id: int) -> None:
    with pytest.raises(ValidationError) as error:
        service.create_plan(db, client_id, replace(FORM, start_date=None))  # type: ignore[arg-type]
    assert "start_date" in error.value.errors
