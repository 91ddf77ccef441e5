"""Plain input forms and read models for treatment plans, goals and plan progress."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class PlanStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def closed(self) -> bool:
        """A completed or discharged episode of care is over; a new one gets a new plan."""
        return self in (PlanStatus.COMPLETED, PlanStatus.DISCHARGED)


class GoalKind(StrEnum):
    MEASURABLE = "measurable"  # tied to an outcome measure, with a baseline and a target
    FUNCTIONAL = "functional"  # in words; its status is set by the therapist


class GoalStatus(StrEnum):
    NOT_MET = "not_met"
    PARTIAL = "partial"
    MET = "met"

    @property
    def label(self) -> str:
        return {"not_met": "Not met", "partial": "Partially met", "met": "Met"}[self.value]


@dataclass(frozen=True, slots=True)
class PlanForm:
    """What the therapist types for a plan. Diagnoses are ICD-10-CM codes in pointer order."""

    start_date: date
    frequency_count: int  # visits ...
    length_weeks: int
    frequency_weeks: int = 1  # ... per this many weeks: 1 weekly, 2 fortnightly
    physician_id: int | None = None
    referral_date: date | None = None
    referral_reason: str = ""
    reevaluation_date: date | None = None
    diagnoses: tuple[str, ...] = ()
    precautions: tuple[str, ...] = ()  # the therapist's own; alert precautions are added
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Diagnosis:
    position: int  # 1-based: the diagnosis pointer of a claim line
    code: str
    description: str


@dataclass(frozen=True, slots=True)
class Precaution:
    text: str
    source_alert: str = ""  # the contraindication rule it came from; "" for the therapist's own
    level: str = ""

    @property
    def from_alert(self) -> bool:
        return bool(self.source_alert)


@dataclass(frozen=True, slots=True)
class GoalForm:
    kind: GoalKind
    text: str = ""  # the functional goal, or a note on a measurable one
    measure: str = ""  # a measure code: pain_before, psfs, psfs:<activity>, custom:<id> ...
    baseline: float | None = None
    target: float | None = None


@dataclass(frozen=True, slots=True)
class Goal(GoalForm):
    id: int = 0
    status_override: GoalStatus | None = None

    def form(self) -> GoalForm:
        return GoalForm(self.kind, self.text, self.measure, self.baseline, self.target)


@dataclass(frozen=True, slots=True)
class PlannedTechniqueForm:
    """One line of the plan: a technique on regions or a muscle, at a pressure, for minutes."""

    technique: str  # a technique library code
    minutes: int
    pressure: int = 3  # 1 light ... 5 very deep, as in the visit log
    regions: tuple[str, ...] = ()  # body map atlas codes
    muscle: str = ""  # a trigger point catalogue key, such as upper_trapezius_R
    notes: str = ""
    acknowledged: frozenset[str] = frozenset()  # alert rule codes the therapist acknowledged


@dataclass(frozen=True, slots=True)
class PlanAcknowledgement:
    alert: str
    level: str
    title: str
    why: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PlannedTechnique:
    id: int
    technique: str
    name: str
    regions: tuple[str, ...]
    muscle: str
    pressure: int
    minutes: int
    notes: str
    restricted: bool
    acknowledgements: tuple[PlanAcknowledgement, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    client_id: int
    physician_id: int | None
    referral_date: date | None
    referral_reason: str
    start_date: date
    frequency_count: int
    frequency_weeks: int
    length_weeks: int
    end_date: date
    reevaluation_date: date | None
    status: PlanStatus
    notes: str
    diagnoses: tuple[Diagnosis, ...]
    goals: tuple[Goal, ...]
    techniques: tuple[PlannedTechnique, ...]  # removed ones left out
    precautions: tuple[Precaution, ...]
    created_at: datetime
    updated_at: datetime
    version: int = 0  # as read: a save passes it back (store.versions)

    @property
    def planned_visits(self) -> int:
        return planned_visits(self.frequency_count, self.frequency_weeks, self.length_weeks)

    @property
    def frequency_text(self) -> str:
        """'2 visits a week for 6 weeks', 'one visit every 2 weeks for 8 weeks'."""
        return frequency_text(self.frequency_count, self.frequency_weeks, self.length_weeks)

    def form(self) -> PlanForm:
        return PlanForm(
            start_date=self.start_date,
            frequency_count=self.frequency_count,
            length_weeks=self.length_weeks,
            frequency_weeks=self.frequency_weeks,
            physician_id=self.physician_id,
            referral_date=self.referral_date,
            referral_reason=self.referral_reason,
            reevaluation_date=self.reevaluation_date,
            diagnoses=tuple(d.code for d in self.diagnoses),
            precautions=tuple(p.text for p in self.precautions if not p.from_alert),
            notes=self.notes,
        )


def planned_visits(count: int, per_weeks: int, length_weeks: int) -> int:
    """Visits a plan calls for: 1 a fortnight for 5 weeks is 3 (weeks 1, 3 and 5)."""
    return math.ceil(count * length_weeks / per_weeks)


def frequency_text(count: int, per_weeks: int, length_weeks: int) -> str:
    visits = "1 visit" if count == 1 else f"{count} visits"
    period = "a week" if per_weeks == 1 else f"every {per_weeks} weeks"
    weeks = "1 week" if length_weeks == 1 else f"{length_weeks} weeks"
    return f"{visits} {period} for {weeks}"
