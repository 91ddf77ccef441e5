"""A treatment plan's form, checked: dates, length, frequency and ICD-10-CM diagnoses (the
database is not read)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from practice.bounds import day_errors, is_day, is_whole, latest_planned
from practice.errors import ValidationError
from practice.plans.icd10 import icd10_index
from practice.plans.records import PlanForm
from practice.text import clean, single_line

MAX_DIAGNOSES = 12  # CMS-1500 box 21 holds A to L
MAX_LENGTH_WEEKS = 104
MAX_PERIOD_WEEKS = 12
Errors = dict[str, str]


def validate_plan(form: PlanForm, today: date | None = None) -> PlanForm:
    """The cleaned form, or ValidationError naming every problem (the database is not read)."""
    form, errors = checked_plan(form, today or date.today())
    if errors:
        raise ValidationError(errors)
    return form


def plan_end(start: date, length_weeks: int) -> date:
    """The last day of a plan: 6 weeks from Monday 3 March ends on Sunday 13 April."""
    return start + timedelta(weeks=length_weeks) - timedelta(days=1)


def checked_plan(form: PlanForm, today: date) -> tuple[PlanForm, Errors]:
    form = replace(
        form,
        referral_reason=clean(form.referral_reason),
        notes=clean(form.notes),
        precautions=tuple(dict.fromkeys(p for p in map(single_line, form.precautions) if p)),
    )
    errors = day_errors(
        "start_date", form.start_date, today, what="The start date", latest=latest_planned(today)
    )
    if not is_whole(form.length_weeks) or form.length_weeks < 1:
        errors["length_weeks"] = (
            "The plan would end before it starts: its length must be at least 1 week."
        )
    elif form.length_weeks > MAX_LENGTH_WEEKS:
        errors["length_weeks"] = f"Plan at most {MAX_LENGTH_WEEKS} weeks; re-evaluate and renew."
    if not is_whole(form.frequency_weeks) or not 1 <= form.frequency_weeks <= MAX_PERIOD_WEEKS:
        errors["frequency_weeks"] = (
            f"Visits are counted per 1 to {MAX_PERIOD_WEEKS} weeks (1 = weekly, 2 = fortnightly)."
        )
    if not is_whole(form.frequency_count) or form.frequency_count < 1:
        errors["frequency_count"] = (
            "The frequency must be at least 1 visit; a frequency of zero plans no visits."
        )
    elif "frequency_weeks" not in errors and form.frequency_count > 7 * form.frequency_weeks:
        errors["frequency_count"] = "More than one visit a day is not a plan; check the frequency."
    if form.referral_date is not None:
        errors |= day_errors("referral_date", form.referral_date, today, what="The referral date")
    if form.reevaluation_date is not None and "start_date" not in errors:
        if not is_day(form.reevaluation_date):
            errors["reevaluation_date"] = "Enter the re-evaluation date as a date."
        elif form.reevaluation_date < form.start_date:
            errors["reevaluation_date"] = "The re-evaluation date is before the plan starts."
        elif "length_weeks" not in errors and form.reevaluation_date > plan_end(
            form.start_date, form.length_weeks
        ):
            errors["reevaluation_date"] = (
                "The re-evaluation date is after the plan ends; re-evaluate by the last week."
            )
    diagnoses, diagnosis_errors = _checked_diagnoses(form.diagnoses)
    errors |= diagnosis_errors
    return replace(form, diagnoses=diagnoses), errors


def _checked_diagnoses(codes: Sequence[str]) -> tuple[tuple[str, ...], Errors]:
    entered = [(i, code) for i, code in enumerate(codes) if code.strip()]
    if not entered:
        return (), {}
    index = icd10_index()
    errors: Errors = {}
    cleaned: list[str] = []
    for i, code in entered:
        try:
            normal = index.validate_billable(code, field=f"diagnoses[{i}]")
        except ValidationError as error:
            errors |= error.errors
            continue
        if normal in cleaned:
            errors[f"diagnoses[{i}]"] = f"{normal} is listed twice."
        cleaned.append(normal)
    if len(entered) > MAX_DIAGNOSES:
        errors["diagnoses"] = f"A claim holds at most {MAX_DIAGNOSES} diagnosis codes."
    return tuple(cleaned), errors
