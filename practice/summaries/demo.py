"""Example clients for physician summaries, made through the real services.

A rich course of care (a plan with diagnoses and goals, many visits with missed ones, body
charts, PSFS, headache diary), a new client with nothing yet, and an edge case (markup in
names, Hangul, emoji, a 5,000-character note, no physician, one visit). Tests, benchmarks and
screenshots use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from practice.bodymap import View
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    SymbolKind,
)
from practice.clients import service as clients
from practice.clients.records import (
    ClientForm,
    ConsentSignature,
    PhysicianForm,
    PracticeProfile,
)
from practice.plans import service as plans
from practice.plans.records import GoalForm, GoalKind, GoalStatus, PlanForm
from practice.store.database import Database
from practice.visits import outcomes
from practice.visits import service as visits
from practice.visits.charts import save_visit_chart
from practice.visits.records import (
    HeadacheForm,
    PsfsItem,
    SoapNote,
    TreatmentInput,
    VisitDraft,
    VisitForm,
    VisitStatus,
)

PROFILE = PracticeProfile(
    therapist_name="Jordan Rivera",
    practice_name="Riverside Medical Massage",
    credentials="RMT, LMT",
    registration_number="RMT-048213",
    npi="1234567893",
    address="210 King Street West, Suite 4\nToronto, ON M5H 1J9",
    phone="(416) 555-0142",
    email="hello@riverside-massage.example",
    currency="CAD",
    locale="en_CA",
)
PSFS_ACTIVITIES = ("Sitting at my desk for an hour", "Lifting my daughter", "Driving 30 minutes")
LONG_NOTE = ("Client reports <b>stiffness</b> & soreness after gardening; " * 100)[:5000]
# Missed visits among the rich client's: index -> status.
MISSED = {4: VisitStatus.NO_SHOW, 9: VisitStatus.CANCELLED, 15: VisitStatus.CANCELLED}


@dataclass(frozen=True, slots=True)
class SummaryClients:
    rich: int
    rich_plan: int
    new: int
    edge: int
    edge_visit: int


def ensure_profile(db: Database) -> None:
    if clients.get_profile(db) is None:
        clients.save_profile(db, PROFILE)


def build(db: Database, today: date | None = None, *, visits_count: int = 20) -> SummaryClients:
    """The three example clients in this practice."""
    today = today or date.today()
    ensure_profile(db)
    rich, plan = rich_client(db, today, visits_count=visits_count)
    new = clients.create_client(
        db, ClientForm(given_name="Noah", family_name="Tremblay", date_of_birth=date(1990, 1, 2))
    ).id
    edge, visit = edge_client(db, today)
    return SummaryClients(rich, plan, new, edge, visit)


def rich_client(db: Database, today: date, *, visits_count: int = 20) -> tuple[int, int]:
    """Chloé Dubois, low back pain: a plan, `visits_count` weekly visits, charts and scores."""
    physician = clients.create_physician(
        db,
        PhysicianForm(
            name="Dr. Amara Okafor",
            clinic="Queen Street Family Health",
            address="88 Queen Street East\nToronto, ON M5C 1S6",
            phone="(416) 555-0199",
            fax="(416) 555-0198",
        ),
    )
    client = clients.create_client(
        db,
        ClientForm(
            given_name="Chloé",
            family_name="Dubois",
            date_of_birth=date(1984, 3, 12),
            physician_id=physician.id,
        ),
    )
    first = today - timedelta(weeks=visits_count - 1)
    give_consent(db, client.id, first - timedelta(days=5))
    plan = plans.create_plan(
        db,
        client.id,
        PlanForm(
            start_date=first,
            frequency_count=1,
            length_weeks=visits_count + 4,
            physician_id=physician.id,
            referral_date=first - timedelta(days=5),
            referral_reason="Chronic low back pain after a lifting injury; sitting intolerance.",
            diagnoses=("M54.50", "M62.830"),
        ),
        today=today,
    )
    plans.add_goal(
        db, plan.id, GoalForm(GoalKind.MEASURABLE, "", "pain_before", baseline=7, target=3)
    )
    plans.add_goal(db, plan.id, GoalForm(GoalKind.MEASURABLE, "", "psfs", baseline=3, target=7))
    sitting = plans.add_goal(
        db, plan.id, GoalForm(GoalKind.FUNCTIONAL, "Sit through a 2-hour meeting without pain")
    )
    plans.set_goal_status(db, sitting.id, GoalStatus.PARTIAL)
    done = 0
    for k in range(visits_count):
        day = first + timedelta(weeks=k)
        status = MISSED.get(k, VisitStatus.COMPLETED) if 0 < k < visits_count - 1 else None
        if status is not None and status is not VisitStatus.COMPLETED:
            _visit(db, client.id, day, status, SoapNote(), (), today, sign=False)
            continue
        before = max(2, 7 - round(done * 4 / max(1, visits_count - 4)))
        note = SoapNote(
            complaint="Low back ache, worse sitting",
            pain_before=before,
            pain_after=max(0, before - 2),
            changes_since_last="Sore for a day after last visit, then better" if done == 1 else "",
            response="Tissue softened; lumbar flexion improved",
            next_focus="Gluteus medius and hip flexors",
            frequency="1x/week",
            home_care="Knee-to-chest stretch twice daily",
        )
        treatments = (
            TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R", "B_LOW_BACK_L"), 3),
            TreatmentInput("trigger_point", 10, ("B_LOW_BACK_R",), 4),
            TreatmentInput("effleurage", 15, ("B_UPPER_BACK_R", "B_UPPER_BACK_L"), 2),
        )
        visit_id = _visit(
            db, client.id, day, VisitStatus.COMPLETED, note, treatments, today, sign=False
        )
        # Charted and scored at the visit, before the note is signed (which locks them).
        if done % 6 == 0:
            save_visit_chart(db, visit_id, _chart(done))
        if done % 4 == 0:
            scores = [min(10, 3 + done // 3 + i) for i in range(3)]
            outcomes.record_psfs(
                db,
                client.id,
                day,
                [PsfsItem(a, s) for a, s in zip(PSFS_ACTIVITIES, scores, strict=True)],
                visit_id=visit_id,
                today=today,
            )
        visits.sign_visit(db, visit_id, today=today)
        done += 1
    for month in range(4):
        for n in range(8 - 2 * month):
            day = first + timedelta(days=month * 30 + n * 3)
            if day <= today:
                outcomes.record_headache(
                    db, client.id, HeadacheForm(day, 3, 5 - month // 2), today=today
                )
    return client.id, plan.id


def edge_client(db: Database, today: date) -> tuple[int, int]:
    """Markup, Hangul and emoji in the name, no physician, one visit with a very long note."""
    client = clients.create_client(
        db,
        ClientForm(
            given_name="<b>Smith & Co</b>",
            family_name="김민지 🌻",
            preferred_name="Min-ji",
        ),
    )
    give_consent(db, client.id, today - timedelta(days=2), signer="Min-ji 김민지")
    note = SoapNote(complaint=LONG_NOTE, pain_before=6, pain_after=4, response="<i>ok</i> & fine")
    treatments = (TreatmentInput("other", 30, ("B_NECK_R",), 3, name="Gua sha <tool> & co"),)
    visit_id = _visit(
        db, client.id, today - timedelta(days=2), VisitStatus.COMPLETED, note, treatments, today
    )
    return client.id, visit_id


def _visit(
    db: Database,
    client_id: int,
    day: date,
    status: VisitStatus,
    note: SoapNote,
    treatments: tuple[TreatmentInput, ...],
    today: date,
    *,
    sign: bool = True,
) -> int:
    starts = datetime.combine(day, time(10)).astimezone()
    draft = VisitDraft(VisitForm(starts, 60, status=status), note, treatments)
    record = visits.create_visit(db, client_id, draft, today=today)
    if sign:
        visits.sign_visit(db, record.visit.id, today=today)
    return record.visit.id


def give_consent(db: Database, client_id: int, day: date, signer: str = "") -> None:
    """The client's signed consent to treatment, published first if the practice has none."""
    forms = [f for f in clients.consent_forms(db) if f.kind == "general"]
    form = forms[0] if forms else clients.save_consent_form(db, "general", *CONSENT)
    client = clients.get_client(db, client_id)
    signed_at = datetime.combine(day, time(9)).astimezone()
    clients.sign_consent(
        db, client_id, ConsentSignature(form.id, signer or client.legal_name, signed_at=signed_at)
    )


CONSENT = (
    "Consent to medical massage treatment",
    "I understand that medical massage therapy is not a diagnosis and that the therapist has "
    "explained the planned techniques and areas, the risks (soreness, bruising), draping, my "
    "right to stop at any time, and the fees and cancellation policy. I consent to treatment.",
)


def _chart(done: int) -> ChartData:
    """Low back pain that eases and shrinks over the course of care."""
    ease = done // 6
    marks = [
        ("B_LOW_BACK_R", 7 - 2 * ease, {Quality.ACHE}),
        ("B_LOW_BACK_L", 5 - 2 * ease, {Quality.ACHE}),
        ("B_SACRUM", 4 - 2 * ease, {Quality.ACHE}),
        ("B_BUTTOCK_R", 3 - ease, {Quality.ACHE}),
        ("B_THIGH_R", 3 - 2 * ease, {Quality.BURNING}),
    ]
    return ChartData(
        marks=tuple(RegionMark(c, v, frozenset(q)) for c, v, q in marks if v > 0),
        symbols=(PointSymbol(SymbolKind.TRIGGER_POINT_ACTIVE, View.BACK, 795, 425, muscle="QL"),)
        if ease < 2
        else (),
        arrows=(ReferralArrow(View.BACK, 795, 425, 790, 522),) if ease < 1 else (),
    )
