"""Demo treatment plans: one episode of care per client with visits, or two for long histories.

Each plan starts at the client's first visit, is referred by the client's physician when there
is one, carries ICD-10-CM diagnoses that fit the complaint, goals on pain (NRS) and a PSFS
activity with the baseline of the first visit, planned techniques on the complaint's regions,
and precautions from the client's alerts. Restricted (deep or point-pressure) techniques are
planned only for clients without an alert that restricts deep work, so no demo plan needs an
acknowledgement. Written with bulk inserts, like the visit demo, to keep a big demo quick.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from practice.clients.models import ClientRow
from practice.plans.goals import psfs_item_code
from practice.plans.models import (
    PlanDiagnosisRow,
    PlanGoalRow,
    PlannedTechniqueRow,
    PlanPrecautionRow,
    PlanRow,
)
from practice.plans.records import GoalKind, PlanStatus
from practice.plans.service import alert_precautions, plan_end
from practice.plans.trigger_points import load_catalogue
from practice.store.audit import AuditEntry
from practice.store.bulk import bulk_transaction, insert_rows
from practice.store.database import Database
from practice.techniques import library as techniques
from practice.visits import demo as visit_demo
from practice.visits.models import MeasureValueRow, SoapNoteRow, VisitRow

# Billable ICD-10-CM codes per complaint profile, with the descriptions of the code list
# (tests/practice/plans/test_demo_plans.py checks them against simple-icd-10-cm).
DESCRIPTIONS = {
    "M54.50": "Low back pain, unspecified",
    "M62.830": "Muscle spasm of back",
    "M54.2": "Cervicalgia",
    "G44.209": "Tension-type headache, unspecified, not intractable",
    "M79.12": "Myalgia of auxiliary muscles, head and neck",
    "M25.511": "Pain in right shoulder",
    "M54.6": "Pain in thoracic spine",
    "M79.18": "Myalgia, other site",
    "M79.11": "Myalgia of mastication muscle",
    "M79.7": "Fibromyalgia",
}
DIAGNOSES = {
    visit_demo.BACK: ("M54.50", "M62.830"),
    visit_demo.NECK: ("M54.2", "M79.12"),
    visit_demo.SHOULDER: ("M25.511", "M54.6"),
    visit_demo.LEG: ("M79.18",),
    visit_demo.WIDESPREAD: ("M79.7",),
    visit_demo.JAW: ("M79.11",),
}
FIRST_PLAN_WEEKS = 8
SECOND_PLAN_WEEKS = 12
FUNCTIONAL_GOALS = (
    "Return to full work days without needing to stop for pain",
    "Sleep through the night at least five nights a week",
    "Manage flare-ups with the home stretches",
)


@dataclass(frozen=True, slots=True)
class PlanDemoResult:
    plans: int
    goals: int
    planned_techniques: int


@dataclass(frozen=True, slots=True)
class _History:
    first_day: date
    last_day: date
    baseline_pain: int | None
    psfs: tuple[str, int] | None  # the first activity scored and its first score


def generate_plans(
    db: Database,
    client_ids: Sequence[int],
    seed: int = 1,
    today: date | None = None,
    people: Sequence[visit_demo.DemoClient] | None = None,
) -> PlanDemoResult:
    """Give every one of these clients with completed visits a plan (two for long histories).

    `people` are the clients' `demo_clients` when the caller has them already."""
    rng = random.Random(seed)
    today = today or date.today()
    techniques.seed_techniques(db)
    library = techniques.techniques_by_code(db)
    histories = _histories(db, client_ids)
    known = people if people is not None else visit_demo.demo_clients(db, list(histories), today)
    by_id = {p.id: p for p in known}
    muscles = {m.name: m.code for m in load_catalogue().muscles}
    with db.read() as session:
        physicians = dict(
            session.execute(
                select(ClientRow.id, ClientRow.physician_id).where(ClientRow.id.in_(histories))
            ).all()
        )
        next_id = (session.scalar(select(func.max(PlanRow.id))) or 0) + 1
    now = datetime.now(UTC)
    plans, diagnoses, goals, planned, precautions, audit = [], [], [], [], [], []
    for client_id, history in histories.items():
        person = by_id[client_id]
        restricts = any(alert.level.restricts_deep_work for alert in person.alerts)
        starts = [history.first_day]
        if history.last_day >= history.first_day + timedelta(weeks=FIRST_PLAN_WEEKS):
            starts.append(history.first_day + timedelta(weeks=FIRST_PLAN_WEEKS))
        for number, start in enumerate(starts):
            weeks = FIRST_PLAN_WEEKS if number == 0 else SECOND_PLAN_WEEKS
            end = plan_end(start, weeks)
            last = number == len(starts) - 1
            status = PlanStatus.ACTIVE if last and end >= today else PlanStatus.COMPLETED
            physician = physicians.get(client_id)
            plan_id = next_id
            next_id += 1
            plans.append(
                {
                    "id": plan_id,
                    "client_id": client_id,
                    "physician_id": physician,
                    "referral_date": start - timedelta(days=rng.randint(3, 20))
                    if physician
                    else None,
                    "referral_reason": person.complaint
                    if number == 0
                    else "Re-evaluation: continue weekly care towards the goals",
                    "start_date": start,
                    "frequency_count": 1,
                    "frequency_weeks": 1,
                    "length_weeks": weeks,
                    "end_date": end,
                    "reevaluation_date": _reevaluation(start, weeks, end, today),
                    "status": status.value,
                    "notes": "",
                    "created_at": now,
                    "created_by": db.actor,
                    "updated_at": now,
                }
            )
            codes = DIAGNOSES.get(person.profile, ("M79.18",))
            if person.headaches and "G44.209" not in codes:
                codes = (*codes, "G44.209")
            diagnoses += [
                {"plan_id": plan_id, "position": k, "code": c, "description": DESCRIPTIONS[c]}
                for k, c in enumerate(codes, start=1)
            ]
            goals += _goals(rng, plan_id, history, person.goal)
            planned += _planned(rng, plan_id, person.profile, library, muscles, restricts, now)
            precautions += [
                {"plan_id": plan_id, "position": k, **asdict(p)}
                for k, p in enumerate(alert_precautions(person.alerts))
            ]
            audit.append(
                {
                    "at": now,
                    "actor": db.actor,
                    "action": "create",
                    "entity": "treatment_plan",
                    "entity_id": plan_id,
                    "client_id": client_id,
                    "summary": "Demo treatment plan created",
                    "changes": {},
                }
            )
    if not plans:
        return PlanDemoResult(0, 0, 0)
    with bulk_transaction(db) as session:
        insert_rows(session, PlanRow, plans)
        insert_rows(session, PlanDiagnosisRow, diagnoses)
        if goals:
            insert_rows(session, PlanGoalRow, goals)
        if planned:
            insert_rows(session, PlannedTechniqueRow, planned)
        if precautions:
            insert_rows(session, PlanPrecautionRow, precautions)
        insert_rows(session, AuditEntry, audit)
    return PlanDemoResult(len(plans), len(goals), len(planned))


def _reevaluation(start: date, weeks: int, end: date, today: date) -> date:
    """Half way through; a plan still running past that point was re-evaluated then, and the
    next re-evaluation is due at its end."""
    halfway = start + timedelta(weeks=weeks // 2)
    return halfway if halfway >= today or end < today else end


def _histories(db: Database, client_ids: Sequence[int]) -> dict[int, _History]:
    """First and last completed visit, the first pain score and the first PSFS activity."""
    wanted = set(client_ids)
    completed = VisitRow.status == "completed"
    with db.read() as session:
        spans = session.execute(
            select(
                VisitRow.client_id,
                func.min(VisitRow.starts_at),
                func.max(VisitRow.starts_at),
            )
            .where(completed)
            .group_by(VisitRow.client_id)
        ).all()
        first_pain: dict[int, int] = {}
        for client_id, pain in session.execute(
            select(VisitRow.client_id, SoapNoteRow.pain_before)
            .join(SoapNoteRow, SoapNoteRow.visit_id == VisitRow.id)
            .where(completed, SoapNoteRow.pain_before.is_not(None))
            .order_by(VisitRow.starts_at.desc())
        ):
            first_pain[client_id] = pain  # the earliest visit is written last
        first_psfs: dict[int, tuple[str, int]] = {}
        for client_id, item, value in session.execute(
            select(MeasureValueRow.client_id, MeasureValueRow.item, MeasureValueRow.value)
            .where(MeasureValueRow.measure == "psfs")
            .order_by(MeasureValueRow.measured_on.desc(), MeasureValueRow.id.desc())
        ):
            first_psfs[client_id] = (item, int(value))
    return {
        client_id: _History(
            _day(first), _day(last), first_pain.get(client_id), first_psfs.get(client_id)
        )
        for client_id, first, last in spans
        if client_id in wanted
    }


def _day(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def _goals(rng: random.Random, plan_id: int, history: _History, goal: str) -> list[dict]:
    rows = []
    if history.baseline_pain is not None and history.baseline_pain >= 3:
        baseline = history.baseline_pain
        rows.append(
            {
                "kind": GoalKind.MEASURABLE.value,
                "text": "Usual pain before treatment down to a level that no longer limits work",
                "measure": "pain_before",
                "baseline": float(baseline),
                "target": float(max(0, min(3, baseline - 3))),
            }
        )
    if history.psfs is not None and history.psfs[1] <= 6:
        activity, score = history.psfs
        rows.append(
            {
                "kind": GoalKind.MEASURABLE.value,
                "text": "",
                "measure": psfs_item_code(activity),
                "baseline": float(score),
                "target": float(min(10, score + 4)),
            }
        )
    rows.append(
        {
            "kind": GoalKind.FUNCTIONAL.value,
            "text": goal or rng.choice(FUNCTIONAL_GOALS),
            "measure": "",
            "baseline": None,
            "target": None,
        }
    )
    return [{"plan_id": plan_id, "position": k, **row} for k, row in enumerate(rows)]


def _planned(
    rng: random.Random,
    plan_id: int,
    profile: visit_demo.DemoProfile,
    library: dict[str, techniques.Technique],
    muscles: dict[str, str],
    restricts: bool,
    now: datetime,
) -> list[dict]:
    chosen = [
        library[code]
        for code in profile.techniques
        if code in library and not (restricts and library[code].restricted)
    ][:3] or [library["effleurage"]]
    muscle_codes = [muscles[name] for name in profile.muscles if name in muscles]
    rows = []
    for k, technique in enumerate(chosen):
        muscle = muscle_codes[k % len(muscle_codes)] if technique.point_pressure else ""
        pressure = rng.choice((2, 3)) if restricts or not technique.deep else rng.choice((3, 4))
        rows.append(
            {
                "plan_id": plan_id,
                "position": k,
                "technique_code": technique.code,
                "technique_name": technique.name,
                "regions": list(profile.regions[k * 2 : k * 2 + 2]) if not muscle else [],
                "muscle": muscle,
                "pressure": pressure,
                "minutes": rng.choice((10, 15, 20)),
                "notes": "",
                "restricted": technique.restricted,
                "created_at": now,
            }
        )
    return rows
