"""A client with one or more records of every kind, written through the services as the app
writes them: the timeline's tests (core and screen) read this one record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from practice.store import Database

TODAY = date.today()


def days_ago(days: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days), time(hour)).astimezone()


@dataclass(frozen=True, slots=True)
class Sample:
    client_id: int
    intake_id: int
    consent_id: int  # general consent, still in force
    withdrawn_consent_id: int  # sensitive-area consent, withdrawn today
    signed_visit_id: int  # signed, pain 6 -> 3, 15 days ago
    amended_visit_id: int
    draft_visit_id: int  # yesterday, never signed
    cancelled_visit_id: int
    no_show_visit_id: int
    first_chart_id: int  # 100 days ago, since edited
    edited_chart_id: int  # the new version of it
    plan_id: int  # completed
    active_plan_id: int  # running, re-evaluation ahead
    document_id: int
    paid_invoice_id: int
    void_invoice_id: int
    credit_note_id: int
    draft_invoice_id: int
    payment_id: int
    refund_id: int


def build_sample(db: Database, given_name: str = "Ana", family_name: str = "Peña") -> Sample:
    from practice import printouts
    from practice.billing import service as billing
    from practice.billing.records import LineForm, PaymentForm, PaymentMethod, ServiceForm
    from practice.bodymap import service as charts
    from practice.bodymap.chart import ChartData, Quality, RegionMark
    from practice.clients import service as clients
    from practice.clients.intake import IntakeData, Medication, MedicationFlag
    from practice.clients.records import ClientForm, ConsentSignature
    from practice.plans import service as plans
    from practice.plans.records import GoalForm, GoalKind, PlanForm, PlanStatus
    from practice.summaries import service as summaries
    from practice.summaries.demo import ensure_profile
    from practice.visits import outcomes
    from practice.visits import service as visits
    from practice.visits.records import (
        CustomMeasureForm,
        HeadacheForm,
        PsfsItem,
        SoapNote,
        VisitDraft,
        VisitForm,
        VisitStatus,
    )

    ensure_profile(db)
    cid = clients.create_client(db, ClientForm(given_name=given_name, family_name=family_name)).id
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    intake = clients.save_intake(
        db,
        cid,
        IntakeData(
            recorded_on=TODAY - timedelta(days=400),
            conditions={"hypertension": ""},
            medications=(warfarin,),
            allergies="Almond oil",
        ),
    )
    general = clients.save_consent_form(
        db, "general", "Consent to treatment", "I agree to medical massage and may stop it."
    )
    sensitive = clients.save_consent_form(
        db, "sensitive", "Sensitive areas", "I agree to treatment of the areas ticked below."
    )
    consent = clients.sign_consent(
        db, cid, ConsentSignature(general.id, "Ana Peña", signed_at=days_ago(390, 9))
    )
    withdrawn = clients.sign_consent(
        db,
        cid,
        ConsentSignature(
            sensitive.id, "Ana Peña", signed_at=days_ago(300, 9), sensitive_areas=("gluteal",)
        ),
    )
    clients.withdraw_consent(db, withdrawn.id, "Prefers no gluteal work")

    plan = plans.create_plan(
        db,
        cid,
        PlanForm(TODAY - timedelta(days=120), 1, 8, reevaluation_date=TODAY - timedelta(days=92)),
    )
    plans.add_goal(db, plan.id, GoalForm(GoalKind.MEASURABLE, "", "pain_before", 6, 2))

    def visit(ago: int, *, sign: bool = True, status: VisitStatus = VisitStatus.COMPLETED) -> int:
        note = SoapNote(complaint="Low back ache after gardening", pain_before=6, pain_after=3)
        draft = VisitDraft(VisitForm(days_ago(ago), 60, status=status), note, ())
        visit_id = visits.create_visit(db, cid, draft).visit.id
        if sign:
            visits.sign_visit(db, visit_id)
        return visit_id

    amended = visit(100)
    visits.amend_visit(db, amended, "Typing error", "Pressure was light, not firm.")
    visit(93)
    cancelled = visit(50, sign=False, status=VisitStatus.CANCELLED)
    no_show = visit(45, sign=False, status=VisitStatus.NO_SHOW)
    plans.set_status(db, plan.id, PlanStatus.COMPLETED)
    active = plans.create_plan(
        db,
        cid,
        PlanForm(TODAY - timedelta(days=20), 1, 12, reevaluation_date=TODAY + timedelta(days=8)),
    )
    signed = visit(15)
    later = visit(8)
    draft = visit(1, sign=False)

    pain = ChartData(marks=(RegionMark("B_LOW_BACK_R", 6, frozenset({Quality.ACHE})),))
    eased = ChartData(marks=(RegionMark("B_LOW_BACK_R", 4, frozenset({Quality.ACHE})),))
    first = charts.save_chart(db, cid, TODAY - timedelta(days=100), pain)
    edited = charts.save_chart(db, cid, TODAY - timedelta(days=100), eased, chart_id=first.id)
    charts.save_chart(db, cid, TODAY - timedelta(days=8), eased)

    outcomes.record_psfs(
        db, cid, TODAY - timedelta(days=100), [PsfsItem("Garden", 3), PsfsItem("Tie shoes", 4)]
    )
    outcomes.record_sleep_quality(db, cid, TODAY - timedelta(days=8), 6)
    grip = outcomes.define_custom_measure(db, CustomMeasureForm("Grip strength", 0, 80, True, 5))
    assert grip.definition_id is not None
    outcomes.record_custom_value(db, cid, grip.definition_id, TODAY - timedelta(days=8), 32)
    outcomes.record_headache(
        db, cid, HeadacheForm(TODAY - timedelta(days=3), 4, 6, True, "Ibuprofen 400 mg")
    )

    document = printouts.issue_summary(db, summaries.summary_draft(db, cid, plan_id=plan.id))

    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("110.00"), 60, (), ("97124",))
    )
    paid = billing.bill_visit(db, signed, massage.id, issued_on=TODAY - timedelta(days=15))
    payment = billing.record_payment(
        db,
        cid,
        PaymentForm(paid.total, PaymentMethod.CARD, TODAY - timedelta(days=15), invoice_id=paid.id),
    )
    void = billing.bill_visit(db, later, massage.id, issued_on=TODAY - timedelta(days=8))
    paid_void = billing.record_payment(
        db,
        cid,
        PaymentForm(void.total, PaymentMethod.CASH, TODAY - timedelta(days=8), invoice_id=void.id),
    )
    credit = billing.void_invoice(db, void.id, "Billed at the wrong rate")
    refund = billing.refund_payment(db, paid_void.id, paid_void.amount, "Paid twice")
    draft_invoice = billing.create_invoice(db, cid, [LineForm(service_id=massage.id)])
    return Sample(
        client_id=cid,
        intake_id=intake.id,
        consent_id=consent.id,
        withdrawn_consent_id=withdrawn.id,
        signed_visit_id=signed,
        amended_visit_id=amended,
        draft_visit_id=draft,
        cancelled_visit_id=cancelled,
        no_show_visit_id=no_show,
        first_chart_id=first.id,
        edited_chart_id=edited.id,
        plan_id=plan.id,
        active_plan_id=active.id,
        document_id=document.id,
        paid_invoice_id=paid.id,
        void_invoice_id=void.id,
        credit_note_id=credit.id,
        draft_invoice_id=draft_invoice.id,
        payment_id=payment.id,
        refund_id=refund.id,
    )
