"""Physician summary use cases: gather a draft, store it issued, reprint issued copies.

A summary covers a plan (its start to its end or today) or a date range. Everything it prints
is read here into one frozen `SummaryDraft`, so rendering needs no database and the therapist
can edit the narrative fields in between (`practice.printouts` renders and issues
it). Issuing stores the draft as JSON and the exact PDF
bytes with their SHA-256; migration 0006's triggers keep the row from ever changing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from practice.bodymap.atlas import Atlas, load_atlas
from practice.bodymap.service import chart_history, get_chart
from practice.clients import service as clients
from practice.clients.records import Client, Physician
from practice.errors import LockedRecordError, NotFoundError, ValidationError
from practice.plans import course as courses
from practice.plans import service as plans
from practice.plans.records import GoalKind, Plan
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id
from practice.summaries import narrative
from practice.summaries.models import IssuedDocumentRow
from practice.summaries.records import (
    PHYSICIAN_SUMMARY,
    ChartSnapshot,
    GoalLine,
    IssuedDocument,
    MeasureLine,
    SummaryDraft,
    TechniqueLine,
    Trend,
    TrendSeries,
    VisitLine,
)
from practice.techniques.library import techniques_by_code
from practice.visits import measures
from practice.visits import service as visits
from practice.visits.measures import Measure
from practice.visits.models import AmendmentRow, SoapNoteRow, TreatmentEntryRow, VisitRow
from practice.visits.records import PRESSURE_LABELS, HistoryFilter, VisitStatus
from practice.visits.techniques import TECHNIQUE_BY_CODE

Series = list[tuple[date, float]]

# The outcome table, in this order; pain after treatment is a same-day response and shows in
# the pain chart only.
TABLE_ORDER = (
    measures.PAIN_BEFORE.code,
    measures.PSFS.code,
    measures.HEADACHE_DAYS.code,
    measures.HEADACHE_INTENSITY.code,
    measures.SLEEP_QUALITY.code,
)
MAX_TRENDS = 3


# ---------------------------------------------------------------- the draft


def summary_draft(
    db: Database,
    client_id: int,
    *,
    plan_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
) -> SummaryDraft:
    """Everything a summary of this plan or period prints, with the narrative prefilled.

    Without a plan or dates it covers the client's current plan (else the latest one); with
    dates only it uses the plan that overlaps them for the referral and diagnoses; with
    neither a plan nor visits it covers nothing and says so.
    """
    today = today or date.today()
    if since is not None and until is not None and since > until:
        raise ValidationError({"since": "The period starts after it ends."})
    client = _client(db, client_id)
    profile = clients.get_profile(db)
    if profile is None:
        raise ValidationError(
            {"profile": "Fill in the practice profile first; it heads the summary."}
        )
    plan = _plan(db, client_id, plan_id, since, until)
    start, end = _period(plan, _visit_days(db, client_id), since, until, today)
    course = courses.course(db, client_id, start, end, plan=plan, today=today)
    atlas = load_atlas()
    notes = _note_texts(db, client_id, start, end)
    drafts = {v.visit_id for v in course.drafts}
    first_chart, latest_chart, chart_count = _charts(db, client_id, start, end, drafts)
    draft = SummaryDraft(
        client_id=client.id,
        plan_id=plan.id if plan else None,
        prepared_on=today,
        period_start=start,
        period_end=end,
        profile=profile,
        client_name=client.legal_name,
        date_of_birth=client.date_of_birth,
        physician=_physician(db, plan, client),
        referral_reason=plan.referral_reason if plan else "",
        referral_date=plan.referral_date if plan else None,
        diagnoses=plan.diagnoses if plan else (),
        plan_frequency=plan.frequency_text if plan else "",
        visits_planned=plan.planned_visits if plan else None,
        visits=_visit_lines(course),
        techniques=tuple(_techniques(db, atlas, client_id, start, end)),
        measures=tuple(_measure_lines(course)),
        trends=tuple(_trends(course)),
        first_chart=first_chart,
        latest_chart=latest_chart,
        chart_count=chart_count,
        goals=tuple(_goal_line(g) for g in course.goals),
        unsigned_notes=len(course.drafts),
        signed_by=db.actor,
        adverse_events="",
        assessment="",
        recommendations="",
    )
    return narrative.prefilled(draft, notes, plan)


# ---------------------------------------------------------------- issued copies


def store_issued_summary(db: Database, draft: SummaryDraft, pdf: bytes) -> IssuedDocument:
    """Store the summary as issued: its content, its exact PDF and an audit entry.

    `pdf` is the draft rendered (`practice.printouts.issue_summary` does both).
    """
    physician = draft.physician.display if draft.physician else ""
    with db.transaction() as session:
        row = IssuedDocumentRow(
            client_id=draft.client_id,
            plan_id=draft.plan_id,
            kind=PHYSICIAN_SUMMARY,
            title=draft.title,
            issued_by=db.actor,
            physician_name=physician,
            period_start=draft.period_start,
            period_end=draft.period_end,
            content=draft.to_json(),
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
        )
        session.add(row)
        session.flush()
        audit.log(
            db,
            session,
            action="issue",
            entity="issued_document",
            entity_id=row.id,
            client_id=draft.client_id,
            summary=f"{draft.title} issued" + (f" to {physician}" if physician else ""),
            changes={"sha256": [None, row.sha256], "kind": [None, PHYSICIAN_SUMMARY]},
        )
        return _issued(row)


def list_documents(db: Database, client_id: int) -> list[IssuedDocument]:
    """A client's issued documents, newest first (without their PDF bytes)."""
    if not is_id(client_id):
        return []
    query = (
        select(IssuedDocumentRow)
        .where(IssuedDocumentRow.client_id == client_id)
        .order_by(IssuedDocumentRow.issued_at.desc(), IssuedDocumentRow.id.desc())
    )
    with db.read() as session:
        return [_issued(row) for row in session.scalars(query)]


def get_document(db: Database, document_id: int) -> IssuedDocument:
    """One issued document (without its PDF bytes)."""
    with db.read() as session:
        return _issued(get_or_raise(session, IssuedDocumentRow, document_id, "issued document"))


def document_pdf(
    db: Database, document_id: int, *, action: str = "print", to_file: str | None = None
) -> bytes:
    """The stored PDF exactly as issued, for a reprint; the reprint is audited.

    `action` is "print", or "export" with the file it goes to. A stored copy whose bytes no
    longer match the SHA-256 taken when it was issued was changed outside Fascia: it is refused
    (LockedRecordError) rather than printed as if it were what was handed over.
    """
    with db.transaction() as session:
        row = get_or_raise(session, IssuedDocumentRow, document_id, "issued document")
        data = bytes(row.pdf)
        day = row.issued_at.astimezone().date().isoformat()
        if hashlib.sha256(data).hexdigest() != row.sha256 or len(data) != row.size:
            what = row.title[:1].lower() + row.title[1:]
            raise LockedRecordError(
                f"The stored copy of the {what} issued {day} has been changed "
                "since it was issued (it no longer matches its fingerprint), so it is not "
                "printed. Restore the practice from a backup made before the change."
            )
        done = f"exported to {to_file}" if to_file else "reprinted"
        audit.log(
            db,
            session,
            action=action,
            entity="issued_document",
            entity_id=row.id,
            client_id=row.client_id,
            summary=f"{row.title} issued {day} {done}",
            changes={
                name: [None, value]
                for name, value in (
                    ("document", row.kind),
                    ("issued_document_id", row.id),
                    ("sha256", row.sha256),
                    ("file", to_file),
                )
                if value is not None
            },
        )
        return data


def _issued(row: IssuedDocumentRow) -> IssuedDocument:
    return IssuedDocument(
        id=row.id,
        client_id=row.client_id,
        kind=row.kind,
        title=row.title,
        issued_at=row.issued_at,
        issued_by=row.issued_by,
        physician=row.physician_name,
        period_start=row.period_start,
        period_end=row.period_end,
        plan_id=row.plan_id,
        sha256=row.sha256,
        size=row.size,
        content=dict(row.content),
    )


# ---------------------------------------------------------------- gathering


def _client(db: Database, client_id: int) -> Client:
    try:
        return clients.get_client(db, client_id)
    except NotFoundError:
        raise ValidationError({"client": f"No client with id {client_id}."}) from None


def _plan(
    db: Database, client_id: int, plan_id: int | None, since: date | None, until: date | None
) -> Plan | None:
    if plan_id is not None:
        try:
            plan = plans.get_plan(db, plan_id)
        except NotFoundError:
            raise ValidationError({"plan": f"No treatment plan with id {plan_id}."}) from None
        if plan.client_id != client_id:
            raise ValidationError({"plan": f"Plan {plan_id} belongs to another client."})
        return plan
    candidates = plans.plans_for(db, client_id)  # newest start first
    if since is None and until is None:
        active = [p for p in candidates if not p.status.closed]
        return (active or candidates or [None])[0]
    return next(
        (
            p
            for p in candidates
            if (until is None or p.start_date <= until) and (since is None or p.end_date >= since)
        ),
        None,
    )


def _period(
    plan: Plan | None,
    days: Sequence[date],
    since: date | None,
    until: date | None,
    today: date,
) -> tuple[date | None, date | None]:
    """A plan's own period (never past its end), else the dates given, else every visit."""
    if plan is not None:
        start = max(since or plan.start_date, plan.start_date)
        end = min(until or plan.end_date, plan.end_date, max(today, start))
        return start, end
    start = since or (min(days) if days else None)
    end = until or (max([today, *days]) if start else None)
    return start, end


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _period_conditions(start: date, end: date) -> list[Any]:
    """Visits from the start of `start` to the end of `end`, where the therapist is."""
    first = datetime.combine(start, time.min).astimezone()
    after = datetime.combine(end + timedelta(days=1), time.min).astimezone()
    return [VisitRow.starts_at >= first, VisitRow.starts_at < after]


def _physician(db: Database, plan: Plan | None, client: Client) -> Physician | None:
    physician_id = (plan.physician_id if plan else None) or client.physician_id
    if physician_id is None:
        return None
    try:
        return clients.get_physician(db, physician_id)
    except NotFoundError:
        return None


def _visit_days(db: Database, client_id: int) -> list[date]:
    history = visits.visit_history(db, client_id, HistoryFilter())
    return [v.starts_at.astimezone().date() for v in history]


def _visit_lines(course: courses.Course) -> tuple[VisitLine, ...]:
    """The visits on paper: attended (signed) and missed ones; drafts are not visits yet."""
    lines = [
        VisitLine(v.day, v.status, v.pain_before, v.pain_after, v.treatment_minutes)
        for v in (*course.attended, *course.missed)
    ]
    return tuple(sorted(lines, key=lambda line: line.day))


@dataclass
class _TechniqueTotals:
    name: str
    minutes: int = 0
    visits: set[int] = field(default_factory=set)
    pressures: set[int] = field(default_factory=set)
    regions: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def _techniques(
    db: Database, atlas: Atlas, client_id: int, start: date | None, end: date | None
) -> list[TechniqueLine]:
    """Each technique of the period with its regions (most minutes first) and total minutes."""
    if start is None or end is None:
        return []
    query = (
        select(
            VisitRow.id,
            VisitRow.starts_at,
            TreatmentEntryRow.technique_code,
            TreatmentEntryRow.technique_name,
            TreatmentEntryRow.regions,
            TreatmentEntryRow.minutes,
            TreatmentEntryRow.pressure,
        )
        .join(VisitRow, VisitRow.id == TreatmentEntryRow.visit_id)
        .where(
            VisitRow.client_id == client_id,
            VisitRow.status == VisitStatus.COMPLETED.value,
            VisitRow.signed_at.is_not(None),
            *_period_conditions(start, end),
        )
        .order_by(VisitRow.starts_at, TreatmentEntryRow.seq)
    )
    library = techniques_by_code(db)
    with db.read() as session:
        rows = session.connection().execute(query).all()
    totals: dict[str, _TechniqueTotals] = {}
    for visit_id, _starts, code, stored_name, regions, minutes, pressure in rows:
        name = _technique_name(code, stored_name, library)
        line = totals.setdefault(name.casefold(), _TechniqueTotals(name))
        line.minutes += minutes
        line.visits.add(visit_id)
        line.pressures.add(pressure)
        for region in regions or ():
            line.regions[region] += minutes / len(regions)
    lines = [
        TechniqueLine(
            name=t.name,
            regions=narrative.region_names(atlas, sorted(t.regions, key=lambda r: -t.regions[r])),
            minutes=t.minutes,
            visits=len(t.visits),
            pressure=_pressure_range(t.pressures),
        )
        for t in totals.values()
    ]
    return sorted(lines, key=lambda t: (-t.minutes, t.name.casefold()))


def _technique_name(code: str, stored: str, library: dict[str, Any]) -> str:
    """The library's current name, the old pick list's for retired codes, else as stored."""
    if code in library:
        return str(library[code].name)
    if code in TECHNIQUE_BY_CODE:
        return TECHNIQUE_BY_CODE[code].name
    return stored.strip() or code


def _pressure_range(pressures: set[int]) -> str:
    if not pressures:
        return ""
    low, high = PRESSURE_LABELS[min(pressures)], PRESSURE_LABELS[max(pressures)]
    return low if low == high else f"{low} to {high}"


def _measure_lines(course: courses.Course) -> list[MeasureLine]:
    by_code = {m.code: m for m in course.measures}
    order = [*TABLE_ORDER, *sorted(c for c in by_code if c.startswith("custom:"))]
    lines = []
    for code in order:
        tracked = by_code.get(code)
        if tracked is None:
            continue
        measure, change = tracked.measure, tracked.change
        judged = measure.mcid_points is not None or measure.mcid_percent is not None
        lines.append(
            MeasureLine(
                code=code,
                name=measure.name,
                unit=measure.unit,
                higher_is_better=measure.higher_is_better,
                baseline=tracked.baseline,
                baseline_on=tracked.baseline_on,
                latest=tracked.latest,
                latest_on=tracked.latest_on,
                scores=len(tracked.points),
                delta=change.delta,
                percent=change.percent,
                direction=change.direction.value,
                meaningful=change.meaningful if judged else None,
                threshold=narrative.threshold_text(measure),
                source=measure.source,
            )
        )
    return lines


def _trends(course: courses.Course) -> list[Trend]:
    """Pain before and after per visit, the PSFS, and one more: headache days or a custom one."""
    by_code = {m.code: m for m in course.measures}
    found: list[Trend] = []
    pain = [
        TrendSeries(label, by_code[code].points)
        for code, label in (
            (measures.PAIN_BEFORE.code, "Before treatment"),
            (measures.PAIN_AFTER.code, "After treatment"),
        )
        if code in by_code
    ]
    if any(len(s.points) >= 2 for s in pain):
        found.append(_trend(measures.PAIN_BEFORE, "Pain (NRS 0-10)", pain))
    others = [
        measures.PSFS.code,
        measures.HEADACHE_DAYS.code,
        *sorted(c for c in by_code if c.startswith("custom:")),
        measures.SLEEP_QUALITY.code,
        measures.PAIN_EXTENT.code,
    ]
    titles = {
        measures.PSFS.code: "Function (PSFS mean, 0-10)",
        measures.HEADACHE_DAYS.code: "Headache days per month",
        measures.PAIN_EXTENT.code: "Pain extent (% of body)",
    }
    for code in others:
        tracked = by_code.get(code)
        if len(found) >= MAX_TRENDS or tracked is None or len(tracked.points) < 2:
            continue
        title = titles.get(code, tracked.measure.name)
        series = [TrendSeries(tracked.measure.name, tracked.points)]
        found.append(_trend(tracked.measure, title, series))
    return found


def _trend(measure: Measure, title: str, lines: list[TrendSeries]) -> Trend:
    return Trend(
        code=measure.code,
        title=title,
        minimum=measure.minimum,
        maximum=measure.maximum,
        higher_is_better=measure.higher_is_better,
        series=tuple(lines),
        mcid_points=measure.mcid_points,
        unit=measure.unit,
    )


def _charts(
    db: Database, client_id: int, start: date | None, end: date | None, drafts: set[int]
) -> tuple[ChartSnapshot | None, ChartSnapshot | None, int]:
    """The first and latest charts of the period as they stand; a draft visit's are left out."""
    history = [
        h
        for h in chart_history(db, client_id)
        if start and _within(h.charted_on, start, end) and h.visit_id not in drafts
    ]
    if not history:
        return None, None, 0
    first = _snapshot(db, history[0].id)
    latest = _snapshot(db, history[-1].id) if len(history) > 1 else None
    return first, latest, len(history)


def _snapshot(db: Database, chart_id: int) -> ChartSnapshot:
    chart = get_chart(db, chart_id)
    m = chart.metrics
    return ChartSnapshot(
        chart.charted_on, chart.data, m.extent_percent, m.region_count, m.wpi, m.max_intensity
    )


def _goal_line(item: courses.GoalCourse) -> GoalLine:
    """A goal as printed: the course's baseline (the outcome table's), latest and target."""
    goal = item.goal
    if goal.kind == GoalKind.MEASURABLE and item.baseline is not None:
        target = f" to {goal.target:g}" if goal.target is not None else ""
        text = f"{item.measure_name}: {item.baseline:g}{target}"
        text = f"{goal.text} ({text})" if goal.text else text
    else:
        text = goal.text
    return GoalLine(
        text=text,
        measure_name=item.measure_name,
        baseline=item.baseline,
        target=goal.target,
        latest=item.latest,
        status=item.status.label,
        source=item.source,
    )


def _note_texts(
    db: Database, client_id: int, start: date | None, end: date | None
) -> list[narrative.NoteText]:
    """What the client and the therapist wrote after treatment, where reactions are recorded."""
    if start is None or end is None:
        return []
    period = _period_conditions(start, end)
    notes = (
        select(
            VisitRow.starts_at,
            SoapNoteRow.changes_since_last,
            SoapNoteRow.response,
            SoapNoteRow.not_released,
        )
        .join(SoapNoteRow, SoapNoteRow.visit_id == VisitRow.id)
        .where(
            VisitRow.client_id == client_id,
            VisitRow.status == VisitStatus.COMPLETED.value,
            VisitRow.signed_at.is_not(None),
            *period,
        )
        .order_by(VisitRow.starts_at)
    )
    amendments = (
        select(VisitRow.starts_at, AmendmentRow.reason, AmendmentRow.text)
        .join(VisitRow, VisitRow.id == AmendmentRow.visit_id)
        .where(VisitRow.client_id == client_id, *period)
        .order_by(VisitRow.starts_at, AmendmentRow.id)
    )
    found = []
    with db.read() as session:
        connection = session.connection()
        for starts_at, *texts in connection.execute(notes):
            day = starts_at.astimezone().date()
            found += [narrative.NoteText(day, text) for text in texts if text]
        for starts_at, reason, text in connection.execute(amendments):
            found.append(narrative.NoteText(starts_at.astimezone().date(), f"{reason}: {text}"))
    return found
