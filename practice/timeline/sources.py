"""One lean query per kind of record, each turned into timeline entries.

Each source selects only the columns its entries show (long texts cut in SQL), newest first, at
most a page of rows older than the cursor, with SQLAlchemy Core: no ORM objects are built.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, case, exists, func, or_, select

from practice.billing.models import InvoiceRow, PaymentRow, RefundRow
from practice.billing.money import format_money, from_cents
from practice.billing.records import METHOD_LABELS, PaymentMethod
from practice.bodymap.models import BodyChartRow
from practice.clients.intake import CONDITION_BY_CODE, CancerStatus
from practice.clients.models import ConsentFormRow, ConsentRow, IntakeRow
from practice.dates import format_day, format_moment, format_time
from practice.plans.models import PlanRow
from practice.plans.records import PlanStatus, frequency_text
from practice.summaries.models import IssuedDocumentRow
from practice.timeline.records import Cursor, Flag, Source, TimelineEntry, day_edge
from practice.visits import measures
from practice.visits.models import (
    AmendmentRow,
    HeadacheEntryRow,
    MeasureDefinitionRow,
    MeasureValueRow,
    SoapNoteRow,
    VisitRow,
)
from practice.visits.records import VisitStatus, is_imported

# Core tables: selecting ORM attributes would build ORM compile state for every statement.
INVOICE = InvoiceRow.__table__
PAYMENT = PaymentRow.__table__
REFUND = RefundRow.__table__
BODY_CHART = BodyChartRow.__table__
CONSENT_FORM = ConsentFormRow.__table__
CONSENT = ConsentRow.__table__
INTAKE = IntakeRow.__table__
PLAN = PlanRow.__table__
DOCUMENT = IssuedDocumentRow.__table__
AMENDMENT = AmendmentRow.__table__
HEADACHE = HeadacheEntryRow.__table__
MEASURE_DEFINITION = MeasureDefinitionRow.__table__
MEASURE_VALUE = MeasureValueRow.__table__
SOAP_NOTE = SoapNoteRow.__table__
VISIT = VisitRow.__table__

SHORT = 160  # characters of a free text shown in a row (the record holds the rest)
Row = Any


@dataclass(frozen=True, slots=True)
class Context:
    """What every entry is written with: the client, the practice's locale and money, today."""

    client_id: int
    locale: str
    currency: str
    today: date

    def day(self, day: date) -> str:
        return format_day(day, self.locale)

    def moment(self, moment: datetime) -> str:
        return format_moment(moment, self.locale)

    def money(self, cents: int) -> str:
        return format_money(from_cents(cents), self.currency, self.locale)


@dataclass(frozen=True, slots=True)
class Spec:
    """One source: its rows for a client (labelled `when` and `id`) and how a row reads."""

    source: Source
    rows: Callable[[Any], Select[Any]]  # of a client id (a bound parameter)
    when: Any  # the column entries are dated by
    id: Any  # the record's id column (an aggregate for grouped sources)
    timed: bool  # `when` is a datetime, else a date
    build: Callable[[Row, Context], TimelineEntry]
    grouped: bool = False  # rows are groups: the cursor condition goes to HAVING


def page_query(
    spec: Spec,
    client_id: int,
    limit: int,
    *,
    before: Cursor | None = None,
    since: Cursor | None = None,
    offset: int = 0,
) -> tuple[Select[Any], dict[str, Any]]:
    """This source's rows for the client that sort older than `before` and not older than
    `since`, newest first: a statement built once per shape (compiled once) and its values."""
    upper, edge = bound(spec, before, upper=True)
    lower, floor = bound(spec, since, upper=False)
    params: dict[str, Any] = {"client_id": client_id, "limit": limit, "offset": offset}
    if before is not None:
        params |= {"edge": edge, "edge_id": before.record_id}
    if since is not None:
        params |= {"floor": floor, "floor_id": since.record_id}
    return statement_for(spec.source, upper, lower), params


def bound(spec: Spec, cursor: Cursor | None, *, upper: bool) -> tuple[str, date | datetime | None]:
    """How this source's rows compare with a cursor in the order of `TimelineEntry.cursor`
    (moment, then source rank, then record id), as a shape and the value to compare with.

    Upper bounds (older than the cursor) are "lt", "le" or "tie"; lower bounds (the cursor or
    newer) "gt", "ge" or "tie"; "" means no bound.
    """
    if cursor is None:
        return "", None
    rank = spec.source.rank
    value: date | datetime = cursor.moment
    if not spec.timed:
        # A date-only entry sorts at a fixed edge of its local day: rows of the cursor's day
        # sort wholly on one side of it unless that edge is the cursor's very moment.
        value = cursor.moment.astimezone().date()
        edge = day_edge(spec.source, value)
        if edge != cursor.moment:
            day_is_older = edge < cursor.moment
            if upper:
                return ("le" if day_is_older else "lt"), value
            return ("gt" if day_is_older else "ge"), value
    # Rows at the cursor's very moment: the source's rank decides, then the record id.
    if rank == cursor.rank:
        return "tie", value
    if upper:
        return ("le" if rank < cursor.rank else "lt"), value
    return ("ge" if rank > cursor.rank else "gt"), value


@functools.cache
def statement_for(source: Source, upper: str, lower: str) -> Select[Any]:
    """The one statement of a source for a shape of bounds (see `bound`)."""
    spec = SPEC_OF[source]
    when, record_id = spec.when, spec.id
    edge = bindparam("edge", type_=when.type)
    floor = bindparam("floor", type_=when.type)
    edge_id = bindparam("edge_id", type_=Integer)
    floor_id = bindparam("floor_id", type_=Integer)
    conditions = {
        ("upper", "lt"): lambda: when < edge,
        ("upper", "le"): lambda: when <= edge,
        ("upper", "tie"): lambda: or_(when < edge, and_(when == edge, record_id < edge_id)),
        ("lower", "gt"): lambda: when > floor,
        ("lower", "ge"): lambda: when >= floor,
        ("lower", "tie"): lambda: or_(when > floor, and_(when == floor, record_id >= floor_id)),
    }
    query = spec.rows(bindparam("client_id", type_=Integer))
    for side, shape in (("upper", upper), ("lower", lower)):
        if shape:
            condition = conditions[side, shape]()
            query = query.having(condition) if spec.grouped else query.where(condition)
    return (
        query.order_by(when.desc(), record_id.desc())
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def short(column: Any) -> Any:
    return func.substr(column, 1, SHORT)


def joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _entry(source: Source, row: Row, ctx: Context, title: str, detail: str, **extra: Any) -> Any:
    return TimelineEntry(source, row.when, title, detail, ctx.client_id, row.id, **extra)


# ---------------------------------------------------------------- intake and consent


def _intakes(client_id: Any) -> Select[Any]:
    return select(
        INTAKE.c.id,
        INTAKE.c.recorded_on.label("when"),
        INTAKE.c.conditions,
        INTAKE.c.medications,
        short(INTAKE.c.allergies).label("allergies"),
        INTAKE.c.pregnant,
        INTAKE.c.cancer_status,
    ).where(INTAKE.c.client_id == client_id)


def _intake(row: Row, ctx: Context) -> TimelineEntry:
    conditions = [
        CONDITION_BY_CODE[code].label if code in CONDITION_BY_CODE else code
        for code in (row.conditions or {})
    ]
    medications = len(row.medications or ())
    parts = []
    if conditions:
        shown = ", ".join(conditions[:3])
        more = f" and {len(conditions) - 3} more" if len(conditions) > 3 else ""
        parts.append(f"{shown}{more}")
    if medications:
        parts.append(f"{medications} medication{'s' if medications != 1 else ''}")
    if row.allergies:
        parts.append(f"allergies: {row.allergies}")
    if row.pregnant:
        parts.append("pregnant")
    if row.cancer_status and row.cancer_status != CancerStatus.NONE.value:
        parts.append(f"cancer: {row.cancer_status}")
    detail = joined(*parts) or "No conditions, medications or allergies reported"
    return _entry(Source.INTAKE, row, ctx, "Health history", detail)


def _consents(client_id: Any) -> Select[Any]:
    return (
        select(
            CONSENT.c.id,
            CONSENT.c.signed_at.label("when"),
            CONSENT_FORM.c.title,
            CONSENT_FORM.c.version,
            CONSENT.c.signer_name,
            CONSENT.c.guardian_name,
            CONSENT.c.guardian_relation,
            CONSENT.c.sensitive_areas,
            CONSENT.c.withdrawn_at,
        )
        .join(CONSENT_FORM, CONSENT_FORM.c.id == CONSENT.c.form_id)
        .where(CONSENT.c.client_id == client_id)
    )


def _consent(row: Row, ctx: Context) -> TimelineEntry:
    signer = f"Signed by {row.signer_name}"
    if row.guardian_name:
        relation = f" ({row.guardian_relation})" if row.guardian_relation else ""
        signer = f"Signed by {row.guardian_name}{relation} for {row.signer_name}"
    areas = ", ".join(row.sensitive_areas or ())
    withdrawn = row.withdrawn_at
    detail = joined(
        f"Version {row.version}",
        signer,
        f"sensitive areas: {areas}" if areas else "",
        f"withdrawn {ctx.day(withdrawn.astimezone().date())}" if withdrawn else "",
    )
    title = f"Signed: {row.title}"
    flags = frozenset({Flag.WITHDRAWN}) if row.withdrawn_at else frozenset()
    return _entry(Source.CONSENT, row, ctx, title, detail, flags=flags)


def _withdrawals(client_id: Any) -> Select[Any]:
    return (
        select(
            CONSENT.c.id,
            CONSENT.c.withdrawn_at.label("when"),
            CONSENT_FORM.c.title,
            CONSENT_FORM.c.version,
            short(CONSENT.c.withdrawn_reason).label("reason"),
        )
        .join(CONSENT_FORM, CONSENT_FORM.c.id == CONSENT.c.form_id)
        .where(CONSENT.c.client_id == client_id, CONSENT.c.withdrawn_at.is_not(None))
    )


def _withdrawal(row: Row, ctx: Context) -> TimelineEntry:
    title = f"Withdrawn: {row.title}"
    detail = joined(f"Version {row.version}", f"reason: {row.reason}" if row.reason else "")
    return _entry(Source.CONSENT_WITHDRAWN, row, ctx, title, detail)


# ---------------------------------------------------------------- visits


def _visits(client_id: Any) -> Select[Any]:
    amended = exists().where(AMENDMENT.c.visit_id == VISIT.c.id)
    return (
        select(
            VISIT.c.id,
            VISIT.c.starts_at.label("when"),
            VISIT.c.duration_minutes,
            VISIT.c.status,
            VISIT.c.signed_at,
            VISIT.c.signing_acknowledgements,
            SOAP_NOTE.c.pain_before,
            SOAP_NOTE.c.pain_after,
            short(SOAP_NOTE.c.complaint).label("complaint"),
            amended.label("amended"),
        )
        .outerjoin(SOAP_NOTE, SOAP_NOTE.c.visit_id == VISIT.c.id)
        .where(VISIT.c.client_id == client_id)
    )


def _visit(row: Row, ctx: Context) -> TimelineEntry:
    status = VisitStatus(row.status)
    signed = row.signed_at is not None
    flags: set[Flag] = set()
    imported = is_imported(row.signing_acknowledgements)
    if status is not VisitStatus.COMPLETED:
        flags.add(Flag.CANCELLED if status is VisitStatus.CANCELLED else Flag.NO_SHOW)
        title = "Visit cancelled" if status is VisitStatus.CANCELLED else "No-show"
    else:
        if imported:
            flags.add(Flag.IMPORTED)
            title = "Visit, imported (not signed in Fascia)"
        else:
            flags.add(Flag.SIGNED if signed else Flag.DRAFT)
            title = "Visit, signed" if signed else "Visit, draft (not signed)"
        if row.amended:
            flags.add(Flag.AMENDED)
            title += ", amended"
    local = row.when.astimezone()
    when = f"{clock(local.hour, local.minute, ctx.locale)}, {row.duration_minutes} min"
    if status is VisitStatus.COMPLETED:
        detail = joined(when, pain_text(row.pain_before, row.pain_after), row.complaint or "")
    else:
        detail = when
    return _entry(Source.VISIT, row, ctx, title, detail, visit_id=row.id, flags=frozenset(flags))


@functools.lru_cache(maxsize=2048)
def clock(hour: int, minute: int, locale: str) -> str:
    """A clock time as the locale writes it (Babel is slow: a day has few distinct times)."""
    return format_time(datetime(2000, 1, 1, hour, minute), locale)


def pain_text(before: int | None, after: int | None) -> str:
    """'Pain 6 → 3' (NRS before and after treatment), or what of it was recorded."""
    if before is not None and after is not None:
        return f"Pain {before} → {after}"
    if before is not None:
        return f"Pain before {before}"
    if after is not None:
        return f"Pain after {after}"
    return ""


# ---------------------------------------------------------------- body charts


def _charts(client_id: Any) -> Select[Any]:
    newer = BODY_CHART.alias("newer")
    superseded = exists().where(newer.c.supersedes_id == BODY_CHART.c.id)
    return select(
        BODY_CHART.c.id,
        BODY_CHART.c.charted_on.label("when"),
        BODY_CHART.c.visit_id,
        BODY_CHART.c.source,
        BODY_CHART.c.supersedes_id,
        BODY_CHART.c.extent_percent,
        BODY_CHART.c.region_count,
        BODY_CHART.c.wpi,
        BODY_CHART.c.max_intensity,
        BODY_CHART.c.created_at,
        superseded.label("superseded"),
    ).where(BODY_CHART.c.client_id == client_id)


def _chart(row: Row, ctx: Context) -> TimelineEntry:
    flags = set()
    title = "Body chart"
    if row.supersedes_id is not None:
        flags.add(Flag.EDITED)
        title = "Body chart, new version"
    if row.superseded:
        flags.add(Flag.SUPERSEDED)
        title += ", replaced later"
    regions = f"{row.region_count} region{'s' if row.region_count != 1 else ''}"
    detail = joined(
        regions if row.region_count else "No pain marked",
        f"{row.extent_percent:.1f}% of the body" if row.region_count else "",
        f"worst {row.max_intensity}/10" if row.max_intensity else "",
        f"WPI {row.wpi}" if row.wpi else "",
        "baseline at intake" if row.source == "intake" else "",
        f"saved {ctx.moment(row.created_at)}" if row.supersedes_id is not None else "",
    )
    return _entry(
        Source.CHART, row, ctx, title, detail, visit_id=row.visit_id, flags=frozenset(flags)
    )


# ---------------------------------------------------------------- measures and the diary


def _measures(client_id: Any) -> Select[Any]:
    # A PSFS is one row per activity: its rows of a day (and visit) make one entry.
    one_entry = case((MEASURE_VALUE.c.measure == measures.PSFS.code, 0), else_=MEASURE_VALUE.c.id)
    return (
        select(
            func.min(MEASURE_VALUE.c.id).label("id"),
            MEASURE_VALUE.c.measured_on.label("when"),
            MEASURE_VALUE.c.measure,
            MEASURE_VALUE.c.visit_id,
            MEASURE_DEFINITION.c.name.label("custom_name"),
            MEASURE_DEFINITION.c.unit.label("custom_unit"),
            func.count().label("items"),
            func.avg(MEASURE_VALUE.c.value).label("value"),
            func.aggregate_strings(func.substr(MEASURE_VALUE.c.item, 1, 60), ", ").label(
                "activities"
            ),
        )
        .outerjoin(MEASURE_DEFINITION, MEASURE_DEFINITION.c.id == MEASURE_VALUE.c.custom_measure_id)
        .where(MEASURE_VALUE.c.client_id == client_id)
        .group_by(
            MEASURE_VALUE.c.measured_on,
            MEASURE_VALUE.c.measure,
            MEASURE_VALUE.c.visit_id,
            MEASURE_VALUE.c.custom_measure_id,
            MEASURE_DEFINITION.c.name,
            MEASURE_DEFINITION.c.unit,
            one_entry,
        )
    )


BUILT_IN_NAMES = {m.code: m.name for m in measures.BUILT_IN}


def _measure(row: Row, ctx: Context) -> TimelineEntry:
    value = f"{row.value:.1f}".removesuffix(".0")
    if row.measure == measures.PSFS.code:
        count = f"{row.items} activit{'ies' if row.items != 1 else 'y'}"
        title = f"PSFS {row.value:.1f} of 10"
        detail = f"Mean of {count}: {row.activities}" if row.activities else ""
    elif row.measure == measures.SLEEP_QUALITY.code:
        title, detail = f"Sleep quality {value} of 10", "0 worst, 10 best"
    elif row.custom_name is not None:
        unit = f" {row.custom_unit}" if row.custom_unit else ""
        title, detail = f"{row.custom_name}: {value}{unit}", "Your own measure"
    else:
        title, detail = f"{BUILT_IN_NAMES.get(row.measure, row.measure)}: {value}", ""
    if row.visit_id is not None:
        detail = joined(detail, "taken at a visit")
    return _entry(Source.MEASURE, row, ctx, title, detail, visit_id=row.visit_id)


def _headaches(client_id: Any) -> Select[Any]:
    return select(
        HEADACHE.c.id,
        HEADACHE.c.occurred_on.label("when"),
        HEADACHE.c.visit_id,
        HEADACHE.c.duration_hours,
        HEADACHE.c.intensity,
        HEADACHE.c.medication_taken,
        short(HEADACHE.c.medication).label("medication"),
        short(HEADACHE.c.notes).label("notes"),
    ).where(HEADACHE.c.client_id == client_id)


def _headache(row: Row, ctx: Context) -> TimelineEntry:
    hours = f"{row.duration_hours:g} h"
    medication = ""
    if row.medication_taken:
        medication = f"took {row.medication}" if row.medication else "took medication"
    detail = joined(hours, medication, row.notes or "")
    title = f"Headache, intensity {row.intensity} of 10"
    return _entry(Source.HEADACHE, row, ctx, title, detail, visit_id=row.visit_id)


# ---------------------------------------------------------------- plans


def _plans(client_id: Any) -> Select[Any]:
    return select(
        PLAN.c.id,
        PLAN.c.start_date.label("when"),
        PLAN.c.frequency_count,
        PLAN.c.frequency_weeks,
        PLAN.c.length_weeks,
        PLAN.c.end_date,
        PLAN.c.status,
        short(PLAN.c.referral_reason).label("reason"),
    ).where(PLAN.c.client_id == client_id)


def _plan(row: Row, ctx: Context) -> TimelineEntry:
    status = PlanStatus(row.status)
    frequency = frequency_text(row.frequency_count, row.frequency_weeks, row.length_weeks)
    detail = joined(
        status.label, f"{ctx.day(row.when)} to {ctx.day(row.end_date)}", row.reason or ""
    )
    flags = frozenset({Flag.CLOSED}) if status.closed else frozenset()
    return _entry(Source.PLAN, row, ctx, f"Plan: {frequency}", detail, flags=flags)


def _reevaluations(client_id: Any) -> Select[Any]:
    return select(
        PLAN.c.id,
        PLAN.c.reevaluation_date.label("when"),
        PLAN.c.start_date,
        PLAN.c.status,
    ).where(PLAN.c.client_id == client_id, PLAN.c.reevaluation_date.is_not(None))


def _reevaluation(row: Row, ctx: Context) -> TimelineEntry:
    due = row.when > ctx.today
    title = "Re-evaluation due" if due else "Re-evaluation"
    detail = f"Plan of {ctx.day(row.start_date)}, {PlanStatus(row.status).label.lower()}"
    flags = frozenset({Flag.DUE}) if due else frozenset()
    return _entry(Source.REEVALUATION, row, ctx, title, detail, flags=flags)


# ---------------------------------------------------------------- documents and money


def _documents(client_id: Any) -> Select[Any]:
    return select(
        DOCUMENT.c.id,
        DOCUMENT.c.issued_at.label("when"),
        short(DOCUMENT.c.title).label("title"),
        DOCUMENT.c.issued_by,
        short(DOCUMENT.c.physician_name).label("physician"),
        DOCUMENT.c.period_start,
        DOCUMENT.c.period_end,
    ).where(DOCUMENT.c.client_id == client_id)


def _document(row: Row, ctx: Context) -> TimelineEntry:
    period = ""
    if row.period_start and row.period_end:
        period = f"{ctx.day(row.period_start)} to {ctx.day(row.period_end)}"
    detail = joined(
        f"Issued by {row.issued_by}", f"for {row.physician}" if row.physician else "", period
    )
    return _entry(Source.DOCUMENT, row, ctx, row.title, detail)


def _invoices(client_id: Any) -> Select[Any]:
    credited = INVOICE.alias("credited")
    return (
        select(
            INVOICE.c.id,
            func.coalesce(INVOICE.c.issued_on, INVOICE.c.created_on).label("when"),
            INVOICE.c.kind,
            INVOICE.c.number,
            INVOICE.c.status,
            INVOICE.c.total_cents,
            short(INVOICE.c.void_reason).label("void_reason"),
            credited.c.number.label("credits_number"),
        )
        .outerjoin(credited, credited.c.id == INVOICE.c.credits_invoice_id)
        .where(INVOICE.c.client_id == client_id)
    )


def _invoice(row: Row, ctx: Context) -> TimelineEntry:
    flags = set()
    if row.kind == "credit_note":
        flags.add(Flag.CREDIT_NOTE)
        title = f"Credit note {row.number}"
        detail = joined(ctx.money(row.total_cents), f"cancels invoice {row.credits_number}")
    elif row.status == "draft":
        flags.add(Flag.DRAFT)
        title, detail = "Invoice, draft (not issued)", ctx.money(row.total_cents)
    else:
        title, detail = f"Invoice {row.number}", ctx.money(row.total_cents)
        if row.status == "void":
            flags.add(Flag.VOID)
            title += ", void"
            detail = joined(detail, f"voided: {row.void_reason}" if row.void_reason else "")
    return _entry(Source.INVOICE, row, ctx, title, detail, flags=frozenset(flags))


def _payments(client_id: Any) -> Select[Any]:
    return select(
        PAYMENT.c.id,
        PAYMENT.c.received_on.label("when"),
        PAYMENT.c.method,
        PAYMENT.c.amount_cents,
        PAYMENT.c.package_id,
        short(PAYMENT.c.reference).label("reference"),
    ).where(PAYMENT.c.client_id == client_id)


def method_label(method: str) -> str:
    try:
        return METHOD_LABELS[PaymentMethod(method)]
    except ValueError:
        return method


def _payment(row: Row, ctx: Context) -> TimelineEntry:
    credit = row.method in (PaymentMethod.PACKAGE_CREDIT, PaymentMethod.ACCOUNT_CREDIT)
    noun = "Paid from credit" if credit else "Payment"
    package = "buys a package" if row.package_id is not None and not credit else ""
    detail = joined(method_label(row.method), row.reference or "", package)
    return _entry(Source.PAYMENT, row, ctx, f"{noun} {ctx.money(row.amount_cents)}", detail)


def _refunds(client_id: Any) -> Select[Any]:
    return select(
        REFUND.c.id,
        REFUND.c.refunded_on.label("when"),
        REFUND.c.method,
        REFUND.c.amount_cents,
        short(REFUND.c.reason).label("reason"),
    ).where(REFUND.c.client_id == client_id)


def _refund(row: Row, ctx: Context) -> TimelineEntry:
    detail = joined(method_label(row.method), row.reason or "")
    return _entry(Source.REFUND, row, ctx, f"Refund {ctx.money(row.amount_cents)}", detail)


# ---------------------------------------------------------------- the sources, by kind

_measure_id = func.min(MEASURE_VALUE.c.id)
SPECS: tuple[Spec, ...] = (
    Spec(Source.INTAKE, _intakes, INTAKE.c.recorded_on, INTAKE.c.id, False, _intake),
    Spec(Source.CONSENT, _consents, CONSENT.c.signed_at, CONSENT.c.id, True, _consent),
    Spec(
        Source.CONSENT_WITHDRAWN,
        _withdrawals,
        CONSENT.c.withdrawn_at,
        CONSENT.c.id,
        True,
        _withdrawal,
    ),
    Spec(Source.PLAN, _plans, PLAN.c.start_date, PLAN.c.id, False, _plan),
    Spec(
        Source.REEVALUATION,
        _reevaluations,
        PLAN.c.reevaluation_date,
        PLAN.c.id,
        False,
        _reevaluation,
    ),
    Spec(Source.VISIT, _visits, VISIT.c.starts_at, VISIT.c.id, True, _visit),
    Spec(Source.CHART, _charts, BODY_CHART.c.charted_on, BODY_CHART.c.id, False, _chart),
    Spec(
        Source.MEASURE,
        _measures,
        MEASURE_VALUE.c.measured_on,
        _measure_id,
        False,
        _measure,
        grouped=True,
    ),
    Spec(
        Source.HEADACHE,
        _headaches,
        HEADACHE.c.occurred_on,
        HEADACHE.c.id,
        False,
        _headache,
    ),
    Spec(
        Source.DOCUMENT,
        _documents,
        DOCUMENT.c.issued_at,
        DOCUMENT.c.id,
        True,
        _document,
    ),
    Spec(
        Source.INVOICE,
        _invoices,
        func.coalesce(INVOICE.c.issued_on, INVOICE.c.created_on),
        INVOICE.c.id,
        False,
        _invoice,
    ),
    Spec(Source.PAYMENT, _payments, PAYMENT.c.received_on, PAYMENT.c.id, False, _payment),
    Spec(Source.REFUND, _refunds, REFUND.c.refunded_on, REFUND.c.id, False, _refund),
)
SPEC_OF = {spec.source: spec for spec in SPECS}
