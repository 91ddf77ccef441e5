"""Every kind of Fascia document, built from records whose every text field says what a test
chooses: `build(kind, text)` fills each field with `text(path)`, path naming the field."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from practice.billing.records import BillingSettings, InvoiceKind, InvoiceStatus
from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)
from practice.bodymap.metrics import summarize
from practice.bodymap.service import BodyChart, BodyChartSummary
from practice.clients.intake import CancerStatus, IntakeData, Medication, MedicationFlag, Surgery
from practice.clients.records import Client, Intake, Physician, PracticeProfile
from practice.documents.chart_history import chart_history_pdf
from practice.documents.intake_summary import intake_summary_pdf
from practice.documents.invoice import invoice_pdf
from practice.documents.pain_chart import chart_comparison_pdf, pain_chart_pdf
from practice.documents.physician_summary import physician_summary_pdf
from practice.documents.receipt import receipt_pdf
from practice.documents.superbill import superbill_pdf
from practice.documents.visit_note import visit_note_pdf
from practice.plans.records import Diagnosis
from practice.summaries.records import (
    ChartSnapshot,
    GoalLine,
    MeasureLine,
    SummaryDraft,
    TechniqueLine,
    Trend,
    TrendSeries,
    VisitLine,
)
from practice.visits.records import (
    Amendment,
    Position,
    SoapNote,
    TreatmentEntry,
    TriggerPointFinding,
    TriggerPointState,
    Visit,
    VisitRecord,
    VisitStatus,
)
from tests.practice.documents import billing_samples as samples

KINDS = (
    "visit note",
    "draft visit note",
    "intake summary",
    "pain chart",
    "chart comparison",
    "chart history",
    "physician summary",
    "invoice",
    "credit note",
    "receipt",
    "superbill",
)

Text = Callable[[str], str]

# Text fields that hold codes the documents look up, not words a person typed.
_CODES = frozenset(
    {
        "PracticeProfile.locale",
        "PracticeProfile.currency",
        "Invoice.currency",
        "Superbill.currency",
        "Visit.place_of_service",
        "SuperbillVisit.place_of_service",
        "SuperbillLine.place_of_service",
        "TreatmentEntry.technique",
        "TreatmentEntry.regions",
        "RegionMark.region",
        "BodyChart.source",
        "BodyChartSummary.source",
        "MeasureLine.code",
        "MeasureLine.direction",
        "Trend.code",
        "TrendSeries.name",
        "SuperbillLine.cpt",
        "SuperbillLine.modifier",
    }
)


def fill(value: Any, text: Text, path: str = "") -> Any:
    """`value` with every text field (in dataclasses, tuples and dict values) from `text`."""
    if isinstance(value, Enum | bool | int | float | Decimal | date | bytes) or value is None:
        return value
    if isinstance(value, str):
        return text(path)
    if isinstance(value, tuple):
        return tuple(fill(item, text, f"{path}[{index}]") for index, item in enumerate(value))
    if isinstance(value, dict):
        return {key: fill(item, text, f"{path}[{key}]") for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value).__name__
        changes = {
            field.name: fill(getattr(value, field.name), text, f"{kind}.{field.name}")
            for field in dataclasses.fields(value)
            if field.init and f"{kind}.{field.name}" not in _CODES
        }
        return dataclasses.replace(value, **changes)
    return value


def build(kind: str, text: Text) -> bytes:
    """The PDF of one kind of document with every text field filled from `text`."""
    profile = fill(_PROFILE, text)
    client = fill(_CLIENT, text)
    return _BUILDERS[kind](profile, client, text)


_PROFILE = PracticeProfile(
    therapist_name="Jane O'Brien",
    practice_name="Riverside Medical Massage",
    credentials="LMT",
    registration_number="MA.0123456",
    npi="1234567893",
    tax_id="12-3456789",
    address="1200 Elm Street",
    phone="(217) 555-0142",
    email="jane@example.com",
    website="example.com",
    locale="en_US",
)
_CLIENT = Client(
    id=7,
    given_name="Chloé",
    family_name="O'Brien",
    preferred_name="Clo",
    date_of_birth=date(1985, 3, 12),
    pronouns="she/her",
    sex="Female",
    phone_mobile="(217) 555-0199",
    phone_other="(217) 555-0100",
    email="chloe@example.com",
    address="45 Rue de la Paix",
    occupation="Teacher",
    emergency_contact_name="Min-ji Kim",
    emergency_contact_phone="(217) 555-0111",
    emergency_contact_relation="Partner",
    referral_source="Dr. Petrov",
    found_us="Friend",
    notes="Prefers mornings",
    physician_id=3,
)
_PHYSICIAN = Physician(
    name="Dr. Dmitri Petrov",
    clinic="Family Health",
    specialty="Family medicine",
    phone="555-0100",
    fax="555-0101",
    email="petrov@example.com",
    address="9 Main Street",
    licence_number="L-1234",
    npi="1234567893",
    id=3,
)
_AT = datetime(2026, 3, 2, 15, tzinfo=UTC)


def _visit_record(signed: bool) -> VisitRecord:
    visit = Visit(
        1,
        7,
        _AT,
        60,
        "11",
        VisitStatus.COMPLETED,
        _AT,
        "jane",
        _AT,
        _AT if signed else None,
        "Jane",
    )
    note = SoapNote(
        **{
            name: "x"
            for name, field in SoapNote.__dataclass_fields__.items()
            if field.type == "str"
        },
        pain_before=6,
        pain_after=3,
        tenderness_grade=2,
        trigger_points=(
            TriggerPointFinding("Upper trapezius", TriggerPointState.ACTIVE, "L", "x"),
        ),
        re_evaluation_on=date(2026, 4, 2),
    )
    treatments = tuple(
        TreatmentEntry(i, "other", "Cupping", ("B_NECK_L",), 20, 3, Position.PRONE, "x", False, ())
        for i in (1, 2)
    )
    amendment = Amendment(1, 1, _AT, "Jane", "Correction", "x")
    return VisitRecord(visit, note, treatments, (amendment,) if signed else (), _AT)


def _visit_note(signed: bool) -> Callable[[PracticeProfile, Client, Text], bytes]:
    def make(profile: PracticeProfile, client: Client, text: Text) -> bytes:
        return visit_note_pdf(profile, client, fill(_visit_record(signed), text))

    return make


def _intake(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    data = IntakeData(
        recorded_on=date(2026, 3, 1),
        conditions={"varicose_veins": "x", "migraine": "x", "from_a_newer_form": "x"},
        medications=(Medication("Warfarin", frozenset({MedicationFlag.ANTICOAGULANT}), "x"),),
        allergies="x",
        oil_or_scent_allergy=True,
        surgeries=(Surgery("x", date(2025, 2, 20), spine=True),),
        pregnant=True,
        pregnancy_weeks=22,
        implants="x",
        cancer_status=CancerStatus.HISTORY,
        cancer_details="x",
        goals="x",
        focus_areas="x",
        areas_to_avoid="x",
        positions_not_tolerated="x",
        other_notes="x",
    )
    intake = fill(Intake(1, 7, data, _AT, "jane"), text)
    return intake_summary_pdf(
        profile, client, intake, fill(_PHYSICIAN, text), today=date(2026, 3, 5)
    )


def _chart_data() -> ChartData:
    return ChartData(
        marks=(
            RegionMark("B_LOW_BACK_L", 5, frozenset({Quality.ACHE})),
            RegionMark("B_BUTTOCK_L", 7, frozenset({Quality.SHARP})),
        ),
        symbols=(
            PointSymbol(SymbolKind.TRIGGER_POINT_ACTIVE, "back", 705, 515, muscle="x", note="x"),
        ),
        arrows=(ReferralArrow("back", 705, 515, 702, 620, note="x"),),
        strokes=(Stroke("back", ((705, 540), (702, 620)), StrokeKind.RADIATING),),
        labels=(TextLabel("back", 700, 780, "x"),),
    )


def _chart(text: Text, day: date = date(2026, 3, 5)) -> BodyChart:
    data = fill(_chart_data(), text)
    chart = BodyChart(1, 7, None, day, "chart", "x", data, summarize(data, load_atlas()), _AT)
    return fill(chart, text)


def _pain_chart(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    return pain_chart_pdf(profile, client, _chart(text))


def _comparison(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    before = _chart(text, date(2026, 2, 5))
    return chart_comparison_pdf(profile, client, before, _chart(text))


def _history(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    first, latest = _chart(text, date(2026, 2, 5)), _chart(text)
    history = [
        BodyChartSummary(i, chart.charted_on, "chart", 4.5, 2, 1, 7)
        for i, chart in enumerate((first, latest), start=1)
    ]
    return chart_history_pdf(profile, client, history, first, latest)


def _summary(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    snapshot = ChartSnapshot(date(2026, 2, 5), _chart_data(), 4.5, 2, 1, 7)
    draft = SummaryDraft(
        client_id=7,
        plan_id=1,
        prepared_on=date(2026, 3, 10),
        period_start=date(2026, 2, 1),
        period_end=date(2026, 3, 10),
        profile=_PROFILE,
        client_name="x",
        date_of_birth=date(1985, 3, 12),
        physician=_PHYSICIAN,
        referral_reason="x",
        referral_date=date(2026, 1, 20),
        diagnoses=(Diagnosis(1, "M54.50", "x"),),
        plan_frequency="x",
        visits_planned=6,
        visits=(
            VisitLine(date(2026, 2, 2), VisitStatus.COMPLETED, 7, 4, 60),
            VisitLine(date(2026, 2, 9), VisitStatus.NO_SHOW),
            VisitLine(date(2026, 3, 2), VisitStatus.COMPLETED, 4, 2, 60),
        ),
        techniques=(TechniqueLine("x", ("x",), 120, 2, "x"),),
        measures=(
            MeasureLine(
                "nrs",
                "x",
                "x",
                False,
                7,
                date(2026, 2, 2),
                4,
                date(2026, 3, 2),
                2,
                -3,
                -43.0,
                "improved",
                True,
                "x",
                "x",
            ),
        ),
        trends=(
            Trend(
                "nrs",
                "x",
                0,
                10,
                False,
                (TrendSeries("Before", ((date(2026, 2, 2), 7.0), (date(2026, 3, 2), 4.0))),),
                2.0,
            ),
        ),
        first_chart=snapshot,
        latest_chart=dataclasses.replace(snapshot, charted_on=date(2026, 3, 2)),
        chart_count=2,
        goals=(GoalLine("x", "x", 7, 3, 4, "Partially met", "x"),),
        adverse_events="x",
        assessment="x",
        recommendations="x",
    )
    return physician_summary_pdf(fill(draft, text))


def _invoice(credit_note: bool) -> Callable[[PracticeProfile, Client, Text], bytes]:
    def make(profile: PracticeProfile, client: Client, text: Text) -> bytes:
        if credit_note:
            invoice = samples.invoice(
                samples.rich_lines()[:2],
                number="CN-0001",
                status=InvoiceStatus.ISSUED,
                kind=InvoiceKind.CREDIT_NOTE,
                credits="2026-0007",
                void_reason="x",
            )
        else:
            invoice = samples.invoice(
                samples.rich_lines(),
                status=InvoiceStatus.VOID,
                notes="x",
                terms="x",
                void_reason="x",
            )
        return invoice_pdf(
            profile,
            client,
            fill(invoice, text),
            fill(BillingSettings(invoice_notes="x"), text),
            fill(samples.PAYMENTS, text),
            fill(samples.SERVICES, text),
        )

    return make


def _receipt(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    invoice = fill(samples.invoice(samples.rich_lines(), paid="350.00", notes="x"), text)
    return receipt_pdf(
        profile,
        client,
        invoice,
        fill(samples.receipt(2), text),
        fill(samples.PAYMENTS, text),
        fill(BillingSettings(), text),
    )


def _superbill(profile: PracticeProfile, client: Client, text: Text) -> bytes:
    return superbill_pdf(profile, client, fill(samples.superbill(), text), today=date(2026, 4, 1))


_BUILDERS: dict[str, Callable[[PracticeProfile, Client, Text], bytes]] = {
    "visit note": _visit_note(signed=True),
    "draft visit note": _visit_note(signed=False),
    "intake summary": _intake,
    "pain chart": _pain_chart,
    "chart comparison": _comparison,
    "chart history": _history,
    "physician summary": _summary,
    "invoice": _invoice(credit_note=False),
    "credit note": _invoice(credit_note=True),
    "receipt": _receipt,
    "superbill": _superbill,
}
