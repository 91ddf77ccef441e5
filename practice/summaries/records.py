"""Read models of a physician summary: everything a render needs, and issued documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from practice.bodymap.chart import ChartData
from practice.clients.records import Physician, PracticeProfile
from practice.plans.records import Diagnosis
from practice.store.audit import plain
from practice.visits.records import VisitStatus

PHYSICIAN_SUMMARY = "physician_summary"


@dataclass(frozen=True, slots=True)
class VisitLine:
    """One visit in the period, kept or missed."""

    day: date
    status: VisitStatus
    pain_before: int | None = None
    pain_after: int | None = None
    treatment_minutes: int = 0

    @property
    def completed(self) -> bool:
        return self.status is VisitStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class TechniqueLine:
    """A technique applied in the period: where, for how long in all, at what pressure."""

    name: str
    regions: tuple[str, ...]  # region names, most minutes first
    minutes: int
    visits: int  # visits it was used in
    pressure: str  # "moderate", "moderate to deep"


@dataclass(frozen=True, slots=True)
class MeasureLine:
    """An outcome measure from its first score in the period to its latest, and the verdict."""

    code: str
    name: str
    unit: str
    higher_is_better: bool
    baseline: float
    baseline_on: date
    latest: float
    latest_on: date
    scores: int  # how many dates were scored
    delta: float  # latest minus baseline
    percent: float | None
    direction: str  # measures.Direction value: improved, worsened, unchanged
    meaningful: bool | None  # None: the measure has no published threshold to judge by
    threshold: str  # "2 points or 30% (Farrar 2001)"; "" without one
    source: str  # the full citation

    @property
    def single(self) -> bool:
        """Only one score: there is no change to report."""
        return self.scores < 2


@dataclass(frozen=True, slots=True)
class TrendSeries:
    name: str  # legend text: "Before treatment"
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True, slots=True)
class Trend:
    """One chart of the summary: a measure over the period, with its MCID band if it has one."""

    code: str
    title: str
    minimum: float
    maximum: float
    higher_is_better: bool
    series: tuple[TrendSeries, ...]
    mcid_points: float | None = None  # drawn as a band from the baseline
    unit: str = ""


@dataclass(frozen=True, slots=True)
class ChartSnapshot:
    """A body chart as the summary shows it: the drawing and its numbers."""

    charted_on: date
    data: ChartData
    extent_percent: float
    region_count: int
    wpi: int
    max_intensity: int


@dataclass(frozen=True, slots=True)
class GoalLine:
    text: str  # the goal in words ("Walk 30 minutes" or "Pain before treatment (NRS) 7 to 3")
    measure_name: str  # "" for a functional goal
    baseline: float | None
    target: float | None
    latest: float | None
    status: str  # GoalStatus label: "Met", "Partially met", "Not met"
    source: str  # "measured", "set by the therapist" ...


@dataclass(frozen=True, slots=True)
class SummaryDraft:
    """Everything a physician summary prints; render it with no database at hand.

    The three narrative fields come prefilled from the data and are the therapist's to edit
    (`dataclasses.replace`) before rendering or issuing.
    """

    client_id: int
    plan_id: int | None
    prepared_on: date
    period_start: date | None  # None: no visits and no plan, nothing to bound
    period_end: date | None
    profile: PracticeProfile
    client_name: str
    date_of_birth: date | None
    physician: Physician | None
    referral_reason: str
    referral_date: date | None
    diagnoses: tuple[Diagnosis, ...]
    plan_frequency: str  # "1 visit a week for 6 weeks"; "" without a plan
    visits_planned: int | None
    visits: tuple[VisitLine, ...]  # oldest first, missed ones included
    techniques: tuple[TechniqueLine, ...]
    measures: tuple[MeasureLine, ...]
    trends: tuple[Trend, ...]
    first_chart: ChartSnapshot | None
    latest_chart: ChartSnapshot | None  # None when there is at most one chart
    chart_count: int
    goals: tuple[GoalLine, ...]
    adverse_events: str
    assessment: str
    recommendations: str
    unsigned_notes: int = 0  # drafts in the period: not counted; the dialog asks to sign them
    signed_by: str = ""  # the practitioner's signature: "Maya Chen, RMT (reg. 12345)"

    @property
    def completed_visits(self) -> tuple[VisitLine, ...]:
        return tuple(v for v in self.visits if v.completed)

    @property
    def missed_visits(self) -> tuple[VisitLine, ...]:
        return tuple(v for v in self.visits if not v.completed)

    @property
    def title(self) -> str:
        return "Treatment summary"

    def to_json(self) -> dict[str, Any]:
        """The content as stored with an issued copy (the logo is left out: it is in the PDF)."""
        content: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "profile":
                value = {k: v for k, v in _fields(value).items() if k != "logo_png"}
            content[name] = _json(value)
        return content


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """A document as it was handed over: immutable, with its exact PDF kept."""

    id: int
    client_id: int
    kind: str  # PHYSICIAN_SUMMARY ...
    title: str
    issued_at: datetime
    issued_by: str
    physician: str  # who it was addressed to; "" for none
    period_start: date | None
    period_end: date | None
    plan_id: int | None
    sha256: str
    size: int  # bytes of the PDF
    content: dict[str, Any]


def _fields(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def _json(value: Any) -> Any:
    if isinstance(value, ChartData):
        return value.to_json()
    if hasattr(value, "__dataclass_fields__"):
        return {k: _json(v) for k, v in _fields(value).items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return plain(value)
