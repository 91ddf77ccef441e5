"""A 20-year client for the timeline benchmark: 500 visits, 200 chart versions, 150 invoices.

Visits, notes and scores come from the demo generator (bulk inserts, signed in bulk); every
other record goes through its service, as the app writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from practice.bodymap.chart import ChartData, Quality, RegionMark
from practice.store import Database

YEARS = 20
VISITS = 500
CHARTS = 130  # drawings; 70 of them edited once: 200 versions
EDITED = 70
INVOICES = 150
VOIDED = 5
BATCHES = 4  # courses of care, five years apart


@dataclass(frozen=True, slots=True)
class LongClient:
    client_id: int
    visits: int
    chart_versions: int
    invoices: int
    measures: int
    plans: int


def build_long_client(db: Database, today: date | None = None) -> LongClient:
    from practice import printouts
    from practice.billing import service as billing
    from practice.billing.records import PaymentForm, PaymentMethod, ServiceForm
    from practice.bodymap import service as charts
    from practice.clients import service as clients
    from practice.clients.intake import IntakeData
    from practice.clients.records import ClientForm, ConsentSignature
    from practice.summaries import service as summaries
    from practice.summaries.demo import ensure_profile
    from practice.visits import outcomes
    from practice.visits.demo import generate_visits
    from practice.visits.records import PsfsItem

    today = today or date.today()
    ensure_profile(db)
    client = clients.create_client(
        db, ClientForm(given_name="Marguerite", family_name="Okonkwo-Lindqvist")
    )
    cid = client.id
    first = today - timedelta(days=365 * YEARS)
    for year in range(YEARS):
        clients.save_intake(
            db,
            cid,
            IntakeData(
                recorded_on=first + timedelta(days=365 * year),
                goals="Turn my head when driving",
                other_notes="Neck pain with tension headaches",
            ),
        )
    form = clients.save_consent_form(
        db, "general", "Consent to treatment", "I agree to medical massage and may stop it."
    )
    for year in (0, 7, 14):
        signed_at = datetime.combine(first + timedelta(days=365 * year), time(9)).astimezone()
        signature = ConsentSignature(form.id, "M. Okonkwo", signed_at=signed_at)
        consent = clients.sign_consent(db, cid, signature)
    clients.withdraw_consent(db, consent.id, "Prefers to sign again each year")

    per_batch = VISITS // BATCHES
    seed = 0
    for batch in range(BATCHES):
        end = today - timedelta(days=365 * 5 * batch)
        made = 0
        while not made:  # the generator leaves some clients without visits; try another seed
            seed += 1
            made = generate_visits(
                db, [cid], seed=seed, today=end, visits_per_client=(per_batch, per_batch)
            ).visits
    visits = _completed_signed(db, cid)

    plans = _plans(db, cid, visits, today)
    chart_versions = 0
    step = max(1, len(visits) // CHARTS)
    for k, (_visit_id, day) in enumerate(visits[::step][:CHARTS]):
        chart = charts.save_chart(db, cid, day, _chart(k), today=today)
        chart_versions += 1
        if k < EDITED:
            charts.save_chart(db, cid, day, _chart(k + 1), chart_id=chart.id, today=today)
            chart_versions += 1
    for k in range(0, 40):
        day = today - timedelta(weeks=4 * k)
        outcomes.record_psfs(db, cid, day, [PsfsItem("Drive", 4 + k % 5), PsfsItem("Read", 6)])
        outcomes.record_sleep_quality(db, cid, day, 5 + k % 4)

    service = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("110.00"), 60, (), ("97124",))
    )
    invoice_step = max(1, len(visits) // INVOICES)
    invoices = []
    for visit_id, day in visits[::invoice_step][:INVOICES]:
        invoice = billing.bill_visit(db, visit_id, service.id, issued_on=day)
        billing.record_payment(
            db, cid, PaymentForm(invoice.total, PaymentMethod.CARD, day, invoice_id=invoice.id)
        )
        invoices.append(invoice)
    for invoice in invoices[-VOIDED:]:
        billing.void_invoice(db, invoice.id, "Billed twice", voided_on=today)
    for plan_id in plans[-2:]:
        printouts.issue_summary(db, summaries.summary_draft(db, cid, plan_id=plan_id, today=today))
    measures = len(outcomes.progress_series(db, cid))
    return LongClient(cid, len(visits), chart_versions, len(invoices), measures, len(plans))


def _completed_signed(db: Database, client_id: int) -> list[tuple[int, date]]:
    from sqlalchemy import select

    from practice.visits.models import VisitRow

    query = (
        select(VisitRow.id, VisitRow.starts_at)
        .where(
            VisitRow.client_id == client_id,
            VisitRow.status == "completed",
            VisitRow.signed_at.is_not(None),
        )
        .order_by(VisitRow.starts_at)
    )
    with db.read() as session:
        return [(vid, at.astimezone().date()) for vid, at in session.execute(query)]


def _plans(db: Database, client_id: int, visits: list[tuple[int, date]], today: date) -> list[int]:
    """Three 12-week plans per course of care, each closed before the next begins."""
    from practice.plans import service as plans
    from practice.plans.records import GoalForm, GoalKind, PlanForm, PlanStatus

    ids = []
    starts = sorted({day for _vid, day in visits[:: max(1, len(visits) // 12)]})
    for start in starts:
        plan = plans.create_plan(
            db,
            client_id,
            PlanForm(start, 1, 12, reevaluation_date=start + timedelta(weeks=6)),
            today=today,
        )
        plans.add_goal(db, plan.id, GoalForm(GoalKind.MEASURABLE, "", "pain_before", 6, 2))
        ids.append(plan.id)
        if plan.end_date < today:
            plans.set_status(db, plan.id, PlanStatus.COMPLETED)
    return ids


def _chart(k: int) -> ChartData:
    level = 2 + k % 7
    return ChartData(
        marks=(
            RegionMark("B_NECK_R", level, frozenset({Quality.ACHE})),
            RegionMark("B_TRAPEZIUS_R", max(1, level - 2), frozenset({Quality.ACHE})),
        )
    )


def utc_today() -> date:
    return datetime.now(UTC).date()
