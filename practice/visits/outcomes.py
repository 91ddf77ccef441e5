"""Outcome measure use cases: PSFS, sleep quality, custom measures, headache diary, progress."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.bounds import MEASURE_LIMIT, as_real, day_errors, whole_in
from practice.clients.models import ClientRow
from practice.errors import LockedRecordError, NotFoundError, ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, is_id, name_taken
from practice.text import clean, name_key, single_line
from practice.visits import measures
from practice.visits.measures import Measure
from practice.visits.models import (
    HeadacheEntryRow,
    MeasureDefinitionRow,
    MeasureValueRow,
    VisitRow,
)
from practice.visits.record_rows import ClientRecord, ValueFact, VisitFact, read_record
from practice.visits.records import (
    CustomMeasureForm,
    HeadacheEntry,
    HeadacheForm,
    MeasureEntry,
    PsfsItem,
    VisitStatus,
)

CUSTOM = "custom"
MAX_DIARY_HOURS = 24  # one entry per day with a headache
MAX_NAME = 120
MAX_UNIT = 40
Series = list[tuple[date, float]]

# ---------------------------------------------------------------- custom measures


def define_custom_measure(db: Database, form: CustomMeasureForm) -> Measure:
    """A measure of the therapist's own: its range, which way is better and what change counts."""
    form, errors = _checked_measure(form)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        if name_taken(session, MeasureDefinitionRow, name_key(form.name)):
            raise ValidationError({"name": f"There is already a measure called '{form.name}'."})
        row = MeasureDefinitionRow(
            name=form.name,
            name_key=name_key(form.name),
            unit=form.unit,
            min_value=form.minimum,
            max_value=form.maximum,
            higher_is_better=form.higher_is_better,
            mcid=form.mcid,
        )
        session.add(row)
        session.flush()
        audit.log(
            db,
            session,
            action="create",
            entity="measure_definition",
            entity_id=row.id,
            summary=f"Custom measure '{form.name}' defined",
            changes=audit.diff({}, asdict(form)),
        )
        return _custom(row)


def _checked_measure(form: CustomMeasureForm) -> tuple[CustomMeasureForm, dict[str, str]]:
    """The form cleaned, its numbers as floats, and every problem by field."""
    low, high = as_real(form.minimum), as_real(form.maximum)
    mcid = as_real(form.mcid) if form.mcid is not None else None
    errors: dict[str, str] = {}
    name, unit = single_line(form.name), single_line(form.unit)
    if not name:
        errors["name"] = "Name the measure."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name to {MAX_NAME} characters."
    if len(unit) > MAX_UNIT:
        errors["unit"] = f"Keep the unit to {MAX_UNIT} characters."
    limit = f"a number from {-MEASURE_LIMIT:,.0f} to {MEASURE_LIMIT:,.0f}"
    for field, value in (("minimum", low), ("maximum", high)):
        if value is None or abs(value) > MEASURE_LIMIT:
            errors[field] = f"The {'lowest' if field == 'minimum' else 'highest'} score is {limit}."
    if form.mcid is not None and mcid is None:
        errors["mcid"] = "The minimal important change is a number."
    if errors:
        return form, errors
    assert low is not None and high is not None
    if high <= low:
        errors["maximum"] = "The highest score must be above the lowest."
    elif mcid is not None and not 0 < mcid <= high - low:
        errors["mcid"] = "The minimal important change must be above 0 and within the range."
    return replace(form, name=name, unit=unit, minimum=low, maximum=high, mcid=mcid), errors


def custom_measures(db: Database, include_archived: bool = False) -> list[Measure]:
    query = select(MeasureDefinitionRow).order_by(func.lower(MeasureDefinitionRow.name))
    if not include_archived:
        query = query.where(MeasureDefinitionRow.archived.is_(False))
    with db.read() as session:
        return [_custom(row) for row in session.scalars(query)]


# ---------------------------------------------------------------- recording scores


def record_psfs(
    db: Database,
    client_id: int,
    measured_on: date,
    items: Sequence[PsfsItem],
    visit_id: int | None = None,
    today: date | None = None,
) -> float:
    """Store one PSFS: up to five activities the client chose, 0-10 each. Returns the mean."""
    items = [PsfsItem(single_line(i.activity), i.score) for i in items]
    errors = _date_errors(measured_on, today)
    if not 1 <= len(items) <= measures.PSFS_MAX_ITEMS:
        errors["items"] = f"A PSFS has 1 to {measures.PSFS_MAX_ITEMS} activities (3 is usual)."
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not item.activity:
            errors[f"items[{i}].activity"] = "Name the activity in the client's words."
        elif item.activity.casefold() in seen:
            errors[f"items[{i}].activity"] = f"'{item.activity}' is listed twice."
        seen.add(item.activity.casefold())
        if not whole_in(item.score, 0, 10):
            errors[f"items[{i}].score"] = "Each activity is scored 0 (unable) to 10 (as before)."
    if errors:
        raise ValidationError(errors)
    mean = measures.psfs_mean([i.score for i in items])
    with db.transaction() as session:
        _check_client_and_visit(session, client_id, visit_id)
        for item in items:
            session.add(
                MeasureValueRow(
                    client_id=client_id,
                    measure=measures.PSFS.code,
                    item=item.activity,
                    value=item.score,
                    measured_on=measured_on,
                    visit_id=visit_id,
                    created_by=db.actor,
                )
            )
        session.flush()
        _audit_score(
            db,
            session,
            client_id,
            f"PSFS of {measured_on.isoformat()}: mean {mean:.1f}",
            {"psfs": {i.activity: i.score for i in items}},
        )
    return mean


def record_sleep_quality(
    db: Database,
    client_id: int,
    measured_on: date,
    score: int,
    visit_id: int | None = None,
    today: date | None = None,
) -> MeasureEntry:
    """The client's own rating of last week's sleep, 0 (very poor) to 10 (very good)."""
    errors = _date_errors(measured_on, today)
    if not whole_in(score, 0, 10):
        errors["score"] = "Sleep quality is a whole number from 0 (very poor) to 10 (very good)."
    if errors:
        raise ValidationError(errors)
    return _record_value(db, client_id, measures.SLEEP_QUALITY, score, measured_on, visit_id)


def record_custom_value(
    db: Database,
    client_id: int,
    definition_id: int,
    measured_on: date,
    value: float,
    visit_id: int | None = None,
    today: date | None = None,
) -> MeasureEntry:
    with db.read() as session:
        row = session.get(MeasureDefinitionRow, definition_id) if is_id(definition_id) else None
        if row is None or row.archived:
            raise NotFoundError(f"No custom measure with id {definition_id}.")
        measure = _custom(row)
    errors = _date_errors(measured_on, today)
    number = as_real(value)
    if number is None or not measure.contains(number):
        errors["value"] = (
            f"{measure.name} ranges from {measure.minimum:g} to {measure.maximum:g}; "
            f"{value} is outside it."
        )
    if errors:
        raise ValidationError(errors)
    assert number is not None
    return _record_value(db, client_id, measure, number, measured_on, visit_id)


def record_headache(
    db: Database,
    client_id: int,
    entry: HeadacheForm,
    today: date | None = None,
    visit_id: int | None = None,
) -> HeadacheEntry:
    """One day of the headache diary, reported at a visit or on its own."""
    entry = replace(entry, medication=single_line(entry.medication), notes=clean(entry.notes))
    errors = _date_errors(entry.occurred_on, today, field="occurred_on")
    if not whole_in(entry.intensity, 0, 10):
        errors["intensity"] = "Intensity is a whole number from 0 to 10 (NRS) at its worst."
    hours = as_real(entry.duration_hours)
    if hours is None or not 0 < hours <= MAX_DIARY_HOURS:
        errors["duration_hours"] = (
            f"Give how long it lasted that day: more than 0 and at most {MAX_DIARY_HOURS} hours."
        )
    else:
        entry = replace(entry, duration_hours=hours)
    if entry.medication and not entry.medication_taken:
        errors["medication_taken"] = "A medication is named: tick that it was taken."
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        _check_client_and_visit(session, client_id, visit_id)
        row = HeadacheEntryRow(client_id=client_id, visit_id=visit_id, **asdict(entry))
        session.add(row)
        session.flush()
        audit.log(
            db,
            session,
            action="create",
            entity="headache_entry",
            entity_id=row.id,
            client_id=client_id,
            summary=f"Headache diary: {entry.occurred_on.isoformat()}, intensity {entry.intensity}",
            changes=audit.diff({}, asdict(entry)),
        )
        return HeadacheEntry(row.id, client_id, entry, visit_id)


def headache_diary(db: Database, client_id: int) -> list[HeadacheEntry]:
    if not is_id(client_id):
        return []
    query = (
        select(HeadacheEntryRow)
        .where(HeadacheEntryRow.client_id == client_id)
        .order_by(HeadacheEntryRow.occurred_on, HeadacheEntryRow.id)
    )
    with db.read() as session:
        return [headache_entry(row) for row in session.scalars(query)]


def psfs_activities(db: Database, client_id: int) -> tuple[str, ...]:
    """The activities of the client's latest PSFS, to ask about the same ones again."""
    if not is_id(client_id):
        return ()
    mine = (MeasureValueRow.client_id == client_id, MeasureValueRow.measure == measures.PSFS.code)
    latest = select(func.max(MeasureValueRow.measured_on)).where(*mine).scalar_subquery()
    query = (
        select(MeasureValueRow.item)
        .where(*mine, MeasureValueRow.measured_on == latest)
        .order_by(MeasureValueRow.id)
    )
    with db.read() as session:
        return tuple(dict.fromkeys(session.scalars(query)))


# ---------------------------------------------------------------- progress


def progress_series(
    db: Database, client_id: int, *, signed_only: bool = False
) -> dict[Measure, Series]:
    """Every measure the client has scores for, each as (date, value) pairs, oldest first.

    Pain NRS before and after treatment per completed visit, the PSFS mean per date, sleep
    quality, custom measures, headache days and mean intensity per month, pain extent (%) from
    the body charts. Measures without scores are left out. With `signed_only`, what belongs to
    a visit counts only once its note is signed (what goes on paper); scores taken outside a
    visit always count.
    """
    if not is_id(client_id):
        return {}
    with db.read() as session:
        record = read_record(session, client_id)
        return series_of(session, record, signed_only=signed_only)


def series_of(
    session: Session, record: ClientRecord, *, signed_only: bool
) -> dict[Measure, Series]:
    """`progress_series` from a record already read (the plan course reads it once)."""
    unsigned = record.unsigned_visits() if signed_only else frozenset()
    series: dict[Measure, Series] = {}
    _add_pain(series, record.visits, signed_only)
    values = [v for v in record.values if v.visit_id not in unsigned]
    definitions = _definitions(session, {v.custom_measure_id for v in values})
    _add_values(series, values, definitions)
    _add_headaches(series, [(day, i) for day, i, visit in record.diary if visit not in unsigned])
    extent = [(day, e) for day, e, visit in record.charts if visit not in unsigned]
    if extent:
        series[measures.PAIN_EXTENT] = extent
    return series


def _add_pain(
    series: dict[Measure, Series], visits: Sequence[VisitFact], signed_only: bool
) -> None:
    for visit in visits:
        if visit.status != VisitStatus.COMPLETED or (signed_only and not visit.signed):
            continue
        for measure, value in (
            (measures.PAIN_BEFORE, visit.pain_before),
            (measures.PAIN_AFTER, visit.pain_after),
        ):
            if value is not None:
                series.setdefault(measure, []).append((visit.day, float(value)))


def _add_values(
    series: dict[Measure, Series],
    rows: Sequence[ValueFact],
    definitions: dict[int, Measure],
) -> None:
    """Scores per measure and date; several on one date (PSFS activities) give their mean."""
    by_date: dict[Measure, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    built_in = {m.code: m for m in measures.BUILT_IN}
    for row in rows:
        measure = (
            definitions[row.custom_measure_id]  # type: ignore[index]
            if row.measure == CUSTOM
            else built_in[row.measure]
        )
        by_date[measure][row.measured_on].append(row.value)
    for measure, days in by_date.items():
        series[measure] = [(day, sum(v) / len(v)) for day, v in days.items()]


def _add_headaches(series: dict[Measure, Series], diary: Sequence[tuple[date, int]]) -> None:
    months = measures.headache_months((day, intensity) for day, intensity in diary)
    if not months:
        return
    series[measures.HEADACHE_DAYS] = [(m.month, float(m.days)) for m in months]
    series[measures.HEADACHE_INTENSITY] = [
        (m.month, m.mean_intensity) for m in months if m.mean_intensity is not None
    ]


def _definitions(session: Session, ids: set[int | None]) -> dict[int, Measure]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(select(MeasureDefinitionRow).where(MeasureDefinitionRow.id.in_(wanted)))
    return {row.id: _custom(row) for row in rows}


# ---------------------------------------------------------------- helpers


def _record_value(
    db: Database,
    client_id: int,
    measure: Measure,
    value: float,
    measured_on: date,
    visit_id: int | None,
) -> MeasureEntry:
    custom = measure.definition_id is not None
    with db.transaction() as session:
        _check_client_and_visit(session, client_id, visit_id)
        row = MeasureValueRow(
            client_id=client_id,
            measure=CUSTOM if custom else measure.code,
            custom_measure_id=measure.definition_id,
            value=value,
            measured_on=measured_on,
            visit_id=visit_id,
            created_by=db.actor,
        )
        session.add(row)
        session.flush()
        _audit_score(
            db,
            session,
            client_id,
            f"{measure.name} of {measured_on.isoformat()}: {value:g}",
            {measure.code: value},
            entity_id=row.id,
        )
        return MeasureEntry(row.id, measure.code, "", value, measured_on, visit_id)


def _audit_score(
    db: Database,
    session: Session,
    client_id: int,
    summary: str,
    values: dict[str, object],
    entity_id: int | None = None,
) -> None:
    audit.log(
        db,
        session,
        action="create",
        entity="measure_value",
        entity_id=entity_id,
        client_id=client_id,
        summary=summary,
        changes=audit.diff({}, values),
    )


def _check_client_and_visit(session: Session, client_id: int, visit_id: int | None) -> None:
    get_or_raise(session, ClientRow, client_id, "client")
    if visit_id is not None:
        visit = session.get(VisitRow, visit_id) if is_id(visit_id) else None
        if visit is None or visit.client_id != client_id:
            raise ValidationError({"visit_id": "This visit belongs to another client."})
        if visit.signed_at is not None:
            raise LockedRecordError(
                "This visit is signed: its scores are locked with it. Record the score on its "
                "own, dated today, or at the next visit."
            )


def _date_errors(day: date, today: date | None, field: str = "measured_on") -> dict[str, str]:
    return day_errors(field, day, today or date.today())


def _custom(row: MeasureDefinitionRow) -> Measure:
    return measures.custom_measure(
        row.id, row.name, row.min_value, row.max_value, row.higher_is_better, row.mcid, row.unit
    )


def headache_entry(row: HeadacheEntryRow) -> HeadacheEntry:
    return HeadacheEntry(
        row.id,
        row.client_id,
        HeadacheForm(
            occurred_on=row.occurred_on,
            duration_hours=row.duration_hours,
            intensity=row.intensity,
            medication_taken=row.medication_taken,
            medication=row.medication,
            notes=row.notes,
        ),
        row.visit_id,
    )
