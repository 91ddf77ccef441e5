"""Treatment plan use cases: plans, diagnoses, goals, planned techniques, precautions; audited.

Each use case validates everything first (raising one ValidationError that names every bad
field), then runs in one transaction, writes its audit entries and returns plain records. A
completed or discharged plan is closed: it can be read, not changed (LockedRecordError).

Deep or point-pressure techniques (and any technique planned at pressure 4-5) need an explicit
acknowledgement of each client alert that restricts deep work; the acknowledgement is stored
with the planned technique, who gave it and when, and written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.bounds import as_real, is_whole
from practice.clients import service as clients
from practice.clients.models import ClientRow, PhysicianRow
from practice.clients.rules import Alert
from practice.errors import LockedRecordError, ValidationError
from practice.plans import goals
from practice.plans.checks import (
    Errors,
    checked_plan,
    plan_end,
)
from practice.plans.icd10 import icd10_index
from practice.plans.models import (
    PlanAcknowledgementRow,
    PlanDiagnosisRow,
    PlanGoalRow,
    PlannedTechniqueRow,
    PlanPrecautionRow,
    PlanRow,
)
from practice.plans.records import (
    Diagnosis,
    Goal,
    GoalForm,
    GoalKind,
    GoalStatus,
    Plan,
    PlanAcknowledgement,
    PlanForm,
    PlannedTechnique,
    PlannedTechniqueForm,
    PlanStatus,
    Precaution,
)
from practice.plans.trigger_points import load_catalogue
from practice.store import audit, versions
from practice.store.base import utcnow
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.techniques import library as techniques
from practice.techniques.records import Technique
from practice.text import clean, single_line
from practice.visits import outcomes
from practice.visits.records import DEEP_PRESSURE, PRESSURE_LABELS

MAX_PLANNED_MINUTES = 120
RowT = TypeVar("RowT")

# ---------------------------------------------------------------- plans


def create_plan(db: Database, client_id: int, form: PlanForm, *, today: date | None = None) -> Plan:
    """A new active plan for the client, with precautions copied from today's alerts."""
    today = today or date.today()
    form, errors = checked_plan(form, today)
    alerts = clients.alerts_for(db, client_id, today)
    with db.transaction() as session:
        _client_row(session, client_id)
        errors |= _physician_errors(session, form.physician_id)
        errors |= _active_plan_errors(session, client_id, but=None)
        if errors:
            raise ValidationError(errors)
        row = PlanRow(client_id=client_id, status=PlanStatus.ACTIVE.value, created_by=db.actor)
        _set_plan(row, form)
        session.add(row)
        session.flush()
        _write_diagnoses(session, row.id, form.diagnoses)
        _write_precautions(session, row.id, form.precautions, alerts)
        session.flush()
        plan = _plan(session, row)
        audit.log(
            db,
            session,
            action="create",
            entity="treatment_plan",
            entity_id=row.id,
            client_id=client_id,
            summary=f"Treatment plan from {form.start_date.isoformat()}: {plan.frequency_text}",
            changes=audit.diff({}, _audit_view(plan)),
        )
        return plan


def update_plan(
    db: Database,
    plan_id: int,
    form: PlanForm,
    *,
    today: date | None = None,
    expected_version: int | None = None,
) -> Plan:
    """Replace the plan's facts, diagnoses and own precautions; alert precautions are renewed.
    Refused (ConflictError) when someone else saved the plan after `expected_version`."""
    today = today or date.today()
    form, errors = checked_plan(form, today)
    client_id = _plan_client(db, plan_id)
    alerts = clients.alerts_for(db, client_id, today)
    with db.transaction() as session:
        row = _open_plan_row(session, plan_id)
        errors |= _physician_errors(session, form.physician_id)
        if errors:
            raise ValidationError(errors)
        versions.claim(row, expected_version, "this plan")
        old = _audit_view(_plan(session, row))
        _set_plan(row, form)
        for table in (PlanDiagnosisRow, PlanPrecautionRow):
            for child in session.scalars(select(table).where(table.plan_id == plan_id)):
                session.delete(child)
        session.flush()
        _write_diagnoses(session, plan_id, form.diagnoses)
        _write_precautions(session, plan_id, form.precautions, alerts)
        session.flush()
        plan = _plan(session, row)
        changes = audit.diff(old, _audit_view(plan))
        if changes:
            _audit(db, session, row, "update", "Treatment plan updated", changes)
        return plan


def set_status(
    db: Database, plan_id: int, status: PlanStatus, *, expected_version: int | None = None
) -> Plan:
    """Put a plan on hold, resume, complete or discharge it. A closed plan stays closed.
    Refused (ConflictError) when someone else saved the plan after `expected_version`."""
    try:
        status = PlanStatus(status)
    except ValueError:
        raise ValidationError(
            {"status": "A plan is active, on hold, completed or discharged."}
        ) from None
    with db.transaction() as session:
        row = _plan_row(session, plan_id)
        versions.check(row.version, expected_version, "this plan")
        old = PlanStatus(row.status)
        if old == status:
            return _plan(session, row)
        if old.closed:
            raise LockedRecordError(
                f"This plan is {old.label.lower()}; start a new plan for a new episode of care."
            )
        if status == PlanStatus.ACTIVE:
            errors = _active_plan_errors(session, row.client_id, but=row.id)
            if errors:
                raise ValidationError(errors)
        row.status = status.value
        versions.bump(row)
        session.flush()
        _audit(
            db,
            session,
            row,
            "status",
            f"Treatment plan {status.label.lower()}",
            {"status": [old.value, status.value]},
        )
        return _plan(session, row)


def get_plan(db: Database, plan_id: int) -> Plan:
    with db.read() as session:
        return _plan(session, _plan_row(session, plan_id))


def plans_for(db: Database, client_id: int) -> list[Plan]:
    """A client's plans, newest start first."""
    if not is_id(client_id):
        return []
    query = (
        select(PlanRow)
        .where(PlanRow.client_id == client_id)
        .order_by(PlanRow.start_date.desc(), PlanRow.id.desc())
    )
    with db.read() as session:
        return [_plan(session, row) for row in session.scalars(query)]


def active_plan(db: Database, client_id: int) -> Plan | None:
    """The plan the client's visits count towards now, if any."""
    if not is_id(client_id):
        return None
    query = select(PlanRow).where(
        PlanRow.client_id == client_id, PlanRow.status == PlanStatus.ACTIVE.value
    )
    with db.read() as session:
        row = session.scalar(query)
        return _plan(session, row) if row else None


def precautions_from_alerts(
    db: Database, client_id: int, today: date | None = None
) -> list[Precaution]:
    """What the client's contraindication alerts ask of a plan, most serious first."""
    return alert_precautions(clients.alerts_for(db, client_id, today))


# ---------------------------------------------------------------- goals


def add_goal(db: Database, plan_id: int, form: GoalForm) -> Goal:
    form = _checked_goal(db, form)
    with db.transaction() as session:
        row = _open_plan_row(session, plan_id)
        position = _next_position(session, PlanGoalRow, plan_id)
        goal_row = PlanGoalRow(plan_id=plan_id, position=position, **_goal_columns(form))
        session.add(goal_row)
        session.flush()
        _audit(
            db,
            session,
            row,
            "create",
            f"Goal added: {_goal_title(form)}",
            audit.diff({}, _goal_columns(form)),
            entity="plan_goal",
            entity_id=goal_row.id,
        )
        return _goal(goal_row)


def update_goal(db: Database, goal_id: int, form: GoalForm) -> Goal:
    form = _checked_goal(db, form)
    with db.transaction() as session:
        goal_row = get_or_raise(session, PlanGoalRow, goal_id, "goal")
        row = _open_plan_row(session, goal_row.plan_id)
        old = _goal_columns(_goal(goal_row).form())
        for key, value in _goal_columns(form).items():
            setattr(goal_row, key, value)
        session.flush()
        _audit(
            db,
            session,
            row,
            "update",
            f"Goal updated: {_goal_title(form)}",
            audit.diff(old, _goal_columns(form)),
            entity="plan_goal",
            entity_id=goal_id,
        )
        return _goal(goal_row)


def set_goal_status(db: Database, goal_id: int, status: GoalStatus | None) -> Goal:
    """The therapist's own judgement of a goal; None returns a measurable goal to its scores."""
    try:
        status = GoalStatus(status) if status is not None else None
    except ValueError:
        raise ValidationError({"status": "A goal is met, partly met or not met."}) from None
    with db.transaction() as session:
        goal_row = get_or_raise(session, PlanGoalRow, goal_id, "goal")
        row = _open_plan_row(session, goal_row.plan_id)
        old = goal_row.status_override
        goal_row.status_override = status.value if status else None
        session.flush()
        goal = _goal(goal_row)
        _audit(
            db,
            session,
            row,
            "update",
            f"Goal status set to {status.label.lower() if status else 'from the scores'}: "
            f"{_goal_title(goal)}",
            {"status_override": [old, goal_row.status_override]},
            entity="plan_goal",
            entity_id=goal_id,
        )
        return goal


# ---------------------------------------------------------------- planned techniques


def acknowledgements_needed(
    technique: Technique, pressure: int, alerts: Iterable[Alert]
) -> list[Alert]:
    """The alerts a planned technique must acknowledge: deep or point-pressure work (or any
    technique at pressure 4-5) under an alert that restricts deep work."""
    if not (technique.restricted or pressure >= DEEP_PRESSURE):
        return []
    return [alert for alert in alerts if alert.level.restricts_deep_work]


def add_planned_technique(
    db: Database, plan_id: int, form: PlannedTechniqueForm, *, today: date | None = None
) -> PlannedTechnique:
    """Plan a technique; deep or point-pressure work must acknowledge the client's alerts."""
    form = replace(
        form,
        muscle=single_line(form.muscle),
        notes=clean(form.notes),
        regions=tuple(dict.fromkeys(single_line(r) for r in form.regions)),
    )
    library = techniques.techniques_by_code(db)
    technique = library.get(form.technique)
    errors = _planned_technique_errors(form, technique)
    client_id = _plan_client(db, plan_id)
    if technique is None or "pressure" in errors:
        raise ValidationError(errors)
    alerts = clients.alerts_for(db, client_id, today)
    needed = acknowledgements_needed(technique, form.pressure, alerts)
    missing = [a for a in needed if a.rule not in form.acknowledged]
    if missing:
        errors["acknowledged"] = _acknowledge_message(technique, form.pressure, missing)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        row = _open_plan_row(session, plan_id)
        now = utcnow()
        line = PlannedTechniqueRow(
            plan_id=plan_id,
            position=_next_position(session, PlannedTechniqueRow, plan_id),
            technique_code=technique.code,
            technique_name=technique.name,
            regions=list(form.regions),
            muscle=form.muscle,
            pressure=form.pressure,
            minutes=form.minutes,
            notes=form.notes,
            restricted=technique.restricted or form.pressure >= DEEP_PRESSURE,
        )
        session.add(line)
        session.flush()
        for alert in needed:
            session.add(
                PlanAcknowledgementRow(
                    planned_technique_id=line.id,
                    alert=alert.rule,
                    level=str(alert.level),
                    title=alert.title,
                    why=alert.why,
                    acknowledged_by=db.actor,
                    acknowledged_at=now,
                )
            )
        session.flush()
        _audit(
            db,
            session,
            row,
            "create",
            f"Planned {technique.name}, {form.minutes} min at pressure {form.pressure}",
            audit.diff({}, _planned_columns(line)),
            entity="planned_technique",
            entity_id=line.id,
        )
        for alert in needed:
            _audit(
                db,
                session,
                row,
                "acknowledge",
                f"{technique.name} planned despite alert '{alert.title}' ({alert.level})",
                {"alert": [None, alert.rule], "technique": [None, technique.code]},
                entity="planned_technique",
                entity_id=line.id,
            )
        session.flush()
        return _planned(line, _acknowledgements(session, [line.id]).get(line.id, ()))


def remove_planned_technique(db: Database, planned_technique_id: int) -> None:
    """Take a technique off the plan. The line and its acknowledgements stay on record."""
    with db.transaction() as session:
        line = get_or_raise(session, PlannedTechniqueRow, planned_technique_id, "planned technique")
        row = _open_plan_row(session, line.plan_id)
        if line.removed_at is not None:
            return
        line.removed_at = utcnow()
        _audit(
            db,
            session,
            row,
            "remove",
            f"{line.technique_name} taken off the plan",
            {"removed_at": [None, audit.plain(line.removed_at)]},
            entity="planned_technique",
            entity_id=line.id,
        )


# ---------------------------------------------------------------- validation


def _checked_goal(db: Database, form: GoalForm) -> GoalForm:
    try:
        kind = GoalKind(form.kind)
    except ValueError:
        raise ValidationError({"kind": "A goal is measurable or functional."}) from None
    measure_code = single_line(form.measure)
    if measure_code.startswith(goals.PSFS_ITEM_PREFIX):
        measure_code = goals.psfs_item_code(measure_code[len(goals.PSFS_ITEM_PREFIX) :])
    form = replace(form, kind=kind, text=clean(form.text), measure=measure_code)
    if kind == GoalKind.FUNCTIONAL:
        form = replace(form, measure="", baseline=None, target=None)
        measure = None
    else:
        custom = {
            m.definition_id: m
            for m in outcomes.custom_measures(db, include_archived=True)
            if m.definition_id is not None
        }
        measure = goals.goal_measure(form.measure, custom)
    errors = goals.goal_errors(form, measure)
    if errors:
        raise ValidationError(errors)
    if kind == GoalKind.FUNCTIONAL:
        return form
    return replace(form, baseline=as_real(form.baseline), target=as_real(form.target))


def _planned_technique_errors(form: PlannedTechniqueForm, technique: Technique | None) -> Errors:
    errors: Errors = {}
    if technique is None:
        errors["technique"] = "Pick a technique from the library."
    elif technique.archived:
        errors["technique"] = (
            f"{technique.name} is archived; restore it in the technique library to plan it."
        )
    if not is_whole(form.minutes) or not 1 <= form.minutes <= MAX_PLANNED_MINUTES:
        errors["minutes"] = f"Plan 1 to {MAX_PLANNED_MINUTES} minutes for the technique."
    if not is_whole(form.pressure) or not 1 <= form.pressure <= 5:
        scale = ", ".join(f"{k} {v}" for k, v in PRESSURE_LABELS.items())
        errors["pressure"] = f"Pressure is 1 to 5 ({scale})."
    if not form.regions and not form.muscle:
        errors["regions"] = "Say where: pick body regions, a muscle, or both."
    # The atlas (shapely, numpy: about 0.1 s to import) loads when a plan is checked, not when
    # the schedule, which reads plans, is imported on the GUI thread as the practice opens.
    from practice.bodymap.atlas import load_atlas

    unknown = [code for code in form.regions if code not in load_atlas()]
    if unknown:
        errors["regions"] = f"Unknown body region(s): {', '.join(unknown)}."
    if form.muscle and form.muscle not in load_catalogue():
        errors["muscle"] = f"'{form.muscle}' is not a muscle of the trigger point catalogue."
    return errors


def _acknowledge_message(technique: Technique, pressure: int, missing: Sequence[Alert]) -> str:
    if technique.restricted:
        kinds = [("deep", technique.deep), ("point pressure", technique.point_pressure)]
        what = f"{technique.name} is {' and '.join(k for k, on in kinds if on)} work"
    else:
        label = PRESSURE_LABELS[pressure]
        what = f"{technique.name} at pressure {pressure} ({label}) is deep work"
    reasons = " ".join(f"{a.title} ({a.level}): {a.why} {a.action}" for a in missing)
    return (
        f"{what} and the client has alerts against it. {reasons} Acknowledge each alert to plan "
        "it anyway, or choose a lighter technique or pressure."
    )


def _physician_errors(session: Session, physician_id: int | None) -> Errors:
    if physician_id is None:
        return {}
    physician = session.get(PhysicianRow, physician_id) if is_id(physician_id) else None
    if physician is None:
        return {"physician_id": "This physician is not in the list; add them first."}
    if physician.archived:
        return {"physician_id": f"{physician.name} is archived; restore them or pick another."}
    return {}


def _active_plan_errors(session: Session, client_id: int, but: int | None) -> Errors:
    query = select(PlanRow).where(
        PlanRow.client_id == client_id, PlanRow.status == PlanStatus.ACTIVE.value
    )
    other = next((p for p in session.scalars(query) if p.id != but), None)
    if other is None:
        return {}
    return {
        "status": f"The client already has an active plan (from {other.start_date.isoformat()}); "
        "put it on hold or complete it first, so visits count towards one plan."
    }


# ---------------------------------------------------------------- writing


def _set_plan(row: PlanRow, form: PlanForm) -> None:
    row.physician_id = form.physician_id
    row.referral_date = form.referral_date
    row.referral_reason = form.referral_reason
    row.start_date = form.start_date
    row.frequency_count = form.frequency_count
    row.frequency_weeks = form.frequency_weeks
    row.length_weeks = form.length_weeks
    row.end_date = plan_end(form.start_date, form.length_weeks)
    row.reevaluation_date = form.reevaluation_date
    row.notes = form.notes


def _write_diagnoses(session: Session, plan_id: int, codes: Sequence[str]) -> None:
    index = icd10_index()
    for position, code in enumerate(codes, start=1):
        session.add(
            PlanDiagnosisRow(
                plan_id=plan_id, position=position, code=code, description=index.describe(code)
            )
        )


def _write_precautions(
    session: Session, plan_id: int, own: Sequence[str], alerts: Sequence[Alert]
) -> None:
    precautions = [*alert_precautions(alerts), *(Precaution(text) for text in own)]
    for position, precaution in enumerate(precautions):
        session.add(PlanPrecautionRow(plan_id=plan_id, position=position, **asdict(precaution)))


def alert_precautions(alerts: Iterable[Alert]) -> list[Precaution]:
    return [
        Precaution(
            text=f"{alert.title}: {alert.action}" + (f" ({alert.detail})" if alert.detail else ""),
            source_alert=alert.rule,
            level=str(alert.level),
        )
        for alert in alerts
    ]


def _next_position(session: Session, table: Any, plan_id: int) -> int:
    last = session.scalar(select(func.max(table.position)).where(table.plan_id == plan_id))
    return (last if last is not None else -1) + 1


def _goal_columns(form: GoalForm) -> dict[str, Any]:
    return {
        "kind": form.kind.value,
        "text": form.text,
        "measure": form.measure,
        "baseline": form.baseline,
        "target": form.target,
    }


def _goal_title(goal: GoalForm) -> str:
    if goal.kind == GoalKind.FUNCTIONAL:
        return goal.text
    return f"{goal.measure} {goal.baseline:g} to {goal.target:g}"


def _planned_columns(line: PlannedTechniqueRow) -> dict[str, Any]:
    return {
        "technique": line.technique_code,
        "regions": list(line.regions),
        "muscle": line.muscle,
        "pressure": line.pressure,
        "minutes": line.minutes,
        "notes": line.notes,
    }


def _audit(
    db: Database,
    session: Session,
    row: PlanRow,
    action: str,
    summary: str,
    changes: dict[str, Any],
    *,
    entity: str = "treatment_plan",
    entity_id: int | None = None,
) -> None:
    audit.log(
        db,
        session,
        action=action,
        entity=entity,
        entity_id=row.id if entity_id is None else entity_id,
        client_id=row.client_id,
        summary=summary,
        changes=changes,
    )


def _audit_view(plan: Plan) -> dict[str, Any]:
    return {
        "physician_id": plan.physician_id,
        "referral_date": plan.referral_date,
        "referral_reason": plan.referral_reason,
        "start_date": plan.start_date,
        "frequency_count": plan.frequency_count,
        "frequency_weeks": plan.frequency_weeks,
        "length_weeks": plan.length_weeks,
        "end_date": plan.end_date,
        "reevaluation_date": plan.reevaluation_date,
        "status": plan.status,
        "notes": plan.notes,
        "diagnoses": [d.code for d in plan.diagnoses],
        "precautions": [p.text for p in plan.precautions],
    }


# ---------------------------------------------------------------- reading


def _plan(session: Session, row: PlanRow) -> Plan:
    def children(table: Any) -> list[Any]:
        query = select(table).where(table.plan_id == row.id).order_by(table.position, table.id)
        return list(session.scalars(query))

    lines = [line for line in children(PlannedTechniqueRow) if line.removed_at is None]
    acknowledged = _acknowledgements(session, [line.id for line in lines])
    return Plan(
        id=row.id,
        client_id=row.client_id,
        physician_id=row.physician_id,
        referral_date=row.referral_date,
        referral_reason=row.referral_reason,
        start_date=row.start_date,
        frequency_count=row.frequency_count,
        frequency_weeks=row.frequency_weeks,
        length_weeks=row.length_weeks,
        end_date=row.end_date,
        reevaluation_date=row.reevaluation_date,
        status=PlanStatus(row.status),
        notes=row.notes,
        diagnoses=tuple(
            Diagnosis(d.position, d.code, d.description) for d in children(PlanDiagnosisRow)
        ),
        goals=tuple(_goal(g) for g in children(PlanGoalRow)),
        techniques=tuple(_planned(line, acknowledged.get(line.id, ())) for line in lines),
        precautions=tuple(
            Precaution(p.text, p.source_alert, p.level) for p in children(PlanPrecautionRow)
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _goal(row: PlanGoalRow) -> Goal:
    return Goal(
        kind=GoalKind(row.kind),
        text=row.text,
        measure=row.measure,
        baseline=row.baseline,
        target=row.target,
        id=row.id,
        status_override=GoalStatus(row.status_override) if row.status_override else None,
    )


def _acknowledgements(
    session: Session, line_ids: list[int]
) -> dict[int, list[PlanAcknowledgementRow]]:
    """The acknowledgements of a plan's technique lines, by line, in one query."""
    found: dict[int, list[PlanAcknowledgementRow]] = {}
    if not line_ids:
        return found
    query = (
        select(PlanAcknowledgementRow)
        .where(PlanAcknowledgementRow.planned_technique_id.in_(line_ids))
        .order_by(PlanAcknowledgementRow.id)
    )
    for row in session.scalars(query):
        found.setdefault(row.planned_technique_id, []).append(row)
    return found


def _planned(
    line: PlannedTechniqueRow, acknowledged: Sequence[PlanAcknowledgementRow]
) -> PlannedTechnique:
    return PlannedTechnique(
        id=line.id,
        technique=line.technique_code,
        name=line.technique_name,
        regions=tuple(line.regions or ()),
        muscle=line.muscle,
        pressure=line.pressure,
        minutes=line.minutes,
        notes=line.notes,
        restricted=line.restricted,
        acknowledgements=tuple(
            PlanAcknowledgement(
                a.alert, a.level, a.title, a.why, a.acknowledged_by, a.acknowledged_at
            )
            for a in acknowledged
        ),
    )


def _plan_row(session: Session, plan_id: int) -> PlanRow:
    return get_or_raise(session, PlanRow, plan_id, "treatment plan")


def _open_plan_row(session: Session, plan_id: int) -> PlanRow:
    row = _plan_row(session, plan_id)
    status = PlanStatus(row.status)
    if status.closed:
        raise LockedRecordError(
            f"This plan is {status.label.lower()} and can no longer be changed; "
            "start a new plan for a new episode of care."
        )
    return row


def _plan_client(db: Database, plan_id: int) -> int:
    with db.read() as session:
        return _plan_row(session, plan_id).client_id


def _client_row(session: Session, client_id: int) -> ClientRow:
    return get_or_raise(session, ClientRow, client_id, "client")
