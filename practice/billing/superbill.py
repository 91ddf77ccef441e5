"""Superbill data for a client and a date range: what a CMS-1500 or an insurer's form needs.

Codes come from the visit's treatment log (technique -> default CPT of the technique library),
units from the minutes logged under the billing settings' unit rule (`units.allot_units`),
diagnoses and pointers from the treatment plan, charges and payments from the visit's invoices.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.billing import service as billing
from practice.billing.models import (
    AllocationRow,
    InvoiceLineRow,
    InvoiceRow,
    ServiceRow,
)
from practice.billing.money import from_cents, split_cents
from practice.billing.records import (
    BillingSettings,
    InvoiceKind,
    Superbill,
    SuperbillDiagnosis,
    SuperbillLine,
    SuperbillVisit,
)
from practice.billing.units import allot_units
from practice.clients.models import ClientRow, PhysicianRow
from practice.errors import ValidationError
from practice.plans.models import PlanDiagnosisRow, PlanRow
from practice.store import staff
from practice.store.database import Database
from practice.store.rows import get_or_raise
from practice.techniques.library import techniques_by_code
from practice.visits.models import TreatmentEntryRow, VisitRow
from practice.visits.records import VisitStatus
from practice.visits.techniques import TECHNIQUE_BY_CODE

MASSAGE, MANUAL_THERAPY = "97124", "97140"
MAX_POINTERS = 4  # CMS-1500 box 24E holds up to four pointers per line
SAME_DAY_WARNING = (
    "97124 (massage) and 97140 (manual therapy) on the same day: many payers pay only one "
    "of them; bill both only for distinct services in separate areas, with modifier 59."
)


def superbill(db: Database, client_id: int, since: date, until: date) -> Superbill:
    """The client's billed services from `since` to `until` (inclusive), by date of service.

    A date of service is a signed visit with a line on an issued invoice (not voided): a draft
    note or an unbilled visit is not a service an insurer can be asked to pay for.
    """
    staff.refuse_front_desk(db, "A superbill (its diagnoses and visits)")
    if since > until:
        raise ValidationError({"since": "The start date is after the end date."})
    settings = billing.get_settings(db)
    cpt_of = {code: t.default_cpt for code, t in techniques_by_code(db).items()}
    for code, known in TECHNIQUE_BY_CODE.items():
        cpt_of.setdefault(code, known.cpt)
    with db.read() as session:
        client = get_or_raise(session, ClientRow, client_id, "client")
        visits = [
            v
            for v in session.scalars(
                select(VisitRow)
                .where(
                    VisitRow.client_id == client_id,
                    VisitRow.status == str(VisitStatus.COMPLETED),
                    VisitRow.signed_at.is_not(None),
                    VisitRow.id.in_(_billed_visits()),
                )
                .order_by(VisitRow.starts_at, VisitRow.id)
            )
            if since <= v.starts_at.astimezone().date() <= until
        ]
        plan = _plan(session, client_id, since, until)
        diagnoses = _diagnoses(session, plan)
        pointers = tuple(d.pointer for d in diagnoses[:MAX_POINTERS])
        physician_id = plan.physician_id if plan and plan.physician_id else client.physician_id
        physician = session.get(PhysicianRow, physician_id) if physician_id else None
        by_day: dict[date, list[VisitRow]] = defaultdict(list)
        for visit in visits:
            by_day[visit.starts_at.astimezone().date()].append(visit)
        rows = tuple(
            _day(session, day, same_day, cpt_of, settings, pointers)
            for day, same_day in sorted(by_day.items())
        )
    return Superbill(
        client_id=client.id,
        client_name=f"{client.given_name} {client.family_name}".strip(),
        date_of_birth=client.date_of_birth,
        since=since,
        until=until,
        diagnoses=tuple(diagnoses),
        referring_physician=physician.name if physician else "",
        referring_physician_npi=physician.npi if physician else "",
        unit_rule=settings.unit_rule,
        visits=rows,
        currency=billing.practice_currency(db),
    )


def _billed_visits():  # type: ignore[no-untyped-def]
    """Visits with a line on an issued invoice that was not voided."""
    return (
        select(InvoiceLineRow.visit_id)
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(
            InvoiceLineRow.visit_id.is_not(None),
            InvoiceRow.kind == str(InvoiceKind.INVOICE),
            InvoiceRow.status == "issued",
        )
    )


def _day(
    session: Session,
    day: date,
    visits: list[VisitRow],
    cpt_of: dict[str, str],
    settings: BillingSettings,
    pointers: tuple[int, ...],
) -> SuperbillVisit:
    """One date of service: the day's timed minutes by code, units, charges and payments."""
    ids = [v.id for v in visits]
    minutes: dict[str, int] = {}
    entries = session.scalars(
        select(TreatmentEntryRow)
        .where(TreatmentEntryRow.visit_id.in_(ids))
        .order_by(TreatmentEntryRow.visit_id, TreatmentEntryRow.seq, TreatmentEntryRow.id)
    )
    for entry in entries:
        cpt = cpt_of.get(entry.technique_code)
        if cpt:
            minutes[cpt] = minutes.get(cpt, 0) + entry.minutes
    units = {c: u for c, u in allot_units(minutes, settings.unit_rule).items() if u > 0}
    charge, tax, paid, numbers, modifiers = _money(session, ids)
    shares = split_cents(charge, sum(units.values())) if units else []
    lines, k = [], 0
    for cpt, count in units.items():
        line_charge = sum(shares[k : k + count])
        k += count
        lines.append(
            SuperbillLine(
                service_date=day,
                cpt=cpt,
                modifier=modifiers.get(cpt, ""),
                minutes=minutes[cpt],
                units=count,
                charge=from_cents(line_charge),
                pointers=pointers,
                place_of_service=visits[0].place_of_service or settings.place_of_service,
                description=_CPT_NAMES.get(cpt, ""),
            )
        )
    warnings = (SAME_DAY_WARNING,) if {MASSAGE, MANUAL_THERAPY} <= set(units) else ()
    return SuperbillVisit(
        visit_id=visits[0].id,
        service_date=day,
        place_of_service=visits[0].place_of_service or settings.place_of_service,
        timed_minutes=sum(minutes.values()),
        lines=tuple(lines),
        charge=from_cents(charge),
        tax=from_cents(tax),
        paid=from_cents(paid),
        invoice_numbers=numbers,
        warnings=warnings,
    )


_CPT_NAMES = {
    MASSAGE: "Massage therapy",
    MANUAL_THERAPY: "Manual therapy techniques",
    "97110": "Therapeutic exercise",
    "97112": "Neuromuscular re-education",
    "97010": "Hot or cold packs",
}


def _money(
    session: Session, visit_ids: list[int]
) -> tuple[int, int, int, tuple[str, ...], dict[str, str]]:
    """Charge (before tax), tax and paid for these visits' lines on invoices that are not void.

    A payment on an invoice counts for a visit in proportion to the visit's share of it.
    """
    rows = session.execute(
        select(InvoiceLineRow, InvoiceRow)
        .join(InvoiceRow, InvoiceRow.id == InvoiceLineRow.invoice_id)
        .where(
            InvoiceLineRow.visit_id.in_(visit_ids),
            InvoiceRow.kind == str(InvoiceKind.INVOICE),
            InvoiceRow.status == "issued",
        )
        .order_by(InvoiceRow.id, InvoiceLineRow.position)
    ).all()
    charge = tax = paid = 0
    numbers: dict[str, None] = {}
    modifiers: dict[str, str] = {}
    for line, invoice in rows:
        charge += line.net_cents
        tax += line.tax_cents
        numbers[invoice.number or ""] = None
        applied = session.scalar(
            select(func.coalesce(func.sum(AllocationRow.amount_cents), 0)).where(
                AllocationRow.invoice_id == invoice.id
            )
        )
        if invoice.total_cents:
            share = Decimal(applied or 0) * (line.net_cents + line.tax_cents) / invoice.total_cents
            paid += int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        service = session.get(ServiceRow, line.service_id) if line.service_id else None
        if service is not None and service.modifier:
            for code in service.billing_codes.split():
                modifiers.setdefault(code, service.modifier)
    return charge, tax, paid, tuple(numbers), modifiers


def _plan(session: Session, client_id: int, since: date, until: date) -> PlanRow | None:
    """The latest treatment plan that overlaps the period."""
    return session.scalar(
        select(PlanRow)
        .where(
            PlanRow.client_id == client_id,
            PlanRow.start_date <= until,
            PlanRow.end_date >= since,
        )
        .order_by(PlanRow.start_date.desc(), PlanRow.id.desc())
        .limit(1)
    )


def _diagnoses(session: Session, plan: PlanRow | None) -> list[SuperbillDiagnosis]:
    if plan is None:
        return []
    rows = session.scalars(
        select(PlanDiagnosisRow)
        .where(PlanDiagnosisRow.plan_id == plan.id)
        .order_by(PlanDiagnosisRow.position)
    )
    return [SuperbillDiagnosis(r.position, r.code, r.description) for r in rows]
