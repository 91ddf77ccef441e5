"""Appointment to visit to bill: the note starts pre-filled, the state follows the visit."""

from __future__ import annotations

from datetime import date

import pytest

from practice.billing import service as billing
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.records import PlanForm, PlannedTechniqueForm
from practice.schedule import care, missed, queries, service
from practice.schedule.records import AppointmentForm, AppointmentState
from practice.techniques.library import seed_techniques
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft
from tests.practice.schedule.conftest import NOW, Practice, local

DAY = date(2026, 2, 24)


def book(p: Practice, minutes: int = 60) -> int:
    form = AppointmentForm(p.client_id, local(2026, 2, 24, 10), minutes, service_id=p.massage.id)
    outcome = service.book(p.db, form, now=NOW)
    assert outcome.appointment is not None
    return outcome.appointment.id


def plan_with(p: Practice, *lines: PlannedTechniqueForm) -> None:
    seed_techniques(p.db)
    plan = plans.create_plan(
        p.db, p.client_id, PlanForm(date(2026, 2, 2), 1, 6), today=date(2026, 2, 2)
    )
    for line in lines:
        plans.add_planned_technique(p.db, plan.id, line, today=date(2026, 2, 2))


def test_starting_the_visit_prefills_it_from_the_appointment_and_the_plan(
    practice: Practice,
) -> None:
    plan_with(
        practice,
        PlannedTechniqueForm("myofascial_release", 25, regions=("B_LOW_BACK_R",)),
        PlannedTechniqueForm("effleurage", 15, pressure=2, regions=("B_UPPER_BACK_R",)),
    )
    appointment_id = book(practice)
    started = care.start_visit(practice.db, appointment_id, today=DAY)
    visit = started.visit.visit
    assert started.created and started.to_acknowledge == ()
    assert visit.starts_at == started.appointment.starts_at
    assert visit.duration_minutes == 60
    assert [(t.technique, t.minutes) for t in started.visit.treatments] == [
        ("myofascial_release", 25),
        ("effleurage", 15),
    ]
    assert started.appointment.visit_id == visit.id
    assert started.appointment.state is AppointmentState.COMPLETED
    assert started.changes == Changes.of("visit", "appointment", client_id=practice.client_id)


def test_the_state_follows_signing_and_billing_with_the_appointments_service(
    practice: Practice,
) -> None:
    appointment_id = book(practice)
    started = care.start_visit(practice.db, appointment_id, today=DAY)
    draft = VisitDraft(started.visit.visit.form(), SoapNote(complaint="Low back ache"))
    visits.sign_visit(practice.db, started.visit.visit.id, draft, today=DAY)
    assert queries.get_appointment(practice.db, appointment_id).state is (
        AppointmentState.NOTE_SIGNED
    )
    invoice = care.bill_appointment(practice.db, appointment_id)
    assert invoice.lines[0].service_id == practice.massage.id
    assert queries.get_appointment(practice.db, appointment_id).state is AppointmentState.BILLED
    billing.void_invoice(practice.db, invoice.id, "Wrong client")
    assert queries.get_appointment(practice.db, appointment_id).state is (
        AppointmentState.NOTE_SIGNED
    )


def test_deep_work_under_an_alert_is_left_for_the_therapist_to_acknowledge(
    practice: Practice,
) -> None:
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        practice.db, practice.client_id, IntakeData(date(2026, 2, 1), medications=(warfarin,))
    )
    alert = clients.alerts_for(practice.db, practice.client_id, date(2026, 2, 2))[0]
    plan_with(
        practice,
        PlannedTechniqueForm(
            "trigger_point", 10, 4, ("B_TRAPEZIUS_R",), acknowledged=frozenset({alert.rule})
        ),
        PlannedTechniqueForm("effleurage", 20, 2, ("B_UPPER_BACK_R",)),
    )
    started = care.start_visit(practice.db, book(practice), today=DAY)
    assert [t.technique for t in started.visit.treatments] == ["effleurage"]
    assert [t.technique for t in started.to_acknowledge] == ["trigger_point"]
    assert [a.rule for a in started.alerts] == [alert.rule]


def test_planned_work_longer_than_the_appointment_is_held_back(practice: Practice) -> None:
    plan_with(
        practice,
        PlannedTechniqueForm("myofascial_release", 25, regions=("B_LOW_BACK_R",)),
        PlannedTechniqueForm("effleurage", 15, pressure=2, regions=("B_UPPER_BACK_R",)),
    )
    started = care.start_visit(practice.db, book(practice, minutes=30), today=DAY)
    assert [t.minutes for t in started.visit.treatments] == [25]
    assert [t.minutes for t in started.to_acknowledge] == [15]


def test_opening_the_appointment_again_returns_the_same_note(practice: Practice) -> None:
    appointment_id = book(practice)
    first = care.start_visit(practice.db, appointment_id, today=DAY)
    again = care.start_visit(practice.db, appointment_id, today=DAY)
    assert not again.created and again.visit.visit.id == first.visit.visit.id


def test_a_note_is_not_started_ahead_of_the_day(practice: Practice) -> None:
    appointment_id = book(practice)
    with pytest.raises(ValidationError, match="on the day"):
        care.start_visit(practice.db, appointment_id, today=date(2026, 2, 23))


def test_a_cancelled_appointment_has_no_visit(practice: Practice) -> None:
    appointment_id = book(practice)
    missed.cancel(practice.db, appointment_id, "Sick", now=NOW)
    with pytest.raises(ValidationError, match="cancelled"):
        care.start_visit(practice.db, appointment_id, today=DAY)
    with pytest.raises(ValidationError, match="visit note"):
        care.bill_appointment(practice.db, appointment_id)


def test_a_visit_created_before_a_crash_is_linked_not_duplicated(practice: Practice) -> None:
    appointment_id = book(practice)
    appointment = queries.get_appointment(practice.db, appointment_id)
    from practice.visits.records import VisitForm

    orphan = visits.create_visit(
        practice.db, practice.client_id, VisitDraft(VisitForm(appointment.starts_at, 60)), DAY
    )
    started = care.start_visit(practice.db, appointment_id, today=DAY)
    assert started.visit.visit.id == orphan.visit.id
    assert len(visits.visit_history(practice.db, practice.client_id)) == 1


def test_without_a_plan_the_last_visits_log_is_carried_over(practice: Practice) -> None:
    from datetime import UTC, datetime

    from practice.visits.records import TreatmentInput, VisitForm

    last = VisitForm(datetime(2026, 2, 17, 15, tzinfo=UTC), 60)
    log = (TreatmentInput("effleurage", 20, ("B_UPPER_BACK_R",), 2),)
    visits.create_visit(practice.db, practice.client_id, VisitDraft(last, SoapNote(), log), DAY)
    started = care.start_visit(practice.db, book(practice), today=DAY)
    assert [t.technique for t in started.visit.treatments] == ["effleurage"]
