"""The checks a visit draft or a template must pass before anything is saved.

Plain functions over plain data, so the editor can show the same messages while typing.
Every problem is reported at once, keyed by field ("pain_before", "treatments[1].minutes").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from practice.bounds import (
    PLANNING_HORIZON,
    day_errors,
    is_whole,
    latest_planned,
    moment_errors,
    whole_in,
)
from practice.clients.rules import Alert
from practice.errors import ValidationError
from practice.text import clean, single_line, visible
from practice.visits.records import (
    PLACES_OF_SERVICE,
    PRESSURE_LABELS,
    Position,
    SoapNote,
    TreatmentInput,
    TriggerPointFinding,
    TriggerPointState,
    VisitDraft,
    VisitForm,
    VisitStatus,
)
from practice.visits.techniques import OTHER, TECHNIQUE_BY_CODE, technique_name, unacknowledged

MAX_VISIT_MINUTES = 8 * 60
MAX_TEMPLATE_NAME = 120
SIDES = ("", "L", "R")  # left, right, or midline / both sides
_HAPPENED = (VisitStatus.COMPLETED, VisitStatus.NO_SHOW)  # a cancellation may be made ahead
Errors = dict[str, str]


def validate_draft(
    draft: VisitDraft, alerts: Sequence[Alert], today: date, *, techniques: Collection[str] = ()
) -> VisitDraft:
    """The cleaned draft, or ValidationError naming every problem.

    `alerts` are the client's contraindication alerts on the visit day: deep work must
    acknowledge each one that restricts it. `techniques` are the technique library's codes,
    accepted besides the starter list's.
    """
    draft = clean_draft(draft)
    errors = visit_errors(draft.visit, today)
    errors |= note_errors(draft.note, draft.visit)
    errors |= treatment_errors(draft.treatments, alerts, techniques)
    errors |= fit_errors(draft)
    if errors:
        raise ValidationError(errors)
    return draft


def validate_template(
    name: str,
    note: SoapNote,
    treatments: Sequence[TreatmentInput],
    *,
    techniques: Collection[str] = (),
) -> tuple[str, SoapNote, tuple[TreatmentInput, ...]]:
    name = single_line(name)
    note = replace(clean_note(note).without_scores(), re_evaluation_on=None)
    cleaned = tuple(clean_treatment(t) for t in treatments)
    errors: Errors = {}
    if not name:
        errors["name"] = "Give the template a name."
    elif len(name) > MAX_TEMPLATE_NAME:
        errors["name"] = f"Keep the template name under {MAX_TEMPLATE_NAME} characters."
    errors |= _trigger_point_errors(note.trigger_points)
    errors |= treatment_errors(cleaned, (), techniques)
    if errors:
        raise ValidationError(errors)
    return name, note, cleaned


def visit_errors(visit: VisitForm, today: date) -> Errors:
    errors: Errors = {}
    if not isinstance(visit.status, VisitStatus):
        errors["status"] = "The status is completed, cancelled or no-show."
    errors |= moment_errors(
        "starts_at", visit.starts_at, today, what="The visit time", latest=latest_planned(today)
    )
    day = visit_day(visit)
    if day is not None and visit.status in _HAPPENED and day > today:
        errors["starts_at"] = (
            f"A {visit.status.label.lower()} visit cannot be dated after today "
            f"({today.isoformat()}); check the date or the status."
        )
    if not _whole(visit.duration_minutes) or visit.duration_minutes < 1:
        errors["duration_minutes"] = (
            "The visit ends before it starts: the duration must be at least 1 minute."
        )
    elif visit.duration_minutes > MAX_VISIT_MINUTES:
        errors["duration_minutes"] = "A visit longer than 8 hours is not plausible; check it."
    if visit.place_of_service not in PLACES_OF_SERVICE:
        errors["place_of_service"] = (
            f"Unknown place of service '{visit.place_of_service}' "
            f"(use {', '.join(PLACES_OF_SERVICE)})."
        )
    return errors


def note_errors(note: SoapNote, visit: VisitForm) -> Errors:
    errors: Errors = {}
    for name, label in (("pain_before", "before"), ("pain_after", "after")):
        value = getattr(note, name)
        if value is not None and not whole_in(value, 0, 10):
            errors[name] = f"Pain {label} treatment is a whole number from 0 to 10 (NRS)."
    if note.tenderness_grade is not None and not whole_in(note.tenderness_grade, 0, 4):
        errors["tenderness_grade"] = "The tenderness grade is 0 to IV (a whole number 0-4)."
    errors |= _trigger_point_errors(note.trigger_points)
    day = visit_day(visit)
    if note.re_evaluation_on is not None and day is not None:
        errors |= day_errors(
            "re_evaluation_on",
            note.re_evaluation_on,
            day,
            what="The re-evaluation date",
            earliest=day,
            latest=day + PLANNING_HORIZON,
        )
        if type(note.re_evaluation_on) is date and note.re_evaluation_on < day:
            errors["re_evaluation_on"] = "The re-evaluation date is before the visit."
    return errors


def visit_day(visit: VisitForm) -> date | None:
    """The visit's date where the therapist is; None while its time is not a plausible one."""
    today = date.today()
    if moment_errors("starts_at", visit.starts_at, today, latest=latest_planned(today)):
        return None
    assert isinstance(visit.starts_at, datetime)
    return visit.starts_at.astimezone().date()


def treatment_errors(
    treatments: Sequence[TreatmentInput], alerts: Sequence[Alert], techniques: Collection[str] = ()
) -> Errors:
    from practice.bodymap.atlas import load_atlas  # shapely: loaded when a note is checked

    errors: Errors = {}
    regions = set(load_atlas().codes)
    for i, entry in enumerate(treatments):
        key = f"treatments[{i}]"
        name = technique_name(entry) or "this technique"
        known = entry.technique in TECHNIQUE_BY_CODE or entry.technique in techniques
        if entry.technique != OTHER and not known:
            errors[f"{key}.technique"] = "Pick a technique from the list, or 'other' with a name."
        elif entry.technique == OTHER and not entry.name:
            errors[f"{key}.technique"] = "Name the technique."
        if not whole_in(entry.minutes, 1, MAX_VISIT_MINUTES):
            errors[f"{key}.minutes"] = (
                f"Give the minutes spent on {name}: at least 1, at most {MAX_VISIT_MINUTES}."
            )
        if not whole_in(entry.pressure, 1, 5):
            scale = ", ".join(f"{k} {v}" for k, v in PRESSURE_LABELS.items())
            errors[f"{key}.pressure"] = f"Pressure is 1 to 5 ({scale})."
        if not isinstance(entry.position, Position):
            errors[f"{key}.position"] = "Pick the client's position."
        unknown = [code for code in entry.regions if code not in regions]
        if unknown:
            errors[f"{key}.regions"] = f"Unknown body region(s): {', '.join(unknown)}."
        missing = unacknowledged(alerts, entry)
        if missing:
            titles = "; ".join(f"{a.title} ({a.level})" for a in missing)
            errors[f"{key}.acknowledged"] = (
                f"{name} is deep work and the client has alerts: {titles}. "
                "Acknowledge each one to go ahead, or choose a lighter technique."
            )
    return errors


def fit_errors(draft: VisitDraft) -> Errors:
    """The treatment log must fit the visit it belongs to."""
    visit = draft.visit
    if draft.treatments and visit.status in (VisitStatus.CANCELLED, VisitStatus.NO_SHOW):
        return {
            "treatments": f"A {visit.status.label.lower()} visit has no treatment: remove the "
            "treatment entries or set the status to completed."
        }
    minutes = [t.minutes for t in draft.treatments]
    if not all(_whole(m) for m in [visit.duration_minutes, *minutes]):
        return {}  # already reported field by field
    total = sum(minutes)
    if total > visit.duration_minutes >= 1:
        return {
            "treatments": f"The treatment minutes add up to {total}, more than the "
            f"{visit.duration_minutes}-minute visit."
        }
    return {}


def _trigger_point_errors(points: Sequence[TriggerPointFinding]) -> Errors:
    errors: Errors = {}
    for i, point in enumerate(points):
        if not point.muscle:
            errors[f"trigger_points[{i}]"] = "Name the muscle of each trigger point."
        elif not isinstance(point.state, TriggerPointState):
            errors[f"trigger_points[{i}]"] = "A trigger point is active or latent."
        elif point.side not in SIDES:
            errors[f"trigger_points[{i}]"] = "The side is L, R, or empty for midline or both."
    return errors


def clean_draft(draft: VisitDraft) -> VisitDraft:
    visit = draft.visit
    return VisitDraft(
        visit=replace(
            visit,
            place_of_service=single_line(visit.place_of_service),
            status=_member(VisitStatus, visit.status),
        ),
        note=clean_note(draft.note),
        treatments=tuple(clean_treatment(t) for t in draft.treatments),
    )


def clean_note(note: SoapNote) -> SoapNote:
    texts: dict[str, Any] = {
        f.name: clean(v) for f in fields(note) if isinstance(v := getattr(note, f.name), str)
    }
    points = tuple(
        TriggerPointFinding(
            single_line(p.muscle),
            _member(TriggerPointState, p.state),
            single_line(p.side).upper(),
            clean(p.note),
        )
        for p in note.trigger_points
    )
    return replace(note, trigger_points=points, **texts)


def clean_treatment(entry: TreatmentInput) -> TreatmentInput:
    entry = replace(entry, technique=single_line(entry.technique), name=single_line(entry.name))
    return replace(
        entry,
        regions=tuple(dict.fromkeys(r for r in map(single_line, entry.regions) if r)),
        notes=clean(entry.notes),
        name=technique_name(entry),
        position=_member(Position, entry.position),
    )


def _member(enum: type[StrEnum], value: Any) -> Any:
    """The enum member for a value given as text; anything else is left for the checks."""
    try:
        return enum(value)
    except ValueError:
        return value


def storable_autosave(draft: VisitDraft) -> dict[str, Any]:
    """The draft as the JSON an autosave keeps, if it can be read back; else ValidationError.

    Autosaves are not validated (they keep half-typed notes, spaces and all), but one that
    could not be read back would stop the visit from opening. Invisible characters go, as they
    would on saving.
    """
    try:
        data = _visible_texts(json.loads(json.dumps(draft.to_json(), allow_nan=False)))
        VisitDraft.from_json(data)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        raise ValidationError(
            {"autosave": "This draft holds a value that cannot be kept; check the numbers."}
        ) from None
    return data  # type: ignore[no-any-return]


def _visible_texts(value: Any) -> Any:
    """Texts without invisible characters; a whole number no database column could hold (past
    64 bits) refused, as a ValueError."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, int) and not -(2**63) < value < 2**63:
        raise ValueError("a number past 64 bits")
    if isinstance(value, list):
        return [_visible_texts(item) for item in value]
    if isinstance(value, dict):
        return {key: _visible_texts(item) for key, item in value.items()}
    return value


def _whole(value: object) -> bool:
    return is_whole(value)
